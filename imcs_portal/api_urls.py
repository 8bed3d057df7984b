"""The API's URL map: each app's router, plus token sign-in."""

from django.urls import include, path

from agencies.api.auth import LogoutAllView, LogoutView, ObtainTokenView

urlpatterns = [
    path("", include("agencies.api.urls")),
    path("", include("measures.api.urls")),
    path("", include("reports.api.urls")),
    path("", include("cases.api.urls")),
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("auth/logout/", LogoutView.as_view(), name="api-logout"),
    path("auth/logout-all/", LogoutAllView.as_view(), name="api-logout-all"),
]
