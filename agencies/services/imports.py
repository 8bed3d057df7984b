"""Importing agencies and users from a file (an administrator's page): every row checked in full,
then all rows written in one transaction, or none.

Rows are matched by their natural key (an agency's code, a user's username): a new key is created,
a known one updated where a value differs, else left unchanged. An import never moves an agency: an
existing agency's kind, member unit and division must be as they are (the case files it holds stay
where they are); only its names are updated. A user imported anew has no usable password and is
inactive until an administrator sets a password in the administration (the portal sends no
password-reset mail); an existing user keeps their password and whether they are active, and their
name, e-mail, role and agency are updated. Users name agencies that exist: a file of new agencies is
imported first, then the users who belong to them.

Each import, a check only (dry run) too, and one refused for its errors, is one entry in the audit
log, written in the transaction of the import.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_slug
from django.db import IntegrityError, transaction
from django.db.models.functions import Upper
from django.utils.translation import gettext as _

from agencies.choices import AgencyKind
from agencies.models import Agency, Division, MemberUnit, User
from agencies.models.users import role_agency_problem
from agencies.services.import_files import IMPORT_MAX_ROWS, ImportRow
from core.audit import SHOWN_MAX, audit_about

AGENCIES = "agencies"
USERS = "users"
COLUMNS: dict[str, tuple[str, ...]] = {
    AGENCIES: ("code", "kind", "unit", "division", "name_zh", "name_en"),
    USERS: ("username", "full_name", "email", "role", "agency"),
}
# The model field behind each column whose length the database bounds.
FIELDS = {
    AGENCIES: {"code": "code", "name_zh": "name_zh", "name_en": "name_en"},
    USERS: {"username": "username", "full_name": "first_name", "email": "email"},
}
MODELS = {AGENCIES: Agency, USERS: User}

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"
REFUSED = "refused"


@dataclass
class RowProblem:
    column: str
    message: str


@dataclass
class RowOutcome:
    """What the import does (or would do) with one row: created, updated, unchanged, or refused
    with its problems, each naming its column."""

    number: int
    key: str
    outcome: str = ""
    problems: list[RowProblem] = field(default_factory=list)

    def refuse(self, column: str, message: str) -> None:
        self.problems.append(RowProblem(column, message))

    @property
    def refused(self) -> bool:
        return bool(self.problems)

    @property
    def status(self) -> str:
        return REFUSED if self.problems else self.outcome


@dataclass
class ImportResult:
    """The outcome of an import: each row's, and problems of the import as a whole."""

    kind: str
    dry_run: bool
    rows: list[RowOutcome]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and not any(row.refused for row in self.rows)

    @property
    def saved(self) -> bool:
        return self.ok and not self.dry_run

    @property
    def counts(self) -> Counter:
        return Counter(row.status for row in self.rows)

    @property
    def errors_first(self) -> list[RowOutcome]:
        return sorted(self.rows, key=lambda row: (not row.refused, row.number))


def organisation_import(
    *, actor: User, kind: str, rows: Sequence[ImportRow], dry_run: bool, source: str = ""
) -> ImportResult:
    """Check every row of an import of ``kind`` ("agencies" or "users") and, unless ``dry_run`` or a
    row is refused, write them all in one transaction. ``source`` names the file in the audit log."""
    if kind not in COLUMNS:
        raise ValueError(f"unknown import kind {kind!r}")
    with transaction.atomic():
        result = ImportResult(kind, dry_run, [])
        if len(rows) > IMPORT_MAX_ROWS:
            result.problems.append(
                _("At most %(max)s rows can be imported at once.") % {"max": f"{IMPORT_MAX_ROWS:,}"}
            )
        else:
            values = [_cells(kind, row, result) for row in rows]
            check = _check_agencies if kind == AGENCIES else _check_users
            writes = check(actor, values, result.rows)
            if result.ok and not dry_run:
                try:
                    with transaction.atomic():
                        for write in writes:
                            write()
                except IntegrityError:
                    # Someone changed the same agencies or users while this import was checked.
                    result.problems.append(
                        _("The data changed while the file was being imported; nothing was saved. Try again.")
                    )
        _audit(actor, result, source)
    return result


