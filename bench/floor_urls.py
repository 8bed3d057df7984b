"""The throughput floors of the benchmark, in front of the portal's URLs (bench/settings.py).

``/bench/floor/`` answers without touching the database: what gunicorn, Django's middleware and a
response cost. ``/bench/signed-in/`` is a signed-in view that does no work: the session and the
user read, as on every page. A page's throughput is judged as a share of the second.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path


def floor(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
def signed_in(request):
    return HttpResponse(request.user.username, content_type="text/plain")


urlpatterns = [
    path("bench/floor/", floor),
    path("bench/signed-in/", signed_in),
    path("", include("imcs_portal.urls")),
]
