"""Completeness and timeliness arithmetic, indicators against the 2007 baseline, query counts."""

import io

import pytest
from django.urls import reverse

from agencies.models import Province
from core import clock
from reports.selectors.indicators import indicators
from reports.selectors.quarterly import province_completeness
from reports.services.baselines import baseline_set
from tests.compiled import accept
from tests.personas import reporters_elsewhere
from tests.progress import at, period
from tests.quarterly import file_report, good_values
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


def test_completeness_arithmetic(persona, plan):
    gx, yn = persona("reporter_gx"), persona("reporter_yn")
    file_report(gx, "2009Q2", when="2009-07-15", submit=True)  # deadline day: on time
    file_report(yn, "2009Q2", when="2009-07-16", submit=True)  # late
    file_report(gx, "2009Q3", when="2009-10-05")  # a draft: not submitted
    periods = [period("2009Q1"), period("2009Q2"), period("2009Q3"), period("2009Q4")]
    table = province_completeness(persona("office"), periods, today=at("2009-10-20").date())
    rows = {province.code: (cells, rate) for province, cells, rate in table.rows}
    assert len(rows) == 31
    gx_cells, gx_rate = rows["450000"]
    assert [c.verdict for c in gx_cells] == ["missing", "on_time", "missing", "pending"]
    assert (gx_rate.due, gx_rate.submitted, gx_rate.on_time) == (3, 1, 1)
    assert [c.verdict for c in rows["530000"][0]][1] == "late"
    q1, q2, q3, q4 = table.period_rates
    assert (q1.due, q1.submitted, q1.submitted_rate) == (31, 0, 0)  # a quarter with no submission
    assert (q2.submitted, q2.on_time) == (2, 1) and q2.submitted_rate == pytest.approx(2 / 31)
    assert q4.due == 0 and q4.submitted_rate is None  # not due yet: no rate
    assert (table.total.due, table.total.submitted, table.total.on_time) == (93, 2, 1)


def test_indicators_against_the_baseline(persona, plan):
    gx, office = persona("reporter_gx"), persona("office")
    guangxi = Province.objects.get(code="450000")
    with clock.travel(at("2009-01-10")):
        baseline_set(actor=office, plan=plan, province=guangxi, cases_reported=100, cases_solved=50)
    q1 = file_report(
        gx, "2009Q1", when="2009-04-10", values=good_values(cases_reported=40, cases_solved=30), submit=True
    )
    q2 = file_report(
        gx, "2009Q2", when="2009-07-10", values=good_values(cases_reported=60, cases_solved=30), submit=True
    )
    accept(office, q1, "2009-04-12")  # only what the Office accepted counts
    accept(office, q2, "2009-07-12")
    draft = file_report(
        gx, "2009Q3", when="2009-10-10", values=good_values(cases_reported=10, cases_solved=10)
    )
    assert draft.state == "draft"  # not counted
    data = indicators(office, plan, 2009)
    q1, q2, q3, q4 = data.national_cells()
    assert q1.ratio == 0.75 and q2.ratio == 0.5 and q3.ratio is None
    assert data.year_national.ratio == 0.6 and data.baseline_national.ratio == 0.5
    assert data.year_national.assisted_share == pytest.approx(60 / 70)
    assert data.baselines[guangxi.pk].ratio == 0.5


def test_baseline_changes_are_kept(persona, plan):
    office = persona("office")
    guangxi = Province.objects.get(code="450000")
    baseline_set(actor=office, plan=plan, province=guangxi, cases_reported=100, cases_solved=50)
    baseline_set(actor=office, plan=plan, province=guangxi, cases_reported=120, cases_solved=50)
    with pytest.raises(Exception):  # noqa: B017 - only the Office enters baselines
        baseline_set(
            actor=persona("reporter_gx"), plan=plan, province=guangxi, cases_reported=1, cases_solved=1
        )
    from core.models import ChangeRecord
    from reports.models import ProvinceBaseline

    baseline = ProvinceBaseline.objects.get()
    assert baseline.year == 2007
    assert ChangeRecord.objects.for_object(baseline).last().changes == {"cases_reported": [100, 120]}


def test_baseline_form_refuses_solved_above_reported(client_as, plan):
    client = client_as("office")
    data = {f"{p.code}-cases_reported": "" for p in Province.objects.all()}
    data.update({"450000-cases_reported": "10", "450000-cases_solved": "12"})
    response = client.post(reverse("reports:baselines"), data)
    assert "破案数不能大于立案数" in response.content.decode()
    from reports.models import ProvinceBaseline

    assert not ProvinceBaseline.objects.exists()


@pytest.mark.parametrize(
    "url",
    ["reports:quarterly_inbox", "reports:completeness", "reports:indicators", "reports:baselines"],
)
@pytest.mark.portal_date("2009-10-20")
def test_office_pages_cost_the_same_queries_at_two_sizes(client_as, persona, url):
    client = client_as("office")
    file_report(persona("reporter_gx"), "2009Q3", submit=True)
    small = page_queries(client, reverse(url) + "?state=all")
    for user in reporters_elsewhere(12):
        for quarter in ("2009Q1", "2009Q2", "2009Q3"):
            file_report(user, quarter, when=f"2009-{3 * int(quarter[-1]) + 1:02d}-05", submit=True)
    assert page_queries(client, reverse(url) + "?state=all") == small <= 14


@pytest.mark.portal_date("2009-10-20")
def test_province_pages_cost_the_same_queries_at_two_sizes(client_as, persona):
    gx = persona("reporter_gx")
    client = client_as("reporter_gx")
    file_report(gx, "2009Q1", when="2009-04-05", submit=True)
    small = page_queries(client, reverse("reports:my_reports"))
    for quarter in ("2009Q2", "2009Q3"):
        file_report(gx, quarter, when=f"2009-{3 * int(quarter[-1]) + 1:02d}-05", submit=True)
    assert page_queries(client, reverse("reports:my_reports")) == small <= 14


@pytest.mark.portal_date("2009-10-20")
def test_completeness_xlsx_export(client_as, persona):
    file_report(persona("reporter_gx"), "2009Q3", submit=True)
    response = client_as("office").get(
        reverse("reports:completeness_export", kwargs={"fmt": "xlsx"}) + "?year=2009"
    )
    assert response.status_code == 200
    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    guangxi = next(row for row in rows if row[0] == "450000")
    assert guangxi[1] == "广西壮族自治区" and guangxi[4] == "按时"
