"""Build a benchmark database (DATABASE_URL names it): ``python bench/build.py demo`` prepares it
as ``make run`` does (migrate, the divisions, the plan, every demo command), the template of both
sizes; ``python bench/build.py grow SCALE`` then multiplies the growing tables (bench/generate.py) in
a copy of it. Run by bench/run.py, which keeps what it built (BENCH_REBUILD=1 builds anew).
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imcs_portal.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench.generate import grow  # noqa: E402

DEMO = [
    "create_demo_users",
    "create_demo_progress",
    "create_demo_evaluation",
    "create_demo_quarterly",
    "create_demo_cases",
    "create_demo_coordination",
    "create_demo_public_reports",
]


def demo() -> None:
    quiet = open(os.devnull, "w")  # noqa: SIM115 - for the whole run
    start = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False, stdout=quiet)
    call_command("load_divisions", stdout=quiet)
    call_command("load_plan", stdout=quiet)
    for command in DEMO:
        call_command(command, force=True, stdout=quiet)
    call_command("send_reminders", stdout=quiet)
    print(f"  demo data        {time.perf_counter() - start:6.1f} s", flush=True)


def grown(scale: int) -> None:
    start = time.perf_counter()
    grow(scale)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # fresh statistics, as a database that grew slowly has
    print(f"  built in         {time.perf_counter() - start:6.1f} s", flush=True)


if __name__ == "__main__":
    demo() if sys.argv[1] == "demo" else grown(int(sys.argv[2]))
