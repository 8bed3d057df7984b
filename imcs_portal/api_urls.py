"""The API's URL map: each app's router, plus token sign-in."""

from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token

urlpatterns = [
    path("", include("agencies.api.urls")),
    path("", include("measures.api.urls")),
    path("", include("reports.api.urls")),
    path("auth/token/", obtain_auth_token, name="api-token"),
]
