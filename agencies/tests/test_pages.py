"""Pages of the agencies app in both languages."""

import pytest
from django.urls import reverse

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
