"""The indicators page: solved / reported against 2007, and the share of rescued persons assisted,
by province and quarter."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from core.permissions import READ_ALL_SUBMITTED, REPORT_QUARTERLY, may
from reports.selectors.indicators import indicators as indicators_of
from reports.views.plan_and_period import current_period, current_plan, year_asked


@login_required
def indicators(request):
    """Solved / reported against 2007, and the share of rescued persons assisted.

    The Office and auditors see every province and the nation; a province sees its own row.
    """
    user = request.user
    national = may(user, READ_ALL_SUBMITTED)
    if not (national or may(user, REPORT_QUARTERLY)):
        raise Http404
    plan = current_plan(request)
    year = year_asked(request, plan, current_period(request, plan).year)
    context = {
        "plan": plan,
        "year": year,
        "years": plan.years,
        "data": indicators_of(user, plan, year),
        "national": national,
    }
    return render(request, "reports/indicators.html", context)
