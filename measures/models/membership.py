"""Who belongs to a plan, and how its member units changed while it ran: a plan's membership (order,
lead, names as the plan wrote them), and a unit renamed, merged into another or split on a date (the
March 2008 State Council restructuring: 人事部 and 劳动保障部 became 人力资源社会保障部). Both are plan
data, loaded with the plan's file; loading another plan changes neither."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import MemberUnit
from core import statistics_cache
from core.bilingual import Localized
from core.permissions import ReferenceDataQuerySet
from measures.choices import UnitChangeKind
from measures.models.plan import Plan, Responsibility


class PlanMembership(models.Model):
    """A member unit as one plan lists it: its place in the plan's order, whether it leads, and its
    name as the plan wrote it (the IMCS Office is listed as responsible but not a member)."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        MemberUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="memberships"
    )
    seq = models.PositiveSmallIntegerField(_("order in the plan"))
    name_zh = models.CharField(_("name in the plan (Chinese)"), max_length=100)
    name_en = models.CharField(_("name in the plan (English)"), max_length=200)
    is_member = models.BooleanField(_("member of the Joint Conference"), default=True)
    is_lead = models.BooleanField(_("lead unit"), default=False)

    objects = ReferenceDataQuerySet.as_manager()

    name = Localized()

    class Meta:
        ordering = ["plan", "-is_member", "seq"]
        verbose_name = _("plan membership")
        verbose_name_plural = _("plan memberships")
        constraints = [
            models.UniqueConstraint(fields=["plan", "unit"], name="membership_unique_unit"),
            models.UniqueConstraint(fields=["plan"], condition=Q(is_lead=True), name="membership_one_lead"),
        ]

    def __str__(self) -> str:
        return f"{self.plan.code} {self.seq} {self.name}"


class UnitChangeQuerySet(ReferenceDataQuerySet):
    def in_force_on(self, day: datetime.date) -> UnitChangeQuerySet:
        return self.filter(on__lte=day)


class UnitChange(models.Model):
    """One predecessor → successor step of a rename, merger or split, from a date: the successor
    answers from then on for the predecessor's measures and open work. A merger is one row per
    predecessor with the same successor; a split, one row per successor with the same predecessor
    (and the measures each takes over)."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan stating it"), on_delete=models.CASCADE, related_name="unit_changes"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=UnitChangeKind.choices)
    predecessor = models.ForeignKey(
        MemberUnit, verbose_name=_("predecessor"), on_delete=models.PROTECT, related_name="changes_out"
    )
    successor = models.ForeignKey(
        MemberUnit, verbose_name=_("successor"), on_delete=models.PROTECT, related_name="changes_in"
    )
    on = models.DateField(_("in force from"))
    measures = models.ManyToManyField(
        "measures.Measure",
        verbose_name=_("measures taken over"),
        blank=True,
        related_name="+",
        help_text=_("For a split only: the measures this successor takes over (all when empty)."),
    )
    source_zh = models.CharField(_("source (Chinese)"), max_length=300)
    source_en = models.CharField(_("source (English)"), max_length=400)

    objects = UnitChangeQuerySet.as_manager()

    source = Localized()

    class Meta:
        ordering = ["on", "predecessor__seq"]
        verbose_name = _("change of a member unit")
        verbose_name_plural = _("changes of member units")
        constraints = [
            # Per plan: each plan's changes pass only its own measures, so two plans may state
            # the same step (a plan made from another's file states its changes again).
            models.UniqueConstraint(
                fields=["plan", "predecessor", "successor"], name="unit_change_unique_step"
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")), name="unit_change_to_another_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.on:%Y-%m-%d})"


# How many changes a chain of successors may have for the read rule below (2008: one step; a unit
# renamed again in a later plan's years is two). The resolution itself (selectors.lineage) has no limit.
CHAIN_DEPTH = 3


def answered_by_q(unit_id: int | None) -> Q:
    """Responsibilities (``Responsibility`` rows) that ``unit_id`` answers for at some time: its own,
    and those that pass to it through one or more changes stated by the measure's own plan (a split
    passing only its listed measures). For read rules, which do not depend on a period; which unit
    answers in a given period is ``measures.selectors.lineage``'s."""
    q = Q(unit_id=unit_id)
    chain = Q()  # every step so far is stated by the measure's plan and covers the measure
    path = "unit"
    for _depth in range(CHAIN_DEPTH):
        step = f"{path}__changes_out"
        covers = Q(**{f"{step}__kind__in": [UnitChangeKind.RENAME, UnitChangeKind.MERGE]}) | Q(
            **{f"{step}__kind": UnitChangeKind.SPLIT, f"{step}__measures": models.F("measure")}
        )
        chain &= Q(**{f"{step}__plan": models.F("measure__plan")}) & covers
        q |= chain & Q(**{f"{step}__successor_id": unit_id})
        path = f"{step}__successor"
    return q


def measures_answered_by(unit_id: int | None) -> list[int]:
    """The ids of the measures ``unit_id`` answers for at some time (``answered_by_q``), for a read
    rule. Read once per change of the plan's data and kept (``core.statistics_cache.PLAN``: every
    save of a responsibility or a change of units renews it): as a subquery, its chain of joins cost
    each query of a liaison's page some 5 ms to compile and plan, for a list of a few dozen ids."""

    def read() -> list[int]:
        answered = Responsibility.objects.filter(answered_by_q(unit_id)).values_list("measure_id", flat=True)
        return sorted(set(answered))

    return statistics_cache.cached(f"answered-by:{unit_id}", read, domain=statistics_cache.PLAN)
