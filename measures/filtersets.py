"""Filters of the measures API's list (plan, area, parent measure, top-level only)."""

import django_filters

from measures.models import Measure


class MeasureFilterSet(django_filters.FilterSet):
    plan = django_filters.CharFilter(field_name="plan__code", label="plan code")
    area = django_filters.NumberFilter(field_name="area__seq", label="area number")
    parent = django_filters.CharFilter(field_name="parent__ref", label="parent measure ref")
    top_level = django_filters.BooleanFilter(
        field_name="parent", lookup_expr="isnull", label="top-level measures only"
    )
    responsible = django_filters.CharFilter(method="filter_role", label="responsible unit code")
    cooperating = django_filters.CharFilter(method="filter_role", label="cooperating unit code")
    unit = django_filters.CharFilter(field_name="responsibilities__unit__code", label="unit code (any role)")

    class Meta:
        model = Measure
        fields = ["ref"]

    def filter_role(self, queryset, name, value):
        role = "R" if name == "responsible" else "C"
        return queryset.filter(responsibilities__unit__code=value, responsibilities__role=role)
