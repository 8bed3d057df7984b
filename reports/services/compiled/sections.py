"""The sections of a compiled report, each read in a fixed number of queries.

Every section reads through the gate, as the report's reader (``spec.reader``) may see the data.
Progress counts what has been published (submitted and accepted entries) up to the report's
last quarter, and says which of it the Office has not yet reviewed. Figures count only the
provinces' quarterly reports the Office accepted, and the report names those it leaves out
(submitted, not yet accepted; a returned one is being corrected). The compile form has no switch
to count unconfirmed figures: a compiled report is the Office's account, kept and sent on, so it
holds accepted data only and says what it leaves out; the pages of figures have the switch.
Case statistics are the suppressed aggregates every reader may see.

Every text a section holds is a plain string in the report's language (``content.text``): labels
of choices are lazy translations, and a lazy string cannot be joined.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from cases.selectors import SUPPRESSED, suppressed_statistics
from core.choices import ReviewState
from measures.choices import (
    EvaluationRating,
    ProgressStatus,
    ResponsibilityRole,
    TargetDirection,
    TargetKind,
    Timeliness,
)
from measures.models import (
    EvaluationRound,
    ProgressEntry,
    ReportingPeriod,
    Responsibility,
    Target,
)
from measures.selectors import evaluation_rows, unit_timeliness
from measures.selectors.agreements import COOPERATION_MILESTONE, SIGNED, milestone_standing
from measures.selectors.funding import funding_totals
from measures.selectors.lineage import Lineage, plan_steps
from reports.choices import JobKind
from reports.selectors.indicators import Figures, IndicatorRow
from reports.selectors.quarterly import province_completeness, published_narratives
from reports.services.compiled import charts
from reports.services.compiled.content import Points, Section, Table, Yuan, percent, text
from reports.services.compiled.spec import EVALUATION_KIND_OF, ReportSpec

STATUS_COLOURS = {
    "not_started": "#9aa3ad",
    "on_track": "#2e7d32",
    "at_risk": "#ef6c00",
    "delayed": "#c62828",
    "completed": "#1565c0",
    "": "#dddddd",
}
INDICATOR_CODES = {"solved_to_reported_ratio": "ratio", "assisted_share": "assisted_share"}


def status_label(status: str) -> str:
    return text(ProgressStatus(status).label) if status else _("No report yet")


def periods_label(periods: list[ReportingPeriod]) -> str:
    """2009年第四季度; 2009年第一季度–2009年第四季度 (2009 Q4; 2009 Q1–2009 Q4)."""
    return str(periods[0]) if len(periods) == 1 else f"{periods[0]}–{periods[-1]}"


# --- Measures -----------------------------------------------------------------------------------


@dataclass
class MeasureLine:
    responsibility: Responsibility
    entry: ProgressEntry | None
    # The unit answering in the report's quarter, with the plan's where it differs
    # ("人力资源社会保障部（原劳动保障部）"), and the plan's changes of units (measures.selectors.lineage).
    name: str = ""
    lineage: Lineage | None = None

    @property
    def status(self) -> str:
        if self.responsibility.role != ResponsibilityRole.RESPONSIBLE:
            return "-"
        return self.entry.status if self.entry and self.entry.status else ""

    @property
    def unreviewed(self) -> bool:
        """Sent to the Office, which has not yet accepted it: the unit's word, not yet checked."""
        return self.entry is not None and self.entry.state == ReviewState.SUBMITTED


