"""End to end in headless Chromium, the reporting chain (issue 13, point 7): Yunnan collects from its
prefectures; Kunming's reporter fills and submits 2009 Q4 in the browser, Qujing's is submitted
through the service; Yunnan's reporter opens the page of the divisions below, approves both in one
step, opens its own report and submits it; the Office accepts it and sees the national solved /
reported ratio change to include Yunnan (only accepted reports count).

Fresh test data, not the demo: the other 14 prefectures are marked as having nothing to report, and
Guangxi's accepted report makes the national figure before Yunnan's (30 / 40 = 75%); with Yunnan's
totals (Kunming 18 / 20 plus Qujing 30 / 40) it is 78 / 100 = 78%.
"""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from agencies import two_factor
from agencies.models import Division
from core import clock
from core.choices import Role
from reports import services
from reports.models import CollectingDivision, QuarterlyReport, QuarterlyTotal
from reports.services.chain import nothing_to_report_mark
from tests.browser import SHOTS, sign_in, sign_in_with_code, sign_out
from tests.personas import make_agency, make_user
from tests.progress import at, period
from tests.quarterly import file_report, good_values

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.portal_date("2010-01-10"),  # 2009 Q4 is due on 2010-01-15
]

KUNMING, QUJING = "530100", "530300"
KUNMING_VALUES = good_values(cases_reported=20, cases_solved=18)  # Qujing's: good_values(), 30 / 40


def sign_in_as(page, base_url: str, user) -> None:
    """Sign in through the sign-in page, passing the second factor where the user's role needs it."""
    if two_factor.required(user):
        sign_in_with_code(page, base_url, user)
    else:
        sign_in(page, base_url, user.username)


def text(msgid: str) -> str:
    """What the page says for ``msgid``, in the portal's language (the catalogue the server reads)."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(msgid)


def national_q4(page, base_url: str | None = None):
    """The cell of the national solved / reported ratio of 2009 Q4 on the indicators page (opened
    first with ``base_url``)."""
    if base_url:
        page.goto(f"{base_url}{reverse('reports:indicators')}?year=2009")
    return page.locator("#indicators tr.national td").nth(3)


def test_a_prefecture_submits_the_province_approves_both_and_submits_the_office_accepts(
    page, live_server, persona
):
    yunnan = Division.objects.get(code="530000")
    CollectingDivision.objects.create(division=yunnan)
    province, office, gx = persona("reporter_yn"), persona("office"), persona("reporter_gx")
    make_agency(f"ATO-{KUNMING}")
    make_agency(f"ATO-{QUJING}")
    kunming = make_user("prefecture_km", Role.PROVINCE, agency=f"ATO-{KUNMING}")
    qujing = make_user("prefecture_qj", Role.PROVINCE, agency=f"ATO-{QUJING}")
    q4 = period("2009Q4")
    # Guangxi's report, accepted: the national figure before Yunnan's.
    report = file_report(gx, "2009Q4", when="2010-01-05", submit=True)
    with clock.travel(at("2010-01-06")):
        services.quarterly_report_accept(actor=office, report_id=report.pk, version=report.version)
        for division in Division.objects.current().filter(parent=yunnan).exclude(code__in=[KUNMING, QUJING]):
            nothing_to_report_mark(
                actor=province, division_id=division.pk, period=q4, reason="本季度未发生拐卖案件。"
            )
    file_report(qujing, "2009Q4", when="2010-01-08", submit=True)

    # Kunming's reporter fills the quarter in the browser and submits it.
    sign_in_as(page, live_server.url, kunming)
    page.goto(f"{live_server.url}{reverse('reports:report_edit', kwargs={'period': '2009Q4'})}")
    for code, value in KUNMING_VALUES.items():
        page.fill(f"#id_figure_{code}", str(value))
    page.fill("#id_narrative_3", "昆明市开展打击拐卖犯罪专项行动，破获案件18起。")
    page.click("button[name=submit]")
    page.wait_for_url(f"**/reports/quarterly/{KUNMING}/2009Q4/")
    mine = QuarterlyReport.objects.get(division__code=KUNMING, period=q4)
    assert mine.state == "submitted" and mine.submitted_by == kunming
    sign_out(page)

    # Yunnan's reporter sees both waiting, selects them and approves them in one step.
    sign_in_as(page, live_server.url, province)
    page.goto(f"{live_server.url}{reverse('reports:below', kwargs={'period': '2009Q4'})}")
    for code in (KUNMING, QUJING):
        assert page.locator(f"#row-{code}").get_attribute("data-state") == "submitted"
        page.get_by_label(str(Division.objects.get(code=code)), exact=True).check()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "reporting-chain-below.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name=text("Approve the selected reports")).click()
    page.wait_for_selector(f"#row-{QUJING}[data-state=accepted]")
    assert page.locator(f"#row-{KUNMING}").get_attribute("data-state") == "accepted"
    below = QuarterlyReport.objects.filter(period=q4, division__parent=yunnan)
    assert sorted(below.values_list("state", flat=True)) == ["accepted", "accepted"]
    assert {r.reviewed_by for r in below} == {province}

    # It opens its own report, which adds the approved prefectures' figures to its own, and submits.
    page.goto(f"{live_server.url}{reverse('reports:report_edit', kwargs={'period': '2009Q4'})}")
    page.click("button[name=submit]")
    page.wait_for_url("**/reports/quarterly/530000/2009Q4/")
    own = QuarterlyReport.objects.get(division=yunnan, period=q4)
    assert own.state == "submitted"
    totals = dict(QuarterlyTotal.objects.filter(report=own).values_list("figure__code", "value"))
    assert (totals["cases_solved"], totals["cases_reported"]) == (18 + 30, 20 + 40)
    sign_out(page)

    # The Office: the national figure leaves Yunnan out until it is accepted, then counts it.
    sign_in_as(page, live_server.url, office)
    assert national_q4(page, live_server.url).inner_text().strip() == "75%"
    notice = page.locator("#unconfirmed").inner_text()  # what is left out, and how much
    assert "云南省" in notice and "60" in notice
    with page.expect_navigation():
        page.click("#unconfirmed-toggle")  # the switch: count it too, marked
    assert national_q4(page).inner_text().startswith("78%")
    assert national_q4(page).locator(".unconfirmed").count() == 1
    page.goto(
        f"{live_server.url}{reverse('reports:report', kwargs={'division': '530000', 'period': '2009Q4'})}"
    )
    with page.expect_navigation():
        page.click("button[name=accept]")
    own.refresh_from_db()
    assert own.state == "accepted" and own.reviewed_by == office
    cell = national_q4(page, live_server.url)
    assert cell.inner_text().strip() == "78%"  # (30 + 48) / (40 + 60), confirmed
    assert cell.locator(".unconfirmed").count() == 0
    page.screenshot(path=str(SHOTS / "reporting-chain-indicators.png"), full_page=True)
