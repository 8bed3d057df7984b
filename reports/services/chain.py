"""The reporting chain's own steps: what a level needs from the divisions below it before it
submits, the totals it submits, the divisions it marks as having nothing to report, and the lock
exceptions it grants them.

Every function that writes takes the acting user, runs inside one transaction and re-checks that
the actor reports for the level directly above the division concerned.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.http import Http404
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agencies.models import Division
from core import clock
from core.choices import EDITABLE_STATES, ReviewState
from core.history import change_record
from core.workflow import WorkflowError
from measures.models import QuarterlyFigure, ReportingPeriod
from reports.models import LockException, NothingToReport, QuarterlyReport, QuarterlyTotal
from reports.models.chain import collects, reporter_division, reporting_children, reporting_parent

# The longest a reason or a comment may be (the forms and the API say so, naming the field).
MAX_TEXT = 5000
# The latest a lock exception may run, from the day it is granted.
EXCEPTION_MAX_DAYS = 90
# How long an unapproved report below the province stays open after its lock date, by default.
EXCEPTION_DAYS = 7


def below_totals(children: list[Division], period: ReportingPeriod) -> dict[str, int]:
    """The sum of the approved reports' totals of ``children`` for the quarter, by figure code."""
    rows = (
        QuarterlyTotal.objects.filter(
            report__division__in=children, report__period=period, report__state=ReviewState.ACCEPTED
        )
        .values("figure__code")
        .annotate(total=Sum("value"))
    )
    return {row["figure__code"]: row["total"] for row in rows}


def below_missing(children: list[Division], period: ReportingPeriod) -> list[Division]:
    """The divisions among ``children`` with neither an approved report nor a "nothing to report"
    mark for the quarter (two queries)."""
    done = set(
        QuarterlyReport.objects.filter(
            division__in=children, period=period, state=ReviewState.ACCEPTED
        ).values_list("division_id", flat=True)
    ) | set(
        NothingToReport.objects.filter(division__in=children, period=period).values_list(
            "division_id", flat=True
        )
    )
    return [child for child in children if child.pk not in done]


def require_below_complete(children: list[Division], period: ReportingPeriod) -> None:
    """Refuse submitting a level's report while a division below it has no approved report and is
    not marked as having nothing to report; the refusal names them."""
    missing = below_missing(children, period)
    if missing:
        raise WorkflowError(
            _(
                "Every division below must have an approved report, or be marked as having nothing "
                "to report, before this report is submitted. Not yet: %(divisions)s."
            )
            % {"divisions": _(", ").join(str(d) for d in missing)}
        )


def levels_above(division: Division) -> list[Division]:
    """The levels ``division`` reports through, nearest first, up to its province (none for a
    province). One query per level (two at most)."""
    above = []
    parent = reporting_parent(division)
    while parent is not None:
        above.append(parent)
        parent = reporting_parent(parent)
    return above


def require_reports_up(division: Division, period: ReportingPeriod | None = None) -> None:
    """Refuse a report of a division below the province when a level above it reports alone:
    nobody collects its report. A county straight under a province (仙桃市) reports to the
    province like a prefecture; a division whose level above stopped collecting has no report to
    make any more (its saved reports stay as they are)."""
    below = division
    for above in levels_above(division):
        if not collects(above, period):
            raise WorkflowError(
                _(
                    "%(above)s reports alone and collects no reports from the divisions below it: "
                    "%(division)s has no report to make."
                )
                % {"above": above, "division": below}
            )
        below = above


def require_above_open(division: Division, period: ReportingPeriod) -> None:
    """Refuse a change below a level that has already submitted (or had accepted) its report: its
    approval locks everything below it until it is returned or reopened. Every level above counts,
    not only the nearest: a prefecture marked "nothing to report" has no report that would lock
    its counties, its province's does."""
    above = levels_above(division)
    if not above:
        return
    locked = dict(
        QuarterlyReport.objects.filter(division__in=above, period=period)
        .exclude(state__in=EDITABLE_STATES)
        .values_list("division_id", "state")
    )
    for level in above:  # the nearest is named
        if level.pk in locked:
            raise WorkflowError(
                _(
                    "%(division)s has already submitted its report for %(period)s, which locks the "
                    "reports below it. It must be returned or reopened first."
                )
                % {"division": level, "period": period}
            )


