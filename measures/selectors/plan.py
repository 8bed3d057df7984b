"""Reads of the plan: the plan shown by default, its areas with their counts, measures with their
units, a unit's measures, and the responsibility matrix. Each costs a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from agencies.models import MemberUnit
from measures.choices import ResponsibilityRole
from measures.models import Area, Measure, Plan, PlanMembership, Responsibility, UnitChange
from measures.selectors.lineage import Lineage, plan_today


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


def unit_measures(plan: Plan, unit: MemberUnit, day=None) -> dict[str, list[Measure]]:
    """The measures the unit has in this plan, by role: ``{"R": [...], "C": [...]}``, in plan order:
    its own as the plan wrote them, and those it answers for on ``day`` (default: today, within the
    plan's years) after a change of units, each of those with ``measure.former`` set to the unit
    the plan named (otherwise None). Five queries."""
    lineage = Lineage.of_plan(plan, unit_ids=[unit.pk])
    answered = lineage.answered_by(unit.pk, day or plan_today(plan))
    rows = (
        Responsibility.objects.filter(
            Q(measure__plan=plan, unit=unit) | Q(pk__in=[a.responsibility.pk for a in answered.values()])
        )
        .select_related("measure__area", "measure__parent", "unit")
        .order_by("measure__seq", "-role")
    )
    result: dict[str, list[Measure]] = {role: [] for role in ResponsibilityRole.values}
    seen = set()
    for row in rows:
        if row.measure_id in seen:
            continue
        seen.add(row.measure_id)
        answer = answered.get(row.measure_id)
        role = answer.role if answer else row.role
        row.measure.former = row.unit if row.unit_id != unit.pk else None
        result[role].append(row.measure)
    return result


@dataclass
class MemberRow:
    """A unit as the plan lists it (order, lead, name as written) with its measures in the plan."""

    membership: PlanMembership
    responsible_count: int
    cooperating_count: int

    @property
    def unit(self) -> MemberUnit:
        return self.membership.unit


def plan_members(plan: Plan) -> list[MemberRow]:
    """The plan's membership in its order (members first, then the IMCS Office), with the number of
    measures each unit is responsible for or cooperates on as the plan wrote them. Two queries."""
    counts = {
        (unit_id, role): n
        for unit_id, role, n in Responsibility.objects.filter(measure__plan=plan)
        .values_list("unit_id", "role")
        .annotate(n=Count("id"))
        .values_list("unit_id", "role", "n")
    }
    memberships = (
        PlanMembership.objects.filter(plan=plan).select_related("unit").order_by("-is_member", "seq")
    )
    return [
        MemberRow(
            m,
            counts.get((m.unit_id, ResponsibilityRole.RESPONSIBLE), 0),
            counts.get((m.unit_id, ResponsibilityRole.COOPERATING), 0),
        )
        for m in memberships
    ]


def plan_unit_changes(plan: Plan) -> list[UnitChange]:
    """The changes of member units the plan states, in date order (one row per step)."""
    return list(
        UnitChange.objects.filter(plan=plan)
        .select_related("predecessor", "successor")
        .order_by("on", "kind", "successor__seq", "predecessor__seq", "pk")
    )


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
    # The plan's membership in its order (a unit with a role but not listed, after it).
    listed = [
        m.unit
        for m in PlanMembership.objects.filter(plan=plan).select_related("unit").order_by("-is_member", "seq")
    ]
    others = {unit_id for unit_id, _ in roles} - {u.pk for u in listed}
    units = listed + list(MemberUnit.objects.restrict(user).filter(pk__in=others))
    return Matrix(units=units, measures=measures, roles=roles)
