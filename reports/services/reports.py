"""Compiled reports: started once per report, period, scope and language; compiled by the worker
into a PDF and an XLSX from the same content; downloaded by whoever may read that content."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agencies import notify
from agencies.choices import Role

from ..choices import JobKind, JobStatus
from ..compiled.build import build
from ..compiled.pdf import render_pdf
from ..compiled.spec import ReportSpec
from ..compiled.xlsx import render_xlsx
from ..models import Job
from .jobs import job_enqueue, job_progress


def report_start(*, actor, spec: ReportSpec) -> tuple[Job, bool]:
    """Queue the report, unless the same one is queued, running or done: then (that job, False).

    ``actor`` is None when the schedule starts it. The unique constraint on the key decides a race.
    """
    live = Job.objects.filter(key=spec.key).exclude(status=JobStatus.FAILED)
    existing = live.first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            job = Job.objects.create(owner=actor, **spec.job_fields())
    except IntegrityError:
        return live.get(), False
    job_enqueue(job)
    return job, True


def spec_of(job: Job) -> ReportSpec:
    return ReportSpec(
        kind=job.kind,
        plan=job.period.plan,
        period=job.period,
        language=job.language,
        province=job.province,
        unit=job.unit,
    )


def reports_schedule(today) -> list[Job]:
    """The quarterly reports due today: national, in the portal's language, for each quarter whose
    deadline passed REPORT_DAYS_AFTER_DEADLINE days ago (or more: a day the schedule missed is
    caught up; a report already compiled is not compiled again)."""
    from django.conf import settings

    from measures.models import ReportingPeriod

    from ..choices import JobKind
    from ..compiled.spec import ReportSpec

    cutoff = today - dt.timedelta(days=settings.REPORT_DAYS_AFTER_DEADLINE)
    started = []
    for period in ReportingPeriod.objects.filter(
        deadline__lte=cutoff, deadline__gt=cutoff - dt.timedelta(days=settings.REPORT_CATCH_UP_DAYS)
    ).select_related("plan"):
        spec = ReportSpec(JobKind.QUARTERLY_REPORT, period.plan, period, settings.LANGUAGE_CODE)
        job, created = report_start(actor=None, spec=spec)
        if created:
            started.append(job)
    return started


def _store(field, name: str, content: bytes) -> None:
    """Write the file under a fixed name: a second attempt replaces the first one's file."""
    storage = field.storage
    path = field.field.generate_filename(field.instance, name)
    if storage.exists(path):
        storage.delete(path)
    field.save(name, ContentFile(content), save=False)


def report_compile(job: Job) -> dict:
    """The worker's part (in the report's language): read, lay out, store, tell whoever asked."""
    spec = spec_of(job)
    report = build(spec, lambda percent, line: job_progress(job, percent, line))
    job_progress(job, 80, _("Writing the spreadsheet"))
    xlsx = render_xlsx(report)
    job_progress(job, 85, _("Laying out the PDF"))
    pdf = render_pdf(report)
    job_progress(job, 95, _("Storing the files"))
    base = spec.key.replace(":", "_")
    _store(job.pdf, f"{base}.pdf", pdf)
    _store(job.xlsx, f"{base}.xlsx", xlsx)
    recipients = [job.owner] if job.owner else list(notify.people(role=Role.OFFICE))
    notify.notify(
        recipients,
        title=gettext_noop("Report ready: %(report)s %(period)s"),
        params={"report": JobKind(job.kind).label, "period": spec.span_code},
        link=reverse("reports:job", kwargs={"pk": job.pk}),
    )
    return {"title": report.title, "sections": [section.title for section in report.sections]}
