"""API tokens (django-rest-knox): expire, one per sign-in, stored hashed, revocable by the owner
and by an administrator, ended by a password change and by deactivation; a two-factor role's token
lives no longer than its session."""

import datetime as dt

import pyotp
import pytest
from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from agencies import two_factor
from agencies.models import User
from agencies.services.accounts import TOKENS_PER_USER
from agencies.tasks import clean_sign_in_records
from core.choices import Role
from core.models import AuditEntry
from tests.jobs import wait_for
from tests.personas import PASSWORD, enrol_second_factor

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_token_throttle")]


def obtain(client, username, **extra):
    response = client.post("/api/auth/token/", {"username": username, "password": PASSWORD, **extra})
    assert response.status_code == 200, response.content
    return response.json()


def api_with(token: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


def works(token: str) -> bool:
    status = api_with(token).get("/api/units/").status_code
    assert status in (200, 401)
    return status == 200


def test_each_sign_in_gives_a_new_expiring_token_stored_only_hashed(client, persona):
    persona("liaison_mca")
    first, second = obtain(client, "liaison_mca"), obtain(client, "liaison_mca")
    assert first["token"] != second["token"] and works(first["token"]) and works(second["token"])
    expiry = dt.datetime.fromisoformat(first["expiry"])
    ttl = settings.REST_KNOX["TOKEN_TTL"]
    assert ttl - dt.timedelta(minutes=1) < expiry - timezone.now() <= ttl
    stored = AuthToken.objects.filter(user__username="liaison_mca")
    assert stored.count() == 2
    assert all(first["token"] != t.digest and first["token"] not in t.digest for t in stored)


def test_an_expired_token_is_refused(client, persona):
    persona("liaison_mca")
    token = obtain(client, "liaison_mca")["token"]
    AuthToken.objects.update(expiry=timezone.now() - dt.timedelta(seconds=1))
    response = api_with(token).get("/api/units/")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    assert not AuthToken.objects.exists()  # and cleared away


def test_a_two_factor_roles_token_lives_no_longer_than_its_session(client, persona):
    user = persona("case_mps")
    enrol_second_factor(user, backup_codes=["CODE0001"])
    body = obtain(client, "case_mps", otp="CODE0001")
    lifetime = dt.datetime.fromisoformat(body["expiry"]) - timezone.now()
    assert settings.SESSION_TWO_FACTOR_AGE <= settings.SESSION_COOKIE_AGE
    assert lifetime <= dt.timedelta(seconds=settings.SESSION_TWO_FACTOR_AGE)
    assert lifetime < settings.REST_KNOX["TOKEN_TTL"]
    assert works(body["token"])


def test_logout_ends_this_token_and_logout_all_every_token(client, persona):
    persona("reporter_gx")
    one, two, three = (obtain(client, "reporter_gx")["token"] for _ in range(3))
    assert api_with(one).post("/api/auth/logout/").status_code == 204
    assert not works(one) and works(two) and works(three)
    assert api_with(one).post("/api/auth/logout/").status_code == 401
    assert api_with(two).post("/api/auth/logout-all/").status_code == 204
    assert not works(two) and not works(three)
    assert not AuditEntry.objects.filter(action="end_tokens").exists()  # one's own: no audit entry


def test_logout_needs_a_token_not_a_session(client_as):
    client = client_as("office")
    assert client.post("/api/auth/logout/").status_code == 401


def test_a_password_change_ends_every_token(client, client_as, persona):
    persona("liaison_mps")
    token = obtain(client, "liaison_mps")["token"]
    page = client_as("liaison_mps")
    page.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Another-pass-2026",
            "new_password2": "Another-pass-2026",
        },
    )
    assert not works(token)


def test_set_password_and_deactivation_end_every_token_but_a_sign_in_does_not(client, persona):
    user = persona("liaison_mca")
    token = obtain(client, "liaison_mca")["token"]
    client.post(reverse("login"), {"username": "liaison_mca", "password": PASSWORD})  # last_login saved
    assert works(token)
    user.refresh_from_db()
    user.first_name = "李"
    user.save()
    assert works(token)
    user.set_password("Another-pass-2026")
    user.save()
    assert not works(token)
    token = client.post(
        "/api/auth/token/", {"username": "liaison_mca", "password": "Another-pass-2026"}
    ).json()["token"]
    assert works(token)
    user.is_active = False
    user.save()
    assert not AuthToken.objects.filter(user=user).exists()


