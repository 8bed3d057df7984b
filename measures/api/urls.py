from rest_framework.routers import SimpleRouter

from .views import AreaViewSet, MeasureViewSet, PlanViewSet, TargetViewSet

router = SimpleRouter()
router.register("plans", PlanViewSet, basename="plan")
router.register("areas", AreaViewSet, basename="area")
router.register("measures", MeasureViewSet, basename="measure")
router.register("targets", TargetViewSet, basename="target")
urlpatterns = router.urls
