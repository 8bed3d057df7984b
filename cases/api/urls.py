from django.urls import path

from agencies.api.viewsets import PortalRouter

from .views import CaseFileViewSet, CaseStatisticsView, ReferralViewSet

router = PortalRouter()
router.register("cases", CaseFileViewSet, basename="case")
router.register("referrals", ReferralViewSet, basename="referral")
urlpatterns = [path("case-statistics/", CaseStatisticsView.as_view(), name="case-statistics"), *router.urls]
