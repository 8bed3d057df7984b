"""`/health/` reports the database, Redis and the Celery workers, against the real services."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_health_reports_database_redis_and_worker(client, celery_worker_process):
    response = client.get("/health/")
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok", "workers": "ok"}


def test_health_fails_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["redis"].startswith("error")
