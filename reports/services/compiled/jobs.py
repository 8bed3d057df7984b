"""Compiled reports as jobs: started once per report, period, scope and language; compiled by the
worker (the handler of every report kind, registered in ``ReportsConfig.ready``) into a PDF and an
XLSX from the same content; downloaded by whoever may read that content."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core import notify
from core.permissions import REVIEW
from measures.models import ReportingPeriod
from reports.choices import JobKind, JobStatus
from reports.models import Job
from reports.services.compiled.build import build
from reports.services.compiled.pdf import render_pdf
from reports.services.compiled.spec import ReportSpec
from reports.services.compiled.xlsx import render_xlsx
from reports.services.jobs import job_enqueue, job_progress


def report_start(*, actor, spec: ReportSpec, again: bool = False) -> tuple[Job, bool]:
    """Queue the report, unless the same one is queued, running or done: then (that job, False).

    ``again`` compiles a finished report anew (its data may have changed since): the finished one
    is marked superseded in the same transaction. ``actor`` is None when the schedule starts it.
    The unique constraint on the key decides races.
    """
    try:
        with transaction.atomic():
            if again:  # a queued or running one is dropped too: its claim or its finish finds it gone
                Job.objects.live(spec.key).update(status=JobStatus.SUPERSEDED)
            existing = Job.objects.live(spec.key).first()
            if existing:
                return existing, False
            job = Job.objects.create(owner=actor, **spec.job_fields())
    except IntegrityError:
        return Job.objects.live(spec.key).first(), False
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


def reports_schedule(today: dt.date) -> list[Job]:
    """The quarterly reports due today: national, in each language, for each quarter whose deadline
    passed REPORT_DAYS_AFTER_DEADLINE days ago (or up to REPORT_CATCH_UP_DAYS more: a day the
    schedule missed is caught up). A report compiled before that day (e.g. on request, before
    the deadline) is superseded; one compiled since is not compiled again."""
    cutoff = today - dt.timedelta(days=settings.REPORT_DAYS_AFTER_DEADLINE)
    started = []
    for period in ReportingPeriod.objects.filter(
        deadline__lte=cutoff, deadline__gt=cutoff - dt.timedelta(days=settings.REPORT_CATCH_UP_DAYS)
    ).select_related("plan"):
        due = period.deadline + dt.timedelta(days=settings.REPORT_DAYS_AFTER_DEADLINE)
        for language, _name in settings.LANGUAGES:
            spec = ReportSpec(JobKind.QUARTERLY_REPORT, period.plan, period, language)
            existing = Job.objects.live(spec.key).first()
            early = existing is not None and timezone.localtime(existing.created_at).date() < due
            job, created = report_start(actor=None, spec=spec, again=early)
            if created:
                started.append(job)
    return started


def _store(field, name: str, content: bytes) -> None:
    """Write the file in this attempt's folder (replacing what an interrupted run of the same
    attempt left there)."""
    storage = field.storage
    path = field.field.generate_filename(field.instance, name)
    if storage.exists(path):
        storage.delete(path)
    field.save(name, ContentFile(content), save=False)


def report_compile(job: Job) -> dict:
    """The worker's part (in the report's language): read, lay out, store."""
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
    return {"title": report.title, "sections": [section.title for section in report.sections]}


def report_finished(job: Job) -> None:
    """After the job is recorded as done (once): drop the files of interrupted attempts, and tell
    whoever asked (the Office, for a scheduled report)."""
    storage = job.pdf.storage
    folder = f"reports/{job.pk}"
    if storage.exists(folder):
        for attempt in storage.listdir(folder)[0]:
            if attempt != str(job.attempts):
                for name in storage.listdir(f"{folder}/{attempt}")[1]:
                    storage.delete(f"{folder}/{attempt}/{name}")
    recipients = [job.owner] if job.owner else list(notify.people_with(REVIEW))
    notify.notify(
        recipients,
        title=gettext_noop("Report ready: %(report)s %(period)s (%(language)s)"),
        params={
            "report": JobKind(job.kind).label,
            "period": spec_of(job).label_in_each_language,
            "language": dict(settings.LANGUAGES)[job.language],
        },
        link=reverse("reports:job", kwargs={"pk": job.pk}),
    )
