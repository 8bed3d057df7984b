"""Celery tasks of the reports app: each takes ids, and calls a service."""

import datetime as dt

from celery import shared_task

from agencies import clock

from .services.jobs import job_run
from .services.reminders import reminders_send


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def run_job(job_id: int) -> None:
    job_run(job_id)


@shared_task
def send_report_reminders(today: str | None = None) -> int:
    """Daily: remind provinces that have not submitted, before and after each deadline (once each).

    ``today`` (ISO date) runs the day's reminders for another day, e.g. to catch up after an outage.
    """
    return reminders_send(today=dt.date.fromisoformat(today) if today else clock.today())
