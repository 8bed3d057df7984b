"""Reads of the plan: the plan shown by default, its areas with their counts, measures with their
units, a unit's measures, and the responsibility matrix. Each costs a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from agencies.models import MemberUnit
from measures.choices import ResponsibilityRole
from measures.models import Area, Measure, Plan, Responsibility


def plan_current(user) -> Plan | None:
    """The plan shown by default: the newest one the user may see."""
    return Plan.objects.restrict(user).order_by("-start_year").first()


def areas_with_counts(plan: Plan):
    return (
        Area.objects.filter(plan=plan)
        .annotate(
            measure_count=Count("measures", filter=Q(measures__parent__isnull=True)),
            sub_measure_count=Count("measures", filter=Q(measures__parent__isnull=False)),
        )
        .order_by("seq")
    )


def measures_with_units(queryset):
    """Measures with their responsibilities (and units) loaded in one more query."""
    return queryset.select_related("area", "parent").prefetch_related(
        Prefetch(
            "responsibilities",
            queryset=Responsibility.objects.select_related("unit").order_by("role", "seq"),
        )
    )


def unit_measures(plan: Plan, unit: MemberUnit) -> dict[str, list[Measure]]:
    """The unit's measures in this plan, by role: ``{"R": [...], "C": [...]}``, in plan order."""
    rows = (
        Responsibility.objects.filter(measure__plan=plan, unit=unit)
        .select_related("measure__area", "measure__parent")
        .order_by("measure__seq")
    )
    result: dict[str, list[Measure]] = {role: [] for role in ResponsibilityRole.values}
    for row in rows:
        result[row.role].append(row.measure)
    return result


@dataclass
class Matrix:
    """Units × measures with the role of each unit on each measure."""

    units: list[MemberUnit]
    measures: list[Measure]
    roles: dict[tuple[int, int], str]

    def rows(self):
        """(unit, [role or "" per measure]) in the order of units and measures."""
        for unit in self.units:
            yield unit, [self.roles.get((unit.pk, m.pk), "") for m in self.measures]


def responsibility_matrix(user, plan: Plan) -> Matrix:
    """The units and measures of ``plan`` that ``user`` may see, with each unit's role on each measure."""
    measures = list(Measure.objects.restrict(user).filter(plan=plan).select_related("parent").order_by("seq"))
    roles = {
        (unit_id, measure_id): role
        for unit_id, measure_id, role in Responsibility.objects.restrict(user)
        .filter(measure__plan=plan)
        .values_list("unit_id", "measure_id", "role")
    }
    unit_ids = {unit_id for unit_id, _ in roles}
    units = list(MemberUnit.objects.restrict(user).filter(Q(is_member=True) | Q(pk__in=unit_ids)))
    return Matrix(units=units, measures=measures, roles=roles)
