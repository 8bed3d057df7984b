"""``manage.py create_demo_progress``: demo progress entries for 2009, for development."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from agencies.demo import DEMO_PASSWORD
from measures.demo import create_demo_progress


class Command(BaseCommand):
    help = "Create demo progress entries for 2009 (once). Development only."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="allow with DEBUG off")

    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo data is for development: DEBUG is off (use --force to insist).")
        created = create_demo_progress(password=DEMO_PASSWORD)
        if created:
            self.stdout.write(self.style.SUCCESS(f"Demo progress: {created} entries for 2009."))
        else:
            self.stdout.write("Demo progress already present.")
