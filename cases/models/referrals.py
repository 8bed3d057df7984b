"""Referrals of case files between agencies: for services, or to hand the file over. The sending
and the receiving agency both see a referral."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from cases.choices import ReferralKind, ReferralState
from cases.models.case_files import CaseFile, case_keeping_agency
from core.permissions import NOTHING, RestrictedQuerySet


class ReferralQuerySet(RestrictedQuerySet):
    def access_filter(self, user, action: str) -> Q:
        parts = self.access_parts(user, action)
        return parts[0] if len(parts) == 1 else parts[0] | parts[1]

    def access_parts(self, user, action: str) -> list[Q]:
        # The sending and the receiving agency both see a referral; the receiver sees it before it
        # accepts (without the case's contents), so that it can decide. A long list reads the sent
        # and the received each through its index, newest first, and merges them (core.paging).
        agency = case_keeping_agency(user)
        if agency is None:
            return [NOTHING]
        return [Q(from_agency_id=agency), Q(to_agency_id=agency)]


class Referral(models.Model):
    """A case sent to another agency: for services (it may then read the case and add services and
    follow-ups, until the referral is completed or revoked), or to take the file over."""

    case = models.ForeignKey(
        CaseFile, verbose_name=_("case file"), on_delete=models.CASCADE, related_name="referrals"
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=ReferralKind.choices, default=ReferralKind.REFERRAL
    )
    from_agency = models.ForeignKey(
        Agency, verbose_name=_("from"), on_delete=models.PROTECT, related_name="+"
    )
    to_agency = models.ForeignKey(Agency, verbose_name=_("to"), on_delete=models.PROTECT, related_name="+")
    purpose = models.TextField(_("purpose"))
    state = models.CharField(
        _("state"), max_length=10, choices=ReferralState.choices, default=ReferralState.PENDING
    )
    requested_at = models.DateTimeField(_("requested at"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["from_agency", "-requested_at", "-id"], name="referral_sent_idx"),
            models.Index(fields=["to_agency", "-requested_at", "-id"], name="referral_received_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "to_agency"],
                condition=Q(state__in=[ReferralState.PENDING, ReferralState.ACCEPTED]),
                name="one_open_referral_per_agency",
            ),
            models.CheckConstraint(
                condition=~Q(from_agency=models.F("to_agency")), name="referral_to_another_agency"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.to_agency}"
