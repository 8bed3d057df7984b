"""A compiled report survives its worker: killed in the middle of a job, a restarted worker finishes
it once (no loss, no duplicate); a database connection lost mid-job is retried.

These tests run their own worker processes (no other worker runs during this module), slowed down by
a test-only hook (tests/job_hooks.py) so that they can be interrupted mid-job.
"""

import datetime as dt
import os
import signal
import time

import pytest
from django.db import connection
from django.utils import timezone

from core.models import Notification
from measures.models import Plan
from reports.choices import JobKind, JobStatus
from reports.models import Job
from reports.services.compiled.spec import report_spec
from reports.services.jobs import jobs_requeue_stalled
from tests.compiled import known_data, pdf_text, start
from tests.fixtures import start_worker, stop_worker
from tests.jobs import wait_for_progress, wait_until

pytestmark = pytest.mark.django_db(transaction=True)
LEASE = 4


def test_a_worker_killed_mid_job_leaves_exactly_one_finished_report(persona, settings):
    settings.JOB_LEASE_SECONDS = LEASE
    office = known_data(persona)
    doomed = start_worker("doomed", step_delay=1, JOB_LEASE_SECONDS=str(LEASE))
    try:
        job = start(office, JobKind.QUARTERLY_REPORT)
        wait_for_progress(job, 25)
    finally:
        os.killpg(doomed.pid, signal.SIGKILL)  # no warm shutdown: the job is cut off mid-way
        doomed.wait(timeout=30)
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.attempts == 1 and not job.pdf

    restarted = start_worker("restarted", JOB_LEASE_SECONDS=str(LEASE))
    try:
        time.sleep(LEASE + 1)  # the dead worker's heartbeat runs out
        assert jobs_requeue_stalled() == 1  # what beat's watchdog does every minute
        wait_until(job, JobStatus.SUCCEEDED)
        assert jobs_requeue_stalled() == 0
    finally:
        stop_worker(restarted)
    job.refresh_from_db()
    assert job.attempts == 2 and "第 2 次尝试" in job.log
    assert "季度进展报告" in pdf_text(job.pdf.read())
    # One report: its two files (the interrupted attempt's are gone), one notification.
    stored = {
        os.path.relpath(os.path.join(folder, name), settings.MEDIA_ROOT)
        for folder, _dirs, names in os.walk(os.path.join(settings.MEDIA_ROOT, "reports", str(job.pk)))
        for name in names
    }
    assert stored == {job.pdf.name, job.xlsx.name}
    assert Notification.objects.filter(user=office, link__endswith=f"/jobs/{job.pk}/").count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="terminates a PostgreSQL backend")
def test_a_lost_database_connection_mid_job_is_retried(persona):
    office = known_data(persona)
    worker = start_worker("flaky", step_delay=1)
    try:
        job = start(office, JobKind.QUARTERLY_REPORT, language="en")
        wait_for_progress(job, 5)
        with connection.cursor() as cursor:  # the database drops the worker's connection
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                "AND backend_type = 'client backend'"
            )
            assert cursor.fetchall()
        wait_until(job, JobStatus.SUCCEEDED)
    finally:
        stop_worker(worker)
    job.refresh_from_db()
    assert "transient error" in job.log and job.attempts == 2
    assert "Quarterly progress report" in pdf_text(job.pdf.read())


def test_a_job_whose_message_never_reached_the_broker_is_sent_by_the_watchdog(persona, settings):
    """As when Redis was down at the moment the request committed: the job row waits, queued."""
    settings.JOB_LEASE_SECONDS = LEASE
    office = known_data(persona)
    spec = report_spec(
        office, plan=Plan.objects.get(), kind=JobKind.ANNUAL_REPORT, period="2009", language="en"
    )
    long_ago = timezone.now() - dt.timedelta(seconds=LEASE + 1)
    job = Job.objects.create(owner=office, heartbeat_at=long_ago, **spec.job_fields())  # no message sent
    worker = start_worker("watchdog")
    try:
        assert jobs_requeue_stalled() == 1
        assert jobs_requeue_stalled() == 0  # sent once per lease, not every minute
        wait_until(job, JobStatus.SUCCEEDED)
    finally:
        stop_worker(worker)
    assert job.attempts == 1 and "Annual report" in pdf_text(job.pdf.read())
