"""Create the demo case files of `make run` (see ``cases.demo``)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cases.demo import create_demo_cases


class Command(BaseCommand):
    help = "Create demo case files of fictional people (once). Development only."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="allow with DEBUG off")

    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo data is for development: DEBUG is off (use --force to insist).")
        created = create_demo_cases()
        self.stdout.write(
            self.style.SUCCESS(f"Demo case files: {created}.")
            if created
            else "Demo case files already present."
        )
