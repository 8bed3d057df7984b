"""Filters of the measures API's lists: measures (plan, area, parent measure, top-level only) and
cooperation agreements (party province, kind, status, year, measure)."""

import django_filters

from measures.choices import AgreementKind, AgreementStatus
from measures.models import CooperationAgreement, Measure
from measures.selectors.agreements import AgreementFilters


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


class AgreementFilterSet(django_filters.FilterSet):
    """The registry's filters in the API, the same as its page's (``AgreementFilters``)."""

    province = django_filters.CharFilter(method="filter_registry", max_length=6, label="party province code")
    kind = django_filters.ChoiceFilter(choices=AgreementKind.choices, method="filter_registry")
    status = django_filters.ChoiceFilter(choices=AgreementStatus.choices, method="filter_registry")
    year = django_filters.NumberFilter(
        method="filter_registry", min_value=1980, max_value=2100, label="year signed"
    )
    measure = django_filters.NumberFilter(
        method="filter_registry", min_value=1, max_value=2**62, label="id of a measure it serves"
    )

    class Meta:
        model = CooperationAgreement
        fields: list[str] = []

    def filter_registry(self, queryset, name, value):
        if name in ("year", "measure"):
            value = int(value)
        return AgreementFilters(**{name: value}).apply(queryset)
