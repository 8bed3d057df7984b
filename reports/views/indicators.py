"""The indicators page: solved / reported against 2007, and the share of rescued persons assisted,
by province and quarter. Only accepted reports count unless ``?unconfirmed=1`` (the switch every
page of figures shares: ``unconfirmed_asked``, ``unconfirmed_links``)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, QueryDict
from django.shortcuts import render

from core.permissions import READ_ALL_SUBMITTED, REPORT_QUARTERLY, may
from reports.selectors.indicators import indicators as indicators_of
from reports.views.plan_and_period import current_period, current_plan, year_asked

UNCONFIRMED_PARAMETER = "unconfirmed"


def unconfirmed_asked(request) -> bool:
    """Whether the page is asked to count the reports submitted and not yet accepted, too."""
    return request.GET.get(UNCONFIRMED_PARAMETER) == "1"


def unconfirmed_links(request, *, keep_choices: bool = True) -> dict:
    """The same page with the unconfirmed figures counted, and without them: the page's other
    choices kept, or with ``keep_choices=False`` none (a page whose other parameters mean nothing,
    rendered once for every request: the dashboard)."""
    params = request.GET.copy() if keep_choices else QueryDict(mutable=True)
    include, exclude = params.copy(), params.copy()
    include[UNCONFIRMED_PARAMETER] = "1"
    exclude.pop(UNCONFIRMED_PARAMETER, None)
    return {
        "include_url": f"{request.path}?{include.urlencode()}",
        "exclude_url": f"{request.path}?{exclude.urlencode()}" if exclude else request.path,
    }


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
    data = indicators_of(user, plan, year, include_unconfirmed=unconfirmed_asked(request))
    context = {
        "plan": plan,
        "year": year,
        "years": plan.years,
        "data": data,
        "national": national,
        "unconfirmed": data.unconfirmed.as_data(),
        "named": data.unconfirmed_named(),
        **unconfirmed_links(request),
    }
    return render(request, "reports/indicators.html", context)
