"""``manage.py create_demo_coordination``: demo coordination records (implementation plans,
cooperation agreements, funding, good practices), for development."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from measures.demo.agreements import create_demo_agreements
from measures.demo.funding import create_demo_funding
from measures.demo.implementation import create_demo_implementation_plans
from measures.demo.practices import create_demo_practices

MAKERS = (
    ("implementation plans", create_demo_implementation_plans),
    ("cooperation agreements", create_demo_agreements),
    ("funding lines", create_demo_funding),
    ("good practices", create_demo_practices),
)


class Command(BaseCommand):
    help = "Create demo coordination records (once). Development only."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="allow with DEBUG off")

    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo data is for development: DEBUG is off (use --force to insist).")
        for name, make in MAKERS:
            created = make()
            if created:
                self.stdout.write(self.style.SUCCESS(f"Demo {name}: {created}."))
            else:
                self.stdout.write(f"Demo {name} already present.")
