"""National and provincial figures count only what the IMCS Office accepted (issue 13, point 3).

A province's report submitted and not yet accepted is unconfirmed: the indicators, the dashboards,
the API and the compiled reports leave it out and say so, with how much it holds; the pages and
the API count it, marked, when asked (``?unconfirmed=1``). A returned report never counts. A
collecting province's accepted report counts its own figures and its prefectures' approved ones,
and the prefectures' reports never count by themselves.
"""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from agencies.models import Division, Province
from core import clock
from core.choices import ReviewState, Role
from measures.models import Plan
from reports.choices import JobKind, JobStatus
from reports.models import CollectingDivision, QuarterlyReport, QuarterlyTotal
from reports.models.chain import reporting_children
from reports.selectors.indicators import IndicatorRow, figures_over, indicator_series, indicators
from reports.services.chain import nothing_to_report_mark
from reports.services.compiled.build import build
from reports.services.compiled.jobs import report_start, spec_of
from reports.services.compiled.spec import report_spec
from reports.services.quarterly import quarterly_report_accept
from tests.compiled import accept, pdf_text, row_starting, send_back, start, xlsx_rows
from tests.fixtures import in_english
from tests.jobs import wait_until
from tests.personas import make_agency, make_user, reporters_elsewhere
from tests.progress import at, period
from tests.quarterly import file_report, good_values
from tests.queries import page_queries

pytestmark = [pytest.mark.django_db, pytest.mark.portal_date("2010-01-10")]

GX, BJ, YN = "450000", "110000", "530000"


def reporter_of(code: str):
    return make_user(f"reporter_{code}", Role.PROVINCE, province=code)


def guangxi_accepted_beijing_waiting(persona):
    """Guangxi 30 of 40 solved, accepted; Beijing 10 of 40, submitted and not yet accepted."""
    office = persona("office")
    gx = file_report(persona("reporter_gx"), "2009Q4", when="2010-01-05", submit=True)
    accept(office, gx, "2010-01-06")
    bj = file_report(
        reporter_of(BJ), "2009Q4", when="2010-01-07", submit=True,
        values=good_values(cases_reported=40, cases_solved=10),
    )  # fmt: skip
    return office, bj


def q4(data) -> IndicatorRow:
    return data.national.get(period("2009Q4").pk, IndicatorRow())


def q4_ratio(data) -> float | None:
    return q4(data).ratio


def flat(page: str) -> str:
    return re.sub(r"\s+", "", page)


# --- Indicators: left out by default, counted and marked with the switch ---------------------------


def test_a_report_not_yet_accepted_is_left_out_and_counted_marked_when_asked(persona, plan):
    office, bj = guangxi_accepted_beijing_waiting(persona)
    data = indicators(office, plan, 2009)
    assert q4_ratio(data) == 0.75  # Guangxi only
    assert q4(data).unconfirmed is False
    assert data.unconfirmed.count == 1 and data.unconfirmed.province_count == 1
    assert data.unconfirmed.cases_reported == 40
    assert [(p.code, [str(q) for q in qs]) for p, qs in data.unconfirmed_named()] == [
        (BJ, ["2009年第四季度"])
    ]
    beijing = next(cells for province, cells, _y, _b in data.rows() if province.code == BJ)
    assert beijing[3].ratio is None  # not a figure of Beijing yet

    included = indicators(office, plan, 2009, include_unconfirmed=True)
    assert q4_ratio(included) == 0.5  # (30 + 10) / (40 + 40)
    assert q4(included).unconfirmed is True
    assert included.year_national.unconfirmed is True
    guangxi = next(cells for province, cells, _y, _b in included.rows() if province.code == GX)
    assert guangxi[3].ratio == 0.75 and guangxi[3].unconfirmed is False  # only what it reaches is marked
    assert included.unconfirmed.included and included.unconfirmed.count == 1

    accept(office, bj, "2010-01-08")
    after = indicators(office, plan, 2009)
    assert q4_ratio(after) == 0.5 and not after.unconfirmed  # accepting it changes the national figure
    assert q4(after).unconfirmed is False


def test_a_returned_report_never_counts(persona, plan):
    office, bj = guangxi_accepted_beijing_waiting(persona)
    send_back(office, bj, "2010-01-08")
    for include in (False, True):
        data = indicators(office, plan, 2009, include_unconfirmed=include)
        assert q4_ratio(data) == 0.75 and not data.unconfirmed
        series = indicator_series(office, plan, include_unconfirmed=include)
        assert series["ratio"][series["codes"].index("2009Q4")] == 75.0
        assert series["unconfirmed"]["reports"] == 0


