"""``manage.py load_plan``: load the provinces and one or more plans of action from their data files."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from agencies.services import DataFileError, SyncCounts, provinces_load
from measures.services import plan_load, read_data_file

PLANS_DIR = Path(settings.BASE_DIR) / "measures" / "data" / "plans"
PROVINCES_FILE = Path(settings.BASE_DIR) / "agencies" / "data" / "provinces.yaml"


class Command(BaseCommand):
    help = (
        "Load the provinces and one or more plans of action from their data files (all plans under "
        "measures/data/plans/ by default). Idempotent: re-running changes nothing. A file with an "
        "error loads nothing and names the entry at fault."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path, help="plan data files (YAML)")
        parser.add_argument("--provinces", type=Path, default=PROVINCES_FILE)

    def handle(self, *args, files, provinces, **options):
        files = files or sorted(PLANS_DIR.glob("*.yaml"))
        counts = SyncCounts()
        try:
            with transaction.atomic():
                provinces_load(data=read_data_file(provinces), counts=counts)
                for path in files:
                    plan = plan_load(data=read_data_file(path), counts=counts)
                    self.stdout.write(f"{path.name}: {plan.code} {plan.title_zh}")
        except DataFileError as exc:
            raise CommandError(f"Nothing loaded. {exc}") from exc
        self.stdout.write(counts.summary())
        self.stdout.write(
            self.style.SUCCESS(f"{counts.changed} row(s) changed.") if counts.changed else "Nothing changed."
        )
