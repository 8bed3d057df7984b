"""Completeness and timeliness of the quarterly reports, level by level: which reporting divisions
submitted each quarter of a year, on time or late, or were marked as having nothing to report, with
the rates and the late and missing named.

The national level lists the provinces; a collecting province or prefecture lists the divisions
reporting to it (``reports.models.chain``); a division that reports alone lists itself. Every read
starts from what the user may see (the gate), and the number of queries does not depend on how many
divisions a level has, nor on the level.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from agencies.choices import DivisionLevel
from agencies.models import Division, Province
from core.choices import ReviewState
from core.permissions import READ_ALL_SUBMITTED, may
from measures.models import ReportingPeriod
from reports.choices import ReportVerdict
from reports.models import CollectingDivision, NothingToReport, QuarterlyReport
from reports.models.chain import reporter_division


@dataclass
class CompletenessCell:
    verdict: str
    state: str = ""
    provincial: bool = True
    period: ReportingPeriod | None = None

    @property
    def verdict_label(self) -> str:
        return ReportVerdict(self.verdict).label

    @property
    def state_label(self) -> str:
        """The report's state as its people say it: below the province an accepted report is approved."""
        if not self.state:
            return ""
        if self.state == ReviewState.ACCEPTED and not self.provincial:
            return _("Approved")
        return ReviewState(self.state).label


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

    def count(self, verdict: str) -> None:
        self.due += 1
        self.submitted += verdict in (ReportVerdict.ON_TIME, ReportVerdict.LATE)
        self.on_time += verdict == ReportVerdict.ON_TIME


@dataclass
class Completeness:
    periods: list[ReportingPeriod]
    rows: list[tuple[Province, list[CompletenessCell], Rate]]
    period_rates: list[Rate] = field(default_factory=list)
    total: Rate = field(default_factory=Rate)


def _verdict(report: dict | None, nothing: bool, period: ReportingPeriod, today: dt.date) -> str:
    if report and report["first_submitted_at"]:
        return ReportVerdict.ON_TIME if report["on_time"] else ReportVerdict.LATE
    if nothing:
        return ReportVerdict.NOTHING
    return ReportVerdict.MISSING if period.deadline < today else ReportVerdict.PENDING


def _reports(user, periods: list[ReportingPeriod], **filters):
    """The reports ``user`` may see of the quarters, with whether each was first submitted by the
    deadline, as dicts (one query)."""
    return (
        QuarterlyReport.objects.restrict(user)
        .filter(period__in=periods, **filters)
        .annotate(
            on_time=ExpressionWrapper(
                Q(first_submitted_at__date__lte=F("period__deadline")), output_field=BooleanField()
            )
        )
        .values("division_id", "province_id", "period_id", "first_submitted_at", "on_time", "state")
    )


def province_completeness(
    user, periods: list[ReportingPeriod], today: dt.date, provinces=None
) -> Completeness:
    """Which provinces submitted each quarter, on time or late; rates per quarter and per province;
    over the provinces' own reports ``user`` may see (of ``provinces``, all by default).

    A quarter counts towards the rates once its deadline has passed. Two queries.
    """
    provinces = list(provinces if provinces is not None else Province.objects.all())
    reports = {
        (r["province_id"], r["period_id"]): r
        for r in _reports(user, periods, province__in=provinces, division__level=DivisionLevel.PROVINCE)
    }
    period_rates = [Rate() for _period in periods]
    total = Rate()
    rows = []
    for province in provinces:
        cells, rate = [], Rate()
        for i, period in enumerate(periods):
            report = reports.get((province.pk, period.pk))
            verdict = _verdict(report, False, period, today)
            cells.append(CompletenessCell(verdict, report["state"] if report else ""))
            if period.deadline < today:
                for r in (rate, period_rates[i], total):
                    r.count(verdict)
        rows.append((province, cells, rate))
    return Completeness(periods=periods, rows=rows, period_rates=period_rates, total=total)


@dataclass
class LevelRow:
    division: Division
    collects: bool
    cells: list[CompletenessCell]
    rate: Rate


@dataclass
class Named:
    """The divisions late or missing in a quarter, by name."""

    period: ReportingPeriod
    late: list[Division]
    missing: list[Division]

    @property
    def text(self) -> str:
        """The late and missing by name as the language writes them: "Late: Qujing Shi; Missing:
        Baoshan Shi, Lijiang Shi" or 逾期：曲靖市；缺报：保山市、丽江市."""
        names = _(", ").join
        parts = []
        if self.late:
            parts.append(_("Late: %(divisions)s") % {"divisions": names(d.name for d in self.late)})
        if self.missing:
            parts.append(_("Missing: %(divisions)s") % {"divisions": names(d.name for d in self.missing)})
        return _("; ").join(parts)


