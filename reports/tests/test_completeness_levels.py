"""Completeness and timeliness at every level: the Office drills from the provinces into Yunnan (which
collects from its 16 prefectures) and into 西双版纳 (which collects from its 3 counties); Yunnan's
reporter sees its prefectures, a prefecture's its counties, a division reporting alone its own row;
nobody drills outside their own division. Cells say on time, late, missing, not yet due or nothing to
report, with the report's state; the late and missing are named; the export follows the level; the
queries do not grow with the divisions nor with the level."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from agencies import two_factor
from agencies.choices import Role
from agencies.models import Division, User
from core import clock
from reports import services
from reports.models import CollectingDivision
from reports.selectors.completeness import level_completeness
from reports.services.chain import nothing_to_report_mark
from tests.personas import make_agency, make_user
from tests.progress import at, period
from tests.quarterly import file_report
from tests.queries import page_queries

pytestmark = [pytest.mark.django_db, pytest.mark.portal_date("2009-10-25")]

YEAR = "?year=2009"
XSBN = "532800"  # 西双版纳傣族自治州: three counties


def reporter(code: str):
    return make_user(f"r{code}", Role.PROVINCE, agency=make_agency(f"ATO-{code}").code)


@pytest.fixture
def client_of(client_as, client):
    """``client_of("r530100")``: the test client signed in as a persona or a reporter made here."""

    def login(name: str):
        user = User.objects.filter(username=name).first()
        if user is None:
            return client_as(name)
        client.force_login(user)
        session = client.session
        session[two_factor.SESSION_KEY] = True
        session.save()
        return client

    return login


@pytest.fixture
def yunnan(persona):
    """2009 Q3 (deadline 15 October, locked after the 22nd) in Yunnan, which collects from its
    prefectures: Kunming on time and approved, Qujing late and submitted, Yuxi on time and returned,
    Baoshan a draft, Zhaotong nothing to report, the eleven others missing. 西双版纳 collects from its
    counties: 景洪 submitted on time. Guangxi reports alone, on time."""
    yn = persona("reporter_yn")
    for code in ("530000", XSBN):
        CollectingDivision.objects.create(division=Division.objects.get(code=code))
    kunming = file_report(reporter("530100"), "2009Q3", when="2009-10-10", submit=True)
    file_report(reporter("530300"), "2009Q3", when="2009-10-18", submit=True)
    yuxi = file_report(reporter("530400"), "2009Q3", when="2009-10-12", submit=True)
    file_report(reporter("530500"), "2009Q3", when="2009-10-12")
    file_report(reporter("532801"), "2009Q3", when="2009-10-08", submit=True)
    reporter(XSBN)
    with clock.travel(at("2009-10-20")):
        services.quarterly_report_accept(actor=yn, report_id=kunming.pk, version=kunming.version)
        services.quarterly_report_return(
            actor=yn, report_id=yuxi.pk, version=yuxi.version, comment="请核对解救妇女人数。"
        )
        nothing_to_report_mark(
            actor=yn,
            division_id=Division.objects.get(code="530600").pk,
            period=period("2009Q3"),
            reason="本季度未发生拐卖案件。",
        )
    file_report(persona("reporter_gx"), "2009Q3", when="2009-10-14", submit=True)
    return yn


def cells(response, quarter: int = 3) -> dict[str, tuple[str, str]]:
    """Each row's (verdict, state) in the quarter, by division code."""
    return {
        row.division.code: (row.cells[quarter - 1].verdict, row.cells[quarter - 1].state)
        for row in response.context["table"].rows
    }


