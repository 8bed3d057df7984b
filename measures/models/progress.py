"""Reporting periods and the progress units log on their measures, with figures and evidence."""

import datetime as dt
import re
import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from agencies.models import MemberUnit
from core.choices import EDITABLE_STATES, PUBLISHED_STATES, SHARED_STATES
from core.models import ReviewedRecord
from core.models.reviewed import RecordPartQuerySet
from core.permissions import (
    ADD,
    CHANGE,
    LOG_PROGRESS,
    NOTHING,
    READ_ALL_SUBMITTED,
    VIEW,
    ReferenceDataQuerySet,
    RestrictedQuerySet,
    may,
)
from measures.choices import ProgressStatus, ResponsibilityRole
from measures.models.membership import measures_answered_by
from measures.models.plan import FigureDefinition, Measure, Plan

PERIOD_CODE = re.compile(r"^([0-9]{4})Q([1-4])$")
# One name per quarter, so that Chinese writes the quarter in words (第四季度), as people do.
QUARTER_NAMES = {1: _("%(year)s Q1"), 2: _("%(year)s Q2"), 3: _("%(year)s Q3"), 4: _("%(year)s Q4")}


def year_label(year: int) -> str:
    """A calendar year as people write it: 2009年, 2009."""
    return pgettext("a calendar year", "%(year)s") % {"year": year}


class ReportingPeriodQuerySet(ReferenceDataQuerySet):
    def with_code(self, code: str):
        """The period written ``2009Q4`` (none for anything else)."""
        match = PERIOD_CODE.match(str(code or "").strip().upper())
        return self.filter(year=int(match[1]), quarter=int(match[2])) if match else self.none()

    def current(self, plan: Plan, today: dt.date):
        """The period being reported on ``today``: the first whose deadline has not passed.

        Before the plan starts that is its first quarter; after it ends, its last.
        """
        periods = self.filter(plan=plan)
        return (
            periods.filter(deadline__gte=today).order_by("starts_on").first()
            or periods.order_by("-starts_on").first()
        )


class ReportingPeriod(models.Model):
    """A quarter of a plan, with the deadline for reports on it.

    Derived from the plan (its years × four quarters) when the plan is loaded; the deadline
    defaults to REPORTING_DEADLINE_DAYS after the quarter ends and the Office may move it. The
    provinces' quarterly reports use the same periods.
    """

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="periods")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=[(q, f"Q{q}") for q in range(1, 5)])
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    deadline = models.DateField(_("deadline"))

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "starts_on"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            models.UniqueConstraint(fields=["plan", "year", "quarter"], name="period_unique_quarter"),
            models.CheckConstraint(condition=Q(deadline__gte=models.F("ends_on")), name="deadline_after_end"),
        ]

    def __str__(self) -> str:
        """The quarter as people write it, in the active language: 2009年第四季度, 2009 Q4."""
        return str(QUARTER_NAMES[self.quarter]) % {"year": self.year}

    @property
    def label(self) -> str:
        return str(self)

    @property
    def code(self) -> str:
        return f"{self.year}Q{self.quarter}"

    @property
    def deadline_end(self) -> dt.datetime:
        """The last moment of the deadline day, in the portal's time zone."""
        return timezone.make_aware(dt.datetime.combine(self.deadline, dt.time.max))

    @property
    def submittable_from(self) -> dt.date:
        """The first day a report on the quarter can be submitted: the day after it ends."""
        return self.ends_on + dt.timedelta(days=1)

    def has_ended(self, today: dt.date) -> bool:
        """Whether the quarter is over on ``today`` (a report on it can be submitted)."""
        return today > self.ends_on


PLAN_TEXTS = ("preamble", "guiding_principles", "overall_goal")