def test_the_series_labels_the_quarters_unconfirmed_figures_reach(persona, plan):
    office, _bj = guangxi_accepted_beijing_waiting(persona)
    series = indicator_series(office, plan)
    at_q4 = series["codes"].index("2009Q4")
    assert series["ratio"][at_q4] == 75.0 and series["labels"][at_q4] == "2009年第四季度"
    assert series["unconfirmed"] == {"included": False, "reports": 1, "provinces": 1, "cases_reported": 40}
    included = indicator_series(office, plan, include_unconfirmed=True)
    assert included["ratio"][at_q4] == 50.0
    assert included["labels"][at_q4] == "2009年第四季度（未确认）"
    assert included["labels"][at_q4 - 1] == "2009年第三季度"  # nothing unconfirmed there
    with translation.override("en"):
        labels = indicator_series(office, plan, include_unconfirmed=True)["labels"]
    assert labels[at_q4].endswith("(unconfirmed)")


# --- A collecting province: its total counts once it is accepted; the prefectures' never by themselves


def yunnan_collects_and_submits(persona):
    """Yunnan collects from its 16 prefectures: Kunming (30 of 60) and Dali (10 of 20) report and
    Yunnan approves them, the 14 others have nothing to report; Yunnan adds its own 30 of 40 and
    submits to the Office (its total: 70 of 120)."""
    yn = persona("reporter_yn")
    yunnan = Division.objects.get(code=YN)
    CollectingDivision.objects.create(division=yunnan)
    prefectures = {}
    for code, reported, solved in (("530100", 60, 30), ("532900", 20, 10)):
        reporter = make_user(f"reporter_{code}", Role.PROVINCE, agency=make_agency(f"ATO-{code}").code)
        prefectures[code] = file_report(
            reporter, "2009Q4", when="2010-01-04", submit=True,
            values=good_values(cases_reported=reported, cases_solved=solved),
        )  # fmt: skip
    with clock.travel(at("2010-01-05")):
        for report in prefectures.values():
            quarterly_report_accept(actor=yn, report_id=report.pk, version=report.version)
        for child in reporting_children(yunnan):
            if child.code not in prefectures:
                nothing_to_report_mark(
                    actor=yn, division_id=child.pk, period=period("2009Q4"), reason="本季度无案件。"
                )
    own = file_report(yn, "2009Q4", when="2010-01-06", submit=True)
    return own, prefectures


def test_a_collecting_province_counts_its_total_once_accepted_and_its_prefectures_never_alone(persona, plan):
    office = persona("office")
    own, prefectures = yunnan_collects_and_submits(persona)
    assert all(
        QuarterlyReport.objects.get(pk=r.pk).state == ReviewState.ACCEPTED for r in prefectures.values()
    )
    # The prefectures' approved reports have totals of their own, which national figures never read.
    assert (
        QuarterlyTotal.objects.filter(report__in=prefectures.values(), figure__code="cases_reported").count()
        == 2
    )
    assert QuarterlyTotal.objects.get(report=own, figure__code="cases_reported").value == 120

    data = indicators(office, plan, 2009)
    assert q4_ratio(data) is None  # nothing accepted yet: not the prefectures' approved 40 of 80
    assert data.unconfirmed.count == 1 and data.unconfirmed.cases_reported == 120
    included = indicators(office, plan, 2009, include_unconfirmed=True)
    assert q4(included).reported == 120  # own 40 + 60 + 20, not 200
    assert q4(included).unconfirmed

    accept(office, own, "2010-01-08")
    data = indicators(office, plan, 2009)
    total = q4(data)
    assert (total.reported, total.solved) == (120, 70) and not total.unconfirmed and not data.unconfirmed
    yunnan = next(cells for province, cells, _y, _b in data.rows() if province.code == YN)
    assert yunnan[3].reported == 120
    # The compiled reports' figures too: Yunnan's total, once.
    figures = figures_over(office, plan, [period("2009Q4")])
    assert figures.rows[Province.objects.get(code=YN).pk].reported == 120
    assert figures.national.reported == 120


# --- Pages: the notice, the switch without JavaScript, the marks --------------------------------


