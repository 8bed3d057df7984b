"""Sign-in lockout (django-axes): by account and by address, on the page and the API, with the
wait said; unlocked by the cool-off or by an administrator; each lockout in the audit log."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.urls import reverse

from agencies.models import User
from agencies.services import account_unlock
from core.models import AuditEntry
from tests.personas import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_token_throttle")]


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
    # What was locked, and after how many failures, in words (not an empty Detail cell).
    limit = settings.AXES_FAILURE_LIMIT
    assert "账户已锁定" in body and "地址已锁定" in body and f"该账户登录失败{limit}次" in body


def test_a_forged_x_forwarded_for_neither_escapes_the_address_lockout_nor_reaches_the_log(
    client, persona, settings
):
    settings.BEHIND_PROXY = True
    settings.TRUSTED_PROXIES = []  # nothing in front of us is trusted: the header is the client's own
    office = persona("office")
    persona("reporter_gx")
    for n in range(settings.AXES_FAILURE_LIMIT):
        forged = {"HTTP_X_FORWARDED_FOR": f"10.9.8.{n}", "REMOTE_ADDR": "203.0.113.7"}
        sign_in(client, "office", "wrong", **forged)
    fresh = {"HTTP_X_FORWARDED_FOR": "10.9.8.200", "REMOTE_ADDR": "203.0.113.7"}
    # Another account from the same connection: the address is locked, whatever the header says.
    assert sign_in(client, "reporter_gx", PASSWORD, **fresh).status_code == 429
    assert token(client, "reporter_gx", PASSWORD, **fresh).status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    entry = AuditEntry.objects.get(action="lockout", object_id=office.pk)
    assert entry.ip == "203.0.113.7" and set(entry.detail["locked"]) == {"username", "ip_address"}


def test_behind_a_trusted_proxy_the_client_is_the_right_most_untrusted_forwarded_address(
    client, persona, settings
):
    settings.BEHIND_PROXY = True
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "127.0.0.1"]
    persona("office")
    for n in range(settings.AXES_FAILURE_LIMIT):
        # The client writes whatever it likes on the left; our proxy appends the real address.
        chain = {"HTTP_X_FORWARDED_FOR": f"6.6.6.{n}, 198.51.100.2, 10.0.0.7", "REMOTE_ADDR": "10.0.0.1"}
        sign_in(client, f"guess{n}", "wrong", **chain)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.2"}
    chain = {"HTTP_X_FORWARDED_FOR": "198.51.100.2", "REMOTE_ADDR": "10.0.0.1"}
    assert sign_in(client, "office", PASSWORD, **chain).status_code == 429
    # Another client behind the same proxy is not locked; nor is one claiming to be the proxy.
    other = {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.3", "REMOTE_ADDR": "10.0.0.1"}
    assert token(client, "office", PASSWORD, **other).status_code == 200
    # An address outside the trusted set sending the header is itself the client.
    direct = {"HTTP_X_FORWARDED_FOR": "198.51.100.3", "REMOTE_ADDR": "198.51.100.2"}
    assert token(client, "office", PASSWORD, **direct).status_code == 429


def test_the_password_change_form_counts_wrong_passwords_and_refuses_when_locked(
    client, client_as, persona, settings
):
    page = client_as("liaison_mps")
    user = User.objects.get(username="liaison_mps")
    form = {"new_password1": "Another-pass-2026", "new_password2": "Another-pass-2026"}
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        answer = page.post(reverse("password_change"), {"old_password": "guess", **form})
        assert answer.status_code == 200
        assert "旧密码：" in answer.content.decode()  # the message stands by the field it names
        assert answer.context["form"].has_error("old_password", "password_incorrect")
    failures = AccessAttempt.objects.get(username="liaison_mps").failures_since_start
    assert failures == settings.AXES_FAILURE_LIMIT - 1
    locked = page.post(reverse("password_change"), {"old_password": "guess", **form})
    assert locked.status_code == 429
    right = page.post(reverse("password_change"), {"old_password": PASSWORD, **form})
    assert right.status_code == 429 and "15分钟后再试" in right.context["form"].errors["old_password"][0]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)  # unchanged
    from django.test import Client

    assert sign_in(Client(), "liaison_mps", PASSWORD).status_code == 429  # the account is locked
    assert AuditEntry.objects.filter(action="lockout", object_id=user.pk).count() == 1


def test_an_administrator_unlocks_an_address(client, client_as, persona, settings):
    persona("reporter_gx")
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"guess{n}", "wrong", REMOTE_ADDR="203.0.113.7")
    assert sign_in(client, "reporter_gx", PASSWORD, REMOTE_ADDR="203.0.113.7").status_code == 429
    admin = client_as("admin")
    listing = admin.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "unlock_addresses" in listing
    one = AccessAttempt.objects.filter(ip_address="203.0.113.7").first()
    response = admin.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "unlock_addresses", "_selected_action": [one.pk]},
        follow=True,
    )
    assert "1 个地址已解锁。" in response.content.decode()
    assert not AccessAttempt.objects.filter(ip_address="203.0.113.7").exists()
    entry = AuditEntry.objects.get(action="unlock")
    assert entry.user.username == "admin" and entry.object_label == "203.0.113.7"
    assert entry.detail["attempts"] == settings.AXES_FAILURE_LIMIT
    admin.post(reverse("logout"))
    assert sign_in(client, "reporter_gx", PASSWORD, REMOTE_ADDR="203.0.113.7").status_code == 302
