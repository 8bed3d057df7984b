"""The portal's users: each with one role and one agency, and the rule of which agency a role needs."""

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.choices import ROLES_WITH_PROVINCE, ROLES_WITH_UNIT, AgencyKind
from agencies.models.organisation import Agency, MemberUnit, Province
from core.choices import Role


class UserManager(BaseUserManager):
    def get_queryset(self):
        # Every request reads its user's agency (the rules act for it): one query, not two.
        return super().get_queryset().select_related("agency")

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        if "agency" not in extra_fields and "agency_id" not in extra_fields:
            extra_fields["agency"] = Agency.objects.filter(
                kind=AgencyKind.ANTI_TRAFFICKING_OFFICE, division__isnull=True
            ).first()
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person with one role, belonging to one agency.

    What the role acts for is the agency's: a liaison officer logs progress for the agency's member
    unit (a national office), a provincial reporter reports for the agency's province, a case officer
    keeps the agency's case files. A unit may have several liaison officers (the appointed one and
    deputies). Moving a user to another agency takes the old agency's files away at once: every rule
    reads the agency of the request's user.
    """

    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="users"
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        problem = role_agency_problem(self.role, self.agency if self.agency_id else None)
        if problem:
            raise ValidationError({"agency": problem})

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else ""

    # What the role acts for, read from the agency (one source: the agency).
    @property
    def unit_id(self) -> int | None:
        return self.agency.unit_id if self.agency_id else None

    @property
    def unit(self) -> MemberUnit | None:
        return self.agency.unit if self.agency_id else None

    @property
    def province_id(self) -> int | None:
        return self.agency.province_id if self.agency_id else None

    @property
    def province(self) -> Province | None:
        return self.agency.province if self.agency_id else None

    @property
    def division_id(self) -> int | None:
        """The agency's division (None for a national agency)."""
        return self.agency.division_id if self.agency_id else None

    @property
    def affiliation(self):
        """The agency the user acts for."""
        return self.agency if self.agency_id else None


def role_agency_problem(role: str, agency: Agency | None) -> str:
    """Why ``agency`` cannot hold a user of ``role`` ("" when it can): the one rule, used by the
    user form, the import and the model."""
    if agency is None:
        return str(_("Every user belongs to an agency."))
    label = Role(role).label if role in Role.values else role
    if role in ROLES_WITH_UNIT and agency.kind != AgencyKind.UNIT_OFFICE:
        return str(_("A %(role)s belongs to the office of a member unit.") % {"role": label})
    if role == Role.LIAISON and not agency.is_national:
        return str(_("A %(role)s belongs to a member unit's national office.") % {"role": label})
    if role in ROLES_WITH_PROVINCE and not agency.province_id:
        return str(_("A %(role)s belongs to an agency of a province.") % {"role": label})
    if role == Role.OFFICE and not (agency.kind == AgencyKind.ANTI_TRAFFICKING_OFFICE and agency.is_national):
        return str(_("IMCS Office staff belong to the IMCS Office."))
    return ""
