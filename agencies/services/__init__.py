"""Writes of the organisation, by topic: ``reference_data`` (loading member units and provinces from
the plan's data files), ``divisions`` (loading editions of the administrative divisions) and
``accounts`` (account safety: API tokens, sign-in lockouts, sign-in
records). The names other apps import are re-exported here."""

from agencies.services.accounts import account_unlock
from agencies.services.reference_data import (
    DataFileError,
    SyncCounts,
    provinces_load,
    required_value,
    row_sync,
    units_sync,
)

__all__ = [
    "DataFileError",
    "SyncCounts",
    "account_unlock",
    "provinces_load",
    "required_value",
    "row_sync",
    "units_sync",
]
