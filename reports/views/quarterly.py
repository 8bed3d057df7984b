"""Quarterly reports: a province's list, the form, the report page, the Office's decisions.

The decisions are the reviewed records' one pattern: ``ReportDecisionView`` is a
``core.views.reviewed.RecordDecisionView`` and the services follow ``core.workflow``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import clock
from core.choices import ReviewState
from core.forms import DecisionForm
from core.models import ChangeRecord
from core.permissions import READ_ALL_SUBMITTED, REPORT_QUARTERLY, REVIEW, get_restricted_object, may, require
from core.views.reviewed import RecordDecisionView, record_form_save
from core.workflow import WorkflowError, no_longer_editable
from measures.models import Area, QuarterlyFigure, QuarterlyRule, ReportingPeriod
from measures.selectors.implementation import own_lines, seen_lines
from reports.choices import ReopenState
from reports.forms import QuarterlyReportForm, ReopenDecisionForm, ReopenRequestForm
from reports.models import QuarterlyNarrative, QuarterlyReport, QuarterlyValue, ReopenRequest
from reports.models.chain import reporter_division, reporting_parent
from reports.selectors.chain import quarters_below
from reports.selectors.quarterly import province_quarters
from reports.services.quarterly import (
    QUARTERLY_REPORT,
    PeriodLocked,
    quarterly_report_accept,
    quarterly_report_reopen,
    quarterly_report_return,
    quarterly_report_save,
    reopen_request_create,
    reopen_request_decide,
    require_ended,
    require_open,
)
from reports.views import chain
from reports.views.plan_and_period import current_period, current_plan, period_from_code


@login_required
def quarterly_home(request):
    if may(request.user, REPORT_QUARTERLY):
        return redirect("reports:my_reports")
    require(request.user, READ_ALL_SUBMITTED)
    return redirect("reports:quarterly_inbox")


@login_required
def my_reports(request):
    """A province's quarters: what is due, what was returned, what is locked."""
    require(request.user, REPORT_QUARTERLY)
    plan = current_plan(request)
    rows = province_quarters(request.user, plan, clock.today())
    pending = list(
        ReopenRequest.objects.restrict(request.user)
        .filter(state=ReopenState.PENDING)
        .select_related("period")
    )
    context = {
        "plan": plan,
        "rows": rows,
        "current": current_period(request, plan),
        "pending_requests": pending,
        "pending_periods": {r.period_id for r in pending},
        "decided_requests": ReopenRequest.objects.restrict(request.user)
        .exclude(state=ReopenState.PENDING)
        .select_related("period")[:10],
        "returned": [row.report for row in rows if row.report and row.report.state == ReviewState.RETURNED],
        "collecting": quarters_below(request.user, plan, rows),  # each row's count of the reports below
        "above": reporting_parent(reporter_division(request.user)),
    }
    return render(request, "reports/quarterly/my_reports.html", context)


def _report_queryset():
    return QuarterlyReport.objects.with_details().prefetch_related(
        Prefetch("values", queryset=QuarterlyValue.objects.select_related("figure")),
        Prefetch("narratives", queryset=QuarterlyNarrative.objects.select_related("area")),
        "plan_lines__measure",
    )


