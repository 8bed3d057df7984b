"""The API's URL map: each app's routes (token sign-in with the organisation's)."""

from django.urls import include, path

urlpatterns = [
    path("", include("agencies.api.urls")),
    path("", include("measures.api.urls")),
    path("", include("reports.api.urls")),
    path("", include("cases.api.urls")),
]
