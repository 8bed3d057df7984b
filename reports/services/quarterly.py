"""The quarterly report workflow: a reporting division fills and submits; the level above (the
Office, for a province) accepts (approves), returns, reopens (unapproves).

The steps are the reviewed records' skeleton (``core.workflow``); ``QUARTERLY_REPORT`` states what is
particular to quarterly reports, and this module adds what only they have: figures checked against
the plan's rules, a narrative per area, quarters that lock (and are reopened on request, or below
the province by a lock exception), and the chain below a province (``reports.services.chain``): a
level that collects submits only when everything below it is approved, its rules hold over its
totals, and its approval locks what is below it. Every
function takes the acting user, runs in one transaction, re-checks the user's rights on the
locked row inside it, and keeps the change in the history in that same transaction.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from agencies.models import Division
from core import clock
from core.history import change_record, field_changes
from core.notify import notify, people_with
from core.permissions import REPORT_QUARTERLY, REVIEW, may
from core.workflow import (
    EditConflict,
    ReviewedRecordType,
    WorkflowError,
    record_decide,
    record_open,
    record_save,
    record_saved,
    values_save,
)
from measures.choices import MAX_FIGURE, RuleImportance
from measures.models import Area, QuarterlyFigure, QuarterlyRule, ReportingPeriod
from measures.selectors.implementation import own_lines
from measures.services.implementation import MAX_LINES
from reports.choices import ReopenState
from reports.models import QuarterlyReport, ReopenRequest
from reports.models.chain import reporter_division, reporting_children, reporting_parent
from reports.models.quarterly import lock_date, open_until
from reports.services.chain import (
    below_totals,
    exception_open_until,
    lock_exception_after_unapprove,
    lock_level,
    require_above_open,
    require_below_complete,
    require_not_marked,
    require_reports_up,
    snapshot_values,
    totals_write,
)


def _decider(user, report) -> bool:
    """The Office decides on a province's report; a level's reporters on the reports directly below."""
    if report.is_provincial:
        return may(user, REVIEW)
    division = reporter_division(user)
    return division is not None and report.division.parent_id == division.pk


# What a division below the province is told of the level above's decisions on its report.
BELOW_PROVINCE_NOTICES = {
    "accept": gettext_noop("Your report for %(period)s was approved by %(above)s"),
    "return": gettext_noop("%(above)s returned your report for %(period)s: please correct and resubmit"),
    "reopen": gettext_noop("%(above)s unapproved your report for %(period)s for correction"),
    "comment": gettext_noop("Comment of %(above)s: %(comment)s"),
}

QUARTERLY_REPORT = ReviewedRecordType(
    model=QuarterlyReport,
    owner_capability=REPORT_QUARTERLY,
    owner_field="division_id",
    titles={
        "accept": gettext_noop("Your report for %(period)s was accepted"),
        "return": gettext_noop("Your report for %(period)s was returned: please correct and resubmit"),
        "reopen": gettext_noop("Your report for %(period)s was reopened for correction"),
    },
    comment_required={
        "return": gettext_lazy("Say what should be fixed: a returned report needs a comment."),
        "reopen": gettext_lazy("Give the reason for reopening an accepted report."),
    },
    notice_params=lambda report: {"period": report.period, "above": reporting_parent(report.division)},
    notice_wording=lambda report: {} if report.is_provincial else BELOW_PROVINCE_NOTICES,
    link=lambda report: reverse(
        "reports:report", kwargs={"division": report.division.code, "period": report.period.code}
    ),
    decider=_decider,
)


class PeriodLocked(WorkflowError):
    """The quarter is closed for the division: past its lock date, not reopened."""


def period_open_until(division: Division, period: ReportingPeriod) -> dt.date:
    """The last day the division may submit for the period: the lock date, or a later reopening
    (a province's, granted by the Office) or lock exception (below, granted by the level above)."""
    if reporting_parent(division) is not None:
        return max(lock_date(period), exception_open_until(division, period) or lock_date(period))
    granted = ReopenRequest.objects.filter(province__code=division.code, period=period).granted_until()
    return open_until(period, granted)


def require_open(division: Division, period: ReportingPeriod) -> None:
    today = clock.today()
    if period.starts_on > today:
        raise PeriodLocked(_("%(period)s has not begun yet.") % {"period": period})
    until = period_open_until(division, period)
    if today > until:
        since = date_format(until + dt.timedelta(days=1))
        if reporting_parent(division) is not None:
            raise PeriodLocked(
                _("%(period)s has been locked since %(date)s. Ask %(above)s for a lock exception.")
                % {"period": period, "date": since, "above": reporting_parent(division)}
            )
        raise PeriodLocked(
            _("%(period)s has been locked since %(date)s. Ask the IMCS Office to reopen it.")
            % {"period": period, "date": since}
        )


def require_ended(period: ReportingPeriod) -> None:
    """Refuse submitting a report on a quarter that has not ended: its figures cannot be complete.

    Saving a draft stays allowed meanwhile, so that a province may fill in as the quarter goes. The
    refusal names the period, as progress entries do (400 on the API, the message on top of a form).
    """
    if not period.has_ended(clock.today()):
        raise ValidationError(
            {
                "period": [
                    _("%(period)s has not ended yet: its report can be submitted from %(date)s.")
                    % {"period": period, "date": date_format(period.submittable_from)}
                ]
            },
            code="not_ended",
        )


def check_figures(
    period: ReportingPeriod,
    values: dict[str, int | None],
    *,
    submitting: bool,
    warnings_comment: str,
    below: dict[str, int] | None = None,
) -> list[QuarterlyRule]:
    """Refuse bad figures, naming each field; return the warnings that hold against the figures.

    Errors block saving and submitting; warnings block submitting until they are explained. For a
    level that collects from below, ``below`` holds what was approved below it (by figure code):
    its own figures may be left empty, and the rules hold over the totals (own plus below), added
    up only once each figure is known to be a number.
    """
    figures = {f.code: f for f in QuarterlyFigure.objects.filter(plan_id=period.plan_id)}
    errors: dict[str, list[str]] = {}
    for code in set(values) - set(figures):
        errors.setdefault("figures", []).append(_("Unknown figure: %s") % code)
    for code, value in values.items():
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_FIGURE
        ):
            errors.setdefault(code, []).append(_("Enter a whole number, 0 or more."))
    if submitting and below is None:
        for code in figures:
            if values.get(code) is None:
                errors.setdefault(code, []).append(_("Enter a number (0 if there were none)."))
    if errors:
        raise ValidationError(errors)
    totals = None
    if below is not None:
        totals = {code: (values.get(code) or 0) + below.get(code, 0) for code in figures}
    warnings = []
    for rule in QuarterlyRule.objects.filter(plan_id=period.plan_id):
        if rule.holds(values if totals is None else totals) is False:
            if rule.importance == RuleImportance.ERROR:
                errors.setdefault(rule.fields[0], []).append(rule.message)
            else:
                warnings.append(rule)
    if errors:
        raise ValidationError(errors)
    if submitting and warnings and not warnings_comment.strip():
        raise ValidationError(
            {
                "warnings_comment": [
                    _("Explain the warnings before submitting: %s") % " ".join(w.message for w in warnings)
                ]
            }
        )
    return warnings


