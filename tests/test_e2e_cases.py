"""End to end in headless Chromium: a public-security officer opens a case and refers it to civil
affairs; the civil-affairs officer accepts, adds a shelter service and a follow-up; an Office user
gets 404 on the case and sees it only in suppressed statistics."""

import pytest

from cases.models import CaseFile
from tests.browser import sign_in, sign_in_with_code, sign_out

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.portal_date("2010-01-10"),
]


def choose(page, picker: str, name: str) -> None:
    """Type an agency's name in its picker and choose it from the list (agencies.forms.AgencyField)."""
    page.fill(picker, name)
    page.locator(f"{picker}_listbox [role=option]", has_text=name).first.click()


def test_open_refer_accept_serve_and_statistics(page, live_server, persona):
    mps, mca = persona("case_mps"), persona("case_mca")
    persona("office")

    sign_in_with_code(page, live_server.url, mps)
    page.click("nav.mainnav >> text=个案档案")
    page.click("text=新建个案档案")
    page.select_option("#id_category", "child")
    page.fill("#id_name", "测试小明")
    page.fill("#id_id_number", "450102200601019873")  # a right GB 11643 check digit
    page.fill("#id_date_of_birth", "2006-01-01")
    page.fill("#id_rescued_on", "2009-12-20")
    page.select_option("#id_rescue_province", label="广西壮族自治区")
    choose(page, "#id_rescuing_agency", "公安部")
    page.check("#id_consent_services")
    page.check("#id_consent_sharing")
    page.check("#id_consent_statistics")
    page.click("#case-form button.primary")
    page.wait_for_url("**/cases/MPS-2009-00001/")
    assert page.locator("#identity").inner_text().count("测**") == 1  # masked
    page.click("#referrals summary")
    choose(page, "#id_to_agency", "民政部")
    page.fill("#id_purpose", "请安排临时安置。")
    page.click("#referrals button.primary")
    assert "等待接收机构处理" in page.locator("#referrals").inner_text()
    sign_out(page)

    sign_in_with_code(page, live_server.url, mca)
    page.click("nav.mainnav >> text=个案档案")
    page.locator("#incoming").locator("text=接受转介").click()
    page.wait_for_url("**/cases/MPS-2009-00001/")
    page.click("#services summary")
    page.select_option("#id_kind", "shelter")
    page.fill("#id_provided_on", "2009-12-21")
    page.click("#services button.primary")
    page.click("#follow-ups summary")
    page.fill("#id_visited_on", "2010-01-05")
    page.fill("#id_living_conditions", "在救助站生活稳定。")
    page.fill("#id_next_visit_due", "2010-02-05")
    page.click("#follow-ups button.primary")
    assert "临时安置" in page.locator("#services").inner_text()
    assert "在救助站生活稳定。" in page.locator("#follow-ups").inner_text()
    sign_out(page)

    sign_in(page, live_server.url, "office")
    response = page.goto(f"{live_server.url}/cases/MPS-2009-00001/")
    assert response.status == 404
    page.goto(f"{live_server.url}/cases/statistics/")
    assert "测试小明" not in page.content()
    guangxi = page.locator("table.stats tr", has=page.locator("td", has_text="广西壮族自治区"))
    cells = guangxi.locator("td")
    assert cells.nth(1).inner_text() == "0" and cells.nth(2).inner_text() == "·"  # women 0; one child: hidden
    case = CaseFile.objects.get()
    assert case.services.get().agency.code == "MCA" and case.follow_ups.count() == 1
