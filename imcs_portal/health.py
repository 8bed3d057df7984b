"""``/health/``: is the database reachable, and the broker (Redis) where one is configured."""

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from imcs_portal.celery import app


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as exc:  # noqa: BLE001 - report any failure, never raise from a probe
        return f"error: {type(exc).__name__}"


def _redis() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
        return "ok"
    except redis.RedisError as exc:
        return f"error: {type(exc).__name__}"


def _workers(redis_state: str) -> str:
    """Whether at least one Celery worker answers a ping (needs a broker that broadcasts: Redis)."""
    if redis_state == "not configured":
        return "not checked (the filesystem broker cannot ping workers)"
    if redis_state != "ok":
        return "not checked"
    replies = app.control.inspect(timeout=1.0).ping() or {}
    return "ok" if replies else "error: no worker answered"


@never_cache
def health(request):
    redis_state = _redis()
    checks = {"database": _database(), "redis": redis_state, "workers": _workers(redis_state)}
    healthy = all(not value.startswith("error") for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)
