"""The spreadsheet path's job: check a filled-in quarterly template cell by cell, save it if asked."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from agencies.workflow import WorkflowError
from measures.models import ReportingPeriod

from ..models import Job, QuarterlyReport
from ..spreadsheets import FIGURES_SHEET, Problem, read_workbook
from .jobs import job_progress
from .quarterly import check_figures, quarterly_report_save, require_open


def quarterly_upload_check(job: Job) -> dict:
    """Check a filled-in template cell by cell; save it only if asked and nothing is wrong."""
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