def measure_lines(spec: ReportSpec) -> list[MeasureLine]:
    """Each responsible and cooperating unit of each measure, with its latest entry sent to the
    Office up to the report's quarter (by the unit answering for it then: its successor after a
    change of units). Three queries."""
    latest = (
        ProgressEntry.objects.restrict(spec.reader)
        .published()
        .filter(
            # The unit's own entries, or its successor's after a change of units.
            Q(unit=OuterRef("unit"))
            | Q(unit__changes_in__predecessor=OuterRef("unit"), unit__changes_in__plan=spec.plan),
            measure=OuterRef("measure"),
            period__starts_on__lte=spec.period.starts_on,
        )
        .order_by("-period__starts_on")
        .values("pk")[:1]
    )
    responsibilities = (
        Responsibility.objects.filter(measure__plan=spec.plan)
        .select_related("measure__area", "unit")
        .annotate(latest_id=Subquery(latest))
        .order_by("measure__area__seq", "measure__seq", "-role", "seq")
    )
    responsibilities = list(responsibilities)
    lineage = Lineage(plan=spec.plan, steps=plan_steps(spec.plan), responsibilities=responsibilities)
    # One line per unit answering in the quarter (人事部 and 劳动保障部 on one measure: one line).
    answers = {a.responsibility.pk: a for a in lineage.answers(spec.period).values()}
    responsibilities = [
        r
        for r in responsibilities
        if r.pk in answers and (not spec.unit or spec.unit.pk in (r.unit_id, answers[r.pk].unit_id))
    ]
    entries = ProgressEntry.objects.select_related("period").in_bulk(
        [r.latest_id for r in responsibilities if r.latest_id]
    )
    return [
        MeasureLine(
            r, entries.get(r.latest_id), lineage.name(answers[r.pk].unit_id, answers[r.pk].former_id), lineage
        )
        for r in responsibilities
    ]


def responsible_lines(lines: list[MeasureLine]) -> dict[int, list[MeasureLine]]:
    """Each measure's responsible units' lines, by measure id."""
    found: dict[int, list[MeasureLine]] = {}
    for line in lines:
        if line.status != "-":
            found.setdefault(line.responsibility.measure_id, []).append(line)
    return found


def statuses_by_measure(lines: list[MeasureLine]) -> dict[int, list[str]]:
    """The statuses each measure's responsible units last reported ("" for none), by measure id."""
    return {measure: [line.status for line in found] for measure, found in responsible_lines(lines).items()}


def unreviewed_count(lines: list[MeasureLine]) -> int:
    return sum(line.unreviewed for line in lines)


def _status_text(line: MeasureLine) -> str:
    """The status as reported, marked when the Office has not yet reviewed the entry."""
    if line.unreviewed:
        return _("%(status)s (not yet reviewed)") % {"status": status_label(line.status)}
    return status_label(line.status)


def measures_section(spec: ReportSpec, lines: list[MeasureLine]) -> Section:
    section = Section(
        "measures",
        _("Measures"),
        intro=_(
            "The status each responsible unit last reported up to %(period)s, and the latest entry of every "
            "responsible (R) and cooperating (C) unit."
        )
        % {"period": spec.period},
    )
    unreviewed = unreviewed_count(lines)
    if unreviewed:
        section.intro += " " + _(
            "%(n)s of these entries were submitted but not yet reviewed by the Office: they are marked "
            "“not yet reviewed” and are the unit's own account."
        ) % {"n": unreviewed}
    by_area: dict[int, Counter] = {}
    tables: dict[int, Table] = {}
    by_table: list[int] = []
    previous = None
    for line in lines:
        r = line.responsibility
        area = r.measure.area
        table = tables.get(area.pk)
        if table is None:
            table = tables[area.pk] = Table(
                [
                    _("Measure"),
                    _("Text"),
                    _("Unit"),
                    _("Role"),
                    _("Status"),
                    _("Period"),
                    _("Latest entry"),
                    _("Office review"),
                ],
                title=_("Area %(number)s: %(title)s") % {"number": area.seq, "title": area.title},
                widths=[9, 21, 13, 10, 10, 8, 19, 10],
            )
            section.tables.append(table)
            by_table.append(area.seq)
        first = r.measure_id != previous
        previous = r.measure_id
        if line.status != "-":
            by_area.setdefault(area.seq, Counter())[line.status] += 1
        entry = line.entry
        table.add(
            [
                r.measure.label if first else "",
                r.measure.text if first else "",  # the plan's words, whole
                line.name or r.unit.name,
                r.get_role_display(),
                "" if line.status == "-" else _status_text(line),
                str(entry.period) if entry else "",
                Truncator(entry.narrative).chars(240) if entry else "",
                _review_text(line),
            ]
        )
    order = [*ProgressStatus.values, ""]
    series = [(status_label(s), STATUS_COLOURS[s]) for s in order]
    bars = [
        (table.title, [by_area.get(seq, Counter()).get(s, 0) for s in order])
        for seq, table in zip(by_table, section.tables, strict=True)
    ]
    if bars:
        section.charts.append(
            charts.stacked_bars(
                _("Responsible units' statuses by area (a measure with two units counts twice)"), bars, series
            )
        )
    return section


