"""Confidential case files of rescued women and children (measure 4.(4)): the person's identity,
the rescue, consent and status, and the rule of who sees a file.

Case officers of the agency that holds a file see it, and those of an agency it was referred to
while the referral stands (a django-guardian grant to that agency's group, ``cases.models.grants``);
a case supervisor reads the files of the same unit's agencies at and below their own division (a
provincial civil-affairs department: its province's civil-affairs agencies). Nobody else reads a
case. Personal identifiers are encrypted at rest; every read and change is in the audit log.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Division, Province
from cases.choices import CaseStatus, Category, DocumentKind, Sex
from cases.models.grants import VIEW_CASE, CaseFileGroupObjectPermission, agency_group_name
from core.crypto import EncryptedTextField
from core.permissions import (
    KEEP_CASE_FILES,
    NOTHING,
    READ_CASE_FILES,
    VIEW,
    RestrictedQuerySet,
    is_active_user,
    may,
)


def case_keeping_agency(user) -> int | None:
    """The agency whose case files ``user`` keeps (a case officer's agency), or None: the one rule
    behind the gates of case files and referrals, ``CaseFile.kept_by`` and the services' check."""
    return user.agency_id if may(user, KEEP_CASE_FILES) else None


def supervised_agencies(user) -> list[int] | None:
    """The agencies whose files ``user`` reads as a case supervisor: the offices of the user's
    member unit at the user's division and below it, or None for anyone else.

    Read as a list of ids (one small query), not left as a subquery: PostgreSQL then knows how
    many files each of them holds, and reads a supervisor's list newest first through the index on
    the rescue date, no further than the page (0.2 ms at 100x), where for a subquery it guessed a
    few thousand rows and sorted the 24,000 of a province (45 ms)."""
    if not may(user, READ_CASE_FILES) or may(user, KEEP_CASE_FILES):
        return None
    agency = user.agency
    return list(Agency.objects.of_unit_under(agency.unit_id, agency.division).values_list("pk", flat=True))


class CaseFileQuerySet(RestrictedQuerySet):
    def access_filter(self, user, action: str) -> Q:
        parts = self.access_parts(user, action)
        if len(parts) == 1:
            return parts[0]
        # The own files or those granted: for a few rows (a page, a file) each row is checked by its
        # owner and a hashed subplan of the agency's grants. A long list never reads through this
        # OR, which would make PostgreSQL scan every file: it reads each part in index order
        # (``restrict_parts``) and merges them.
        own, granted = parts
        return own | granted

    def access_parts(self, user, action: str) -> list[Q]:
        agency = case_keeping_agency(user)
        if agency is None:
            supervised = supervised_agencies(user)
            if supervised is not None and action == VIEW:
                return [Q(owner_agency_id__in=supervised)]  # a supervisor reads, never changes
            return [NOTHING]  # the Office, provinces, liaisons, auditors: statistics only, never a case
        own = Q(owner_agency_id=agency)
        if action != VIEW:
            return [own]  # identity, referrals and transfers: the owning agency only
        granted = CaseFileGroupObjectPermission.objects.filter(
            group__name=agency_group_name(agency), permission__codename=VIEW_CASE
        ).order_by()
        return [own, Q(pk__in=granted.values("content_object_id"))]

    def counted_in_statistics(self, user) -> CaseFileQuerySet:
        """The files the suppressed statistics count: every agency's whose person consented to
        statistics. Any signed-in user reads their aggregates, never a row (only the statistics
        selectors start from here)."""
        if not is_active_user(user):
            return self.none()
        return self.filter(consent_statistics=True)

    def probably_the_person(self, user, *, id_number_index: str, name_birth_index: str) -> CaseFileQuerySet:
        """Every agency's files that are probably this person (the same document number, or the
        same name and birth date, by their keyed hashes): for the duplicate check at intake, which
        tells a case officer only whether one may exist elsewhere. Nobody else asks."""
        matches = self.none()
        if case_keeping_agency(user) is None:
            return matches
        if id_number_index:
            matches |= self.filter(id_number_index=id_number_index)
        if name_birth_index:
            matches |= self.filter(name_birth_index=name_birth_index)
        return matches


class CaseFile(models.Model):
    """A rescued woman's or child's file: identity (encrypted), rescue, consent, status."""

    number = models.CharField(_("case number"), max_length=30, unique=True)
    owner_agency = models.ForeignKey(
        Agency, verbose_name=_("owning agency"), on_delete=models.PROTECT, related_name="case_files"
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
    home_division = models.ForeignKey(
        Division,
        verbose_name=_("home county or city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    rescued_on = models.DateField(_("rescued on"))
    rescue_province = models.ForeignKey(
        Province, verbose_name=_("rescued in (province)"), on_delete=models.PROTECT, related_name="+"
    )
    rescue_division = models.ForeignKey(
        Division,
        verbose_name=_("rescued in (county or city)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    rescuing_agency = models.ForeignKey(
        Agency, verbose_name=_("rescuing agency"), on_delete=models.PROTECT, related_name="+"
    )
    exploitation = models.JSONField(_("forms of exploitation"), default=list, blank=True)
    consent_services = models.BooleanField(_("consents to assistance services"), default=False)
    consent_sharing = models.BooleanField(_("consents to sharing with other agencies"), default=False)
    consent_statistics = models.BooleanField(_("consents to anonymous statistics"), default=False)
    guardian_found = models.BooleanField(_("guardian found"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    version = models.PositiveIntegerField(_("version"), default=1)
    # The latest follow-up visit (by visit date, then entry) and the next visit it set as due, kept
    # by ``follow_up_add``: the overdue list reads them through an index instead of finding each
    # file's latest visit among all visits.
    latest_follow_up = models.ForeignKey(
        "cases.FollowUp", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    next_visit_due = models.DateField(_("next visit due"), null=True, blank=True, editable=False)
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
        indexes = [
            models.Index(fields=["owner_agency", "status"]),
            # The case list and the overdue visits, newest rescue or soonest visit first, read an
            # agency's own files in the order of these (and stop at the page): see core.paging.
            models.Index(fields=["owner_agency", "-rescued_on", "-id"], name="case_owner_rescued_idx"),
            # A supervisor's list: the files of the agencies below, newest first, found by walking
            # this (the owner in the index: no file read for one that is not theirs).
            models.Index(fields=["-rescued_on", "-id"], include=["owner_agency"], name="case_rescued_idx"),
            models.Index(
                fields=["owner_agency", "next_visit_due", "id"],
                condition=Q(next_visit_due__isnull=False) & ~Q(status=CaseStatus.CLOSED),
                name="case_visit_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def kept_by(self, user) -> bool:
        """Whether ``user``'s agency keeps this file: the gate's rule for every action but viewing
        (``access_filter``), answered without a query for a file already read through the gate. An
        agency the file was referred to sees it, and never changes its identity."""
        return self.owner_agency_id == case_keeping_agency(user)

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
