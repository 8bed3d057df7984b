"""Implementation plans (Part Five 1): a member unit or a province writes its plan (a summary, a
document, lines on the national plan's measures with yearly targets; a province's local measures
with targets per division), submits it; the IMCS Office accepts, returns or reopens it; after
acceptance the owner checks itself against the lines each year.

The steps are the reviewed records' skeleton (``core.workflow``); ``IMPLEMENTATION_PLAN`` states
what differs: its owner is a unit or a province (``measures.models.owners``), so it says itself who
owns a plan and whom to tell. A save is all or nothing: the plan, its lines and their targets are
written in one transaction after every line was checked, so a bad value on the third line saves no
line at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from agencies.choices import DivisionLevel
from agencies.models import Division
from core import clock
from core.choices import ReviewState
from core.history import change_record, field_changes, in_both_languages
from core.permissions import VIEW
from core.uploads import check_document
from core.workflow import (
    WorkflowError,
    check_version,
    record_decide,
    record_lock,
    record_open,
    record_save,
    record_saved,
    record_submit_saved,
)
from measures.choices import MAX_AMOUNT_DIGITS, LineKind, SelfCheckStatus
from measures.models import (
    ImplementationLine,
    ImplementationPlan,
    ImplementationTarget,
    Measure,
    Plan,
    SelfCheck,
)
from measures.models.owners import CoordinationRecordType, Owner, owner_of
from measures.selectors.lineage import units_writing_plans

# Bounds of one plan (a page or an API call sending more is told, naming the field).
MAX_LINES = 200
MAX_TARGETS_PER_LINE = 100
MAX_SUMMARY = 20000
MAX_TEXT = 5000
MAX_QUANTITY = 2_147_483_647
MAX_BUDGET = Decimal(10 ** (MAX_AMOUNT_DIGITS - 2)) - Decimal("0.01")


IMPLEMENTATION_PLAN = CoordinationRecordType(
    model=ImplementationPlan,
    owner_capability="",
    owner_field="",
    titles={
        "accept": gettext_noop("Your implementation plan of %(plan)s was accepted"),
        "return": gettext_noop("Your implementation plan of %(plan)s was returned: please fix and resubmit"),
        "reopen": gettext_noop("Your implementation plan of %(plan)s was reopened for correction"),
    },
    comment_required={
        "return": gettext_lazy("Say what should be fixed: a returned plan needs a comment."),
        "reopen": gettext_lazy("Give the reason for reopening an accepted plan."),
    },
    notice_params=lambda record: {"plan": record.plan.code},
    link=lambda record: reverse("measures:implementation_plan", kwargs={"pk": record.pk}),
)


@dataclass
class TargetInput:
    """A yearly target as given: for the whole unit or province, or for a division below the province."""

    year: int | None
    text: str
    division: Division | None = None
    quantity: int | None = None
    ref: str = ""  # where the target stands in the request, for naming its fields in a refusal


@dataclass
class LineInput:
    """A line as given; ``line_id`` names a saved line of this plan (kept, with its reports), none
    a new one."""

    measure: Measure | None
    text: str
    office_in_charge: str
    kind: str = LineKind.ACTION
    title: str = ""
    budget: Decimal | None = None
    targets: list[TargetInput] = field(default_factory=list)
    line_id: int | None = None
    ref: str = ""  # "lines.2" (the API) or "lines-2" (a page's formset): the refusal's field names


def _line_ref(line: LineInput, index: int) -> str:
    return line.ref or f"lines.{index}"


def _target_ref(target: TargetInput, line_ref: str, index: int) -> str:
    return target.ref or f"{line_ref}.targets.{index}"


def _check_text(errors, key: str, value: str, *, limit: int, required: str | None = None) -> None:
    if required and not value.strip():
        errors.setdefault(key, []).append(required)
    elif len(value) > limit:
        errors.setdefault(key, []).append(_("Keep this to %(count)d characters at most.") % {"count": limit})


def _validate_lines(plan: ImplementationPlan, lines: list[LineInput], saved_ids: set[int]) -> None:
    """Every refusal at once, each by the field it names (``lines.2.budget``)."""
    errors: dict[str, list[str]] = {}
    if len(lines) > MAX_LINES:
        raise ValidationError({"lines": [_("A plan holds at most %(count)d lines.") % {"count": MAX_LINES}]})
    years = set(plan.plan.years)
    seen_ids = set()
    for index, line in enumerate(lines):
        ref = _line_ref(line, index)
        if line.line_id is not None:
            if line.line_id not in saved_ids or line.line_id in seen_ids:
                errors.setdefault(f"{ref}.id", []).append(_("This is not a line of this plan."))
            seen_ids.add(line.line_id)
        if line.measure is None or line.measure.plan_id != plan.plan_id:
            errors.setdefault(f"{ref}.measure", []).append(_("Choose a measure of the national plan."))
        if line.kind not in LineKind.values:
            errors.setdefault(f"{ref}.kind", []).append(_("Choose a kind from the list."))
        elif line.kind == LineKind.LOCAL_MEASURE and not plan.province_id:
            errors.setdefault(f"{ref}.kind", []).append(
                _("Local measures (实施细则) are added by a province beneath a national measure.")
            )
        _check_text(errors, f"{ref}.title", line.title, limit=200)
        _check_text(errors, f"{ref}.text", line.text, limit=MAX_TEXT, required=_("Say what will be done."))
        _check_text(
            errors,
            f"{ref}.office_in_charge",
            line.office_in_charge,
            limit=200,
            required=_("Name the office in charge."),
        )
        if line.budget is not None and (
            not Decimal(0) <= line.budget <= MAX_BUDGET or line.budget.as_tuple().exponent < -2
        ):
            errors.setdefault(f"{ref}.budget", []).append(
                _("Enter an amount in yuan, 0 or more (at most %(max)s).") % {"max": f"{MAX_BUDGET:,.2f}"}
            )
        if len(line.targets) > MAX_TARGETS_PER_LINE:
            errors.setdefault(f"{ref}.targets", []).append(
                _("A line holds at most %(count)d targets.") % {"count": MAX_TARGETS_PER_LINE}
            )
            continue
        keys = set()
        for t_index, target in enumerate(line.targets):
            t_ref = _target_ref(target, ref, t_index)
            if target.year not in years:
                errors.setdefault(f"{t_ref}.year", []).append(
                    _("Choose a year of the plan (%(first)d–%(last)d).")
                    % {"first": plan.plan.start_year, "last": plan.plan.end_year}
                )
            if target.division is not None:
                if line.kind != LineKind.LOCAL_MEASURE:
                    errors.setdefault(f"{t_ref}.division", []).append(
                        _("Targets per division are set on a province's local measures.")
                    )
                elif (
                    not plan.province_id
                    or target.division.level == DivisionLevel.PROVINCE
                    or target.division.province_code != plan.province.code
                ):
                    errors.setdefault(f"{t_ref}.division", []).append(
                        _("Choose a division below %(province)s.") % {"province": plan.owner}
                    )
            _check_text(
                errors, f"{t_ref}.text", target.text, limit=500, required=_("Say what the target is.")
            )
            if target.quantity is not None and not 0 <= target.quantity <= MAX_QUANTITY:
                errors.setdefault(f"{t_ref}.quantity", []).append(_("Enter a whole number, 0 or more."))
            key = (target.year, target.division.pk if target.division else None)
            if key in keys:
                errors.setdefault(f"{t_ref}.year", []).append(
                    _("This line has a target for that year (and division) already.")
                )
            keys.add(key)
    if errors:
        raise ValidationError(errors)


def _target_text(target) -> str:
    where = f"{target.division.name} " if target.division else ""
    quantity = f" ({target.quantity})" if target.quantity is not None else ""
    return f"{target.year} {where}{target.text}{quantity}"


def _line_text(line) -> str:
    """A line as the history shows it: measure, kind, title, what, office, budget, targets."""
    parts = [line.measure.label]
    if line.kind == LineKind.LOCAL_MEASURE:
        parts.append(str(LineKind.LOCAL_MEASURE.label))
    parts += [p for p in (line.title, line.text, line.office_in_charge) if p]
    if line.budget is not None:
        parts.append(f"¥{line.budget:,.2f}")
    return " · ".join(parts)


def _targets_of(targets) -> list[tuple]:
    return sorted((t.year, t.division.pk if t.division else 0, t.text, t.quantity) for t in targets)


def _snapshot(plan: ImplementationPlan, lines) -> dict:
    values = {"summary": plan.summary, "document": plan.document_name}
    for line in lines:
        targets = sorted(line.targets.all(), key=lambda t: (t.year, t.division.code if t.division else ""))
        values[f"lines.{line.seq}"] = in_both_languages(lambda line=line: _line_text(line))
        values[f"lines.{line.seq}.targets"] = in_both_languages(
            lambda targets=targets: "; ".join(_target_text(t) for t in targets)
        )
    return values


def _saved_lines(plan: ImplementationPlan) -> list[ImplementationLine]:
    return list(
        ImplementationLine.objects.filter(implementation_plan=plan)
        .select_related("measure")
        .prefetch_related("targets__division")
    )


def _require_owner(actor, plan: Plan) -> Owner:
    """The actor's unit or province, if it writes an implementation plan of ``plan`` (403 for a
    role that writes none; 404 for a unit that writes none of the plan: ``units_writing_plans``)."""
    owner = owner_of(actor)
    if owner is None:
        raise PermissionDenied
    if owner.unit_id and owner.unit_id not in units_writing_plans(plan):
        raise Http404  # a unit that answers for no part of the plan (a predecessor: its successor)
    return owner


def _owned_plan(actor, plan: Plan) -> ImplementationPlan | None:
    owner = _require_owner(actor, plan)
    return ImplementationPlan.objects.filter(owner.q(), plan=plan).first()


def _check_document(upload) -> tuple[str, str]:
    try:
        return check_document(upload, max_bytes=settings.EVIDENCE_MAX_BYTES)
    except ValidationError as error:
        raise ValidationError({"document": error.messages}) from error


@transaction.atomic
def implementation_plan_save(
    *,
    actor,
    plan: Plan,
    summary: str,
    lines: list[LineInput],
    version: int | None,
    document=None,
    remove_document: bool = False,
    submit: bool = False,
    record_id: int | None = None,
) -> ImplementationPlan:
    """Create or update the actor's unit's or province's implementation plan of ``plan``: its
    summary, document and the whole list of its lines (a saved line left out is removed; a line with
    its ``line_id`` keeps its reports), each line's targets as given; optionally submit it.

    ``record_id`` names the plan the caller means to change (the API's ``PUT``). All or nothing: a
    bad value anywhere, a bad file or a stale ``version`` leaves the plan as it was.
    """
    existing = _owned_plan(actor, plan)
    if record_id is not None and (existing is None or existing.pk != record_id):
        record_lock(IMPLEMENTATION_PLAN, actor, record_id, change=True)  # 404, 403 or why not
        raise Http404
    owner = owner_of(actor)
    now = clock.now()
    record, created = record_open(
        IMPLEMENTATION_PLAN, actor, existing, version=version, now=now, plan=plan, **owner.fields
    )
    saved = [] if created else _saved_lines(record)
    before = {} if created else _snapshot(record, saved)
    errors: dict[str, list[str]] = {}
    _check_text(errors, "summary", summary or "", limit=MAX_SUMMARY)
    if errors:
        raise ValidationError(errors)
    _validate_lines(record, lines, {line.pk for line in saved})
    checked = _check_document(document) if document else None

    if submit and not lines:
        raise ValidationError({"lines": [_("Add at least one line before submitting.")]})

    record.summary = (summary or "").strip()
    if (checked or remove_document) and record.document:
        old_file = record.document.name
        # The old file goes once the change is kept (a rolled-back save keeps it).
        transaction.on_commit(lambda: record.document.storage.delete(old_file))
        record.document, record.document_name = "", ""
        record.document_type, record.document_sha256 = "", ""
    if checked:
        record.document = document
        record.document_name = document.name[:255]
        record.document_type, record.document_sha256 = checked
    record_save(record, actor=actor, now=now)
    _lines_write(record, lines, {line.pk: line for line in saved})
    changes = field_changes(before, _snapshot(record, _saved_lines(record)))
    record_saved(actor=actor, record=record, created=created, changes=changes, submit=submit, now=now)
    return record


def _lines_write(record: ImplementationPlan, lines: list[LineInput], saved: dict) -> None:
    """Write the lines as given: remove those left out, update the kept ones, add the new ones;
    a line's targets are replaced when they differ."""
    kept = {line.line_id for line in lines if line.line_id}
    ImplementationLine.objects.filter(implementation_plan=record).exclude(pk__in=kept).delete()
    next_seq = max((row.seq for pk, row in saved.items() if pk in kept), default=0) + 1
    for line in lines:
        values = {
            "measure": line.measure,
            "kind": line.kind,
            "title": line.title.strip(),
            "text": line.text.strip(),
            "office_in_charge": line.office_in_charge.strip(),
            "budget": line.budget,
        }
        row = saved.get(line.line_id)
        if row is None:
            row = ImplementationLine.objects.create(implementation_plan=record, seq=next_seq, **values)
            next_seq += 1
            before_targets = []
        else:
            changed = [name for name, value in values.items() if getattr(row, name) != value]
            for name in changed:
                setattr(row, name, values[name])
            if changed:
                row.save(update_fields=changed)
            before_targets = _targets_of(row.targets.all())
        given = [
            ImplementationTarget(
                line=row,
                year=t.year,
                division=t.division,
                text=t.text.strip(),
                quantity=t.quantity,
            )
            for t in line.targets
        ]
        if _targets_of(given) != before_targets:
            row.targets.all().delete()
            ImplementationTarget.objects.bulk_create(given)


@transaction.atomic
def implementation_plan_submit(*, actor, record_id: int, version: int | None) -> ImplementationPlan:
    """Send a draft or returned plan to the Office; it needs at least one line."""
    record = record_lock(IMPLEMENTATION_PLAN, actor, record_id, change=False)
    if not IMPLEMENTATION_PLAN.owns(actor, record):
        raise PermissionDenied
    check_version(record, version)
    if record.is_editable and not record.lines.exists():
        raise ValidationError({"lines": [_("Add at least one line before submitting.")]})
    record_submit_saved(actor=actor, record=record, now=clock.now())
    return record


@transaction.atomic
def implementation_plan_accept(*, actor, record_id: int, version: int | None, comment: str = ""):
    """The Office accepts a submitted plan (it is frozen until reopened)."""
    return record_decide(
        IMPLEMENTATION_PLAN,
        actor=actor,
        record_id=record_id,
        decision="accept",
        version=version,
        comment=comment,
    )


@transaction.atomic
def implementation_plan_return(*, actor, record_id: int, version: int | None, comment: str):
    """The Office returns a submitted plan to its owner, saying what to fix."""
    return record_decide(
        IMPLEMENTATION_PLAN,
        actor=actor,
        record_id=record_id,
        decision="return",
        version=version,
        comment=comment,
    )


@transaction.atomic
def implementation_plan_reopen(*, actor, record_id: int, version: int | None, comment: str):
    """The Office reopens an accepted plan for correction, giving the reason."""
    return record_decide(
        IMPLEMENTATION_PLAN,
        actor=actor,
        record_id=record_id,
        decision="reopen",
        version=version,
        comment=comment,
    )


@dataclass
class SelfCheckInput:
    line_id: int
    status: str  # "" clears the line's self-check of the year
    note: str = ""


def self_check_years(record: ImplementationPlan) -> list[int]:
    """The years a self-check may be written for: the plan's years that have begun."""
    return [year for year in record.plan.years if year <= clock.today().year]


@transaction.atomic
def self_checks_save(*, actor, record_id: int, year: int, checks: list[SelfCheckInput]) -> ImplementationPlan:
    """The owner's self-check of an accepted plan for ``year``: a status and a note per line (an
    empty status removes the line's check). Kept in the plan's history; unchanged lines are skipped."""
    record = (
        ImplementationPlan.objects.restrict(actor, VIEW)
        .select_for_update(of=("self",))
        .select_related("plan")
        .filter(pk=record_id)
        .first()
    )
    if record is None:
        raise Http404
    if not IMPLEMENTATION_PLAN.owns(actor, record):
        raise PermissionDenied
    if record.state != ReviewState.ACCEPTED:
        raise WorkflowError(_("A self-check is written once the Office has accepted the plan."))
    if year not in self_check_years(record):
        raise ValidationError({"year": [_("Choose a year of the plan that has begun.")]})
    lines = {line.pk: line for line in record.lines.select_related("measure")}
    if len(checks) > len(lines):
        raise ValidationError({"checks": [_("One check per line of the plan.")]})
    errors: dict[str, list[str]] = {}
    for check in checks:
        key = f"line_{check.line_id}"
        if check.line_id not in lines:
            errors.setdefault(key, []).append(_("This is not a line of this plan."))
        if check.status and check.status not in SelfCheckStatus.values:
            errors.setdefault(f"{key}_status", []).append(_("Choose a status from the list."))
        if not check.status and check.note.strip():
            errors.setdefault(f"{key}_status", []).append(_("Choose a status for the note."))
        _check_text(errors, f"{key}_note", check.note, limit=MAX_TEXT)
    if errors:
        raise ValidationError(errors)
    saved = {c.line_id: c for c in SelfCheck.objects.filter(line__in=lines, year=year)}
    now, changes = clock.now(), {}
    for check in checks:
        row, note = saved.get(check.line_id), check.note.strip()
        old = (row.status, row.note) if row else ("", "")
        if old == (check.status, note):
            continue
        label = SelfCheckStatus(check.status).label if check.status else ""
        old_label = SelfCheckStatus(old[0]).label if old[0] else ""
        changes[f"self_check.{year}.{check.line_id}"] = [
            " · ".join(p for p in (str(old_label), old[1]) if p) or None,
            " · ".join(p for p in (str(label), note) if p) or None,
        ]
        if not check.status:
            row.delete()
        else:
            SelfCheck.objects.update_or_create(
                line_id=check.line_id,
                year=year,
                defaults={"status": check.status, "note": note, "updated_at": now, "updated_by": actor},
            )
    if changes:
        change_record(actor=actor, obj=record, action="self_checked", changes=changes)
    return record