def _review_text(line: MeasureLine) -> str:
    if line.entry is None:
        return ""
    return _("Not yet reviewed") if line.unreviewed else _("Accepted")


# --- Provinces' figures and indicators -------------------------------------------------------------


def _indicator_cells(row: IndicatorRow, baseline: IndicatorRow | None) -> list:
    base = baseline.ratio if baseline else None
    change = None if row.ratio is None or base is None else Points(row.ratio - base)
    return [
        row.reported,
        row.solved,
        percent(row.ratio),
        percent(base),
        change,
        row.rescued,
        row.assisted,
        percent(row.assisted_share),
    ]


def left_out(data: Figures, periods: list[ReportingPeriod]) -> str:
    """The provinces' reports submitted and not yet accepted that the figures leave out, as
    "北京市（2009年第四季度）；…" ("" if none)."""
    return _("; ").join(
        _("%(province)s (%(quarters)s)")
        % {"province": province.name, "quarters": _(", ").join(str(p) for p in quarters)}
        for province, quarters in data.unconfirmed.named(data.provinces, periods)
    )


def provinces_section(
    spec: ReportSpec, periods: list[ReportingPeriod], data: Figures, trend: dict
) -> Section:
    span = periods_label(periods)
    section = Section(
        "provinces",
        _("Provinces: figures and indicators"),
        intro=_(
            "Figures of %(span)s from the quarterly reports the IMCS Office accepted; %(n)s of %(total)s "
            "provinces are counted. Solved / reported is compared with the baseline year %(year)s."
        )
        % {
            "span": span,
            "n": len(data.reported),
            "total": len(data.provinces),
            "year": spec.plan.start_year - 1,
        },
    )
    missing = left_out(data, periods)
    if missing:
        section.intro += " " + _(
            "Left out, submitted but not yet accepted by the IMCS Office: %(reports)s."
        ) % {"reports": missing}
    else:
        section.intro += " " + _("No report submitted for these quarters is waiting for acceptance.")
    section.intro += " " + _(
        "A report the Office returned for correction is left out until it is sent again and accepted."
    )
    columns = [
        _("Province"),
        _("Cases reported"),
        _("Cases solved"),
        _("Solved / reported"),
        _("Baseline"),
        _("Change"),
        _("Persons rescued"),
        _("Persons assisted"),
        _("Share assisted"),
    ]
    indicators = Table(columns, title=_("Indicators"))
    for province in data.provinces:
        baseline = data.baselines.get(province.pk)
        base_row = IndicatorRow.from_baselines([baseline]) if baseline else None
        if province.pk in data.reported:
            indicators.add([province.name, *_indicator_cells(data.rows[province.pk], base_row)])
        else:  # not a zero: nothing was sent, or nothing accepted yet
            base = percent(base_row.ratio) if base_row else None
            state = (
                _("Not yet accepted") if province.pk in data.unconfirmed.province_ids else _("Not reported")
            )
            indicators.add([province.name, state, "", "", base, "", "", "", ""])
    if not spec.province:
        indicators.set_total([_("National"), *_indicator_cells(data.national, data.baseline)])
    section.tables.append(indicators)
    # Every figure of the quarterly form: per quarter for a province, the span's total nationally.
    if spec.province:
        figures = Table([_("Figure"), *[str(p) for p in periods]], title=_("Figures by quarter"))
        for figure in data.figures:
            figures.add(
                [figure.name, *[data.values.get((spec.province.pk, p.pk, figure.pk)) for p in periods]]
            )
    else:
        totals = Counter()
        for (_province, _period, figure_id), value in data.values.items():
            totals[figure_id] += value
        figures = Table([_("Figure"), _("Total")], title=_("National totals"))
        for figure in data.figures:
            figures.add([figure.name, totals.get(figure.pk, 0)])
    section.tables.append(figures)
    if not spec.province:
        section.charts.append(
            charts.bars_against(
                _("Solved / reported by province (green: at or above the national baseline, red: below)"),
                [(p.name, data.rows[p.pk].ratio if p.pk in data.rows else None) for p in data.provinces],
                data.baseline.ratio,
                _("Baseline"),
            )
        )
    labels, ratio, assisted = _trend_until(trend, spec.period.code)
    if len(labels) > 1:
        section.charts.append(
            charts.line(
                _("Indicators by quarter"),
                labels,
                [(_("Solved / reported"), "#1565c0", ratio), (_("Share assisted"), "#2e7d32", assisted)],
                trend["baseline"] / 100 if trend["baseline"] is not None else None,
                _("Baseline"),
            )
        )
    return section


