"""Loading the organisation's reference data (member units, provinces, and the national and provincial
agencies every unit and province has) from the plan's data files.

Each row is matched by its natural key and written only when a value differs (``row_sync``); a
file that cannot be loaded raises ``DataFileError`` naming the entry at fault, before anything is
written. The plan's own loader (measures) uses the same helpers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import models, transaction

from agencies.choices import AgencyKind, ProvinceKind
from agencies.models import Agency, Division, MemberUnit, Province


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
    """Create the member units of a plan file's ``units`` list that do not exist yet, each with its
    national office (the IMCS Office's is the national anti-trafficking office); returns them by
    code. A unit's name and listing order are set when it is first loaded: a later plan's file
    never changes a unit that an earlier plan's records name (its names and order in that plan
    are the plan's membership)."""
    seen: set[str] = set()
    for i, entry in enumerate(units, 1):
        code = required_value(entry, "code", f"units[{i}]")
        if code in seen:
            raise DataFileError(f"units[{i}]: duplicate unit code '{code}'")
        seen.add(code)
        required_value(entry, "name_zh", f"units[{i}] ({code})")
        required_value(entry, "name_en", f"units[{i}] ({code})")
    result = {}
    for entry in units:
        unit = row_sync(
            MemberUnit,
            {"code": entry["code"]},
            {},
            counts,
            on_create={
                "seq": int(entry.get("seq", 0)),
                "name_zh": entry["name_zh"],
                "name_en": entry["name_en"],
                "is_member": bool(entry.get("is_member", True)),
            },
        )
        kind = AgencyKind.UNIT_OFFICE if unit.is_member else AgencyKind.ANTI_TRAFFICKING_OFFICE
        row_sync(
            Agency,
            {"code": unit.code},
            {},
            counts,
            on_create={"kind": kind, "unit": unit, "name_zh": unit.name_zh, "name_en": unit.name_en},
        )
        result[entry["code"]] = unit
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
    divisions = {d.code: d for d in Division.objects.filter(code__in=seen)}
    if len(divisions) != len(seen):
        missing = ", ".join(sorted(seen - set(divisions)))
        raise DataFileError(
            f"provinces {missing}: no such division; load the divisions first (load_divisions)"
        )
    with transaction.atomic():
        for entry in provinces:
            where = f"province {entry['code']}"
            province = row_sync(
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
            # Each province has its anti-trafficking office (反拐办), whose reporters file its reports.
            row_sync(
                Agency,
                {"code": f"ATO-{province.code}"},
                {},
                counts,
                on_create={
                    "kind": AgencyKind.ANTI_TRAFFICKING_OFFICE,
                    "division": divisions[province.code],
                    "name_zh": f"{province.name_zh}反拐办",
                    "name_en": f"{province.name_en} Anti-Trafficking Office",
                },
            )
