"""Pages of the organisation: the provincial-level divisions, and the agencies by division."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import render

from agencies.models import Agency, Division, Province

AGENCIES_PER_PAGE = 50


@login_required
def province_list(request):
    provinces = Province.objects.restrict(request.user)
    return render(request, "agencies/province_list.html", {"provinces": provinces})


@login_required
def agency_list(request):
    """The agencies at a division and below it (every one when none is chosen), found by name or
    code, paged; with the divisions one level down to walk the tree. Reference data: every
    signed-in user reads it."""
    code = request.GET.get("division", "").strip()[:6]
    division = (
        Division.objects.restrict(request.user).filter(code=code).select_related("parent__parent").first()
    )
    query = request.GET.get("q", "").strip()[:50]
    agencies = Agency.objects.restrict(request.user).select_related("unit", "division", "province")
    if division:
        agencies = agencies.filter(Q(division__code__startswith=division.code_prefix))
    if query:
        agencies = agencies.filter(
            Q(name_zh__icontains=query) | Q(name_en__icontains=query) | Q(code__iexact=query)
        )
    agencies = agencies.annotate(members=Count("users", filter=Q(users__is_active=True)))
    page = Paginator(agencies.order_by("division__code", "kind", "code"), AGENCIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    below = Division.objects.restrict(request.user).current()
    below = below.filter(parent=division) if division else below.filter(parent__isnull=True)
    trail = []
    step = division
    while step is not None:
        trail.insert(0, step)
        step = step.parent if step.parent_id else None
    return render(
        request,
        "agencies/agency_list.html",
        {"page": page, "division": division, "below": below.order_by("code"), "trail": trail, "query": query},
    )