def _trend_until(trend: dict, last: str):
    """The trend's quarters (as people write them, in the report's language: the worker builds it
    in that language), solved/reported and share assisted, up to ``last`` (a code), the report's
    own quarter: a report does not draw the quarters after it."""
    codes = trend["codes"]
    end = codes.index(last) + 1 if last in codes else len(codes)

    def share(values):
        return [None if v is None else v / 100 for v in values[:end]]

    return trend["labels"][:end], share(trend["ratio"]), share(trend["assisted"])


def narratives_section(spec: ReportSpec) -> Section:
    """What the province wrote about each area in the report's quarter."""
    section = Section("narratives", _("The province's narrative"))
    table = Table([_("Area"), _("Text")])
    for narrative in published_narratives(spec.reader, spec.province, spec.period):
        table.add([f"{narrative.area.seq}. {narrative.area.title}", narrative.text])
    if not table.rows:
        section.intro = _("No submitted report for %(period)s.") % {"period": spec.period}
    section.tables.append(table)
    return section


# --- Completeness and timeliness ---------------------------------------------------------------------


def timeliness_section(spec: ReportSpec, periods: list[ReportingPeriod], today: dt.date) -> Section:
    section = Section(
        "timeliness",
        _("Completeness and timeliness"),
        intro=_(
            "Only quarters whose deadline has passed count; an entry or report is on time if it was "
            "first sent by the deadline."
        ),
    )
    due = [p for p in periods if p.deadline < today]
    if not due:
        section.intro = _(
            "The deadline for %(period)s is %(date)s: completeness and timeliness count from then."
        ) % {
            "period": spec.period,
            "date": date_format(spec.period.deadline),
        }
        return section
    if not spec.province:
        table = Table(
            [_("Unit"), _("Expected"), _("On time"), _("Late"), _("Missing"), _("On time (%)")],
            title=_("Member units: progress entries"),
            widths=[30, 14, 14, 14, 14, 14],
        )
        for unit, cells in unit_timeliness(spec.reader, spec.plan, due, today):
            if spec.unit and unit.pk != spec.unit.pk:
                continue
            expected = sum(c.expected for c in cells)
            on_time = sum(c.on_time for c in cells)
            table.add(
                [
                    unit.name,
                    expected,
                    on_time,
                    sum(c.late for c in cells),
                    sum(c.missing for c in cells),
                    percent(on_time / expected if expected else None),
                ]
            )
        section.tables.append(table)
    if not spec.unit:
        provinces = [spec.province] if spec.province else None
        completeness = province_completeness(spec.reader, due, today, provinces)
        # Up to a year, a column per quarter; over longer spans, the counts.
        by_quarter = len(due) <= 4
        columns = [str(p) for p in due] if by_quarter else [_("On time"), _("Late"), _("Missing")]
        table = Table(
            [_("Province"), *columns, _("Submitted (%)"), _("On time (%)")],
            title=_("Provinces: quarterly reports"),
        )
        for province, cells, rate in completeness.rows:
            if by_quarter:
                shown = [cell.verdict_label for cell in cells]
            else:
                verdicts = Counter(cell.verdict for cell in cells)
                shown = [
                    verdicts[Timeliness.ON_TIME],
                    verdicts[Timeliness.LATE],
                    verdicts[Timeliness.MISSING],
                ]
            table.add([province.name, *shown, percent(rate.submitted_rate), percent(rate.on_time_rate)])
        if not spec.province:
            total = completeness.total
            table.set_total(
                [
                    _("All provinces"),
                    *["" for _column in columns],
                    percent(total.submitted_rate),
                    percent(total.on_time_rate),
                ]
            )
        section.tables.append(table)
    return section


