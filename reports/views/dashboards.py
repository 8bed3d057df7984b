"""Dashboards: the Office's (plan progress, provinces, indicators, what is overdue), a unit's and a
province's. Charts are drawn in the browser (Chart.js, served from our own static files).

The indicators count accepted reports only, unless ``?unconfirmed=1`` (reports/views/indicators.py)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core import clock, statistics_cache
from core.permissions import LOG_PROGRESS, READ_ALL_SUBMITTED, REPORT_QUARTERLY, may, rights_key
from measures.models import ReportingPeriod
from measures.selectors import unit_timeliness
from reports.models.chain import reporter_division
from reports.models.quarterly import reports_for_province
from reports.selectors.completeness import Completeness, level_completeness
from reports.selectors.dashboards import cooperation_milestone, progress_bars, status_labels
from reports.selectors.indicators import indicator_series
from reports.selectors.quarterly import province_completeness
from reports.views.indicators import unconfirmed_asked, unconfirmed_links
from reports.views.plan_and_period import current_plan


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
    """The dashboard of the user's role. Its content is rendered once per change of the data it
    reads (``core.statistics_cache.PROGRESS``: every save of the plan's, the reports' and the
    organisation's models), per user and their rights and agency (``rights_key``), day, language
    and choice of figures, and kept: the Office opens it far more often than the data changes."""
    user = request.user
    plan = current_plan(request)
    if not (may(user, READ_ALL_SUBMITTED) or may(user, LOG_PROGRESS) or may(user, REPORT_QUARTERLY)):
        raise Http404
    unconfirmed, today = unconfirmed_asked(request), clock.today()
    links = unconfirmed_links(request, keep_choices=False)

    def body() -> str:
        context = _dashboard(user, plan, today, unconfirmed)
        if "indicators" in context:
            context.update(unconfirmed=context["indicators"]["unconfirmed"], **links)
        return render_to_string("reports/_dashboard_body.html", {**context, "user": user})

    name = f"dashboard:{rights_key(user)}:{plan.pk}:{today.isoformat()}:{get_language()}:{int(unconfirmed)}"
    kept = statistics_cache.cached(name, body, domain=statistics_cache.PROGRESS)
    return render(request, "reports/dashboard.html", {"body": mark_safe(kept)})  # noqa: S308 - our own page


def _dashboard(user, plan, today, unconfirmed: bool) -> dict:
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
        return {
            "plan": plan,
            "kind": "office",
            "area_chart": _chart(by_area),
            "unit_chart": _chart(by_unit),
            "indicators": indicator_series(user, plan, include_unconfirmed=unconfirmed),
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
    if may(user, LOG_PROGRESS):
        by_area, _by_unit = progress_bars(user, plan, unit_id=user.unit_id)
        periods = _recent_quarters(plan, today)
        timeliness = [
            cells for unit, cells in unit_timeliness(user, plan, periods, today) if unit.pk == user.unit_id
        ]
        return {
            "plan": plan,
            "kind": "unit",
            "area_chart": _chart(by_area),
            "periods": periods,
            "timeliness": timeliness[0] if timeliness else [],
        }
    periods = _recent_quarters(plan, today)
    if reports_for_province(user):
        provinces = province_completeness(user, periods, today, provinces=[user.province])
    else:  # a prefecture or county: its own quarters (or those of the divisions it collects from)
        level = level_completeness(user, periods, today, reporter_division(user).code)
        provinces = Completeness(periods, [(r.division, r.cells, r.rate) for r in level.rows])
    return {
        "plan": plan,
        "kind": "province",
        "indicators": indicator_series(
            user, plan, province_id=user.province_id, include_unconfirmed=unconfirmed
        ),
        "heat": provinces,
        "current": ReportingPeriod.objects.restrict(user).current(plan, today),
    }
