"""The Plan of Action as data: plan, areas, measures and sub-measures, responsibilities, targets.

A plan is one row; a later plan (2013–2020, 2021–2025) is loaded the same way from its own data
file with ``manage.py load_plan``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.models import MemberUnit
from core.bilingual import Localized
from core.permissions import ReferenceDataQuerySet
from measures.choices import (
    ClauseKind,
    FigureGroup,
    ResponsibilityRole,
    RuleImportance,
    TargetDirection,
    TargetKind,
)
from measures.expressions import OPERATORS, evaluate, parse


class Plan(models.Model):
    """A national plan of action, e.g. 国办发〔2007〕69号 for 2008–2012."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=300)
    document_number = models.CharField(_("document number"), max_length=50)
    issuer_zh = models.CharField(_("issuer (Chinese)"), max_length=100)
    issuer_en = models.CharField(_("issuer (English)"), max_length=200)
    issued_on = models.DateField(_("issued on"))
    in_force_from = models.DateField(_("in force from"))
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    preamble_zh = models.TextField(_("preamble (Chinese)"), blank=True)
    preamble_en = models.TextField(_("preamble (English)"), blank=True)
    guiding_principles_zh = models.TextField(_("guiding principles (Chinese)"), blank=True)
    guiding_principles_en = models.TextField(_("guiding principles (English)"), blank=True)
    overall_goal_zh = models.TextField(_("overall goal (Chinese)"), blank=True)
    overall_goal_en = models.TextField(_("overall goal (English)"), blank=True)

    objects = ReferenceDataQuerySet.as_manager()

    title = Localized()
    issuer = Localized()
    preamble = Localized()
    guiding_principles = Localized()
    overall_goal = Localized()

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")), name="plan_years_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)


class Area(models.Model):
    """One of the plan's areas of action (Part Four), with its work objective."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="areas")
    seq = models.PositiveSmallIntegerField(_("number"))
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=300)
    objective_zh = models.TextField(_("work objective (Chinese)"))
    objective_en = models.TextField(_("work objective (English)"))

    objects = ReferenceDataQuerySet.as_manager()

    title = Localized()
    objective = Localized()

    class Meta:
        ordering = ["plan", "seq"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [models.UniqueConstraint(fields=["plan", "seq"], name="area_unique_seq")]

    def __str__(self) -> str:
        return f"{self.seq}. {self.title}"


class Measure(models.Model):
    """A numbered measure of an area (ref ``2.1``) or a dash sub-measure beneath it (``2.1.a``).

    Units stand to it through ``Responsibility`` exactly as the Chinese parenthesis says; a measure
    without a parenthesis of its own has none, and its sub-measures carry the units.
    """

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="measures")
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="measures")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent measure"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sub_measures",
    )
    ref = models.CharField(_("reference"), max_length=12)
    seq = models.PositiveSmallIntegerField(_("order in the plan"))
    text_zh = models.TextField(_("text (Chinese)"))
    text_en = models.TextField(_("text (English)"))
    units_zh = models.CharField(_("units as the Chinese text states them"), max_length=300, blank=True)
    note_en = models.TextField(_("note on the English translation"), blank=True)
    units = models.ManyToManyField(
        MemberUnit, verbose_name=_("units"), through="Responsibility", related_name="measures"
    )

    objects = ReferenceDataQuerySet.as_manager()

    text = Localized()

    class Meta:
        ordering = ["plan", "seq"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.UniqueConstraint(fields=["plan", "ref"], name="measure_unique_ref"),
            models.UniqueConstraint(fields=["plan", "seq"], name="measure_unique_seq"),
        ]

    def __str__(self) -> str:
        return self.ref

    @property
    def is_sub_measure(self) -> bool:
        return self.parent_id is not None

    def _units_in_role(self, role: str) -> list[MemberUnit]:
        # Reads prefetched responsibilities (see selectors.measures_with_units): no query per row.
        return [r.unit for r in self.responsibilities.all() if r.role == role]

    @property
    def responsible_units(self) -> list[MemberUnit]:
        return self._units_in_role(ResponsibilityRole.RESPONSIBLE)

    @property
    def cooperating_units(self) -> list[MemberUnit]:
        return self._units_in_role(ResponsibilityRole.COOPERATING)

    @property
    def label(self) -> str:
        """The plan's own numbering: 2.(1) for a measure, 2.(1)-b for its second dash item."""
        parts = self.ref.split(".")
        label = f"{parts[0]}.({parts[1]})"
        return f"{label}-{parts[2]}" if len(parts) > 2 else label


