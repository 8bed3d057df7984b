"""Shared fixtures, registered for every test by the root conftest.py.

The plan loaded once, personas, signed-in test and API clients, a fresh token throttle and a real
Celery worker. Headless Chromium is in tests/browser.py, the portal's date in tests/dates.py.
"""

import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation
from rest_framework.test import APIClient

from agencies import two_factor
from agencies.api.views import TokenThrottle
from core import statistics_cache
from imcs_portal.celery import app as celery_app
from measures.models import Plan
from tests.jobs import wait_for
from tests.personas import PERSONAS, make_persona

ROOT = Path(__file__).resolve().parent.parent


def ensure_plan_loaded() -> None:
    """The divisions (every edition) and the plan, as ``make run`` loads them."""
    if not Plan.objects.filter(code="2008-2012").exists():
        call_command("load_divisions", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        call_command("load_plan", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the plan once into the test database; tests roll back on top of it."""
    with django_db_blocker.unblock():
        ensure_plan_loaded()


@pytest.fixture
def plan(db):
    # Transactional tests flush the database after themselves: load again where needed.
    ensure_plan_loaded()
    return Plan.objects.get(code="2008-2012")


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def language_put_back():
    """Each test ends in the language it began in: a request in English activates English in the
    test thread (LocaleMiddleware), which would otherwise carry over into the next test."""
    before = translation.get_language()
    yield
    translation.activate(before)


@pytest.fixture(autouse=True)
def case_statistics_anew():
    """Each test's case statistics are of its own data: the cache (Redis) outlives the test's
    database, which is rolled back, and a statistic kept from another test would be of files that
    are gone (in use, data is never rolled back under a kept statistic)."""
    statistics_cache.forget()


@pytest.fixture
def english():
    """Messages in English for the test (the portal speaks Chinese by default)."""
    with translation.override("en"):
        yield


def in_english(client):
    """The client (test or API) as a user who chose English with the language switch (its cookie)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def persona(plan):
    """``persona("liaison_mca")`` returns that user, created on first use."""
    cache = {}

    def get(name: str):
        if name not in cache:
            cache[name] = make_persona(name)
        return cache[name]

    return get


@pytest.fixture
def office(persona):
    """The IMCS Office's persona, who reviews most of what the tests file."""
    return persona("office")


@pytest.fixture
def client_as(client, persona):
    """``client_as("office")``: Django's test client signed in as that persona."""

    def login(name: str):
        client.force_login(persona(name))
        session = client.session
        session[two_factor.SESSION_KEY] = True  # the second factor, where the role needs it, is passed
        session.save()
        return client

    return login


@pytest.fixture
def api_as(persona):
    """``api_as("office")``: a DRF API client authenticated as that persona (None: anonymous)."""

    def make(name: str | None):
        api = APIClient()
        if name:
            api.force_authenticate(persona(name))
        return api

    return make


# The addresses the sign-in tests sign in from (the test client's, the live server's, and named ones).
TEST_ADDRESSES = ("127.0.0.1", "::1", "192.0.2.1", "192.0.2.44", "198.51.100.2", "198.51.100.7")
TEST_ADDRESSES += ("198.51.100.8", "203.0.113.7", "203.0.113.9")


@pytest.fixture
def fresh_token_throttle():
    """The test starts with no token requests counted against its addresses (the throttle counts in
    Redis, which outlives a test), and leaves none for the tests after it. A module of sign-in tests
    asks for it with ``pytest.mark.usefixtures("fresh_token_throttle")``."""
    keys = [TokenThrottle.cache_format % {"scope": "auth_token", "ident": ip} for ip in TEST_ADDRESSES]
    cache.delete_many(keys)
    yield
    cache.delete_many(keys)


ALL_PERSONAS = list(PERSONAS)


def start_worker(name: str, *, step_delay: float = 0, **overrides: str) -> subprocess.Popen:
    """Start a real Celery worker process on the test Redis and the test database, and wait until it
    answers. ``overrides`` are settings from the environment (e.g. JOB_LEASE_SECONDS="4");
    ``step_delay`` slows each step of a job by that many seconds (tests/job_hooks.py), so that a
    test can interrupt it half-way."""
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: run the suite with `make test`")
    env = dict(os.environ)
    database = settings.DATABASES["default"]
    env["DATABASE_URL"] = (
        f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    )
    env.update(overrides)
    hooks = []
    if step_delay:
        env["JOB_STEP_DELAY"] = str(step_delay)
        hooks = ["--include", "tests.job_hooks"]
    log = open(Path(os.environ.get("VAR_DIR", tempfile.gettempdir())) / f"celery-{name}.log", "a")  # noqa: SIM115
    node = f"{name}-{os.getpid()}@%h"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "imcs_portal",
            "worker",
            "--pool=solo",
            "-l",
            "info",
            "-n",
            node,
            *hooks,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: a test may kill it outright
    )
    log.close()
    expected = node.replace("%h", socket.gethostname())

    def answers() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"Celery worker exited with {process.returncode}; see {log.name}")
        return expected in (celery_app.control.inspect(timeout=1).ping() or {})

    try:  # no pause between pings: each waits up to a second for the answer
        wait_for(answers, timeout=60, message="Celery worker did not answer within 60 s", interval=0)
    except AssertionError:
        process.kill()
        raise
    return process


def stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=60)


@pytest.fixture(scope="module")
def celery_worker_process(django_db_setup, django_db_blocker):
    """A real Celery worker for the tests of one module (so a module may run its own workers)."""
    process = start_worker("worker")
    yield process
    stop_worker(process)
