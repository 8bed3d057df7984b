"""Background jobs as database rows: status, progress and log, claimed by one worker at a time."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from agencies.models import MemberUnit, Province
from core import clock
from core.permissions import (
    ADMINISTER,
    EVERYTHING,
    LOG_PROGRESS,
    NOTHING,
    READ_ALL_SUBMITTED,
    REPORT_QUARTERLY,
    REVIEW,
    VIEW,
    RestrictedQuerySet,
    may,
)
from measures.models import ReportingPeriod
from measures.models.progress import year_label
from reports.choices import LIVE_STATES, REPORT_KINDS, JobKind, JobStatus


def output_path(instance: "Job", filename: str) -> str:
    """One folder per attempt: an attempt never overwrites the files of another."""
    return f"reports/{instance.pk}/{instance.attempts}/{filename}"


def report_period_label(kind: str, period: ReportingPeriod) -> str:
    """What a report is of, as people write it in the active language: 2009年第四季度 (2009 Q4);
    the year for an annual report (2009年)."""
    return year_label(period.year) if kind == JobKind.ANNUAL_REPORT else str(period)


class JobQuerySet(RestrictedQuerySet):
    """A user sees the jobs they started, and the compiled reports whose content they may read:
    the Office, auditors and administrators every report, a province its own, a unit its own.
    Those who may start a report may also retry it."""

    def access_filter(self, user, action: str) -> Q:
        # One's own jobs, except reports: those follow the scope of the user's role today.
        own = Q(owner_id=user.pk) & ~Q(kind__in=REPORT_KINDS)
        if action == VIEW and may(user, ADMINISTER):
            return EVERYTHING
        if action not in (VIEW, "change"):
            return NOTHING
        if may(user, REVIEW) or (action == VIEW and may(user, READ_ALL_SUBMITTED)):
            return own | Q(kind__in=REPORT_KINDS)
        if may(user, REPORT_QUARTERLY) and user.province_id:
            return own | Q(kind=JobKind.PROVINCE_REPORT, province_id=user.province_id)
        if may(user, LOG_PROGRESS) and user.unit_id:
            return own | Q(kind=JobKind.UNIT_REPORT, unit_id=user.unit_id)
        return own

    def reports(self):
        return self.filter(kind__in=REPORT_KINDS)

    def live(self, key: str):
        """The jobs of that report that stand (queued, running or done): at most one, by constraint."""
        return self.filter(key=key, status__in=LIVE_STATES)


class Job(models.Model):
    """A piece of work for the Celery worker, which reports its progress here (NetBox's Job).

    A worker claims the row with a conditional update (queued → running, or running with a heartbeat
    older than the lease: its worker died); a second claim changes no row and does nothing. Only the
    claim that is still current may finish the job, so a job finishes once even if it ran twice.
    A compiled report's ``key`` names what it compiles (kind, period, scope, language): one that is
    queued, running or done is never started twice. Compiling it again (on request, or by the
    schedule after an early compilation) marks the previous one *superseded*; it stays readable.
    """

    kind = models.CharField(_("kind"), max_length=30, choices=JobKind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        related_name="jobs",
        null=True,
        blank=True,
        help_text=_("Empty when the portal's schedule started it."),
    )
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    input_file = models.FileField(_("input file"), upload_to="jobs/input/", blank=True, max_length=255)
    result = models.JSONField(_("result"), default=dict, blank=True)
    log = models.TextField(_("log"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True, default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # What a compiled report covers
    key = models.CharField(_("report key"), max_length=200, blank=True)
    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("period"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    unit = models.ForeignKey(
        MemberUnit, verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=output_path, blank=True, max_length=255)
    xlsx = models.FileField(_("spreadsheet"), upload_to=output_path, blank=True, max_length=255)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        constraints = [
            # The guarantee that a report is not compiled twice: a second insert fails here.
            models.UniqueConstraint(
                fields=["key"],
                condition=~Q(key="") & Q(status__in=LIVE_STATES),
                name="one_live_job_per_report",
            )
        ]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @cached_property
    def period_label(self) -> str:
        """The quarter the job is about as people write it: 2009年第四季度 (2009 Q4); a year for an
        annual report (2009年)."""
        if self.period_id is None:  # a spreadsheet check names its quarter in its parameters
            period = ReportingPeriod.objects.with_code(self.params.get("period", "")).first()
            return str(period) if period else ""
        return report_period_label(self.kind, self.period)

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.SUPERSEDED)

    @property
    def is_report(self) -> bool:
        return self.kind in REPORT_KINDS
