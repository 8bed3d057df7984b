"""URLs of the case files API: case files, referrals, reports from the public, and case statistics
(under /api/)."""

from django.urls import path

from cases.api.views import CaseFileViewSet, CaseStatisticsView, PublicReportViewSet, ReferralViewSet
from core.api.views import PortalRouter

router = PortalRouter()
router.register("cases", CaseFileViewSet, basename="case")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("public-reports", PublicReportViewSet, basename="public-report")
urlpatterns = [path("case-statistics/", CaseStatisticsView.as_view(), name="case-statistics"), *router.urls]
