from django.core.management.base import BaseCommand

from labeling.accounts import DEFAULT_ACCOUNT, get_or_create_account
from labeling.models import ApiKey


class Command(BaseCommand):
    help = "Create an API key and print it (only the key: it is stored hashed and shown once)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="A name to tell this key apart from others")
        parser.add_argument(
            "--account", default=DEFAULT_ACCOUNT, help="Account the key belongs to (created if new)"
        )

    def handle(self, *args, name: str, account: str, **options):
        _key, plain = ApiKey.issue(account=get_or_create_account(account), name=name)
        self.stdout.write(plain)
