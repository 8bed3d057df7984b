"""Writes of the reports app."""

from reports.services.quarterly import (
    PeriodLocked,
    quarterly_report_accept,
    quarterly_report_reopen,
    quarterly_report_return,
    quarterly_report_save,
    reopen_request_create,
    reopen_request_decide,
)

__all__ = [
    "PeriodLocked",
    "quarterly_report_accept",
    "quarterly_report_reopen",
    "quarterly_report_return",
    "quarterly_report_save",
    "reopen_request_create",
    "reopen_request_decide",
]
