"""The progress workflow: units log and submit entries; the IMCS Office accepts or returns them.

The steps are the reviewed records' skeleton (``core.workflow``); ``PROGRESS_ENTRY`` states what is
particular to progress entries, and this module adds what only they have: a unit's role on the
measure, figures and evidence files. Every function takes the acting user, runs in one transaction,
re-checks the user's rights on the locked row inside it, and keeps the change in the history in
that same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from core import clock
from core.history import field_changes
from core.permissions import LOG_PROGRESS, may
from core.uploads import check_document
from core.workflow import (
    ReviewedRecordType,
    check_version,
    record_decide,
    record_lock,
    record_open,
    record_save,
    record_saved,
    record_submit_saved,
    values_save,
)
from measures.choices import MAX_FIGURE, ProgressStatus, ResponsibilityRole
from measures.models import (
    EvidenceFile,
    FigureDefinition,
    Measure,
    ProgressEntry,
    ReportingPeriod,
)
from measures.selectors.implementation import own_lines
from measures.selectors.lineage import Lineage

# A save that leaves the entry's line of the implementation plan as it is (the API's update
# without ``plan_line``).
UNCHANGED = object()

PROGRESS_ENTRY = ReviewedRecordType(
    model=ProgressEntry,
    owner_capability=LOG_PROGRESS,
    owner_field="unit_id",
    titles={
        "accept": gettext_noop("Your entry on %(measure)s for %(period)s was accepted"),
        "return": gettext_noop(
            "Your entry on %(measure)s for %(period)s was returned: please fix and resubmit"
        ),
    },
    comment_required={
        "return": gettext_lazy("Say what the unit should fix: a returned entry needs a comment."),
    },
    notice_params=lambda entry: {"measure": entry.measure.label, "period": entry.period},
    link=lambda entry: reverse("measures:entry", kwargs={"pk": entry.pk}),
)


def _responsibility_role(actor, measure: Measure, period: ReportingPeriod) -> str:
    """The role in which the actor's unit answers for the measure in the period: its own, or that of
    the predecessor whose responsibility passed to it (``selectors.lineage``); 404 if the unit does
    not answer for it then (or the actor is no liaison). A predecessor's liaison cannot log for a
    period its successor answers for."""
    if not may(actor, LOG_PROGRESS):
        raise PermissionDenied
    answer = Lineage.of_plan(measure.plan_id, unit_ids=[actor.unit_id]).answer(
        actor.unit_id, measure.pk, period
    )
    if answer is None:
        raise Http404
    return answer.role


def _validate(entry: ProgressEntry, figure_values: dict, *, evidence_count: int, submitting: bool) -> None:
    errors: dict[str, list[str]] = {}
    if entry.role == ResponsibilityRole.COOPERATING and entry.status:
        errors.setdefault("status", []).append(
            _("A cooperating unit reports its contribution, not the measure's status.")
        )
    if entry.status and entry.status not in ProgressStatus.values:
        errors.setdefault("status", []).append(_("Choose a status from the list."))
    if entry.status == ProgressStatus.COMPLETED and evidence_count == 0:
        errors.setdefault("evidence", []).append(
            _("Marking a measure completed requires at least one evidence file.")
        )
    for code, value in figure_values.items():
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_FIGURE
        ):
            errors.setdefault(f"figure_{code}", []).append(_("Enter a whole number, 0 or more."))
    if submitting:
        period = entry.period
        if not period.has_ended(clock.today()):
            # An entry reports on a quarter: it can be judged only once the quarter is over.
            errors.setdefault("period", []).append(
                _(
                    "%(period)s has not ended yet: the entry can be submitted from %(date)s. "
                    "Save it as a draft until then."
                )
                % {"period": period, "date": date_format(period.submittable_from)}
            )
        if entry.role == ResponsibilityRole.RESPONSIBLE and not entry.status:
            errors.setdefault("status", []).append(_("Choose the measure's status before submitting."))
        if not entry.narrative.strip():
            errors.setdefault("narrative", []).append(_("Describe the progress before submitting."))
    if errors:
        raise ValidationError(errors)


def _duplicate_files(checked_files, before_files, remove_ids) -> list[str]:
    """Refuse a file whose content (SHA-256) the entry already holds, or that was chosen twice.

    Refused rather than skipped, like every other bad file: the save is all or nothing, and the
    message names the file already there, so the user sees it is the same document.
    """
    kept = {sha: name for pk, name, sha in before_files if pk not in remove_ids}
    chosen: dict[str, str] = {}
    errors = []
    for upload, _content_type, sha256 in checked_files:
        if sha256 in kept:
            errors.append(
                _(
                    "“%(file)s” is the same file as “%(earlier)s”, already attached to this entry: "
                    "it is not attached twice."
                )
                % {"file": upload.name, "earlier": kept[sha256]}
            )
        elif sha256 in chosen:
            errors.append(
                _("“%(file)s” is the same file as “%(earlier)s”: choose it once.")
                % {"file": upload.name, "earlier": chosen[sha256]}
            )
        else:
            chosen[sha256] = upload.name
    return errors


def _own_line(actor, measure: Measure, line_id: int | None):
    """The line of the actor's unit's implementation plan on ``measure`` an entry reports on (none:
    no line); another line, even another unit's, is refused naming the field."""
    if line_id is None:
        return None
    line = own_lines(actor, measure.plan_id, measure_id=measure.pk).filter(pk=line_id).first()
    if line is None:
        raise ValidationError(
            {"plan_line": [_("Choose a line of your unit's implementation plan on this measure.")]}
        )
    return line


def _figures_snapshot(entry: ProgressEntry) -> dict[str, int]:
    return {f.definition.code: f.value for f in entry.figures.select_related("definition")}


