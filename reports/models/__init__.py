from .jobs import Job
from .quarterly import (
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