@dataclass
class LevelCompleteness:
    """One level of the drill-down: ``division`` (None: the national level) and its rows."""

    division: Division | None
    periods: list[ReportingPeriod]
    rows: list[LevelRow]
    period_rates: list[Rate]
    total: Rate
    named: list[Named]
    breadcrumbs: list[Division]
    national: bool  # the user starts from the provinces (the Office and auditors)

    @property
    def code(self) -> str:
        return self.division.code if self.division is not None else ""


def completeness_root(user) -> Division | None:
    """Where the user's drill-down starts: the national level (None) for the Office and auditors, the
    reporter's own division for a reporter. Division.DoesNotExist for anyone else: no division is
    theirs to see."""
    if may(user, READ_ALL_SUBMITTED):
        return None
    division = reporter_division(user)
    if division is None:
        raise Division.DoesNotExist
    return division


def _level(user, code: str | None) -> tuple[Division | None, list[Division]]:
    """The level the user asks for (a division's code; None: where the user starts) and its rows:
    the provinces at the national level, the current divisions directly below a collecting division,
    or the division alone. Division.DoesNotExist when the division is not the user's to see: a
    reporter drills only within its own division. One query, whatever the level."""
    root = completeness_root(user)
    row = CollectingDivision.objects.filter(division=OuterRef("pk"))
    divisions = Division.objects.annotate(
        collects=Exists(row),
        collects_since=Subquery(row.values("since__starts_on")[:1]),
        reports_up=Exists(CollectingDivision.objects.filter(division=OuterRef("parent"))),
    ).order_by("code")
    if code is None and root is None:
        return None, list(divisions.current().filter(level=DivisionLevel.PROVINCE))
    code = code or root.code
    found = divisions.filter(Q(code=code) | Q(parent__code=code, abolished_in__isnull=True))
    if root is not None:
        found = found.filter(code__startswith=root.code_prefix)
    found = list(found.select_related("parent__parent"))
    division = next((d for d in found if d.code == code), None)
    if division is None:
        raise Division.DoesNotExist
    if division.level != DivisionLevel.PROVINCE and not division.reports_up:
        raise Division.DoesNotExist  # nobody collects from it: it has no report to make
    if division.collects and division.level != DivisionLevel.COUNTY:
        return division, [d for d in found if d is not division]
    return division, [division]


def level_completeness(
    user, periods: list[ReportingPeriod], today: dt.date, code: str | None = None
) -> LevelCompleteness:
    """One level of the drill-down (``code``: a division's; None: where the user starts, see
    ``_level``): each row's verdict per quarter (on time, late, missing, not yet due, nothing to
    report) with the report's state, if the user may see it; rates counting the quarters whose
    deadline has passed and leaving out the divisions with nothing to report; the late and missing
    by name. Three queries at every level and for any number of divisions. Raises
    Division.DoesNotExist for a division not the user's (and for a user without the page)."""
    division, divisions = _level(user, code)
    ids = [d.pk for d in divisions]
    reports = {(r["division_id"], r["period_id"]): r for r in _reports(user, periods, division_id__in=ids)}
    nothing = set(
        NothingToReport.objects.restrict(user)
        .filter(division_id__in=ids, period__in=periods)
        .values_list("division_id", "period_id")
    )
    period_rates = [Rate() for _period in periods]
    named = [Named(period, [], []) for period in periods]
    total = Rate()
    level_rows = []
    # The quarters before the level began collecting: the divisions below it had no report to make.
    since = getattr(division, "collects_since", None)
    for row in divisions:
        cells, rate = [], Rate()
        provincial = row.level == DivisionLevel.PROVINCE
        for i, period in enumerate(periods):
            report = reports.get((row.pk, period.pk))
            verdict = _verdict(report, (row.pk, period.pk) in nothing, period, today)
            if row is not division and since is not None and period.starts_on < since and not report:
                verdict = ReportVerdict.NOT_COLLECTED
            cells.append(CompletenessCell(verdict, report["state"] if report else "", provincial, period))
            if verdict == ReportVerdict.LATE:
                named[i].late.append(row)
            elif verdict == ReportVerdict.MISSING:
                named[i].missing.append(row)
            if period.deadline < today and verdict not in (
                ReportVerdict.NOTHING,
                ReportVerdict.NOT_COLLECTED,
            ):
                for r in (rate, period_rates[i], total):
                    r.count(verdict)
        collects = row.collects and row.level != DivisionLevel.COUNTY
        level_rows.append(LevelRow(row, collects, cells, rate))
    root = completeness_root(user)
    return LevelCompleteness(
        division=division,
        periods=periods,
        rows=level_rows,
        period_rates=period_rates,
        total=total,
        named=[n for n in named if n.late or n.missing],
        breadcrumbs=_breadcrumbs(root, division),
        national=root is None,
    )


def _breadcrumbs(root: Division | None, division: Division | None) -> list[Division]:
    """The divisions from where the user starts (``root``) down to ``division`` (ancestors loaded)."""
    trail = []
    while division is not None:
        trail.append(division)
        if root is not None and division.pk == root.pk:
            break
        division = division.parent if division.parent_id else None
    return list(reversed(trail))
