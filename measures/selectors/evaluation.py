"""Reads of evaluation rounds: rows for compiled reports, the round page, the round list, the compare
page. Each costs a fixed number of queries, whatever the number of measures, units and assessments.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch

from agencies.models import MemberUnit
from core.permissions import LOG_PROGRESS, READ_ALL_SUBMITTED, may
from measures.choices import EvaluationRating, ResponsibilityRole
from measures.models import EvaluationRound, Measure, OfficeAssessment, Plan, Responsibility, SelfAssessment


def evaluated_measures(plan: Plan | int):
    """The measures a round evaluates: those with at least one responsible unit (a measure whose
    units the plan names only on its sub-measures is evaluated through them), with their area, in
    the plan's order (area, then measure)."""
    return (
        Measure.objects.filter(
            plan=plan,
            pk__in=Responsibility.objects.filter(role=ResponsibilityRole.RESPONSIBLE).values("measure_id"),
        )
        .select_related("area")
        .order_by("area__seq", "seq")
    )


@dataclass
class EvaluationRow:
    """One measure of a round: the submitted self-assessments of its units, the Office's assessment."""

    measure: Measure
    self_assessments: list[SelfAssessment]
    office: OfficeAssessment | None


def evaluation_rows(user, round: EvaluationRound) -> list[EvaluationRow]:
    """Every evaluated measure of the round (area loaded), in plan order, with the submitted
    self-assessments (unit loaded, in the units' order) and the Office's assessment (or None), as
    ``user`` may see them.

    For compiled reports, read as their reader (a reader of all submitted work). Three queries,
    whatever the size of the round.
    """
    submitted = (
        SelfAssessment.objects.restrict(user)
        .filter(round=round, submitted_at__isnull=False)
        .select_related("unit")
        .order_by("unit__seq")
    )
    measures = evaluated_measures(round.plan_id).prefetch_related(
        Prefetch("self_assessments", queryset=submitted, to_attr="round_self_assessments")
    )
    office = {a.measure_id: a for a in OfficeAssessment.objects.restrict(user).filter(round=round)}
    return [EvaluationRow(m, m.round_self_assessments, office.get(m.pk)) for m in measures]


@dataclass
class UnitAssessment:
    """A responsible unit of a measure beside its self-assessment (None: nothing the user may see)."""

    unit: MemberUnit
    assessment: SelfAssessment | None


@dataclass
class RoundMeasure:
    """A measure on a round's page, with what the user may see of its assessments."""

    measure: Measure
    units: list[UnitAssessment]
    office: OfficeAssessment | None
    form: object = None  # the form the page shows for it, if the user may edit


def round_measures(user, evaluation_round: EvaluationRound) -> list[RoundMeasure]:
    """The round's measures as ``user`` sees them: the Office, auditors and administrators every
    evaluated measure with every submitted self-assessment and the Office's assessment; a liaison
    officer the measures their unit is responsible for, with their unit's own self-assessment.
    Four queries."""
    measures = evaluated_measures(evaluation_round.plan_id)
    responsibilities = (
        Responsibility.objects.restrict(user)
        .filter(role=ResponsibilityRole.RESPONSIBLE)
        .select_related("unit")
    )
    if may(user, LOG_PROGRESS):
        measures = measures.filter(
            responsibilities__unit_id=user.unit_id, responsibilities__role=ResponsibilityRole.RESPONSIBLE
        )
        responsibilities = responsibilities.filter(unit_id=user.unit_id)
    elif not may(user, READ_ALL_SUBMITTED):
        return []
    measures = measures.prefetch_related(
        Prefetch("responsibilities", queryset=responsibilities.order_by("seq"), to_attr="responsible")
    )
    assessments = {
        (a.measure_id, a.unit_id): a
        for a in SelfAssessment.objects.restrict(user).filter(round=evaluation_round)
    }
    office = {
        a.measure_id: a
        for a in OfficeAssessment.objects.restrict(user)
        .filter(round=evaluation_round)
        .select_related("updated_by")
    }
    return [
        RoundMeasure(
            measure=m,
            units=[UnitAssessment(r.unit, assessments.get((m.pk, r.unit_id))) for r in m.responsible],
            office=office.get(m.pk),
        )
        for m in measures
    ]


