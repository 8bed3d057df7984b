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
