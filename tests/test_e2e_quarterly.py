"""End to end in headless Chromium: the Guangxi reporter fills the quarter, hits the solved >
reported error, fixes it and submits; the Office returns it; resubmitted; accepted; and the Office
sees Guangxi on time in the completeness table."""

import pytest

from reports.models import QuarterlyReport
from tests.browser import SHOTS, sign_in, sign_out
from tests.quarterly import good_values

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.portal_date("2010-01-10"),  # 2009 Q4 is due on 2010-01-15
]


def test_fill_fix_submit_return_resubmit_accept(page, live_server, persona):
    persona("reporter_gx")
    persona("office")

    sign_in(page, live_server.url, "reporter_gx")
    page.click("nav.mainnav >> text=季度报告")
    page.click("text=在线填报")
    for code, value in good_values(cases_solved=55).items():  # solved (55) > reported (40)
        page.fill(f"#id_figure_{code}", str(value))
    page.fill("#id_narrative_3", "开展打击拐卖犯罪专项行动，破获案件30起。")
    page.click("button[name=submit]")
    error = page.locator(".field.has-error .error")
    assert error.inner_text() == "拐卖妇女儿童案件破案数（起）：破案数不能大于立案数。"
    assert page.input_value("#id_figure_cases_reported") == "40"  # nothing typed is lost
    assert not QuarterlyReport.objects.exists()
    page.fill("#id_figure_cases_solved", "30")
    page.click("button[name=submit]")
    page.wait_for_url("**/reports/quarterly/450000/2009Q4/")
    assert "报告已提交联席会议办公室" in page.content()
    sign_out(page)

    sign_in(page, live_server.url, "office")
    page.click("nav.mainnav >> text=季度报告")
    page.locator("#quarterly-inbox tr", has=page.locator("td", has_text="广西")).locator("text=审核").click()
    page.fill("#id_comment", "请补充第四领域救助情况说明。")
    page.click("button[name=return]")
    page.wait_for_url("**/reports/quarterly/inbox/")
    sign_out(page)

    sign_in(page, live_server.url, "reporter_gx")
    page.click("nav.mainnav >> text=季度报告")
    assert "请补充第四领域救助情况说明。" in page.locator("#returned").inner_text()
    page.click("#returned a")
    page.fill("#id_narrative_4", "为被解救妇女儿童提供临时安置和心理辅导。")
    page.click("button[name=submit]")
    page.wait_for_url("**/reports/quarterly/450000/2009Q4/")
    sign_out(page)

    sign_in(page, live_server.url, "office")
    page.goto(f"{live_server.url}/reports/quarterly/450000/2009Q4/")
    page.click("button[name=accept]")
    page.wait_for_url("**/reports/quarterly/inbox/")
    page.goto(f"{live_server.url}/reports/completeness/?year=2009")
    cell = page.locator('#completeness td[data-province="450000"]').nth(3)
    assert cell.inner_text().split() == ["按时", "已采纳"]  # the verdict and the report's state
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "completeness.png"), full_page=True)
    report = QuarterlyReport.objects.get()
    assert report.state == "accepted" and not report.is_late


def test_a_quarter_not_yet_ended_says_from_when_it_can_be_submitted(page, live_server, persona):
    # The trial: as Yunnan on 2010-01-10, try to submit 2010 Q1 and be told when one may.
    persona("reporter_yn")
    sign_in(page, live_server.url, "reporter_yn")
    page.goto(f"{live_server.url}/reports/quarterly/2010Q1/edit/")
    notice = page.locator("#not-ended")
    assert "2010年4月1日" in notice.inner_text() and "草稿" in notice.inner_text()
    assert page.locator("button[name=submit]").count() == 0  # only a draft is offered
    page.fill("#id_figure_cases_reported", "12")
    page.click("button[name=save]")
    page.wait_for_url("**/reports/quarterly/530000/2010Q1/")
    report = QuarterlyReport.objects.get()
    assert report.state == "draft" and report.values.get(figure__code="cases_reported").value == 12
