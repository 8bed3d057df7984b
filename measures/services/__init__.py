"""Writes of the measures app: loading plans (``plan``), the progress workflow (``progress``) and
evaluation rounds (``evaluation``), open work passing to successor units (``lineage``)."""

from measures.services.evaluation import (
    evaluation_round_close,
    evaluation_round_open,
    office_assessment_save,
    self_assessment_save,
    self_assessment_submit,
)
from measures.services.lineage import unit_changes_apply
from measures.services.plan import periods_sync, plan_load, plan_validate, quarter_bounds, read_data_file
from measures.services.progress import (
    progress_entry_accept,
    progress_entry_return,
    progress_entry_save,
    progress_entry_submit,
)

__all__ = [
    "evaluation_round_close",
    "evaluation_round_open",
    "office_assessment_save",
    "periods_sync",
    "plan_load",
    "plan_validate",
    "progress_entry_accept",
    "progress_entry_return",
    "progress_entry_save",
    "progress_entry_submit",
    "quarter_bounds",
    "read_data_file",
    "self_assessment_save",
    "self_assessment_submit",
    "unit_changes_apply",
]
