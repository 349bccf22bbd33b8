from django.core.management.base import BaseCommand, CommandError

from labeling import roles
from labeling.accounts import create_user
from labeling.models import Project


class Command(BaseCommand):
    help = "Create or update a user with a role (worker, reviewer or admin)."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--password", required=True)
        parser.add_argument("--role", required=True, choices=roles.ROLES)
        parser.add_argument(
            "--project", action="append", default=[], help="Assign to this project (repeatable)"
        )

    def handle(self, *args, name: str, password: str, role: str, project: list[str], **options):
        projects = []
        for project_name in project:
            found = Project.objects.filter(name=project_name).first()
            if found is None:
                raise CommandError(f"--project: no project named {project_name!r}")
            projects.append(found)
        user = create_user(username=name, password=password, role=role)
        for found in projects:
            found.workers.add(user)
        self.stdout.write(f"{role} {user.get_username()} ready")
