"""The reports app's API routes: quarterly reports, reopening requests, baselines, jobs, indicators."""

from django.urls import path

from core.api.views import PortalRouter
from reports.api.views import (
    BelowViewSet,
    IndicatorsView,
    JobViewSet,
    ProvinceBaselineViewSet,
    QuarterlyReportViewSet,
    ReopenRequestViewSet,
)

router = PortalRouter()
router.register("quarterly-reports", QuarterlyReportViewSet, basename="quarterly-report")
router.register("reopen-requests", ReopenRequestViewSet, basename="reopen-request")
router.register("baselines", ProvinceBaselineViewSet, basename="baseline")
router.register("jobs", JobViewSet, basename="job")
router.register("quarterly-below", BelowViewSet, basename="quarterly-below")
urlpatterns = [path("indicators/", IndicatorsView.as_view(), name="api-indicators"), *router.urls]