def _cells(kind: str, row: ImportRow, result: ImportResult) -> dict[str, str]:
    """The row's trimmed cells; its outcome (with the key) joins ``result``; over-long cells refused."""
    cells = {name: str(row.values.get(name) or "").strip() for name in COLUMNS[kind]}
    outcome = RowOutcome(row.number, cells[COLUMNS[kind][0]][:150])
    result.rows.append(outcome)
    if row.overflow:
        outcome.refuse("", _("The row has values beyond the last column of the header."))
    model = MODELS[kind]
    for column, field_name in FIELDS[kind].items():
        limit = model._meta.get_field(field_name).max_length
        if len(cells[column]) > limit:
            outcome.refuse(
                column,
                _("At most %(max)s characters (this has %(count)s).")
                % {"max": limit, "count": len(cells[column])},
            )
            cells[column] = ""  # checked no further: the row is refused for its length
    return cells


def _required(outcome: RowOutcome, cells: dict, column: str) -> str:
    if not cells[column] and not any(p.column == column for p in outcome.problems):
        outcome.refuse(column, _("Required."))
    return cells[column]


def _repeats(values: list[dict], column: str, rows: list[RowOutcome]) -> None:
    """Refuse every row that repeats an earlier row's ``column``, naming that row."""
    first: dict[str, int] = {}
    for cells, outcome in zip(values, rows, strict=True):
        key = cells[column]
        if not key:
            continue
        if key in first:
            outcome.refuse(
                column, _("“%(value)s” is also on row %(row)s.") % {"value": key, "row": first[key]}
            )
        else:
            first[key] = outcome.number


def _by_upper_code(queryset, codes) -> dict[str, object]:
    """Records whose code is one of ``codes`` in any case, by their code in upper case."""
    uppers = {code.upper() for code in codes if code}
    records = queryset.annotate(upper_code=Upper("code")).filter(upper_code__in=uppers)
    return {record.upper_code: record for record in records}


def _mismatched_case(outcome: RowOutcome, column: str, code: str, found) -> None:
    outcome.refuse(
        column,
        _("No such code “%(code)s”; did you mean “%(found)s”? Codes are written as they are.")
        % {"code": code, "found": found.code},
    )


# Agencies -----------------------------------------------------------------------------------------


