"""The machinery's models: reviewed records (abstract), change history, notifications, audit log."""

from core.models.audit import AUDIT_ACTIONS, AUDIT_CHANNELS, AuditEntry
from core.models.history import CHANGE_ACTIONS, CHANGE_FIELDS, ChangeRecord
from core.models.notifications import Notification
from core.models.reviewed import ReviewedRecord

__all__ = [
    "AUDIT_ACTIONS",
    "AUDIT_CHANNELS",
    "CHANGE_ACTIONS",
    "CHANGE_FIELDS",
    "AuditEntry",
    "ChangeRecord",
    "Notification",
    "ReviewedRecord",
]
