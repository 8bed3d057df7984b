"""The completeness page of the provinces' quarterly reports: who submitted each quarter of a year,
on time or late, with the rates; and its export (CSV, XLSX)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from core import clock
from core.exports import table_response
from core.permissions import READ_ALL_SUBMITTED, require
from measures.models import ReportingPeriod
from reports.selectors.quarterly import province_completeness
from reports.views.plan_and_period import current_period, current_plan, year_asked


def _completeness(request):
    require(request.user, READ_ALL_SUBMITTED)
    plan = current_plan(request)
    year = year_asked(request, plan, current_period(request, plan).year)
    periods = list(ReportingPeriod.objects.filter(plan=plan, year=year).order_by("quarter"))
    return plan, year, province_completeness(request.user, periods, clock.today())


@login_required
def completeness(request):
    plan, year, table = _completeness(request)
    return render(
        request,
        "reports/completeness.html",
        {"plan": plan, "year": year, "years": plan.years, "table": table},
    )


def _percent(rate) -> str:
    return "" if rate is None else f"{rate:.0%}"


@login_required
def completeness_export(request, fmt):
    plan, year, table = _completeness(request)
    header = [_("Code"), _("Province"), *(str(p) for p in table.periods), _("Submitted"), _("On time")]
    rows = [
        [
            province.code,
            province.name,
            *(c.verdict_label for c in cells),
            _percent(rate.submitted_rate),
            _percent(rate.on_time_rate),
        ]
        for province, cells, rate in table.rows
    ]
    rows.append(
        [
            "",
            _("Submitted"),
            *(_percent(r.submitted_rate) for r in table.period_rates),
            _percent(table.total.submitted_rate),
            "",
        ]
    )
    rows.append(
        [
            "",
            _("On time"),
            *(_percent(r.on_time_rate) for r in table.period_rates),
            "",
            _percent(table.total.on_time_rate),
        ]
    )
    return table_response(
        fmt, f"quarterly-completeness-{year}", _("Completeness"), header, rows, frozen_columns=2
    )
