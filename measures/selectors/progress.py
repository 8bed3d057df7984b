"""Reads of progress: a liaison officer's measures and returned entries, the Office's inbox, the
units' entries on one measure and quarter, and the units' timeliness. Each costs a fixed number of
queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce

from agencies.models import MemberUnit
from core.choices import ReviewState
from measures.choices import ProgressStatus, Timeliness
from measures.models import Measure, Plan, ProgressEntry, ProgressFigure, ReportingPeriod, Responsibility
from measures.selectors.lineage import Lineage, plan_steps


@dataclass
class MyMeasureRow:
    """A measure on a liaison's list: the unit's role, its latest status and this period's entry;
    ``former`` is the unit the plan named where the liaison's unit answers for it (its successor)."""

    measure: Measure
    role: str
    latest_status: str
    entry: ProgressEntry | None
    former: MemberUnit | None = None

    @property
    def needs_attention(self) -> bool:
        return self.entry is not None and self.entry.state == ReviewState.RETURNED

    @property
    def latest_status_label(self) -> str:
        return ProgressStatus(self.latest_status).label if self.latest_status else ""


def my_measures(
    user,
    plan: Plan,
    period: ReportingPeriod,
    *,
    area: int | None = None,
    role: str = "",
    status: str = "",
    lineage: Lineage | None = None,
) -> list[MyMeasureRow]:
    """The measures the liaison's unit answers for in ``period`` (its own, and its predecessors'
    after a change: ``selectors.lineage``): returned entries first, then in the plan's order.

    The latest status is the measure's last one reported by the unit or a unit it answers for.
    Five queries: the lineage (three), the measures, this period's entries.
    """
    lineage = lineage or Lineage.of_plan(plan, unit_ids=[user.unit_id])
    answered = lineage.answered_by(user.unit_id, period)
    reporting_units = [user.unit_id, *lineage.predecessors(user.unit_id)]
    latest_status = (
        ProgressEntry.objects.restrict(user)
        .filter(measure=OuterRef("measure"), unit_id__in=reporting_units)
        .exclude(status="")
        .order_by("-period__starts_on")
        .values("status")[:1]
    )
    rows = (
        Responsibility.objects.restrict(user)
        .filter(pk__in=[a.responsibility.pk for a in answered.values()])
        .select_related("measure", "unit")
        .annotate(latest_status=Coalesce(Subquery(latest_status), Value("")))
        .order_by("measure__seq")
    )
    if area:
        rows = rows.filter(measure__area__seq=area)
    if role:
        rows = rows.filter(role=role)
    if status:
        rows = rows.filter(latest_status=status)
    entries = {
        e.measure_id: e
        for e in ProgressEntry.objects.restrict(user)
        .filter(unit_id=user.unit_id, period=period)
        .select_related("period")
    }
    result = [
        MyMeasureRow(
            r.measure,
            r.role,
            r.latest_status,
            entries.get(r.measure_id),
            r.unit if r.unit_id != user.unit_id else None,
        )
        for r in rows
    ]
    result.sort(key=lambda row: not row.needs_attention)  # stable: plan order within each group
    return result


def passed_on(user, plan: Plan, period: ReportingPeriod, *, lineage: Lineage | None = None) -> list:
    """The changes by which the user's unit's own measures are answered by another unit in
    ``period`` (a liaison of 劳动保障部 in 2009: to 人力资源社会保障部), one per successor:
    ``[(successor, change)]``. No query beyond the lineage's when the unit never changed."""
    lineage = lineage or Lineage.of_plan(plan, unit_ids=[user.unit_id])
    if not lineage.successors_of(user.unit_id):
        return []
    found = {}
    for r in lineage.responsibilities:
        if r.unit_id == user.unit_id:
            step = lineage.passed_on(r.unit_id, r.measure_id, period)
            if step is not None:
                found.setdefault(lineage.answering(r.unit_id, r.measure_id, period), step)
    return [(lineage.unit(unit_id), step.change) for unit_id, step in found.items()]


def returned_to_unit(user):
    """Entries the Office returned to the user's unit, in any period: they wait for a fix."""
    return (
        ProgressEntry.objects.restrict(user)
        .filter(unit_id=user.unit_id, state=ReviewState.RETURNED)
        .listed()
        .order_by("period__starts_on", "measure__seq")
    )


