"""Messages to one user inside the portal, in both languages."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.bilingual import Localized
from core.permissions import NOTHING, VIEW, RestrictedQuerySet


class NotificationQuerySet(RestrictedQuerySet):
    def access_filter(self, user, action: str) -> Q:
        return Q(user_id=user.pk) if action in (VIEW, "change") else NOTHING


class Notification(models.Model):
    """A message to one user inside the portal (a reminder, a returned report), in both languages."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
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
        db_table = "agencies_notification"  # the table it had when it was part of agencies
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["user", "created_at", "id"], name="notification_page_idx"),
        ]

    def __str__(self) -> str:
        return self.title
