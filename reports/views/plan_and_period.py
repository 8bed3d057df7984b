"""What the report pages share: the current plan, and the quarter or year asked for (by code or ?year=)."""

from django.http import Http404

from core import clock
from core.permissions import get_restricted_object
from measures.models import ReportingPeriod
from measures.selectors import plan_current


def current_plan(request):
    plan = plan_current(request.user)
    if plan is None:
        raise Http404
    return plan


def period_from_code(request, plan, code: str) -> ReportingPeriod:
    return get_restricted_object(ReportingPeriod.objects.filter(plan=plan).with_code(code), request.user)


def current_period(request, plan) -> ReportingPeriod:
    return ReportingPeriod.objects.restrict(request.user).current(plan, clock.today())


def year_asked(request, plan, default: int) -> int:
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else default
    if year not in plan.years:
        raise Http404
    return year
