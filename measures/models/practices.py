"""The library of good practices (1.(5) and the Joint Conference's function 5: 组织交流各地区、各有关
部门的工作经验和有关成果). A member unit or a province proposes a practice, with its title and
summary in Chinese and English where given, its area and measures, its province and attachments;
the Office reviews it (the reviewed-record skeleton: accepting it publishes it) and every signed-in
user reads the published ones.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import MemberUnit, Province
from core.bilingual import Localized
from core.choices import EDITABLE_STATES, SHARED_STATES, ReviewState
from core.models import ReviewedRecord
from core.models.attachments import StoredFile, UploadedBy, stored_name
from core.permissions import (
    ADD,
    CHANGE,
    NOTHING,
    READ_ALL_SUBMITTED,
    VIEW,
    RestrictedQuerySet,
    is_active_user,
    may,
)
from measures.models.owners import owned_q, owner_columns_q
from measures.models.plan import Area, Measure


class GoodPracticeQuerySet(RestrictedQuerySet):
    def access_filter(self, user, action: str) -> Q:
        own = owned_q(user)
        if action == VIEW:
            seen = own | Q(state=ReviewState.ACCEPTED) if is_active_user(user) else own
            if may(user, READ_ALL_SUBMITTED):
                seen |= Q(state__in=SHARED_STATES)
            return seen
        if action in (ADD, CHANGE):
            return own & Q(state__in=EDITABLE_STATES) if own is not NOTHING else NOTHING
        return NOTHING

    def published(self):
        return self.filter(state=ReviewState.ACCEPTED)

    def search(self, text: str):
        """Practices whose title or summary holds ``text`` anywhere, in either language: Chinese
        has no spaces between words, so any run of characters matches, not only whole words."""
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(title_zh__icontains=text)
            | Q(title_en__icontains=text)
            | Q(summary_zh__icontains=text)
            | Q(summary_en__icontains=text)
        )


class GoodPractice(ReviewedRecord):
    """A practice proposed by a member unit or a province; published once the Office accepts it."""

    unit = models.ForeignKey(
        MemberUnit,
        verbose_name=_("member unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="good_practices",
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="good_practices",
    )
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    summary_zh = models.TextField(_("summary (Chinese)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="good_practices"
    )
    measures = models.ManyToManyField(
        Measure, verbose_name=_("measures"), related_name="good_practices", blank=True
    )
    practice_province = models.ForeignKey(
        Province,
        verbose_name=_("province where it is practised"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = GoodPracticeQuerySet.as_manager()

    title = Localized()
    summary = Localized()

    class Meta:
        ordering = ["-published_at", "-updated_at", "-pk"]
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        constraints = [
            models.CheckConstraint(condition=owner_columns_q(), name="good_practice_one_owner"),
            models.CheckConstraint(
                condition=~Q(title_zh="") | ~Q(title_en=""), name="good_practice_has_a_title"
            ),
        ]
        indexes = [models.Index(fields=["state", "-published_at"])]

    def __str__(self) -> str:
        return self.title or self.title_en

    @property
    def owner(self):
        return self.unit if self.unit_id else self.province

    @property
    def state_label(self) -> str:
        """Accepted by the Office means published, as the library's readers say it."""
        return str(_("Published")) if self.state == ReviewState.ACCEPTED else self.get_state_display()

    @property
    def is_late(self) -> bool:
        return False  # a practice has no deadline


class PracticeAttachmentQuerySet(RestrictedQuerySet):
    def access_filter(self, user, action: str) -> Q:
        practices = GoodPractice.objects.restrict(user, VIEW if action == VIEW else CHANGE)
        return Q(practice__in=practices.values("pk"))


def practice_attachment_path(instance: PracticeAttachment, filename: str) -> str:
    return stored_name("practices", filename)


class PracticeAttachment(StoredFile, UploadedBy):
    """A file that shows a practice (a report, photos, a local regulation)."""

    practice = models.ForeignKey(
        GoodPractice, verbose_name=_("good practice"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=practice_attachment_path, max_length=255)

    objects = PracticeAttachmentQuerySet.as_manager()

    class Meta(StoredFile.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
