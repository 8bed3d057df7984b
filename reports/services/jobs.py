"""Jobs: created by a request, run once by a worker, which reports progress and the outcome."""

from __future__ import annotations

import logging
import traceback

from django.conf import settings
from django.db import transaction
from django.utils.translation import get_language, override

from agencies import clock

from ..choices import JobKind, JobStatus
from ..models import Job

logger = logging.getLogger(__name__)


def job_create(*, owner, kind: str, params: dict, input_file=None) -> Job:
    """Record the job and send it to the worker once the surrounding transaction commits.

    The job keeps the language of the request, so that its messages read as the user reads.
    """
    from ..tasks import run_job  # the task module imports the services

    params = {"language": get_language(), **params}
    job = Job.objects.create(owner=owner, kind=kind, params=params, input_file=input_file or "")
    transaction.on_commit(lambda: run_job.delay(job.pk))
    return job


def job_claim(job_id: int) -> Job | None:
    """Move a queued job to running; None if another worker has it already (or it is done)."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=clock.now(), progress=0
    )
    return Job.objects.get(pk=job_id) if claimed == 1 else None


def job_progress(job: Job, percent: int, line: str = "") -> None:
    job.progress = percent
    fields = ["progress"]
    if line:
        job.log += line + "\n"
        fields.append("log")
    job.save(update_fields=fields)


def job_run(job_id: int) -> None:
    """Run a job by its kind; a failure is kept on the job with its reason, never lost."""
    job = job_claim(job_id)
    if job is None:
        return
    handlers = {JobKind.QUARTERLY_UPLOAD: _quarterly_upload}
    try:
        with override(job.params.get("language") or settings.LANGUAGE_CODE):
            job.result = handlers[job.kind](job)
        job.status = JobStatus.SUCCEEDED
    except Exception as exc:  # noqa: BLE001 - the job records why it failed, the user retries
        logger.exception("job %s failed", job.pk)
        job.status = JobStatus.FAILED
        job.log += f"{type(exc).__name__}: {exc}\n"
        job.result = {"error": str(exc), "trace": traceback.format_exc(limit=3)}
    job.progress = 100
    job.finished_at = clock.now()
    job.save(update_fields=["status", "result", "log", "progress", "finished_at"])


def _quarterly_upload(job: Job) -> dict:
    """Check a filled-in template cell by cell; save it only if asked and nothing is wrong."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from agencies.workflow import WorkflowError
    from measures.models import ReportingPeriod

    from ..models import QuarterlyReport
    from ..spreadsheets import FIGURES_SHEET, Problem, read_workbook
    from .quarterly import check_figures, quarterly_report_save, require_open

    period = ReportingPeriod.objects.get(pk=job.params["period_id"])
    with job.input_file.open("rb") as upload:
        parsed = read_workbook(upload, period, progress=lambda percent: job_progress(job, percent))
    if not parsed.problems:
        try:
            check_figures(period, parsed.values, submitting=False, warnings_comment="")
        except ValidationError as error:
            for code, messages in error.message_dict.items():
                for message in messages:
                    parsed.problems.append(Problem(FIGURES_SHEET, parsed.figure_rows.get(code), "C", message))
    # Even a check says whether the report could be saved now: a locked quarter, a submitted report.
    try:
        require_open(job.owner.province, period)
        existing = QuarterlyReport.objects.filter(province=job.owner.province, period=period).first()
        if existing and not existing.is_editable:
            raise WorkflowError(
                _("This report is %(state)s and can no longer be changed.")
                % {"state": existing.get_state_display()}
            )
    except WorkflowError as error:
        parsed.problems.insert(0, Problem("", None, "", str(error)))
    saved = False
    if not parsed.problems and not job.params.get("dry_run", True):
        try:
            quarterly_report_save(
                actor=job.owner,
                period=period,
                values=parsed.values,
                narratives=parsed.narratives,
                version=None,
            )
            saved = True
        except (ValidationError, WorkflowError) as error:
            for message in getattr(error, "messages", [str(error)]):
                parsed.problems.append(Problem("", None, "", message))
    return {
        "problems": [vars(p) for p in parsed.problems],
        "figures": len([v for v in parsed.values.values() if v is not None]),
        "narratives": len([t for t in parsed.narratives.values() if t]),
        "saved": saved,
    }
