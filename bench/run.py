"""The national-scale benchmark (``make bench``, which starts PostgreSQL: bench/run.sh).

Builds two PostgreSQL databases side by side from one template made as ``make run`` makes its data:
imcs_bench_1x (the demo grown to the 1x size, about 2,000 case files) and imcs_bench_<SCALE>x
(BENCH_SCALE, default 100). Built databases are kept between runs (and migrated to the code's
schema); BENCH_REBUILD=1 builds them anew. Then, each measured in a process of its own: every page
and API list of bench/pages.py at both sizes (bench/measure.py), the national quarterly report's
compilation at both sizes, and throughput under gunicorn at SCALE (bench/load.py). Prints one table
with ratios and flags (bench/table.py) and writes it to bench/results.md.
"""

import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.table import GOALS, compile_rows, load_rows, page_rows  # noqa: E402

PY = str(ROOT / ".venv/bin/python")
PG = os.environ["BENCH_PG"]  # set by bench/run.sh: postgres://postgres@127.0.0.1:<port>
SCALE = int(os.environ.get("BENCH_SCALE", "100"))
REBUILD = os.environ.get("BENCH_REBUILD") == "1"
STATE = Path(os.environ.get("VAR_DIR", ROOT / "var/bench/var"))
TEMPLATE = "imcs_bench_template"


def psql(sql: str, database: str = "postgres") -> str:
    # Our own statements on our own private server (names are the benchmark's constants).
    command = ["psql", f"{PG}/{database}", "-qAtc", sql]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()  # noqa: S603, S607


def python(script: str, *args: str, database: str) -> None:
    env = {**os.environ, "DATABASE_URL": f"{PG}/{database}"}
    subprocess.run([PY, str(ROOT / "bench" / script), *args], check=True, env=env)  # noqa: S603


def migrate(database: str) -> None:
    env = {**os.environ, "DATABASE_URL": f"{PG}/{database}"}
    command = [PY, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"]
    subprocess.run(command, check=True, env=env)  # noqa: S603


def ensure(name: str, scale: int | None) -> float | None:
    """Build ``name`` unless it is kept from an earlier run; return the seconds its build took."""
    marker = STATE / f"built-{name}.json"
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"  # noqa: S608
    if exists and marker.exists() and not REBUILD:
        migrate(name)  # a kept database follows the code's migrations (new indexes): no rebuild
        return json.loads(marker.read_text())["seconds"]
    print(f"Building {name}" + (f" ({scale}x)" if scale else " (migrate, divisions, plan, demo)"), flush=True)
    start = time.perf_counter()
    psql(f"DROP DATABASE IF EXISTS {name}")
    if scale is None:
        psql(f"CREATE DATABASE {name}")
        python("build.py", "demo", database=name)
    else:
        psql(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        python("build.py", "grow", str(scale), database=name)
    seconds = time.perf_counter() - start
    marker.write_text(json.dumps({"seconds": seconds, "scale": scale}))
    return seconds


def measured(mode: str, database: str) -> dict:
    out = STATE / f"{mode}-{database}.json"
    print(f"Measuring {mode} on {database}", flush=True)
    python(
        "measure.py" if mode != "load" else "load.py",
        *([mode] if mode != "load" else []),
        str(out),
        database=database,
    )
    return json.loads(out.read_text())


# The growing tables, counted for the header of the results.
TABLES = (
    "cases_casefile cases_assistanceservice cases_followup cases_referral agencies_auditentry "
    "agencies_changerecord agencies_notification reports_job cases_publicreport agencies_agency agencies_user"
).split()


def size_line(database: str) -> str:
    sql = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM {t}" for t in TABLES)  # noqa: S608 - constants
    counts = sorted((row.split("|") for row in psql(sql, database).split()), key=lambda r: TABLES.index(r[0]))
    return f"{database}: " + ", ".join(f"{table.split('_', 1)[1]} {int(n):,}" for table, n in counts)


def main() -> None:
    STATE.mkdir(parents=True, exist_ok=True)
    large = f"imcs_bench_{SCALE}x"
    builds = {"template": ensure(TEMPLATE, None)}
    builds["1x"] = ensure("imcs_bench_1x", 1)
    builds[f"{SCALE}x"] = ensure(large, SCALE)
    started = time.perf_counter()
    pages = {db: measured("pages", db) for db in ("imcs_bench_1x", large)}
    compiled = {db: measured("compile", db) for db in ("imcs_bench_1x", large)}
    load = measured("load", large)
    run_seconds = time.perf_counter() - started
    lines = [
        f"IMCS Portal benchmark, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, scale {SCALE}x, "
        f"PostgreSQL, {os.cpu_count()} cores, Python {platform.python_version()}",
        size_line("imcs_bench_1x"),
        size_line(large),
        "build: "
        + ", ".join(f"{k} {v / 60:.1f} min" for k, v in builds.items() if v is not None)
        + f"; measuring took {run_seconds / 60:.1f} min",
        "",
        *page_rows(pages["imcs_bench_1x"]["pages"], pages[large]["pages"], SCALE),
        "",
        *load_rows(load["load"], load["worker_rss_mb"], SCALE),
        f"in-process measuring process's peak RSS (all pages): {pages[large]['rss_mb']:.0f} MB",
        "",
        *compile_rows(compiled["imcs_bench_1x"], compiled[large], SCALE),
        "",
        GOALS.replace("SCALE", f"{SCALE}x"),
    ]
    text = "\n".join(lines)
    print("\n" + text)
    (ROOT / "bench/results.md").write_text(
        "# Benchmark results\n\nMade by `make bench` (see README.md, Benchmark).\n\n```\n" + text + "\n```\n"
    )


if __name__ == "__main__":
    main()
