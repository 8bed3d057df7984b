"""Reads of the reporting chain for the level that reviews the reports below it: the divisions
directly below a level for a quarter, each with its report's state, who submitted and approved it
when, how many values changed since its last approval, its "nothing to report" mark and its lock
exception; a quarter's count of approved reports below; the sums from below beside a level's own
figures.

Every read starts from what the user may see (the gate) and costs the same number of queries
whatever the number of divisions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q

from agencies.models import Division
from core.choices import ReviewState
from measures.choices import Timeliness
from measures.models import Plan, QuarterlyFigure, ReportingPeriod
from reports.models import (
    CollectingDivision,
    LockException,
    NothingToReport,
    QuarterlyNarrative,
    QuarterlyReport,
    QuarterlyValue,
)
from reports.models.chain import collects, reporter_division, reporting_children
from reports.services.chain import below_missing, below_totals, changes_since_approval

# The rows of one page of the divisions below a level (a prefecture has some 20 counties, a
# province at most some 20 prefectures; the bound keeps a page's size whatever the data).
BELOW_PAGE_SIZE = 50


def collecting_division(user) -> Division | None:
    """The reporter's division if it collects from the level below (else None: no page below)."""
    division = reporter_division(user)
    return division if division is not None and collects(division) else None  # in some quarter


def current_values(report: QuarterlyReport) -> dict[str, object]:
    """The report's values as ``reports.services.chain.snapshot_values`` gives them, read from its
    prefetched ``values`` (figure loaded) and ``narratives`` (area loaded): no query."""
    values = {f"figures.{v.figure.code}": v.value for v in report.values.all()}
    texts = {f"narratives.{n.area.seq}": n.text for n in report.narratives.all()}
    return {**values, **texts}


def report_changes(report: QuarterlyReport) -> int | None:
    """How many values changed since the report's last approval (None if never approved), from
    its prefetched values."""
    return changes_since_approval(report, current_values(report)) if report.approved_values else None


def with_values(queryset):
    """Reports with what ``report_changes`` reads (two queries for any number of reports)."""
    return queryset.prefetch_related(
        Prefetch("values", queryset=QuarterlyValue.objects.select_related("figure")),
        Prefetch("narratives", queryset=QuarterlyNarrative.objects.select_related("area")),
    )


@dataclass
class BelowRow:
    """One division directly below a level, for a quarter."""

    division: Division
    period: ReportingPeriod
    report: QuarterlyReport | None
    changed: int | None
    nothing: NothingToReport | None
    exception: LockException | None
    timeliness: str

    @property
    def timeliness_label(self) -> str:
        return Timeliness(self.timeliness).label

    @property
    def is_approvable(self) -> bool:
        """Waiting for the level above's decision (the bulk approval's checkbox)."""
        return self.report is not None and self.report.state == ReviewState.SUBMITTED

    @property
    def may_mark_nothing(self) -> bool:
        """No report sent up yet (a draft is not seen above), and not marked already."""
        return self.nothing is None and (
            self.report is None or self.report.state not in (ReviewState.SUBMITTED, ReviewState.ACCEPTED)
        )

    @property
    def is_done(self) -> bool:
        """Approved, or marked as having nothing to report: what the level's own submission needs."""
        return self.nothing is not None or (
            self.report is not None and self.report.state == ReviewState.ACCEPTED
        )


@dataclass
class Below:
    """The divisions directly below ``division`` for ``period``: a page of rows and the counts over
    all of them."""

    division: Division
    period: ReportingPeriod
    rows: list[BelowRow]
    page: Page
    total: int = 0
    approved: int = 0
    submitted: int = 0
    nothing: int = 0
    missing: list[Division] = field(default_factory=list)


def _timeliness(report: QuarterlyReport | None, period: ReportingPeriod, today: dt.date) -> str:
    if report is not None and report.first_submitted_at:
        return Timeliness.LATE if report.is_late else Timeliness.ON_TIME
    return Timeliness.MISSING if period.deadline < today else Timeliness.PENDING


