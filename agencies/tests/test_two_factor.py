"""Two-factor sign-in for case officers and auditors: enrolment, codes, backup codes, the API."""

import pyotp
import pytest
from django.urls import reverse

from agencies import two_factor
from tests.personas import PASSWORD, enrol_second_factor

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_token_throttle")]


def sign_in(client, username):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def test_a_case_officer_must_enrol_then_gets_in(client, persona):
    persona("case_mca")
    sign_in(client, "case_mca")
    response = client.get(reverse("cases:list"))
    assert response.status_code == 302 and response.url.startswith(reverse("two_factor_setup"))
    assert client.get("/api/cases/").status_code == 403
    page = client.get(reverse("two_factor_setup"))
    secret = page.context["secret"]
    assert "<svg" in page.content.decode()
    wrong = client.post(reverse("two_factor_setup"), {"code": "000000"})
    assert "验证码不正确" in wrong.content.decode()
    done = client.post(reverse("two_factor_setup"), {"code": pyotp.TOTP(secret).now()})
    codes = done.context["codes"]
    assert len(codes) == 10
    assert client.get(reverse("cases:list")).status_code == 200


def test_sign_in_with_a_code_once_and_a_backup_code_once(client, persona):
    user = persona("auditor")
    secret = enrol_second_factor(user)
    codes = two_factor.set_backup_codes(user, codes=["AAAA1111", "BBBB2222"])
    sign_in(client, "auditor")
    assert client.get(reverse("cases:audit")).url.startswith(reverse("two_factor_verify"))
    used = pyotp.TOTP(secret).now()
    # The code just used to enrol cannot be used again (replay), but a backup code works once.
    assert client.post(reverse("two_factor_verify"), {"code": used}).status_code == 200
    assert client.post(reverse("two_factor_verify"), {"code": codes[0]}).status_code == 302
    assert client.get(reverse("cases:audit")).status_code == 200
    client.post(reverse("logout"))
    sign_in(client, "auditor")
    assert client.post(reverse("two_factor_verify"), {"code": codes[0]}).status_code == 200  # used up


def test_other_roles_are_not_asked(client, persona):
    persona("office")
    sign_in(client, "office")
    assert client.get(reverse("provinces")).status_code == 200


def test_api_token_needs_the_code(client, persona):
    user = persona("case_mps")
    enrol_second_factor(user, backup_codes=["CCCC3333"])
    refused = client.post("/api/auth/token/", {"username": "case_mps", "password": PASSWORD})
    assert refused.status_code == 400 and "otp" in refused.json()
    granted = client.post(
        "/api/auth/token/", {"username": "case_mps", "password": PASSWORD, "otp": "CCCC3333"}
    )
    assert granted.status_code == 200 and granted.json()["token"]


def test_wrong_codes_count_as_failed_sign_ins_and_lock_the_account(client, persona, settings):
    """One counter for wrong passwords and wrong codes (django-axes): no second, hand-made one."""
    user = persona("case_mps")
    enrol_second_factor(user, backup_codes=["GOOD0001"])
    sign_in(client, "case_mps")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        wrong = client.post(reverse("two_factor_verify"), {"code": "000000"})
        assert wrong.status_code == 200 and "验证码不正确" in wrong.content.decode()
    locked = client.post(reverse("two_factor_verify"), {"code": "000000"})
    assert locked.status_code == 429 and "15分钟后再试" in locked.content.decode()
    refused = client.post(reverse("two_factor_verify"), {"code": "GOOD0001"})  # right, but locked
    assert refused.status_code == 429 and "15分钟后再试" in refused.content.decode()
    assert client.get(reverse("cases:list")).status_code == 302  # still not through
    client.post(reverse("logout"))
    again = sign_in(client, "case_mps")  # the password is refused too, on the same lock
    assert again.status_code == 429 and "_auth_user_id" not in client.session


def test_a_code_that_is_not_text_is_refused_not_an_error(persona):
    user = persona("auditor")
    enrol_second_factor(user)
    for code in (None, 123456, ["000000"], {"code": 1}):
        assert two_factor._verify(user, code) is False
