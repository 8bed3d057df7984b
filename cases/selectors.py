"""Reads of case files: the suppressed statistics (``suppressed_statistics``, ``service_statistics``)
and the follow-up visits past due. ``suppressed_statistics`` is the only way case data leaves the
app: aggregates in which small counts, and any count that would let one be worked out, are
hidden. Each takes the user and starts from the gate of its model."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, OuterRef, Subquery

from agencies.models import Province
from cases.choices import CaseStatus, Category, ServiceKind
from cases.models.assistance import AssistanceService, FollowUp
from cases.models.case_files import CaseFile
from core import clock

# What stands for a suppressed count wherever one is shown: the web page, a compiled report's PDF and XLSX.
SUPPRESSED = "·"

DIMENSIONS = {
    "province": ("rescue_province", lambda: [(p.pk, p.name) for p in Province.objects.all()]),
    "category": ("category", lambda: list(Category.choices)),
    "status": ("status", lambda: list(CaseStatus.choices)),
}


@dataclass
class SuppressedTable:
    """Counts by row and column; ``None`` where suppressed. Totals are suppressed the same way."""

    symbol = SUPPRESSED  # what a hidden count shows, for the templates

    rows: list[tuple[object, str]]
    columns: list[tuple[object, str]]
    cells: dict[tuple[object, object], int | None]
    row_totals: dict[object, int | None]
    column_totals: dict[object, int | None]
    total: int | None
    threshold: int
    suppressed: int = field(default=0)

    def table(self):
        for key, label in self.rows:
            yield label, [self.cells[(key, c)] for c, _ in self.columns], self.row_totals[key]

    def totals_row(self):
        return [self.column_totals[c] for c, _ in self.columns]


def suppress(counts: dict[tuple, int], rows: list, columns: list, threshold: int) -> SuppressedTable:
    """Hide every count from 1 to threshold−1, then as many more as it takes so that no hidden
    count can be worked out from its row, its column or the totals (each sum with exactly one
    unknown gets a second, the smallest it has)."""
    row_keys, column_keys = [r for r, _ in rows], [c for c, _ in columns]
    values = {(r, c): counts.get((r, c), 0) for r in row_keys for c in column_keys}
    row_totals = {r: sum(values[(r, c)] for c in column_keys) for r in row_keys}
    column_totals = {c: sum(values[(r, c)] for r in row_keys) for c in column_keys}
    total = sum(row_totals.values())
    # Every number shown, keyed so that sums can be written down: cells, margins and the total.
    numbers = {("cell", r, c): v for (r, c), v in values.items()}
    numbers.update({("row", r): v for r, v in row_totals.items()})
    numbers.update({("column", c): v for c, v in column_totals.items()})
    numbers[("total",)] = total
    hidden = {key for key, value in numbers.items() if 0 < value < threshold}
    # Each sum: its parts and its total. One unknown in a sum is one unknown too many.
    sums = [[("cell", r, c) for c in column_keys] + [("row", r)] for r in row_keys]
    sums += [[("cell", r, c) for r in row_keys] + [("column", c)] for c in column_keys]
    sums.append([("row", r) for r in row_keys] + [("total",)])
    sums.append([("column", c) for c in column_keys] + [("total",)])
    changed = True
    while changed:
        changed = False
        for members in sums:
            unknown = [m for m in members if m in hidden]
            if len(unknown) == 1:
                candidates = [m for m in members if m not in hidden]
                if not candidates:
                    continue
                # The smallest non-zero count gives away least; a zero only when there is no other.
                choice = min(candidates, key=lambda m: (numbers[m] == 0, numbers[m]))
                hidden.add(choice)
                changed = True

    def shown(key):
        return None if key in hidden else numbers[key]

    return SuppressedTable(
        rows=rows,
        columns=columns,
        cells={(r, c): shown(("cell", r, c)) for r in row_keys for c in column_keys},
        row_totals={r: shown(("row", r)) for r in row_keys},
        column_totals={c: shown(("column", c)) for c in column_keys},
        total=shown(("total",)),
        threshold=threshold,
        suppressed=len(hidden),
    )


def suppressed_statistics(
    user,
    by_rows: str = "province",
    by_columns: str = "category",
    threshold: int | None = None,
    rescued_between: tuple | None = None,
):
    """Case counts by two dimensions, over every agency's files whose person consented to
    statistics (optionally only those rescued between two dates, inclusive); safe to show anyone
    (the Office, provinces, reports, the API): every signed-in ``user``."""
    threshold = settings.CASE_STATISTICS_THRESHOLD if threshold is None else threshold
    row_field, row_choices = DIMENSIONS[by_rows]
    column_field, column_choices = DIMENSIONS[by_columns]
    base = CaseFile.objects.counted_in_statistics(user)  # aggregates only, across all agencies
    if rescued_between:
        base = base.filter(rescued_on__range=rescued_between)
    counts = {
        (row[row_field], row[column_field]): row["n"]
        for row in base.values(row_field, column_field).annotate(n=Count("id"))
    }
    return suppress(counts, row_choices(), column_choices(), threshold)


def service_statistics(user, threshold: int | None = None):
    """Persons who received each kind of service, by category, suppressed the same way."""
    threshold = settings.CASE_STATISTICS_THRESHOLD if threshold is None else threshold
    counts = {
        (row["kind"], row["case__category"]): row["n"]
        for row in AssistanceService.objects.counted_in_statistics(user)
        .values("kind", "case__category")
        .annotate(n=Count("case", distinct=True))
    }
    return suppress(counts, list(ServiceKind.choices), list(Category.choices), threshold)


def overdue_follow_ups(user):
    """The latest visit of each case the user's agency sees, where the next one is past due and the
    case is not closed (one query: only those rows are read)."""
    latest = FollowUp.objects.filter(case=OuterRef("case")).order_by("-visited_on", "-pk").values("pk")[:1]
    return list(
        FollowUp.objects.restrict(user)
        .filter(pk=Subquery(latest), next_visit_due__lt=clock.today())
        .exclude(case__status=CaseStatus.CLOSED)
        .select_related("case", "agency")
        .order_by("next_visit_due")
    )
