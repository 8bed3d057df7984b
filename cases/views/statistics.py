"""The page of case statistics: aggregates for everyone signed in, small cells suppressed."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from cases import selectors
from cases.choices import Category


@never_cache
@login_required
def statistics(request):
    """Aggregates for everyone signed in, with small cells suppressed."""
    by = request.GET.get("by", "province")
    if by not in ("province", "status"):
        by = "province"
    context = {
        "table": selectors.suppressed_statistics(request.user, by, "category"),
        "services": selectors.service_statistics(request.user),
        "by": by,
        "categories": Category.choices,
    }
    return render(request, "cases/statistics.html", context)
