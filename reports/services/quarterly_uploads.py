"""The quarterly spreadsheet's job (its handler, registered in ``ReportsConfig.ready``): check a
filled-in quarterly template cell by cell, save it if asked."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.workflow import WorkflowError, no_longer_editable
from measures.models import ReportingPeriod
from reports.models import Job, QuarterlyReport
from reports.models.chain import reporter_division
from reports.services.jobs import LeaseLost, job_discard_input, job_progress, transient_errors
from reports.services.quarterly import check_figures, quarterly_report_save, require_open
from reports.services.quarterly_workbook import FIGURES_SHEET, ParsedWorkbook, Problem, read_workbook


def quarterly_upload_check(job: Job) -> dict:
    """Check a filled-in template cell by cell; save it only if asked and nothing is wrong.

    A rejected file is not kept, nor is the file of a job that failed: only a file that passed the
    check stays with its job. A lost lease or a transient error keeps it, for the attempt that follows.
    """
    try:
        result = _check(job)
    except (LeaseLost, *transient_errors()):
        raise
    except Exception:
        job_discard_input(job)
        raise
    if result["problems"]:
        job_discard_input(job)
    return result


def _read(job: Job, period: ReportingPeriod) -> ParsedWorkbook:
    if job.input_file:
        try:
            with job.input_file.open("rb") as upload:
                return read_workbook(
                    upload,
                    period,
                    progress=lambda percent: job_progress(job, percent),
                    division=reporter_division(job.owner),
                )
        except FileNotFoundError:
            pass
    parsed = ParsedWorkbook()
    parsed.add(Problem("", None, "", _("The uploaded file is no longer kept: upload it again.")))
    return parsed


def _check(job: Job) -> dict:
    period = ReportingPeriod.objects.get(pk=job.params["period_id"])
    parsed = _read(job, period)
    # The rules are checked over every cell that could be read, so that one pass lists every problem:
    # a cell in error is left out of them (a rule needing it holds no opinion), not the whole check.
    try:
        check_figures(period, parsed.values, submitting=False, warnings_comment="")
    except ValidationError as error:
        for code, messages in error.message_dict.items():
            for message in messages:
                parsed.add(Problem(FIGURES_SHEET, parsed.figure_rows.get(code), "C", message))
    # Even a check says whether the report could be saved now: a locked quarter, a submitted report.
    try:
        division = reporter_division(job.owner)
        require_open(division, period)
        existing = QuarterlyReport.objects.filter(division=division, period=period).first()
        if existing and not existing.is_editable:
            raise WorkflowError(no_longer_editable(existing))
    except WorkflowError as error:
        parsed.add(Problem("", None, "", str(error)), first=True)
    saved = False
    if not parsed.rejected and not job.params.get("dry_run", True):
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
                parsed.add(Problem("", None, "", message))
    return {
        "problems": [vars(p) for p in parsed.problems],
        "problems_more": parsed.more,  # found but not listed: the list is bounded
        "figures": len([v for v in parsed.values.values() if v is not None]),
        "narratives": len([t for t in parsed.narratives.values() if t]),
        "saved": saved,
    }
