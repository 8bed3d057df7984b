"""Enumerations of the reports app, each value with a label and a colour."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReopenState(models.TextChoices):
    PENDING = "pending", _("Pending")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("Before the deadline")
    AFTER = "after", _("After the deadline")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")

    @property
    def colour(self) -> str:
        return {"queued": "grey", "running": "blue", "succeeded": "green", "failed": "red"}[self.value]


class JobKind(models.TextChoices):
    QUARTERLY_UPLOAD = "quarterly_upload", _("Quarterly report spreadsheet")
