"""URLs of the case files API: case files, referrals, and case statistics (under /api/)."""

from django.urls import path

from cases.api.views import CaseFileViewSet, CaseStatisticsView, ReferralViewSet
from core.api.views import PortalRouter

router = PortalRouter()
router.register("cases", CaseFileViewSet, basename="case")
router.register("referrals", ReferralViewSet, basename="referral")
urlpatterns = [path("case-statistics/", CaseStatisticsView.as_view(), name="case-statistics"), *router.urls]
