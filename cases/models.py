"""Confidential case files of rescued women and children (measure 4.(4)), with the assistance they
receive, referrals between agencies, and follow-up visits.

Only case officers of the owning agency see a case, and those of an agency it was referred to
while the referral stands (a django-guardian grant to that agency's group). Personal identifiers
are encrypted at rest; every read and change is in the audit log.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from agencies.models import MemberUnit, Province
from cases.choices import CaseStatus, Category, DocumentKind, ReferralKind, ReferralState, ServiceKind, Sex
from core.choices import Role
from core.crypto import EncryptedTextField
from core.permissions import NOTHING, VIEW, RestrictedQuerySet

VIEW_CASE = "view_casefile"
AGENCY_GROUP_PREFIX = "agency:"


def agency_group_name(unit_id: int) -> str:
    return f"{AGENCY_GROUP_PREFIX}{unit_id}"


class CaseFileQuerySet(RestrictedQuerySet):
    def access_filter(self, user, action: str) -> Q:
        if user.role != Role.CASE_OFFICER or not user.unit_id:
            return NOTHING  # the Office, provinces, liaisons, auditors: statistics only, never a case
        own = Q(owner_agency_id=user.unit_id)
        if action == VIEW:
            granted = CaseFileGroupObjectPermission.objects.filter(
                group__name=agency_group_name(user.unit_id), permission__codename=VIEW_CASE
            ).values("content_object_id")
            return own | Q(pk__in=granted)
        return own  # identity, referrals and transfers: the owning agency only


class CaseFile(models.Model):
    """A rescued woman's or child's file: identity (encrypted), rescue, consent, status."""

    number = models.CharField(_("case number"), max_length=30, unique=True)
    owner_agency = models.ForeignKey(
        MemberUnit, verbose_name=_("owning agency"), on_delete=models.PROTECT, related_name="case_files"
    )
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    name = EncryptedTextField(_("name"))
    id_document_kind = models.CharField(
        _("kind of identity document"),
        max_length=20,
        choices=DocumentKind.choices,
        default=DocumentKind.RESIDENT_ID,
    )
    id_number = EncryptedTextField(_("identity document number"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    address = EncryptedTextField(_("home address"), blank=True)
    household_registration = EncryptedTextField(_("household registration"), blank=True)
    id_number_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    name_birth_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    estimated_age = models.PositiveSmallIntegerField(_("estimated age"), null=True, blank=True)
    home_province = models.ForeignKey(
        Province,
        verbose_name=_("home province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    home_county = models.CharField(_("home county"), max_length=100, blank=True)
    rescued_on = models.DateField(_("rescued on"))
    rescue_province = models.ForeignKey(
        Province, verbose_name=_("rescued in (province)"), on_delete=models.PROTECT, related_name="+"
    )
    rescuing_agency = models.ForeignKey(
        MemberUnit, verbose_name=_("rescuing agency"), on_delete=models.PROTECT, related_name="+"
    )
    exploitation = models.JSONField(_("forms of exploitation"), default=list, blank=True)
    consent_services = models.BooleanField(_("consents to assistance services"), default=False)
    consent_sharing = models.BooleanField(_("consents to sharing with other agencies"), default=False)
    consent_statistics = models.BooleanField(_("consents to anonymous statistics"), default=False)
    guardian_found = models.BooleanField(_("guardian found"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = CaseFileQuerySet.as_manager()

    class Meta:
        ordering = ["-rescued_on", "-pk"]
        verbose_name = _("case file")
        verbose_name_plural = _("case files")
        default_permissions = ("add", "change", "view")
        indexes = [models.Index(fields=["owner_agency", "status"])]

    def __str__(self) -> str:
        return self.number

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_id_number(self) -> str:
        return mask_tail(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_tail(self.phone)


def mask_name(name: str) -> str:
    """The first character and two stars, whatever the length: 张**, 欧** (nothing about the rest)."""
    return f"{name[0]}**" if name else ""


def mask_tail(value: str) -> str:
    """The last four characters only (****1234); a value too short to hide anything shows none."""
    if not value:
        return ""
    return f"****{value[-4:]}" if len(value) >= 8 else "****"


class CaseFileUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(CaseFile, on_delete=models.CASCADE)


class CaseFileGroupObjectPermission(GroupObjectPermissionBase):
    """A grant to an agency's group: how a referral opens a case to the receiving agency."""

    content_object = models.ForeignKey(CaseFile, on_delete=models.CASCADE)


class CasePartQuerySet(RestrictedQuerySet):
    """Services, follow-ups and referrals: seen with their case; added by any agency that sees it."""

    def access_filter(self, user, action: str) -> Q:
        return Q(case__in=CaseFile.objects.restrict(user, VIEW).values("pk"))


class AssistanceService(models.Model):
    case = models.ForeignKey(
        CaseFile, verbose_name=_("case file"), on_delete=models.CASCADE, related_name="services"
    )
    kind = models.CharField(_("service"), max_length=30, choices=ServiceKind.choices)
    agency = models.ForeignKey(
        MemberUnit, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    provided_on = models.DateField(_("provided on"))
    outcome = models.TextField(_("outcome"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = CasePartQuerySet.as_manager()

    class Meta:
        ordering = ["-provided_on", "-pk"]
        verbose_name = _("assistance service")
        verbose_name_plural = _("assistance services")

    def __str__(self) -> str:
        return f"{self.case} {self.kind}"


class FollowUp(models.Model):
    case = models.ForeignKey(
        CaseFile, verbose_name=_("case file"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    agency = models.ForeignKey(
        MemberUnit, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    visited_on = models.DateField(_("visited on"))
    living_conditions = models.TextField(_("living conditions"))
    needs = models.TextField(_("needs"), blank=True)
    next_visit_due = models.DateField(_("next visit due"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = CasePartQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")

    def __str__(self) -> str:
        return f"{self.case} {self.visited_on}"


class ReferralQuerySet(RestrictedQuerySet):
    def access_filter(self, user, action: str) -> Q:
        if user.role != Role.CASE_OFFICER or not user.unit_id:
            return NOTHING
        # The sending and the receiving agency both see a referral; the receiver sees it before it
        # accepts (without the case's contents), so that it can decide.
        return Q(from_agency_id=user.unit_id) | Q(to_agency_id=user.unit_id)


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
        MemberUnit, verbose_name=_("from"), on_delete=models.PROTECT, related_name="+"
    )
    to_agency = models.ForeignKey(
        MemberUnit, verbose_name=_("to"), on_delete=models.PROTECT, related_name="+"
    )
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


def agency_group(unit_id: int) -> Group:
    group, _created = Group.objects.get_or_create(name=agency_group_name(unit_id))
    return group
