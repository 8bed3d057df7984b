from core.api.views import RestrictedReadOnlyViewSet
from measures.api.serializers import AreaSerializer, MeasureSerializer, PlanSerializer, TargetSerializer
from measures.filtersets import MeasureFilterSet
from measures.models import Area, Measure, Plan, Target
from measures.selectors import measures_with_units


class PlanViewSet(RestrictedReadOnlyViewSet):
    """Plans of action (one row each: 2008–2012, and later plans loaded the same way)."""

    queryset = Plan.objects.all()
    serializer_class = PlanSerializer
    lookup_field = "code"


class AreaViewSet(RestrictedReadOnlyViewSet):
    """Areas of action of each plan, with their work objectives."""

    queryset = Area.objects.select_related("plan")
    serializer_class = AreaSerializer
    filterset_fields = {"plan__code": ["exact"], "seq": ["exact"]}


class MeasureViewSet(RestrictedReadOnlyViewSet):
    """Measures and dash sub-measures with their responsible and cooperating units (unit codes).

    The reference is area.measure for a measure (2.1) and area.measure.letter for a dash item under
    it (2.1.a); the plan writes them 2.(1) and 2.(1)-a.
    """

    queryset = measures_with_units(Measure.objects.select_related("plan"))
    serializer_class = MeasureSerializer
    filterset_class = MeasureFilterSet

    def get_queryset(self):
        # A unit filter joins responsibilities: keep each measure once.
        return super().get_queryset().distinct()


class TargetViewSet(RestrictedReadOnlyViewSet):
    """Dated milestones and indicators the plan states."""

    queryset = Target.objects.select_related("plan", "area", "measure")
    serializer_class = TargetSerializer
    filterset_fields = {"plan__code": ["exact"], "kind": ["exact"], "indicator": ["exact"]}
