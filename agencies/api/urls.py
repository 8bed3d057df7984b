"""API routes of the organisation: ``units/`` and ``provinces/`` (token routes: ``imcs_portal.api_urls``)."""

from agencies.api.views import MemberUnitViewSet, ProvinceViewSet
from core.api.views import PortalRouter

router = PortalRouter()
router.register("units", MemberUnitViewSet, basename="unit")
router.register("provinces", ProvinceViewSet, basename="province")
urlpatterns = router.urls
