"""Reads of implementation plans: the Office's table of every owner of a plan (its member units
and the provinces) with its implementation plan or none yet, a plan with its lines grouped by
measure, and the lines an owner may name in its progress entries and quarterly reports. Each costs
a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch

from agencies.models import MemberUnit, Province
from core.choices import ReviewState
from core.permissions import VIEW
from measures.models import (
    ImplementationLine,
    ImplementationPlan,
    ImplementationTarget,
    Plan,
    SelfCheck,
)
from measures.models.owners import owner_of
from measures.selectors.lineage import units_writing_plans

# The owners' table's filters: everyone, or those with no plan the reader sees yet.
SHOW_ALL, SHOW_MISSING = "all", "missing"


@dataclass
class OwnerRow:
    """A member unit or a province of the plan, and its implementation plan as the reader sees it
    (``None``: none submitted yet, or none at all)."""

    unit: MemberUnit | None
    province: Province | None
    record: ImplementationPlan | None

    @property
    def owner(self):
        return self.unit or self.province

    @property
    def code(self) -> str:
        return self.owner.code


def owner_rows(user, plan: Plan, *, show: str = SHOW_ALL, kind: str = "") -> list[OwnerRow]:
    """Every member unit that writes a plan of ``plan`` (``units_writing_plans``: a successor in
    its predecessor's place) and every province, each with its
    implementation plan if ``user`` sees one; ``show="missing"`` keeps those without. ``kind`` is
    "unit" or "province" to keep one kind. Five queries, whatever the number of owners."""
    records = {
        (r.unit_id, r.province_id): r
        for r in ImplementationPlan.objects.restrict(user, VIEW)
        .filter(plan=plan)
        .select_related("submitted_by", "reviewed_by")
        .annotate(line_count=Count("lines"))
    }
    rows = []
    if kind in ("", "unit"):
        writing = units_writing_plans(plan)
        units = MemberUnit.objects.in_bulk(writing)
        rows += [OwnerRow(units[pk], None, records.get((pk, None))) for pk in writing]
    if kind in ("", "province"):
        rows += [OwnerRow(None, p, records.get((None, p.pk))) for p in Province.objects.restrict(user)]
    if show == SHOW_MISSING:
        rows = [row for row in rows if row.record is None]
    return rows


def state_counts(rows: list[OwnerRow]) -> dict[str, int]:
    """How many owners have a plan in each state, and how many none (``"none"``)."""
    counts = {"none": 0, **{state: 0 for state in ReviewState.values}}
    for row in rows:
        counts[row.record.state if row.record else "none"] += 1
    return counts


def plan_with_lines(queryset) -> ImplementationPlan | None:
    """The plan (the first of a restricted queryset), with its lines, their measures, targets (and
    divisions) and self-checks read at once; ``None`` if not there."""
    return (
        queryset.with_details()
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=ImplementationLine.objects.select_related("measure").prefetch_related(
                    Prefetch("targets", queryset=ImplementationTarget.objects.select_related("division")),
                    Prefetch("self_checks", queryset=SelfCheck.objects.select_related("updated_by")),
                ),
            )
        )
        .first()
    )


def lines_by_measure(record: ImplementationPlan) -> list[tuple]:
    """[(measure, [lines])] in the plan's order of measures (reads the prefetched lines)."""
    groups: dict[int, tuple] = {}
    for line in sorted(record.lines.all(), key=lambda line: (line.measure.seq, line.seq)):
        groups.setdefault(line.measure_id, (line.measure, []))[1].append(line)
    return list(groups.values())


def own_lines(user, plan_id: int, *, measure_id: int | None = None):
    """The lines of the implementation plan of ``user``'s unit or province (``owner_of``), on one
    measure if given: what a progress entry or a quarterly report may name. None for a user who
    owns no plan."""
    owner = owner_of(user)
    if owner is None:
        return ImplementationLine.objects.none()
    lines = ImplementationLine.objects.filter(
        owner.q("implementation_plan__"), implementation_plan__plan_id=plan_id
    ).select_related("measure")
    return lines.filter(measure_id=measure_id) if measure_id else lines


def missing_owners(user, plan: Plan) -> list[OwnerRow]:
    """The member units and provinces with no implementation plan ``user`` sees (for the Office:
    none submitted)."""
    return owner_rows(user, plan, show=SHOW_MISSING)


def seen_lines(user, lines) -> list[ImplementationLine]:
    """Of ``lines`` (a record names them), those of implementation plans ``user`` sees: one query,
    none when there are no lines."""
    lines = list(lines)
    if not lines:
        return []
    plan_ids = {line.implementation_plan_id for line in lines}
    seen = set(
        ImplementationPlan.objects.restrict(user, VIEW).filter(pk__in=plan_ids).values_list("pk", flat=True)
    )
    return [line for line in lines if line.implementation_plan_id in seen]
