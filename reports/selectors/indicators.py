"""Reads of the plan's indicators from the provinces' quarterly figures: solved / reported and the
share of rescued persons assisted, against the 2007 baselines; by province, nationally, per quarter;
and every figure of the quarterly form summed over a span (for the compiled reports).

Each starts from what the user may see (the gate): the Office and auditors every province, a
province its own. Figures count the provinces' totals (``QuarterlyTotal.objects.counted()``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Sum

from agencies.models import Province
from core.permissions import READ_ALL_SUBMITTED, may
from measures.models import Plan, QuarterlyFigure, ReportingPeriod
from reports.models import ProvinceBaseline, QuarterlyTotal


@dataclass
class IndicatorRow:
    """Solved / reported and the share of rescued persons assisted, for one place and time span."""

    reported: int = 0
    solved: int = 0
    rescued: int = 0
    assisted: int = 0

    def add(self, code: str, value: int) -> None:
        if code == "cases_reported":
            self.reported += value
        elif code == "cases_solved":
            self.solved += value
        elif code in ("women_rescued", "children_rescued"):
            self.rescued += value
        elif code == "persons_assisted":
            self.assisted += value

    @classmethod
    def from_baselines(cls, baselines) -> IndicatorRow:
        """The cases reported and solved in the baseline year, over the given ProvinceBaselines."""
        baselines = list(baselines)
        return cls(
            reported=sum(b.cases_reported for b in baselines), solved=sum(b.cases_solved for b in baselines)
        )

    @property
    def ratio(self) -> float | None:
        return self.solved / self.reported if self.reported else None

    @property
    def assisted_share(self) -> float | None:
        return self.assisted / self.rescued if self.rescued else None


INDICATOR_FIGURES = (
    "cases_reported",
    "cases_solved",
    "women_rescued",
    "children_rescued",
    "persons_assisted",
)


@dataclass
class Indicators:
    periods: list[ReportingPeriod]
    provinces: list[Province]
    by_province: dict[int, dict[int, IndicatorRow]]  # province → period → row
    national: dict[int, IndicatorRow]  # period → row
    year_by_province: dict[int, IndicatorRow]
    year_national: IndicatorRow
    baselines: dict[int, ProvinceBaseline]
    baseline_national: IndicatorRow

    def rows(self):
        for province in self.provinces:
            cells = [self.by_province.get(province.pk, {}).get(p.pk, IndicatorRow()) for p in self.periods]
            yield (
                province,
                cells,
                self.year_by_province.get(province.pk, IndicatorRow()),
                self.baselines.get(province.pk),
            )

    def national_cells(self):
        return [self.national.get(p.pk, IndicatorRow()) for p in self.periods]


def indicators(user, plan: Plan, year: int) -> Indicators:
    """Ratios of one year per quarter and for the year, by province and nationally (three queries):
    every province for those who read all submitted work, a province's own row for its reporter.

    Counts submitted and accepted reports; a returned report is being corrected and is left out.
    """
    periods = list(ReportingPeriod.objects.filter(plan=plan, year=year).order_by("quarter"))
    provinces = list(
        Province.objects.all()
        if may(user, READ_ALL_SUBMITTED)
        else Province.objects.filter(pk=user.province_id)
    )
    sums = (
        QuarterlyTotal.objects.restrict(user)
        .counted(include_unconfirmed=True)
        .filter(
            report__period__in=periods,
            report__province__in=provinces,
            figure__code__in=INDICATOR_FIGURES,
        )
        .values("report__province_id", "report__period_id", "figure__code")
        .annotate(total=Sum("value"))
    )
    by_province: dict[int, dict[int, IndicatorRow]] = {}
    national: dict[int, IndicatorRow] = {}
    year_by_province: dict[int, IndicatorRow] = {}
    year_national = IndicatorRow()
    for row in sums:
        province_id, period_id, code, total = (
            row["report__province_id"], row["report__period_id"], row["figure__code"], row["total"],
        )  # fmt: skip
        by_province.setdefault(province_id, {}).setdefault(period_id, IndicatorRow()).add(code, total)
        national.setdefault(period_id, IndicatorRow()).add(code, total)
        year_by_province.setdefault(province_id, IndicatorRow()).add(code, total)
        year_national.add(code, total)
    baselines = {
        b.province_id: b
        for b in ProvinceBaseline.objects.restrict(user).filter(plan=plan, province__in=provinces)
    }
    baseline_national = IndicatorRow.from_baselines(baselines.values())
    return Indicators(
        periods,
        provinces,
        by_province,
        national,
        year_by_province,
        year_national,
        baselines,
        baseline_national,
    )


def indicator_series(user, plan: Plan, province_id: int | None = None) -> dict:
    """Solved / reported and the share assisted, per quarter of the plan, with the 2007 baseline, over
    what ``user`` may see (of one province, if given).

    Two queries: the quarter's sums over submitted and accepted reports, and the baselines.
    """
    periods = list(ReportingPeriod.objects.filter(plan=plan).order_by("starts_on"))
    values = (
        QuarterlyTotal.objects.restrict(user)
        .counted(include_unconfirmed=True)
        .filter(report__period__plan=plan, figure__code__in=INDICATOR_FIGURES)
    )
    if province_id:
        values = values.filter(report__province_id=province_id)
    rows: dict[int, IndicatorRow] = {}
    for row in values.values("report__period_id", "figure__code").annotate(total=Sum("value")):
        rows.setdefault(row["report__period_id"], IndicatorRow()).add(row["figure__code"], row["total"])
    baselines = ProvinceBaseline.objects.restrict(user).filter(plan=plan)
    if province_id:
        baselines = baselines.filter(province_id=province_id)
    baseline = IndicatorRow.from_baselines(baselines)
    series = [rows.get(p.pk) for p in periods]
    return {
        "codes": [p.code for p in periods],
        "labels": [str(p) for p in periods],  # as people write them, in the active language
        "ratio": [round(r.ratio * 100, 1) if r and r.ratio is not None else None for r in series],
        "assisted": [
            round(r.assisted_share * 100, 1) if r and r.assisted_share is not None else None for r in series
        ],
        "baseline": round(baseline.ratio * 100, 1) if baseline.ratio is not None else None,
    }


@dataclass
class Figures:
    """The provinces' quarterly figures over a span of quarters, and the indicators they give."""

    provinces: list[Province]
    figures: list[QuarterlyFigure]
    values: dict[tuple[int, int, int], int]  # (province, period, figure) → sum
    rows: dict[int, IndicatorRow]  # province → indicators over the span
    national: IndicatorRow
    baselines: dict[int, ProvinceBaseline]
    baseline: IndicatorRow
    reported: set[int]  # provinces with a counted report in the span


