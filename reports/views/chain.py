"""The pages with which a level reviews the reports below it: the divisions directly below it for a
quarter (``below``), the bulk approval, the "nothing to report" mark and the lock exception; and
what the report form and page of a collecting level show beside its own figures.

Only a reporter whose division collects from the level below has these pages (anyone else: 404).
Every write is a service of ``reports.services``; a refusal comes back as a message naming the
field, and nothing is saved.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from agencies.models import Division
from core import clock
from core.workflow import WorkflowError
from measures.models import QuarterlyRule, ReportingPeriod
from reports.forms import LockExceptionForm, NothingToReportForm
from reports.models import NothingToReport, QuarterlyReport
from reports.models.chain import reporting_parent
from reports.selectors.chain import (
    FigureColumns,
    below_rows,
    chain_columns,
    collecting_division,
    report_changes,
)
from reports.services.chain import lock_exception_grant, nothing_to_report_clear, nothing_to_report_mark
from reports.services.quarterly import QUARTERLY_REPORT, quarterly_reports_approve
from reports.views.plan_and_period import current_period, current_plan, period_from_code


def _collecting(request) -> Division:
    """The user's division, if it collects from the level below; else 404 (the page is not theirs)."""
    division = collecting_division(request.user)
    if division is None:
        raise Http404
    return division


def _below_url(period: ReportingPeriod, page: str | None = None) -> str:
    url = reverse("reports:below", kwargs={"period": period.code})
    return f"{url}?page={page}" if page and page.isdigit() else url


def _child(mine: Division, code: str) -> Division:
    """A division directly below the user's (404 for any other: another prefecture's county)."""
    division = Division.objects.filter(code=code, parent=mine).first()
    if division is None:
        raise Http404
    return division


def _field_messages(form, error: ValidationError) -> list[str]:
    """A service's or form's refusal, each message led by the label of the field it names."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    lines = []
    for name, errors in error.message_dict.items():
        label = form.fields[name].label if name in form.fields else None
        for message in errors:
            lines.append(_("%(label)s: %(error)s") % {"label": label, "error": message} if label else message)
    return lines


@login_required
def below(request, period):
    """The divisions directly below the user's for a quarter: each one's report and its state, who
    submitted and approved it when, what changed since, late or missing, marks and exceptions;
    a checkbox per submitted report to approve many at once."""
    division = _collecting(request)
    plan = current_plan(request)
    period = period_from_code(request, plan, period)
    asked = request.GET.get("period", "")
    if asked and asked != period.code:  # the quarter select (a form without script)
        return redirect(_below_url(period_from_code(request, plan, asked)))
    today = clock.today()
    context = {
        "plan": plan,
        "period": period,
        "division": division,
        "below": below_rows(request.user, division, period, today, page=request.GET.get("page", 1)),
        "periods": ReportingPeriod.objects.restrict(request.user)
        .filter(plan=plan, starts_on__lte=today)
        .order_by("-starts_on"),
        "nothing_form": NothingToReportForm(),
        "exception_form": LockExceptionForm(),
        "above": reporting_parent(division),
    }
    return render(request, "reports/quarterly/below.html", context)


@login_required
def below_current(request):
    """The page of the divisions below for the quarter being reported (the navigation's link)."""
    _collecting(request)
    return redirect(_below_url(current_period(request, current_plan(request))))


def _versions(request) -> dict[int, int] | None:
    """The chosen reports and the version each was read at; None if one is not a number (a form
    out of date, or made up)."""
    versions = {}
    for raw in request.POST.getlist("report"):
        version = request.POST.get(f"version-{raw}", "")
        if not (raw.isdigit() and version.isdigit()) or len(raw) > 18 or len(version) > 9:
            return None
        versions[int(raw)] = int(version)
    return versions


@login_required
@require_POST
def below_approve(request, period):
    """Approve the chosen reports below: all or none (a refusal names the report it is about)."""
    _collecting(request)
    period = period_from_code(request, current_plan(request), period)
    done = redirect(_below_url(period, request.POST.get("page")))
    versions = _versions(request)
    if versions is None:
        messages.error(request, _("The form was out of date: reload the page and try again."))
        return done
    try:
        approved = quarterly_reports_approve(
            actor=request.user, versions=versions, comment=request.POST.get("comment", ""), period=period
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except WorkflowError as error:
        messages.error(request, _("%(error)s Nothing was approved.") % {"error": error})
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d report was approved: %(divisions)s.",
                "%(count)d reports were approved: %(divisions)s.",
                len(approved),
            )
            % {"count": len(approved), "divisions": _(", ").join(str(r.division) for r in approved)},
        )
    return done


@login_required
@require_POST
def below_nothing(request, period, division):
    """Mark a division below as having nothing to report for the quarter (a reason is needed), or
    take the mark back (``clear``)."""
    mine = _collecting(request)
    period = period_from_code(request, current_plan(request), period)
    child = _child(mine, division)
    done = redirect(_below_url(period, request.POST.get("page")))
    form = NothingToReportForm(request.POST)
    form.is_valid()
    try:
        if "clear" in request.POST:
            mark = NothingToReport.objects.restrict(request.user, "change").filter(
                division=child, period=period
            )
            mark = mark.first()
            if mark is None:
                raise Http404
            nothing_to_report_clear(actor=request.user, mark_id=mark.pk)
            messages.success(
                request,
                _("%(division)s is no longer marked as having nothing to report for %(period)s.")
                % {"division": child, "period": period},
            )
        else:
            nothing_to_report_mark(
                actor=request.user,
                division_id=child.pk,
                period=period,
                reason=form.cleaned_data.get("reason", ""),
            )
            messages.success(
                request,
                _("%(division)s is marked as having nothing to report for %(period)s.")
                % {"division": child, "period": period},
            )
    except ValidationError as error:
        for line in _field_messages(form, error):
            messages.error(request, line)
    except WorkflowError as error:
        messages.error(request, str(error))
    return done


