"""The measures app's API routes: the plan, reporting periods, progress entries and evidence,
evaluation rounds and assessments."""

from core.api.views import PortalRouter
from measures.api.views import (
    AreaViewSet,
    CooperationAgreementViewSet,
    EvaluationRoundViewSet,
    EvidenceFileViewSet,
    FundingLineViewSet,
    GoodPracticeViewSet,
    ImplementationPlanViewSet,
    MeasureViewSet,
    OfficeAssessmentViewSet,
    PlanViewSet,
    PracticeAttachmentViewSet,
    ProgressEntryViewSet,
    ReportingPeriodViewSet,
    SelfAssessmentViewSet,
    TargetViewSet,
)

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
router.register("implementation-plans", ImplementationPlanViewSet, basename="implementation-plan")
router.register("agreements", CooperationAgreementViewSet, basename="agreement")
router.register("funding", FundingLineViewSet, basename="funding-line")
router.register("good-practices", GoodPracticeViewSet, basename="good-practice")
router.register("practice-attachments", PracticeAttachmentViewSet, basename="practice-attachment")
urlpatterns = router.urls
