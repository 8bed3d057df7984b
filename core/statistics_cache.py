"""The cache of the case statistics: each is computed once per change of the data it counts.

A token in the cache names the current state of the counted data (case files and the services
given). Every write of that data, through the cases app's services, renews it when it happens and
again when its transaction commits (so that a statistic read between the two is not kept); a
statistic is cached under the token, and read from the cache until the next write. A write made outside the
services (the admin site, a shell) is caught by the time limit below at the latest.
"""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import transaction

STATE_KEY = "cases:statistics-token"
KEEP_SECONDS = 600


def _renew() -> None:
    cache.set(STATE_KEY, uuid.uuid4().hex, None)


def forget() -> None:
    """Every kept statistic is of data that may be gone (the tests' database is rolled back)."""
    _renew()


def data_changed() -> None:
    """Call in the transaction that writes a case file or a service."""
    _renew()
    transaction.on_commit(_renew)


def _token() -> str:
    token = cache.get(STATE_KEY)
    if token is None:
        cache.add(STATE_KEY, uuid.uuid4().hex, None)
        token = cache.get(STATE_KEY) or uuid.uuid4().hex  # a cache that keeps nothing: never reuse
    return token


def cached(name: str, threshold: int, compute):
    """The statistic ``name`` at ``threshold`` for the data as it is: from the cache, or computed
    by ``compute()`` and kept."""
    key = f"cases:statistics:{name}:{threshold}:{_token()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, KEEP_SECONDS)
    return value
