"""Sign-in lockout, counted by django-axes: how long to wait, the answer that says so, the audit.

A wrong password and a wrong second-factor code both count as a failed sign-in (axes' records,
by account and by address; see the AXES_* settings). When either count reaches
AXES_FAILURE_LIMIT within AXES_COOLOFF_TIME, every sign-in there is refused, even with the right
password, until the cool-off has passed or an administrator unlocks the account.
"""

from __future__ import annotations

import logging
import math

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_credentials, get_failure_limit
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Max, Sum
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext

logger = logging.getLogger(__name__)


def is_locked(request, username: str | None) -> bool:
    """Whether a sign-in as ``username`` from this request's address is refused now."""
    return AxesProxyHandler.is_locked(request, get_credentials(username))


def locked_wait(request, username: str | None) -> int | None:
    """Seconds until a sign-in as ``username`` from this request's address is accepted again, or
    None when it is not locked: what every refusing caller (page, API, code step) says."""
    if not is_locked(request, username):
        return None
    return wait_seconds(request, {"username": username})


def _groups(request, credentials) -> list[dict]:
    """Failures and the last failure's time, for the account and for the address (within the
    cool-off). Reads axes' own records (its database handler)."""
    AxesProxyHandler.update_request(request)
    handler = AxesProxyHandler.get_implementation()
    return [
        attempts.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        for attempts in handler.get_user_attempts(request, credentials)
    ]


def wait_seconds(request, credentials: dict | None = None) -> int:
    """Seconds until a sign-in is accepted again: the cool-off after the last failure of the
    count (account or address) that is over the limit; at least one."""
    limit = get_failure_limit(request, credentials)
    cool_off = get_cool_off(request)
    last = [g["last"] for g in _groups(request, credentials) if (g["failures"] or 0) >= limit and g["last"]]
    if not last:
        return math.ceil(cool_off.total_seconds())
    return max(math.ceil((max(last) + cool_off - timezone.now()).total_seconds()), 1)


def wait_message(seconds: int) -> str:
    minutes = max(math.ceil(seconds / 60), 1)
    return ngettext(
        "Too many failed sign-in attempts for this account or from this address. Try again in "
        "%(minutes)d minute, or ask an administrator to unlock the account.",
        "Too many failed sign-in attempts for this account or from this address. Try again in "
        "%(minutes)d minutes, or ask an administrator to unlock the account.",
        minutes,
    ) % {"minutes": minutes}


def api_response(seconds: int) -> HttpResponse:
    """429 with the wait, in words, in seconds and in Retry-After."""
    response = JsonResponse({"detail": wait_message(seconds), "wait_seconds": seconds}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: what a refused sign-in answers. A view that already answered the
    lockout itself (429) keeps its answer; the API gets JSON; a page gets the sign-in form again
    with the wait."""
    if original_response is not None and original_response.status_code == 429:
        return original_response
    seconds = wait_seconds(request, credentials)
    if request.path.startswith("/api/"):
        return api_response(seconds)
    form = AuthenticationForm(request, initial={"username": (credentials or {}).get("username", "")})
    context = {"form": form, "lockout": wait_message(seconds), "next": request.POST.get("next", "")}
    response = render(request, "registration/login.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response


def new_lockouts(request, username: str | None) -> dict:
    """On axes' user_locked_out: which counts (by username, by ip_address) have just reached the limit,
    with both counts; empty when none is (the caller logs a lockout once per cool-off)."""
    credentials = get_credentials(username)
    limit = get_failure_limit(request, credentials)
    names = ["+".join([p] if isinstance(p, str) else p) for p in settings.AXES_LOCKOUT_PARAMETERS]
    counts = {name: g["failures"] or 0 for name, g in zip(names, _groups(request, credentials), strict=True)}
    locked = [name for name, n in counts.items() if n >= limit]
    if not locked:
        return {}
    logger.warning(
        "Sign-in locked (%s) for %s minutes: account %r, address %s",
        ", ".join(locked),
        int(get_cool_off(request).total_seconds() // 60),
        username,
        getattr(request, "axes_ip_address", None),
    )
    return {"locked": locked, **{f"failures_{name}": n for name, n in counts.items()}}
