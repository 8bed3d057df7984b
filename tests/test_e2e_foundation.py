"""End to end in headless Chromium: sign in, switch language, open the responsibility matrix."""

import pytest

from tests.browser import SHOTS
from tests.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_switch_language_and_open_the_matrix(page, live_server, persona):
    persona("liaison_mca")
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    assert page.locator("h1").inner_text() == "登录"  # Chinese by default, even for an English browser
    page.fill("#id_username", "liaison_mca")
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url("**/plans/2008-2012/")
    assert "中国反对拐卖妇女儿童行动计划" in page.locator("h1").inner_text()
    assert page.locator("table.table tbody tr").count() == 5

    page.click("button[value=en]")
    page.wait_for_load_state()
    assert "China National Plan of Action" in page.locator("h1").inner_text()
    assert page.locator(".langswitch button.active").inner_text() == "English"

    page.click("nav.mainnav >> text=Responsibility matrix")
    page.wait_for_url("**/matrix/")
    matrix = page.locator("#matrix")
    assert matrix.locator("thead th.col").count() == 50
    assert matrix.locator("tbody tr").count() == 29
    row = matrix.locator("tbody tr", has=page.locator("th", has_text="Ministry of Civil Affairs"))
    assert row.locator("td.mark-R").count() == 10  # 2.1.b, 2.1.e, 4.1.a-c, 4.1.g, 4.2.a, 4.2.c-d, 4.3
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "matrix.png"))

    with page.expect_download() as download:
        page.click("text=Download XLSX")
    assert download.value.suggested_filename == "responsibility-matrix-2008-2012.xlsx"

    page.click("button[value=zh-hans]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "责任分工矩阵"