def test_yunnan_sees_its_prefectures_with_verdicts_states_and_names(client_as, yunnan):
    response = client_as("reporter_yn").get(reverse("reports:completeness") + YEAR)
    assert response.status_code == 200
    table = response.context["table"]
    assert len(table.rows) == 16 and table.division.code == "530000"
    q3 = cells(response)
    assert q3["530100"] == ("on_time", "accepted")
    assert q3["530300"] == ("late", "submitted")
    assert q3["530400"] == ("on_time", "returned")
    assert q3["530500"] == ("missing", "")  # a draft is the prefecture's own until it is sent
    assert q3["530600"] == ("nothing", "")
    assert q3["530700"] == ("missing", "")
    assert {c[0] for c in cells(response, 4).values()} == {"pending"}  # Q4: due 15 January
    rate = table.period_rates[2]
    assert (rate.due, rate.submitted, rate.on_time) == (15, 3, 2)  # Zhaotong is not counted
    kunming = next(r for r in table.rows if r.division.code == "530100")
    assert (kunming.rate.due, kunming.rate.submitted, kunming.rate.on_time) == (3, 1, 1)
    named = {n.period.code: n for n in table.named}
    assert [d.code for d in named["2009Q3"].late] == ["530300"]
    assert [d.code for d in named["2009Q3"].missing] == [
        "530500", "530700", "530800", "530900", "532300", "532500", "532600", "532800", "532900",
        "533100", "533300", "533400",
    ]  # fmt: skip
    assert "2009Q4" not in named  # not due: nobody is late or missing yet
    body = response.content.decode()
    assert "已审批" in body and "已退回" in body and "无数据可报" in body  # approved below the province
    late_and_missing = body[body.index('data-period="2009Q3"><strong>') :]
    assert late_and_missing.startswith(
        'data-period="2009Q3"><strong>2009年第三季度</strong> — 逾期：曲靖市；缺报：保山市、丽江市'
    )
    # 西双版纳 collects: its row drills down, keeping the year; Kunming reports alone: no link.
    assert f'href="/reports/completeness/{XSBN}/?year=2009"' in body
    assert 'href="/reports/completeness/530100/' not in body
    assert 'href="/reports/quarterly/530100/2009Q3/"' in body  # the cell opens the report


def test_the_office_drills_from_the_provinces_to_the_counties(client_as, yunnan):
    client = client_as("office")
    national = client.get(reverse("reports:completeness") + YEAR)
    assert len(national.context["table"].rows) == 31
    q3 = cells(national)
    assert q3["450000"] == ("on_time", "submitted") and q3["530000"] == ("missing", "")
    body = national.content.decode()
    assert 'href="/reports/completeness/530000/?year=2009"' in body  # Yunnan collects
    assert 'href="/reports/completeness/450000/' not in body  # Guangxi reports alone
    province = client.get(reverse("reports:completeness_division", kwargs={"division": "530000"}) + YEAR)
    assert cells(province)["530500"] == ("missing", "draft")  # the Office sees drafts
    assert cells(province)["530100"] == ("on_time", "accepted")
    counties = client.get(reverse("reports:completeness_division", kwargs={"division": XSBN}) + YEAR)
    assert cells(counties) == {
        "532801": ("on_time", "submitted"),
        "532822": ("missing", ""),
        "532823": ("missing", ""),
    }
    crumbs = counties.content.decode().split('id="completeness-levels">')[1].split("</nav>")[0]
    assert '<a href="/reports/completeness/?year=2009">全部省份</a>' in crumbs
    assert '<a href="/reports/completeness/530000/?year=2009">云南省</a>' in crumbs
    assert '<span aria-current="page">西双版纳傣族自治州</span>' in crumbs
    assert "<h1>报送完整性和及时性：西双版纳傣族自治州</h1>" in counties.content.decode()
    # A division reporting alone shows its own row only.
    alone = client.get(reverse("reports:completeness_division", kwargs={"division": "450000"}) + YEAR)
    assert cells(alone) == {"450000": ("on_time", "submitted")}


def test_reporters_below_and_alone(client_as, client_of, yunnan):
    prefecture = client_of(f"r{XSBN}").get(reverse("reports:completeness") + YEAR)
    assert set(cells(prefecture)) == {"532801", "532822", "532823"}
    assert [d.code for d in prefecture.context["table"].breadcrumbs] == [XSBN]
    kunming = client_of("r530100").get(reverse("reports:completeness") + YEAR)
    assert cells(kunming) == {"530100": ("on_time", "accepted")}
    guangxi = client_as("reporter_gx").get(reverse("reports:completeness") + YEAR)
    assert cells(guangxi) == {"450000": ("on_time", "submitted")}
    assert "全部省份" not in guangxi.content.decode()
    # Yunnan's reporter drills into 西双版纳: the breadcrumbs start at its own division.
    down = client_as("reporter_yn").get(
        reverse("reports:completeness_division", kwargs={"division": XSBN}) + YEAR
    )
    assert set(cells(down)) == {"532801", "532822", "532823"}
    assert [d.code for d in down.context["table"].breadcrumbs] == ["530000", XSBN]
    assert '<a href="/reports/completeness/?year=2009">云南省</a>' in down.content.decode()