def below_rows(
    user, division: Division, period: ReportingPeriod, today: dt.date, *, page: int | str = 1
) -> Below:
    """The divisions directly below ``division`` (which collects) for ``period``: one page of rows
    (``BELOW_PAGE_SIZE``), and the counts over all of them. A report is one the user may see (a
    draft below is not); a mark and an exception are the latest. Nine queries whatever the number
    of divisions."""
    children = reporting_children(division, period)  # two queries
    paginator = Paginator(children, BELOW_PAGE_SIZE)
    current = paginator.get_page(page)
    shown = list(current.object_list)
    counts = (
        QuarterlyReport.objects.restrict(user)
        .filter(division__in=children, period=period)
        .aggregate(
            approved=Count("pk", filter=Q(state=ReviewState.ACCEPTED)),
            submitted=Count("pk", filter=Q(state=ReviewState.SUBMITTED)),
        )
    )
    marks = {
        m.division_id: m
        for m in NothingToReport.objects.restrict(user)
        .filter(division__in=children, period=period)
        .select_related("marked_by")
    }
    reports = {
        r.division_id: r
        for r in with_values(
            QuarterlyReport.objects.restrict(user).filter(division__in=shown, period=period).with_details()
        )
    }
    exceptions: dict[int, LockException] = {}
    for exception in (
        LockException.objects.restrict(user)
        .filter(division__in=shown, period=period)
        .select_related("granted_by")
        .order_by("open_until", "granted_at")
    ):
        exceptions[exception.division_id] = exception  # the latest date wins
    rows = []
    for child in shown:
        report = reports.get(child.pk)
        for known in (marks.get(child.pk), exceptions.get(child.pk)):
            if known is not None:  # their division and quarter are known: no query to name them
                known.division, known.period = child, period
        rows.append(
            BelowRow(
                division=child,
                period=period,
                report=report,
                changed=report_changes(report) if report is not None else None,
                nothing=marks.get(child.pk),
                exception=exceptions.get(child.pk),
                timeliness=_timeliness(report, period, today),
            )
        )
    approved = counts["approved"]
    return Below(
        division=division,
        period=period,
        rows=rows,
        page=current,
        total=len(children),
        approved=approved,
        submitted=counts["submitted"],
        nothing=len(marks),
    )


@dataclass
class QuarterBelow:
    """A quarter's count of the reports below a collecting level: approved (or marked as having
    nothing to report) of all."""

    total: int
    approved: int
    nothing: int
    submitted: int

    @property
    def done(self) -> int:
        return self.approved + self.nothing


def quarters_below(user, plan: Plan, rows) -> Division | None:
    """For a collecting reporter's division: give each of its quarters (``rows``, each with a
    ``period``, as ``province_quarters`` gives them) ``below``, how many divisions directly below it
    have an approved report, a "nothing to report" mark, a report waiting for a decision, of all;
    return the division (None, and nothing given, for a division that reports alone). Four queries
    whatever the number of quarters and divisions (five with the first quarter it collects)."""
    division = collecting_division(user)
    if division is None:
        return None
    children = reporting_children(division)
    reports = (
        QuarterlyReport.objects.restrict(user)
        .filter(division__in=children, period__plan=plan)
        .order_by()
        .values("period_id")
        .annotate(
            approved=Count("pk", filter=Q(state=ReviewState.ACCEPTED)),
            submitted=Count("pk", filter=Q(state=ReviewState.SUBMITTED)),
        )
    )
    marks = (
        NothingToReport.objects.restrict(user)
        .filter(division__in=children, period__plan=plan)
        .order_by()
        .values("period_id")
        .annotate(n=Count("pk"))
    )
    nothing = {row["period_id"]: row["n"] for row in marks}
    counts = {row["period_id"]: row for row in reports}
    since = CollectingDivision.objects.filter(division=division).values_list("since__starts_on", flat=True)[0]
    for row in rows:
        if since is not None and row.period.starts_on < since:
            row.below = None  # it reported alone then
            continue
        found = counts.get(row.period.pk, {})
        row.below = QuarterBelow(
            total=len(children),
            approved=found.get("approved", 0),
            nothing=nothing.get(row.period.pk, 0),
            submitted=found.get("submitted", 0),
        )
    return division


@dataclass
class FigureColumns:
    """One figure of a collecting level's report: its own value, the sum from the approved
    reports below, and the total."""

    figure: QuarterlyFigure
    own: int | None
    below: int
    field: object = None  # the form's bound field, on the form

    @property
    def total(self) -> int:
        return (self.own or 0) + self.below


@dataclass
class ChainColumns:
    """What a collecting level's form and page show beside its own figures."""

    children: list[Division]
    below: dict[str, int]
    missing: list[Division]


def chain_columns(report_division: Division, period: ReportingPeriod, report=None) -> ChainColumns | None:
    """For a division that collects: the sums from the approved reports below it and the divisions
    still missing (neither approved nor marked); None for a division that reports alone.

    A report sent up keeps the sums it was submitted with (its totals less its own values, as
    nothing below can change meanwhile); otherwise the approved reports below now."""
    children = reporting_children(report_division, period)
    if not children:
        return None
    if report is not None and report.state in (ReviewState.SUBMITTED, ReviewState.ACCEPTED):
        own = {v.figure.code: v.value for v in report.values.all()}
        below = {
            t.figure.code: t.value - own.get(t.figure.code, 0) for t in report.totals.select_related("figure")
        }
        return ChainColumns(children=children, below=below, missing=[])
    return ChainColumns(
        children=children, below=below_totals(children, period), missing=below_missing(children, period)
    )
