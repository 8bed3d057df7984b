"""``manage.py load_divisions``: load editions of the administrative divisions (GB/T 2260)."""

import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from agencies.services import DataFileError, SyncCounts
from agencies.services.divisions import edition_load, edition_read

DIVISIONS_DIR = Path(settings.BASE_DIR) / "agencies" / "data" / "divisions"
EDITION = re.compile(r"-(\d{4})\.csv$")


class Command(BaseCommand):
    help = (
        "Load editions of the administrative divisions from their CSV files, oldest first (every "
        "file under agencies/data/divisions/ by default; its README names the source and dates). "
        "Idempotent; a later edition renames and marks abolished divisions, deleting none."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path, help="edition files (gb2260-<year>.csv)")

    def handle(self, *args, files, **options):
        files = files or sorted(DIVISIONS_DIR.glob("gb2260-*.csv"))
        counts = SyncCounts()
        try:
            for path in sorted(files, key=lambda p: p.name):
                found = EDITION.search(path.name)
                if not found:
                    raise DataFileError(f"{path.name}: the file's name must hold its edition's year")
                applied = edition_load(rows=edition_read(path), edition=int(found.group(1)), counts=counts)
                note = "" if applied else " (older than an edition already loaded: left alone)"
                self.stdout.write(f"{path.name}: edition {found.group(1)}{note}")
        except DataFileError as exc:
            raise CommandError(f"Nothing more loaded. {exc}") from exc
        self.stdout.write(counts.summary())
        self.stdout.write(
            self.style.SUCCESS(f"{counts.changed} row(s) changed.") if counts.changed else "Nothing changed."
        )
