"""The app of the portal's shared machinery (models: change history, audit log, notifications)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The ground floor's machinery: the gate, review workflow, history, audit log, notifications,
    uploads, exports, clock, encrypted and bilingual fields, and the API's base classes."""

    name = "core"
    verbose_name = _("Portal machinery")
