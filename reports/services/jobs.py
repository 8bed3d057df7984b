"""Jobs: created by a request or the schedule, run by a worker, which reports progress and outcome.

Reliability rests on the row, not on the broker:
- a worker *claims* a job with a conditional update: queued → running, or running whose heartbeat is
  older than the lease (its worker died); each claim counts an attempt;
- the job beats while it works (every progress step), and only the claim that is still current may
  finish it, so a job finishes once even if two workers ran it;
- ``jobs_requeue_stalled`` (beat, every minute) sends again jobs whose message was lost or whose
  worker died; a transient database or broker error puts the job back in the queue for a retry.

Each kind of job registers its handler (``register``, called from ``ReportsConfig.ready``): the
runner knows no handler by name, and the handlers import the runner, never the other way round.
The runner sends its task by name (``RUN_JOB``), so it does not import ``reports.tasks`` either;
``reports/tasks.py`` is the one module that imports the runner to run it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from celery import current_app
from django.conf import settings
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import get_language, gettext, gettext_noop, override
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from core import clock
from reports.choices import JobStatus
from reports.models import Job

logger = logging.getLogger(__name__)

# The Celery task that runs a job (defined in reports/tasks.py under this name).
RUN_JOB = "reports.tasks.run_job"

# Sent after each step of a job is recorded (``job_progress``): ``sender`` is the Job class,
# ``job`` the job, ``percent`` its progress. Nothing in the portal listens; the test suite's slow
# workers do (tests/job_hooks.py), to interrupt a job half-way.
job_step = Signal()


@dataclass(frozen=True)
class JobHandler:
    """What the worker does for one kind of job: ``run`` it (returns the job's result; ``outputs``
    name the job's file fields it fills, recorded with the result), then, once the job is recorded
    as done, ``finished`` (optional: tell someone, tidy up)."""

    run: Callable[[Job], dict]
    finished: Callable[[Job], None] | None = None
    outputs: tuple[str, ...] = ()


HANDLERS: dict[str, JobHandler] = {}


def register(
    kind: str,
    *,
    run: Callable[[Job], dict],
    finished: Callable[[Job], None] | None = None,
    outputs: tuple[str, ...] = (),
) -> None:
    """Say which function runs jobs of ``kind`` (at start-up, from ``ReportsConfig.ready``)."""
    HANDLERS[kind] = JobHandler(run, finished, outputs)


def transient_errors() -> tuple[type[BaseException], ...]:
    """Errors worth a retry: the database or the broker was away for a moment."""
    return (OperationalError, InterfaceError, BrokerError, RedisConnectionError, RedisTimeoutError)


def _send(job_id: int) -> None:
    current_app.send_task(RUN_JOB, args=[job_id])


def job_create(*, owner, kind: str, params: dict, input_file=None) -> Job:
    """Record the job and send it to the worker once the surrounding transaction commits.

    The job keeps the language of the request, so that its messages read as the user reads.
    """
    params = {"language": get_language(), **params}
    job = Job.objects.create(owner=owner, kind=kind, params=params, input_file=input_file or "")
    job_enqueue(job)
    return job


def job_enqueue(job: Job) -> None:
    """Send the job to a worker after the commit. If the broker is away the job stays queued and
    ``jobs_requeue_stalled`` sends it later: a request never fails for want of Redis."""

    def send():
        try:
            _send(job.pk)
        except transient_errors():
            logger.warning("job %s: the broker is unavailable; the watchdog will send it", job.pk)

    transaction.on_commit(send)


def _language(job: Job) -> str:
    """The job's language: a report's own, else the request's that started it, else the portal's."""
    return job.language or job.params.get("language") or settings.LANGUAGE_CODE


def _log(job: Job, message: str, **params) -> None:
    """Add a line to the job's log in the job's language."""
    with override(_language(job)):
        job.log += gettext(message) % params + "\n"


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.JOB_LEASE_SECONDS)


def _silent(stale: dt.datetime) -> Q:
    """No sign of life since ``stale`` (a row from before heartbeats counts as silent)."""
    return Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True)


def job_claim(job_id: int) -> Job | None:
    """Take a queued job, or a running one whose worker stopped beating; None if it is not ours.

    Leases run on the real clock (``timezone.now``), not the portal's, which a demo may shift."""
    now = timezone.now()
    claimable = Q(status=JobStatus.QUEUED) | (Q(status=JobStatus.RUNNING) & _silent(now - _lease()))
    claimed = Job.objects.filter(claimable, pk=job_id).update(
        status=JobStatus.RUNNING,
        started_at=clock.now(),
        heartbeat_at=now,
        progress=0,
        attempts=F("attempts") + 1,
    )
    if claimed != 1:
        return None
    job = Job.objects.get(pk=job_id)
    if job.attempts > 1:
        _log(job, gettext_noop("Attempt %(n)s: the previous one did not finish."), n=job.attempts)
        job.save(update_fields=["log"])
    if job.attempts > settings.JOB_MAX_ATTEMPTS:
        message = gettext_noop("Given up after %(n)s attempts: the worker stopped before the end each time.")
        _log(job, message, n=job.attempts - 1)
        if _finish(job, JobStatus.FAILED, {"error": job.log.rstrip().splitlines()[-1]}):
            job_discard_input(job)  # a file that kept killing the worker is not kept either
        return None
    return job


def job_discard_input(job: Job) -> None:
    """Remove the job's input file from storage (a rejected upload, a failed job): it is not kept."""
    if not job.input_file:
        return
    try:
        job.input_file.delete(save=False)
    except OSError:  # already gone: what matters is that the row no longer points at it
        logger.warning("job %s: could not remove its input file", job.pk)
    Job.objects.filter(pk=job.pk).update(input_file="")


class LeaseLost(Exception):
    """Another worker took the job over (this one was thought dead): this attempt stops."""


def job_progress(job: Job, percent: int, line: str = "") -> None:
    """Record progress; it is also the job's heartbeat, written only while this attempt holds the job."""
    job.progress = percent
    if line:
        job.log += line + "\n"
    held = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).update(
        progress=percent, log=job.log, heartbeat_at=timezone.now()
    )
    if not held:
        raise LeaseLost(job.pk)
    job_step.send(sender=Job, job=job, percent=percent)


