"""The quarterly reports, their figures and narratives, reopening, baselines (reminders: reminders.py)."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _

from agencies.choices import DivisionLevel
from agencies.models import Division, Province
from core.choices import EDITABLE_STATES, PUBLISHED_STATES, ReviewState
from core.models import ReviewedRecord
from core.models.reviewed import RecordPartQuerySet
from core.permissions import (
    EVERYTHING,
    NOTHING,
    READ_ALL_SUBMITTED,
    REPORT_QUARTERLY,
    REVIEW,
    VIEW,
    RestrictedQuerySet,
    may,
)
from measures.models import Area, Plan, QuarterlyFigure, ReportingPeriod
from reports.choices import ReopenState
from reports.models.chain import below_filter, reporter_division


def lock_date(period: ReportingPeriod) -> dt.date:
    """The last day a province may still submit without the Office reopening the period."""
    return period.deadline + dt.timedelta(days=settings.QUARTERLY_LOCK_DAYS)


def open_until(period: ReportingPeriod, granted: dict[int, dt.date]) -> dt.date:
    """The last day a province may submit for the period: its lock date, or a later reopening the
    Office granted it (``granted``: the province's ``ReopenRequest.objects...granted_until()``)."""
    lock = lock_date(period)
    return max(lock, granted.get(period.pk, lock))


def reports_for_province(user) -> bool:
    """Whether ``user`` reports for a whole province (its provincial office), not a level below."""
    division = reporter_division(user)
    return division is not None and division.level == DivisionLevel.PROVINCE


class ProvinceDataQuerySet(RestrictedQuerySet):
    """Rows of one province: its provincial reporters see and change them, the Office and auditors
    see all; reporters of a prefecture or county have no part in them."""

    editable_filter = Q()

    def access_filter(self, user, action: str) -> Q:
        if action == VIEW and may(user, READ_ALL_SUBMITTED):
            return EVERYTHING
        if not reports_for_province(user):
            return NOTHING
        if action == VIEW:
            return Q(province_id=user.province_id)
        return Q(province_id=user.province_id) & self.editable_filter


class QuarterlyReportQuerySet(RestrictedQuerySet):
    """A division's reports: its reporters see and change their own; every level above sees those
    sent up to it (never a draft); the Office and auditors see all."""

    def access_filter(self, user, action: str) -> Q:
        if action == VIEW and may(user, READ_ALL_SUBMITTED):
            return EVERYTHING
        division = reporter_division(user)
        if division is None:
            return NOTHING
        own = Q(division_id=division.pk)
        if action == VIEW:
            return own | (below_filter(user) & ~Q(state=ReviewState.DRAFT))
        return own & Q(state__in=EDITABLE_STATES)

    def with_details(self):
        return self.select_related("province", "division", "period__plan", "submitted_by", "reviewed_by")

    def of_provinces(self):
        """The provinces' own reports to the Office, without the reports of the levels below."""
        return self.filter(division__level=DivisionLevel.PROVINCE)


class QuarterlyReport(ReviewedRecord):
    """A reporting division's report for one quarter: figures and a narrative per area.

    A province's goes to the IMCS Office; a prefecture's or county's to the level above
    (``reports.models.chain``). Draft → submitted → accepted (for a level below the province:
    approved), or returned with a comment → resubmitted; an accepted report is frozen until the
    level above reopens (unapproves) it with a reason. ``version`` grows with every save.
    ``province`` is the division's province, kept for the province-wide rules and lists.
    """

    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="quarterly_reports"
    )
    division = models.ForeignKey(
        Division, verbose_name=_("reporting division"), on_delete=models.PROTECT, related_name="+"
    )
    approved_values = models.JSONField(
        _("values when last approved"), default=dict, blank=True, editable=False
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="quarterly_reports"
    )
    warnings_comment = models.TextField(_("explanation of the warnings"), blank=True)
    plan_lines = models.ManyToManyField(
        "measures.ImplementationLine",
        verbose_name=_("lines of the implementation plan reported on"),
        related_name="quarterly_reports",
        blank=True,
    )

    objects = QuarterlyReportQuerySet.as_manager()

    class Meta:
        ordering = ["period__starts_on", "province__code"]
        verbose_name = _("quarterly report")
        verbose_name_plural = _("quarterly reports")
        constraints = [models.UniqueConstraint(fields=["division", "period"], name="one_report_per_quarter")]
        indexes = [models.Index(fields=["period", "state"]), models.Index(fields=["province", "period"])]

    def __str__(self) -> str:
        return f"{self.division} · {self.period}"

    @property
    def is_provincial(self) -> bool:
        """A province's report to the Office (not a prefecture's or county's to the level above)."""
        return self.division.level == DivisionLevel.PROVINCE

    @property
    def state_label(self) -> str:
        """The state as its people say it: a level below the province is approved, not accepted."""
        if self.state == ReviewState.ACCEPTED and not self.is_provincial:
            return str(_("Approved"))
        return self.get_state_display()


class ReportPartQuerySet(RecordPartQuerySet):
    """Figures and narratives: seen and changed with their report."""

    record_field = "report"

    def published(self):
        """The parts of the reports whose figures count: submitted and accepted, the same rule as
        ``ProgressEntry.objects.published()``; a returned report is being corrected."""
        return self.filter(report__state__in=PUBLISHED_STATES)


