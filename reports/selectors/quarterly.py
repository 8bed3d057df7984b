"""Reads of the provinces' quarterly reports: a province's quarters, which provinces submitted each
quarter, on time or late, and what they wrote. Each starts from what the user may see (the gate)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import BooleanField, ExpressionWrapper, F, Q

from agencies.models import Province
from measures.choices import Timeliness
from measures.models import Plan, ReportingPeriod
from reports.models import LockException, QuarterlyNarrative, QuarterlyReport, ReopenRequest
from reports.models.chain import reporter_division, reporting_parent
from reports.models.quarterly import open_until


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


def province_completeness(
    user, periods: list[ReportingPeriod], today: dt.date, provinces=None
) -> Completeness:
    """Which provinces submitted each quarter, on time or late; rates per quarter and per province;
    over the reports ``user`` may see (of ``provinces``, all by default).

    A quarter counts towards the rates once its deadline has passed. Two queries.
    """
    provinces = list(provinces if provinces is not None else Province.objects.all())
    reports = {
        (r["province_id"], r["period_id"]): r
        for r in QuarterlyReport.objects.restrict(user)
        .of_provinces()
        .filter(period__in=periods, province__in=provinces)
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
    """The reporter's division's quarters that have begun, newest first, with its report and how
    long each stays open (its lock date, or a later reopening the Office granted a province, or a
    lock exception the level above granted a division below it). Four queries."""
    division = reporter_division(user)
    reports = {
        r.period_id: r
        for r in QuarterlyReport.objects.restrict(user)
        .filter(division=division, period__plan=plan)
        .with_details()
    }
    if reporting_parent(division) is None:
        granted = (
            ReopenRequest.objects.restrict(user)
            .filter(province_id=user.province_id, period__plan=plan)
            .granted_until()
        )
    else:
        granted = (
            LockException.objects.restrict(user).filter(division=division, period__plan=plan).granted_until()
        )
    rows = []
    for period in (
        ReportingPeriod.objects.restrict(user).filter(plan=plan, starts_on__lte=today).order_by("-starts_on")
    ):
        until = open_until(period, granted)
        rows.append(ProvinceQuarter(period, reports.get(period.pk), until, today <= until))
    return rows


def published_narratives(user, province: Province, period: ReportingPeriod):
    """What the province wrote about each area in a quarter, once its report counts (submitted or
    accepted), area loaded; of what ``user`` may see. One query."""
    return (
        QuarterlyNarrative.objects.restrict(user)
        .published()
        .filter(report__division__code=province.code, report__period=period)
        .select_related("area")
    )
