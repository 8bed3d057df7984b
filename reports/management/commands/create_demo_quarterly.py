"""Create the demo quarterly reports of the 31 provinces (development only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from agencies.demo import DEMO_PASSWORD
from reports.demo import create_demo_quarterly


class Command(BaseCommand):
    help = "Create demo quarterly reports of the 31 provinces for 2008 and 2009 (once). Development only."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="allow with DEBUG off")

    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo data is for development: DEBUG is off (use --force to insist).")
        created = create_demo_quarterly(password=DEMO_PASSWORD)
        if created:
            self.stdout.write(self.style.SUCCESS(f"Demo quarterly reports: {created} for 2008 and 2009."))
        else:
            self.stdout.write("Demo quarterly reports already present.")
