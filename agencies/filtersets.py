"""Filters of the organisation's API lists (units, provinces)."""

import django_filters

from agencies.models import MemberUnit, Province


class MemberUnitFilterSet(django_filters.FilterSet):
    class Meta:
        model = MemberUnit
        fields = ["code", "is_member"]


class ProvinceFilterSet(django_filters.FilterSet):
    class Meta:
        model = Province
        fields = ["code", "kind", "is_key_area", "is_origin", "is_destination"]
