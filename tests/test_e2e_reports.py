"""End to end in headless Chromium with a real worker: the Office opens the dashboard, starts the
2009 Q4 quarterly report in Chinese, watches the progress bar, and downloads a PDF that says the
quarter's figures."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reports.models import Job
from tests.browser import SHOTS, sign_in
from tests.compiled import MCA_NOTE, known_data, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_compiles_and_downloads_the_quarterly_report(
    page, live_server, persona, celery_worker_process
):
    known_data(persona)
    sign_in(page, live_server.url, "office")
    page.click("nav.mainnav >> text=仪表板")
    page.click("nav.mainnav >> text=汇编报告")
    # The form's script is deferred: wait for it (a loaded machine runs it after the first select).
    page.wait_for_load_state("load")
    page.select_option("#id_kind", "province_report")
    expect(page.locator("#id_province")).to_be_visible()
    expect(page.locator("#id_unit")).to_be_hidden()
    page.select_option("#id_kind", "quarterly_report")
    expect(page.locator("#id_province")).to_be_hidden()  # a national report has no province
    page.fill("#id_period", "2009Q4")
    page.select_option("#id_language", "zh-hans")
    page.click("#start-report button[type=submit]")
    page.wait_for_url("**/reports/jobs/*/")
    assert "2009年第四季度" in page.title()  # the quarter as people write it, not 2009Q4
    assert page.locator("#job-progress").is_visible()  # the live progress bar
    download_button = page.locator("#download-pdf")
    download_button.wait_for(timeout=90_000)  # the page polls, and reloads itself when the job ends
    assert page.locator("#job-progress").get_attribute("value") == "100"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "compiled-report.png"), full_page=True)
    with page.expect_download() as download:
        download_button.click()
    content = Path(download.value.path()).read_bytes()
    assert download.value.suggested_filename == "quarterly_report_2008-2012_2009Q4_national_zh-hans.pdf"
    text = pdf_text(content)
    assert "季度进展报告" in text and "75.0%" in text and MCA_NOTE in text
    assert "未经审核" in text.replace("\n", "")  # MCA's entry, which the Office has not yet reviewed
    assert Job.objects.get().owner.username == "office"


@pytest.mark.portal_date("2010-01-10")
def test_compiling_before_the_deadline_is_confirmed_first(page, live_server, persona):
    """On 2010-01-10 the 2009 Q4 reports are due in five days: the Office is warned, and compiles
    only once it ticks the box."""
    known_data(persona)
    sign_in(page, live_server.url, "office")
    page.goto(live_server.url + reverse("reports:compiled"))
    page.select_option("#id_kind", "quarterly_report")
    page.fill("#id_period", "2009Q4")
    page.click("#start-report button[type=submit]")
    warning = page.locator("#early-warning")
    assert warning.is_visible() and "2009年第四季度" in warning.inner_text()
    assert not Job.objects.exists()
    page.check("#id_early")
    page.click("#start-report button[type=submit]")
    page.wait_for_url("**/reports/jobs/*/")
    assert Job.objects.get().period.code == "2009Q4"
