"""Enumerations of the plan, each value with a label and a colour (for badges)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResponsibilityRole(models.TextChoices):
    """How a unit stands to a measure, as the plan's parenthesis says (负责 / 配合)."""

    RESPONSIBLE = "R", _("Responsible")
    COOPERATING = "C", _("Cooperating")

    @property
    def colour(self) -> str:
        return {"R": "red", "C": "blue"}[self.value]


class TargetKind(models.TextChoices):
    MILESTONE = "milestone", _("Dated milestone")
    INDICATOR = "indicator", _("Indicator")


class TargetDirection(models.TextChoices):
    INCREASE = "increase", _("Increase")
    DECREASE = "decrease", _("Decrease")


class ClauseKind(models.TextChoices):
    """Parts of the plan outside Part Four that the portal keeps as text."""

    STRATEGIC_MEASURE = "strategic_measure", _("Strategic measure")
    IMCS_FUNCTION = "imcs_function", _("Function of the Joint Conference")
    SAFEGUARD = "safeguard", _("Organisation and safeguard")
    IMPLEMENTATION = "implementation", _("Implementation, monitoring and evaluation")