def overdue_section(
    spec: ReportSpec, periods: list[ReportingPeriod], lines: list[MeasureLine], today: dt.date
) -> Section:
    """Who has not sent, or sent late, in each quarter of the report whose deadline has passed, by
    name. Two queries."""
    section = Section("overdue", _("Missing and late submissions"))
    due = [p for p in periods if p.deadline < today]
    if not due:
        section.intro = _("The deadline for %(period)s is %(date)s: nothing is overdue yet.") % {
            "period": spec.period,
            "date": date_format(spec.period.deadline),
        }
        return section
    section.intro = _("Quarters whose deadline has passed: %(periods)s.") % {
        "periods": ", ".join(str(p) for p in due)
    }
    if not spec.province:
        sent = {
            (period_id, measure_id, unit_id): on_time
            for period_id, measure_id, unit_id, on_time in ProgressEntry.objects.restrict(spec.reader)
            .filter(period__in=due, first_submitted_at__isnull=False)
            .annotate(on_time=Q(first_submitted_at__date__lte=F("period__deadline")))
            .values_list("period_id", "measure_id", "unit_id", "on_time")
        }
        table = Table(
            [_("Period"), _("Unit"), _("Missing"), _("Measures missing"), _("Late"), _("Measures late")],
            title=_("Member units"),
            widths=[9, 20, 8, 27, 8, 28],
        )
        for period in reversed(due):
            missing: dict[str, list[str]] = {}
            late: dict[str, list[str]] = {}
            for line in lines:
                r = line.responsibility
                unit_id = line.lineage.answering(r.unit_id, r.measure_id, period)  # who answered then
                key = (period.pk, r.measure_id, unit_id)
                name = line.lineage.name(unit_id, r.unit_id)
                if key not in sent:
                    missing.setdefault(name, []).append(r.measure.label)
                elif not sent[key]:
                    late.setdefault(name, []).append(r.measure.label)
            for name in sorted(set(missing) | set(late), key=lambda n: (-len(missing.get(n, [])), n)):
                table.add(
                    [str(period), name, len(missing.get(name, [])), ", ".join(missing.get(name, [])),
                     len(late.get(name, [])), ", ".join(late.get(name, []))]
                )  # fmt: skip
        section.tables.append(table)
    if not spec.unit:
        provinces = [spec.province] if spec.province else None
        completeness = province_completeness(spec.reader, list(reversed(due)), today, provinces)
        table = Table([_("Period"), _("Province"), _("Verdict")], title=_("Provinces"))
        for index, period in enumerate(reversed(due)):
            rows = [
                (cells[index].verdict != Timeliness.MISSING, province.name, cells[index].verdict_label)
                for province, cells, _rate in completeness.rows
                if cells[index].verdict in (Timeliness.MISSING, Timeliness.LATE)
            ]
            for _late, name, verdict in sorted(rows, key=lambda row: row[:2]):  # missing first
                table.add([str(period), name, verdict])
        section.tables.append(table)
    return section


# --- Case statistics -----------------------------------------------------------------------------


def cases_section(spec: ReportSpec, periods: list[ReportingPeriod]) -> Section:
    """Persons rescued in the report's quarters, by province and category, suppressed."""
    stats = suppressed_statistics(
        spec.reader, "province", "category", rescued_between=(periods[0].starts_on, periods[-1].ends_on)
    )
    section = Section(
        "cases",
        _("Case statistics"),
        intro=_(
            "Persons rescued from %(start)s to %(end)s whose case file (any agency) consents to statistics. "
            "Counts below %(threshold)s are hidden (%(symbol)s), and as many others as it takes so that none "
            "can be worked out from the totals."
        )
        % {
            "symbol": SUPPRESSED,
            "threshold": stats.threshold,
            "start": date_format(periods[0].starts_on),
            "end": date_format(periods[-1].ends_on),
        },
    )
    table = Table([_("Province"), *[str(label) for _key, label in stats.columns], _("Total")])
    for (key, label), (_label, cells, total) in zip(stats.rows, stats.table(), strict=True):
        if spec.province and key != spec.province.pk:
            continue
        if spec.province or total != 0:
            table.add([label, *_hidden(cells), _hidden([total])[0]])
    if not spec.province:
        table.set_total([_("Total"), *_hidden(stats.totals_row()), _hidden([stats.total])[0]])
    section.tables.append(table)
    return section


