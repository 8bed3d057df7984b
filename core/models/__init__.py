"""The machinery's models: reviewed records (abstract), change history, notifications, audit log."""

from core.models.audit import AUDIT_ACTIONS, AuditEntry, AuditShown
from core.models.history import ChangeRecord
from core.models.notifications import Notification
from core.models.reviewed import ReviewedRecord

__all__ = ["AUDIT_ACTIONS", "AuditEntry", "AuditShown", "ChangeRecord", "Notification", "ReviewedRecord"]
