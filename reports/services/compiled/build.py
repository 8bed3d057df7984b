"""Assemble a compiled report's content from its spec: which sections each kind has, in what order."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import clock
from measures.models import ReportingPeriod
from measures.selectors.agreements import milestone_target
from reports.choices import EVALUATION_REPORTS, JobKind
from reports.selectors.indicators import IndicatorRow, figures_over, first_year_indicators, indicator_series
from reports.services.compiled import sections
from reports.services.compiled.content import CompiledReport, percent
from reports.services.compiled.spec import ReportSpec, ahead_of_deadline

Step = Callable[[int, str], None]


def span(spec: ReportSpec) -> list[ReportingPeriod]:
    """The quarters a report covers: its quarter; the year up to it (annual, province, unit reports);
    the plan up to it (evaluations)."""
    periods = ReportingPeriod.objects.filter(plan=spec.plan, starts_on__lte=spec.period.starts_on)
    if spec.kind == JobKind.QUARTERLY_REPORT:
        periods = periods.filter(pk=spec.period.pk)
    elif spec.kind not in EVALUATION_REPORTS:
        periods = periods.filter(year=spec.period.year)
    return list(periods.order_by("starts_on"))


def scope_label(spec: ReportSpec) -> str:
    if spec.province:
        return spec.province.name
    if spec.unit:
        return spec.unit.name
    return _("National")


def build(spec: ReportSpec, step: Step) -> CompiledReport:
    today = clock.today()
    periods = span(spec)
    parts = []
    ratings = None
    if spec.kind in EVALUATION_REPORTS:
        step(3, _("Reading the evaluation round"))
        evaluation, ratings = sections.evaluation_section(spec)
        parts.append(evaluation)
    step(5, _("Reading progress on the measures"))
    lines = sections.measure_lines(spec)
    if spec.kind != JobKind.PROVINCE_REPORT:
        parts.append(sections.measures_section(spec, lines))
    step(25, _("Reading the provinces' figures"))
    figures = figures_over(spec.reader, spec.plan, periods, spec.province)
    if spec.kind != JobKind.UNIT_REPORT:
        trend = indicator_series(spec.reader, spec.plan, spec.province.pk if spec.province else None)
        parts.append(sections.provinces_section(spec, periods, figures, trend))
    if spec.kind == JobKind.PROVINCE_REPORT:
        parts.append(sections.narratives_section(spec))
    step(45, _("Checking completeness and timeliness"))
    parts.append(sections.timeliness_section(spec, periods, today))
    parts.append(sections.overdue_section(spec, periods, lines, today))
    step(60, _("Checking the plan's targets"))
    parts.append(
        sections.targets_section(
            spec, lines, figures, first_year_indicators(spec.reader, spec.plan, spec.province)
        )
    )
    if spec.kind != JobKind.UNIT_REPORT:
        step(70, _("Reading case statistics"))
        parts.append(sections.cases_section(spec, periods))
    milestone = milestone_target(spec.plan)
    if spec.kind not in (JobKind.PROVINCE_REPORT, JobKind.UNIT_REPORT) and milestone:
        step(75, _("Reading the registry of cooperation agreements"))
        parts.append(sections.agreements_section(spec, milestone))
    if spec.kind == JobKind.ANNUAL_REPORT or spec.kind in EVALUATION_REPORTS:
        step(80, _("Reading the funding by channel"))
        parts.append(sections.funding_section(spec))
    facts = [(_("Period covered"), _covers(periods)), (_("Data as of"), as_of(today))]
    if ahead_of_deadline(spec, today):
        facts.append(
            (_("Note"), _("Reports for %(period)s are due on %(date)s: figures may still come in.") % {
                "period": spec.period, "date": date_format(spec.period.deadline)})
        )  # fmt: skip
    if spec.kind != JobKind.PROVINCE_REPORT:
        by_measure = sections.statuses_by_measure(lines)
        done = sum(all(s == "completed" for s in found) for found in by_measure.values())
        facts.append((_("Measures completed (by every responsible unit)"), f"{done} / {len(by_measure)}"))
        facts.append((_("Entries not yet reviewed by the Office"), str(sections.unreviewed_count(lines))))
    if ratings is not None:
        achieved = ratings.get("achieved", 0) + ratings.get("largely", 0)
        facts.append((_("Achieved or largely achieved (Office)"), f"{achieved} / {sum(ratings.values())}"))
    if spec.kind != JobKind.UNIT_REPORT:
        row = figures.rows.get(spec.province.pk, IndicatorRow()) if spec.province else figures.national
        facts.append((_("Solved / reported"), str(percent(row.ratio) or "–")))
        facts.append((_("Share assisted"), str(percent(row.assisted_share) or "–")))
        if not spec.province:
            reported = {province for province, period, _figure in figures.values if period == spec.period.pk}
            label = _("Provinces whose report for %(period)s is accepted") % {"period": spec.period}
            facts.append((label, f"{len(reported)} / {len(figures.provinces)}"))
        # What the figures leave out: a compiled report counts only what the Office accepted.
        facts.append(
            (_("Left out: submitted, not yet accepted"), sections.left_out(figures, periods) or _("None"))
        )
    return CompiledReport(
        title=f"{JobKind(spec.kind).label} · {span_label(spec, periods)}",
        scope=scope_label(spec),
        covers=_covers(periods),
        as_of=as_of(today),
        generated_at=date_format(timezone.localtime(clock.now()), "DATETIME_FORMAT"),
        facts=facts,
        sections=parts,
    )


def span_label(spec: ReportSpec, periods: list[ReportingPeriod]) -> str:
    """As people write it: 2009年第四季度 (2009 Q4); 2009年 (a whole year, 2009); 2009年第一季度–2009年
    第四季度 (a year to date); 2008年第一季度–2010年第一季度 (a plan to date)."""
    return spec.label if spec.kind == JobKind.ANNUAL_REPORT else sections.periods_label(periods)


def as_of(today) -> str:
    """The day the report's data is as of: what had been sent by then is in it."""
    return date_format(today)


def _covers(periods: list[ReportingPeriod]) -> str:
    return f"{date_format(periods[0].starts_on)} – {date_format(periods[-1].ends_on)}"
