"""Reads of the reports app: completeness and timeliness of provinces, indicators against 2007."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import BooleanField, ExpressionWrapper, F, Q, Sum

from agencies.models import Province
from core.choices import ReviewState
from measures.choices import Timeliness
from measures.models import Plan, ReportingPeriod
from reports.choices import ReopenState
from reports.models import ProvinceBaseline, QuarterlyReport, QuarterlyValue, ReopenRequest
from reports.models.quarterly import lock_date

COUNTED_STATES = (ReviewState.SUBMITTED, ReviewState.ACCEPTED)  # returned reports are being corrected


@dataclass
class CompletenessCell:
    verdict: str
    state: str = ""

    @property
    def verdict_label(self) -> str:
        return Timeliness(self.verdict).label


@dataclass
class Rate:
    submitted: int = 0
    on_time: int = 0
    due: int = 0

    @property
    def submitted_rate(self) -> float | None:
        return self.submitted / self.due if self.due else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.due if self.due else None


@dataclass
class Completeness:
    periods: list[ReportingPeriod]
    rows: list[tuple[Province, list[CompletenessCell], Rate]]
    period_rates: list[Rate] = field(default_factory=list)
    total: Rate = field(default_factory=Rate)


def province_completeness(periods: list[ReportingPeriod], today: dt.date, provinces=None) -> Completeness:
    """Which provinces submitted each quarter, on time or late; rates per quarter and per province.

    A quarter counts towards the rates once its deadline has passed. Two queries.
    """
    provinces = list(provinces if provinces is not None else Province.objects.all())
    reports = {
        (r["province_id"], r["period_id"]): r
        for r in QuarterlyReport.objects.filter(period__in=periods, province__in=provinces)
        .annotate(
            on_time=ExpressionWrapper(
                Q(first_submitted_at__date__lte=F("period__deadline")), output_field=BooleanField()
            )
        )
        .values("province_id", "period_id", "first_submitted_at", "on_time", "state")
    }
    period_rates = [Rate() for _ in periods]
    total = Rate()
    rows = []
    for province in provinces:
        cells, rate = [], Rate()
        for i, period in enumerate(periods):
            report = reports.get((province.pk, period.pk))
            submitted = bool(report and report["first_submitted_at"])
            due = period.deadline < today
            if submitted:
                verdict = Timeliness.ON_TIME if report["on_time"] else Timeliness.LATE
            else:
                verdict = Timeliness.MISSING if due else Timeliness.PENDING
            cells.append(CompletenessCell(verdict, report["state"] if report else ""))
            if due:
                for r in (rate, period_rates[i], total):
                    r.due += 1
                    r.submitted += submitted
                    r.on_time += verdict == Timeliness.ON_TIME
        rows.append((province, cells, rate))
    return Completeness(periods=periods, rows=rows, period_rates=period_rates, total=total)


@dataclass
class ProvinceQuarter:
    period: ReportingPeriod
    report: QuarterlyReport | None
    open_until: dt.date
    is_open: bool


def province_quarters(user, plan: Plan, today: dt.date) -> list[ProvinceQuarter]:
    """The province's quarters that have begun, newest first, with its report and how long each stays
    open (its lock date, or a later reopening the Office granted). Three queries."""
    reports = {
        r.period_id: r
        for r in QuarterlyReport.objects.restrict(user).filter(period__plan=plan).with_details()
    }
    granted: dict[int, dt.date] = {}
    for period_id, until in ReopenRequest.objects.filter(
        province_id=user.province_id, period__plan=plan, state=ReopenState.GRANTED
    ).values_list("period_id", "open_until"):
        granted[period_id] = max(until, granted.get(period_id, until))
    rows = []
    for period in (
        ReportingPeriod.objects.restrict(user).filter(plan=plan, starts_on__lte=today).order_by("-starts_on")
    ):
        open_until = max(lock_date(period), granted.get(period.pk, lock_date(period)))
        rows.append(ProvinceQuarter(period, reports.get(period.pk), open_until, today <= open_until))
    return rows


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


def indicators(plan: Plan, year: int, provinces=None) -> Indicators:
    """Ratios of one year per quarter and for the year, by province and nationally (three queries).

    Counts submitted and accepted reports; a returned report is being corrected and is left out.
    """
    periods = list(ReportingPeriod.objects.filter(plan=plan, year=year).order_by("quarter"))
    provinces = list(provinces if provinces is not None else Province.objects.all())
    sums = (
        QuarterlyValue.objects.filter(
            report__period__in=periods,
            report__state__in=COUNTED_STATES,
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
    baselines = {b.province_id: b for b in ProvinceBaseline.objects.filter(plan=plan, province__in=provinces)}
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
