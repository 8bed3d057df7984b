"""Reminders to provinces that have not submitted their quarterly report: once before and once
after each deadline, never twice (a unique row per province, quarter and kind)."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from agencies import clock
from agencies.choices import Role
from agencies.models import Notification, Province, User
from measures.models import ReportingPeriod

from ..choices import ReminderKind
from ..models import QuarterlyReport, ReportReminder
from ..models.quarterly import lock_date

logger = logging.getLogger(__name__)


def _due_kinds(period: ReportingPeriod, today: dt.date) -> list[str]:
    kinds = []
    before = period.deadline - dt.timedelta(days=settings.REMINDER_DAYS_BEFORE)
    after = period.deadline + dt.timedelta(days=settings.REMINDER_DAYS_AFTER)
    if before <= today <= period.deadline:
        kinds.append(ReminderKind.BEFORE)
    if after <= today <= lock_date(period):
        kinds.append(ReminderKind.AFTER)
    return kinds


def _texts(kind: str, province: Province, period: ReportingPeriod) -> dict[str, str]:
    texts = {}
    for lang, suffix in (("zh-hans", "zh"), ("en", "en")):
        with override(lang):
            params = {
                "province": province.name,
                "period": str(period),
                "deadline": period.deadline.isoformat(),
            }
            if kind == ReminderKind.BEFORE:
                texts[f"title_{suffix}"] = (
                    _("The quarterly report for %(period)s is due on %(deadline)s") % params
                )
                texts[f"body_{suffix}"] = (
                    _(
                        "%(province)s has not submitted its report for %(period)s yet. "
                        "Please submit it by %(deadline)s."
                    )
                    % params
                )
            else:
                texts[f"title_{suffix}"] = _("The quarterly report for %(period)s is late") % params
                texts[f"body_{suffix}"] = (
                    _(
                        "%(province)s has not submitted its report for %(period)s, due on %(deadline)s. "
                        "Please submit it now; the quarter will lock soon."
                    )
                    % params
                )
    return texts


def reminders_send(*, today: dt.date) -> int:
    """Send the reminders due today; returns how many provinces were reminded this run."""
    sent = 0
    periods = ReportingPeriod.objects.filter(
        deadline__gte=today - dt.timedelta(days=settings.QUARTERLY_LOCK_DAYS),
        deadline__lte=today + dt.timedelta(days=settings.REMINDER_DAYS_BEFORE),
    )
    for period in periods:
        kinds = _due_kinds(period, today)
        if not kinds:
            continue
        submitted = set(
            QuarterlyReport.objects.filter(period=period, first_submitted_at__isnull=False).values_list(
                "province_id", flat=True
            )
        )
        for province in Province.objects.exclude(pk__in=submitted):
            for kind in kinds:
                sent += _remind(province, period, kind)
    return sent


def _remind(province: Province, period: ReportingPeriod, kind: str) -> int:
    """Record and send one reminder; if it was recorded before (by any worker), do nothing."""
    try:
        with transaction.atomic():
            reminder = ReportReminder.objects.create(
                province=province, period=period, kind=kind, sent_at=clock.now()
            )
            reporters = list(User.objects.filter(role=Role.PROVINCE, province=province, is_active=True))
            texts = _texts(kind, province, period)
            link = reverse("reports:report_edit", kwargs={"period": period.code})
            Notification.objects.bulk_create(
                [Notification(user=user, link=link, created_at=clock.now(), **texts) for user in reporters]
            )
            reminder.recipients = len(reporters)
            reminder.save(update_fields=["recipients"])
            emails = [user.email for user in reporters if user.email]
            if emails:
                # Mail goes out after the commit, so a rolled-back reminder never mails anyone.
                transaction.on_commit(lambda: _mail(emails, texts))
    except IntegrityError:
        return 0  # already sent: the unique row says so
    return 1


def _mail(emails: list[str], texts: dict[str, str]) -> None:
    try:
        send_mail(
            f"{texts['title_zh']} / {texts['title_en']}",
            f"{texts['body_zh']}\n\n{texts['body_en']}",
            settings.DEFAULT_FROM_EMAIL,
            emails,
        )
    except OSError:
        logger.exception("reminder e-mail to %s failed; the in-portal notification stands", emails)
