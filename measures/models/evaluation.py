"""Evaluation rounds (Part Five of the plan): units assess their measures, the Office assesses each.

A round is opened by the IMCS Office (a mid-term or a final evaluation); each responsible unit of a
measure writes and submits its self-assessment; the Office writes its own assessment of the measure;
closing the round freezes all of it. Writes go through ``measures.services.evaluation``.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import MemberUnit
from core.bilingual import Localized
from core.permissions import (
    ADD,
    CHANGE,
    EVERYTHING,
    LOG_PROGRESS,
    NOTHING,
    READ_ALL_SUBMITTED,
    REVIEW,
    TAKE_PART_IN_EVALUATION,
    VIEW,
    RestrictedQuerySet,
    may,
)
from measures.choices import EvaluationKind, EvaluationRating, EvaluationState, ResponsibilityRole
from measures.models.plan import Measure, Plan


class EvaluationRoundQuerySet(RestrictedQuerySet):
    def access_filter(self, user, action: str) -> Q:
        """Those who take part in an evaluation see its rounds; the Office opens and closes them."""
        if action == VIEW:
            return EVERYTHING if may(user, TAKE_PART_IN_EVALUATION) else NOTHING
        if action in (ADD, CHANGE) and may(user, REVIEW):
            return EVERYTHING
        return NOTHING


class EvaluationRound(models.Model):
    """A mid-term or final evaluation of a plan, opened and closed by the IMCS Office.

    Closing freezes the round: the services refuse every later save of its assessments, and they
    check the round's state on its locked row, so a save cannot slip in while it closes.
    """

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="evaluation_rounds"
    )
    kind = models.CharField(_("kind of evaluation"), max_length=20, choices=EvaluationKind.choices)
    # In both languages, as every name in the portal; a round opened before English titles were
    # kept has none, and reads in Chinese (the authoritative text) on English pages.
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    opens_on = models.DateField(_("opens on"))
    due_on = models.DateField(_("self-assessments due on"))
    state = models.CharField(
        _("state"), max_length=10, choices=EvaluationState.choices, default=EvaluationState.OPEN
    )
    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = EvaluationRoundQuerySet.as_manager()

    title = Localized()

    class Meta:
        ordering = ["plan", "opens_on", "pk"]
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "kind", "title_zh"], name="evaluation_round_unique_title"
            ),
            # One round of each kind open at a time: units never wonder which one to answer.
            models.UniqueConstraint(
                fields=["plan", "kind"], condition=Q(state="open"), name="evaluation_round_one_open_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("opens_on")), name="evaluation_round_due_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(state="open", closed_at__isnull=True)
                | Q(state="closed", closed_at__isnull=False),
                name="evaluation_round_closed_at_iff_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state == EvaluationState.OPEN


class SelfAssessmentQuerySet(RestrictedQuerySet):
    def access_filter(self, user, action: str) -> Q:
        """The readers of all see every submitted self-assessment; a unit's liaison officer writes and
        sees the unit's own, until it is submitted or the round closes."""
        if action == VIEW:
            if may(user, READ_ALL_SUBMITTED):
                # A draft belongs to its unit until submitted, as with progress entries.
                return Q(submitted_at__isnull=False)
            if may(user, LOG_PROGRESS):
                return Q(unit_id=user.unit_id)
            return NOTHING
        if action in (ADD, CHANGE) and may(user, LOG_PROGRESS):
            return Q(unit_id=user.unit_id, submitted_at__isnull=True, round__state=EvaluationState.OPEN)
        return NOTHING

    def with_details(self):
        return self.select_related("round", "measure__area", "unit", "updated_by")


def self_assessment_path(instance: "SelfAssessment", filename: str) -> str:
    # Under MEDIA_ROOT, which no web server serves: the file goes out only through a gated view.
    suffix = Path(filename).suffix.lower()
    return f"evaluation/{instance.round_id}/{instance.unit.code}/{uuid.uuid4().hex}{suffix}"


class SelfAssessment(models.Model):
    """A responsible unit's assessment of one measure in one round: rating, narrative, evidence.

    A draft until the unit submits it; then the Office sees it and the unit can no longer change it.
    ``version`` grows with every save, so a second person saving over a changed one is refused.
    """

    round = models.ForeignKey(
        EvaluationRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="self_assessments"
    )
    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.PROTECT, related_name="self_assessments"
    )
    unit = models.ForeignKey(
        MemberUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="self_assessments"
    )
    rating = models.CharField(_("rating"), max_length=20, choices=EvaluationRating.choices, blank=True)
    narrative = models.TextField(_("narrative"), blank=True)
    evidence = models.FileField(
        _("evidence file"), upload_to=self_assessment_path, max_length=255, blank=True
    )
    evidence_name = models.CharField(_("file name"), max_length=255, blank=True)
    evidence_type = models.CharField(_("type"), max_length=100, blank=True)
    evidence_size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True)
    evidence_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    objects = SelfAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["round", "measure__seq", "unit__seq"]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "measure", "unit"], name="self_assessment_unique_round_measure_unit"
            ),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | ~Q(rating=""), name="self_assessment_submitted_rated"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.measure.ref} · {self.unit.code}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class OfficeAssessmentQuerySet(RestrictedQuerySet):
    def access_filter(self, user, action: str) -> Q:
        """The Office, auditors and administrators see every assessment; once a round is closed, a
        liaison officer sees the Office's assessment of the measures their unit is responsible for."""
        if action == VIEW:
            if may(user, READ_ALL_SUBMITTED):
                return EVERYTHING
            if may(user, LOG_PROGRESS) and user.unit_id:
                return Q(
                    round__state=EvaluationState.CLOSED,
                    measure__responsibilities__unit_id=user.unit_id,
                    measure__responsibilities__role=ResponsibilityRole.RESPONSIBLE,
                )
            return NOTHING
        if action in (ADD, CHANGE) and may(user, REVIEW):
            return Q(round__state=EvaluationState.OPEN)
        return NOTHING


class OfficeAssessment(models.Model):
    """The IMCS Office's assessment of one measure in one round."""

    round = models.ForeignKey(
        EvaluationRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="office_assessments"
    )
    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.PROTECT, related_name="office_assessments"
    )
    rating = models.CharField(_("rating"), max_length=20, choices=EvaluationRating.choices)
    comment = models.TextField(_("comment of the Office"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"))

    objects = OfficeAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["round", "measure__seq"]
        verbose_name = _("Office assessment")
        verbose_name_plural = _("Office assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "measure"], name="office_assessment_unique_round_measure"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.measure.ref}"
