"""Writes of the measures app: loading plans (``plan``) and the progress workflow (``progress``)."""

from agencies.workflow import EditConflict, WorkflowError

from .plan import periods_sync, plan_load, plan_validate, quarter_bounds, read_data_file
from .progress import (
    progress_entry_accept,
    progress_entry_return,
    progress_entry_save,
    progress_entry_submit,
)

__all__ = [
    "EditConflict",
    "WorkflowError",
    "periods_sync",
    "plan_load",
    "plan_validate",
    "progress_entry_accept",
    "progress_entry_return",
    "progress_entry_save",
    "progress_entry_submit",
    "quarter_bounds",
    "read_data_file",
]
