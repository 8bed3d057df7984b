"""Waiting, in tests, for what a Celery worker does: a job to finish or reach a step, or any effect.

Every wait polls until its condition holds and fails with an assertion naming what it waited for
once its time is up.
"""

import time
from collections.abc import Callable

from reports.choices import JobStatus
from reports.models import Job


def wait_for(
    done: Callable[[], object], *, timeout: float, message: str | Callable[[], str], interval: float = 0.2
):
    """Poll ``done()`` every ``interval`` seconds until it is true (and return what it returned);
    past ``timeout`` seconds the test fails with ``message`` (a callable is asked at that moment,
    so that it can say how things stand)."""
    deadline = time.monotonic() + timeout
    while True:
        if result := done():
            return result
        assert time.monotonic() < deadline, message() if callable(message) else message
        time.sleep(interval)


def wait_until(job: Job, *statuses: str, timeout: float = 90) -> Job:
    """The job, read again, once it has one of ``statuses`` (by default: finished, either way)."""
    wanted = statuses or (JobStatus.SUCCEEDED, JobStatus.FAILED)

    def reached() -> bool:
        job.refresh_from_db()
        return job.status in wanted

    wait_for(
        reached, timeout=timeout, message=lambda: f"job {job.pk} still {job.status}: {job.log}", interval=0.3
    )
    return job


def wait_for_progress(job: Job, percent: int, timeout: float = 60) -> None:
    """Until the job runs and has done at least ``percent``; a job that ends (or fails) first fails
    the test with its log."""

    def reached() -> bool:
        job.refresh_from_db()
        if job.status == JobStatus.RUNNING and job.progress >= percent:
            return True
        assert job.status in (JobStatus.QUEUED, JobStatus.RUNNING), job.log
        return False

    wait_for(reached, timeout=timeout, message=lambda: f"job {job.pk} at {job.progress}%: {job.log}")
