from agencies.api.viewsets import PortalRouter

from .views import MemberUnitViewSet, ProvinceViewSet

router = PortalRouter()
router.register("units", MemberUnitViewSet, basename="unit")
router.register("provinces", ProvinceViewSet, basename="province")
urlpatterns = router.urls