def test_the_indicators_page_says_what_it_leaves_out_and_switches_without_javascript(client_as, persona):
    guangxi_accepted_beijing_waiting(persona)
    client = in_english(client_as("office"))
    page = client.get(reverse("reports:indicators"), {"year": 2009}).content.decode()
    notice = re.search(r'<div class="note" id="unconfirmed".*?</div>', page, re.S).group(0)
    assert "Not counted: 1 provincial report submitted to the IMCS Office and not yet accepted" in notice
    assert "(provinces: 1; cases reported: 40)" in notice and "Beijing Municipality: 2009 Q4" in notice
    link = re.search(r'<a href="([^"]+)" id="unconfirmed-toggle">Include unconfirmed figures</a>', notice)
    assert "unconfirmed=1" in link.group(1) and "year=2009" in link.group(1)  # the year asked is kept
    assert 'name="unconfirmed" value="1">' in page  # the form's checkbox, not ticked
    assert ">75%<" in flat(page) and "badge tl-late unconfirmed" not in page

    included = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert 'name="unconfirmed" value="1" checked>' in included
    assert "Includes unconfirmed figures" in included
    assert "Counted and marked “unconfirmed”: 1 provincial report" in included
    national = re.search(r'<tr class="national">.*?</tr>', included, re.S).group(0)
    assert "50%" in national and "unconfirmed</span>" in national
    back = re.search(r'<a href="([^"]+)" id="unconfirmed-toggle">Show accepted figures only</a>', included)
    assert "unconfirmed" not in back.group(1) and "year=2009" in back.group(1)

    chinese = client_as("office")
    chinese.cookies.pop("django_language", None)
    page = chinese.get(reverse("reports:indicators"), {"year": 2009, "unconfirmed": 1}).content.decode()
    assert "含未确认数据" in page and "未确认</span>" in page


def test_an_accepted_report_leaves_no_notice(client_as, persona):
    office, bj = guangxi_accepted_beijing_waiting(persona)
    accept(office, bj, "2010-01-08")
    page = in_english(client_as("office")).get(reverse("reports:indicators"), {"year": 2009}).content.decode()
    assert 'id="unconfirmed"' not in page and ">50%<" in flat(page)
    asked = client_as("office").get(reverse("reports:indicators"), {"year": 2009, "unconfirmed": 1})
    assert 'id="unconfirmed"' in asked.content.decode()  # says everything shown is accepted


def test_the_office_dashboard_says_what_it_leaves_out(client_as, persona):
    guangxi_accepted_beijing_waiting(persona)
    client = in_english(client_as("office"))
    response = client.get(reverse("reports:dashboard"))
    page = response.content.decode()
    assert "Not counted: 1 provincial report" in page and "(provinces: 1; cases reported: 40)" in page
    series = response.context["indicators"]
    assert series["ratio"][series["codes"].index("2009Q4")] == 75.0
    response = client.get(reverse("reports:dashboard"), {"unconfirmed": 1})
    series = response.context["indicators"]
    assert series["ratio"][series["codes"].index("2009Q4")] == 50.0
    assert "2009 Q4 (unconfirmed)" in series["labels"]
    assert "Includes unconfirmed figures" in response.content.decode()


def test_a_provinces_dashboard_says_its_own_report_is_not_accepted_yet(client_as, persona):
    file_report(persona("reporter_gx"), "2009Q4", when="2010-01-05", submit=True)
    client = in_english(client_as("reporter_gx"))
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert "Not counted: 1 provincial report" in page and "cases reported: 40" in page
    series = client.get(reverse("reports:dashboard"), {"unconfirmed": 1}).context["indicators"]
    assert series["ratio"][series["codes"].index("2009Q4")] == 75.0


@pytest.mark.parametrize("name", ["reports:indicators", "reports:dashboard"])
def test_the_switch_costs_no_query_at_two_sizes(client_as, persona, name):
    guangxi_accepted_beijing_waiting(persona)
    client = client_as("office")
    url = reverse(name)
    small = page_queries(client, url)
    assert page_queries(client, f"{url}?unconfirmed=1") == small
    for user in reporters_elsewhere(8):
        if user.province.code == BJ:  # Beijing's report is in already
            continue
        report = file_report(user, "2009Q4", when="2010-01-05", submit=True)
        if user.province.code < "400000":
            accept(persona("office"), report, "2010-01-06")
    assert page_queries(client, url) == small
    assert page_queries(client, f"{url}?unconfirmed=1") == small


# --- The API ---------------------------------------------------------------------------------


def test_the_api_says_what_it_counts_and_what_it_leaves_out(api_as, persona):
    guangxi_accepted_beijing_waiting(persona)
    api = api_as("office")
    answer = api.get("/api/indicators/", {"year": 2009}).json()
    assert answer["counted"] == "accepted"
    assert answer["unconfirmed"] == {
        "included": False, "reports": 1, "provinces": 1, "cases_reported": 40,
        "items": [{"province": BJ, "period": "2009Q4"}],
    }  # fmt: skip
    assert answer["periods"] == ["2009Q1", "2009Q2", "2009Q3", "2009Q4"]
    assert answer["national"]["quarters"][3]["solved_to_reported"] == 0.75
    assert answer["national"]["quarters"][3]["unconfirmed"] is False
    beijing = next(p for p in answer["provinces"] if p["province"] == BJ)
    assert beijing["quarters"][3]["cases_reported"] == 0

    included = api.get("/api/indicators/", {"year": 2009, "unconfirmed": "true"}).json()
    assert included["counted"] == "accepted_and_unconfirmed" and included["unconfirmed"]["included"]
    assert included["national"]["quarters"][3] == {
        "cases_reported": 80, "cases_solved": 40, "persons_rescued": 70, "persons_assisted": 60,
        "solved_to_reported": 0.5, "assisted_share": 60 / 70, "unconfirmed": True,
    }  # fmt: skip
    beijing = next(p for p in included["provinces"] if p["province"] == BJ)
    assert beijing["quarters"][3]["cases_reported"] == 40 and beijing["quarters"][3]["unconfirmed"]


