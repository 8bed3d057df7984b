"""The API's URL map: each app's router, plus token sign-in."""

from django.urls import include, path

from agencies.api.auth import ObtainTokenView

urlpatterns = [
    path("", include("agencies.api.urls")),
    path("", include("measures.api.urls")),
    path("", include("reports.api.urls")),
    path("", include("cases.api.urls")),
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
]
