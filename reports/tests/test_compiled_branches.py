"""Compiled reports on data that reaches every branch of every section (``every_branch``): each kind
of target with and without reports, entries accepted, not yet reviewed, returned, late and missing,
provinces on time, late, returned and silent, case counts shown and hidden, in both languages.

The worker compiles every kind in both languages and the files are read back; in the process, every
line of the sections, the cover and the charts must run on this data, so that a report that would
fail in use fails here first.
"""

import inspect
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from cases.selectors import SUPPRESSED
from core import clock
from core.models import Notification
from measures.models import EvaluationRound, Plan
from reports.choices import JobKind, JobStatus
from reports.models import Job
from reports.services.compiled import build as build_module
from reports.services.compiled import charts, content, sections
from reports.services.compiled import pdf as pdf_module
from reports.services.compiled import xlsx as xlsx_module
from reports.services.compiled.build import build
from reports.services.compiled.spec import ReportSpec
from reports.services.compiled.xlsx import render_xlsx
from reports.services.jobs import job_run
from tests.compiled import (
    BJ,
    MCA_CONTRIBUTION,
    MCA_NOTE,
    MPS_LATE,
    OFFICE_2_3,
    every_branch,
    pdf_structure,
    pdf_text,
    start,
    xlsx_rows,
)
from tests.jobs import wait_until
from tests.progress import at

GX, YN = "广西壮族自治区", "云南省"


def spec(kind: str, period: str = "2009Q4", language: str = "zh-hans", province=None, unit=None):
    from agencies.models import MemberUnit, Province

    plan = Plan.objects.get()
    return ReportSpec(
        kind,
        plan,
        plan.periods.with_code(period).get(),
        language,
        province=Province.objects.get(code=province) if province else None,
        unit=MemberUnit.objects.get(code=unit) if unit else None,
    )


def compiled(report_spec: ReportSpec) -> content.CompiledReport:
    """What the worker does before the layout, in the report's language."""
    with translation.override(report_spec.language):
        report = build(report_spec, lambda percent, line: None)
        render_xlsx(report)
    return report


def section(report: content.CompiledReport, key: str) -> content.Section:
    return next(s for s in report.sections if s.key == key)


def target_row(report: content.CompiledReport, ref: str) -> list:
    return next(row for row in section(report, "targets").tables[0].rows if ref in row[2])


# --- The failure in use: a dated milestone whose measure has a reported status -------------------


@pytest.mark.django_db
def test_the_national_report_compiles_once_a_dated_target_has_a_reported_status(persona):
    """The IMCS Office reports a status on 2.(3) for 2009 Q4 and the Office accepts it: the national
    report of 2009 Q4 compiles, in both languages, and its target says so."""
    every_branch(persona)
    chinese = compiled(spec(JobKind.QUARTERLY_REPORT))
    # Judged from the registry of agreements (none recorded here); what was reported follows.
    row = target_row(chinese, "2.(3)")
    assert row[2].startswith("合作协议登记") and row[2].endswith("措施 2.(3)：按计划推进")
    assert row[3] == "未实现"  # due end of 2008
    english = target_row(compiled(spec(JobKind.QUARTERLY_REPORT, language="en")), "2.(3)")
    assert english[2].endswith("Measure 2.(3): On track") and english[3] == "Not met"
    # Before it was due, and once completed (by a unit whose entry the Office has not reviewed).
    assert target_row(compiled(spec(JobKind.QUARTERLY_REPORT, "2008Q3")), "2.(3)")[3] == "未到期"
    done = target_row(compiled(spec(JobKind.QUARTERLY_REPORT, "2010Q1", "en")), "2.(3)")
    assert done[2].endswith("Measure 2.(3): Completed (not yet reviewed)") and done[3] == "Not met"
    early = target_row(compiled(spec(JobKind.QUARTERLY_REPORT, "2008Q2")), "2.(3)")
    assert early[2].endswith("措施 2.(3)：尚未报告") and early[3] == "未到期"


