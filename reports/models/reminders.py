"""Reminders about quarterly reports not submitted: the steps they escalate through (data the
administrator edits) and the reminders sent, one per division, quarter and step, ever."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Division
from core.permissions import ADMINISTER, EVERYTHING, NOTHING, VIEW, RestrictedQuerySet, may
from measures.models import ReportingPeriod
from reports.choices import ReminderRecipient
from reports.models.chain import ChainQuerySet


class ReminderStepQuerySet(RestrictedQuerySet):
    def access_filter(self, user, action: str) -> Q:
        if action == VIEW:
            return EVERYTHING
        return EVERYTHING if may(user, ADMINISTER) else NOTHING

    def active(self):
        return self.filter(active=True)


class ReminderStep(models.Model):
    """One step of the reminders about a division that has not submitted its quarterly report:
    on the day ``days`` after the quarter's deadline (negative: before it), tell ``recipient``.
    Each division is told once per quarter and step."""

    order = models.PositiveSmallIntegerField(_("order"), unique=True)
    days = models.SmallIntegerField(
        _("days after the deadline"),
        validators=[MinValueValidator(-90), MaxValueValidator(180)],
        help_text=_("Negative: before the deadline (-7 is a week before it)."),
    )
    recipient = models.CharField(_("recipient"), max_length=12, choices=ReminderRecipient.choices)
    active = models.BooleanField(_("active"), default=True)

    objects = ReminderStepQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        verbose_name = _("reminder step")
        verbose_name_plural = _("reminder steps")

    def __str__(self) -> str:
        return f"{self.order}. {self.get_recipient_display()} ({self.days:+d})"


class ReportReminder(models.Model):
    """A reminder sent about a division's quarterly report for a quarter: once per step, ever."""

    division = models.ForeignKey(
        Division, verbose_name=_("reporting division"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="+"
    )
    step = models.ForeignKey(
        ReminderStep, verbose_name=_("step"), on_delete=models.PROTECT, related_name="reminders"
    )
    sent_at = models.DateTimeField(_("sent at"))
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)

    objects = ChainQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        # The guarantee that a reminder goes out once: a second worker's insert fails here.
        constraints = [
            models.UniqueConstraint(fields=["division", "period", "step"], name="one_reminder_per_step")
        ]

    def __str__(self) -> str:
        return f"{self.division} · {self.period} · {self.step}"
