"""Funding by channel (Part Three 3): a member unit or a province adds, changes and removes its own
funding lines, one amount of a year from one channel (a government budget, donations, international
aid), for one area of the plan or the work as a whole.

The rules of a line, checked all at once and each named by its field: a year of the plan; a donation
names its kind of donor (civil group, enterprise, individual); international aid names its donor;
only a budget line holds what was budgeted; amounts are yuan, never negative, with at most two
decimals and at most the column's digits (the database checks the sign too). ``amount_from_text``
reads an amount as people type it (``1,200.50``, ``¥1200.5``, ``1200元``) and refuses, naming the
field, what is not one (``-5``, ``abc``, ``1e9``): the page's form and the API both call it.

Every write runs in one transaction, re-checks the actor's rights on the locked line, refuses a
stale ``version`` (``EditConflict``), keeps the change in the line's history and skips a change that
changes nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from core import clock
from core.history import change_record, field_changes
from core.permissions import CHANGE, DELETE, READ_ALL_SUBMITTED, VIEW, allows, may
from core.workflow import check_version
from measures.choices import MAX_AMOUNT_DIGITS, DonorKind, FundingChannel
from measures.models import Area, FundingLine, Plan
from measures.models.owners import Owner, owner_of
from measures.selectors.lineage import units_writing_plans

# The largest amount a line holds: the column's digits, two of them after the point.
MAX_AMOUNT = Decimal(10 ** (MAX_AMOUNT_DIGITS - 2)) - Decimal("0.01")
MAX_DONOR = 200
MAX_NOTE = 500
# Digits with commas between groups of three (1,200.50), or digits alone (1200.5).
AMOUNT_PATTERN = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
# What people write around an amount in yuan, taken off before reading it.
YUAN_SIGNS = ("¥", "￥", "元", "RMB", "CNY")
# Longer than any amount a line holds (with its commas): refused before it is read.
MAX_AMOUNT_TEXT = 40


def amount_problem(value: Decimal) -> str | None:
    """Why ``value`` is no amount a line may hold (negative, more than two decimals, too large)."""
    if not value.is_finite():
        return _("Enter the amount in yuan as digits, e.g. 1200.50.")
    if value < 0:
        return _("An amount is never negative: enter 0 or more.")
    if value.as_tuple().exponent < -2:
        return _("Enter at most two decimals (fen), e.g. 1200.50.")
    if value > MAX_AMOUNT:
        return _("Enter at most %(max)s yuan.") % {"max": f"{MAX_AMOUNT:,.2f}"}
    return None


def amount_from_text(value, *, field: str) -> Decimal | None:
    """An amount as typed (``1,200.50``, ``1200.5``, ``¥1200``, full-width digits), or ``None`` when
    empty. Anything else is refused naming ``field``: a sign, letters, an exponent (``1e9``),
    commas out of place, more than two decimals, more than the column holds."""
    if value is None:
        return None
    if isinstance(value, bool):  # JSON true/false is no amount (bool is an int in Python)
        raise ValidationError({field: [_("Enter the amount in yuan as digits, e.g. 1200.50.")]})
    if isinstance(value, Decimal | int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        typed = unicodedata.normalize("NFKC", str(value)).strip().replace(" ", "")
        for sign in YUAN_SIGNS:
            typed = typed.removeprefix(sign).removesuffix(sign)
        if not typed:
            return None
        if len(typed) > MAX_AMOUNT_TEXT:
            raise ValidationError({field: [_("Enter at most %(max)s yuan.") % {"max": f"{MAX_AMOUNT:,.2f}"}]})
        if typed.startswith("-"):
            raise ValidationError({field: [_("An amount is never negative: enter 0 or more.")]})
        if re.search(r"\d[eE][-+]?\d", typed):
            raise ValidationError(
                {field: [_("Write the amount in digits (1000000000), not as a power of ten (1e9).")]}
            )
        if not AMOUNT_PATTERN.match(typed):
            if re.fullmatch(r"[\d,.]+", typed):
                message = _(
                    "Use a point for decimals and commas only between groups of three digits: 1,200.50."
                )
            else:
                message = _("Enter the amount in yuan as digits, e.g. 1200.50.")
            raise ValidationError({field: [message]})
        try:
            number = Decimal(typed.replace(",", ""))
        except InvalidOperation as error:  # the pattern lets through only what Decimal reads
            message = _("Enter the amount in yuan as digits, e.g. 1200.50.")
            raise ValidationError({field: [message]}) from error
    problem = amount_problem(number)
    if problem:
        raise ValidationError({field: [problem]})
    return number.quantize(Decimal("0.01"))


@dataclass
class FundingInput:
    """A funding line as given (amounts already read by ``amount_from_text`` or as ``Decimal``)."""

    year: int | None
    channel: str
    amount: Decimal | None
    budgeted: Decimal | None = None
    area: Area | None = None
    donor_kind: str = ""
    donor: str = ""
    note: str = ""


def _validate(plan: Plan, line: FundingInput) -> None:
    """Every refusal at once, each by the field it names."""
    errors: dict[str, list[str]] = {}

    def refuse(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if line.year not in plan.years:
        years = {"first": plan.start_year, "last": plan.end_year}
        refuse("year", _("Choose a year of the plan (%(first)d–%(last)d).") % years)
    if line.channel not in FundingChannel.values:
        refuse("channel", _("Choose a channel from the list."))
    if line.area is not None and line.area.plan_id != plan.pk:
        refuse("area", _("Choose an area of this plan, or none for the work as a whole."))
    donor_kind, donor = (line.donor_kind or "").strip(), (line.donor or "").strip()
    if line.channel == FundingChannel.DONATION:
        if not donor_kind:
            refuse(
                "donor_kind", _("Say who gave the donation: a civil group, an enterprise or an individual.")
            )
        elif donor_kind not in DonorKind.values:
            refuse("donor_kind", _("Choose a kind of donor from the list."))
    elif donor_kind:
        refuse("donor_kind", _("Only a donation names a kind of donor."))
    if line.channel == FundingChannel.INTERNATIONAL_AID and not donor:
        refuse("donor", _("Name the donor of the international aid (e.g. UNICEF, ILO)."))
    elif line.channel == FundingChannel.BUDGET and donor:
        refuse("donor", _("A government budget names no donor."))
    if len(donor) > MAX_DONOR:
        refuse("donor", _("Keep this to %(count)d characters at most.") % {"count": MAX_DONOR})
    if len((line.note or "").strip()) > MAX_NOTE:
        refuse("note", _("Keep this to %(count)d characters at most.") % {"count": MAX_NOTE})
    if line.amount is None:
        refuse(
            "amount",
            _("Enter the amount spent from the budget in yuan (0 if none yet).")
            if line.channel == FundingChannel.BUDGET
            else _("Enter the amount received in yuan."),
        )
    elif problem := amount_problem(line.amount):
        refuse("amount", problem)
    if line.budgeted is not None:
        if line.channel != FundingChannel.BUDGET:
            refuse("budgeted", _("Only a government budget line holds a budgeted amount."))
        elif problem := amount_problem(line.budgeted):
            refuse("budgeted", problem)
    if errors:
        raise ValidationError(errors)


def _values(line: FundingInput) -> dict:
    """The columns a line's input writes (texts trimmed, amounts to the fen)."""
    cents = Decimal("0.01")
    return {
        "year": line.year,
        "channel": line.channel,
        "area": line.area,
        "donor_kind": (line.donor_kind or "").strip(),
        "donor": (line.donor or "").strip(),
        "budgeted": None if line.budgeted is None else line.budgeted.quantize(cents),
        "amount": line.amount.quantize(cents),
        "note": (line.note or "").strip(),
    }


