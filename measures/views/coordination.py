"""The coordination records' hub: one page that leads to a plan's implementation plans, cooperation
agreements, funding, good practices and (for those who receive them) the public's reports."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.permissions import FOLLOW_THE_PLAN, get_restricted_object, require
from measures.models import Plan


@login_required
def coordination(request, plan):
    require(request.user, FOLLOW_THE_PLAN)
    plan = get_restricted_object(Plan.objects, request.user, code=plan)
    return render(request, "measures/coordination.html", {"plan": plan})
