from core.api.views import PortalRouter
from measures.api.evaluation import EvaluationRoundViewSet, OfficeAssessmentViewSet, SelfAssessmentViewSet
from measures.api.progress import EvidenceFileViewSet, ProgressEntryViewSet, ReportingPeriodViewSet
from measures.api.views import AreaViewSet, MeasureViewSet, PlanViewSet, TargetViewSet

router = PortalRouter()
router.register("plans", PlanViewSet, basename="plan")
router.register("areas", AreaViewSet, basename="area")
router.register("measures", MeasureViewSet, basename="measure")
router.register("targets", TargetViewSet, basename="target")
router.register("periods", ReportingPeriodViewSet, basename="period")
router.register("progress-entries", ProgressEntryViewSet, basename="progress-entry")
router.register("evidence-files", EvidenceFileViewSet, basename="evidence-file")
router.register("evaluation-rounds", EvaluationRoundViewSet, basename="evaluation-round")
router.register("self-assessments", SelfAssessmentViewSet, basename="self-assessment")
router.register("office-assessments", OfficeAssessmentViewSet, basename="office-assessment")
urlpatterns = router.urls
