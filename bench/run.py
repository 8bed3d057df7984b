"""Benchmark: time the main pages and API lists at two data sizes (``make bench``).

Runs against a throw-away test database (SQLite by default, PostgreSQL when DATABASE_URL is set),
loads the plan, signs in as IMCS Office staff and requests each URL REPEAT times; then loads a plan
twice the size and does the same. Prints the median time and the query count per URL, so a
change that makes a page slower or makes its queries grow with the data shows up here. (Pages that
are not per plan show the newest plan, the larger one, in the second run.)
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imcs_portal.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)

REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))
URLS = [
    "/plans/{plan}/",
    "/plans/{plan}/areas/4/",
    "/plans/{plan}/measures/4.1/",
    "/plans/{plan}/units/",
    "/plans/{plan}/units/MCA/",
    "/plans/{plan}/matrix/",
    "/plans/{plan}/matrix.xlsx",
    "/provinces/",
    "/api/measures/?plan={plan}&limit=500",
    "/api/units/",
    "/progress/inbox/",
    "/progress/timeliness/",
    "/reports/quarterly/inbox/?state=all",
    "/reports/completeness/",
    "/reports/indicators/",
    "/reports/dashboard/",
    "/cases/statistics/",
]


def measure(client, plan: str) -> list[tuple[str, float, int]]:
    rows = []
    for template in URLS:
        url = template.format(plan=plan)
        client.get(url)
        timings = []
        for _ in range(REPEAT):
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        rows.append((template, statistics.median(timings), len(queries)))
    return rows


def main() -> None:
    from django.test import Client

    from agencies.models import Agency, User
    from core.choices import Role
    from tests.factories import load_double_plan

    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        call_command("load_divisions", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        call_command("load_plan", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        user = User.objects.create_user(
            "bench", role=Role.OFFICE, agency=Agency.objects.get(code="IMCS_OFFICE")
        )
        client = Client()
        client.force_login(user)
        small = measure(client, "2008-2012")
        big_plan = load_double_plan("bench-x2")
        large = measure(client, big_plan.code)
        print(f"{'URL':44} {'plan ms':>8} {'q':>3} {'2x ms':>8} {'q':>3}  ({REPEAT} runs, median)")
        for (url, t1, q1), (_, t2, q2) in zip(small, large, strict=True):
            flag = "  <- queries grow with data" if q2 > q1 else ""
            print(f"{url:44} {t1:8.1f} {q1:3d} {t2:8.1f} {q2:3d}{flag}")
        print(f"database: {connection.vendor}")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
