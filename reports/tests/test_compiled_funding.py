"""The funding section of the compiled reports: an annual report holds its year's funding by
channel, year and area, an evaluation report the plan's years to date; the quarterly, province and
unit reports hold none; the sums are right in both languages and in the XLSX, and the section's
queries do not grow with the lines."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from measures.choices import FundingChannel
from measures.models import Plan
from reports.choices import JobKind
from reports.services.compiled import sections
from reports.services.compiled.build import build
from reports.services.compiled.content import Yuan
from reports.services.compiled.spec import ReportSpec
from reports.services.compiled.xlsx import render_xlsx
from tests.compiled import xlsx_rows
from tests.funding import add_line, lines_of

pytestmark = pytest.mark.django_db


def spec(kind: str, language: str = "zh-hans") -> ReportSpec:
    plan = Plan.objects.get()
    return ReportSpec(kind, plan, plan.periods.with_code("2009Q4").get(), language)


def funding_of(report):
    return next((s for s in report.sections if s.key == "funding"), None)


def compiled(report_spec: ReportSpec):
    with translation.override(report_spec.language):
        report = build(report_spec, lambda percent, line: None)
        return report, render_xlsx(report)


@pytest.fixture
def funding(persona):
    mca, yn = persona("liaison_mca"), persona("reporter_yn")
    add_line(mca, year=2008, budgeted="100000", amount="90000", area=3)
    add_line(mca, year=2009, budgeted="300000", amount="250000", area=3)
    add_line(mca, year=2009, channel=FundingChannel.INTERNATIONAL_AID, donor="UNICEF", amount="80000", area=5)
    add_line(yn, year=2009, channel=FundingChannel.DONATION, donor_kind="enterprise", amount="50000")
    add_line(yn, year=2010, budgeted="1000", amount="1000")  # after the report's year


def test_the_annual_report_holds_its_years_funding(funding):
    report, workbook = compiled(spec(JobKind.ANNUAL_REPORT, "en"))
    section = funding_of(report)
    assert section.title == "Funding by channel (Part Three 3)"
    assert "for 2009: ¥380,000.00 spent or received" in section.intro
    channels, by_year, by_area = section.tables
    assert [row[2] for row in channels.rows] == [Decimal("250000"), Decimal("50000"), Decimal("80000")]
    assert channels.rows[0][1] == Decimal("300000") and channels.rows[1][1] == ""
    assert channels.total == ["All channels", Decimal("300000"), Decimal("380000"), 3]
    assert [row[0] for row in by_year.rows] == ["2009"]
    assert [row[0].split(".")[0] for row in by_area.rows] == ["3", "5", "The work as a whole"]
    assert by_area.rows[-1][2:] == [Decimal("50000"), Decimal("0"), Decimal("50000")]
    assert str(channels.total[2]) == "¥380,000.00" and isinstance(channels.total[2], Yuan)
    rows = [row for sheet in xlsx_rows(workbook).values() for row in sheet]
    assert ("All channels", 300000, 380000, 3) in rows  # numbers in the XLSX, not text


def test_an_evaluation_report_holds_the_plan_to_date_in_chinese(funding):
    report, _workbook = compiled(spec(JobKind.MID_TERM_EVALUATION))
    section = funding_of(report)
    assert section.title == "分渠道经费（第三部分第3条）"
    assert "2008–2009" in section.intro and "¥470,000.00" in section.intro
    channels, by_year, _by_area = section.tables
    assert [row[0] for row in by_year.rows] == ["2008", "2009"]
    assert by_year.rows[0][-1] == Decimal("90000") and channels.total[-1] == 4
    assert channels.rows[0][0] == "政府预算"


def test_other_reports_hold_no_funding_and_an_empty_year_says_so(persona):
    for kind in (JobKind.QUARTERLY_REPORT,):
        assert funding_of(compiled(spec(kind))[0]) is None
    empty = funding_of(compiled(spec(JobKind.ANNUAL_REPORT, "en"))[0])
    assert empty.intro == "No unit or province has recorded funding for 2009." and not empty.tables


def test_the_sections_queries_do_not_grow_with_the_lines(persona, funding):
    annual = spec(JobKind.ANNUAL_REPORT, "en")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            sections.funding_section(annual)
        return len(captured.captured_queries)

    small = queries()
    lines_of(persona("liaison_mps"), 12)
    lines_of(persona("reporter_gx"), 9)
    assert queries() == small <= 3