@login_required
@require_POST
def below_exception(request, period, division):
    """Let a division below submit the locked quarter until a date, with a reason."""
    mine = _collecting(request)
    period = period_from_code(request, current_plan(request), period)
    child = _child(mine, division)
    done = redirect(_below_url(period, request.POST.get("page")))
    form = LockExceptionForm(request.POST)
    if not form.is_valid():
        for line in _field_messages(form, ValidationError(form.errors.as_data())):
            messages.error(request, line)
        return done
    try:
        exception = lock_exception_grant(
            actor=request.user,
            division_id=child.pk,
            period=period,
            open_until=form.cleaned_data["open_until"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        for line in _field_messages(form, error):
            messages.error(request, line)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(division)s may submit %(period)s until %(date)s.")
            % {"division": child, "period": period, "date": exception.open_until},
        )
    return done


# What the report form and page of any level show about the chain (reports.views.quarterly).


def submitted_message(division: Division) -> str:
    above = reporting_parent(division)
    if above is None:
        return _("The report was submitted to the IMCS Office.")
    return _("The report was submitted to %(division)s.") % {"division": above}


def decision_words(report: QuarterlyReport) -> dict[str, str]:
    """The decisions' words on a report's page: the Office accepts, returns and reopens a
    province's report; a level approves, returns and unapproves the reports below it."""
    if report.is_provincial:
        return {
            "heading": _("Decision of the Office"),
            "accept": _("Accept"),
            "return": _("Return to the province"),
            "reopen": _("Reopen for correction"),
            "comment_of": _("Comment of the Office"),
        }
    above = reporting_parent(report.division)
    return {
        "heading": _("Decision of %(division)s") % {"division": above},
        "accept": _("Approve"),
        "return": _("Return to %(division)s") % {"division": report.division},
        "reopen": _("Unapprove"),
        "comment_of": _("Comment of %(division)s") % {"division": above},
    }


def decision_done(report: QuarterlyReport, decision: str) -> tuple[str, str] | None:
    """Below the province: where a decision sends the level (its page of the divisions below) and
    what it says; None for a province's report (the Office's inbox and wording)."""
    if report.is_provincial:
        return None
    words = {
        "accept": _("The report of %(division)s was approved."),
        "return": _("The report was returned to %(division)s with your comment."),
        "reopen": _(
            "The report of %(division)s was unapproved for correction; the reason is in its history."
        ),
    }
    return _below_url(report.period), words[decision] % {"division": report.division}


def figure_columns(
    figures, own: dict[str, int | None], below: dict[str, int], form=None
) -> list[FigureColumns]:
    return [
        FigureColumns(
            figure=f,
            own=own.get(f.code),
            below=below.get(f.code, 0),
            field=form[f"figure_{f.code}"] if form else None,
        )
        for f in figures
    ]


def _typed(form, code: str) -> int | None:
    raw = form[f"figure_{code}"].value()
    try:
        return int(raw) if raw not in (None, "") else None
    except (TypeError, ValueError):
        return None


def report_form_chain(division: Division, period: ReportingPeriod, figures, form) -> dict:
    """The form's context of a collecting level: per figure its own field, the sum from below and
    the total of what is typed (or saved); the divisions still missing below; where it submits to."""
    above = reporting_parent(division)
    context = {
        "above": above,
        "submitted_to": above or _("the IMCS Office"),
        "chain": None,
    }
    columns = chain_columns(division, period)
    if columns is not None:
        own = {f.code: _typed(form, f.code) for f in figures}
        context["chain"] = columns
        context["chain_rows"] = figure_columns(figures, own, columns.below, form)
        context["missing_names"] = _(", ").join(str(d) for d in columns.missing)
    return context


def report_page_chain(report: QuarterlyReport, figures, user=None) -> dict:
    """The page's context: the decisions' words, the values changed since the last approval and,
    for a collecting level, its own figures, the sums from below and the totals."""
    context = {"words": decision_words(report), "changed": report_changes(report), "chain": None}
    if user is not None and not report.is_provincial and QUARTERLY_REPORT.decides(user, report):
        context["below_url"] = _below_url(report.period)  # back to the level's page of the reports below
    columns = chain_columns(report.division, report.period, report)
    if columns is not None:
        own = {v.figure.code: v.value for v in report.values.all()}
        context["chain"] = columns
        context["chain_rows"] = figure_columns(figures, own, columns.below)
        totals = {row.figure.code: row.total for row in context["chain_rows"]}
        # A collecting level's rules hold over its totals, as when it submitted.
        context["warnings"] = [
            r for r in QuarterlyRule.objects.filter(plan_id=report.period.plan_id) if r.holds(totals) is False
        ]
    return context