def test_the_api_answers_a_province_its_own_row_and_refuses_bad_queries(api_as, persona):
    guangxi_accepted_beijing_waiting(persona)
    answer = api_as("reporter_gx").get("/api/indicators/", {"year": 2009}).json()
    assert answer["national"] is None and [p["province"] for p in answer["provinces"]] == [GX]
    assert answer["unconfirmed"]["reports"] == 0  # Beijing's report is not Guangxi's to see
    assert api_as("liaison_mca").get("/api/indicators/").status_code == 404
    assert api_as(None).get("/api/indicators/").status_code == 401
    office = in_english(api_as("office"))
    wrong_year = office.get("/api/indicators/", {"year": 1999})
    assert wrong_year.status_code == 400 and "year" in wrong_year.json()
    wrong_switch = office.get("/api/indicators/", {"unconfirmed": "perhaps"})
    assert wrong_switch.status_code == 400 and "unconfirmed" in wrong_switch.json()


# --- Compiled reports: accepted only, and what was left out -------------------------------------


def test_a_compiled_report_counts_accepted_figures_and_names_what_it_left_out(persona):
    office, _bj = guangxi_accepted_beijing_waiting(persona)
    yunnan = file_report(reporter_of(YN), "2009Q4", when="2010-01-05", submit=True)
    send_back(office, yunnan, "2010-01-07")  # returned: neither counted nor "left out"
    spec = report_spec(
        office, plan=Plan.objects.get(), kind=JobKind.QUARTERLY_REPORT, period="2009Q4", language="zh-hans"
    )
    with translation.override("zh-hans"):
        report = build(spec, lambda *_: None)
    facts = dict(report.facts)
    assert facts["未计入（已报送、尚未采纳）"] == "北京市（2009年第四季度）"
    assert facts["破案率"] == "75.0%"
    provinces = next(s for s in report.sections if s.key == "provinces")
    assert "未计入，已报送联席会议办公室但尚未采纳：北京市（2009年第四季度）。" in provinces.intro
    table = provinces.tables[0]
    assert next(row for row in table.rows if row[0] == "北京市")[1] == "尚未采纳"
    assert next(row for row in table.rows if row[0] == "云南省")[1] == "未报送"
    assert table.total[1] == 40  # Guangxi's 40 cases reported, not Beijing's


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_compiles_the_national_quarterly_report_from_accepted_figures(
    persona, celery_worker_process
):
    office, bj = guangxi_accepted_beijing_waiting(persona)
    job = start(office, JobKind.QUARTERLY_REPORT, language="en")
    assert wait_until(job).status == JobStatus.SUCCEEDED, job.log
    text = " ".join(pdf_text(job.pdf.read()).split())
    left_out = "Left out, submitted but not yet accepted by the IMCS Office: Beijing Municipality (2009 Q4)."
    assert left_out in text
    rows = xlsx_rows(job.xlsx.read())
    cover = dict(row[:2] for row in next(iter(rows.values())) if len(row) >= 2)
    assert cover["Left out: submitted, not yet accepted"] == "Beijing Municipality (2009 Q4)"
    assert cover["Provinces whose report for 2009 Q4 is accepted"] == "1 / 31"
    assert row_starting(rows, "Beijing Municipality")[1] == "Not yet accepted"
    assert row_starting(rows, "Guangxi Zhuang Autonomous Region")[1:4] == (40, 30, 0.75)
    assert row_starting(rows, "National")[1:4] == (40, 30, 0.75)

    accept(office, bj, "2010-01-08")
    again = report_start(actor=office, spec=spec_of(job), again=True)[0]  # with the data of today
    assert wait_until(again).status == JobStatus.SUCCEEDED, again.log
    rows = xlsx_rows(again.xlsx.read())
    assert row_starting(rows, "National")[1:4] == (80, 40, 0.5)
    cover = dict(row[:2] for row in next(iter(rows.values())) if len(row) >= 2)
    assert cover["Left out: submitted, not yet accepted"] == "None"
    assert left_out not in " ".join(pdf_text(again.pdf.read()).split())
