"""Throughput under gunicorn: ``python bench/load.py OUT.json`` (DATABASE_URL names the database).

Starts gunicorn as the image does (3 sync workers) with bench/settings.py, whose two floors stand
in front of the portal's URLs, and drives it with USERS threads over keep-alive-less http.client
requests for BENCH_LOAD_SECONDS per target: the no-database floor, the signed-in floor, then the
key pages, each as its user (a session made by Django's test client, second factor passed). Reports
requests per second, median and p95, and each worker's RSS after every page was served. The driver
shares the machine's cores with gunicorn and PostgreSQL: the floors pay that cost too, so the
ratios to them are what the goals read.
"""

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from bench.measure import client_for, p95  # noqa: E402
from bench.pages import KEY, PAGES, PLAN  # noqa: E402

USERS = 4
SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "10"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "imcs_portal.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "3",
        "--log-level",
        "warning",
        "--chdir",
        str(ROOT),
    ]
    server = subprocess.Popen(command, env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"})  # noqa: S603
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def drive(port: int, path: str, cookie: str) -> dict:
    """USERS threads requesting ``path`` for SECONDS; every answer must be 200."""
    latencies: list[float] = []
    errors: list[int] = []
    deadline = time.perf_counter() + SECONDS
    headers = {"Host": "127.0.0.1", "Cookie": cookie} if cookie else {"Host": "127.0.0.1"}

    def user():
        while time.perf_counter() < deadline:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            start = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            latencies.append((time.perf_counter() - start) * 1000)
            if response.status != 200:
                errors.append(response.status)
            connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=user) for _ in range(USERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    assert not errors, (path, errors[:5])
    return {"rps": len(latencies) / elapsed, "median": statistics.median(latencies), "p95": p95(latencies)}


def sweep(port: int, cookies: dict[str, str]) -> None:
    """Every page of bench/pages.py, three times each (a connection apiece, so that the workers share
    them), so that the workers' RSS is read after any page, not only the key ones."""
    for _label, method, url, username, _data in PAGES:
        if method != "GET" or "{case}" in url:
            continue
        for _ in range(3):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            connection.request(
                "GET", url.format(plan=PLAN), headers={"Host": "127.0.0.1", "Cookie": cookies[username]}
            )
            connection.getresponse().read()
            connection.close()


def worker_rss(master: int) -> list[float]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
        sizes.append(kb / 1024)
    return sizes


def cookie_of(username: str) -> str:
    return (
        f"{settings.SESSION_COOKIE_NAME}={client_for(username).cookies[settings.SESSION_COOKIE_NAME].value}"
    )


def main(out: str) -> None:
    port = free_port()
    server = start_gunicorn(port)
    try:
        targets = [
            ("floor: no database", "/bench/floor/", ""),
            ("floor: signed in", "/bench/signed-in/", cookie_of("office")),
        ]
        pages = {label: (url, username) for label, _method, url, username, _data in PAGES}
        targets += [(label, pages[label][0].format(plan=PLAN), cookie_of(pages[label][1])) for label in KEY]
        rows = {}
        for label, path, cookie in targets:
            rows[label] = drive(port, path, cookie)
            print(
                f"    {label:24} {rows[label]['rps']:7.1f} req/s  p95 {rows[label]['p95']:7.1f} ms",
                flush=True,
            )
        sweep(port, {username: cookie_of(username) for _label, _m, _u, username, _d in PAGES})
        result = {"load": rows, "worker_rss_mb": worker_rss(server.pid)}
    finally:
        server.terminate()
        server.wait(timeout=30)
    Path(out).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main(sys.argv[1])
