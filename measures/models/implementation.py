"""Implementation plans (Part Five 1: 各地区、各成员单位……制订实施计划): each member unit and each
province writes how it will carry out a national plan, as a document and as lines, each on a
measure of the plan, with yearly targets, the office in charge and a budget; a province adds local
measures (实施细则) beneath a national measure, with targets per division. The Office accepts or
returns the plan (the reviewed-record skeleton, ``core.workflow``); each year the owner checks
itself against the lines.

Who sees a plan: its owner (``measures.models.owners``), the Office and auditors once submitted,
and the reporting officers of the divisions below a province its submitted or accepted plan (they
carry out its local measures).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Division, MemberUnit, Province
from core.choices import EDITABLE_STATES, PUBLISHED_STATES, SHARED_STATES
from core.models import ReviewedRecord
from core.models.attachments import stored_name
from core.permissions import (
    ADD,
    CHANGE,
    NOTHING,
    READ_ALL_SUBMITTED,
    REPORT_QUARTERLY,
    VIEW,
    RestrictedQuerySet,
    may,
)
from measures.choices import MAX_AMOUNT_DIGITS, LineKind, SelfCheckStatus
from measures.models.owners import owned_q, owner_columns_q
from measures.models.plan import Measure, Plan


class ImplementationPlanQuerySet(RestrictedQuerySet):
    def access_filter(self, user, action: str) -> Q:
        own = owned_q(user)
        if action == VIEW:
            seen = own
            if may(user, READ_ALL_SUBMITTED):
                seen |= Q(state__in=SHARED_STATES)
            elif may(user, REPORT_QUARTERLY) and user.province_id:
                # A prefecture's or county's reporters read the plan of their province once it is sent.
                seen |= Q(province_id=user.province_id, state__in=PUBLISHED_STATES)
            return seen
        if action in (ADD, CHANGE):
            return own & Q(state__in=EDITABLE_STATES) if own is not NOTHING else NOTHING
        return NOTHING

    def with_details(self):
        return self.select_related("plan", "unit", "province", "updated_by", "submitted_by", "reviewed_by")


def plan_document_path(instance: ImplementationPlan, filename: str) -> str:
    return stored_name(f"implementation/{instance.plan.code}", filename)


class ImplementationPlan(ReviewedRecord):
    """A member unit's or a province's implementation plan of a national plan: a document and lines.

    Draft → submitted → accepted or returned by the Office (with history); an accepted plan is
    frozen until the Office reopens it. The owner is exactly one of ``unit`` and ``province``.
    """

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="implementation_plans"
    )
    unit = models.ForeignKey(
        MemberUnit,
        verbose_name=_("member unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="implementation_plans",
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="implementation_plans",
    )
    summary = models.TextField(_("summary"), blank=True)
    document = models.FileField(_("document"), upload_to=plan_document_path, max_length=255, blank=True)
    document_name = models.CharField(_("document's file name"), max_length=255, blank=True)
    document_type = models.CharField(_("document's type"), max_length=100, blank=True)
    document_sha256 = models.CharField(_("document's SHA-256"), max_length=64, blank=True)

    objects = ImplementationPlanQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "province__code", "unit__seq"]
        verbose_name = _("implementation plan")
        verbose_name_plural = _("implementation plans")
        constraints = [
            models.CheckConstraint(condition=owner_columns_q(), name="implementation_plan_one_owner"),
            models.UniqueConstraint(
                fields=["plan", "unit"],
                condition=Q(unit__isnull=False),
                name="one_implementation_plan_per_unit",
            ),
            models.UniqueConstraint(
                fields=["plan", "province"],
                condition=Q(province__isnull=False),
                name="one_implementation_plan_per_province",
            ),
        ]
        indexes = [models.Index(fields=["plan", "state"])]

    def __str__(self) -> str:
        return f"{self.owner} · {self.plan.code}"

    @property
    def owner(self):
        """The unit or province whose plan this is."""
        return self.unit if self.unit_id else self.province

    @property
    def is_late(self) -> bool:
        return False  # the plan sets no deadline for implementation plans


class PlanPartQuerySet(RestrictedQuerySet):
    """Lines, targets and documents of an implementation plan: seen with the plan, changed by whoever
    may change it. ``plan_path`` leads from a row to its implementation plan."""

    plan_path = "implementation_plan"

    def access_filter(self, user, action: str) -> Q:
        plans = ImplementationPlan.objects.restrict(user, VIEW if action == VIEW else CHANGE)
        return Q(**{f"{self.plan_path}__in": plans.values("pk")})


class ImplementationLine(models.Model):
    """One line of an implementation plan, on a measure of the national plan: what the owner will
    do (an action), or a local measure (实施细则) a province adds beneath the national measure."""

    implementation_plan = models.ForeignKey(
        ImplementationPlan,
        verbose_name=_("implementation plan"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("national measure"),
        on_delete=models.PROTECT,
        related_name="implementation_lines",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LineKind.choices, default=LineKind.ACTION)
    seq = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    text = models.TextField(_("what will be done"))
    office_in_charge = models.CharField(_("office in charge"), max_length=200)
    budget = models.DecimalField(
        _("budget (yuan)"),
        max_digits=MAX_AMOUNT_DIGITS,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )

    objects = PlanPartQuerySet.as_manager()

    class Meta:
        ordering = ["implementation_plan", "measure__seq", "seq"]
        verbose_name = _("implementation plan line")
        verbose_name_plural = _("implementation plan lines")
        constraints = [
            models.UniqueConstraint(
                fields=["implementation_plan", "seq"], name="implementation_line_unique_seq"
            ),
            models.CheckConstraint(
                condition=Q(budget__gte=0), name="implementation_line_budget_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure.label} · {self.title or self.text[:40]}"


class LinePartQuerySet(PlanPartQuerySet):
    plan_path = "line__implementation_plan"


class ImplementationTarget(models.Model):
    """A line's target for one year; a local measure's may be set per division below the province."""

    line = models.ForeignKey(
        ImplementationLine, verbose_name=_("line"), on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    division = models.ForeignKey(
        Division,
        verbose_name=_("division"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the target of the whole unit or province."),
    )
    text = models.CharField(_("target"), max_length=500)
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)

    objects = LinePartQuerySet.as_manager()

    class Meta:
        ordering = ["line", "year", "division__code"]
        verbose_name = _("yearly target")
        verbose_name_plural = _("yearly targets")
        constraints = [
            models.UniqueConstraint(
                fields=["line", "year"],
                condition=Q(division__isnull=True),
                name="implementation_target_once_a_year",
            ),
            models.UniqueConstraint(
                fields=["line", "year", "division"],
                condition=Q(division__isnull=False),
                name="implementation_target_once_a_year_per_division",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.text}"


class SelfCheckQuerySet(RestrictedQuerySet):
    """A year's self-check is written by the plan's owner once the plan is accepted (the plan itself
    is frozen then); it is seen with the plan."""

    def access_filter(self, user, action: str) -> Q:
        if action == VIEW:
            plans = ImplementationPlan.objects.restrict(user, VIEW)
            return Q(line__implementation_plan__in=plans.values("pk"))
        if action in (ADD, CHANGE):
            return owned_q(user, "line__implementation_plan__")
        return NOTHING


class SelfCheck(models.Model):
    """How a line stood at the end of a year, as its owner judges it (the yearly self-check)."""

    line = models.ForeignKey(
        ImplementationLine, verbose_name=_("line"), on_delete=models.CASCADE, related_name="self_checks"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=20, choices=SelfCheckStatus.choices)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = SelfCheckQuerySet.as_manager()

    class Meta:
        ordering = ["line", "year"]
        verbose_name = _("self-check")
        verbose_name_plural = _("self-checks")
        constraints = [models.UniqueConstraint(fields=["line", "year"], name="self_check_once_a_year")]

    def __str__(self) -> str:
        return f"{self.line_id} {self.year}: {self.status}"
