"""API of the organisation's reference data: member units and provinces, read only."""

from agencies.api.serializers import MemberUnitSerializer, ProvinceSerializer
from agencies.filtersets import MemberUnitFilterSet, ProvinceFilterSet
from agencies.models import MemberUnit, Province
from core.api.views import RestrictedReadOnlyViewSet


class MemberUnitViewSet(RestrictedReadOnlyViewSet):
    """Member units of the Joint Conference (and the IMCS Office), in the plan's order."""

    queryset = MemberUnit.objects.all()
    serializer_class = MemberUnitSerializer
    filterset_class = MemberUnitFilterSet
    lookup_field = "code"


class ProvinceViewSet(RestrictedReadOnlyViewSet):
    """Provincial-level divisions with their GB/T 2260 codes."""

    queryset = Province.objects.all()
    serializer_class = ProvinceSerializer
    filterset_class = ProvinceFilterSet
    lookup_field = "code"
