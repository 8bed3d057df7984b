"""Reads of the plan's indicators from the provinces' quarterly figures: solved / reported and the
share of rescued persons assisted, against the 2007 baselines; by province, nationally, per quarter;
and every figure of the quarterly form summed over a span (for the compiled reports).

Each starts from what the user may see (the gate): the Office and auditors every province, a
province its own. Figures count the provinces' accepted totals (``QuarterlyTotal.objects.counted()``:
own figures plus the approved prefectures', so a prefecture's report never counts twice). A
province's report submitted to the Office and not yet accepted is unconfirmed: it is left out,
and said to be (``Unconfirmed``: how many reports, how many cases reported they hold), unless the
caller asks to include it (``include_unconfirmed``), when the figures it reaches are marked. A
returned report is being corrected and never counts.

Each reads the accepted and the unconfirmed totals in the same query (grouped by the report's
state too), so asking costs no query more.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils.translation import gettext as _

from agencies.models import Province
from core.choices import ReviewState
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
    unconfirmed: bool = False  # holds figures of a report the Office has not accepted yet

    def add(self, code: str, value: int, *, unconfirmed: bool = False) -> None:
        if unconfirmed and code in INDICATOR_FIGURES:
            self.unconfirmed = True
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
class Unconfirmed:
    """The provinces' reports submitted to the Office and not accepted yet, among those a read
    reached: left out of its figures, or counted and marked when ``included``."""

    included: bool = False
    reports: set[tuple[int, int]] = field(default_factory=set)  # (province id, period id)
    cases_reported: int = 0

    def add(self, province_id: int, period_id: int, code: str, value: int) -> None:
        self.reports.add((province_id, period_id))
        if code == "cases_reported":
            self.cases_reported += value

    def __bool__(self) -> bool:
        return bool(self.reports)

    @property
    def count(self) -> int:
        """How many reports."""
        return len(self.reports)

    @property
    def province_ids(self) -> set[int]:
        return {province for province, _period in self.reports}

    @property
    def province_count(self) -> int:
        return len(self.province_ids)

    @property
    def period_ids(self) -> set[int]:
        return {period for _province, period in self.reports}

    def named(self, provinces, periods) -> list[tuple[Province, list[ReportingPeriod]]]:
        """Each province with its unconfirmed quarters, in the order of ``provinces`` and ``periods``."""
        return [
            (province, [p for p in periods if (province.pk, p.pk) in self.reports])
            for province in provinces
            if province.pk in self.province_ids
        ]

    def as_data(self) -> dict:
        """For the API and the pages' JSON: what is counted, and what is left out (or included)."""
        return {
            "included": self.included,
            "reports": self.count,
            "provinces": self.province_count,
            "cases_reported": self.cases_reported,
        }


def _read(user, include_unconfirmed: bool, **filters) -> tuple[list[dict], Unconfirmed]:
    """``(rows to count, Unconfirmed)``: the provinces' accepted totals by province, period and
    figure, and the unconfirmed ones noted (and also counted, ``row["unconfirmed"]`` set, when
    ``include_unconfirmed``). One query: the totals summed by the report's state too."""
    rows = (
        QuarterlyTotal.objects.restrict(user)
        .counted(include_unconfirmed=True)
        .filter(**filters)
        .values("report__province_id", "report__period_id", "figure_id", "figure__code", "report__state")
        .annotate(total=Sum("value"))
    )
    unconfirmed = Unconfirmed(included=include_unconfirmed)
    counted = []
    for row in rows:
        row["unconfirmed"] = row["report__state"] != ReviewState.ACCEPTED
        if row["unconfirmed"]:
            unconfirmed.add(
                row["report__province_id"], row["report__period_id"], row["figure__code"], row["total"]
            )
            if not include_unconfirmed:
                continue
        counted.append(row)
    return counted, unconfirmed


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
    unconfirmed: Unconfirmed = field(default_factory=Unconfirmed)

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

    def unconfirmed_named(self):
        return self.unconfirmed.named(self.provinces, self.periods)


def indicators(user, plan: Plan, year: int, *, include_unconfirmed: bool = False) -> Indicators:
    """Ratios of one year per quarter and for the year, by province and nationally (three queries):
    every province for those who read all submitted work, a province's own row for its reporter.

    Counts accepted reports; says which submitted ones are not accepted yet (and counts them,
    marked, when ``include_unconfirmed``); a returned report is being corrected and is left out.
    """
    periods = list(ReportingPeriod.objects.filter(plan=plan, year=year).order_by("quarter"))
    provinces = list(
        Province.objects.all()
        if may(user, READ_ALL_SUBMITTED)
        else Province.objects.filter(pk=user.province_id)
    )
    sums, unconfirmed = _read(
        user,
        include_unconfirmed,
        report__period__in=periods,
        report__province__in=provinces,
        figure__code__in=INDICATOR_FIGURES,
    )
    by_province: dict[int, dict[int, IndicatorRow]] = {}
    national: dict[int, IndicatorRow] = {}
    year_by_province: dict[int, IndicatorRow] = {}
    year_national = IndicatorRow()
    for row in sums:
        province_id, period_id, code, total, mark = (
            row["report__province_id"], row["report__period_id"], row["figure__code"], row["total"],
            row["unconfirmed"],
        )  # fmt: skip
        by_province.setdefault(province_id, {}).setdefault(period_id, IndicatorRow()).add(
            code, total, unconfirmed=mark
        )
        national.setdefault(period_id, IndicatorRow()).add(code, total, unconfirmed=mark)
        year_by_province.setdefault(province_id, IndicatorRow()).add(code, total, unconfirmed=mark)
        year_national.add(code, total, unconfirmed=mark)
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
        unconfirmed,
    )


