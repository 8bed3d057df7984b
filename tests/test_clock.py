"""The portal's clock (core/clock.py) runs continuously from its start date, past midnight."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from core import clock

ROOT = Path(__file__).resolve().parent.parent
SHANGHAI = ZoneInfo("Asia/Shanghai")  # TIME_ZONE
DEMO_DAY = dt.date(2010, 1, 10)


def test_the_clock_advances_across_a_real_midnight():
    """A run started at 23:50 real time: at 23:56 and then 00:03 (real) the portal reads 23:56 and
    00:03 of the next day, never 00:03 of the same day (the old clock's 'returned, then resubmitted
    seven minutes before')."""
    started = dt.datetime(2026, 12, 1, 23, 50, tzinfo=SHANGHAI)
    before = clock.portal_time(
        dt.datetime(2026, 12, 1, 23, 56, tzinfo=SHANGHAI), today=DEMO_DAY, started=started
    )
    after = clock.portal_time(
        dt.datetime(2026, 12, 2, 0, 3, tzinfo=SHANGHAI), today=DEMO_DAY, started=started
    )
    assert before == dt.datetime(2010, 1, 10, 23, 56, tzinfo=SHANGHAI)
    assert after == dt.datetime(2010, 1, 11, 0, 3, tzinfo=SHANGHAI)
    assert after - before == dt.timedelta(minutes=7)


def test_the_clock_is_monotonic_minute_by_minute_over_two_days():
    started = dt.datetime(2026, 12, 1, 9, 30, tzinfo=SHANGHAI)
    real = [started + dt.timedelta(minutes=m) for m in range(0, 2 * 24 * 60, 7)]
    portal = [clock.portal_time(moment, today=DEMO_DAY, started=started) for moment in real]
    assert all(b - a == dt.timedelta(minutes=7) for a, b in zip(portal, portal[1:], strict=False))
    assert portal[0] == dt.datetime(2010, 1, 10, 9, 30, tzinfo=SHANGHAI)
    assert portal[-1].date() == dt.date(2010, 1, 12)


def test_without_a_portal_date_the_clock_is_real_time():
    moment = dt.datetime(2026, 12, 1, 23, 59, tzinfo=SHANGHAI)
    assert clock.portal_time(moment, today=None, started=moment - dt.timedelta(days=3)) == moment


def test_now_counts_the_days_since_the_run_started(settings):
    """Started yesterday (real time) on the demo day: today the portal is one day later."""
    settings.PORTAL_TODAY = "2010-01-10"
    settings.PORTAL_CLOCK_START = (dt.datetime.now(SHANGHAI) - dt.timedelta(days=1)).isoformat()
    assert clock.today() == dt.date(2010, 1, 11)
    settings.PORTAL_CLOCK_START = dt.datetime.now(SHANGHAI).isoformat()
    assert clock.today() == DEMO_DAY


def test_travel_wins_over_the_portal_date(settings):
    settings.PORTAL_TODAY = "2010-01-10"
    moment = dt.datetime(2009, 10, 5, 12, 0, tzinfo=SHANGHAI)
    with clock.travel(moment):
        assert clock.now() == moment
    assert clock.today() != moment.date()


def test_make_run_gives_every_process_the_same_start():
    """The processes of one `make run` (web server, worker, beat) read the start that
    scripts/run-env.sh exports once, so they agree on the date even when started apart."""
    env = {k: v for k, v in os.environ.items() if k not in ("PORTAL_TODAY", "PORTAL_CLOCK_START")}
    code = (
        "import django; django.setup(); from core import clock; from django.conf import settings; "
        "print(settings.PORTAL_CLOCK_START, clock.today())"
    )
    script = f'source scripts/run-env.sh; for i in 1 2; do {sys.executable} -c "{code}"; sleep 1; done'
    result = subprocess.run(
        ["bash", "-c", script],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "imcs_portal.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    first, second = result.stdout.splitlines()
    assert first == second, result.stderr
    start, today = first.split()
    assert dt.datetime.fromisoformat(start).tzinfo is not None
    assert today == "2010-01-10"
