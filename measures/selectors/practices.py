"""Reads of the library of good practices: the published ones found by text and filters (newest
first), a practice with what its page shows, the owner's own proposals and the Office's queue.

Each starts from ``GoodPractice.objects.restrict`` and costs a fixed number of queries whatever the
number of practices, measures or files (the related rows are chosen here, once).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When

from core.choices import ReviewState
from core.permissions import VIEW
from measures.models import GoodPractice, Measure, Plan
from measures.models.owners import owned_q

# The longest search text (a page or an API call sending more is told, naming the field).
MAX_QUERY = 100


@dataclass(frozen=True)
class PracticeFilters:
    """What the library is filtered by: any run of characters of a title or summary (``q``), the
    area's number, a measure's reference (its dash items too), the owning unit's code and a
    province's code (where it is practised, or the province that proposed it)."""

    q: str = ""
    area: int | None = None
    measure: str = ""
    unit: str = ""
    province: str = ""

    def apply(self, practices: QuerySet) -> QuerySet:
        practices = practices.search(self.q)
        if self.area is not None:
            practices = practices.filter(area__seq=self.area)
        if self.measure:
            # Through the link table, so that a practice on several matching measures is listed once.
            links = GoodPractice.measures.through.objects.filter(
                Q(measure__ref=self.measure) | Q(measure__ref__startswith=f"{self.measure}.")
            )
            practices = practices.filter(pk__in=links.values("goodpractice_id"))
        if self.unit:
            practices = practices.filter(unit__code=self.unit)
        if self.province:
            practices = practices.filter(
                Q(practice_province__code=self.province) | Q(province__code=self.province)
            )
        return practices


def with_listing(practices: QuerySet) -> QuerySet:
    """The related rows a list of practices shows (owner, area, province, measures, file count)."""
    return (
        practices.select_related("unit", "province", "practice_province", "area__plan")
        .prefetch_related(Prefetch("measures", queryset=Measure.objects.order_by("seq")))
        .annotate(attachment_count=Count("attachments", distinct=True))
    )


def practice_library(user, plan: Plan | None, filters: PracticeFilters) -> QuerySet:
    """The published practices (of ``plan``, where given) that match ``filters``, newest first."""
    practices = GoodPractice.objects.restrict(user, VIEW).published()
    if plan is not None:
        practices = practices.filter(area__plan=plan)
    return with_listing(filters.apply(practices)).order_by("-published_at", "-pk")


def practice_with_details(user, pk: int) -> GoodPractice | None:
    """The practice with what its page shows, if ``user`` may see it (None otherwise)."""
    return (
        GoodPractice.objects.restrict(user, VIEW)
        .select_related(
            "unit", "province", "practice_province", "area__plan", "submitted_by", "reviewed_by", "updated_by"
        )
        .prefetch_related(Prefetch("measures", queryset=Measure.objects.order_by("seq")), "attachments")
        .filter(pk=pk)
        .first()
    )


def my_practices(user) -> QuerySet:
    """The practices of the user's unit or province, in every state: returned ones first, then the
    most recently changed."""
    practices = GoodPractice.objects.restrict(user, VIEW).filter(owned_q(user))
    returned_first = Case(When(state=ReviewState.RETURNED, then=Value(0)), default=Value(1))
    return with_listing(practices).order_by(returned_first, "-updated_at", "-pk")


def practices_to_review(user) -> QuerySet:
    """The practices waiting for the Office's decision, the longest waiting first."""
    practices = GoodPractice.objects.restrict(user, VIEW).filter(state=ReviewState.SUBMITTED)
    return with_listing(practices).order_by("submitted_at", "pk")
