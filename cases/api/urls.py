from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import CaseFileViewSet, CaseStatisticsView, ReferralViewSet

router = SimpleRouter()
router.register("cases", CaseFileViewSet, basename="case")
router.register("referrals", ReferralViewSet, basename="referral")
urlpatterns = [path("case-statistics/", CaseStatisticsView.as_view(), name="case-statistics"), *router.urls]