class QuarterlyValue(models.Model):
    """One figure of a quarterly report."""

    report = models.ForeignKey(
        QuarterlyReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="values"
    )
    figure = models.ForeignKey(
        QuarterlyFigure, verbose_name=_("figure"), on_delete=models.PROTECT, related_name="values"
    )
    value = models.PositiveIntegerField(_("value"))

    objects = ReportPartQuerySet.as_manager()

    class Meta:
        ordering = ["figure__seq"]
        verbose_name = _("figure value")
        verbose_name_plural = _("figure values")
        constraints = [models.UniqueConstraint(fields=["report", "figure"], name="one_value_per_figure")]

    def __str__(self) -> str:
        return f"{self.figure.code}={self.value}"


class QuarterlyTotalQuerySet(ReportPartQuerySet):
    def counted(self, *, include_unconfirmed: bool = False):
        """The provinces' totals that national and provincial figures count: of accepted reports,
        or also of those submitted and not accepted yet (unconfirmed) when asked."""
        states = PUBLISHED_STATES if include_unconfirmed else (ReviewState.ACCEPTED,)
        return self.filter(report__division__level=DivisionLevel.PROVINCE, report__state__in=states)

    def unconfirmed(self):
        """The provinces' totals submitted to the Office and not accepted yet."""
        return self.filter(
            report__division__level=DivisionLevel.PROVINCE, report__state=ReviewState.SUBMITTED
        )


class QuarterlyTotal(models.Model):
    """One figure of a report with everything below it: its own value plus the totals of the
    approved reports directly below, written when the report is submitted (nothing below can
    change then until it is returned or reopened). National and provincial figures read these."""

    report = models.ForeignKey(
        QuarterlyReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="totals"
    )
    figure = models.ForeignKey(
        QuarterlyFigure, verbose_name=_("figure"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.PositiveIntegerField(_("value"))

    objects = QuarterlyTotalQuerySet.as_manager()

    class Meta:
        ordering = ["figure__seq"]
        verbose_name = _("total")
        verbose_name_plural = _("totals")
        constraints = [models.UniqueConstraint(fields=["report", "figure"], name="one_total_per_figure")]

    def __str__(self) -> str:
        return f"{self.figure.code}={self.value}"


class QuarterlyNarrative(models.Model):
    """What the province says about one area of the plan this quarter."""

    report = models.ForeignKey(
        QuarterlyReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="narratives"
    )
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("text"))

    objects = ReportPartQuerySet.as_manager()

    class Meta:
        ordering = ["area__seq"]
        verbose_name = _("narrative")
        verbose_name_plural = _("narratives")
        constraints = [models.UniqueConstraint(fields=["report", "area"], name="one_narrative_per_area")]

    def __str__(self) -> str:
        return f"{self.report} · {self.area.seq}"


class ReopenRequestQuerySet(ProvinceDataQuerySet):
    editable_filter = Q(state=ReopenState.PENDING)

    def granted_until(self) -> dict[int, dt.date]:
        """Until when the granted reopenings among these keep each period open, by period id (one query)."""
        granted = self.filter(state=ReopenState.GRANTED).order_by().values("period_id")
        return dict(granted.annotate(until=Max("open_until")).values_list("period_id", "until"))


class ReopenRequest(models.Model):
    """A province asks the Office to reopen a locked quarter; the Office grants until a date, or refuses."""

    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    state = models.CharField(
        _("state"), max_length=10, choices=ReopenState.choices, default=ReopenState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("comment of the Office"), blank=True)
    open_until = models.DateField(_("open until"), null=True, blank=True)

    objects = ReopenRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("reopening request")
        verbose_name_plural = _("reopening requests")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "period"],
                condition=Q(state=ReopenState.PENDING),
                name="one_pending_reopening_per_quarter",
            )
        ]

    def __str__(self) -> str:
        return f"{self.province} · {self.period} · {self.state}"


class BaselineQuerySet(RestrictedQuerySet):
    def access_filter(self, user, action: str) -> Q:
        if action == VIEW:
            if may(user, READ_ALL_SUBMITTED):
                return EVERYTHING
            return Q(province_id=user.province_id) if may(user, REPORT_QUARTERLY) else NOTHING
        return EVERYTHING if may(user, REVIEW) else NOTHING


class ProvinceBaseline(models.Model):
    """A province's cases reported and solved in the baseline year (2007), entered by the Office."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("baseline year"))
    cases_reported = models.PositiveIntegerField(_("cases reported"))
    cases_solved = models.PositiveIntegerField(_("cases solved"))
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = BaselineQuerySet.as_manager()

    class Meta:
        ordering = ["province__code"]
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")
        constraints = [
            models.UniqueConstraint(fields=["plan", "province"], name="one_baseline_per_province"),
            models.CheckConstraint(
                condition=Q(cases_solved__lte=models.F("cases_reported")), name="baseline_solved_le_reported"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.province} {self.year}"

    @property
    def ratio(self) -> float | None:
        return self.cases_solved / self.cases_reported if self.cases_reported else None
