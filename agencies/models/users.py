"""The portal's users: each with one role, attached to a unit or a province where the role needs one."""

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.choices import ROLES_WITH_PROVINCE, ROLES_WITH_UNIT
from agencies.models.organisation import MemberUnit, Province
from core.choices import Role


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
