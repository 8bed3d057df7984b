"""What the dashboards show, each read in a fixed number of queries whatever the amount of data.

Progress counts only what the Office has been sent (submitted and accepted entries): the latest
status each responsible unit reported on each of its measures.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from agencies.models import MemberUnit
from core.choices import PUBLISHED_STATES
from measures.choices import ProgressStatus, ResponsibilityRole
from measures.models import Area, Plan, ProgressEntry, ReportingPeriod, Responsibility
from reports.models import ProvinceBaseline, QuarterlyValue
from reports.selectors import COUNTED_STATES, INDICATOR_FIGURES, IndicatorRow

NOT_REPORTED = "none"
NOT_REPORTED_LABEL = _("No report yet")
STATUS_ORDER = [*ProgressStatus.values, NOT_REPORTED]


@dataclass
class StatusBar:
    """One bar of a stacked chart: how many measures stand at each status."""

    key: object
    label: str
    counts: Counter

    def values(self) -> list[int]:
        return [self.counts.get(status, 0) for status in STATUS_ORDER]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _latest_statuses(plan: Plan, unit_id: int | None = None):
    latest = (
        ProgressEntry.objects.filter(
            measure=OuterRef("measure"), unit=OuterRef("unit"), state__in=PUBLISHED_STATES
        )
        .exclude(status="")
        .order_by("-period__starts_on")
        .values("status")[:1]
    )
    rows = Responsibility.objects.filter(measure__plan=plan, role=ResponsibilityRole.RESPONSIBLE).annotate(
        latest=Coalesce(Subquery(latest), Value(NOT_REPORTED))
    )
    if unit_id:
        rows = rows.filter(unit_id=unit_id)
    return list(rows.values_list("measure__area_id", "unit_id", "latest"))


def progress_bars(plan: Plan, *, unit_id: int | None = None) -> tuple[list[StatusBar], list[StatusBar]]:
    """(by area, by unit): three queries."""
    rows = _latest_statuses(plan, unit_id)
    by_area: dict[int, Counter] = {}
    by_unit: dict[int, Counter] = {}
    for area_id, unit, status in rows:
        by_area.setdefault(area_id, Counter())[status] += 1
        by_unit.setdefault(unit, Counter())[status] += 1
    areas = [
        StatusBar(a.pk, f"{a.seq}. {a.title}", by_area.get(a.pk, Counter()))
        for a in Area.objects.filter(plan=plan)
    ]
    units = [
        StatusBar(u.pk, u.name, by_unit[u.pk])
        for u in MemberUnit.objects.filter(pk__in=by_unit).order_by("-is_member", "seq")
    ]
    return areas, units


def status_labels() -> list[str]:
    return [str(label) for label in ProgressStatus.labels] + [str(NOT_REPORTED_LABEL)]


def indicator_series(plan: Plan, province_id: int | None = None) -> dict:
    """Solved / reported and the share assisted, per quarter of the plan, with the 2007 baseline.

    Two queries: the quarter's sums over submitted and accepted reports, and the baselines.
    """
    periods = list(ReportingPeriod.objects.filter(plan=plan).order_by("starts_on"))
    values = QuarterlyValue.objects.filter(
        report__period__plan=plan,
        report__state__in=COUNTED_STATES,
        figure__code__in=INDICATOR_FIGURES,
    )
    if province_id:
        values = values.filter(report__province_id=province_id)
    rows: dict[int, IndicatorRow] = {}
    for row in values.values("report__period_id", "figure__code").annotate(total=Sum("value")):
        rows.setdefault(row["report__period_id"], IndicatorRow()).add(row["figure__code"], row["total"])
    baselines = ProvinceBaseline.objects.filter(plan=plan)
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