@pytest.mark.django_db
def test_unreviewed_entries_are_marked_as_such(persona):
    every_branch(persona)
    report = compiled(spec(JobKind.QUARTERLY_REPORT, language="en"))
    measures = section(report, "measures")
    rows = [row for table in measures.tables for row in table.rows]
    mca = next(row for row in rows if row[6] == MCA_NOTE)
    assert mca[4] == "Completed (not yet reviewed)" and mca[7] == "Not yet reviewed"
    office = next(row for row in rows if row[6] == OFFICE_2_3)
    assert office[4] == "On track" and office[7] == "Accepted"
    contribution = next(row for row in rows if row[6] == MCA_CONTRIBUTION)
    assert contribution[3] == "Cooperating" and contribution[4] == "" and contribution[7] == "Accepted"
    assert "2 of these entries were submitted but not yet reviewed" in measures.intro  # MCA's, MPS's late
    assert ("Entries not yet reviewed by the Office", "2") in report.facts
    # The plan's text of a measure is whole, however long.
    assert any(len(row[1]) > 100 for row in rows)


# --- Every line runs ---------------------------------------------------------------------------------


TRACED = [sections, build_module, charts, content, xlsx_module, pdf_module]


def function_lines(module: types.ModuleType) -> dict[int, str]:
    """Every line of code inside the module's functions (not the module's own statements, which run
    on import), with the function it belongs to."""
    path = inspect.getsourcefile(module)
    code = compile(Path(path).read_text(), path, "exec")
    lines: dict[int, str] = {}

    def walk(co: types.CodeType, inside: bool) -> None:
        if inside:
            for _start, _end, line in co.co_lines():
                if line is not None and line != co.co_firstlineno:
                    lines[line] = co.co_qualname
        for const in co.co_consts:
            if isinstance(const, types.CodeType):
                walk(const, inside or bool(const.co_flags & inspect.CO_OPTIMIZED))

    walk(code, False)
    return lines


class LineRecorder:
    """The lines run in the given files (sys.settrace, for the calls made while it is on)."""

    def __init__(self, paths: set[str]):
        self.paths, self.seen = paths, {path: set() for path in paths}

    def __enter__(self):
        self.previous = sys.gettrace()
        sys.settrace(self._call)
        return self

    def __exit__(self, *exc):
        sys.settrace(self.previous)

    def _call(self, frame, event, arg):
        if frame.f_code.co_filename in self.paths:
            return self._line
        return None

    def _line(self, frame, event, arg):
        if event == "line":
            self.seen[frame.f_code.co_filename].add(frame.f_lineno)
        return self._line


@pytest.mark.django_db
def test_every_line_of_every_section_runs_on_this_data(persona):
    every_branch(persona)
    specs = [
        *(spec(JobKind.QUARTERLY_REPORT, language=language) for language in ("zh-hans", "en")),
        spec(JobKind.QUARTERLY_REPORT, "2008Q1"),  # the first quarter: no trend yet, nothing on 2.(3)
        spec(JobKind.QUARTERLY_REPORT, "2008Q3"),  # 2.(3) reported before it was due
        spec(JobKind.QUARTERLY_REPORT, "2010Q1", "en"),  # 2.(3) completed
        spec(JobKind.ANNUAL_REPORT, "2009Q4", "en"),
        spec(JobKind.PROVINCE_REPORT, province="450000"),  # a baseline, a first year, a narrative
        spec(JobKind.PROVINCE_REPORT, language="en", province="110000"),  # late, no baseline, no 2008
        spec(JobKind.PROVINCE_REPORT, province="530000"),  # returned: nothing counted
        spec(JobKind.PROVINCE_REPORT, "2008Q1", province="620000"),  # not a main origin or destination
        spec(JobKind.UNIT_REPORT, unit="MCA"),
        spec(JobKind.UNIT_REPORT, language="en", unit="IMCS_OFFICE"),
        spec(JobKind.MID_TERM_EVALUATION, "2010Q1"),  # closed, more than four quarters due
        spec(JobKind.FINAL_EVALUATION, "2009Q4", "en"),  # still open
    ]
    paths = {inspect.getsourcefile(module) for module in TRACED}
    with LineRecorder(paths) as recorder:
        for report_spec in specs:
            compiled(report_spec)
        with clock.travel(at("2010-01-10")):  # compiled ahead of the deadline: nothing due yet
            early = compiled(spec(JobKind.QUARTERLY_REPORT, language="en"))
        EvaluationRound.objects.filter(kind="final").delete()  # a kind of evaluation with no round
        compiled(spec(JobKind.FINAL_EVALUATION, "2009Q4"))
        with translation.override("en"):
            pdf_module.render_pdf(early)  # the layout's own lines (WeasyPrint's are not traced)
    assert "nothing is overdue yet" in section(early, "overdue").intro
    assert any(label == "Note" and "may still come in" in value for label, value in early.facts)
    missed = {}
    for module in TRACED:
        path = inspect.getsourcefile(module)
        for line, function in sorted(function_lines(module).items()):
            if line not in recorder.seen[path]:
                missed.setdefault(f"{Path(path).name}:{function}", []).append(line)
    assert not missed, f"lines no test data reaches: {missed}"