def indicator_series(
    user, plan: Plan, province_id: int | None = None, *, include_unconfirmed: bool = False
) -> dict:
    """Solved / reported and the share assisted, per quarter of the plan, with the 2007 baseline, over
    what ``user`` may see (of one province, if given).

    Counts accepted reports. ``unconfirmed`` says how many submitted reports are not accepted yet
    and how many cases reported they hold (counted when ``include_unconfirmed``: a quarter they
    reach is labelled "(unconfirmed)"). Two queries: the quarter's sums, and the baselines.
    """
    periods = list(ReportingPeriod.objects.filter(plan=plan).order_by("starts_on"))
    filters = {"report__period__plan": plan, "figure__code__in": INDICATOR_FIGURES}
    if province_id:
        filters["report__province_id"] = province_id
    sums, unconfirmed = _read(user, include_unconfirmed, **filters)
    rows: dict[int, IndicatorRow] = {}
    for row in sums:
        rows.setdefault(row["report__period_id"], IndicatorRow()).add(
            row["figure__code"], row["total"], unconfirmed=row["unconfirmed"]
        )
    baselines = ProvinceBaseline.objects.restrict(user).filter(plan=plan)
    if province_id:
        baselines = baselines.filter(province_id=province_id)
    baseline = IndicatorRow.from_baselines(baselines)
    series = [rows.get(p.pk) for p in periods]
    return {
        "codes": [p.code for p in periods],
        # as people write them, in the active language; marked where unconfirmed figures count
        "labels": [
            _("%(period)s (unconfirmed)") % {"period": p} if r and r.unconfirmed else str(p)
            for p, r in zip(periods, series, strict=True)
        ],
        "ratio": [round(r.ratio * 100, 1) if r and r.ratio is not None else None for r in series],
        "assisted": [
            round(r.assisted_share * 100, 1) if r and r.assisted_share is not None else None for r in series
        ],
        "baseline": round(baseline.ratio * 100, 1) if baseline.ratio is not None else None,
        "unconfirmed": unconfirmed.as_data(),
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
    unconfirmed: Unconfirmed = field(default_factory=Unconfirmed)  # left out: submitted, not accepted


def figures_over(
    user, plan: Plan, periods: list[ReportingPeriod], province: Province | None = None
) -> Figures:
    """Every figure of the quarterly form and the indicators, summed over ``periods``, by province
    (of one province, if given) and nationally, with the baselines; of what ``user`` may see.
    Accepted reports only (a compiled report is the Office's account); ``unconfirmed`` names the
    reports left out. Four queries: provinces, figures, the sums, the baselines."""
    provinces = list(Province.objects.filter(pk=province.pk) if province else Province.objects.all())
    figures = list(QuarterlyFigure.objects.filter(plan=plan).order_by("seq"))
    filters = {"report__period__in": periods}
    if province:
        filters["report__province"] = province
    sums, unconfirmed = _read(user, False, **filters)
    values: dict[tuple[int, int, int], int] = {}
    rows: dict[int, IndicatorRow] = {}
    national, reported = IndicatorRow(), set()
    for row in sums:
        province_id, period_id, figure_id, code, total = (
            row["report__province_id"], row["report__period_id"], row["figure_id"], row["figure__code"],
            row["total"],
        )  # fmt: skip
        values[(province_id, period_id, figure_id)] = total
        rows.setdefault(province_id, IndicatorRow()).add(code, total)
        national.add(code, total)
        reported.add(province_id)
    baselines = {
        b.province_id: b
        for b in ProvinceBaseline.objects.restrict(user).filter(plan=plan, province__in=provinces)
    }
    baseline = IndicatorRow.from_baselines(baselines.values())
    return Figures(provinces, figures, values, rows, national, baselines, baseline, reported, unconfirmed)


def first_year_indicators(user, plan: Plan, province: Province | None = None) -> IndicatorRow:
    """The indicators of the plan's first year (of one province, if given), the reference for
    targets without a baseline; of what ``user`` may see. Accepted reports only. One query."""
    values = (
        QuarterlyTotal.objects.restrict(user)
        .counted()
        .filter(report__period__plan=plan, report__period__year=plan.start_year)
    )
    if province:
        values = values.filter(report__province=province)
    row = IndicatorRow()
    for code, total in values.values_list("figure__code").annotate(total=Sum("value")):
        row.add(code, total)
    return row