def _own_lines(actor, division: Division, period: ReportingPeriod, line_ids: list[int] | None):
    """The lines of the province's implementation plan a province's report names (``None``: keep
    what is saved); a line of anyone else's plan, or a report below the province naming one, is
    refused naming the field."""
    if line_ids is None:
        return None
    if len(line_ids) > MAX_LINES:
        raise ValidationError({"plan_lines": [_("Choose at most %(count)d lines.") % {"count": MAX_LINES}]})
    ids = set(line_ids)
    lines = list(own_lines(actor, period.plan_id).filter(pk__in=ids)) if ids else []
    if len(lines) != len(ids) or (ids and reporting_parent(division) is not None):
        raise ValidationError({"plan_lines": [_("Choose lines of your province's implementation plan.")]})
    return lines


def _lines_text(lines) -> str | None:
    return "; ".join(sorted(str(line) for line in lines)) or None


def _saved(snapshot: dict, prefix: str) -> dict:
    """The snapshot's values under ``prefix`` (``figures.``), by their own key."""
    return {key.removeprefix(prefix): value for key, value in snapshot.items() if key.startswith(prefix)}


def _snapshot(report: QuarterlyReport) -> dict:
    values = {f"figures.{v.figure.code}": v.value for v in report.values.select_related("figure")}
    texts = {f"narratives.{n.area.seq}": n.text for n in report.narratives.select_related("area")}
    return {**values, **texts, "warnings_comment": report.warnings_comment}