class Responsibility(models.Model):
    """A unit's role on a measure: responsible (负责) or cooperating (配合), in the plan's order."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="responsibilities"
    )
    unit = models.ForeignKey(
        MemberUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="responsibilities"
    )
    role = models.CharField(_("role"), max_length=1, choices=ResponsibilityRole.choices)
    seq = models.PositiveSmallIntegerField(_("order in the parenthesis"))

    objects = ReferenceDataQuerySet.as_manager()

    class Meta:
        ordering = ["measure", "role", "seq"]
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        constraints = [models.UniqueConstraint(fields=["measure", "unit"], name="responsibility_unique_unit")]

    def __str__(self) -> str:
        return f"{self.measure.ref} {self.unit.code} {self.role}"


class Target(models.Model):
    """A target the plan states: a dated milestone, or an indicator measured against a baseline."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="targets")
    code = models.SlugField(_("code"), max_length=60)
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="targets")
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("measure"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="targets",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=TargetKind.choices)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    text_zh = models.TextField(_("text (Chinese)"))
    text_en = models.TextField(_("text (English)"))
    indicator = models.SlugField(_("indicator"), max_length=60, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    direction = models.CharField(
        _("desired direction"), max_length=10, choices=TargetDirection.choices, blank=True
    )

    objects = ReferenceDataQuerySet.as_manager()

    text = Localized()

    class Meta:
        ordering = ["plan", "area__seq", "due_on", "code"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="target_unique_code")]

    def __str__(self) -> str:
        return self.code


class PlanClause(models.Model):
    """A clause of the plan outside Part Four: strategic measures, the Joint Conference's functions,
    safeguards (Part Three) and implementation, monitoring and evaluation (Part Five)."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="clauses")
    kind = models.CharField(_("kind"), max_length=20, choices=ClauseKind.choices)
    seq = models.PositiveSmallIntegerField(_("number"))
    key = models.SlugField(_("key"), max_length=60, blank=True)
    text_zh = models.TextField(_("text (Chinese)"))
    text_en = models.TextField(_("text (English)"))

    objects = ReferenceDataQuerySet.as_manager()

    text = Localized()

    class Meta:
        ordering = ["plan", "kind", "seq"]
        verbose_name = _("plan clause")
        verbose_name_plural = _("plan clauses")
        constraints = [models.UniqueConstraint(fields=["plan", "kind", "seq"], name="clause_unique_seq")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.seq}"


class FigureDefinition(models.Model):
    """A named count a unit may report with its progress on certain measures (e.g. persons trained)."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="figures")
    code = models.SlugField(_("code"), max_length=60)
    seq = models.PositiveSmallIntegerField(_("order"))
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=200)
    measures = models.ManyToManyField(Measure, verbose_name=_("measures"), related_name="figures")

    objects = ReferenceDataQuerySet.as_manager()

    name = Localized()

    class Meta:
        ordering = ["plan", "seq"]
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="figure_unique_code")]

    def __str__(self) -> str:
        return self.name


class QuarterlyFigure(models.Model):
    """A figure of the provinces' quarterly report (cases reported, women rescued, ...)."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="quarterly_figures"
    )
    code = models.SlugField(_("code"), max_length=60)
    seq = models.PositiveSmallIntegerField(_("order"))
    group = models.CharField(_("group"), max_length=20, choices=FigureGroup.choices)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=200)

    objects = ReferenceDataQuerySet.as_manager()

    name = Localized()

    class Meta:
        ordering = ["plan", "seq"]
        verbose_name = _("quarterly report figure")
        verbose_name_plural = _("quarterly report figures")
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="quarterly_figure_unique_code")]

    def __str__(self) -> str:
        return self.name


class QuarterlyRule(models.Model):
    """A check on the quarterly report's figures: left side, operator, right side (see expressions).

    An error blocks submission; a warning asks the province to explain in a comment.
    """

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="quarterly_rules"
    )
    code = models.SlugField(_("code"), max_length=60)
    seq = models.PositiveSmallIntegerField(_("order"))
    left = models.CharField(_("left side"), max_length=200)
    operator = models.CharField(_("operator"), max_length=2, choices=[(o, o) for o in OPERATORS])
    right = models.CharField(_("right side"), max_length=200)
    importance = models.CharField(_("importance"), max_length=10, choices=RuleImportance.choices)
    message_zh = models.CharField(_("message (Chinese)"), max_length=300)
    message_en = models.CharField(_("message (English)"), max_length=300)

    objects = ReferenceDataQuerySet.as_manager()

    message = Localized()

    class Meta:
        ordering = ["plan", "seq"]
        verbose_name = _("quarterly report rule")
        verbose_name_plural = _("quarterly report rules")
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="quarterly_rule_unique_code")]

    def __str__(self) -> str:
        return f"{self.left} {self.operator} {self.right}"

    @property
    def fields(self) -> list[str]:
        """The figures the rule speaks of, left side first: the first names the field at fault."""
        return [t.code for t in parse(self.left) + parse(self.right) if t.code]

    def holds(self, values: dict[str, int | None]) -> bool | None:
        """Whether the figures satisfy the rule; None while a figure it needs is empty."""
        left, right = evaluate(self.left, values), evaluate(self.right, values)
        if left is None or right is None:
            return None
        return OPERATORS[self.operator](left, right)
