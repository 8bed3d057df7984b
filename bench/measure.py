"""Measure one benchmark database in-process: ``python bench/measure.py pages|compile OUT.json``.

``pages``: each page of bench/pages.py through django.test.Client as its user (the second factor
passed in the session, as tests/personas.py signs in), one warm-up request then BENCH_REPEAT timed
ones: the query count, the median and p95 server time and the median summed SQL time (every query's
time, taken by a connection.execute_wrapper). ``compile``: the national quarterly report compiled
as the worker runs it (reports.services.jobs.job_run: claim, compile (read, lay out, XLSX, PDF), finish)
in a process of its own, so that its peak RSS is the report worker's. Run by bench/run.py with
DATABASE_URL naming the database.
"""

import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imcs_portal.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from agencies import two_factor  # noqa: E402
from agencies.models import User  # noqa: E402
from bench.pages import PAGES, PLAN  # noqa: E402
from cases.models import CaseFile  # noqa: E402
from measures.models import ReportingPeriod  # noqa: E402
from reports.choices import JobKind, JobStatus  # noqa: E402
from reports.models import Job  # noqa: E402
from reports.services.compiled.spec import ReportSpec  # noqa: E402
from reports.services.jobs import job_run  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))
QUARTER = os.environ.get("BENCH_QUARTER", "2009Q4")


class SqlTimer:
    """Adds up the time of every query run through the connection (an execute_wrapper)."""

    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    session = client.session
    session[two_factor.SESSION_KEY] = True
    session.save()
    return client


def fill(text: str, values: dict) -> str:
    return text.format(**values)


def measure_page(client, method, url, data) -> dict:
    send = client.post if method == "POST" else client.get
    response = send(url, data) if data else send(url)
    assert response.status_code == 200, (url, response.status_code)
    times, sql = [], []
    for _ in range(REPEAT):
        timer = SqlTimer()
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(timer):
            response = send(url, data) if data else send(url)
        times.append((time.perf_counter() - start) * 1000)
        sql.append(timer.seconds * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return {
        "q": len(queries),
        "median": statistics.median(times),
        "p95": p95(times),
        "sql": statistics.median(sql),
    }


def pages() -> dict:
    case = CaseFile.objects.filter(owner_agency__code="MCA-530100").order_by("pk").first()
    values = {"plan": PLAN, "case": case.number, "doc": case.id_number}
    clients: dict[str, Client] = {}
    rows = {}
    for label, method, url, username, data in PAGES:
        client = clients.setdefault(username, client_for(username))
        data = {k: fill(v, values) for k, v in data.items()} if data else None
        cache.clear()  # each page's first request, as after a deploy; the timed ones may hit the cache
        rows[label] = measure_page(client, method, fill(url, values), data)
        print(f"    {label:24} {rows[label]['q']:4d} q {rows[label]['median']:8.1f} ms", flush=True)
    return {"pages": rows, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def compile_report() -> dict:
    period = ReportingPeriod.objects.with_code(QUARTER).select_related("plan").get()
    spec = ReportSpec(JobKind.QUARTERLY_REPORT, period.plan, period, "zh-hans")
    Job.objects.live(spec.key).update(status=JobStatus.SUPERSEDED)  # one left by an earlier run
    job = Job.objects.create(owner=User.objects.get(username="office"), **spec.job_fields())
    start = time.perf_counter()
    job_run(job.pk)  # as the worker's task runs it: claim, compile in the report's language, finish
    seconds = time.perf_counter() - start
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.log
    Job.objects.filter(pk=job.pk).update(status=JobStatus.SUPERSEDED)  # the next run compiles anew
    return {"compile_s": seconds, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


if __name__ == "__main__":
    mode, out = sys.argv[1], sys.argv[2]
    result = pages() if mode == "pages" else compile_report()
    Path(out).write_text(json.dumps(result, indent=1))
