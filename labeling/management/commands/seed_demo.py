"""Demo users, an API key and a few tasks, on an empty database only."""

from django.core.management.base import BaseCommand
from django.db import transaction

from labeling import services
from labeling.accounts import create_user, get_or_create_account
from labeling.models import ApiKey, Project, Task

DEMO_USERS = [
    ("worker", "worker-demo-pw", "worker"),
    ("reviewer", "reviewer-demo-pw", "reviewer"),
    ("admin", "admin-demo-pw", "admin"),
]

TEXTCOLLECTION_PARAMS = {
    "attachments": [
        {"type": "text", "content": "**Tom Yum Soup** — 11.79\n\nA hot and sour soup."}
    ],
    "fields": [
        {"type": "text", "field_id": "item_name", "title": "Item name", "required": True},
        {"type": "number", "field_id": "item_price", "title": "Price", "min": 0, "max": 1000},
        {
            "type": "category",
            "field_id": "spicy",
            "title": "Is it spicy?",
            "choices": [{"label": "Yes", "value": "yes"}, {"label": "No", "value": "no"}],
        },
    ],
}
NER_PARAMS = {
    "labels": [
        {"name": "person", "display_name": "Person"},
        {"name": "organization", "display_name": "Organization"},
        {"name": "event", "display_name": "Event"},
    ],
    "relationships": [
        {
            "name": "speaker_at",
            "display_name": "speaks at",
            "is_directed": True,
            "source_label": "person",
            "target_label": "event",
        }
    ],
}
NER_TEXTS = [
    "Yesterday Alex Wang spoke at Transform in San Francisco.",
    "Ada Lovelace worked with Charles Babbage on the Analytical Engine.",
]


class Command(BaseCommand):
    help = "Seed demo users and tasks (does nothing if the database already has tasks or users)."

    def handle(self, *args, **options):
        from django.contrib.auth import get_user_model

        if Task.objects.exists() or get_user_model().objects.exists():
            self.stdout.write("Database is not empty; demo data not seeded.")
            self._print_logins()
            return
        with transaction.atomic():
            account = get_or_create_account()
            users = [create_user(username=u, password=p, role=r) for u, p, r in DEMO_USERS]
            _key, plain = ApiKey.issue(account=account, name="demo")
            tc = Project.objects.create(
                account=account,
                name="Menu items",
                type="textcollection",
                params=TEXTCOLLECTION_PARAMS,
                instruction="Copy the item's **name** and **price**.",
            )
            ner = Project.objects.create(
                account=account,
                name="People and events",
                type="namedentityrecognition",
                params=NER_PARAMS,
                instruction="Mark every person and event; link speakers to events.",
            )
            for project in (tc, ner):
                project.workers.add(*users)
            for _ in range(3):
                services.create_task(
                    account=account, type_name="textcollection", payload={"project": tc.name}
                )
            for text in NER_TEXTS:
                services.create_task(
                    account=account,
                    type_name="namedentityrecognition",
                    payload={"project": ner.name, "text": text},
                )
        self.stdout.write("Seeded demo data.")
        self.stdout.write(f"Demo API key (shown once): {plain}")
        self._print_logins()

    def _print_logins(self):
        self.stdout.write(
            "Demo logins (if seeded): " + ", ".join(f"{u} / {p}" for u, p, _ in DEMO_USERS)
        )
