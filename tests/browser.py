"""Headless Chromium for the end-to-end tests: the live server, the browser and a page (fixtures,
registered by the root conftest.py), and signing in and out through the sign-in page, with the
two-factor step where the role needs it.

``sign_in(page, live_server.url, "office")`` signs a persona in with the personas' password;
``code=`` is entered at the two-factor step; ``sign_in_with_code(page, live_server.url, user)`` first
enrols the user's second factor and passes the step with a backup code. Screenshots go to
``SHOTS``: $SCREENSHOTS_DIR, by default VAR_DIR/screenshots.
"""

import os
import tempfile
from pathlib import Path

import django.contrib.staticfiles.handlers as staticfiles_handlers
import pytest
from django.test.testcases import _StaticFilesHandler
from pytest_django import live_server_helper

from tests.personas import PASSWORD, enrol_second_factor

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BACKUP_CODE = "E2E00001"
SHOTS = Path(
    os.environ.get("SCREENSHOTS_DIR")
    or Path(os.environ.get("VAR_DIR", tempfile.gettempdir())) / "screenshots"
)


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, but serving the collected static files (``make test`` collects
    them with hashed names, as production does), so that pages get their styles and scripts.

    pytest-django would serve static files through the finders, which know no hashed names."""
    finders_handler = staticfiles_handlers.StaticFilesHandler
    staticfiles_handlers.StaticFilesHandler = _StaticFilesHandler  # serves STATIC_ROOT
    try:
        server = live_server_helper.LiveServer(os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost")
    finally:
        staticfiles_handlers.StaticFilesHandler = finders_handler
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    # Imported here: Playwright (and its driver) is loaded only when a browser test runs.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def submit_password(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    """Open the sign-in page and send the username and password."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button.primary")
    page.wait_for_load_state("load")


def enter_code(page, code: str) -> None:
    """At the two-factor step, send ``code`` (an authenticator's code or a backup code)."""
    page.wait_for_selector("#id_code")
    page.fill("#id_code", code)
    page.click("button.primary")


def wait_for_focus(page, element_id: str) -> None:
    """Until ``element_id`` has the focus: Chromium applies ``autofocus`` when it next renders, which
    on a loaded machine can come after the page's load event (keys typed before it go nowhere)."""
    page.wait_for_function("id => document.activeElement && document.activeElement.id === id", arg=element_id)


def wait_signed_in(page) -> None:
    """Until the browser has left the account pages (sign-in, two-factor step) for the portal."""
    page.wait_for_url(lambda url: "/accounts/" not in url)


def sign_in(page, base_url: str, username: str, password: str = PASSWORD, *, code: str | None = None) -> None:
    """Sign in through the sign-in page; with ``code``, pass the two-factor step with it."""
    submit_password(page, base_url, username, password)
    if code is not None:
        enter_code(page, code)
    wait_signed_in(page)


def sign_out(page) -> None:
    page.click("text=退出")
    page.wait_for_url("**/accounts/login/")


def sign_in_with_code(page, base_url: str, user) -> None:
    """Enrol ``user`` in two-factor sign-in and sign in, passing the step with a backup code."""
    enrol_second_factor(user, backup_codes=[BACKUP_CODE])
    sign_in(page, base_url, user.username, code=BACKUP_CODE)
