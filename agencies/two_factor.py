"""Two-factor sign-in: TOTP (an authenticator app) with one-time backup codes.

Case officers, auditors and administrators must pass it after their password; until they have, every page but
the two-factor pages answers with a redirect to them (403 on the API).
"""

from __future__ import annotations

import secrets
import time
from urllib.parse import urlencode

import pyotp
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from agencies import lockout
from agencies.models import BackupCode, TwoFactorDevice
from core import clock
from core.choices import Role

# A sign-in policy, not access: the roles that must prove a second factor before any page (those
# that read case files, the audit log, or administer the portal). What a role may then see and do
# is the gate's (core.permissions); ``required`` is the one question the sign-in steps ask.
REQUIRED_FOR = (Role.CASE_OFFICER, Role.CASE_SUPERVISOR, Role.AUDITOR, Role.ADMIN)
SESSION_KEY = "two_factor_verified"
ISSUER = "IMCS Portal"
# Pages under /api/ that a person opens in a browser.
BROWSER_PAGES = ("/api/docs/",)
OPEN_PATHS = ("/accounts/2fa/", "/accounts/logout/", "/accounts/login/", "/i18n/", "/static/", "/health/")


def required(user) -> bool:
    """Whether ``user`` must pass the second factor to sign in (their role is in REQUIRED_FOR)."""
    return bool(user.is_authenticated and user.role in REQUIRED_FOR)


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def _check_totp(device: TwoFactorDevice, code: str) -> bool:
    totp = pyotp.TOTP(device.secret)
    now = time.time()  # the phone's clock, the real one: never the portal's demo clock
    for drift in (-1, 0, 1):  # a step either side for clocks that differ a little
        at = now + drift * totp.interval
        step = int(at // totp.interval)
        if step > device.last_used_step and secrets.compare_digest(totp.at(at), code):
            device.last_used_step = step
            device.save(update_fields=["last_used_step"])
            return True
    return False


def verify(request, user, code: str) -> bool:
    """A current authenticator code, or an unused backup code (which is then used up).

    A wrong code counts as a failed sign-in (django-axes), like a wrong password: after
    AXES_FAILURE_LIMIT of them the account is locked (``lockout.is_locked``) and every code is
    refused until the cool-off ends or an administrator unlocks it."""
    if lockout.is_locked(request, user.get_username()):
        return False
    if _verify(user, code):
        return True
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
    return False


@transaction.atomic
def _verify(user, code: str) -> bool:
    if not isinstance(code, str):
        return False
    code = "".join(code.split()).upper()
    device = TwoFactorDevice.objects.select_for_update().filter(user=user).first()
    if device is None or not code:
        return False
    if code.isdigit() and len(code) == 6:
        return _check_totp(device, code)
    for backup in BackupCode.objects.select_for_update().filter(user=user, used_at__isnull=True):
        if check_password(code, backup.code_hash):
            backup.used_at = clock.now()
            backup.save(update_fields=["used_at"])
            return True
    return False


@transaction.atomic
def enrol(user, secret: str, code: str, *, backup_count: int = 10) -> list[str] | None:
    """Confirm a new authenticator with a code from it; returns fresh backup codes (shown once)."""
    totp = pyotp.TOTP(secret)
    if not totp.verify("".join((code or "").split()), for_time=time.time(), valid_window=1):
        return None
    # The code that confirmed the device is spent: it cannot sign anyone in afterwards.
    spent = int(time.time() // totp.interval) + 1
    TwoFactorDevice.objects.update_or_create(
        user=user, defaults={"secret": secret, "confirmed_at": clock.now(), "last_used_step": spent}
    )
    return set_backup_codes(user, backup_count)


def set_backup_codes(user, count: int = 10, codes: list[str] | None = None) -> list[str]:
    codes = codes or [secrets.token_hex(4).upper() for _ in range(count)]
    BackupCode.objects.filter(user=user).delete()
    BackupCode.objects.bulk_create([BackupCode(user=user, code_hash=make_password(c)) for c in codes])
    return codes


class TwoFactorMiddleware:
    """Stops a case officer, auditor or administrator who has not passed the second factor in this
    session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and required(user)
            and not request.session.get(SESSION_KEY)
            and not request.path.startswith(OPEN_PATHS)
        ):
            # The API answers in JSON; the pages a person opens under /api/ (the interactive
            # docs) are sent to the two-factor page like any other page.
            if request.path.startswith("/api/") and not request.path.startswith(BROWSER_PAGES):
                return JsonResponse(
                    {"detail": _("Two-factor sign-in is required: sign in through the portal.")}, status=403
                )
            target = "two_factor_verify" if hasattr(user, "two_factor") else "two_factor_setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