@transaction.atomic
def quarterly_report_save(
    *,
    actor,
    period: ReportingPeriod,
    values: dict[str, int | None],
    narratives: dict[int, str],
    warnings_comment: str | None = None,
    version: int | None,
    submit: bool = False,
    report_id: int | None = None,
    plan_line_ids: list[int] | None = None,
) -> QuarterlyReport:
    """Create or update the actor's division's report for ``period``; optionally submit it.

    ``plan_line_ids``: the lines of the province's implementation plan the report is on (only the
    province's own report names them; ``None`` keeps what is saved).

    Values not given keep what is saved (``None`` clears one). All or nothing: a bad figure, a
    broken rule, a locked quarter, a quarter not yet ended (when submitting), a division below not
    yet approved (when submitting), a level above that has submitted already, or a stale
    ``version`` leaves the report as it was. Submitting writes the report's totals.
    """
    division = reporter_division(actor)
    if division is None:
        raise PermissionDenied
    existing = QuarterlyReport.objects.filter(division=division, period=period).first()
    if report_id is not None and (existing is None or existing.pk != report_id):
        raise Http404
    require_reports_up(division, period)
    require_open(division, period)
    if submit:
        require_ended(period)
        parent = reporting_parent(division)
        if parent is not None:  # not overtaken by a "nothing to report" mark of the level above
            lock_level(parent)
            require_not_marked(division, period)
    children = reporting_children(division, period)
    if children:  # its submission waits for (and is not overtaken by) its decisions on the level below
        lock_level(division)
    if submit and children:
        require_below_complete(children, period)
    now = clock.now()
    report, created = record_open(
        QUARTERLY_REPORT,
        actor,
        existing,
        version=version,
        now=now,
        province=actor.province,
        division=division,
        period=period,
    )
    require_above_open(division, period)  # after record_open: an approved report says so first
    before = {} if created else _snapshot(report)
    saved_values = _saved(before, "figures.")
    merged = {**saved_values, **values}
    if warnings_comment is None:  # not given (a spreadsheet has no place for it): keep what is saved
        warnings_comment = existing.warnings_comment if existing else ""
    below = below_totals(children, period) if children else None
    check_figures(period, merged, submitting=submit, warnings_comment=warnings_comment, below=below)
    areas = {a.seq: a for a in Area.objects.filter(plan_id=period.plan_id)}
    unknown_areas = set(narratives) - set(areas)
    if unknown_areas:
        raise ValidationError(
            {"narratives": [_("Unknown area(s): %s") % ", ".join(map(str, sorted(unknown_areas)))]}
        )

    lines = _own_lines(actor, division, period, plan_line_ids)
    if lines is not None:
        before["plan_lines"] = _lines_text(report.plan_lines.all()) if not created else None

    report.warnings_comment = warnings_comment.strip()
    record_save(report, actor=actor, now=now)
    if lines is not None:
        report.plan_lines.set(lines)
    figures = {f.code: f for f in QuarterlyFigure.objects.filter(plan_id=period.plan_id)}
    values_save(report.values, key_field="figure", keys=figures, given=values, saved=saved_values)
    values_save(
        report.narratives, key_field="area", value_field="text", keys=areas,
        given={seq: (text or "").strip() for seq, text in narratives.items()},
        saved={int(seq): text for seq, text in _saved(before, "narratives.").items()},
    )  # fmt: skip
    after = {
        **before,
        **{f"figures.{code}": value for code, value in values.items()},
        **{f"narratives.{seq}": (text or "").strip() for seq, text in narratives.items()},
        "warnings_comment": report.warnings_comment,
    }
    if lines is not None:
        after["plan_lines"] = _lines_text(lines)
    changes = field_changes(before, after)
    record_saved(actor=actor, record=report, created=created, changes=changes, submit=submit, now=now)
    if submit:
        totals_write(report, children)
    return report


