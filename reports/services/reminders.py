"""Reminders to provinces that have not submitted their quarterly report: once before and once
after each deadline, never twice (a unique row per province, quarter and kind)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_noop

from agencies.models import Province
from core import clock
from core.notify import notify, people_with
from core.permissions import REPORT_QUARTERLY
from measures.models import ReportingPeriod
from reports.choices import ReminderKind
from reports.models import QuarterlyReport, ReportReminder
from reports.models.quarterly import lock_date


def _due_kinds(period: ReportingPeriod, today: dt.date) -> list[str]:
    kinds = []
    before = period.deadline - dt.timedelta(days=settings.REMINDER_DAYS_BEFORE)
    after = period.deadline + dt.timedelta(days=settings.REMINDER_DAYS_AFTER)
    if before <= today <= period.deadline:
        kinds.append(ReminderKind.BEFORE)
    if after <= today <= lock_date(period):
        kinds.append(ReminderKind.AFTER)
    return kinds


# Each kind of reminder: its title and text (msgids, rendered in both languages by notify).
MESSAGES = {
    ReminderKind.BEFORE: (
        gettext_noop("The quarterly report for %(period)s is due on %(deadline)s"),
        gettext_noop(
            "%(province)s has not submitted its report for %(period)s yet. Please submit it by %(deadline)s."
        ),
    ),
    ReminderKind.AFTER: (
        gettext_noop("The quarterly report for %(period)s is late"),
        gettext_noop(
            "%(province)s has not submitted its report for %(period)s, due on %(deadline)s. "
            "Please submit it now; the quarter will lock soon."
        ),
    ),
}


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
            title, body = MESSAGES[kind]
            reminder.recipients = notify(
                people_with(REPORT_QUARTERLY, agency__province=province),
                title=title,
                body=body,
                params={"province": province, "period": period, "deadline": period.deadline},
                link=reverse("reports:report_edit", kwargs={"period": period.code}),
                mail=True,
            )
            reminder.save(update_fields=["recipients"])
    except IntegrityError:
        return 0  # already sent: the unique row says so
    return 1