def test_an_administrator_ends_a_users_tokens(client, client_as, persona):
    office = persona("office")
    token = obtain(client, "office")["token"]
    admin = client_as("admin")
    response = admin.post(
        reverse("admin:agencies_user_changelist"),
        {"action": "end_api_tokens", "_selected_action": [office.pk]},
        follow=True,
    )
    assert response.status_code == 200 and not works(token)
    entry = AuditEntry.objects.get(action="end_tokens")
    assert entry.user.username == "admin" and entry.object_id == office.pk and entry.detail["tokens"] == 1


def test_the_admin_lists_tokens_to_delete_but_makes_none(client, client_as, persona):
    persona("office")
    token = obtain(client, "office")["token"]
    admin = client_as("admin")
    listing = admin.get(reverse("admin:knox_authtoken_changelist"))
    assert listing.status_code == 200 and token[:15] in listing.content.decode()
    assert "令牌开头" in listing.content.decode() and "到期时间" in listing.content.decode()
    assert admin.get(reverse("admin:knox_authtoken_add")).status_code == 403  # no token without expiry
    stored = AuthToken.objects.get(user__username="office")
    admin.post(reverse("admin:knox_authtoken_delete", args=[stored.pk]), {"post": "yes"})
    assert not works(token)
    assert AuditEntry.objects.filter(action="end_tokens", user__username="admin").count() == 1


@pytest.mark.parametrize("otp", [["000000"], {"code": "000000"}, True])
def test_an_otp_that_is_not_text_is_a_400_naming_the_field(otp, persona):
    user = persona("case_mps")
    enrol_second_factor(user)
    response = APIClient().post(
        "/api/auth/token/", {"username": "case_mps", "password": PASSWORD, "otp": otp}, format="json"
    )
    assert response.status_code == 400 and list(response.json()) == ["otp"]


def test_a_numeric_otp_is_read_as_the_six_digit_code_it_spells(persona):
    user = persona("case_mps")
    secret = two_factor.new_secret()
    while not pyotp.TOTP(secret).now().startswith("0"):  # a code a number cannot spell as it is
        secret = two_factor.new_secret()
    enrol_second_factor(user, secret=secret, code_spent=False)  # enrolment would have used the step
    code = pyotp.TOTP(secret).now()
    data = {"username": "case_mps", "password": PASSWORD, "otp": int(code)}  # "012345" -> 12345
    response = APIClient().post("/api/auth/token/", data, format="json")
    assert response.status_code == 200, response.content
    assert works(response.json()["token"])


@pytest.mark.parametrize("otp", [-1, 1234567, 12.5])
def test_a_number_that_is_no_six_digit_code_is_a_400_asking_for_text(otp, persona):
    user = persona("case_mps")
    enrol_second_factor(user)
    data = {"username": "case_mps", "password": PASSWORD, "otp": otp}
    response = APIClient().post("/api/auth/token/", data, format="json")
    assert response.status_code == 400 and list(response.json()) == ["otp"]
    assert "以文本形式" in response.json()["otp"][0]  # send it as text


