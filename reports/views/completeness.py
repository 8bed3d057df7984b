"""The completeness page of the quarterly reports, level by level: who submitted each quarter of a
year, on time or late, with the rates and the late and missing named; and its export (CSV, XLSX).

The Office and auditors start from the provinces and drill into any collecting province or
prefecture; a reporter starts from its own division and drills only within it (anything else is not
found); nobody else has the page.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from agencies.models import Division
from core import clock
from core.exports import table_response
from measures.models import ReportingPeriod
from reports.selectors.completeness import level_completeness
from reports.views.plan_and_period import current_period, current_plan, year_asked


def _completeness(request, division: str | None):
    plan = current_plan(request)
    year = year_asked(request, plan, current_period(request, plan).year)
    periods = list(ReportingPeriod.objects.filter(plan=plan, year=year).order_by("quarter"))
    try:
        return plan, year, level_completeness(request.user, periods, clock.today(), division)
    except Division.DoesNotExist:
        raise Http404 from None


@login_required
def completeness(request, division=None):
    plan, year, table = _completeness(request, division)
    return render(
        request,
        "reports/completeness.html",
        {"plan": plan, "year": year, "years": plan.years, "table": table},
    )


def _percent(rate) -> str:
    return "" if rate is None else f"{rate:.0%}"


@login_required
def completeness_export(request, fmt, division=None):
    plan, year, table = _completeness(request, division)
    # The verdicts first (as before), the reports' states after the rates.
    header = [
        _("Code"),
        _("Division"),
        *(str(p) for p in table.periods),
        _("Submitted"),
        _("On time"),
        *(_("%(period)s: state of the report") % {"period": p} for p in table.periods),
    ]
    rows = [
        [
            row.division.code,
            row.division.name,
            *(c.verdict_label for c in row.cells),
            _percent(row.rate.submitted_rate),
            _percent(row.rate.on_time_rate),
            *(c.state_label for c in row.cells),
        ]
        for row in table.rows
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
    name = f"quarterly-completeness-{table.code}-{year}" if table.code else f"quarterly-completeness-{year}"
    return table_response(fmt, name, _("Completeness"), header, rows, frozen_columns=2)
