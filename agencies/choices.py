"""Enumerations of the organisation, each value with a label."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import Role

# Roles whose agency must be a member unit's office, and in a province.
ROLES_WITH_UNIT = (Role.LIAISON, Role.CASE_OFFICER, Role.CASE_SUPERVISOR)
ROLES_WITH_PROVINCE = (Role.PROVINCE,)


class ProvinceKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    PROVINCE = "province", _("Province")
    AUTONOMOUS_REGION = "autonomous_region", _("Autonomous region")


class DivisionLevel(models.TextChoices):
    PROVINCE = "province", _("Provincial level")
    PREFECTURE = "prefecture", _("Prefecture level")
    COUNTY = "county", _("County level")


class AgencyKind(models.TextChoices):
    """An office of a member unit at a level (云南省民政厅), or a level's anti-trafficking office."""

    UNIT_OFFICE = "unit_office", _("Office of a member unit")
    ANTI_TRAFFICKING_OFFICE = "anti_trafficking_office", _("Anti-trafficking office")