def _finish(job: Job, status: str, result: dict, fields: tuple[str, ...] = ()) -> bool:
    """Finish the job if this attempt still holds it (another worker may have reclaimed it)."""
    values = {"status": status, "result": result, "log": job.log, "progress": 100, "finished_at": clock.now()}
    values.update({name: getattr(job, name) for name in fields})
    return (
        Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).update(**values) == 1
    )


def job_run(job_id: int) -> None:
    """Run a job by its kind; a failure is kept on the job with its reason, never lost.

    A transient error puts the job back in the queue and is raised again for Celery to retry.
    """
    job = job_claim(job_id)
    if job is None:
        return
    try:
        handler = HANDLERS[job.kind]
        with override(_language(job)):
            result = handler.run(job)
    except LeaseLost:
        logger.warning("job %s: another worker took it over; this attempt stops", job.pk)
        return
    except transient_errors() as exc:
        _requeue(job, exc)
        raise
    except Exception as exc:  # noqa: BLE001 - the job records why it failed, the user retries
        logger.exception("job %s failed", job.pk)
        job.log += f"{type(exc).__name__}: {exc}\n"
        _finish(job, JobStatus.FAILED, {"error": str(exc)})
        return
    if not _finish(job, JobStatus.SUCCEEDED, result, fields=handler.outputs):
        logger.warning("job %s: another worker took it over; this run's outcome is dropped", job.pk)
    elif handler.finished is not None:
        handler.finished(job)


def _requeue(job: Job, exc: BaseException) -> None:
    """Give the job back to the queue after a transient error (best effort: if the database is
    still away, the job's lease runs out and the watchdog sends it again)."""
    logger.warning("job %s: transient error, will retry: %s", job.pk, exc)
    connection.close()  # a broken connection is not reused
    _log(
        job, gettext_noop("A transient error (%(error)s): the job will be retried."), error=type(exc).__name__
    )
    try:
        Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).update(
            status=JobStatus.QUEUED, log=job.log
        )
    except DatabaseError:
        logger.warning("job %s: could not requeue it now; the watchdog will", job.pk)


def job_retry(job: Job, actor) -> Job:
    """Queue a failed job again (the same row, its log kept). If the same report has been started
    again meanwhile, that live job is the answer: a report is never compiled twice at once."""
    try:
        with transaction.atomic():
            updated = Job.objects.filter(pk=job.pk, status=JobStatus.FAILED).update(
                status=JobStatus.QUEUED, progress=0, attempts=0, result={}, finished_at=None,
                heartbeat_at=timezone.now(),
            )  # fmt: skip
    except IntegrityError:
        return Job.objects.live(job.key).first() or job
    job.refresh_from_db()
    if updated:
        _log(job, gettext_noop("Retried by %(user)s."), user=actor.get_username())
        job.save(update_fields=["log"])
        job_enqueue(job)
    return job


def jobs_requeue_stalled() -> int:
    """Send again every job whose worker stopped beating or whose message never reached one."""
    now = timezone.now()
    stalled = list(
        Job.objects.filter(
            Q(status__in=(JobStatus.QUEUED, JobStatus.RUNNING)) & _silent(now - _lease())
        ).values_list("pk", flat=True)
    )
    # A queued job is sent again at most once per lease, however long the workers are away.
    Job.objects.filter(pk__in=stalled, status=JobStatus.QUEUED).update(heartbeat_at=now)
    for job_id in stalled:
        _send(job_id)
    return len(stalled)
