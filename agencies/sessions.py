"""Sessions end after a time without requests (a sliding idle timeout), shorter for the roles that
need a second factor.

Django renews a session's expiry whenever it saves the session; saving it on every request
(SESSION_SAVE_EVERY_REQUEST) would add a write to every page. Instead the session records when it
was last renewed and is saved again only once a tenth of its age has passed, so a user who keeps
working is never signed out, and one who leaves is signed out between 90 % and 100 % of the age
after their last request.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.utils.translation import gettext as _

from . import two_factor

RENEWED_KEY = "renewed_at"


def session_age(user) -> int:
    """Seconds a session of ``user`` lives without a request; never longer for a second-factor role."""
    if two_factor.required(user):
        return min(settings.SESSION_TWO_FACTOR_AGE, settings.SESSION_COOKIE_AGE)
    return settings.SESSION_COOKIE_AGE


def renew(session, age: int, *, force: bool = False) -> None:
    now = int(time.time())
    if session.get("_session_expiry") != age:
        session.set_expiry(age)  # relative: counted again from every save
        force = True
    if force or now - session.get(RENEWED_KEY, 0) >= max(age // 10, 1):
        session[RENEWED_KEY] = now  # marks the session modified: saved, expiry moved on


class SessionIdleMiddleware:
    """Move a signed-in session's expiry on (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            renew(request.session, session_age(user))
        elif self._ended(request):
            messages.info(
                request, _("Your session ended after a time without activity: please sign in again.")
            )
        return self.get_response(request)

    @staticmethod
    def _ended(request) -> bool:
        """A session cookie that names no live session: it expired (signing out deletes the cookie)."""
        if request.path.startswith(("/api/", "/static/", "/health/")):
            return False
        return bool(request.COOKIES.get(settings.SESSION_COOKIE_NAME)) and request.session.session_key is None
