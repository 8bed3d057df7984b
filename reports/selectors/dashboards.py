"""What the dashboards show of progress on the plan, read in a fixed number of queries whatever the
amount of data (the indicators' trend is reports/selectors/indicators.py).

Progress counts only what has been published (submitted and accepted entries, as the gate sees
them for the user): the latest status each responsible unit reported on each of its measures.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from agencies.models import MemberUnit
from measures.choices import ProgressStatus, ResponsibilityRole
from measures.models import Area, Plan, ProgressEntry, Responsibility
from measures.selectors.agreements import MilestoneStanding, milestone_standing, milestone_target

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


def _latest_statuses(user, plan: Plan, unit_id: int | None = None):
    latest = (
        ProgressEntry.objects.restrict(user)
        .published()
        .filter(measure=OuterRef("measure"), unit=OuterRef("unit"))
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


def progress_bars(user, plan: Plan, *, unit_id: int | None = None) -> tuple[list[StatusBar], list[StatusBar]]:
    """(by area, by unit), of the entries ``user`` may see (of one unit, if given): three queries."""
    rows = _latest_statuses(user, plan, unit_id)
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


def cooperation_milestone(user, plan: Plan) -> MilestoneStanding | None:
    """The plan's milestone of 2.(3) as the registry of agreements stands today: which main origin
    and destination provinces had signed by its due date (the end of 2008), and which had not
    (three queries; None where the plan states no such milestone)."""
    target = milestone_target(plan)
    return milestone_standing(user, target) if target else None
