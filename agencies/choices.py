"""Enumerations of the organisation, each value with a label."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import Role

# Roles that must be attached to a member unit, and to a province.
ROLES_WITH_UNIT = (Role.LIAISON, Role.CASE_OFFICER)
ROLES_WITH_PROVINCE = (Role.PROVINCE,)


class ProvinceKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    PROVINCE = "province", _("Province")
    AUTONOMOUS_REGION = "autonomous_region", _("Autonomous region")