def _hidden(values):
    return [SUPPRESSED if v is None else v for v in values]


# --- The plan's targets --------------------------------------------------------------------------


def targets_section(
    spec: ReportSpec, lines: list[MeasureLine], data: Figures, first_year: IndicatorRow
) -> Section:
    """Each target of the plan (or of the unit's measures), and whether it is met as of the report's
    quarter: a dated milestone by its measure's responsible units' status (the milestone of 2.(3) by
    the registry of cooperation agreements, as its own section judges it), an indicator against its
    baseline. One query, two more for the milestone of 2.(3)."""
    section = Section("targets", _("Targets of the plan"))
    table = Table([_("Target"), _("Due"), _("Evidence"), _("Verdict")])
    statuses = responsible_lines(lines)
    targets = (
        Target.objects.filter(plan=spec.plan)
        .select_related("measure")
        .order_by("area__seq", "due_on", "code")
    )
    if spec.unit:
        targets = targets.filter(measure_id__in=statuses)
    as_of = spec.period.ends_on
    row = data.rows.get(spec.province.pk, IndicatorRow()) if spec.province else data.national
    baseline = data.baseline
    if spec.province:
        b = data.baselines.get(spec.province.pk)
        baseline = IndicatorRow.from_baselines([b]) if b else None
    for target in targets:
        due = date_format(target.due_on) if target.due_on else ""
        pending = target.due_on is not None and target.due_on > as_of
        if target.kind == TargetKind.MILESTONE:
            evidence, verdict = _milestone(target, statuses, pending)
            if target.code == COOPERATION_MILESTONE:
                evidence, verdict = _cooperation(spec, target, pending, evidence)
        else:
            evidence, verdict = _indicator(target, row, baseline, first_year, pending)
        table.add([target.text, due, evidence, verdict])
    section.tables.append(table)
    return section


def _milestone(target: Target, lines: dict[int, list[MeasureLine]], pending: bool) -> tuple[str, str]:
    """Met once every responsible unit of its measure reports it completed (the Office's review
    pending or not: the evidence says which)."""
    if target.measure_id is None:
        return _("Not tied to one measure: judged in the evaluation."), _("Not assessed")
    reported = lines.get(target.measure_id, [])
    found = [line.status for line in reported]
    evidence = _("Measure %(ref)s: %(statuses)s") % {
        "ref": target.measure.label,
        "statuses": ", ".join(_status_text(line) for line in reported) or status_label(""),
    }
    if found and all(s == ProgressStatus.COMPLETED for s in found):
        return evidence, _("Met")
    if pending:
        return evidence, _("Not yet due")
    return evidence, _("Not met") if any(found) else _("No report yet")


def _cooperation(spec: ReportSpec, target: Target, pending: bool, reported: str) -> tuple[str, str]:
    """The milestone of 2.(3) from the registry of agreements as of the report's last day: met once
    every main origin and destination province (the report's own, for a province) had signed with
    another province by the due date. What the units reported on the measure follows as evidence."""
    standing = milestone_standing(spec.reader, target, spec.period.ends_on)
    rows = standing.rows
    if spec.province:
        rows = [row for row in rows if row.province.pk == spec.province.pk]
        if not rows:
            return _("Not a main province of origin or destination."), _("Not assessed")
    signed = sum(row.verdict == SIGNED for row in rows)
    evidence = _(
        "Registry of cooperation agreements: %(signed)d of %(total)d main origin and destination "
        "provinces had signed by %(due)s."
    ) % {"signed": signed, "total": len(rows), "due": date_format(target.due_on)}
    evidence = f"{evidence} {reported}"
    if rows and signed == len(rows):
        return evidence, _("Met")
    if pending:
        return evidence, _("Not yet due")
    return evidence, _("Not met")