def require_not_marked(division: Division, period: ReportingPeriod) -> None:
    """Refuse submitting a report of a division the level above marked as having nothing to report
    (the level above would leave it out of its totals): the mark must be cleared first."""
    mark = NothingToReport.objects.filter(division=division, period=period).first()
    if mark is not None:
        raise WorkflowError(
            _(
                "%(above)s has marked %(division)s as having nothing to report for %(period)s. Ask "
                "them to clear the mark before submitting."
            )
            % {"above": reporting_parent(division), "division": division, "period": period}
        )


def lock_level(division: Division) -> None:
    """Take the level's lock for the transaction: its submission and its decisions on the level
    below (approving, unapproving, returning, marking) run one after the other, so that neither
    reads the other's states before they are committed (the division's row, FOR NO KEY UPDATE:
    rows that merely refer to the division are not held up)."""
    list(Division.objects.select_for_update(no_key=True).filter(pk=division.pk).values_list("pk", flat=True))


def totals_write(report: QuarterlyReport, children: list[Division]) -> dict[str, int]:
    """Write the report's totals (its own figures plus the approved reports' totals below it) and
    return them by figure code; a figure it has no value of counts 0 for a level that collects."""
    figures = list(QuarterlyFigure.objects.filter(plan_id=report.period.plan_id))
    own = {v.figure_id: v.value for v in report.values.all()}
    below = below_totals(children, report.period) if children else {}
    totals = {f.code: own.get(f.pk, 0) + below.get(f.code, 0) for f in figures if f.pk in own or children}
    report.totals.all().delete()
    QuarterlyTotal.objects.bulk_create(
        QuarterlyTotal(report=report, figure=f, value=totals[f.code]) for f in figures if f.code in totals
    )
    return totals


def snapshot_values(report: QuarterlyReport) -> dict[str, object]:
    """What an approval is compared with later: the report's figures and narratives, by key."""
    values = {f"figures.{code}": value for code, value in report.values.values_list("figure__code", "value")}
    texts = {f"narratives.{seq}": text for seq, text in report.narratives.values_list("area__seq", "text")}
    return {**values, **texts}


def changes_since_approval(report: QuarterlyReport, current: dict[str, object] | None = None) -> int | None:
    """How many values differ from the last approval (or acceptance); None if never approved.

    ``current`` is the report's ``snapshot_values`` if already read (saves two queries)."""
    if not report.approved_values:
        return None
    current = snapshot_values(report) if current is None else current
    keys = set(report.approved_values) | set(current)
    return sum(1 for key in keys if report.approved_values.get(key) != current.get(key))


def _require_text_bounded(text: str, field: str) -> None:
    if len(text) > MAX_TEXT:
        raise ValidationError({field: [_("Keep it to %(count)d characters at most.") % {"count": MAX_TEXT}]})


def _require_level_above(actor, division: Division) -> Division:
    """The actor's division, if it is the level directly above ``division`` (else 404: the actor
    has nothing to do with it)."""
    mine = reporter_division(actor)
    if mine is None or reporting_parent(division) is None or division.parent_id != mine.pk:
        raise Http404
    return mine


def _child(actor, division_id: int, period: ReportingPeriod) -> Division:
    division = Division.objects.filter(pk=division_id).first()
    if division is None:
        raise Http404
    mine = _require_level_above(actor, division)
    if division not in reporting_children(mine, period):
        raise Http404
    return division


def _require_own_open(mine: Division, period: ReportingPeriod) -> None:
    """Refuse a change to the divisions below ``mine`` while its report (or one of a level above
    it) is submitted or accepted; takes the level's lock first."""
    lock_level(mine)
    own = QuarterlyReport.objects.select_for_update().filter(division=mine, period=period).first()
    if own is not None and own.state not in EDITABLE_STATES:
        raise WorkflowError(
            _("Your report for %(period)s is %(state)s: the divisions below it are locked.")
            % {"period": period, "state": own.state_label}
        )
    require_above_open(mine, period)


