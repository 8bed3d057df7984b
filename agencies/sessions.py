"""Sessions end after a time without requests (a sliding idle timeout), shorter for the roles that
need a second factor; an API token of such a role never outlives that timeout (``token_ttl``).

Django renews a session's expiry whenever it saves the session; saving it on every request
(SESSION_SAVE_EVERY_REQUEST) would add a write to every page. Instead the session records when it
was last renewed and is saved again only once a tenth of its age has passed, so a user who keeps
working is never signed out, and one who leaves is signed out between 90 % and 100 % of the age
after their last request.
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.utils.translation import gettext as _
from knox.settings import knox_settings

from agencies import two_factor

RENEWED_KEY = "renewed_at"


def session_age(user) -> int:
    """Seconds a session of ``user`` lives without a request; never longer for a second-factor role."""
    if two_factor.required(user):
        return min(settings.SESSION_TWO_FACTOR_AGE, settings.SESSION_COOKIE_AGE)
    return settings.SESSION_COOKIE_AGE


def token_ttl(user) -> timedelta:
    """How long an API token of ``user`` lives: API_TOKEN_TTL, never longer than the user's session
    idle timeout where the role needs a second factor."""
    ttl = knox_settings.TOKEN_TTL
    if two_factor.required(user):
        ttl = min(ttl, timedelta(seconds=session_age(user)))
    return ttl


def renew(session, age: int, *, force: bool = False) -> None:
    now = int(time.time())
    if session.get("_session_expiry") != age:
        session.set_expiry(age)  # relative: counted again from every save
        force = True
    if force or now - session.get(RENEWED_KEY, 0) >= max(age // 10, 1):
        session[RENEWED_KEY] = now  # marks the session modified: saved, expiry moved on


IDLE_COOKIE = "idle_deadline"
IDLE_COOKIE_SALT = "agencies.sessions.idle_deadline"
# The deadline cookie outlives the session cookie (which the browser drops at the deadline), so
# that the sign-in page can still tell an idle timeout from any other end of the session.
IDLE_COOKIE_MAX_AGE = 7 * 24 * 60 * 60
EXEMPT_PATHS = ("/api/", "/static/", "/health/", "/media/")


def idle_deadline(request) -> int | None:
    """The deadline the idle cookie carries (a signed Unix time), or None (absent or forged)."""
    value = request.get_signed_cookie(IDLE_COOKIE, default=None, salt=IDLE_COOKIE_SALT)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


class SessionIdleMiddleware:
    """Move a signed-in session's expiry on (see the module's docstring), and keep a small signed
    cookie with the moment it ends for want of activity. Signed out, a page that still gets that
    cookie says the session ended after a time without activity only if that moment has passed:
    a session ended otherwise (signing out, a password change elsewhere, an administrator) says
    nothing. The cookie is deleted once read, and whenever no one is signed in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(EXEMPT_PATHS):
            return self.get_response(request)
        deadline = idle_deadline(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            renew(request.session, session_age(user))
        elif deadline is not None and deadline <= int(time.time()):
            messages.info(
                request, _("Your session ended after a time without activity: please sign in again.")
            )
        response = self.get_response(request)
        user = getattr(request, "user", None)  # signing in or out replaces it
        renewed = request.session.get(RENEWED_KEY) if user is not None and user.is_authenticated else None
        if renewed is not None:
            expected = renewed + session_age(user)
            if deadline != expected:
                response.set_signed_cookie(
                    IDLE_COOKIE,
                    str(expected),
                    salt=IDLE_COOKIE_SALT,
                    max_age=IDLE_COOKIE_MAX_AGE,
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Lax",
                )
        elif IDLE_COOKIE in request.COOKIES:
            response.delete_cookie(IDLE_COOKIE, samesite="Lax")
        return response
