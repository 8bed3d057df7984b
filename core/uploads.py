"""Checks on uploaded files: kind by content (not by name alone), size, emptiness."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class FileKind:
    extensions: tuple[str, ...]
    content_type: str


KINDS = {
    ".pdf": FileKind((".pdf",), "application/pdf"),
    ".png": FileKind((".png",), "image/png"),
    ".jpg": FileKind((".jpg", ".jpeg"), "image/jpeg"),
    ".jpeg": FileKind((".jpg", ".jpeg"), "image/jpeg"),
    ".docx": FileKind((".docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": FileKind((".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".pptx": FileKind(
        (".pptx",), "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    ),
    ".doc": FileKind((".doc",), "application/msword"),
    ".xls": FileKind((".xls",), "application/vnd.ms-excel"),
    ".ppt": FileKind((".ppt",), "application/vnd.ms-powerpoint"),
}
OOXML_PART = {".docx": "word/", ".xlsx": "xl/", ".pptx": "ppt/"}
ALLOWED_LABEL = "PDF, PNG, JPEG, Word, Excel, PowerPoint"


def _content_matches(extension: str, head: bytes, upload) -> bool:
    if extension == ".pdf":
        return head.startswith(b"%PDF-")
    if extension == ".png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in (".jpg", ".jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension in (".doc", ".xls", ".ppt"):
        return head.startswith(OLE)
    if extension in OOXML_PART:
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            upload.seek(0)
            names = zipfile.ZipFile(upload).namelist()
        except zipfile.BadZipFile:
            return False
        return "[Content_Types].xml" in names and any(n.startswith(OOXML_PART[extension]) for n in names)
    return False


def check_document(upload, *, max_bytes: int) -> tuple[str, str]:
    """Refuse an empty, too large or unexpected file; return its content type and SHA-256.

    The message names the file, so a user who attached several knows which one is wrong.
    """
    name = Path(upload.name).name
    extension = Path(name).suffix.lower()
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    if upload.size > max_bytes:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files may be at most %(max)s.")
            % {"name": name, "size": filesizeformat(upload.size), "max": filesizeformat(max_bytes)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    if extension not in KINDS or not _content_matches(extension, head, upload):
        raise ValidationError(
            _(
                "“%(name)s” is not an accepted kind of file (%(kinds)s), "
                "or its content does not match its name."
            )
            % {"name": name, "kinds": ALLOWED_LABEL},
            code="file_type",
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return KINDS[extension].content_type, digest.hexdigest()
