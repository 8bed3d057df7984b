"""Member units of the Joint Conference, provincial-level divisions, and the portal's users."""

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .bilingual import Localized
from .choices import ROLES_WITH_PROVINCE, ROLES_WITH_UNIT, ProvinceKind, Role
from .permissions import ReferenceDataQuerySet


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
