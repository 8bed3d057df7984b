"""What every stored attachment holds (a plan's document, a practice's files, a public report's
evidence): the file under MEDIA_ROOT, which no web server serves, its original name kept apart,
and what ``core.uploads.check_document`` found (type, size, SHA-256)."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def stored_name(folder: str, filename: str) -> str:
    """A stored name that says nothing: ``folder/<random>.pdf`` (the original name is a column)."""
    return f"{folder}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class StoredFile(models.Model):
    """An uploaded file checked as evidence files are; a subclass says where (``upload_to``) and
    whose it is (its foreign key). Files go out only through a view that checks the reader's
    rights."""

    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class UploadedBy(models.Model):
    """The signed-in user who uploaded a file (a public report's evidence has none)."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True