@login_required
def report_edit(request, period):
    """The province's own report for a quarter: fill, save a draft, submit."""
    require(request.user, REPORT_QUARTERLY)
    plan = current_plan(request)
    period = period_from_code(request, plan, period)
    # The reporter's own division's report (a level above also sees those sent up from below).
    division = reporter_division(request.user)
    report = _report_queryset().restrict(request.user).filter(division=division, period=period).first()
    if report is not None and not report.is_editable and request.method != "POST":
        messages.info(request, no_longer_editable(report))
        return redirect("reports:report", division=report.division.code, period=period.code)
    figures = QuarterlyFigure.objects.filter(plan=plan)
    areas = Area.objects.filter(plan=plan)
    # A province's own report may name lines of its implementation plan (a level below has none).
    lines = list(own_lines(request.user, plan.pk)) if reporting_parent(division) is None else []
    form_kwargs = {"figures": figures, "areas": areas, "plan_lines": lines}
    conflict = locked = None
    try:
        require_open(reporter_division(request.user), period)
    except PeriodLocked as error:
        locked = str(error)
    try:
        require_ended(period)
        not_ended = None
    except ValidationError as error:  # a draft may be saved meanwhile; submitting waits for the end
        not_ended = " ".join(error.messages)
    if request.method == "POST" and not locked:
        form = QuarterlyReportForm(request.POST, **form_kwargs)
        if form.is_valid():
            saved = record_form_save(
                request,
                form,
                lambda: quarterly_report_save(
                    actor=request.user,
                    period=period,
                    values=form.values(),
                    narratives=form.narratives(),
                    warnings_comment=form.cleaned_data["warnings_comment"],
                    version=form.cleaned_data["version"] or 0,  # 0: opened when there was none
                    submit="submit" in request.POST,
                    plan_line_ids=form.cleaned_data["plan_lines"] if "plan_lines" in form.fields else None,
                ),
                rebind=lambda data: QuarterlyReportForm(data, **form_kwargs),
                submitted=chain.submitted_message(reporter_division(request.user)),
                error_prefixes=("figure_",),
            )
            if saved.record is not None:
                return redirect("reports:report", division=saved.record.division.code, period=period.code)
            form, conflict = saved.form, saved.conflict
            if conflict:
                report = _report_queryset().get(pk=conflict.record.pk)
    else:
        initial = {"version": report.version if report else None}
        if report:
            initial.update({f"figure_{v.figure.code}": v.value for v in report.values.all()})
            initial.update({f"narrative_{n.area.seq}": n.text for n in report.narratives.all()})
            initial["warnings_comment"] = report.warnings_comment
            initial["plan_lines"] = [line.pk for line in report.plan_lines.all()]
        form = QuarterlyReportForm(initial=initial, **form_kwargs)
    context = {
        "plan": plan,
        "period": period,
        "report": report,
        "form": form,
        "conflict": conflict,
        "locked": locked,
        "not_ended": not_ended,
        # A returned report keeps the timeliness of its first submission.
        "late": clock.today() > period.deadline and not (report and report.first_submitted_at),
        "rules": QuarterlyRule.objects.filter(plan=plan),
        **chain.report_form_chain(reporter_division(request.user), period, figures, form),
    }
    return render(request, "reports/quarterly/report_form.html", context, status=409 if conflict else 200)


def _report_page(request, report, decision_form=None, status=200):
    user = request.user
    figures = list(QuarterlyFigure.objects.filter(plan=report.period.plan_id))
    labels = {f"figures.{f.code}": f.name for f in figures}
    labels.update(
        {
            f"narratives.{a.seq}": f"{a.seq}. {a.title}"
            for a in Area.objects.filter(plan=report.period.plan_id)
        }
    )
    values = {v.figure.code: v.value for v in report.values.all()}
    context = {
        "plan": report.period.plan,
        "report": report,
        "page_url": QUARTERLY_REPORT.link(report),
        "figures": [(f, values.get(f.code)) for f in figures],
        "warnings": [
            r for r in QuarterlyRule.objects.filter(plan=report.period.plan_id) if r.holds(values) is False
        ],
        "history": [(record, record.lines(labels)) for record in ChangeRecord.objects.for_object(report)],
        "can_edit": QUARTERLY_REPORT.may_edit(user, report),
        "plan_lines": seen_lines(user, report.plan_lines.all()),
        "can_review": QUARTERLY_REPORT.may_decide(user, report, "accept"),
        "can_reopen": QUARTERLY_REPORT.may_decide(user, report, "reopen"),
        "decision_form": decision_form or DecisionForm(initial={"version": report.version}),
        **chain.report_page_chain(report, figures, user),
    }
    return render(request, "reports/quarterly/report_detail.html", context, status=status)