def _decide(*, actor, report_id: int, decision: str, version: int | None, comment: str) -> QuarterlyReport:
    """One decision on a report, by the level that decides on it. Below the province the history
    says "approved" and "unapproved"; a decision is refused while the decider's own report for the
    quarter is submitted or accepted (its approval locks everything below it)."""
    report = QuarterlyReport.objects.restrict(actor).select_related("division").filter(pk=report_id).first()
    if report is None:
        raise Http404
    below_province = not report.is_provincial
    if below_province and QUARTERLY_REPORT.decides(actor, report):
        lock_level(report.division.parent)  # one after the other with the level's own submission
        require_above_open(report.division, report.period)
    words = {"accept": "approved", "reopen": "unapproved"} if below_province else {}
    return record_decide(
        QUARTERLY_REPORT,
        actor=actor,
        record_id=report_id,
        decision=decision,
        version=version,
        comment=comment,
        action=words.get(decision),
    )


@transaction.atomic
def quarterly_report_accept(
    *, actor, report_id: int, version: int | None, comment: str = ""
) -> QuarterlyReport:
    """The level above accepts (approves) a submitted report; it, and everything below it, is
    frozen from then on. What it held is kept, to count what changes after a later reopening."""
    report = _decide(actor=actor, report_id=report_id, decision="accept", version=version, comment=comment)
    report.approved_values = snapshot_values(report)
    report.save(update_fields=["approved_values"])
    return report


# The most reports one approval takes (each is decided in turn, in one transaction).
MAX_APPROVED_AT_ONCE = 200


@transaction.atomic
def quarterly_reports_approve(
    *, actor, versions: dict[int, int | None], comment: str = "", period: ReportingPeriod | None = None
) -> list[QuarterlyReport]:
    """Approve many submitted reports at once (``versions``: each report's id and the version the
    approver saw): all or none. A refusal names the report it is about. With ``period`` (a page of
    one quarter), a report of another quarter is not among those it may approve (404)."""
    if not versions:
        raise ValidationError({"reports": [_("Choose at least one report to approve.")]})
    if len(versions) > MAX_APPROVED_AT_ONCE:  # a level has far fewer divisions directly below it
        raise ValidationError(
            {"reports": [_("Approve at most %(count)d reports at once.") % {"count": MAX_APPROVED_AT_ONCE}]}
        )
    if period is not None and QuarterlyReport.objects.filter(pk__in=versions).exclude(period=period).exists():
        raise Http404
    approved = []
    for report_id in sorted(versions):
        try:
            approved.append(
                quarterly_report_accept(
                    actor=actor, report_id=report_id, version=versions[report_id], comment=comment
                )
            )
        except (WorkflowError, EditConflict) as error:  # a stale version too: say whose it is
            report = QuarterlyReport.objects.restrict(actor).select_related("division").get(pk=report_id)
            raise WorkflowError(f"{report.division}: {error}") from error
    return approved


@transaction.atomic
def quarterly_report_return(*, actor, report_id: int, version: int | None, comment: str) -> QuarterlyReport:
    """The level above returns a submitted report to its division, saying what to fix."""
    return _decide(actor=actor, report_id=report_id, decision="return", version=version, comment=comment)


