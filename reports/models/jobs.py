"""Background jobs as database rows: status, progress and log, claimed once by one worker."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies import clock
from agencies.choices import Role
from agencies.permissions import EVERYTHING, NOTHING, VIEW, RestrictedQuerySet

from ..choices import JobKind, JobStatus


class JobQuerySet(RestrictedQuerySet):
    def access_filter(self, user, action: str) -> Q:
        if action == VIEW and user.role == Role.ADMIN:
            return EVERYTHING
        return Q(owner_id=user.pk) if action in (VIEW, "change") else NOTHING


class Job(models.Model):
    """A piece of work for the Celery worker, which reports its progress here (NetBox's Job).

    The task claims the row with a conditional update (queued → running); a second worker's claim
    changes no row and does nothing, so a job runs once even if its message is delivered twice.
    """

    kind = models.CharField(_("kind"), max_length=30, choices=JobKind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="jobs"
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

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)
