"""The measures app: the plan of action, its reporting periods, progress and evaluation."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("Plan of Action")
