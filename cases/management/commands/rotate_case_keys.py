"""Re-encrypt the identifiers of case files and the authenticator secrets under the newest key."""

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from agencies.models import TwoFactorDevice
from cases.models.case_files import CaseFile
from cases.services.case_files import IDENTITY_FIELDS
from core.crypto import rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every identifier and authenticator secret with the newest key of "
        "CASE_ENCRYPTION_KEYS. Put the new key first, run this, then drop the old key."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        # Read the raw tokens (no decryption round trip) and write them back under the newest key.
        rows = 0
        for model, fields in ((CaseFile, IDENTITY_FIELDS), (TwoFactorDevice, ("secret",))):
            table = model._meta.db_table
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT id, {', '.join(fields)} FROM {table}")  # noqa: S608 - our own names
                for pk, *tokens in cursor.fetchall():
                    new = [rotate(t) if t else t for t in tokens]
                    assignments = ", ".join(f"{f} = %s" for f in fields)
                    cursor.execute(f"UPDATE {table} SET {assignments} WHERE id = %s", [*new, pk])  # noqa: S608
                    rows += 1
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {rows} row(s) with the newest key."))
