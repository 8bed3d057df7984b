"""API routes of the organisation: ``units/`` and ``provinces/``, and the token routes
``auth/token/``, ``auth/logout/``, ``auth/logout-all/``."""

from django.urls import path

from agencies.api.views import LogoutAllView, LogoutView, MemberUnitViewSet, ObtainTokenView, ProvinceViewSet
from core.api.views import PortalRouter

router = PortalRouter()
router.register("units", MemberUnitViewSet, basename="unit")
router.register("provinces", ProvinceViewSet, basename="province")
urlpatterns = [
    *router.urls,
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("auth/logout/", LogoutView.as_view(), name="api-logout"),
    path("auth/logout-all/", LogoutAllView.as_view(), name="api-logout-all"),
]
