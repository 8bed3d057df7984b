"""The cache of costly reads, each computed once per change of the data it reads: the case
statistics (``CASES``: case files and the services given), the statistics of the reports from the
public (``PUBLIC_REPORTS``), the menus, read rules and lineages built from the plan's structure and
the organisation (``PLAN``), and the dashboards (``PROGRESS``: progress, quarterly reports and the
coordination records, and the structure they are counted in).

A token in the cache names the current state of a domain's data. Every write of that data renews
it when it happens and again when its transaction commits (so that a value read between the two is
not kept): the cases app's services call ``data_changed()``; every save and delete of the plan's
models does (``reports.signals``). A report from the public renews only its own domain: the
public writes often, and the case statistics' cube costs seconds to protect at national scale.
A value is cached under the token, and read from the cache until the next write. A write made
outside them (a bulk update, a shell) is caught by the time limit below at the latest.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.db import transaction

CASES = "cases"
PUBLIC_REPORTS = "public-reports"
PLAN = "plan"
PROGRESS = "progress"
DOMAINS = (CASES, PUBLIC_REPORTS, PLAN, PROGRESS)
KEEP_SECONDS = 600


def _state_key(domain: str) -> str:
    return f"{domain}:statistics-token"


def _renewer(domain: str):
    return lambda: cache.set(_state_key(domain), uuid.uuid4().hex, None)


def forget() -> None:
    """Every kept value is of data that may be gone (the tests' database is rolled back)."""
    for domain in DOMAINS:
        _renewer(domain)()


def data_changed(domain: str = CASES) -> None:
    """Call in the transaction that writes the domain's data."""
    renew = _renewer(domain)
    renew()
    transaction.on_commit(renew)


def _token(domain: str) -> str:
    key = _state_key(domain)
    token = cache.get(key)
    if token is None:
        cache.add(key, uuid.uuid4().hex, None)
        token = cache.get(key) or uuid.uuid4().hex  # a cache that keeps nothing: never reuse
    return token


def cached(name: str, compute, *, domain: str = CASES):
    """The value ``name`` (which names everything it depends on beside the domain's data: a
    threshold, a reader, a language) for the domain's data as it is: from the cache, or computed by
    ``compute()`` and kept."""
    key = f"{domain}:statistics:{name}:{_token(domain)}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, KEEP_SECONDS)
    return value


@checks.register(checks.Tags.caches, deploy=True)
def shared_cache_check(app_configs, **kwargs):
    """In production the tokens and kept values must be in one cache every process shares: with
    the in-process one, a write in one web worker (or the worker) renews only its own token, and the
    others read what they kept for up to KEEP_SECONDS."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.DEBUG or not backend.endswith("LocMemCache"):
        return []
    return [
        checks.Warning(
            "The cache is in-process: values kept until their data changes are kept per process.",
            hint="Set REDIS_URL, as docker-compose.yml does, when more than one process serves the portal.",
            id="imcs.W001",
        )
    ]
