"""End to end in headless Chromium: sign in wrongly until locked and read how long to wait; a token
used after its logout is refused."""

import pytest

from tests.browser import sign_in
from tests.personas import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_token_throttle"),
]


def test_wrong_passwords_lock_the_account_and_say_how_long(page, live_server, persona, settings):
    persona("reporter_yn")
    page.goto(f"{live_server.url}/accounts/login/")
    page.click("button[value=en]")
    page.wait_for_load_state()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        page.fill("#id_username", "reporter_yn")
        page.fill("#id_password", "not-my-password")
        page.click("button.primary")
        page.wait_for_load_state()
        assert page.locator("#lockout").count() == 0
    page.fill("#id_username", "reporter_yn")
    page.fill("#id_password", "not-my-password")
    with page.expect_response("**/accounts/login/") as answer:
        page.click("button.primary")
    assert answer.value.status == 429
    message = page.locator("#lockout").inner_text()
    assert "Too many failed sign-in attempts" in message and "Try again in 15 minutes" in message
    # The right password now is refused too, with the same wait.
    page.fill("#id_username", "reporter_yn")
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_load_state()
    assert (
        "/accounts/login/" in page.url and "Try again in 15 minutes" in page.locator("#lockout").inner_text()
    )


def test_a_token_after_its_logout_is_refused(page, live_server, persona):
    persona("liaison_mca")
    api = page.request
    issued = api.post(
        f"{live_server.url}/api/auth/token/", data={"username": "liaison_mca", "password": PASSWORD}
    )
    assert issued.status == 200 and issued.json()["expiry"]
    headers = {"Authorization": f"Token {issued.json()['token']}"}
    assert api.get(f"{live_server.url}/api/units/", headers=headers).status == 200
    assert api.post(f"{live_server.url}/api/auth/logout/", headers=headers).status == 204
    refused = api.get(f"{live_server.url}/api/units/", headers=headers)
    assert refused.status == 401 and refused.headers["www-authenticate"] == "Token"


def test_the_idle_timeout_is_said_in_a_real_browser_and_a_sign_out_is_not(
    page, live_server, persona, settings
):
    # The session cookie goes at the idle deadline (the browser drops it); the small signed cookie
    # with the deadline stays, so the sign-in page can still say why the session ended.
    settings.SESSION_COOKIE_AGE = 2
    persona("reporter_yn")
    page.goto(f"{live_server.url}/accounts/login/")
    page.click("button[value=en]")
    page.wait_for_load_state()
    sign_in(page, live_server.url, "reporter_yn")
    assert "/accounts/login/" not in page.url
    page.wait_for_timeout(2500)
    names = {cookie["name"] for cookie in page.context.cookies()}
    assert settings.SESSION_COOKIE_NAME not in names and "idle_deadline" in names
    page.goto(f"{live_server.url}/provinces/")
    assert "/accounts/login/" in page.url
    message = "Your session ended after a time without activity: please sign in again."
    assert message in page.locator("ul.messages").inner_text()
    page.reload()
    assert page.locator("ul.messages").count() == 0  # said once
    # Signed out by hand, then idle past the deadline: nothing about inactivity.
    sign_in(page, live_server.url, "reporter_yn")
    page.goto(f"{live_server.url}/provinces/")
    page.locator("form[action$='/accounts/logout/'] button").first.click()
    page.wait_for_load_state()
    assert "idle_deadline" not in {cookie["name"] for cookie in page.context.cookies()}
    page.wait_for_timeout(2500)
    page.goto(f"{live_server.url}/provinces/")
    assert "/accounts/login/" in page.url and message not in page.content()
