"""In-portal notifications, written in both languages so that each reader sees their own."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from core import clock
from core.models import Notification
from core.permissions import roles_with

logger = logging.getLogger(__name__)


def render(title: str, body: str = "", params: dict | None = None) -> dict[str, str]:
    """``title`` and ``body`` (untranslated msgids with %(name)s placeholders) in Chinese and in
    English: ``title_zh``, ``body_zh``, ``title_en``, ``body_en``."""
    params = params or {}
    texts = {}
    for language, suffix in (("zh-hans", "zh"), ("en", "en")):
        with override(language):
            rendered = {key: _text(value) for key, value in params.items()}  # in this language
            texts[f"title_{suffix}"] = _(title) % rendered
            texts[f"body_{suffix}"] = (_(body) % rendered) if body else ""
    return texts


def _text(value) -> str:
    """A parameter as this language writes it: names through their own ``__str__``, dates as
    2010年1月15日 / 15 Jan 2010."""
    if isinstance(value, dt.datetime):
        return date_format(value, "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return date_format(value, "DATE_FORMAT")
    return str(value)


def notify(
    users, *, title: str, body: str = "", params: dict | None = None, link: str = "", mail: bool = False
) -> int:
    """Tell each active user something, in the portal (and by e-mail where ``mail`` and the user has
    an address, once the transaction commits). ``title`` and ``body`` are msgids marked with
    ``gettext_noop``, rendered here in both languages. Returns how many users were told."""
    texts = render(title, body, params)
    now = clock.now()
    recipients = [u for u in users if u.is_active]
    Notification.objects.bulk_create(
        [Notification(user=u, link=link, created_at=now, **texts) for u in recipients]
    )
    emails = [u.email for u in recipients if u.email] if mail else []
    if emails:  # after the commit: a rolled-back notice never mails anyone
        transaction.on_commit(lambda: _mail(emails, texts))
    return len(recipients)


def _mail(emails: list[str], texts: dict[str, str]) -> None:
    try:
        send_mail(
            f"{texts['title_zh']} / {texts['title_en']}",
            f"{texts['body_zh']}\n\n{texts['body_en']}",
            settings.DEFAULT_FROM_EMAIL,
            emails,
        )
    except OSError:
        logger.exception("e-mail to %s failed; the in-portal notification stands", emails)


def people(**filters):
    """The active users matching ``filters`` (the portal's user model: core names no app's models)."""
    return get_user_model().objects.filter(is_active=True, **filters)


def people_with(capability: str, **filters):
    """The active users whose role has ``capability`` (``core.permissions``), matching ``filters``."""
    return people(role__in=roles_with(capability), **filters)
