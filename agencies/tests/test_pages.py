"""Pages of the agencies app in both languages."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "zh", "en"),
    [
        (
            "provinces",
            ["省级行政区", "广西壮族自治区", "自治区"],
            ["Provincial-level divisions", "Guangxi", "Autonomous region"],
        ),
        ("password_change", ["修改密码", "旧密码"], ["Change password", "Old password"]),
    ],
)
def test_pages_in_both_languages(client_as, url, zh, en):
    client = client_as("reporter_gx")
    body = client.get(reverse(url)).content.decode()
    assert all(text in body for text in zh), body
    client.post(reverse("set_language"), {"language": "en"})
    body = client.get(reverse(url)).content.decode()
    assert all(text in body for text in en)


def _menu(client) -> str:
    html = client.get(reverse("provinces")).content.decode()
    return html[html.index('<nav class="mainnav"') : html.index("</nav>")]


def test_the_menu_is_kept_per_user_rights_and_language(client_as, persona):
    """The menu is rendered once and kept (measures.context_processors.main_nav): what the user may
    reach, in the language chosen, changes it at once."""
    client = client_as("reporter_gx")
    first = _menu(client)
    assert "/admin/" not in first and first == _menu(client)
    user = persona("reporter_gx")
    user.is_staff = True
    user.save()
    assert "/admin/" in _menu(client)
    client.post(reverse("set_language"), {"language": "en"})
    assert "Provinces" in _menu(client) and "Provinces" not in first


def test_sign_in_page_in_both_languages(client):
    assert "登录" in client.get(reverse("login")).content.decode()
    client.post(reverse("set_language"), {"language": "en"})
    body = client.get(reverse("login")).content.decode()
    assert "Sign in" in body and "Username" in body


@pytest.mark.parametrize(("name", "sees"), [("office", True), ("auditor", True), ("liaison_mca", False)])
def test_the_top_bar_links_case_statistics_for_the_office(client_as, name, sees):
    body = client_as(name).get(reverse("provinces")).content.decode()
    assert (f'href="{reverse("cases:statistics")}"' in body) is sees
    assert 'rel="icon"' in body and "favicon." in body


@pytest.mark.parametrize(
    ("language", "when", "day"),
    [("en", "10 Jan 2010, 00:03", "10 Jan 2010"), ("zh-hans", "2010年1月10日 00:03", "2010年1月10日")],
)
def test_one_clear_date_format_per_language(language, when, day):
    """24-hour, never "01/10/2010 12:03 a.m.", the same in the long and the short formats."""
    moment = dt.datetime(2010, 1, 10, 0, 3, 7, tzinfo=ZoneInfo("Asia/Shanghai"))
    template = Template(
        '{{ m|date:"DATETIME_FORMAT" }}|{{ m|date:"SHORT_DATETIME_FORMAT" }}|{{ m|date }}|'
        '{{ m|date:"SHORT_DATE_FORMAT" }}|{{ m|date:"DATETIME_FORMAT" }}:{{ m|date:"s" }}'
    )
    with translation.override(language):
        assert template.render(Context({"m": moment})).split("|") == [when, when, day, day, f"{when}:07"]
