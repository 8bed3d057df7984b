from rest_framework.routers import SimpleRouter

from .progress import EvidenceFileViewSet, ProgressEntryViewSet, ReportingPeriodViewSet
from .views import AreaViewSet, MeasureViewSet, PlanViewSet, TargetViewSet

router = SimpleRouter()
router.register("plans", PlanViewSet, basename="plan")
router.register("areas", AreaViewSet, basename="area")
router.register("measures", MeasureViewSet, basename="measure")
router.register("targets", TargetViewSet, basename="target")
router.register("periods", ReportingPeriodViewSet, basename="period")
router.register("progress-entries", ProgressEntryViewSet, basename="progress-entry")
router.register("evidence-files", EvidenceFileViewSet, basename="evidence-file")
urlpatterns = router.urls