@dataclass
class Completeness:
    """How far a round is: measures evaluated, how many every responsible unit self-assessed
    (submitted), how many the Office assessed. For a liaison officer: their unit's measures."""

    measures: int
    self_assessed: int
    office_assessed: int | None  # None: not the user's to know

    @property
    def percent(self) -> int:
        return round(100 * self.self_assessed / self.measures) if self.measures else 0


def rounds_completeness(user, rounds: list[EvaluationRound]) -> dict[int, Completeness]:
    """Completeness of each round, by round id; three queries for any number of rounds."""
    if not rounds:
        return {}
    plan_ids = {r.plan_id for r in rounds}
    responsible = Responsibility.objects.restrict(user).filter(
        measure__plan_id__in=plan_ids, role=ResponsibilityRole.RESPONSIBLE
    )
    if may(user, LOG_PROGRESS):
        responsible = responsible.filter(unit_id=user.unit_id)
    # Units expected per measure, and measures per plan.
    expected: dict[int, int] = {}
    plan_of: dict[int, int] = {}
    for row in responsible.values("measure_id", "measure__plan_id").annotate(n=Count("id")):
        expected[row["measure_id"]] = row["n"]
        plan_of[row["measure_id"]] = row["measure__plan_id"]
    submitted = (
        SelfAssessment.objects.restrict(user)
        .filter(round__in=rounds, submitted_at__isnull=False, measure_id__in=expected)
        .values("round_id", "measure_id")
        .annotate(n=Count("id"))
    )
    done: dict[int, int] = {}
    for row in submitted:
        if row["n"] >= expected[row["measure_id"]]:
            done[row["round_id"]] = done.get(row["round_id"], 0) + 1
    office: dict[int, int] = dict(
        OfficeAssessment.objects.restrict(user)
        .filter(round__in=rounds, measure_id__in=expected)
        .values_list("round_id")
        .annotate(n=Count("id"))
    )
    sees_office = may(user, READ_ALL_SUBMITTED)
    return {
        r.pk: Completeness(
            measures=sum(1 for plan_id in plan_of.values() if plan_id == r.plan_id),
            self_assessed=done.get(r.pk, 0),
            office_assessed=office.get(r.pk, 0) if sees_office else None,
        )
        for r in rounds
    }


@dataclass
class RatingPair:
    """A rating in the first and in the second round ("" where there is none)."""

    first: str
    second: str

    @property
    def changed(self) -> bool:
        return bool(self.first and self.second and self.first != self.second)

    @property
    def direction(self) -> str:
        """ "up" or "down" (the second rating better or worse), "" if unchanged or not comparable."""
        if not self.changed:
            return ""
        order = EvaluationRating.values  # best first
        return "up" if order.index(self.second) < order.index(self.first) else "down"


@dataclass
class CompareRow:
    measure: Measure
    units: list[tuple[MemberUnit, RatingPair]] = field(default_factory=list)
    office: RatingPair | None = None

    @property
    def changed(self) -> bool:
        return any(pair.changed for _unit, pair in self.units) or bool(self.office and self.office.changed)


def rounds_compare(user, first: EvaluationRound, second: EvaluationRound) -> list[CompareRow]:
    """The ratings of each measure in two rounds of the same plan, side by side, as ``user`` may see
    them (a liaison officer: their unit's; the Office's only to the readers of all). Four queries."""
    rows = round_measures(user, first)
    ratings = {
        (a.round_id, a.measure_id, a.unit_id): a.rating
        for a in SelfAssessment.objects.restrict(user).filter(
            round__in=[first, second], submitted_at__isnull=False
        )
    }
    office = {
        (a.round_id, a.measure_id): a.rating
        for a in OfficeAssessment.objects.restrict(user).filter(round__in=[first, second])
    }
    sees_office = may(user, READ_ALL_SUBMITTED)
    result = []
    for row in rows:
        m = row.measure
        result.append(
            CompareRow(
                measure=m,
                units=[
                    (
                        ua.unit,
                        RatingPair(
                            ratings.get((first.pk, m.pk, ua.unit.pk), ""),
                            ratings.get((second.pk, m.pk, ua.unit.pk), ""),
                        ),
                    )
                    for ua in row.units
                ],
                office=RatingPair(office.get((first.pk, m.pk), ""), office.get((second.pk, m.pk), ""))
                if sees_office
                else None,
            )
        )
    return result
