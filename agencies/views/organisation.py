"""Pages of the organisation: the provincial-level divisions."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from agencies.models import Province


@login_required
def province_list(request):
    provinces = Province.objects.restrict(request.user)
    return render(request, "agencies/province_list.html", {"provinces": provinces})
