"""Signing in and out, changing one's password, and the roles' constraints."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone, translation

from agencies.models import Agency, Division, MemberUnit, User
from core.choices import Role
from tests.personas import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_token_throttle")]


def test_sign_in_and_out(client, persona):
    persona("reporter_gx")
    response = client.post(reverse("login"), {"username": "reporter_gx", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")
    body = client.get(reverse("provinces")).content.decode()
    assert "广西壮族自治区" in body and "报告填报员" in body  # role and province in the header
    response = client.post(reverse("logout"), follow=True)
    assert "您已退出登录。" in response.content.decode()
    assert client.get(reverse("provinces")).status_code == 302


def test_wrong_password_says_so_and_signs_nobody_in(client, persona):
    persona("office")
    response = client.post(reverse("login"), {"username": "office", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_change(client_as):
    client = client_as("liaison_mca")
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Another-pass-2026",
            "new_password2": "Another-pass-2026",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="liaison_mca").check_password("Another-pass-2026")


def test_password_change_errors_name_the_field(client_as):
    client = client_as("liaison_mca")
    client.post(reverse("set_language"), {"language": "en"})
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "short", "new_password2": "other"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Old password: Your old password was entered incorrectly" in body
    assert "New password confirmation: The two password fields" in body
    assert User.objects.get(username="liaison_mca").check_password(PASSWORD)


@pytest.mark.parametrize(
    ("role", "agency", "problem"),
    [
        (Role.LIAISON, "ATO-530000", "belongs to the office of a member unit"),
        (Role.LIAISON, "MCA-530100", "national office"),
        (Role.CASE_OFFICER, "ATO-530000", "belongs to the office of a member unit"),
        (Role.PROVINCE, "MCA", "agency of a province"),
        (Role.OFFICE, "MCA", "belong to the IMCS Office"),
        (Role.LIAISON, None, "Every user belongs to an agency"),
    ],
)
def test_each_role_needs_its_kind_of_agency(plan, role, agency, problem):
    if agency == "MCA-530100":
        Agency.objects.create(
            code=agency, kind="unit_office", unit=MemberUnit.objects.get(code="MCA"),
            division=Division.objects.get(code="530100"), name_zh="昆明市民政局", name_en="Kunming",
        )  # fmt: skip
    user = User(username="x", role=role, agency=Agency.objects.get(code=agency) if agency else None)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        user.full_clean()
    assert any(problem in message for message in error.value.message_dict["agency"])


def test_a_user_without_an_agency_is_refused_by_the_database(plan):
    with pytest.raises(IntegrityError):
        User.objects.create(username="y", role=Role.PROVINCE)


def test_createsuperuser_makes_an_administrator(plan):
    user = User.objects.create_superuser("root", "root@example.org", "Pass-word-2026")
    assert user.role == Role.ADMIN


def _stored_expiry(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_session_ends_after_its_idle_timeout_shorter_for_a_two_factor_role(client, persona, settings):
    persona("office")
    persona("auditor")
    client.post(reverse("login"), {"username": "office", "password": PASSWORD})
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 60 * 60
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": "auditor", "password": PASSWORD})
    assert client.session.get_expiry_age() == settings.SESSION_TWO_FACTOR_AGE == 30 * 60


def test_the_idle_timeout_slides_with_use_and_signs_out_when_idle(client, persona):
    import time

    from django.contrib.sessions.models import Session

    from agencies import sessions

    persona("reporter_yn")
    client.post(reverse("login"), {"username": "reporter_yn", "password": PASSWORD})
    started = _stored_expiry(client)
    assert client.get(reverse("provinces")).status_code == 200
    assert _stored_expiry(client) == started  # a request soon after writes nothing
    session = client.session
    session[sessions.RENEWED_KEY] = int(time.time()) - 7 * 60  # last renewed 7 minutes ago
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=started - dt.timedelta(minutes=7)
    )
    assert client.get(reverse("provinces")).status_code == 200
    assert _stored_expiry(client) > started - dt.timedelta(minutes=1)  # moved on by the request
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get(reverse("provinces"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_printed_demo_logins_say_who_needs_the_second_factor_and_how(client, plan, settings):
    import io

    from django.core.management import call_command

    from agencies.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET

    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "office", "password": "wrong"}, REMOTE_ADDR="192.0.2.1")
    out = io.StringIO()
    call_command("create_demo_users", force=True, stdout=out)
    lines = {line.split()[0]: line for line in out.getvalue().splitlines() if line.startswith("  ")}
    for name in ("admin", "auditor", "case.mps", "case.mca", "supervisor.mca.yn"):
        assert lines[name].endswith("[+ second factor]"), lines[name]
    for name in ("office", "liaison.mca", "province.yn"):
        assert "second factor" not in lines[name]
    text = out.getvalue()
    assert (
        "(case.mps, case.mps.yn, case.mps.km, case.mca, case.mca.honghe, case.mca.nanning, "
        "supervisor.mca.yn, auditor, admin)" in text
    )
    # Each demo user is printed with their agency: the local ones by name.
    assert "昆明市民政局" in lines["case.mca"] and "云南省民政厅" in lines["supervisor.mca.yn"]
    assert DEMO_TOTP_SECRET in text and "'otp'" in text and "DEMO0001" in text
    # A demo account locked by failed sign-ins is usable again after re-running the command.
    response = client.post(
        reverse("login"), {"username": "office", "password": DEMO_PASSWORD}, REMOTE_ADDR="192.0.2.1"
    )
    assert response.status_code == 302


def _elapse(client, seconds: float) -> None:
    """Let ``seconds`` pass as a browser would: cookies whose max-age has run out are dropped."""
    import time

    time.sleep(seconds)
    for name, morsel in list(client.cookies.items()):
        if morsel["max-age"] != "" and int(morsel["max-age"]) <= seconds:
            del client.cookies[name]


def test_a_session_ended_by_the_idle_timeout_says_so_on_the_sign_in_page(client, persona, settings):
    from agencies import sessions

    settings.SESSION_COOKIE_AGE = 2
    persona("reporter_gx")
    client.post(reverse("login"), {"username": "reporter_gx", "password": PASSWORD})
    assert client.get(reverse("provinces")).status_code == 200
    assert int(client.cookies[sessions.IDLE_COOKIE]["max-age"]) > 2  # outlives the session cookie
    _elapse(client, 2.2)
    assert settings.SESSION_COOKIE_NAME not in client.cookies  # gone with the session, as in a browser
    response = client.get(reverse("provinces"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "您长时间未操作，会话已结束，请重新登录。" in response.content.decode()
    # Said once; and signing out is not an idle timeout.
    assert "会话已结束" not in client.get(reverse("login")).content.decode()
    client.post(reverse("login"), {"username": "reporter_gx", "password": PASSWORD})
    signed_out = client.post(reverse("logout"), follow=True)
    assert "您已退出登录。" in signed_out.content.decode() and "会话已结束" not in signed_out.content.decode()
    assert client.cookies[sessions.IDLE_COOKIE].value == ""  # deleted at sign-out
    _elapse(client, 2.2)
    assert "会话已结束" not in client.get(reverse("login")).content.decode()


def test_a_session_ended_by_a_password_change_elsewhere_does_not_blame_inactivity(client, persona):
    from django.test import Client

    persona("reporter_gx")
    client.post(reverse("login"), {"username": "reporter_gx", "password": PASSWORD})
    elsewhere = Client()
    elsewhere.post(reverse("login"), {"username": "reporter_gx", "password": PASSWORD})
    changed = elsewhere.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Another-pass-2026",
            "new_password2": "Another-pass-2026",
        },
    )
    assert changed.status_code == 302
    response = client.get(reverse("provinces"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "会话已结束" not in response.content.decode()


def test_a_forged_idle_cookie_says_nothing(client, plan):
    from agencies import sessions

    client.cookies[sessions.IDLE_COOKIE] = "1"  # unsigned: not ours
    assert "会话已结束" not in client.get(reverse("login")).content.decode()