@transaction.atomic
def progress_entry_save(
    *,
    actor,
    measure: Measure,
    period: ReportingPeriod,
    status: str,
    narrative: str,
    figures: dict[str, int | None],
    version: int | None,
    new_files: Iterable = (),
    remove_file_ids: Iterable[int] = (),
    submit: bool = False,
    entry_id: int | None = None,
    plan_line_id=UNCHANGED,
) -> ProgressEntry:
    """Create or update the actor's unit's entry on ``measure`` for ``period``; optionally submit it.

    ``entry_id`` names the entry the caller means to change (the API's ``PUT /entries/{id}``): it
    must be the actor's unit's entry on that measure and period. All or nothing: a bad value, a bad
    file or a stale ``version`` leaves the entry as it was.
    """
    if entry_id is not None:
        target = record_lock(PROGRESS_ENTRY, actor, entry_id, change=True)
        if (target.measure_id, target.period_id) != (measure.pk, period.pk):
            raise ValidationError({"measure": [_("An entry cannot be moved to another measure or period.")]})
    role = _responsibility_role(actor, measure, period)
    if period.plan_id != measure.plan_id or period.starts_on > clock.today():
        raise ValidationError({"period": [_("Progress can be logged only for periods that have begun.")]})
    existing = ProgressEntry.objects.filter(measure=measure, unit_id=actor.unit_id, period=period).first()
    now = clock.now()
    entry, created = record_open(
        PROGRESS_ENTRY, actor, existing, version=version, now=now,
        measure=measure, unit_id=actor.unit_id, period=period, role=role,
    )  # fmt: skip
    if created:
        before, before_figures, before_files = {}, {}, []
    else:
        before = {"status": entry.status, "narrative": entry.narrative}
        before_figures = _figures_snapshot(entry)
        before_files = list(entry.evidence.values_list("pk", "original_name", "sha256"))

    allowed = {d.code: d for d in FigureDefinition.objects.filter(measures=measure)}
    unknown = set(figures) - set(allowed)
    if unknown:
        raise ValidationError(
            {"figures": [_("Unknown figure(s) for this measure: %s") % ", ".join(sorted(unknown))]}
        )
    checked_files = []
    file_errors = []
    for upload in new_files:
        try:
            checked_files.append((upload, *check_document(upload, max_bytes=settings.EVIDENCE_MAX_BYTES)))
        except ValidationError as error:
            file_errors.extend(error.messages)
    remove_ids = set(remove_file_ids) & {pk for pk, _name, _sha in before_files}
    file_errors.extend(_duplicate_files(checked_files, before_files, remove_ids))
    if file_errors:
        raise ValidationError({"evidence": file_errors})

    entry.status, entry.narrative = status or "", narrative or ""
    evidence_count = len(before_files) - len(remove_ids) + len(checked_files)
    _validate(entry, figures, evidence_count=evidence_count, submitting=submit)

    before_line = str(entry.plan_line) if entry.plan_line_id else None
    if plan_line_id is not UNCHANGED:
        entry.plan_line = _own_line(actor, measure, plan_line_id)

    record_save(entry, actor=actor, now=now)
    values_save(entry.figures, key_field="definition", keys=allowed, given=figures, saved=before_figures)
    EvidenceFile.objects.filter(entry=entry, pk__in=remove_ids).delete()
    for upload, content_type, sha256 in checked_files:
        EvidenceFile.objects.create(
            entry=entry,
            file=upload,
            original_name=upload.name[:255],
            content_type=content_type,
            size=upload.size,
            sha256=sha256,
            uploaded_by=actor,
            uploaded_at=now,
        )

    after_figures = {**before_figures, **figures}
    changes = field_changes(
        {
            **before,
            "plan_line": before_line,
            **{f"figures.{code}": value for code, value in before_figures.items()},
        },
        {
            "plan_line": str(entry.plan_line) if entry.plan_line_id else None,
            "status": entry.status,
            "narrative": entry.narrative,
            **{f"figures.{code}": value for code, value in after_figures.items()},
        },
    )
    added = [upload.name for upload, *_rest in checked_files]
    removed = [name for pk, name, _sha in before_files if pk in remove_ids]
    if added:
        changes["evidence.added"] = [None, ", ".join(added)]
    if removed:
        changes["evidence.removed"] = [", ".join(removed), None]
    record_saved(actor=actor, record=entry, created=created, changes=changes, submit=submit, now=now)
    return entry


@transaction.atomic
def progress_entry_submit(*, actor, entry_id: int, version: int | None) -> ProgressEntry:
    """Send a draft or returned entry to the Office, if it is complete."""
    entry = record_lock(PROGRESS_ENTRY, actor, entry_id, change=False)
    if not PROGRESS_ENTRY.owns(actor, entry):
        raise PermissionDenied
    check_version(entry, version)
    if entry.is_editable:
        _validate(entry, {}, evidence_count=entry.evidence.count(), submitting=True)
    record_submit_saved(actor=actor, record=entry, now=clock.now())
    return entry


@transaction.atomic
def progress_entry_accept(*, actor, entry_id: int, version: int | None, comment: str = "") -> ProgressEntry:
    """The Office accepts a submitted entry."""
    return record_decide(
        PROGRESS_ENTRY, actor=actor, record_id=entry_id, decision="accept", version=version, comment=comment
    )


@transaction.atomic
def progress_entry_return(*, actor, entry_id: int, version: int | None, comment: str) -> ProgressEntry:
    """The Office returns a submitted entry to its unit, saying what to fix."""
    return record_decide(
        PROGRESS_ENTRY, actor=actor, record_id=entry_id, decision="return", version=version, comment=comment
    )
