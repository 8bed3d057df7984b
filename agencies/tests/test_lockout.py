"""Sign-in lockout (django-axes): by account and by address, on the page and the API, with the
wait said; unlocked by the cool-off or by an administrator; each lockout in the audit log."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.urls import reverse

from agencies.models import AuditEntry, User
from agencies.services import account_unlock
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def token(client, username, password, **extra):
    return client.post("/api/auth/token/", {"username": username, "password": password}, **extra)


def age_attempts(minutes: int) -> None:
    """As if the failures had happened ``minutes`` earlier (axes counts on the real clock)."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - dt.timedelta(minutes=minutes))


def test_wrong_passwords_lock_the_account_even_for_the_right_one(client, persona, settings):
    office = persona("office")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, "office", "wrong")
        assert response.status_code == 200 and "请输入一个正确的" in response.content.decode()
    locked = sign_in(client, "office", "wrong")
    assert locked.status_code == 429 and locked["Retry-After"] == "900"
    body = locked.content.decode()
    assert "该账户或该地址登录失败次数过多" in body and "15分钟后再试" in body
    assert 'name="username"' in body  # the sign-in form again, under the message
    right = sign_in(client, "office", PASSWORD)
    assert right.status_code == 429 and "_auth_user_id" not in client.session
    entries = AuditEntry.objects.filter(action="lockout", object_id=office.pk)
    assert entries.count() == 1  # logged when it began, not at every refused attempt
    assert "username" in entries.get().detail["locked"]
    assert entries.get().detail["failures_username"] == settings.AXES_FAILURE_LIMIT


def test_the_wait_counts_down_and_then_the_right_password_works(client, persona, settings):
    persona("office")
    client.post(reverse("set_language"), {"language": "en"})
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "office", "wrong")
    age_attempts(10)
    # Attempts during the lockout are refused without prolonging it: five minutes are left.
    locked = sign_in(client, "office", PASSWORD)
    assert locked.status_code == 429 and 295 <= int(locked["Retry-After"]) <= 300
    assert "Try again in 5 minutes, or ask an administrator to unlock the account." in locked.content.decode()
    assert 295 <= token(client, "office", "wrong").json()["wait_seconds"] <= 300
    age_attempts(6)
    assert sign_in(client, "office", PASSWORD).status_code == 302


def test_the_api_answers_429_with_the_wait(client, persona, settings):
    persona("liaison_mca")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        refused = token(client, "liaison_mca", "wrong")
        assert refused.status_code == 400 and "non_field_errors" in refused.json()
    locked = token(client, "liaison_mca", "wrong")
    assert locked.status_code == 429 and locked["Retry-After"] == "900"
    assert locked.json()["wait_seconds"] == 900 and "15分钟后再试" in locked.json()["detail"]
    right = token(client, "liaison_mca", PASSWORD)
    assert right.status_code == 429 and "token" not in right.json()
    # The page counts the same failures: the account is locked there too.
    assert sign_in(client, "liaison_mca", PASSWORD).status_code == 429


def test_many_names_from_one_address_lock_the_address_not_other_addresses(client, persona, settings):
    persona("reporter_gx")
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"guess{n}", "wrong", REMOTE_ADDR="203.0.113.7")
    assert sign_in(client, "reporter_gx", PASSWORD, REMOTE_ADDR="203.0.113.7").status_code == 429
    assert token(client, "reporter_gx", PASSWORD, REMOTE_ADDR="203.0.113.7").status_code == 429
    assert token(client, "reporter_gx", PASSWORD, REMOTE_ADDR="198.51.100.2").status_code == 200
    # Unknown names have no account to log the lockout on; the real account was never locked.
    assert not AuditEntry.objects.filter(action="lockout").exists()


def test_an_administrator_unlocks_an_account(client, client_as, persona, settings):
    office = persona("office")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "office", "wrong")
    assert sign_in(client, "office", PASSWORD).status_code == 429
    admin = client_as("admin")
    response = admin.post(
        reverse("admin:agencies_user_changelist"),
        {"action": "unlock_sign_in", "_selected_action": [office.pk]},
        follow=True,
    )
    assert "1 个账户已解锁。" in response.content.decode()
    entry = AuditEntry.objects.get(action="unlock")
    assert entry.user.username == "admin" and entry.object_id == office.pk and entry.detail["attempts"] == 1
    admin.post(reverse("logout"))
    assert sign_in(client, "office", PASSWORD).status_code == 302
    # Nothing to unlock: nothing logged.
    assert account_unlock(actor=User.objects.get(username="admin"), user=office) == 0
    assert AuditEntry.objects.filter(action="unlock").count() == 1


def test_the_admin_lists_attempts_and_the_axes_reset_command_unlocks(client, client_as, persona, settings):
    from django.core.management import call_command

    persona("office")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "office", "wrong")
    admin = client_as("admin")
    listing = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200 and "office" in listing.content.decode()
    admin.post(reverse("logout"))
    call_command("axes_reset_username", "office", verbosity=0)
    assert sign_in(client, "office", PASSWORD).status_code == 302


def test_the_auditor_reads_the_lockout_in_the_audit_log(client, client_as, persona, settings):
    persona("office")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "office", "wrong", REMOTE_ADDR="192.0.2.44")
    page = client_as("auditor").get(reverse("cases:audit"), {"action": "lockout"})
    body = page.content.decode()
    assert page.status_code == 200 and "登录失败次数过多，已锁定" in body and "192.0.2.44" in body
