"""The portal's own 404, 403 and 500 pages, in the user's language, also under `make run`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import include, path
from django.utils import translation
from django.views.defaults import server_error

ROOT = Path(__file__).resolve().parent.parent


def refused(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("a bug")


# This module is also a URLconf: the portal's URLs and two views that fail on purpose.
urlpatterns = [
    path("refused/", refused),
    path("broken/", broken),
    path("", include("imcs_portal.urls")),
]

PAGES = {
    "zh-hans": {404: "未找到", 403: "无权操作", 500: "服务器错误"},
    "en": {404: "Not found", 403: "Not allowed", 500: "Server error"},
}
DEBUG_PAGE = ("URLconf", "Using the URLconf", "Traceback", "DEBUG = True", "api/schema/")


def in_language(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_unknown_address_answers_the_portals_own_page(client, language):
    response = in_language(client, language).get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert f'<html lang="{language}">' in body and PAGES[language][404] in body
    assert 'class="brand-mark"' in body and 'class="topbar"' in body
    assert not any(text in body for text in DEBUG_PAGE)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_refusal_and_failure_pages_are_the_portals_own(client, settings, language):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    for url, status in [("/refused/", 403), ("/broken/", 500)]:
        response = in_language(client, language).get(url)
        body = response.content.decode()
        assert response.status_code == status
        assert f'<html lang="{language}">' in body and PAGES[language][status] in body
        assert not any(text in body for text in DEBUG_PAGE)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_server_error_page_needs_no_database(language):
    """No `db` mark: any query here fails the test (the database may be what is down)."""
    with translation.override(language):
        response = server_error(RequestFactory().get("/"))
    body = response.content.decode()
    assert response.status_code == 500 and PAGES[language][500] in body and "css/portal." in body


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_expired_form_says_so_in_the_users_language(language):
    client = in_language(Client(enforce_csrf_checks=True), language)
    response = client.post("/i18n/setlang/", {"language": "en"})
    body = response.content.decode()
    assert response.status_code == 403 and f'<html lang="{language}">' in body
    assert {"zh-hans": "表单已过期", "en": "The form has expired"}[language] in body
    assert "CSRF verification failed" not in body


@pytest.mark.django_db
def test_a_bad_request_is_the_portals_own_page(client):
    response = client.get("/", HTTP_HOST="portal.invalid")  # not in ALLOWED_HOSTS
    body = response.content.decode()
    assert response.status_code == 400 and ("请求无效" in body or "Bad request" in body)
    assert 'class="brand-mark"' in body and "Bad Request (400)" not in body


def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith(".svg")
    icon = client.get(response["Location"])
    assert icon.status_code == 200 and b"<svg" in b"".join(icon.streaming_content)


@pytest.mark.django_db
def test_make_run_serves_the_portals_404_in_both_languages():
    """Under the environment `make run` uses (scripts/run-env.sh): DEBUG off, plain HTTP on
    localhost, and the portal's own 404 in the chosen language, not Django's list of URL patterns."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("run the suite with `make test`")
    env = {
        k: v for k, v in os.environ.items() if k not in ("DEBUG", "HTTPS", "ALLOWED_HOSTS", "PORTAL_TODAY")
    }
    env["DATABASE_URL"] = (
        f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    )
    code = """
import django; django.setup()
from django.conf import settings
from django.test import Client
print(settings.DEBUG, settings.SECURE_SSL_REDIRECT)
for language in ("zh-hans", "en"):
    client = Client(HTTP_HOST="127.0.0.1:8000")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/no-such-page/")
    print("#####", response.status_code, response.content.decode())
"""
    result = subprocess.run(
        ["bash", "-c", f'source scripts/run-env.sh && exec {sys.executable} -c "$0"', code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "imcs_portal.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    head, chinese, english = result.stdout.split("#####")
    assert head.split()[-2:] == ["False", "False"]
    for language, page in [("zh-hans", chinese), ("en", english)]:
        assert page.startswith(" 404 "), page[:300]
        assert f'<html lang="{language}">' in page and PAGES[language][404] in page
        assert not any(text in page for text in DEBUG_PAGE)
