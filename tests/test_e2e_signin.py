"""End to end in headless Chromium: sign in wrongly until locked and read how long to wait; a token
used after its logout is refused."""

import pytest

from agencies.tests.test_tokens import fresh_token_throttle  # noqa: F401 (autouse)
from tests.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