# --- Through the worker, in both languages -------------------------------------------------------------


def pages_text(content: bytes) -> list[str]:
    return pdf_text(content).split("\f")[:-1]


def lowest_text_on_each_page(content: bytes) -> list[float]:
    """How far down each page its text reaches, as a share of the page's height."""
    result = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=content, capture_output=True, check=True)
    html = result.stdout.decode()
    shares = []
    for page in re.findall(r"<page width=\"[\d.]+\" height=\"([\d.]+)\">(.*?)</page>", html, re.S):
        height, words = float(page[0]), page[1]
        bottoms = [float(y) for y in re.findall(r'yMax="([\d.]+)"', words)]
        shares.append(max(bottoms, default=0) / height)
    return shares


def pdfinfo(content: bytes) -> str:
    return subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True).stdout.decode()


@pytest.mark.django_db(transaction=True)
def test_the_worker_compiles_every_kind_in_both_languages_on_this_data(persona, celery_worker_process):
    office = every_branch(persona)
    gx, mca = persona("reporter_gx"), persona("liaison_mca")
    kinds = [
        (office, JobKind.QUARTERLY_REPORT, "2009Q4", {}),
        (office, JobKind.ANNUAL_REPORT, "2009", {}),
        (gx, JobKind.PROVINCE_REPORT, "2009Q4", {}),
        (mca, JobKind.UNIT_REPORT, "2009Q4", {}),
        (office, JobKind.MID_TERM_EVALUATION, "2010Q1", {}),
        (office, JobKind.FINAL_EVALUATION, "2009Q4", {}),
    ]
    jobs = {
        (kind, language): start(user, kind, period=period, language=language, **scope)
        for user, kind, period, scope in kinds
        for language in ("zh-hans", "en")
    }
    files = {}
    for key, job in jobs.items():
        assert wait_until(job, timeout=180).status == JobStatus.SUCCEEDED, job.log
        files[key] = (job.pdf.read(), xlsx_rows(job.xlsx.read()))
    today = clock.today()

    for (kind, language), (pdf, _rows) in files.items():
        text = pdf_text(pdf)
        flat = text.replace("\n", " ")
        # Periods as people write them, never as codes; the day the data is as of.
        assert not re.search(r"\b20\d\dQ\d\b", text), (kind, language)
        with translation.override(language):
            assert date_format(today) in text
        # Tagged, in its language, so that it can be read aloud.
        assert re.search(r"^Tagged:\s+yes$", pdfinfo(pdf), re.M)
        structure = pdf_structure(pdf)
        assert f"/Lang ({'zh-Hans' if language == 'zh-hans' else 'en'})".encode() in structure
        assert b"/StructTreeRoot" in structure and b"/MarkInfo <</Marked true>>" in structure
        for tag in (b"/S /H1", b"/S /H2", b"/S /Table", b"/S /TH", b"/S /TD"):
            assert tag in structure, tag
        alternative = b"/Alt (Chart: " if language == "en" else b"/Alt <feff56fe8868ff1a"  # 图表：
        assert b"/S /Figure" in structure and alternative in structure  # a chart, announced as one
        # No page left half empty, but the cover and the last.
        shares = lowest_text_on_each_page(pdf)
        assert all(share > 0.6 for share in shares[1:-1]), (kind, language, shares)
        if language == "zh-hans":
            assert "2009年第四季度" in flat or "2010年第一季度" in flat or "2009年" in flat
        else:
            assert "2009 Q4" in flat or "2010 Q1" in flat

    quarterly, quarterly_rows = files[(JobKind.QUARTERLY_REPORT, "zh-hans")]
    text = pdf_text(quarterly).replace("\n", "")
    assert "季度进展报告 · 2009年第四季度" in text
    assert "措施 2.(3)：按计划推进" in text and "未实现" in text
    assert "未经审核" in text  # MCA's entry, not yet reviewed (its cell's lines are read apart)
    assert MPS_LATE in text and BJ in text
    cells = [cell for sheet in quarterly_rows.values() for row in sheet for cell in row]
    assert "已完成（未经审核）" in cells and "2009年第四季度" in cells
    # Yunnan's returned report is not counted in the figures; Beijing sent late, the rest nothing.
    assert [row[1] for row in quarterly_rows["2. 各省数据与指标"] if row and row[0] == YN] == ["未报送"]
    # Hebei's report is not yet accepted: left out of the figures, and named as left out.
    provinces = quarterly_rows["2. 各省数据与指标"]
    assert [row[1] for row in provinces if row and row[0] == "河北省"] == ["尚未采纳"]
    assert "未计入，已报送联席会议办公室但尚未采纳：河北省（2009年第四季度）。" in text
    overdue = {row[1]: row[2] for row in quarterly_rows["4. 未报和迟报情况"] if len(row) == 3}
    assert overdue[BJ] == "逾期" and overdue["天津市"] == "缺报" and GX not in overdue and YN not in overdue
    late = next(row for row in quarterly_rows["4. 未报和迟报情况"] if row[:2] == ("2009年第四季度", "公安部"))
    assert late[4:] == (1, "3.(1)-a")
    # Case statistics: 3 women hidden, and the 12 children with them (else the total gives the 3 away).
    guangxi = next(row for row in quarterly_rows["6. 个案统计"] if row and row[0] == GX)
    assert guangxi[1:] == (SUPPRESSED, SUPPRESSED, 15)
    assert f"（{SUPPRESSED}）" in text

    english, english_rows = files[(JobKind.QUARTERLY_REPORT, "en")]
    text = pdf_text(english).replace("\n", " ")
    assert "Quarterly progress report · 2009 Q4" in text and "On track" in text
    cells = [cell for sheet in english_rows.values() for row in sheet for cell in row]
    assert "Completed (not yet reviewed)" in cells
    assert any(str(cell).endswith("Measure 2.(3): On track") for cell in cells)
    annual = pdf_text(files[(JobKind.ANNUAL_REPORT, "zh-hans")][0]).replace("\n", "")
    assert "年度报告 · 2009年" in annual
    unit, unit_rows = files[(JobKind.UNIT_REPORT, "en")]
    assert "Unit report · 2009 Q1–2009 Q4" in pdf_text(unit).replace("\n", " ")
    assert MCA_CONTRIBUTION in [cell for sheet in unit_rows.values() for row in sheet for cell in row]