def figures_over(
    user, plan: Plan, periods: list[ReportingPeriod], province: Province | None = None
) -> Figures:
    """Every figure of the quarterly form and the indicators, summed over ``periods``, by province
    (of one province, if given) and nationally, with the baselines; of what ``user`` may see.
    Four queries: provinces, figures, the sums, the baselines."""
    provinces = list(Province.objects.filter(pk=province.pk) if province else Province.objects.all())
    figures = list(QuarterlyFigure.objects.filter(plan=plan).order_by("seq"))
    code_of = {f.pk: f.code for f in figures}
    sums = (
        QuarterlyTotal.objects.restrict(user)
        .counted(include_unconfirmed=True)
        .filter(report__period__in=periods)
    )
    if province:
        sums = sums.filter(report__province=province)
    values: dict[tuple[int, int, int], int] = {}
    rows: dict[int, IndicatorRow] = {}
    national, reported = IndicatorRow(), set()
    for province_id, period_id, figure_id, total in sums.values_list(
        "report__province_id", "report__period_id", "figure_id"
    ).annotate(total=Sum("value")):
        values[(province_id, period_id, figure_id)] = total
        rows.setdefault(province_id, IndicatorRow()).add(code_of[figure_id], total)
        national.add(code_of[figure_id], total)
        reported.add(province_id)
    baselines = {
        b.province_id: b
        for b in ProvinceBaseline.objects.restrict(user).filter(plan=plan, province__in=provinces)
    }
    baseline = IndicatorRow.from_baselines(baselines.values())
    return Figures(provinces, figures, values, rows, national, baselines, baseline, reported)


def first_year_indicators(user, plan: Plan, province: Province | None = None) -> IndicatorRow:
    """The indicators of the plan's first year (of one province, if given), the reference for
    targets without a baseline; of what ``user`` may see. One query."""
    values = (
        QuarterlyTotal.objects.restrict(user)
        .counted(include_unconfirmed=True)
        .filter(report__period__plan=plan, report__period__year=plan.start_year)
    )
    if province:
        values = values.filter(report__province=province)
    row = IndicatorRow()
    for code, total in values.values_list("figure__code").annotate(total=Sum("value")):
        row.add(code, total)
    return row
