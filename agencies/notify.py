"""In-portal notifications, written in both languages so that each reader sees their own."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import override

from . import clock
from .models import Notification, User


def notify(users, *, title: str, body: str = "", params: dict | None = None, link: str = "") -> int:
    """Tell each user something. ``title`` and ``body`` are untranslated msgids (marked with
    ``gettext_noop``) with %(name)s placeholders, rendered here in Chinese and in English."""
    params = params or {}
    texts = {}
    for language, suffix in (("zh-hans", "zh"), ("en", "en")):
        with override(language):
            rendered = {key: str(value) for key, value in params.items()}  # lazy names in this language
            texts[f"title_{suffix}"] = _(title) % rendered
            texts[f"body_{suffix}"] = (_(body) % rendered) if body else ""
    now = clock.now()
    recipients = [u for u in users if u.is_active]
    Notification.objects.bulk_create(
        [Notification(user=u, link=link, created_at=now, **texts) for u in recipients]
    )
    return len(recipients)


def people(**filters):
    return User.objects.filter(is_active=True, **filters)
