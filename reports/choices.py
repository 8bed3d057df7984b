"""Enumerations of the reports app, each value with a label and a colour."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReopenState(models.TextChoices):
    PENDING = "pending", _("Pending")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class ReminderRecipient(models.TextChoices):
    """Whom a step of the reminders tells about a division that has not submitted."""

    DIVISION = "division", _("The reporting division itself")
    LEVEL_ABOVE = "level_above", _("The office of the level above")
    OFFICE = "office", _("The IMCS Office")


class ReportVerdict(models.TextChoices):
    """A division's quarter in the completeness table (the values of ``measures.choices.Timeliness``
    and one more)."""

    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    MISSING = "missing", _("Missing")
    PENDING = "pending", _("Not yet due")
    NOTHING = "nothing", _("Nothing to report")
    NOT_COLLECTED = "not_collected", _("Not collected: the level above reported alone")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")
    SUPERSEDED = "superseded", _("Replaced by a newer compilation")

    @property
    def colour(self) -> str:
        return {
            "queued": "grey",
            "running": "blue",
            "succeeded": "green",
            "failed": "red",
            "superseded": "grey",
        }[self.value]


# A report in one of these states still stands: the same report is not started again beside it.
LIVE_STATES = (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.SUCCEEDED)


class JobKind(models.TextChoices):
    QUARTERLY_UPLOAD = "quarterly_upload", _("Quarterly report spreadsheet")
    QUARTERLY_REPORT = "quarterly_report", _("Quarterly progress report")
    ANNUAL_REPORT = "annual_report", _("Annual report")
    MID_TERM_EVALUATION = "mid_term_evaluation", _("Mid-term evaluation report")
    FINAL_EVALUATION = "final_evaluation", _("Final evaluation report")
    PROVINCE_REPORT = "province_report", _("Province report")
    UNIT_REPORT = "unit_report", _("Unit report")


# Compiled reports: national ones are the Office's; a province's and a unit's are also their own.
NATIONAL_REPORTS = (
    JobKind.QUARTERLY_REPORT,
    JobKind.ANNUAL_REPORT,
    JobKind.MID_TERM_EVALUATION,
    JobKind.FINAL_EVALUATION,
)
EVALUATION_REPORTS = (JobKind.MID_TERM_EVALUATION, JobKind.FINAL_EVALUATION)
REPORT_KINDS = (*NATIONAL_REPORTS, JobKind.PROVINCE_REPORT, JobKind.UNIT_REPORT)
# A report whose files may be downloaded: done, or done and since compiled again.
FINISHED_REPORT_STATES = (JobStatus.SUCCEEDED, JobStatus.SUPERSEDED)
