"""The portal's clock.

Deadlines, "the current period" and lateness are judged against this clock, never against
``timezone.now()`` directly. In production it is the real time. A training or demonstration portal
that holds a past plan (2008–2012) sets ``PORTAL_TODAY`` to a date inside the plan: the clock then
runs from that date, advancing in real time, so every rule behaves as it did then. ``travel``
sets the clock to a given moment for a block of code (demo data that tells a history, tests).
"""

import contextlib
import datetime as dt
from contextvars import ContextVar

from django.conf import settings
from django.utils import timezone

_travelled: ContextVar[dt.datetime | None] = ContextVar("portal_clock_travelled", default=None)


def _offset() -> dt.timedelta:
    if not settings.PORTAL_TODAY:
        return dt.timedelta(0)
    return dt.date.fromisoformat(settings.PORTAL_TODAY) - timezone.localdate()


def now() -> dt.datetime:
    return _travelled.get() or timezone.now() + _offset()


def today() -> dt.date:
    return timezone.localdate(now())


@contextlib.contextmanager
def travel(moment: dt.datetime):
    """Within the block, the portal's clock reads ``moment`` (an aware datetime)."""
    token = _travelled.set(moment)
    try:
        yield
    finally:
        _travelled.reset(token)