def review_inbox(user, *, period: ReportingPeriod | None = None, unit_code: str = ""):
    """Submitted entries waiting for the Office, oldest first."""
    entries = ProgressEntry.objects.restrict(user).filter(state=ReviewState.SUBMITTED).listed()
    if period:
        entries = entries.filter(period=period)
    if unit_code:
        entries = entries.filter(unit__code=unit_code)
    return entries.order_by("submitted_at", "pk")


@dataclass
class UnitEntry:
    """A unit answering for the measure in the period, with its entry; ``former`` is the unit the
    plan named where another unit answers for it (人力资源社会保障部 for 劳动保障部 in 2009)."""

    unit: MemberUnit
    role: str
    entry: ProgressEntry | None
    former: MemberUnit | None = None


def measure_period_entries(user, measure: Measure, period: ReportingPeriod) -> list[UnitEntry]:
    """Every unit answering for the measure in the period, responsible first, beside the entry the
    user may see (``selectors.lineage``: a successor answers for its predecessors' responsibilities)."""
    entries = {
        e.unit_id: e
        for e in ProgressEntry.objects.restrict(user)
        .filter(measure=measure, period=period)
        .with_details()
        .prefetch_related(
            Prefetch("figures", queryset=ProgressFigure.objects.select_related("definition")), "evidence"
        )
    }
    responsibilities = (
        Responsibility.objects.restrict(user)
        .filter(measure=measure)
        .select_related("unit")
        .order_by("-role", "seq")
    )
    lineage = Lineage(
        plan=measure.plan_id, steps=plan_steps(measure.plan_id), responsibilities=list(responsibilities)
    )
    rows = []
    for answer in lineage.answers_for_measure(measure.pk, period):
        former = answer.responsibility.unit if answer.former_id else None
        rows.append(UnitEntry(lineage.unit(answer.unit_id), answer.role, entries.get(answer.unit_id), former))
    return rows


@dataclass
class TimelinessCell:
    period: ReportingPeriod
    expected: int
    on_time: int
    late: int
    deadline_passed: bool

    @property
    def submitted(self) -> int:
        return self.on_time + self.late

    @property
    def missing(self) -> int:
        return max(self.expected - self.submitted, 0)

    @property
    def verdict(self) -> str:
        if self.submitted >= self.expected:
            return Timeliness.LATE if self.late else Timeliness.ON_TIME
        return Timeliness.MISSING if self.deadline_passed else Timeliness.PENDING

    @property
    def verdict_label(self) -> str:
        return Timeliness(self.verdict).label


def unit_timeliness(
    user, plan: Plan, periods: list[ReportingPeriod], today
) -> list[tuple[MemberUnit, list[TimelinessCell]]]:
    """For each unit with measures, and each period: entries expected, submitted on time and late,
    counting the entries ``user`` may see: the readers of all every unit's; a liaison officer their
    own unit's in full (of other units only what the gate shows them, so read only their own row).

    An entry is expected for every measure the unit answers for in the period: its own (responsible
    or cooperating) and its predecessors' after a change of units (``selectors.lineage``), so that
    in 2009 人力资源社会保障部 is expected to report on 劳动保障部's measures, and 劳动保障部 on none.
    Four queries, whatever the number of units, periods and entries.
    """
    lineage = Lineage.of_plan(plan)
    expected: dict[tuple[int, int], int] = {}
    for period in periods:
        for unit_id, _measure_id in lineage.answers(period):
            expected[(unit_id, period.pk)] = expected.get((unit_id, period.pk), 0) + 1
    unit_ids = {unit_id for unit_id, _period_id in expected} or {r.unit_id for r in lineage.responsibilities}
    units = list(MemberUnit.objects.restrict(user).filter(pk__in=unit_ids))
    counts = {
        (row["unit_id"], row["period_id"]): row
        for row in ProgressEntry.objects.restrict(user)
        .filter(period__in=periods, first_submitted_at__isnull=False)
        .values("unit_id", "period_id")
        .annotate(
            on_time=Count("id", filter=Q(first_submitted_at__date__lte=F("period__deadline"))),
            total=Count("id"),
        )
    }
    table = []
    for unit in units:
        cells = []
        for period in periods:
            row = counts.get((unit.pk, period.pk), {"on_time": 0, "total": 0})
            cells.append(
                TimelinessCell(
                    period=period,
                    expected=expected.get((unit.pk, period.pk), 0),
                    on_time=row["on_time"],
                    late=row["total"] - row["on_time"],
                    deadline_passed=period.deadline < today,
                )
            )
        table.append((unit, cells))
    return table
