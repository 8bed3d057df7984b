"""The app of the organisation; its signals are connected once the app is ready."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = _("Units, provinces and users")

    def ready(self):
        from agencies import signals  # noqa: F401 - connects the receivers
