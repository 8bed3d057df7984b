"""The reporting chain below the province: which divisions collect from the level below, the
divisions marked as having nothing to report, a level's totals, and the lock exceptions a level
grants the one below.

A province reports alone unless it collects from its prefecture-level divisions
(``CollectingDivision``); a prefecture may in turn collect from its counties. Every reporting
division fills the same quarterly form (``QuarterlyReport`` with its ``division``); a level submits
only when each division directly below it has an approved report or is marked "nothing to report".
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _

from agencies.choices import DivisionLevel
from agencies.models import Division
from core.permissions import (
    ADMINISTER,
    EVERYTHING,
    NOTHING,
    READ_ALL_SUBMITTED,
    REPORT_QUARTERLY,
    VIEW,
    RestrictedQuerySet,
    may,
)
from measures.models import ReportingPeriod


def reporter_division(user) -> Division | None:
    """The division a reporter reports for: their agency's (a province, prefecture or county)."""
    return user.agency.division if may(user, REPORT_QUARTERLY) else None


def below_filter(user, field: str = "division") -> Q:
    """Rows of the divisions strictly below the reporter's division (``field`` names the division)."""
    division = reporter_division(user)
    if division is None:
        return NOTHING
    return Q(**{f"{field}__code__startswith": division.code_prefix}) & ~Q(**{f"{field}_id": division.pk})


class ChainQuerySet(RestrictedQuerySet):
    """Rows of a division in the chain: its own reporters and every level above it see them (the
    Office and auditors all); the level directly above changes them."""

    def access_filter(self, user, action: str) -> Q:
        if action == VIEW:
            if may(user, READ_ALL_SUBMITTED):
                return EVERYTHING
            division = reporter_division(user)
            if division is None:
                return NOTHING
            return Q(division__code__startswith=division.code_prefix)
        division = reporter_division(user)
        return Q(division__parent_id=division.pk) if division is not None else NOTHING


class CollectingDivisionQuerySet(RestrictedQuerySet):
    def access_filter(self, user, action: str) -> Q:
        if action == VIEW:
            return EVERYTHING
        return EVERYTHING if may(user, ADMINISTER) else NOTHING


class CollectingDivision(models.Model):
    """A province or prefecture that collects its quarterly figures from the divisions directly
    below it (every current one reports); without this row a division reports alone."""

    division = models.OneToOneField(
        Division,
        verbose_name=_("division"),
        on_delete=models.PROTECT,
        related_name="collecting",
        limit_choices_to={"level__in": [DivisionLevel.PROVINCE, DivisionLevel.PREFECTURE]},
    )
    since = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("collects from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The first quarter it collects; empty: every quarter. Before it, it reported alone."),
    )
    created_at = models.DateTimeField(_("set at"), auto_now_add=True)

    objects = CollectingDivisionQuerySet.as_manager()

    class Meta:
        ordering = ["division__code"]
        verbose_name = _("division collecting from the level below")
        verbose_name_plural = _("divisions collecting from the level below")

    def __str__(self) -> str:
        return str(self.division)


def collecting_in(period: ReportingPeriod | None) -> Q:
    """The ``CollectingDivision`` rows that collect in ``period`` (any quarter when None)."""
    if period is None:
        return Q()
    return Q(since__isnull=True) | Q(since__starts_on__lte=period.starts_on)


def collects(division: Division, period: ReportingPeriod | None = None) -> bool:
    """Whether ``division`` collects from the level below (in ``period``, if given: a quarter
    before its ``since`` it reported alone)."""
    return (
        division.level != DivisionLevel.COUNTY
        and CollectingDivision.objects.filter(collecting_in(period), division=division).exists()
    )


def reporting_children(division: Division, period: ReportingPeriod | None = None) -> list[Division]:
    """The divisions that report to ``division`` (in ``period``, if given): every current one
    directly below it when it collects, none when it reports alone. One or two queries."""
    if not collects(division, period):
        return []
    return list(Division.objects.current().filter(parent=division).order_by("code"))


def reporting_parent(division: Division) -> Division | None:
    """The division whose level approves ``division``'s report; None for a province (the Office)."""
    return None if division.level == DivisionLevel.PROVINCE else division.parent


class NothingToReport(models.Model):
    """The level above says a division has nothing to report for a quarter, and why."""

    division = models.ForeignKey(
        Division, verbose_name=_("division"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("marked by"), on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField(_("marked at"))

    objects = ChainQuerySet.as_manager()

    class Meta:
        ordering = ["division__code"]
        verbose_name = _("nothing to report")
        verbose_name_plural = _("nothing to report")
        constraints = [
            models.UniqueConstraint(fields=["division", "period"], name="one_nothing_to_report_per_quarter")
        ]

    def __str__(self) -> str:
        return f"{self.division} · {self.period}"


class LockExceptionQuerySet(ChainQuerySet):
    def granted_until(self) -> dict[int, dt.date]:
        """Until when the exceptions among these keep each period open, by period id (one query)."""
        rows = self.order_by().values("period_id").annotate(until=Max("open_until"))
        return {row["period_id"]: row["until"] for row in rows}


class LockException(models.Model):
    """The level above lets a division below the province submit a locked quarter until a date.

    Below the province this replaces reopening: a province asks the Office (``ReopenRequest``), a
    prefecture or county is granted an exception by the level above, without asking.
    """

    division = models.ForeignKey(
        Division, verbose_name=_("division"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="+"
    )
    open_until = models.DateField(_("open until"))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("granted by"), on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted at"))

    objects = LockExceptionQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("lock exception")
        verbose_name_plural = _("lock exceptions")
        indexes = [models.Index(fields=["division", "period"])]

    def __str__(self) -> str:
        return f"{self.division} · {self.period} · {self.open_until}"
