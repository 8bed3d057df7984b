"""API tokens (django-rest-knox): expire, one per sign-in, stored hashed, revocable by the owner
and by an administrator, ended by a password change and by deactivation; a two-factor role's token
lives no longer than its session."""

import datetime as dt

import pyotp
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from agencies import two_factor
from agencies.models import AuditEntry, User
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


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
    secret = two_factor.new_secret()
    two_factor.enrol(user, secret, pyotp.TOTP(secret).now())
    two_factor.set_backup_codes(user, codes=["CODE0001"])
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
    secret = two_factor.new_secret()
    two_factor.enrol(user, secret, pyotp.TOTP(secret).now())
    response = APIClient().post(
        "/api/auth/token/", {"username": "case_mps", "password": PASSWORD, "otp": otp}, format="json"
    )
    assert response.status_code == 400 and list(response.json()) == ["otp"]


def test_a_numeric_otp_is_read_as_the_code_it_spells(persona):
    user = persona("case_mps")
    secret = two_factor.new_secret()
    two_factor.enrol(user, secret, pyotp.TOTP(secret).now())
    response = APIClient().post(
        "/api/auth/token/", {"username": "case_mps", "password": PASSWORD, "otp": 123}, format="json"
    )
    assert response.status_code == 400 and "otp" in response.json()


@pytest.mark.parametrize("header", ["Token \xff\xfe", "Token a b", "Token", "Token " + "x" * 200])
def test_a_malformed_token_header_is_a_401(header, plan):
    response = APIClient().get("/api/units/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_a_deactivated_user_cannot_obtain_a_token(client, persona):
    persona("outsider")
    response = client.post("/api/auth/token/", {"username": "outsider", "password": PASSWORD})
    assert response.status_code == 400 and "non_field_errors" in response.json()
    assert not User.objects.get(username="outsider").auth_token_set.exists()