def _check_agencies(actor: User, values: list[dict], rows: list[RowOutcome]) -> list:
    agencies = _by_upper_code(Agency.objects.select_related("unit", "division"), (v["code"] for v in values))
    units = _by_upper_code(MemberUnit.objects.all(), (v["unit"] for v in values))
    divisions = {d.code: d for d in Division.objects.filter(code__in={v["division"] for v in values})}
    # What the database's constraints would refuse, found first: one anti-trafficking office per
    # division (and one national: the IMCS Office), one agency of a name per unit and division.
    offices = {
        agency.division_id: agency
        for agency in Agency.objects.filter(kind=AgencyKind.ANTI_TRAFFICKING_OFFICE).only("code", "division")
    }
    named = {
        (agency.unit_id, agency.division_id, agency.name_zh): agency
        for agency in Agency.objects.filter(name_zh__in={v["name_zh"] for v in values}).only(
            "code", "unit", "division", "name_zh"
        )
    }
    _repeats(values, "code", rows)
    writes = []
    offices_in_file: dict[int | None, int] = {}
    names_in_file: dict[tuple, int] = {}
    for cells, outcome in zip(values, rows, strict=True):
        code = _required(outcome, cells, "code")
        if code:
            try:
                validate_slug(code)
            except ValidationError:
                outcome.refuse(
                    "code", _("A code has only letters, digits, hyphens and underscores: MCA-530100.")
                )
        existing = agencies.get(code.upper()) if code else None
        if existing is not None and existing.code != code:
            outcome.refuse(
                "code", _("Agency “%(found)s” exists: write its code as it is.") % {"found": existing.code}
            )
            continue
        kind = _required(outcome, cells, "kind")
        if kind and kind not in AgencyKind.values:
            outcome.refuse(
                "kind", _("The kind is one of: %(kinds)s.") % {"kinds": ", ".join(AgencyKind.values)}
            )
            kind = ""
        unit = _agency_unit(outcome, cells, kind, units)
        division = _agency_division(outcome, cells, divisions, existing)
        name_zh = _required(outcome, cells, "name_zh")
        name_en = _required(outcome, cells, "name_en")
        if outcome.refused or division is False:
            continue
        if existing is not None:
            _same_place(outcome, existing, kind, unit, division)
            if outcome.refused:
                continue
        division_id = division.pk if division else None
        if kind == AgencyKind.ANTI_TRAFFICKING_OFFICE:
            holder = offices.get(division_id)
            if holder is not None and holder.code != code:
                outcome.refuse(
                    "division",
                    _("%(place)s has its anti-trafficking office: %(code)s.")
                    % {"place": division.name if division else _("The national level"), "code": holder.code},
                )
            elif division_id in offices_in_file:
                outcome.refuse(
                    "division",
                    _("Row %(row)s is this division's anti-trafficking office.")
                    % {"row": offices_in_file[division_id]},
                )
            offices_in_file.setdefault(division_id, outcome.number)
        name_key = (unit.pk if unit else None, division_id, name_zh)
        holder = named.get(name_key)
        if holder is not None and holder.code != code:
            outcome.refuse(
                "name_zh", _("Agency %(code)s has this name at this division.") % {"code": holder.code}
            )
        elif name_key in names_in_file:
            outcome.refuse(
                "name_zh", _("Row %(row)s has this name at this division.") % {"row": names_in_file[name_key]}
            )
        names_in_file.setdefault(name_key, outcome.number)
        if outcome.refused:
            continue
        if existing is None:
            outcome.outcome = CREATED
            agency = Agency(
                code=code, kind=kind, unit=unit, division=division or None, name_zh=name_zh, name_en=name_en
            )
            writes.append(agency.save)
        elif (existing.name_zh, existing.name_en) != (name_zh, name_en):
            outcome.outcome = UPDATED
            existing.name_zh, existing.name_en = name_zh, name_en
            writes.append(existing.save)
        else:
            outcome.outcome = UNCHANGED
    return writes


def _agency_unit(outcome: RowOutcome, cells: dict, kind: str, units: dict) -> MemberUnit | None:
    code = cells["unit"]
    if kind == AgencyKind.ANTI_TRAFFICKING_OFFICE:
        if code:
            outcome.refuse("unit", _("An anti-trafficking office belongs to no member unit: leave it empty."))
        return None
    if kind != AgencyKind.UNIT_OFFICE:
        return None
    if not _required(outcome, cells, "unit"):
        return None
    unit = units.get(code.upper())
    if unit is None:
        outcome.refuse("unit", _("No member unit has the code “%(code)s”.") % {"code": code})
    elif unit.code != code:
        _mismatched_case(outcome, "unit", code, unit)
    elif not unit.is_member:
        outcome.refuse("unit", _("%(unit)s is not a member unit and has no offices.") % {"unit": unit.name})
    else:
        return unit
    return None


def _agency_division(outcome: RowOutcome, cells: dict, divisions: dict, existing: Agency | None):
    """The row's division (None: national), or False when the cell is refused."""
    code = cells["division"]
    if not code:
        return None
    division = divisions.get(code)
    if division is None:
        outcome.refuse(
            "division",
            _("No division has the GB/T 2260 code “%(code)s” (six digits; empty for the national level).")
            % {"code": code},
        )
        return False
    # An agency already there stays there; a new one is not opened at a division that is gone.
    if division.abolished_in is not None and (existing is None or existing.division_id != division.pk):
        outcome.refuse(
            "division",
            _("%(code)s %(name)s was abolished (GB/T 2260 lists it no more from %(edition)s).")
            % {"code": division.code, "name": division.name, "edition": division.abolished_in},
        )
        return False
    return division


def _same_place(outcome: RowOutcome, existing: Agency, kind: str, unit, division) -> None:
    """An import updates an agency's names only; it never moves one (nor the files it holds)."""
    moved = _(
        "Agency %(code)s is %(now)s; an import changes only its names (change this in the administration)."
    )
    if existing.kind != kind:
        outcome.refuse("kind", moved % {"code": existing.code, "now": existing.get_kind_display()})
    if existing.unit_id != (unit.pk if unit else None):
        now = existing.unit.code if existing.unit_id else _("of no member unit")
        outcome.refuse("unit", moved % {"code": existing.code, "now": now})
    if existing.division_id != (division.pk if division else None):
        now = existing.division.code if existing.division_id else _("national")
        outcome.refuse("division", moved % {"code": existing.code, "now": now})