@pytest.mark.parametrize("header", ["Token \xff\xfe", "Token a b", "Token", "Token " + "x" * 200])
def test_a_malformed_token_header_is_a_401(header, plan):
    response = APIClient().get("/api/units/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_a_deactivated_user_cannot_obtain_a_token(client, persona):
    persona("outsider")
    response = client.post("/api/auth/token/", {"username": "outsider", "password": PASSWORD})
    assert response.status_code == 400 and "non_field_errors" in response.json()
    assert not User.objects.get(username="outsider").auth_token_set.exists()


def test_a_role_change_ends_every_token(client, persona):
    user = persona("liaison_mca")
    token = obtain(client, "liaison_mca")["token"]
    user.refresh_from_db()
    user.role = Role.AUDITOR  # a role with a second factor, never given for this token
    user.save()
    assert not works(token)
    assert not AuthToken.objects.filter(user=user).exists()


def test_a_token_older_than_its_users_lifetime_now_is_refused_whatever_its_expiry(client, persona):
    # Even when the role changes without the model's signals (a queryset update), a token is
    # checked at use against its user's lifetime now: a two-factor role's, its session age.
    user = persona("liaison_mps")
    token = obtain(client, "liaison_mps")["token"]
    age = dt.timedelta(seconds=settings.SESSION_TWO_FACTOR_AGE + 60)
    AuthToken.objects.filter(user=user).update(created=timezone.now() - age)
    assert works(token)  # a liaison's token lives API_TOKEN_TTL
    User.objects.filter(pk=user.pk).update(role=Role.CASE_OFFICER)
    assert not works(token)
    assert not AuthToken.objects.filter(user=user).exists()  # and cleared away


def test_issuing_keeps_at_most_ten_tokens_ending_the_oldest_and_the_expired(client, persona):
    user = persona("reporter_yn")
    tokens = [obtain(client, "reporter_yn")["token"] for _ in range(TOKENS_PER_USER + 2)]
    assert AuthToken.objects.filter(user=user).count() == TOKENS_PER_USER
    assert not works(tokens[0]) and not works(tokens[1]) and works(tokens[2]) and works(tokens[-1])
    AuthToken.objects.filter(user=user).exclude(token_key=tokens[-1][:15]).update(
        expiry=timezone.now() - dt.timedelta(seconds=1)
    )
    newest = obtain(client, "reporter_yn")["token"]
    assert AuthToken.objects.filter(user=user).count() == 2 and works(newest) and works(tokens[-1])


def test_the_token_endpoint_is_throttled_per_address(client, persona, settings):
    persona("office")
    persona("liaison_mca")
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "auth_token": "3/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    here = {"REMOTE_ADDR": "198.51.100.7"}
    for name in ("office", "liaison_mca", "office"):
        answer = client.post("/api/auth/token/", {"username": name, "password": PASSWORD}, **here)
        assert answer.status_code == 200
    refused = client.post("/api/auth/token/", {"username": "liaison_mca", "password": PASSWORD}, **here)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    # A forged X-Forwarded-For is not another address; another connection is.
    forged = client.post(
        "/api/auth/token/",
        {"username": "office", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.9",
        **here,
    )
    assert forged.status_code == 429
    credentials = {"username": "office", "password": PASSWORD}
    other = client.post("/api/auth/token/", credentials, REMOTE_ADDR="198.51.100.8")
    assert other.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_daily_task_on_a_real_worker_deletes_expired_tokens_and_old_sign_in_logs(
    client, persona, settings, celery_worker_process
):
    persona("office")
    kept, ended = obtain(client, "office")["token"], obtain(client, "office")["token"]
    AuthToken.objects.filter(token_key=ended[:15]).update(expiry=timezone.now() - dt.timedelta(seconds=1))
    client.post(reverse("login"), {"username": "office", "password": "wrong"})
    client.post(reverse("login"), {"username": "office", "password": PASSWORD})
    assert AccessFailureLog.objects.count() == 1 and AccessLog.objects.count() >= 1
    old = dt.timedelta(days=settings.SIGN_IN_LOG_DAYS + 1)
    AccessFailureLog.objects.update(attempt_time=F("attempt_time") - old)
    AccessLog.objects.update(attempt_time=F("attempt_time") - old)
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": "office", "password": "wrong again"})  # recent: kept
    assert AccessFailureLog.objects.count() == 2
    assert "clean-sign-in-records" in settings.CELERY_BEAT_SCHEDULE
    assert settings.CELERY_BEAT_SCHEDULE["clean-sign-in-records"]["task"] == clean_sign_in_records.name
    clean_sign_in_records.delay()
    wait_for(
        lambda: AuthToken.objects.count() <= 1 and AccessFailureLog.objects.count() <= 1,
        timeout=30,
        message="the worker cleaned nothing",
    )
    assert AuthToken.objects.get().token_key == kept[:15] and works(kept)
    assert AccessLog.objects.count() == 0
    assert AccessFailureLog.objects.get().attempt_time > timezone.now() - dt.timedelta(minutes=1)