class ProgressEntryQuerySet(RestrictedQuerySet):
    def access_filter(self, user, action: str) -> Q:
        if action == VIEW:
            if may(user, READ_ALL_SUBMITTED):
                # Drafts belong to their unit until submitted.
                return Q(state__in=SHARED_STATES)
            if may(user, LOG_PROGRESS):
                # The measures the unit is on, its predecessors' included (a successor reads what
                # the units on the measure published before the change, and they its entries).
                units_measures = measures_answered_by(user.unit_id)
                return Q(unit_id=user.unit_id) | Q(measure__in=units_measures, state__in=PUBLISHED_STATES)
            return NOTHING
        if action in (ADD, CHANGE) and may(user, LOG_PROGRESS):
            return Q(unit_id=user.unit_id, state__in=EDITABLE_STATES)
        return NOTHING

    def published(self):
        """What counts as the unit's word to others (dashboards, compiled reports): submitted and
        accepted entries; a returned one is being reworked. Narrows a restricted queryset."""
        return self.filter(state__in=PUBLISHED_STATES)

    def with_details(self):
        return self.select_related(
            "measure__area", "measure__plan", "unit", "period", "submitted_by", "reviewed_by"
        )

    def listed(self):
        """What a list of entries shows (the measure's number and plan, the unit, the period, the
        states, dates and the Office's comment): not the narrative, nor the texts of the measure or
        the plan."""
        return self.select_related("measure__plan", "unit", "period").defer(
            "narrative",
            "measure__text_zh",
            "measure__text_en",
            "measure__note_en",
            *(f"measure__plan__{name}_{lang}" for name in PLAN_TEXTS for lang in ("zh", "en")),
        )


class ProgressEntry(ReviewedRecord):
    """What one unit reports on one measure for one period.

    A responsible unit reports the measure's status; a cooperating unit its contribution (no
    status). Draft → submitted → accepted, or returned with the Office's comment → resubmitted.
    ``version`` grows with every save, so a second person saving over a changed entry is refused.
    """

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.PROTECT, related_name="progress_entries"
    )
    unit = models.ForeignKey(
        MemberUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="progress_entries"
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="progress_entries"
    )
    role = models.CharField(_("role of the unit"), max_length=1, choices=ResponsibilityRole.choices)
    status = models.CharField(_("status"), max_length=20, choices=ProgressStatus.choices, blank=True)
    narrative = models.TextField(_("narrative"), blank=True)
    plan_line = models.ForeignKey(
        "measures.ImplementationLine",
        verbose_name=_("line of the implementation plan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="progress_entries",
        help_text=_("The line of the unit's implementation plan this entry reports on, if any."),
    )

    objects = ProgressEntryQuerySet.as_manager()

    class Meta:
        ordering = ["period__starts_on", "measure__seq", "role", "unit__seq"]
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "unit", "period"], name="entry_unique_measure_unit_period"
            ),
            models.CheckConstraint(
                condition=Q(role=ResponsibilityRole.RESPONSIBLE) | Q(status=""),
                name="status_only_for_responsible",
            ),
        ]
        indexes = [models.Index(fields=["state", "submitted_at"]), models.Index(fields=["unit", "period"])]

    def __str__(self) -> str:
        return f"{self.measure.ref} · {self.unit.code} · {self.period}"


class EntryPartQuerySet(RecordPartQuerySet):
    """Figures and evidence: seen and changed with the entry they belong to."""

    record_field = "entry"


class ProgressFigure(models.Model):
    """One named count reported with an entry."""

    entry = models.ForeignKey(
        ProgressEntry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="figures"
    )
    definition = models.ForeignKey(
        FigureDefinition, verbose_name=_("figure"), on_delete=models.PROTECT, related_name="values"
    )
    value = models.PositiveIntegerField(_("value"))

    objects = EntryPartQuerySet.as_manager()

    class Meta:
        ordering = ["definition__seq"]
        verbose_name = _("figure value")
        verbose_name_plural = _("figure values")
        constraints = [models.UniqueConstraint(fields=["entry", "definition"], name="figure_once_per_entry")]

    def __str__(self) -> str:
        return f"{self.definition.code}={self.value}"


def evidence_path(instance: "EvidenceFile", filename: str) -> str:
    # Stored under MEDIA_ROOT, which no web server serves: files go out only through a view that
    # checks the reader's rights. The stored name says nothing; the original name is kept apart.
    entry = instance.entry
    return f"evidence/{entry.period.code}/{entry.unit.code}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class EvidenceFile(models.Model):
    """A document supporting a progress entry (PDF, image or office document)."""

    entry = models.ForeignKey(
        ProgressEntry, verbose_name=_("entry"), on_delete=models.PROTECT, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    objects = EntryPartQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.original_name