def _indicator(target, row, baseline, first_year, pending) -> tuple[str, str]:
    attribute = INDICATOR_CODES.get(target.indicator)
    if attribute is None:
        return _("The portal collects no figure for this indicator."), _("No data")
    now = getattr(row, attribute)
    if target.baseline_year and baseline is not None:
        then, since = getattr(baseline, attribute), str(target.baseline_year)
    else:  # no baseline entered (or none named): the plan's first year is the reference
        then, since = getattr(first_year, attribute), _("the plan's first year")
    if now is None:
        return _("Not enough figures reported yet."), _("No data")
    if then is None:
        return _("%(now)s now; nothing reported yet to compare it with.") % {"now": percent(now)}, _(
            "No data"
        )
    evidence = _("%(now)s now, %(then)s in %(since)s") % {
        "now": percent(now),
        "then": percent(then),
        "since": since,
    }
    better = now > then if target.direction == TargetDirection.INCREASE else now < then
    if pending:
        return evidence, _("On course") if better else _("Off course")
    return evidence, _("Met") if better else _("Not met")


# --- Cooperation agreements: the milestone of 2.(3), judged from the registry ---------------------


def agreements_section(spec: ReportSpec, target: Target) -> Section:
    """The milestone of 2.(3) judged from the registry of agreements as of the report's last day:
    each main origin and destination province, whether it had signed with another province by the
    due date (not terminated), with whom, and what it signed after. Two queries."""
    standing = milestone_standing(spec.reader, target, spec.period.ends_on)
    intro = _(
        "%(target)s Judged from the registry of cooperation agreements as of %(date)s: %(signed)d of "
        "the %(total)d main origin and destination provinces had signed with another province by "
        "%(due)s."
    ) % {
        "target": target.text,
        "date": date_format(spec.period.ends_on),
        "signed": standing.signed_count,
        "total": len(standing.rows),
        "due": date_format(target.due_on),
    }
    section = Section("agreements", _("Cooperation agreements (2.(3))"), intro=intro)
    table = Table(
        [_("Province"), _("Origin or destination"), _("Verdict"), _("Signed with"), _("Agreements")],
        widths=[16, 14, 18, 22, 30],
    )
    for row in standing.rows:
        signed = [(s.agreement.signed_on, s.agreement.get_kind_display()) for s in row.in_time or row.late]
        table.add(
            [
                row.province.name,
                ", ".join(row.roles),
                row.verdict_label,
                ", ".join(partner.name for partner in row.partners) or "–",
                "; ".join(f"{date_format(day)} {kind}" for day, kind in signed) or "–",
            ]
        )
    section.tables.append(table)
    return section


# --- Funding by channel (Part Three 3) -----------------------------------------------------------


def funding_years(spec: ReportSpec) -> range:
    """The years a report's funding covers: an annual report its year, an evaluation the plan's
    years up to the report's."""
    if spec.kind == JobKind.ANNUAL_REPORT:
        return range(spec.period.year, spec.period.year + 1)
    return range(spec.plan.start_year, spec.period.year + 1)


def funding_section(spec: ReportSpec) -> Section:
    """What the member units and provinces recorded of the funding of the work in the report's
    years: the totals by channel, by year and by area (and for the work as a whole). Two queries."""
    years = funding_years(spec)
    totals = funding_totals(spec.reader, spec.plan, years=years)
    span = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
    section = Section("funding", _("Funding by channel (Part Three 3)"))
    if totals.empty:
        section.intro = _("No unit or province has recorded funding for %(years)s.") % {"years": span}
        return section
    section.intro = _(
        "Recorded by the member units and provinces for %(years)s: %(total)s spent or received, of "
        "which %(budget)s from government budgets (%(budgeted)s budgeted), %(donation)s in donations "
        "and %(aid)s in international aid."
    ) % {
        "years": span,
        "total": Yuan(totals.all.total),
        "budget": Yuan(totals.all.budget),
        "budgeted": Yuan(totals.all.budgeted),
        "donation": Yuan(totals.all.donation),
        "aid": Yuan(totals.all.international_aid),
    }
    channels = Table(
        [_("Channel"), _("Budgeted (yuan)"), _("Spent or received (yuan)"), _("Lines")],
        title=_("By channel"),
        widths=[40, 22, 22, 16],
    )
    for row in totals.channels:
        budgeted = Yuan(row.budgeted) if row.budgeted is not None else ""
        channels.add([text(row.channel.label), budgeted, Yuan(row.amount), row.lines])
    channels.set_total([_("All channels"), Yuan(totals.all.budgeted), Yuan(totals.all.total), totals.lines])
    section.tables.append(channels)
    heads = [text(row.channel.label) for row in totals.channels]

    def cells(amounts) -> list:
        return [*(Yuan(amounts.by_channel[row.channel]) for row in totals.channels), Yuan(amounts.total)]

    by_year = Table([_("Year"), *heads, _("Total")], title=_("By year"), widths=[16, 21, 21, 21, 21])
    for year, amounts in totals.years:
        by_year.add([str(year), *cells(amounts)])
    section.tables.append(by_year)
    by_area = Table([_("Area"), *heads, _("Total")], title=_("By area"), widths=[32, 17, 17, 17, 17])
    for area, amounts in totals.areas:
        by_area.add([str(area) if area else _("The work as a whole"), *cells(amounts)])
    section.tables.append(by_area)
    return section


