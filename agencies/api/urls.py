from rest_framework.routers import SimpleRouter

from .views import MemberUnitViewSet, ProvinceViewSet

router = SimpleRouter()
router.register("units", MemberUnitViewSet, basename="unit")
router.register("provinces", ProvinceViewSet, basename="province")
urlpatterns = router.urls
