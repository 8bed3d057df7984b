"""End to end in headless Chromium on a phone (390 × 844): a member of the public, with no account,
reports a suspected crime in Kunming's 五华区 with a phone number, waits for the page's check
against robots (ALTCHA's proof of work, in the browser), writes down the code; a day later, after
the police looked into it, checks the status with the code (typed in lower case, with spaces)
and sees the status and its date, nothing else."""

import pytest

from cases.choices import PublicReportStatus
from cases.models.public_reports import PublicReport
from cases.services.public_reports import public_report_update
from tests.browser import SHOTS
from tests.public_reports import seated_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.portal_date("2010-01-10"),
]
PHONE = {"width": 390, "height": 844}
WIDTH = "() => document.documentElement.scrollWidth"


def test_report_without_an_account_and_check_it_a_day_later(browser, live_server, persona, settings):
    world = seated_world()
    settings.PUBLIC_REPORT_RATE = "100/h"
    settings.PUBLIC_REPORT_POW_COST, settings.PUBLIC_REPORT_POW_MAX_COUNTER = 10, 50
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto(f"{live_server.url}/report/")
    assert "举报疑似拐卖犯罪" in page.inner_text("h1")
    page.select_option("#id_province", "530000")
    page.wait_for_selector("#id_county option[value='530102']", state="attached")
    page.select_option("#id_county", "530102")
    page.fill("#id_description", "五华区一家小旅馆里有几个女孩被看管着，不让出门。")
    page.fill("#id_happened_on", "2010-01-09")
    assert page.locator("#contact-fields").is_hidden()  # anonymous unless the person says otherwise
    page.uncheck("#id_is_anonymous")
    page.fill("#id_contact_phone", "13800001111")
    page.locator("altcha-widget").get_by_text("我不是机器人").click()  # the widget in Chinese
    page.wait_for_function("() => (document.querySelector('input[name=altcha]') || {}).value")
    assert page.evaluate(WIDTH) <= PHONE["width"]
    page.screenshot(path=str(SHOTS / "phone-public-report.png"), full_page=True)
    page.click("#public-report button.primary")
    page.wait_for_url("**/report/sent/")
    code = page.inner_text("#follow-up-code").strip()
    assert len(code) == 24 and code not in page.url
    assert page.evaluate(WIDTH) <= PHONE["width"]
    page.screenshot(path=str(SHOTS / "phone-public-report-sent.png"), full_page=True)
    page.reload()
    assert code not in page.content()  # shown once
    report = PublicReport.objects.get()
    assert report.receiving_agency == world["kunming"] and report.contact_phone == "13800001111"

    settings.PORTAL_TODAY = "2010-01-11"  # a day later the police look into it
    public_report_update(
        actor=world["officer_km"], report_id=report.pk, version=1, status=PublicReportStatus.UNDER_REVIEW
    )
    page.goto(f"{live_server.url}/report/status/")
    page.fill("#id_code", code.lower().replace("-", " "))
    page.click("button.primary")
    answer = page.inner_text("#status-answer")
    assert "正在核查" in answer and "2010年1月11日" in answer
    assert "旅馆" not in page.content() and "13800001111" not in page.content()
    page.fill("#id_code", "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ")
    page.click("button.primary")
    assert "没有与此查询码相符的举报" in page.inner_text("#status-answer")
    assert errors == []
    context.close()
