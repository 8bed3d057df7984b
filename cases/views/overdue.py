"""The page of follow-up visits past due, of the cases the agency sees: keyset-paged, soonest due first."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from cases import selectors
from cases.services import logged_reads
from cases.views.case_files import case_pages_only
from core import clock
from core.paging import paged_from

PAGE_SIZE = 50


@never_cache
@login_required
def overdue(request):
    case_pages_only(request)
    page = selectors.overdue_follow_ups(request.user, request.GET, PAGE_SIZE)
    logged_reads.cases_shown(
        actor=request.user,
        action="list",
        numbers=[case.number for case in page],
        detail={"list": "overdue", **paged_from(request)},
    )
    return render(request, "cases/overdue.html", {"page": page, "today": clock.today()})
