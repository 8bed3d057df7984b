"""Reports of suspected trafficking crimes from the public (3.(2), second dash: 建立健全举报犯罪制度,
鼓励各单位和群众向执法机关举报), sent without an account from the public page.

A report goes to the anti-trafficking office of the division where the crime happens, that is to the
public-security office that office sits in (``Agency.seat``), or to the IMCS Office's triage when the
division has none set; the triage forwards it. Only the case officers of the receiving
public-security office and the Office's staff (for what came through triage) read it, and every read
is in the audit log. What the person wrote and how to reach them are encrypted at rest. The person
holds a follow-up code, kept here only as a keyed hash, that shows the report's status and nothing
else.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Division, Province
from cases.choices import PublicReportStatus
from core.crypto import EncryptedTextField
from core.models.attachments import StoredFile, stored_name
from core.permissions import KEEP_CASE_FILES, NOTHING, REVIEW, VIEW, RestrictedQuerySet, is_active_user, may


class PublicReportQuerySet(RestrictedQuerySet):
    def access_filter(self, user, action: str) -> Q:
        seen = NOTHING
        if may(user, KEEP_CASE_FILES):
            seen = Q(receiving_agency_id=user.agency_id)
        elif may(user, REVIEW):
            seen = Q(via_triage=True)
        return seen

    def counted_in_statistics(self, user) -> PublicReportQuerySet:
        """Every report, for the suppressed statistics by province and status: any signed-in user
        reads their aggregates, never a row (only the statistics selector starts from here)."""
        return self.all() if is_active_user(user) else self.none()


class PublicReport(models.Model):
    """A report of a suspected crime sent by a member of the public, anonymously or with contact
    details, about a province or a county."""

    follow_up_index = models.CharField(max_length=64, unique=True, editable=False)
    division = models.ForeignKey(
        Division, verbose_name=_("where it happens"), on_delete=models.PROTECT, related_name="+"
    )
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    receiving_agency = models.ForeignKey(
        Agency,
        verbose_name=_("receiving agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="public_reports",
        help_text=_("Empty while the report waits in the IMCS Office's triage."),
    )
    via_triage = models.BooleanField(_("came through the Office's triage"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=PublicReportStatus.choices, default=PublicReportStatus.RECEIVED
    )
    happened_on = models.DateField(_("when it happened"), null=True, blank=True)
    description = EncryptedTextField(_("what happened"))
    is_anonymous = models.BooleanField(_("anonymous"), default=True)
    contact_name = EncryptedTextField(_("name"), blank=True)
    contact_phone = EncryptedTextField(_("phone"), blank=True)
    contact_email = EncryptedTextField(_("email"), blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    notes = EncryptedTextField(_("notes of the receiving agency"), blank=True)
    received_at = models.DateTimeField(_("received at"))
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = PublicReportQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("report from the public")
        verbose_name_plural = _("reports from the public")
        default_permissions = ("view", "change")
        indexes = [
            models.Index(fields=["receiving_agency", "status", "-received_at"]),
            models.Index(fields=["via_triage", "status", "-received_at"]),
            models.Index(fields=["province", "status"]),
            # The lists, newest first and a page at a time (core.paging): a receiver's, the triage's.
            models.Index(
                fields=["receiving_agency", "-received_at", "-id"], name="public_report_receiver_idx"
            ),
            models.Index(fields=["via_triage", "-received_at", "-id"], name="public_report_triage_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(receiving_agency__isnull=False) | Q(via_triage=True),
                name="public_report_routed_or_in_triage",
            )
        ]

    def __str__(self) -> str:
        return f"{self.division} · {self.received_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        self.province = Province.objects.get(code=self.division.province_code)
        super().save(*args, **kwargs)

    @property
    def in_triage(self) -> bool:
        return self.receiving_agency_id is None


def public_report_attachment_path(instance: PublicReportAttachment, filename: str) -> str:
    return stored_name(f"public-reports/{instance.report.received_at:%Y/%m}", filename)


class PublicReportAttachmentQuerySet(RestrictedQuerySet):
    def access_filter(self, user, action: str) -> Q:
        return Q(report__in=PublicReport.objects.restrict(user, VIEW).values("pk"))


class PublicReportAttachment(StoredFile):
    """A file sent with a public report, checked as evidence files are."""

    report = models.ForeignKey(
        PublicReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=public_report_attachment_path, max_length=255)

    objects = PublicReportAttachmentQuerySet.as_manager()

    class Meta(StoredFile.Meta):
        verbose_name = _("attachment of a public report")
        verbose_name_plural = _("attachments of public reports")
