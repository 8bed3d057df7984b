"""Signing in and out, changing one's password, and the roles' constraints."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from agencies.choices import Role
from agencies.models import User
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def test_sign_in_and_out(client, persona):
    persona("reporter_gx")
    response = client.post(reverse("login"), {"username": "reporter_gx", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")
    body = client.get(reverse("provinces")).content.decode()
    assert "广西壮族自治区" in body and "省级填报员" in body  # role and province in the header
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


def test_a_liaison_must_belong_to_a_unit(plan):
    user = User(username="x", role=Role.LIAISON)
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "unit" in error.value.message_dict
    with pytest.raises(IntegrityError):
        User.objects.create(username="y", role=Role.PROVINCE)


def test_createsuperuser_makes_an_administrator(plan):
    user = User.objects.create_superuser("root", "root@example.org", "Pass-word-2026")
    assert user.role == Role.ADMIN