# Users --------------------------------------------------------------------------------------------


def _check_users(actor: User, values: list[dict], rows: list[RowOutcome]) -> list:
    accounts = {a.username: a for a in User.objects.filter(username__in={v["username"] for v in values})}
    agencies = _by_upper_code(
        Agency.objects.select_related("division", "unit"), (v["agency"] for v in values)
    )
    _repeats(values, "username", rows)
    writes = []
    for cells, outcome in zip(values, rows, strict=True):
        username = _required(outcome, cells, "username")
        if username:
            try:
                User.username_validator(username)
            except ValidationError:
                outcome.refuse(
                    "username", _("A username has only letters, digits and the characters @ . + - _.")
                )
            if username == actor.username:
                outcome.refuse("username", _("Your own account is not changed by an import."))
        full_name = _required(outcome, cells, "full_name")
        email = cells["email"]
        if email:
            try:
                validate_email(email)
            except ValidationError:
                outcome.refuse("email", _("“%(email)s” is not an e-mail address.") % {"email": email})
        role = _required(outcome, cells, "role")
        if role and role not in _role_values():
            outcome.refuse("role", _("The role is one of: %(roles)s.") % {"roles": ", ".join(_role_values())})
            role = ""
        agency = _user_agency(outcome, cells, agencies)
        if role and agency is not None:
            problem = role_agency_problem(role, agency)  # the one rule of which agency a role needs
            if problem:
                outcome.refuse("agency", problem)
        if outcome.refused:
            continue
        account = accounts.get(username)
        wanted = {"first_name": full_name, "email": email, "role": role, "agency_id": agency.pk}
        if account is None:
            outcome.outcome = CREATED
            account = User(username=username, is_active=False, **wanted)
            account.set_unusable_password()
            writes.append(account.save)
            continue
        changed = [name for name, value in wanted.items() if getattr(account, name) != value]
        if not changed:
            outcome.outcome = UNCHANGED
            continue
        outcome.outcome = UPDATED
        for name in changed:
            setattr(account, name, wanted[name])
        # Saved field by field: a changed role ends the user's API tokens (agencies.signals).
        update_fields = [name.removesuffix("_id") for name in changed]
        writes.append(lambda account=account, fields=update_fields: account.save(update_fields=fields))
    return writes


def _role_values() -> list[str]:
    return [value for value, _label in User._meta.get_field("role").choices]


def _user_agency(outcome: RowOutcome, cells: dict, agencies: dict) -> Agency | None:
    code = _required(outcome, cells, "agency")
    if not code:
        return None
    agency = agencies.get(code.upper())
    if agency is None:
        outcome.refuse(
            "agency",
            _("No agency has the code “%(code)s” (a new agency is imported first, in its own file).")
            % {"code": code},
        )
    elif agency.code != code:
        _mismatched_case(outcome, "agency", code, agency)
    elif not agency.is_active:
        outcome.refuse("agency", _("%(agency)s is no longer active.") % {"agency": agency.name})
    else:
        return agency
    return None


def _audit(actor: User, result: ImportResult, source: str) -> None:
    keys = {
        outcome: [r.key for r in result.rows if r.outcome == outcome and not r.refused]
        for outcome in (CREATED, UPDATED)
    }
    refused = [r.number for r in result.rows if r.refused]
    audit_about(
        user=actor,
        action="import",
        model=MODELS[result.kind],
        label=f"{result.kind}: {source}" if source else result.kind,
        detail={
            "kind": result.kind,
            "file": source[:200],
            "dry_run": result.dry_run,
            "saved": result.saved,
            "rows": len(result.rows),
            "counts": dict(result.counts),
            "created": keys[CREATED][:SHOWN_MAX],
            "updated": keys[UPDATED][:SHOWN_MAX],
            "refused_rows": refused[:SHOWN_MAX],
            "problems": [str(p) for p in result.problems],
        },
    )