# --- Pages ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_periods_read_as_people_write_them(persona, client_as):
    every_branch(persona)
    period = Plan.objects.get().periods.with_code("2009Q4").get()
    with translation.override("zh-hans"):
        assert str(period) == "2009年第四季度"
    with translation.override("en"):
        assert str(period) == "2009 Q4"
    job = start(persona("office"), JobKind.QUARTERLY_REPORT)
    annual = start(persona("office"), JobKind.ANNUAL_REPORT, period="2009")
    client = client_as("office")
    page = client.get(reverse("reports:job", kwargs={"pk": job.pk})).content.decode()
    assert re.search(r"<title>[^<]*2009年第四季度", page) and "2009Q4" not in page.split("<main")[-1]
    listing = client.get(reverse("reports:compiled")).content.decode()
    assert "2009年第四季度" in listing and "2009年" in listing
    assert reverse("reports:job", kwargs={"pk": annual.pk}) in listing
    # The notice that it is ready, in each language.
    job_run(job.pk)
    note = Notification.objects.get(link__endswith=f"/jobs/{job.pk}/")
    assert "2009年第四季度" in note.title_zh and "2009 Q4" in note.title_en


@pytest.mark.django_db
@pytest.mark.portal_date("2010-01-10")  # 2009 Q4 has ended; its reports are due on 2010-01-15
def test_compiling_ahead_of_the_deadline_asks_first(persona, client_as, settings):
    persona("office")
    client = client_as("office")
    data = {"kind": JobKind.QUARTERLY_REPORT, "period": "2009Q4", "language": "en"}
    first = client.post(reverse("reports:compiled"), data)
    assert first.status_code == 200 and not Job.objects.exists()
    page = first.content.decode()
    assert 'id="early-warning"' in page and "2009年第四季度" in page and 'name="early"' in page
    unticked = client.post(reverse("reports:compiled"), data)
    assert unticked.status_code == 200 and not Job.objects.exists()  # asked again
    confirmed = client.post(reverse("reports:compiled"), {**data, "early": "on"})
    job = Job.objects.get()
    assert confirmed.url == reverse("reports:job", kwargs={"pk": job.pk})
    # After the deadline nothing is asked.
    settings.PORTAL_TODAY = "2010-01-16"
    again = client.post(reverse("reports:compiled"), {**data, "language": "zh-hans"})
    assert again.status_code == 302 and Job.objects.count() == 2


