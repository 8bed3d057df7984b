"""What every record sent to the IMCS Office for review holds, and who sees its parts; the models of
progress entries and quarterly reports build on it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.choices import EDITABLE_STATES, ReviewState
from core.permissions import CHANGE, VIEW, RestrictedQuerySet


class ReviewedRecord(models.Model):
    """What every record sent to the IMCS Office for review holds (a unit's progress entry, a
    province's quarterly report): its state, the Office's comment, who did what when, and a
    ``version`` that grows with every save so that a second person saving over it is refused.

    A subclass has a ``period`` (a reporting period) whose deadline tells lateness.
    """

    state = models.CharField(
        _("state"), max_length=20, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    review_comment = models.TextField(_("comment of the Office"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), on_delete=models.PROTECT, related_name="+"
    )
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def is_late(self) -> bool:
        """First submitted after the period's deadline (a resubmission keeps the first's timeliness)."""
        return bool(self.first_submitted_at and self.first_submitted_at > self.period.deadline_end)

    @property
    def state_label(self) -> str:
        """The state as the record's people say it (a type may word one of its states otherwise)."""
        return self.get_state_display()

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def is_resubmission(self) -> bool:
        """Submitted again after the Office returned it."""
        return bool(
            self.first_submitted_at and self.submitted_at and self.submitted_at > self.first_submitted_at
        )


class RecordPartQuerySet(RestrictedQuerySet):
    """The rows that belong to a reviewed record (its figures, narratives, evidence files): seen
    with the record, and changed by whoever may change it. A subclass names ``record_field``, the
    rows' foreign key to their record."""

    record_field = "record"

    def access_filter(self, user, action: str) -> Q:
        records = self.model._meta.get_field(self.record_field).related_model.objects
        visible = records.restrict(user, VIEW if action == VIEW else CHANGE)
        return Q(**{f"{self.record_field}__in": visible.values("pk")})
