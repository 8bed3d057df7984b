"""``manage.py create_demo_evaluation``: a closed mid-term and an open final evaluation round, for
development."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from measures.demo import create_demo_evaluation


class Command(BaseCommand):
    help = "Create a closed mid-term and an open final evaluation round (once). Development only."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="allow with DEBUG off")

    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo data is for development: DEBUG is off (use --force to insist).")
        if create_demo_evaluation():
            self.stdout.write(
                self.style.SUCCESS("Demo evaluation: a closed mid-term round and an open final round.")
            )
        else:
            self.stdout.write("Demo evaluation already present (or no Office user to run it).")
