"""The reports app's models: quarterly reports (their parts, reopenings, reminders, baselines) and jobs."""

from reports.models.jobs import Job
from reports.models.quarterly import (
    ProvinceBaseline,
    QuarterlyNarrative,
    QuarterlyReport,
    QuarterlyValue,
    ReopenRequest,
    ReportReminder,
)

__all__ = [
    "Job",
    "ProvinceBaseline",
    "QuarterlyNarrative",
    "QuarterlyReport",
    "QuarterlyValue",
    "ReopenRequest",
    "ReportReminder",
]
