"""Loading an edition of the administrative divisions (GB/T 2260) from a committed data file.

Editions load oldest first. A division is matched by its code: a new one is created, a renamed one
keeps its former name in ``former_names``, one that the edition no longer lists is marked
``abolished_in`` (never deleted: case files and agencies may refer to it), and one listed again
is current again. Loading the same edition twice changes nothing. A file with a bad row loads
nothing and names the row (``DataFileError``).
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction
from django.db.models import Max

from agencies.choices import DivisionLevel
from agencies.models import Division
from agencies.services.reference_data import DataFileError, SyncCounts

COLUMNS = ["code", "name_zh", "name_en", "level", "parent_code"]
LEVEL_ORDER = {DivisionLevel.PROVINCE: 0, DivisionLevel.PREFECTURE: 1, DivisionLevel.COUNTY: 2}


def edition_read(path: Path) -> list[dict]:
    """The rows of an edition's CSV file, checked: six-digit unique codes, a known level, names,
    and a parent listed in the same file (a county's parent is a prefecture or a province)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != COLUMNS:
            raise DataFileError(f"{path.name}: the columns must be {','.join(COLUMNS)}")
        rows = list(reader)
    seen: dict[str, dict] = {}
    for line, row in enumerate(rows, 2):
        where = f"{path.name} line {line}"
        code = row["code"].strip()
        if len(code) != 6 or not code.isdigit():
            raise DataFileError(f"{where}: code '{code}' is not a six-digit GB/T 2260 code")
        if code in seen:
            raise DataFileError(f"{where}: code {code} is listed twice")
        if row["level"] not in DivisionLevel.values:
            raise DataFileError(f"{where}: unknown level '{row['level']}'")
        if not row["name_zh"].strip() or not row["name_en"].strip():
            raise DataFileError(f"{where}: code {code} has no name")
        if (row["level"] == DivisionLevel.PROVINCE) != (not row["parent_code"]):
            raise DataFileError(f"{where}: only a province has no division above it")
        seen[code] = row
    for line, row in enumerate(rows, 2):
        parent = seen.get(row["parent_code"]) if row["parent_code"] else None
        if row["parent_code"] and (
            parent is None or LEVEL_ORDER[parent["level"]] >= LEVEL_ORDER[row["level"]]
        ):
            raise DataFileError(
                f"{path.name} line {line}: division above '{row['parent_code']}' is not in the file"
            )
    return rows


def newest_edition() -> int | None:
    """The newest edition loaded so far (None before the first)."""
    found = Division.objects.aggregate(first=Max("first_edition"), gone=Max("abolished_in"))
    editions = [e for e in found.values() if e]
    return max(editions) if editions else None


@transaction.atomic
def edition_load(*, rows: list[dict], edition: int, counts: SyncCounts) -> bool:
    """Bring the divisions to ``edition``'s list (see the module's docstring); all or nothing.
    An edition older than one already loaded is left alone (False): it was loaded before it, or
    came too late to be applied."""
    newest = newest_edition()
    if newest and edition < newest:
        return False
    existing = {d.code: d for d in Division.objects.all()}
    by_code: dict[str, Division] = {}
    for row in sorted(rows, key=lambda r: (LEVEL_ORDER[r["level"]], r["code"])):
        code = row["code"]
        parent = by_code[row["parent_code"]] if row["parent_code"] else None
        values = {
            "name_zh": row["name_zh"].strip(),
            "name_en": row["name_en"].strip(),
            "level": row["level"],
            "parent": parent,
            "abolished_in": None,
        }
        division = existing.get(code)
        if division is None:
            division = Division(code=code, first_edition=edition, **values)
            division.save()
            counts.add(Division, "created")
        else:
            changed = [name for name, value in values.items() if getattr(division, name) != value]
            if division.name_zh != values["name_zh"]:
                division.former_names = [
                    *division.former_names,
                    {"until_edition": edition, "name_zh": division.name_zh, "name_en": division.name_en},
                ]
                changed.append("former_names")
            if changed:
                for name, value in values.items():
                    setattr(division, name, value)
                division.save()
                counts.add(Division, "updated")
            else:
                counts.add(Division, "unchanged")
        by_code[code] = division
    gone = [d.pk for code, d in existing.items() if code not in by_code and d.abolished_in is None]
    if gone:
        Division.objects.filter(pk__in=gone).update(abolished_in=edition)
        for _ in gone:
            counts.add(Division, "abolished")
    return True
