"""Counting what a page costs the database, for tests that a page's queries do not grow with its data."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import statistics_cache


def page_queries(client, url: str) -> int:
    """The number of queries of ``url`` opened a second time by ``client`` (it must answer 200): the
    first request of a session costs its own queries (the session, the user, the caches). What the
    first request computed and kept (``statistics_cache``) is forgotten before the second, so that
    the count is of the page's own work, not of a value read back."""
    client.get(url)
    statistics_cache.forget()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)
