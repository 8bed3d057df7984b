"""Cooperation agreements (2.(3)): the registry of letters of intent, agreements and memoranda that
provinces sign with each other, above all the main origin and destination provinces, by the end of
2008 (the milestone ``province_cooperation_letters_2008``), and, for area 5, with other countries
or international organisations.

Every user who follows the plan reads the registry; the Office and the reporting officers of a
party province's own office record and change an agreement.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Province
from core.bilingual import Localized
from core.models.attachments import stored_name
from core.permissions import (
    ADD,
    CHANGE,
    EVERYTHING,
    FOLLOW_THE_PLAN,
    NOTHING,
    REVIEW,
    VIEW,
    RestrictedQuerySet,
    may,
)
from measures.choices import AgreementKind, AgreementStatus, ForeignPartyKind
from measures.models.owners import owner_of
from measures.models.plan import Measure


class CooperationAgreementQuerySet(RestrictedQuerySet):
    def access_filter(self, user, action: str) -> Q:
        if action == VIEW:
            return EVERYTHING if may(user, FOLLOW_THE_PLAN) else NOTHING
        if action in (ADD, CHANGE):
            if may(user, REVIEW):
                return EVERYTHING
            owner = owner_of(user)
            if owner and owner.province_id:
                return Q(parties__province_id=owner.province_id)
        return NOTHING

    def signed_by(self, date):
        """Agreements signed on or before ``date`` and not terminated (an expired one was signed)."""
        return self.filter(signed_on__lte=date).exclude(status=AgreementStatus.TERMINATED)


def agreement_document_path(instance: CooperationAgreement, filename: str) -> str:
    return stored_name("agreements", filename)


class CooperationAgreement(models.Model):
    """An agreement between provinces, or of a province with a country or an international
    organisation: its parties, kind, date signed, document, measures and status."""

    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices)
    signed_on = models.DateField(_("signed on"))
    status = models.CharField(
        _("status"), max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.IN_FORCE
    )
    summary = models.TextField(_("summary"), blank=True)
    measures = models.ManyToManyField(
        Measure, verbose_name=_("measures it serves"), related_name="agreements", blank=True
    )
    document = models.FileField(_("document"), upload_to=agreement_document_path, max_length=255, blank=True)
    document_name = models.CharField(_("document's file name"), max_length=255, blank=True)
    document_type = models.CharField(_("document's type"), max_length=100, blank=True)
    document_sha256 = models.CharField(_("document's SHA-256"), max_length=64, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = CooperationAgreementQuerySet.as_manager()

    title = Localized()

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        indexes = [models.Index(fields=["signed_on"])]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} {self.signed_on}"


class AgreementPartyQuerySet(RestrictedQuerySet):
    def access_filter(self, user, action: str) -> Q:
        agreements = CooperationAgreement.objects.restrict(user, VIEW if action == VIEW else CHANGE)
        return Q(agreement__in=agreements.values("pk"))


class AgreementParty(models.Model):
    """One party of an agreement: a province, or a country or international organisation."""

    agreement = models.ForeignKey(
        CooperationAgreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="parties"
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreement_parties",
    )
    foreign_kind = models.CharField(
        _("kind of party abroad"), max_length=20, choices=ForeignPartyKind.choices, blank=True
    )
    foreign_name_zh = models.CharField(_("name abroad (Chinese)"), max_length=200, blank=True)
    foreign_name_en = models.CharField(_("name abroad (English)"), max_length=200, blank=True)

    objects = AgreementPartyQuerySet.as_manager()

    foreign_name = Localized()

    class Meta:
        ordering = ["agreement", "province__code", "pk"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.CheckConstraint(
                condition=(Q(province__isnull=False) & Q(foreign_kind=""))
                | (Q(province__isnull=True) & ~Q(foreign_kind="")),
                name="agreement_party_province_or_abroad",
            ),
            models.UniqueConstraint(
                fields=["agreement", "province"],
                condition=Q(province__isnull=False),
                name="agreement_party_province_once",
            ),
        ]

    def __str__(self) -> str:
        return str(self.province) if self.province_id else self.foreign_name
