"""Helpers for tests of progress logging: entries made through the services, files of each kind."""

import datetime as dt
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core import clock
from measures import services
from measures.demo import pdf_bytes
from measures.models import Measure, ReportingPeriod

PLAN = "2008-2012"


def period(code: str) -> ReportingPeriod:
    year, quarter = code.split("Q")
    return ReportingPeriod.objects.get(plan__code=PLAN, year=int(year), quarter=int(quarter))


def edit_url(ref: str, period_code: str) -> str:
    """The address of the page that logs (or edits) a measure's progress for a period."""
    return reverse("measures:entry_edit", kwargs={"plan": PLAN, "period": period_code, "ref": ref})


def measure(ref: str) -> Measure:
    return Measure.objects.get(plan__code=PLAN, ref=ref)


def at(day: str, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour)))


def pdf(name: str = "report.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(name), "application/pdf")


def docx(name: str = "report.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue(), "application/octet-stream")


def log_entry(user, ref: str, period_code: str, *, when: str = "2009-10-05", submit=False, **fields):
    """An entry saved (and optionally submitted) by ``user`` on the given day."""
    values = {"status": "on_track", "narrative": "本季度工作进展顺利。", "figures": {}, "version": None}
    values.update(fields)
    with clock.travel(at(when)):
        return services.progress_entry_save(
            actor=user, measure=measure(ref), period=period(period_code), submit=submit, **values
        )
