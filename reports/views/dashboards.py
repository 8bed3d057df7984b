"""Dashboards: the Office's (plan progress, provinces, indicators, what is overdue), a unit's and a
province's. Charts are drawn in the browser (Chart.js, served from our own static files).

The indicators count accepted reports only, unless ``?unconfirmed=1`` (reports/views/indicators.py)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from core import clock
from core.permissions import LOG_PROGRESS, READ_ALL_SUBMITTED, REPORT_QUARTERLY, may
from measures.models import ReportingPeriod
from measures.selectors import unit_timeliness
from reports.models.chain import reporter_division
from reports.models.quarterly import reports_for_province
from reports.selectors.completeness import Completeness, level_completeness
from reports.selectors.dashboards import cooperation_milestone, progress_bars, status_labels
from reports.selectors.indicators import indicator_series
from reports.selectors.quarterly import province_completeness
from reports.views.indicators import unconfirmed_asked, unconfirmed_links
from reports.views.plan_and_period import current_period, current_plan


def _chart(bars) -> dict:
    return {
        "labels": [b.label for b in bars],
        "series": status_labels(),
        "values": [b.values() for b in bars],
    }


def _recent_quarters(plan, today) -> list[ReportingPeriod]:
    """The plan's last eight quarters that have begun, oldest first."""
    begun = ReportingPeriod.objects.filter(plan=plan, starts_on__lte=today)
    return list(begun.order_by("-starts_on")[:8])[::-1]


@login_required
def dashboard(request):
    user = request.user
    plan = current_plan(request)
    today = clock.today()
    current = current_period(request, plan)
    if may(user, READ_ALL_SUBMITTED):
        by_area, by_unit = progress_bars(user, plan)
        recent = _recent_quarters(plan, today)
        due = [p for p in recent if p.deadline < today][-1:]  # the last quarter whose deadline passed
        units_late = [
            (unit, cells[0])
            for unit, cells in unit_timeliness(user, plan, due, today)
            if cells and cells[0].missing
        ]
        provinces = province_completeness(user, recent, today)
        context = {
            "plan": plan,
            "kind": "office",
            "area_chart": _chart(by_area),
            "unit_chart": _chart(by_unit),
            "indicators": indicator_series(user, plan, include_unconfirmed=unconfirmed_asked(request)),
            "heat": provinces,
            "due_period": due[0] if due else None,
            "units_late": units_late,
            "milestone": cooperation_milestone(user, plan),
            "provinces_missing": [
                p
                for p, cells, _rate in provinces.rows
                if due and cells[recent.index(due[0])].verdict == "missing"
            ],
        }
    elif may(user, LOG_PROGRESS):
        by_area, _by_unit = progress_bars(user, plan, unit_id=user.unit_id)
        periods = _recent_quarters(plan, today)
        timeliness = [
            cells for unit, cells in unit_timeliness(user, plan, periods, today) if unit.pk == user.unit_id
        ]
        context = {
            "plan": plan,
            "kind": "unit",
            "area_chart": _chart(by_area),
            "periods": periods,
            "timeliness": timeliness[0] if timeliness else [],
        }
    elif may(user, REPORT_QUARTERLY):
        periods = _recent_quarters(plan, today)
        if reports_for_province(user):
            provinces = province_completeness(user, periods, today, provinces=[user.province])
        else:  # a prefecture or county: its own quarters (or those of the divisions it collects from)
            level = level_completeness(user, periods, today, reporter_division(user).code)
            provinces = Completeness(periods, [(r.division, r.cells, r.rate) for r in level.rows])
        context = {
            "plan": plan,
            "kind": "province",
            "indicators": indicator_series(
                user, plan, province_id=user.province_id, include_unconfirmed=unconfirmed_asked(request)
            ),
            "heat": provinces,
            "current": current,
        }
    else:
        raise Http404
    if "indicators" in context:
        context["unconfirmed"] = context["indicators"]["unconfirmed"]
        context.update(unconfirmed_links(request))
    return render(request, "reports/dashboard.html", context)
