"""Member units of the Joint Conference and provincial-level divisions."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.choices import ProvinceKind
from core.bilingual import Localized
from core.permissions import ReferenceDataQuerySet


class MemberUnit(models.Model):
    """A unit that can carry responsibility under a plan.

    The 28 member units of the Joint Conference (Part Three of the plan), in the plan's order, and
    the IMCS Office, which is responsible for some measures but is not a member.
    """

    code = models.SlugField(_("code"), max_length=16, unique=True)
    seq = models.PositiveSmallIntegerField(_("order in the plan"), default=0)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=200)
    is_member = models.BooleanField(_("member of the Joint Conference"), default=True)
    is_lead = models.BooleanField(_("lead unit"), default=False)

    objects = ReferenceDataQuerySet.as_manager()

    name = Localized()

    class Meta:
        ordering = ["-is_member", "seq", "code"]
        verbose_name = _("member unit")
        verbose_name_plural = _("member units")
        constraints = [
            models.UniqueConstraint(fields=["is_lead"], condition=Q(is_lead=True), name="one_lead_unit"),
        ]

    def __str__(self) -> str:
        return self.name


class Province(models.Model):
    """A provincial-level division (GB/T 2260), with its anti-trafficking office."""

    code = models.CharField(_("GB/T 2260 code"), max_length=6, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=ProvinceKind.choices)
    is_key_area = models.BooleanField(_("key area"), default=False)
    is_origin = models.BooleanField(_("origin area"), default=False)
    is_destination = models.BooleanField(_("destination area"), default=False)

    objects = ReferenceDataQuerySet.as_manager()

    name = Localized()

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name
