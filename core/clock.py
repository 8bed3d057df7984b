"""The portal's clock.

Deadlines, "the current period" and lateness are judged against this clock, never against
``timezone.now()`` directly. In production it is the real time. A training or demonstration portal
that holds a past plan (2008–2012) sets ``PORTAL_TODAY`` to a date inside the plan: the clock then
reads that date at the real moment the portal started (``PORTAL_CLOCK_START``) and advances in real
time from there, past midnight into the next day, so every rule behaves as it did then. ``travel``
sets the clock to a given moment for a block of code (demo data that tells a history, tests).
"""

import contextlib
import datetime as dt
from contextvars import ContextVar

from django.conf import settings
from django.utils import timezone

_travelled: ContextVar[dt.datetime | None] = ContextVar("portal_clock_travelled", default=None)
# Where no start is given (a management command run on its own), the clock starts with the process.
_PROCESS_STARTED = timezone.now()


def portal_time(real: dt.datetime, *, today: dt.date | None, started: dt.datetime) -> dt.datetime:
    """What the portal's clock reads at the real moment ``real``, for a portal whose clock read the
    date ``today`` at the real moment ``started`` (the time of day is the real one).

    The offset is a whole number of days fixed by ``started``, never by ``real``: the clock runs
    continuously, past midnight, and every process that shares ``started`` reads the same time.
    """
    if today is None:
        return real
    return real + (today - timezone.localdate(started))


def started() -> dt.datetime:
    """The real moment the portal's clock read ``PORTAL_TODAY``: ``PORTAL_CLOCK_START`` (ISO 8601;
    ``scripts/run.sh`` sets it once for the web server, the worker and beat), else this process's
    start."""
    if not settings.PORTAL_CLOCK_START:
        return _PROCESS_STARTED
    moment = dt.datetime.fromisoformat(settings.PORTAL_CLOCK_START)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def now() -> dt.datetime:
    travelled = _travelled.get()
    if travelled:
        return travelled
    today = dt.date.fromisoformat(settings.PORTAL_TODAY) if settings.PORTAL_TODAY else None
    return portal_time(timezone.now(), today=today, started=started())


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
