"""Reads of the quarterly reports: a reporting division's quarters and what a province wrote. Each
starts from what the user may see (the gate). Completeness and timeliness are read in
``reports.selectors.completeness`` (``province_completeness`` is kept importable from here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from agencies.models import Province
from measures.models import Plan, ReportingPeriod
from reports.models import LockException, QuarterlyNarrative, QuarterlyReport, ReopenRequest
from reports.models.chain import reporter_division, reporting_parent
from reports.models.quarterly import open_until
from reports.selectors.completeness import province_completeness

__all__ = ["ProvinceQuarter", "province_completeness", "province_quarters", "published_narratives"]


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
