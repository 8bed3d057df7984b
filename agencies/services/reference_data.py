"""Loading the organisation's reference data (member units, provinces) from the plan's data files.

Each row is matched by its natural key and written only when a value differs (``row_sync``); a
file that cannot be loaded raises ``DataFileError`` naming the entry at fault, before anything is
written. The plan's own loader (measures) uses the same helpers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import models, transaction

from agencies.choices import ProvinceKind
from agencies.models import MemberUnit, Province


class DataFileError(ValueError):
    """A data file that cannot be loaded; the message names the entry at fault."""


@dataclass
class SyncCounts:
    """What a load did, per model: created, updated, unchanged (and deleted)."""

    counts: Counter = field(default_factory=Counter)

    def add(self, model: type[models.Model], outcome: str) -> None:
        self.counts[(model._meta.verbose_name_plural, outcome)] += 1

    @property
    def changed(self) -> int:
        return sum(n for (_, outcome), n in self.counts.items() if outcome != "unchanged")

    def summary(self) -> str:
        names = sorted({str(name) for name, _ in self.counts})
        lines = []
        for name in names:
            parts = [
                f"{outcome} {self.counts[(n, outcome)]}"
                for n, outcome in sorted(self.counts)
                if str(n) == name and self.counts[(n, outcome)]
            ]
            lines.append(f"{name}: {', '.join(parts)}")
        return "\n".join(lines)


def row_sync(
    model: type[models.Model],
    lookup: dict,
    values: dict,
    counts: SyncCounts,
    *,
    on_create: dict | None = None,
):
    """Create or update one row by its natural key; a row that already matches is not written.

    ``on_create`` holds values set only when the row is new (editable in the portal afterwards).
    """
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model._default_manager.create(**lookup, **values, **(on_create or {}))
        counts.add(model, "created")
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        counts.add(model, "updated")
    else:
        counts.add(model, "unchanged")
    return obj


def required_value(entry: dict, key: str, where: str):
    if entry.get(key) in (None, ""):
        raise DataFileError(f"{where}: missing '{key}'")
    return entry[key]


def units_sync(*, units: list[dict], counts: SyncCounts) -> dict[str, MemberUnit]:
    """Create or update member units from a plan file's ``units`` list; returns them by code."""
    seen: set[str] = set()
    for i, entry in enumerate(units, 1):
        code = required_value(entry, "code", f"units[{i}]")
        if code in seen:
            raise DataFileError(f"units[{i}]: duplicate unit code '{code}'")
        seen.add(code)
    leads = [u["code"] for u in units if u.get("is_lead")]
    if len(leads) > 1:
        raise DataFileError(f"units: more than one lead unit ({', '.join(leads)})")
    if leads:
        # Only one lead unit may exist at a time: clear a former lead before setting the new one.
        former = MemberUnit.objects.filter(is_lead=True).exclude(code=leads[0])
        if former.exists():
            former.update(is_lead=False)
    result = {}
    for i, entry in enumerate(units, 1):
        where = f"units[{i}] ({entry['code']})"
        result[entry["code"]] = row_sync(
            MemberUnit,
            {"code": entry["code"]},
            {
                "seq": int(entry.get("seq", 0)),
                "name_zh": required_value(entry, "name_zh", where),
                "name_en": required_value(entry, "name_en", where),
                "is_member": bool(entry.get("is_member", True)),
                "is_lead": bool(entry.get("is_lead", False)),
            },
            counts,
        )
    return result


def provinces_load(*, data: dict, counts: SyncCounts) -> None:
    """Create or update the provincial-level divisions from ``provinces.yaml``; all or nothing."""
    provinces = data.get("provinces")
    if not isinstance(provinces, list) or not provinces:
        raise DataFileError("provinces: missing or empty list")
    seen: set[str] = set()
    for i, entry in enumerate(provinces, 1):
        code = str(required_value(entry, "code", f"provinces[{i}]"))
        if len(code) != 6 or not code.isdigit():
            raise DataFileError(f"provinces[{i}]: code '{code}' is not a six-digit GB/T 2260 code")
        if code in seen:
            raise DataFileError(f"provinces[{i}]: duplicate code '{code}'")
        if entry.get("kind") not in ProvinceKind.values:
            raise DataFileError(f"provinces[{i}] ({code}): unknown kind '{entry.get('kind')}'")
        seen.add(code)
    with transaction.atomic():
        for entry in provinces:
            where = f"province {entry['code']}"
            row_sync(
                Province,
                {"code": str(entry["code"])},
                {
                    "name_zh": required_value(entry, "name_zh", where),
                    "name_en": required_value(entry, "name_en", where),
                    "kind": entry["kind"],
                },
                counts,
                # The area flags are an initial classification the Office edits afterwards.
                on_create={
                    "is_key_area": bool(entry.get("is_key_area", False)),
                    "is_origin": bool(entry.get("is_origin", False)),
                    "is_destination": bool(entry.get("is_destination", False)),
                },
            )
