"""The portal's URL map: each app's pages, the admin, the API with its schema and docs, health."""

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from cases.views import public_page
from imcs_portal.health import health
from imcs_portal.views import favicon
from measures.views.plan import home

admin.site.site_header = _("IMCS Portal administration")
admin.site.site_title = _("IMCS Portal")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", home, name="home"),
    path("", include("agencies.urls")),
    path("", include("measures.urls")),
    path("reports/", include("reports.urls")),
    path("cases/", include("cases.urls")),
    # Reporting a suspected crime, for anyone, without an account (cases/views/public_page.py).
    path("report/", public_page.report, name="public_report"),
    path("report/sent/", public_page.report_sent, name="public_report_sent"),
    path("report/status/", public_page.report_status, name="public_report_status"),
    path("report/challenge/", public_page.challenge, name="public_report_challenge"),
    path("report/counties/", public_page.counties, name="public_report_counties"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # The API's address leads to its documentation (every list and action is named there).
    path("api/", RedirectView.as_view(pattern_name="api-docs"), name="api-root"),
    path("api/", include("imcs_portal.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The docs are a page: someone not signed in is sent to the sign-in page (the schema: 401/403).
    path(
        "api/docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("health/", health, name="health"),
    path("favicon.ico", favicon, name="favicon"),
]
