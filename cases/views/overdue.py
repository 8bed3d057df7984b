"""The page of follow-up visits past due, of the cases the agency sees."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from cases import selectors
from cases.services import logged_reads
from cases.views.case_files import case_pages_only
from core import clock


@never_cache
@login_required
def overdue(request):
    case_pages_only(request)
    visits = selectors.overdue_follow_ups(request.user)
    numbers = [visit.case.number for visit in visits]
    logged_reads.cases_shown(actor=request.user, action="list", numbers=numbers, detail={"list": "overdue"})
    return render(request, "cases/overdue.html", {"visits": visits, "today": clock.today()})