@pytest.mark.django_db
def test_one_symbol_for_a_hidden_count_on_the_web_and_in_the_files(persona, client_as):
    every_branch(persona)
    page = client_as("office").get(reverse("cases:statistics")).content.decode()
    assert f">{SUPPRESSED}<" in page
    report = compiled(spec(JobKind.QUARTERLY_REPORT, language="en"))
    cases = section(report, "cases")
    assert f"({SUPPRESSED})" in cases.intro
    assert SUPPRESSED in [cell for row in cases.tables[0].rows for cell in row]


# --- Charts ------------------------------------------------------------------------------------------------


def texts_and_lines(svg: str):
    texts = [
        (float(x), float(y), anchor, label)
        for x, y, anchor, label in re.findall(
            r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="(\w+)"[^>]*>([^<]*)</text>', svg
        )
    ]
    dashed = [
        tuple(map(float, found))
        for found in re.findall(
            r'<line x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="([\d.]+)" stroke="#333" stroke-dash', svg
        )
    ]
    return texts, dashed


def crosses(text, line) -> bool:
    x, y, anchor, label = text
    width = charts.text_width(label)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    x1, y1, x2, y2 = line
    top, bottom = y - 10, y + 2
    if x1 == x2:  # vertical
        return left - 1 <= x1 <= left + width + 1 and min(y1, y2) <= bottom and max(y1, y2) >= top
    return top <= y1 <= bottom and min(x1, x2) <= left + width and max(x1, x2) >= left


def test_chart_labels_stay_off_the_baseline_line():
    # A bar that ends just before the baseline: its value would be written across the line.
    chart = charts.bars_against("t", [("甲", 0.48), ("乙", 0.2), ("丙", None), ("丁", 0.9)], 0.5, "基线")
    texts, dashed = texts_and_lines(chart.svg)
    assert len(dashed) == 2  # the line, and its sample in the legend
    assert any(label == "基线 50.0%" for *_xy, label in texts)
    assert not [text for text in texts for line in dashed if crosses(text, line)]
    labels = [f"{year} Q{q}" for year in range(2008, 2013) for q in range(1, 5)]
    values = [0.5 + i / 100 for i in range(len(labels))]
    chart = charts.line("t", labels, [("Solved / reported", "#1565c0", values)], 0.52, "Baseline")
    texts, dashed = texts_and_lines(chart.svg)
    assert not [text for text in texts for line in dashed if crosses(text, line)]
    # Quarter names never overlap one another, and none runs off the chart.
    axis = sorted((x, label) for x, y, anchor, label in texts if re.match(r"20\d\d Q\d", label))
    for (x1, a), (x2, b) in zip(axis, axis[1:], strict=False):
        assert x2 - x1 >= (charts.text_width(a, 9) + charts.text_width(b, 9)) / 2
    assert axis[-1][0] + charts.text_width(axis[-1][1], 9) / 2 <= charts.WIDTH


def test_a_long_bar_label_is_cut_to_fit_its_room():
    chart = charts.stacked_bars("t", [("第二部分：预防" * 6, [1, 2])], [("a", "#000"), ("b", "#111")])
    label = next(t for t in texts_and_lines(chart.svg)[0] if t[3].startswith("第二部分"))
    assert label[3].endswith("…") and charts.text_width(label[3]) <= charts.LABEL_WIDTH - 10


@pytest.mark.django_db
def test_the_report_states_the_day_its_data_is_as_of(persona):
    every_branch(persona)
    with clock.travel(at("2010-02-03")):
        report = compiled(spec(JobKind.QUARTERLY_REPORT, language="en"))
    assert ("Data as of", "3 Feb 2010") in report.facts and report.as_of == "3 Feb 2010"
    with clock.travel(at("2010-02-03")):
        assert compiled(spec(JobKind.QUARTERLY_REPORT)).as_of == "2010年2月3日"
