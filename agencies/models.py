"""Member units of the Joint Conference, provincial-level divisions, and the portal's users."""

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as BaseUserManager
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .bilingual import Localized
from .choices import EDITABLE_STATES, ROLES_WITH_PROVINCE, ROLES_WITH_UNIT, ProvinceKind, ReviewState, Role
from .crypto import EncryptedTextField
from .permissions import EVERYTHING, NOTHING, VIEW, ReferenceDataQuerySet, RestrictedQuerySet


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


class UserManager(BaseUserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person with one role; liaison and case officers belong to a unit, reporters to a province.

    A unit may have several liaison officers (the appointed one and deputies).
    """

    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        MemberUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=ROLES_WITH_UNIT) | Q(unit__isnull=False),
                name="unit_role_has_unit",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=ROLES_WITH_PROVINCE) | Q(province__isnull=False),
                name="province_role_has_province",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.role in ROLES_WITH_UNIT and not self.unit_id:
            errors["unit"] = _("A %(role)s must belong to a unit.") % {"role": self.role_label}
        if self.role in ROLES_WITH_PROVINCE and not self.province_id:
            errors["province"] = _("A %(role)s must belong to a province.") % {"role": self.role_label}
        if errors:
            raise ValidationError(errors)

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else ""

    @property
    def affiliation(self):
        """The unit or province the user acts for, if any."""
        return self.unit or self.province


# How the history names what happened; services record these action codes.
CHANGE_ACTIONS = {
    "created": _("Created"),
    "edited": _("Edited"),
    "submitted": _("Submitted"),
    "resubmitted": _("Resubmitted"),
    "accepted": _("Accepted"),
    "returned": _("Returned"),
    "reopened": _("Reopened"),
    "closed": _("Round closed"),
    "granted": _("Granted"),
    "refused": _("Refused"),
}
CHANGE_FIELDS = {"evidence.added": _("evidence files added"), "evidence.removed": _("evidence files removed")}


class ChangeRecordQuerySet(RestrictedQuerySet):
    def access_filter(self, user, action: str) -> Q:
        # The whole history is for the Office and auditors; everyone else reads the history of an
        # object only on that object's own page (``for_object`` after the object was restricted).
        if action == VIEW and user.role in (Role.OFFICE, Role.AUDITOR, Role.ADMIN):
            return EVERYTHING
        return NOTHING

    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
        ).select_related("content_type", "actor", "actor__unit", "actor__province")


class ChangeRecord(models.Model):
    """One change to a record, kept for good: who, when, what changed (field: [old, new]) and why.

    Written by the service that makes the change, in the same transaction; never edited.
    """

    content_type = models.ForeignKey(ContentType, verbose_name=_("kind of record"), on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField(_("record"))
    action = models.CharField(_("action"), max_length=30)
    actor = models.ForeignKey(
        User, verbose_name=_("by"), on_delete=models.PROTECT, null=True, related_name="changes_made"
    )
    at = models.DateTimeField(_("at"))
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    objects = ChangeRecordQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]  # the order the changes were made in
        verbose_name = _("change record")
        verbose_name_plural = _("change records")
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.action} {self.content_type_id}:{self.object_id}"

    @property
    def action_label(self) -> str:
        return str(CHANGE_ACTIONS.get(self.action, self.action))

    def lines(self, labels: dict | None = None) -> list[tuple[str, object, object]]:
        """(label, old, new) per change, with choice values shown by their labels.

        ``labels`` names the keys that are not columns of the record (``figures.persons_trained``);
        the page that shows a history asks the record's model for them once.
        """
        model = self.content_type.model_class()
        result = []
        for name, values in self.changes.items():
            old, new = values if isinstance(values, list) and len(values) == 2 else (None, values)
            field = next((f for f in model._meta.concrete_fields if f.name == name), None)
            if field is None:  # not a column of the record (its figures, its files)
                result.append((str((labels or {}).get(name) or CHANGE_FIELDS.get(name, name)), old, new))
                continue
            choices = dict(field.choices or ())
            result.append((str(field.verbose_name), choices.get(old, old), choices.get(new, new)))
        return result


class NotificationQuerySet(RestrictedQuerySet):
    def access_filter(self, user, action: str) -> Q:
        return Q(user_id=user.pk) if action in (VIEW, "change") else NOTHING


class Notification(models.Model):
    """A message to one user inside the portal (a reminder, a returned report), in both languages."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications"
    )
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=300)
    body_zh = models.TextField(_("text (Chinese)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    title = Localized()
    body = Localized()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title


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
        User, verbose_name=_("updated by"), on_delete=models.PROTECT, related_name="+"
    )
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        User,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        User, verbose_name=_("reviewed by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def is_late(self) -> bool:
        """First submitted after the period's deadline (a resubmission keeps the first's timeliness)."""
        return bool(self.first_submitted_at and self.first_submitted_at > self.period.deadline_end)

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def is_resubmission(self) -> bool:
        """Submitted again after the Office returned it."""
        return bool(
            self.first_submitted_at and self.submitted_at and self.submitted_at > self.first_submitted_at
        )


AUDIT_ACTIONS = {
    "view": _("Viewed"),
    "reveal": _("Revealed identifiers"),
    "export": _("Exported"),
    "create": _("Created"),
    "change": _("Changed"),
    "add_service": _("Added a service"),
    "add_follow_up": _("Added a follow-up visit"),
    "refer": _("Referred"),
    "accept_referral": _("Accepted a referral"),
    "decline_referral": _("Declined a referral"),
    "complete_referral": _("Completed a referral"),
    "revoke_referral": _("Revoked a referral"),
    "transfer": _("Took over the file"),
    # Sign-in safety (agencies/lockout.py, agencies/services.py): on the account concerned.
    "lockout": _("Sign-in locked after failed attempts"),
    "unlock": _("Unlocked sign-in"),
    "end_tokens": _("Ended API tokens"),
    # Reads of many files at once and refusals: one entry per request, listing what was shown.
    "list": _("Listed case files"),
    "search": _("Searched case files"),
    "refused": _("Refused (not found or not allowed)"),
    "duplicate_check": _("Checked for a duplicate"),
}
AUDIT_CHANNELS = {"page": _("page"), "api": _("API"), "export": _("export"), "job": _("background job")}


class AuditEntryQuerySet(RestrictedQuerySet):
    def access_filter(self, user, action: str) -> Q:
        # Auditors read the log (never the contents it points to); nobody changes it.
        return EVERYTHING if action == VIEW and user.role in (Role.AUDITOR, Role.ADMIN) else NOTHING

    def update(self, **kwargs):
        raise PermissionError("the audit log is append-only")

    def delete(self):
        raise PermissionError("the audit log is append-only")


class AuditEntry(models.Model):
    """Who read, revealed, exported or changed what, when, from where: appended, never edited."""

    at = models.DateTimeField(_("at"), db_index=True)
    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(
        MemberUnit,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=20, db_index=True)
    content_type = models.ForeignKey(ContentType, verbose_name=_("kind of record"), on_delete=models.PROTECT)
    # Empty for an entry about no one record: a list shown, a refused lookup, a duplicate check.
    object_id = models.PositiveBigIntegerField(_("record"), null=True, blank=True)
    object_label = models.CharField(_("record"), max_length=100, db_index=True)
    channel = models.CharField(_("through"), max_length=10)  # page, api, export, job
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.object_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the audit log is append-only")

    @property
    def action_label(self) -> str:
        return str(AUDIT_ACTIONS.get(self.action, self.action))

    @property
    def channel_label(self) -> str:
        return str(AUDIT_CHANNELS.get(self.channel, self.channel))


class TwoFactorDevice(models.Model):
    """A user's authenticator (TOTP, RFC 6238). Required for case officers and auditors."""

    user = models.OneToOneField(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="two_factor"
    )
    secret = EncryptedTextField(_("secret"))
    confirmed_at = models.DateTimeField(_("confirmed at"))
    last_used_step = models.PositiveBigIntegerField(default=0)  # a code is accepted once

    objects = models.Manager()  # read only for the signed-in user's own sign-in

    class Meta:
        verbose_name = _("authenticator")
        verbose_name_plural = _("authenticators")

    def __str__(self) -> str:
        return str(self.user)


class BackupCode(models.Model):
    """A one-time code for when the authenticator is lost; only its hash is kept."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="backup_codes"
    )
    code_hash = models.CharField(max_length=128)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    objects = models.Manager()

    class Meta:
        verbose_name = _("backup code")
        verbose_name_plural = _("backup codes")

    def __str__(self) -> str:
        return f"{self.user} backup code"
