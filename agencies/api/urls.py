from agencies.api.views import MemberUnitViewSet, ProvinceViewSet
from core.api.views import PortalRouter

router = PortalRouter()
router.register("units", MemberUnitViewSet, basename="unit")
router.register("provinces", ProvinceViewSet, basename="province")
urlpatterns = router.urls