@pytest.mark.parametrize(
    ("name", "division", "status"),
    [
        ("reporter_yn", "530000", 200),
        ("reporter_yn", "532801", 200),  # a county of its own: its row
        ("reporter_yn", "450000", 404),  # another province
        ("reporter_gx", "530000", 404),
        (f"r{XSBN}", "530000", 404),  # the level above
        (f"r{XSBN}", "530100", 404),  # a neighbour
        ("r530100", XSBN, 404),
        ("liaison_mca", "530000", 404),
        ("case_mps", "530000", 404),
        ("auditor", XSBN, 200),
        ("office", "532801", 200),
        ("office", "999999", 404),
    ],
)
def test_who_may_drill_where(client_of, yunnan, name, division, status):
    client = client_of(name)
    for url in (
        reverse("reports:completeness_division", kwargs={"division": division}),
        reverse("reports:completeness_division_export", kwargs={"division": division, "fmt": "csv"}),
    ):
        assert client.get(url + YEAR).status_code == status


@pytest.mark.parametrize("name", ["liaison_mca", "case_mps"])
def test_no_completeness_for_other_roles(client_as, yunnan, name):
    assert client_as(name).get(reverse("reports:completeness") + YEAR).status_code == 404
    assert (
        client_as(name).get(reverse("reports:completeness_export", kwargs={"fmt": "csv"})).status_code == 404
    )


def test_the_export_follows_the_level(client_as, yunnan):
    response = client_as("reporter_yn").get(
        reverse("reports:completeness_division_export", kwargs={"division": "530000", "fmt": "csv"}) + YEAR
    )
    assert response.status_code == 200
    assert "quarterly-completeness-530000-2009" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = rows[0], {row[0]: row for row in rows[1:] if row[0]}
    assert header[:3] == ["代码", "行政区划", "2009年第一季度"] and len(body) == 16
    assert body["530300"][1:8] == ["曲靖市", "缺报", "缺报", "逾期", "未到期", "33%", "0%"]
    assert body["530300"][8:] == ["", "", "已提交", ""]
    assert body["530100"][4] == "按时" and body["530100"][10] == "已审批"
    assert body["530600"][4] == "无数据可报"
    # The page's own export at the same level is the same file.
    page = client_as("reporter_yn").get(reverse("reports:completeness_export", kwargs={"fmt": "csv"}) + YEAR)
    assert page.content == response.content


def test_the_same_queries_at_every_level_and_size(client_as, yunnan):
    office = client_as("office")
    sizes = {
        url: page_queries(office, url + YEAR)
        for url in (
            reverse("reports:completeness"),  # 31 provinces
            reverse("reports:completeness_division", kwargs={"division": "530000"}),  # 16 prefectures
            reverse("reports:completeness_division", kwargs={"division": XSBN}),  # 3 counties
            reverse("reports:completeness_division", kwargs={"division": "532801"}),  # its own row
        )
    }
    assert len(set(sizes.values())) == 1, sizes
    province = client_as("reporter_yn")
    sixteen = page_queries(province, reverse("reports:completeness") + YEAR)
    three = page_queries(province, reverse("reports:completeness_division", kwargs={"division": XSBN}) + YEAR)
    assert sixteen == three <= 14


def test_the_selector_reads_a_level_in_three_queries(persona, yunnan, django_assert_num_queries):
    office = persona("office")
    periods = [period(f"2009Q{q}") for q in range(1, 5)]
    for code, rows in ((None, 31), ("530000", 16), (XSBN, 3)):
        with django_assert_num_queries(3):
            table = level_completeness(office, periods, at("2009-10-25").date(), code)
        assert len(table.rows) == rows
    assert [row.division.code for row in table.rows if row.collects] == []
    yunnan = level_completeness(office, periods, at("2009-10-25").date(), "530000")
    assert [row.division.code for row in yunnan.rows if row.collects] == [XSBN]
    q3 = next(n for n in yunnan.named if n.period.code == "2009Q3")
    with translation.override("en"):
        assert q3.text.startswith("Late: Qujing Shi; Missing: Baoshan Shi, Lijiang Shi, ")
    with translation.override("zh-hans"):
        assert q3.text.startswith("逾期：曲靖市；缺报：保山市、丽江市、")
