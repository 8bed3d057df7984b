"""``manage.py create_demo_public_reports``: demo reports of crimes from the public, for development."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cases.demo.public_reports import create_demo_public_reports


class Command(BaseCommand):
    help = "Create demo reports from the public (once). Development only."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="allow with DEBUG off")

    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo data is for development: DEBUG is off (use --force to insist).")
        created = create_demo_public_reports()
        if created:
            self.stdout.write(self.style.SUCCESS(f"Demo reports from the public: {created}."))
        else:
            self.stdout.write("Demo reports from the public already present.")
