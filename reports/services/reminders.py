"""Reminders about quarterly reports not submitted, escalating through the steps kept as data
(``ReminderStep``: the reporting division itself, then the office of the level above, then the IMCS
Office, each on its day relative to the deadline). Every reporting division (the provinces, and the
divisions reporting to a collecting province or prefecture) that has neither submitted nor been
marked as having nothing to report gets each due step once per quarter, never twice: a unique row
per division, quarter and step, inserted before anyone is told.

A step is due from its day for ``CATCH_UP_DAYS`` days, so that a day the daily task missed is caught
up, while a step added later does not remind about long-past quarters.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_noop

from agencies.choices import DivisionLevel
from agencies.models import Division
from core import clock
from core.notify import notify, people_with
from core.permissions import REPORT_QUARTERLY, REVIEW
from measures.models import ReportingPeriod
from reports.choices import ReminderRecipient
from reports.models import CollectingDivision, NothingToReport, QuarterlyReport, ReminderStep, ReportReminder
from reports.models.chain import collecting_in, reporting_parent
from reports.models.quarterly import lock_date

CATCH_UP_DAYS = 7

# The steps migration 0006 seeds (it explains the choice), for a database emptied since (tests).
DEFAULT_STEPS = [
    (1, -7, ReminderRecipient.DIVISION),
    (2, 3, ReminderRecipient.DIVISION),
    (3, 7, ReminderRecipient.LEVEL_ABOVE),
    (4, 14, ReminderRecipient.OFFICE),
]


def reminder_steps_default() -> list[ReminderStep]:
    """The default steps, where no step is configured at all; the steps as they are otherwise."""
    if not ReminderStep.objects.exists():
        ReminderStep.objects.bulk_create(
            ReminderStep(order=order, days=days, recipient=recipient)
            for order, days, recipient in DEFAULT_STEPS
        )
    return list(ReminderStep.objects.all())


# Title and text by whom they tell and when (msgids, rendered in both languages by notify).
TO_DIVISION_BEFORE = (
    gettext_noop("The quarterly report of %(division)s for %(period)s is due on %(deadline)s"),
    gettext_noop(
        "%(division)s has not submitted its report for %(period)s yet. Please submit it by %(deadline)s."
    ),
)
TO_DIVISION_LATE = (
    gettext_noop("The quarterly report of %(division)s for %(period)s is late"),
    gettext_noop(
        "%(division)s has not submitted its report for %(period)s, due on %(deadline)s. "
        "Please submit it now; the quarter locks after %(lock)s."
    ),
)
TO_DIVISION_LOCKED = (
    gettext_noop("The quarterly report of %(division)s for %(period)s is late"),
    gettext_noop(
        "%(division)s has not submitted its report for %(period)s, due on %(deadline)s, and the quarter "
        "locked after %(lock)s. Please ask the level above to open it again and submit the report."
    ),
)
TO_ABOVE_BEFORE = (
    gettext_noop("%(division)s has not submitted its report for %(period)s yet"),
    gettext_noop(
        "The quarterly report of %(division)s for %(period)s is due on %(deadline)s and has not been "
        "submitted yet."
    ),
)
TO_ABOVE_LATE = (
    gettext_noop("%(division)s has not submitted its report for %(period)s"),
    gettext_noop(
        "The quarterly report of %(division)s for %(period)s was due on %(deadline)s and has not been "
        "submitted. Please follow it up."
    ),
)


def reporting_divisions(period: ReportingPeriod | None = None) -> list[Division]:
    """Every division that reports (in ``period``, if given): the provinces, and the current
    divisions directly below a collecting province, or below a collecting prefecture of a collecting
    province (two queries)."""
    collecting = list(CollectingDivision.objects.filter(collecting_in(period)).select_related("division"))
    ids = {c.division_id for c in collecting}
    parents = [
        c.division_id
        for c in collecting
        if c.division.level == DivisionLevel.PROVINCE
        or (c.division.level == DivisionLevel.PREFECTURE and c.division.parent_id in ids)
    ]
    return list(
        Division.objects.current()
        .filter(Q(level=DivisionLevel.PROVINCE) | Q(parent_id__in=parents))
        .select_related("parent")
        .order_by("code")
    )


def _due_steps(steps: list[ReminderStep], period: ReportingPeriod, today: dt.date) -> list[ReminderStep]:
    return [
        step
        for step in steps
        if period.deadline + dt.timedelta(days=step.days)
        <= today
        <= period.deadline + dt.timedelta(days=step.days + CATCH_UP_DAYS)
    ]


def reminders_send(*, today: dt.date) -> int:
    """Send the reminders due today; returns how many were sent this run (one per division and step)."""
    steps = list(ReminderStep.objects.active())
    if not steps:
        return 0
    periods = ReportingPeriod.objects.filter(
        deadline__gte=today - dt.timedelta(days=max(s.days for s in steps) + CATCH_UP_DAYS),
        deadline__lte=today - dt.timedelta(days=min(s.days for s in steps)),
    )
    sent = 0
    for period in periods:
        due = _due_steps(steps, period, today)
        if not due:
            continue
        divisions = reporting_divisions(period)
        done = set(
            QuarterlyReport.objects.filter(period=period, first_submitted_at__isnull=False).values_list(
                "division_id", flat=True
            )
        ) | set(NothingToReport.objects.filter(period=period).values_list("division_id", flat=True))
        already = set(
            ReportReminder.objects.filter(period=period, step__in=due).values_list("division_id", "step_id")
        )
        for division in divisions:
            if division.pk in done:
                continue
            for step in due:
                if (division.pk, step.pk) not in already:
                    sent += _remind(division, period, step, today)
    return sent


def _recipients(division: Division, step: ReminderStep):
    if step.recipient == ReminderRecipient.DIVISION:
        return people_with(REPORT_QUARTERLY, agency__division=division)
    parent = reporting_parent(division)
    if step.recipient == ReminderRecipient.LEVEL_ABOVE and parent is not None:
        return people_with(REPORT_QUARTERLY, agency__division=parent)
    return people_with(REVIEW)  # the IMCS Office: the level above a province, and the last step


def _message(division: Division, period: ReportingPeriod, step: ReminderStep, today: dt.date):
    """The title, text and link of a step's reminder about ``division``."""
    year = f"?year={period.year}"
    if step.recipient == ReminderRecipient.DIVISION:
        link = reverse("reports:report_edit", kwargs={"period": period.code})
        if today <= period.deadline:
            return (*TO_DIVISION_BEFORE, link)
        return (*(TO_DIVISION_LATE if today <= lock_date(period) else TO_DIVISION_LOCKED), link)
    # The level above and the Office look at the completeness of the level the division reports to.
    parent = reporting_parent(division)
    if parent is None:
        link = reverse("reports:completeness") + year
    else:
        link = reverse("reports:completeness_division", kwargs={"division": parent.code}) + year
    return (*(TO_ABOVE_BEFORE if today <= period.deadline else TO_ABOVE_LATE), link)


def _remind(division: Division, period: ReportingPeriod, step: ReminderStep, today: dt.date) -> int:
    """Record and send one reminder; if it was recorded before (by any worker), do nothing."""
    try:
        with transaction.atomic():
            reminder = ReportReminder.objects.create(
                division=division, period=period, step=step, sent_at=clock.now()
            )
            title, body, link = _message(division, period, step, today)
            reminder.recipients = notify(
                _recipients(division, step),
                title=title,
                body=body,
                params={
                    "division": division,
                    "period": period,
                    "deadline": period.deadline,
                    "lock": lock_date(period),
                },
                link=link,
                mail=True,
            )
            reminder.save(update_fields=["recipients"])
    except IntegrityError:
        return 0  # already sent: the unique row says so
    return 1