@transaction.atomic
def quarterly_report_reopen(*, actor, report_id: int, version: int | None, comment: str) -> QuarterlyReport:
    """The level above reopens (unapproves) an accepted report for correction; the reason is kept
    in the history. The division can correct it even if the quarter is locked by now: a province
    by a reopening, a level below by a lock exception, each for a week."""
    report = _decide(actor=actor, report_id=report_id, decision="reopen", version=version, comment=comment)
    if report.is_provincial:
        _grant(actor, report.province, report.period, comment)
    else:
        lock_exception_after_unapprove(actor=actor, report=report, reason=comment.strip())
    return report


def _grant(actor, province, period, comment: str) -> ReopenRequest:
    return ReopenRequest.objects.create(
        province=province,
        period=period,
        reason=comment.strip(),
        requested_by=actor,
        requested_at=clock.now(),
        state=ReopenState.GRANTED,
        decided_by=actor,
        decided_at=clock.now(),
        decision_comment=comment.strip(),
        open_until=clock.today() + dt.timedelta(days=7),
    )


@transaction.atomic
def reopen_request_create(*, actor, period: ReportingPeriod, reason: str) -> ReopenRequest:
    """A province asks the Office to reopen a locked quarter (a level below asks the level above
    for a lock exception instead)."""
    division = reporter_division(actor)
    if division is None or reporting_parent(division) is not None:
        raise PermissionDenied
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the quarter should be reopened.")]})
    try:
        require_open(division, period)
    except PeriodLocked:
        pass
    else:
        raise WorkflowError(_("%(period)s is still open: no need to ask.") % {"period": period})
    if ReopenRequest.objects.filter(
        province=actor.province, period=period, state=ReopenState.PENDING
    ).exists():
        raise WorkflowError(
            _("A request to reopen %(period)s is already waiting for the Office.") % {"period": period}
        )
    request = ReopenRequest.objects.create(
        province=actor.province,
        period=period,
        reason=reason.strip(),
        requested_by=actor,
        requested_at=clock.now(),
    )
    change_record(actor=actor, obj=request, action="created", changes={"reason": [None, request.reason]})
    return request


@transaction.atomic
def reopen_request_decide(
    *, actor, request_id: int, grant: bool, comment: str = "", open_until: dt.date | None = None
) -> ReopenRequest:
    """The Office grants (until a date, default a week) or refuses a request to reopen."""
    if not may(actor, REVIEW):
        raise PermissionDenied
    request = ReopenRequest.objects.restrict(actor).select_for_update().filter(pk=request_id).first()
    if request is None:
        raise Http404
    if request.state != ReopenState.PENDING:
        raise WorkflowError(_("This request was already decided."))
    if not grant and not (comment or "").strip():
        raise ValidationError({"comment": [_("Say why the request is refused.")]})
    until = open_until or clock.today() + dt.timedelta(days=7)
    if grant and until < clock.today():
        raise ValidationError({"open_until": [_("Choose a date from today on.")]})
    request.state = ReopenState.GRANTED if grant else ReopenState.REFUSED
    request.decided_by, request.decided_at = actor, clock.now()
    request.decision_comment = (comment or "").strip()
    request.open_until = until if grant else None
    request.save()
    change_record(
        actor=actor, obj=request, action="granted" if grant else "refused", comment=request.decision_comment
    )
    notify(
        people_with(REPORT_QUARTERLY, agency__province=request.province),
        title=gettext_noop("%(period)s is reopened for you until %(date)s")
        if grant
        else gettext_noop("Your request to reopen %(period)s was refused"),
        body=gettext_noop("Comment of the Office: %(comment)s") if request.decision_comment else "",
        params={"period": request.period, "date": str(until), "comment": request.decision_comment},
        link=reverse("reports:my_reports"),
    )
    return request