@transaction.atomic
def nothing_to_report_mark(
    *, actor, division_id: int, period: ReportingPeriod, reason: str
) -> NothingToReport:
    """The level above marks a division below it as having nothing to report for a quarter."""
    division = _child(actor, division_id, period)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why this division has nothing to report.")]})
    _require_text_bounded(reason, "reason")
    if not period.has_ended(clock.today()):
        raise WorkflowError(
            _("%(period)s has not ended yet: whether a division has anything to report is known after it.")
            % {"period": period}
        )
    _require_own_open(reporter_division(actor), period)
    report = QuarterlyReport.objects.filter(division=division, period=period).only("state").first()
    # A report sent up once (a returned one too) holds figures: it is decided on, never set aside.
    if report is not None and report.state != ReviewState.DRAFT:
        raise WorkflowError(
            _("%(division)s has sent its report for %(period)s: decide on it instead.")
            % {"division": division, "period": period}
        )
    mark, created = NothingToReport.objects.get_or_create(
        division=division,
        period=period,
        defaults={"reason": reason, "marked_by": actor, "marked_at": clock.now()},
    )
    if not created:
        raise WorkflowError(_("This division is already marked as having nothing to report."))
    change_record(actor=actor, obj=mark, action="created", changes={"reason": [None, reason]})
    return mark


@transaction.atomic
def nothing_to_report_clear(*, actor, mark_id: int) -> None:
    """The level above takes back a "nothing to report" mark (the division reports after all)."""
    mark = NothingToReport.objects.restrict(actor, "change").select_for_update().filter(pk=mark_id).first()
    if mark is None:
        raise Http404
    _require_own_open(reporter_division(actor), mark.period)
    change_record(actor=actor, obj=mark, action="deleted", changes={"reason": [mark.reason, None]})
    mark.delete()


def exception_open_until(division: Division, period: ReportingPeriod) -> dt.date | None:
    """The latest date a lock exception keeps the quarter open for ``division`` (None if none)."""
    return LockException.objects.filter(division=division, period=period).granted_until().get(period.pk)


@transaction.atomic
def lock_exception_grant(
    *, actor, division_id: int, period: ReportingPeriod, open_until: dt.date | None, reason: str
) -> LockException:
    """The level above lets a division below it submit a locked quarter until a date."""
    division = _child(actor, division_id, period)
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = [_("Say why the quarter is opened again for this division.")]
    elif len(reason) > MAX_TEXT:
        errors["reason"] = [_("Keep it to %(count)d characters at most.") % {"count": MAX_TEXT}]
    latest = clock.today() + dt.timedelta(days=EXCEPTION_MAX_DAYS)
    if open_until is None:
        errors["open_until"] = [_("Choose the last day the quarter stays open.")]
    elif open_until < clock.today():
        errors["open_until"] = [_("Choose a date from today on.")]
    elif open_until > latest:
        errors["open_until"] = [
            _("Choose a date by %(date)s: an exception is for a late report, not a new deadline.")
            % {"date": date_format(latest)}
        ]
    if errors:
        raise ValidationError(errors)
    if not period.has_ended(clock.today()):
        raise WorkflowError(_("%(period)s has not ended yet: it is open.") % {"period": period})
    # Once the level's own report is sent up, nothing below it may change (a late report neither).
    _require_own_open(reporter_division(actor), period)
    exception = LockException.objects.create(
        division=division,
        period=period,
        open_until=open_until,
        reason=reason,
        granted_by=actor,
        granted_at=clock.now(),
    )
    change_record(
        actor=actor,
        obj=exception,
        action="granted",
        changes={"open_until": [None, str(open_until)]},
        comment=reason,
    )
    return exception


def lock_exception_after_unapprove(*, actor, report: QuarterlyReport, reason: str) -> LockException:
    """An unapproved report below the province can be corrected even if the quarter is locked by
    now: the level above grants it a week (inside the unapprove's transaction; kept in the
    history as a grant of its own)."""
    exception = LockException.objects.create(
        division=report.division,
        period=report.period,
        open_until=clock.today() + dt.timedelta(days=EXCEPTION_DAYS),
        reason=reason,
        granted_by=actor,
        granted_at=clock.now(),
    )
    change_record(
        actor=actor,
        obj=exception,
        action="granted",
        changes={"open_until": [None, str(exception.open_until)]},
        comment=reason,
    )
    return exception
