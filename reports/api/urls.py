from rest_framework.routers import SimpleRouter

from .views import JobViewSet, ProvinceBaselineViewSet, QuarterlyReportViewSet, ReopenRequestViewSet

router = SimpleRouter()
router.register("quarterly-reports", QuarterlyReportViewSet, basename="quarterly-report")
router.register("reopen-requests", ReopenRequestViewSet, basename="reopen-request")
router.register("baselines", ProvinceBaselineViewSet, basename="baseline")
router.register("jobs", JobViewSet, basename="job")
urlpatterns = router.urls
