"""Pages of the agencies app: provinces."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .models import Province


@login_required
def province_list(request):
    provinces = Province.objects.restrict(request.user)
    return render(request, "agencies/province_list.html", {"provinces": provinces})