def _report(request, division, period):
    plan = current_plan(request)
    period = period_from_code(request, plan, period)
    return get_restricted_object(_report_queryset(), request.user, division__code=division, period=period)


@login_required
def report_detail(request, division, period):
    return _report_page(request, _report(request, division, period))


class ReportDecisionView(RecordDecisionView):
    """The Office accepts, returns or reopens a report, then goes back to the inbox."""

    form_class = DecisionForm
    error_prefixes = ("figure_",)
    decisions = {
        "accept": (quarterly_report_accept, gettext_lazy("The report was accepted.")),
        "return": (
            quarterly_report_return,
            gettext_lazy("The report was returned to the province with your comment."),
        ),
        "reopen": (
            quarterly_report_reopen,
            gettext_lazy("The report was reopened for correction; the reason is in its history."),
        ),
    }

    def get_record(self):
        return _report(self.request, self.kwargs["division"], self.kwargs["period"])

    def decide(self, record, decision, *, version, comment):
        service, _done = self.decisions[decision]
        service(actor=self.request.user, report_id=record.pk, version=version, comment=comment)

    def record_page(self, record, form, *, status):
        return _report_page(self.request, record, decision_form=form, status=status)

    def record_url(self, record):
        return QUARTERLY_REPORT.link(record)

    def done_url(self, record):
        below = chain.decision_done(record, self.kwargs["decision"])  # a level below the province
        return below[0] if below else reverse("reports:quarterly_inbox")

    def done_message(self, record, decision):
        below = chain.decision_done(record, decision)
        return below[1] if below else str(self.decisions[decision][1])


report_decide = ReportDecisionView.as_view()


@login_required
def quarterly_inbox(request):
    """The Office's list of reports, submitted first, filterable by quarter, state and province."""
    require(request.user, READ_ALL_SUBMITTED)
    plan = current_plan(request)
    reports = (
        QuarterlyReport.objects.restrict(request.user).of_provinces().filter(period__plan=plan).with_details()
    )
    state = request.GET.get("state", ReviewState.SUBMITTED)
    if state in ReviewState.values:
        reports = reports.filter(state=state)
    period_code = request.GET.get("period", "")
    if period_code:
        reports = reports.filter(period=period_from_code(request, plan, period_code))
    context = {
        "plan": plan,
        "reports": reports.order_by("submitted_at", "province__code")[:500],
        "state": state,
        "states": ReviewState.choices,
        "periods": ReportingPeriod.objects.filter(plan=plan, starts_on__lte=clock.today()),
        "period_code": period_code,
        "pending_requests": ReopenRequest.objects.restrict(request.user)
        .filter(state=ReopenState.PENDING)
        .select_related("province", "period", "requested_by"),
        "decision_form": ReopenDecisionForm(),
    }
    return render(request, "reports/quarterly/inbox.html", context)


@login_required
@require_POST
def reopen_request(request, period):
    require(request.user, REPORT_QUARTERLY)
    plan = current_plan(request)
    period = period_from_code(request, plan, period)
    form = ReopenRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the quarter should be reopened."))
        return redirect("reports:my_reports")
    try:
        reopen_request_create(actor=request.user, period=period, reason=form.cleaned_data["reason"])
    except (WorkflowError, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Your request was sent to the IMCS Office."))
    return redirect("reports:my_reports")


@login_required
@require_POST
def reopen_decide(request, pk, decision):
    require(request.user, REVIEW)
    form = ReopenDecisionForm(request.POST)
    form.is_valid()
    try:
        reopen_request_decide(
            actor=request.user,
            request_id=pk,
            grant=decision == "grant",
            comment=form.cleaned_data.get("comment", ""),
            open_until=form.cleaned_data.get("open_until"),
        )
    except (WorkflowError, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(
            request, _("The request was granted.") if decision == "grant" else _("The request was refused.")
        )
    return redirect("reports:quarterly_inbox")
