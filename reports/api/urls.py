"""The reports app's API routes: quarterly reports, reopening requests, baselines and jobs."""

from core.api.views import PortalRouter
from reports.api.chain import BelowViewSet
from reports.api.views import (
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
urlpatterns = router.urls