def _snapshot(record: FundingLine) -> dict:
    """A line as its history shows it (labels in the language of whoever made the change)."""
    return {
        "year": record.year,
        "channel": record.get_channel_display() if record.channel else "",
        "area": str(record.area) if record.area_id else "",
        "donor_kind": record.get_donor_kind_display() if record.donor_kind else "",
        "donor": record.donor,
        "budgeted": f"¥{record.budgeted:,.2f}" if record.budgeted is not None else "",
        "amount": f"¥{record.amount:,.2f}",
        "note": record.note,
    }


def _writer(actor, plan: Plan) -> Owner:
    """The actor's unit or province, if it writes funding lines of ``plan``: a reader of all
    funding who owns none may see but not add (403), anyone else sees no funding (404), and a unit
    that is no member of the plan has none (404)."""
    owner = owner_of(actor)
    if owner is None:
        if may(actor, READ_ALL_SUBMITTED):
            raise PermissionDenied
        raise Http404
    if owner.unit_id and owner.unit_id not in units_writing_plans(plan):
        raise Http404  # a unit that answers for no part of the plan (a predecessor: its successor)
    return owner


def _locked(actor, line_id: int, action: str) -> FundingLine:
    """The line, locked for the transaction, if the actor sees it (else 404) and may ``action`` it
    (else 403: the Office and auditors read every line and change none)."""
    record = (
        FundingLine.objects.restrict(actor, VIEW)
        .select_for_update(of=("self",))
        .select_related("plan", "area")
        .filter(pk=line_id)
        .first()
    )
    if record is None:
        raise Http404
    if not allows(actor, action, record):
        raise PermissionDenied
    return record


@transaction.atomic
def funding_line_add(*, actor, plan: Plan, line: FundingInput) -> FundingLine:
    """Add a line for the actor's own unit or province."""
    owner = _writer(actor, plan)
    _validate(plan, line)
    record = FundingLine(
        plan=plan, updated_at=clock.now(), updated_by=actor, version=1, **owner.fields, **_values(line)
    )
    record.save()
    change_record(actor=actor, obj=record, action="created", changes=field_changes({}, _snapshot(record)))
    return record


@transaction.atomic
def funding_line_change(*, actor, line_id: int, version: int | None, line: FundingInput) -> FundingLine:
    """Change one of the actor's lines read at ``version``; a change that changes nothing is not
    saved (no new version, nothing in the history)."""
    record = _locked(actor, line_id, CHANGE)
    check_version(record, version)
    _validate(record.plan, line)
    before = _snapshot(record)
    values = _values(line)
    saved = {name: getattr(record, name) for name in values if name != "area"}
    saved["area"] = record.area if record.area_id else None
    changed = [name for name, value in values.items() if saved[name] != value]
    if not changed:
        return record
    for name in changed:
        setattr(record, name, values[name])
    record.version += 1
    record.updated_at, record.updated_by = clock.now(), actor
    record.save()
    change_record(actor=actor, obj=record, action="edited", changes=field_changes(before, _snapshot(record)))
    return record


@transaction.atomic
def funding_line_delete(*, actor, line_id: int, version: int | None) -> None:
    """Remove one of the actor's lines read at ``version``; its history keeps what it held."""
    record = _locked(actor, line_id, DELETE)
    check_version(record, version)
    held = _snapshot(record)
    gone = field_changes(held, dict.fromkeys(held))  # each value it held, to nothing
    change_record(actor=actor, obj=record, action="deleted", changes=gone)
    record.delete()
