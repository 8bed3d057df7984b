"""The reports app's models: quarterly reports (their parts, totals, reopenings, reminders,
baselines), the reporting chain below the province, and jobs."""

from reports.models.chain import CollectingDivision, LockException, NothingToReport
from reports.models.jobs import Job
from reports.models.quarterly import (
    ProvinceBaseline,
    QuarterlyNarrative,
    QuarterlyReport,
    QuarterlyTotal,
    QuarterlyValue,
    ReopenRequest,
)
from reports.models.reminders import ReminderStep, ReportReminder

__all__ = [
    "CollectingDivision",
    "Job",
    "LockException",
    "NothingToReport",
    "ProvinceBaseline",
    "QuarterlyNarrative",
    "QuarterlyReport",
    "QuarterlyTotal",
    "QuarterlyValue",
    "ReminderStep",
    "ReopenRequest",
    "ReportReminder",
]
