"""Celery tasks of the reports app: each takes ids or dates, and calls a service."""

import datetime as dt

from celery import shared_task

from core import clock
from reports.services.compiled.jobs import reports_schedule
from reports.services.jobs import RUN_JOB, job_run, jobs_requeue_stalled, transient_errors
from reports.services.reminders import reminders_send


@shared_task(
    name=RUN_JOB,
    autoretry_for=transient_errors(),
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=False,
    max_retries=8,
)
def run_job(job_id: int) -> None:
    """Run a job; a transient database or broker error retries it (the job is queued again)."""
    job_run(job_id)


@shared_task
def requeue_stalled_jobs() -> int:
    """Every minute: send again the jobs whose worker died or whose message was lost."""
    return jobs_requeue_stalled()


@shared_task
def compile_scheduled_reports(today: str | None = None) -> int:
    """Daily: compile each quarter's national report some days after its deadline (once)."""
    return len(reports_schedule(dt.date.fromisoformat(today) if today else clock.today()))


@shared_task
def send_report_reminders(today: str | None = None) -> int:
    """Daily: remind about the reporting divisions that have not submitted, step by step (the
    division, the level above, the IMCS Office: ``ReminderStep``), once per quarter and step.

    ``today`` (ISO date) runs the day's reminders for another day, e.g. to catch up after an outage.
    """
    return reminders_send(today=dt.date.fromisoformat(today) if today else clock.today())