# --- Evaluation (mid-term and final) -----------------------------------------------------------------

RATING_COLOURS = {"achieved": "#2e7d32", "largely": "#1565c0", "partly": "#ef6c00", "not_achieved": "#c62828"}


def evaluation_round(spec: ReportSpec):
    """The plan's latest round of the report's kind of evaluation (None if none was opened)."""
    return (
        EvaluationRound.objects.filter(plan=spec.plan, kind=EVALUATION_KIND_OF[spec.kind])
        .order_by("-opens_on", "-pk")
        .first()
    )


def evaluation_section(spec: ReportSpec) -> tuple[Section, Counter]:
    """Each evaluated measure: the responsible units' submitted self-assessments and the Office's
    assessment, with the Office's ratings by area as a chart. Four queries."""
    evaluation = evaluation_round(spec)
    section = Section("evaluation", _("Evaluation"))
    ratings: Counter = Counter()
    if evaluation is None:
        section.intro = _("No round of this evaluation has been opened.")
        return section, ratings
    state = (
        _("closed on %(date)s") % {"date": date_format(timezone.localtime(evaluation.closed_at).date())}
        if (evaluation.closed_at)
        else _("still open: assessments may change")
    )
    section.intro = _("%(title)s (%(state)s). Self-assessments count once submitted.") % {
        "title": evaluation.title,
        "state": state,
    }
    tables: dict[int, Table] = {}
    by_area: dict[str, Counter] = {}
    responsible: dict[int, list] = {}
    for r in (
        Responsibility.objects.filter(measure__plan=spec.plan, role=ResponsibilityRole.RESPONSIBLE)
        .select_related("unit")
        .order_by("seq")
    ):
        responsible.setdefault(r.measure_id, []).append(r.unit)
    for row in evaluation_rows(spec.reader, evaluation):
        area = row.measure.area
        table = tables.get(area.pk)
        if table is None:
            table = tables[area.pk] = Table(
                [_("Measure"), _("Unit"), _("Self-assessment"), _("Narrative"), _("Office's rating"),
                 _("Office's comment")],
                title=_("Area %(number)s: %(title)s") % {"number": area.seq, "title": area.title},
                widths=[8, 13, 11, 32, 11, 25],
            )  # fmt: skip
            section.tables.append(table)
        office = row.office
        if office:
            ratings[office.rating] += 1
            by_area.setdefault(table.title, Counter())[office.rating] += 1
        office_cells = [office.get_rating_display() if office else "", office.comment if office else ""]
        submitted = {a.unit_id: a for a in row.self_assessments}
        # Every responsible unit: its submitted self-assessment, or that it sent none.
        units = responsible.get(row.measure.pk, []) or [a.unit for a in row.self_assessments]
        for i, unit in enumerate(units):
            assessment = submitted.get(unit.pk)
            table.add(
                [
                    row.measure.label if i == 0 else "",
                    unit.name,
                    assessment.get_rating_display() if assessment else _("None submitted"),
                    Truncator(assessment.narrative).chars(400) if assessment else "",
                    *(office_cells if i == 0 else ["", ""]),
                ]
            )
    order = list(EvaluationRating.values)
    bars = [
        (title, [by_area.get(title, Counter()).get(r, 0) for r in order])
        for title in (t.title for t in section.tables)
    ]
    if ratings:
        series = [(EvaluationRating(r).label, RATING_COLOURS[r]) for r in order]
        section.charts.append(charts.stacked_bars(_("The Office's ratings by area"), bars, series))
    return section, ratings
