"""Reads of case files: the suppressed statistics (``suppressed_statistics``, ``service_statistics``)
and the follow-up visits past due. ``suppressed_statistics`` is the only way case data leaves the
app: aggregates in which small counts, and any count that would let one be worked out, are
hidden. Each takes the user and starts from the gate of its model.

**One protected table.** Every answer of ``suppressed_statistics`` (the statistics page, the API,
the compiled reports) is a slice of one table, the *cube*, protected once as a whole:

- its dimensions are the division (the country → a province → the divisions straight below it,
  prefectures, or in a municipality its districts, plus "province level or not known" for files
  placed no lower than the province), the category, the status and the time of rescue (all time →
  a year → its quarters, with "Q1–Q2" and "Q1–Q3" of a year besides);
- a case's division is its ``rescue_division`` (the county or city of rescue) when recorded, else
  the division of the agency that holds the file, else the province of rescue;
- every sub-total is a cell of the cube as well (the province's total, all categories, the year);
- a *margin* is a sum that the cube holds: a parent cell and its children along one dimension with
  the other dimensions fixed (a province's total and its prefectures; a row's categories and the
  row's total; a year and its quarters...).

**Primary suppression** hides every count from 1 to the threshold − 1
(``CASE_STATISTICS_THRESHOLD``). **Secondary suppression** then goes over every margin until none
changes: where a margin has exactly one hidden count, or its total is shown and the counts hidden in
it add up to less than the threshold, the smallest count still shown in it (the total last) is
hidden too. So no shown total, taken with the shown counts of its margin, gives a hidden count
away, nor a small sum of hidden ones.

A query (rows by one dimension, columns by another, the others narrowed to one value: a province,
a category, a year) reads its cells from the protected cube and never protects anew: a table and
its narrowing are two slices of the same protected numbers, so that subtracting one from the other
(a province's total less its shown prefectures, all categories less one) meets a hidden count on
both sides or none. A period that is not one cell (three quarters of two years) is the sum of the
cells that make it up, shown only when each of them is shown: it then adds nothing that the cells
did not already tell.

The cube is read by one GROUP BY query (division below the province, category, status, year,
quarter): at most the divisions × 2 × 5 × the quarters, whatever the number of files. It is
protected once for the files as they are and kept in the cache (``statistics_cube``), so that a
page costs one query more than its labels while no counted file changes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from heapq import heapify, heappop, heappush
from itertools import product

from django.conf import settings
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.db.models.functions import ExtractQuarter, ExtractYear, Substr
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from agencies.choices import DivisionLevel
from agencies.models import Division, Province
from cases.choices import CaseStatus, Category, PublicReportStatus, ReferralState, ServiceKind
from cases.models.assistance import AssistanceService
from cases.models.case_files import CaseFile, case_keeping_agency
from cases.models.public_reports import PublicReport
from cases.models.referrals import Referral
from core import clock, statistics_cache
from core.paging import KeysetPage, keyset_page

# What stands for a suppressed count wherever one is shown: the web page, a compiled report's PDF and XLSX.
SUPPRESSED = "·"


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
    years: list[int] = field(default_factory=list)  # the years of rescue the cube has

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


# --- The protected cube -------------------------------------------------------------------------

ALL = "*"  # a dimension's top: the country, every category, every status, all time
TIME_QUARTER, TIME_YEAR, TIME_YEAR_TO = "q", "y", "ytd"
DIVISION, CATEGORY, STATUS, TIME = 0, 1, 2, 3  # the cube's dimensions, in the order of a cell
UNPLACED = "province_level"  # the row key of a province's files placed no lower than the province


def _province_node(code: str):
    return ("p", code[:2])


def _ancestors(dimension: int, node) -> list:
    """The cells of one dimension that a leaf counts in: itself and every sum above it."""
    if dimension == DIVISION:
        return [node, ("p", node[-1]), ALL]  # ("d", division, province) or ("u", province)
    if dimension == TIME:
        _kind, year, quarter = node
        to_date = [(TIME_YEAR_TO, year, k) for k in (2, 3) if quarter <= k]
        return [node, *to_date, (TIME_YEAR, year), ALL]
    return [node, ALL]


def _margins(dimension: int, node) -> list[tuple[object, object]]:
    """The margins (name, total) in which ``node`` is one of the parts, along ``dimension``."""
    if node == ALL:
        return []
    if dimension == DIVISION:  # a province in the country; a division below it (its code last) in it
        return [("provinces", ALL)] if node[0] == "p" else [(("in", node[-1]), ("p", node[-1]))]
    if dimension != TIME:
        return [("all", ALL)]
    kind, year = node[0], node[1]
    if kind == TIME_YEAR:
        return [("years", ALL)]
    whole, q2, q3 = (TIME_YEAR, year), (TIME_YEAR_TO, year, 2), (TIME_YEAR_TO, year, 3)
    if kind == TIME_YEAR_TO:  # Q1–Q2 + Q3 = Q1–Q3; Q1–Q2 + Q3 + Q4 = Q1–Q3 + Q4 = the year
        return (
            [(("ytd2+q3", year), q3), (("ytd2+q3+q4", year), whole)]
            if node[2] == 2
            else [(("ytd3+q4", year), whole)]
        )
    quarter = node[2]
    margins = [(("quarters", year), whole)]
    if quarter <= 2:
        margins.append((("q1+q2", year), q2))
    if quarter <= 3:
        margins.append((("q1+q2+q3", year), q3))
    if quarter == 3:
        margins.append((("ytd2+q3", year), q3))
    if quarter >= 3:
        margins.append((("ytd2+q3+q4", year), whole))
    if quarter == 4:
        margins.append((("ytd3+q4", year), whole))
    return margins


def _level(dimension: int, node) -> int:
    """How fine a cell of one dimension is: 0 at the top, 2 below a province, 3 for a quarter."""
    if node == ALL:
        return 0
    if dimension == DIVISION:
        return 1 if node[0] == "p" else 2
    if dimension == TIME:
        return {TIME_YEAR: 1, TIME_YEAR_TO: 2, TIME_QUARTER: 3}[node[0]]
    return 1


@dataclass
class ProtectedCube:
    """Every count of the cube (the zeros left out) and which of them are hidden."""

    counts: dict[tuple, int]
    hidden: set[tuple]
    threshold: int
    years: list[int]
    divisions: set[int]  # the divisions below a province that have files

    def value(self, cell: tuple, periods: list | None = None) -> int | None:
        """The count of ``cell``, or of the sum of ``periods`` in its place of time; None if hidden."""
        cells = [cell] if periods is None else [(*cell[:TIME], period) for period in periods]
        if any(c in self.hidden for c in cells):
            return None
        return sum(self.counts.get(c, 0) for c in cells)


def protect(leaves: dict[tuple, int], threshold: int) -> ProtectedCube:
    """The cube of ``leaves`` (counts by division below the province, category, status, quarter)
    with every sub-total, its small counts hidden and, margin by margin until none changes, as many
    more as it takes that none of them can be worked out (see the module's docstring)."""
    counts: dict[tuple, int] = defaultdict(int)
    for leaf, n in leaves.items():
        for cell in product(*(_ancestors(d, node) for d, node in enumerate(leaf))):
            counts[cell] += n
    cells = list(counts)
    index = {cell: i for i, cell in enumerate(cells)}
    # Each margin: its parts that are not zero (a zero is shown and tells nothing) and, last, its total.
    margin_index: dict[tuple, list[int]] = {}
    margins: list[list[int]] = []
    margins_of_node = {}  # (dimension, node) → its margins: the same few nodes recur in every cell
    for i, cell in enumerate(cells):
        for d, node in enumerate(cell):
            along = margins_of_node.get((d, node))
            if along is None:
                along = margins_of_node[(d, node)] = _margins(d, node)
            if not along:
                continue
            rest = cell[:d] + cell[d + 1 :]
            for name, total in along:
                key = (d, name, rest)
                members = margin_index.get(key)
                if members is None:
                    members = margin_index[key] = [index[(*cell[:d], total, *cell[d + 1 :])]]
                    margins.append(members)
                members.append(i)
    for members in margins:
        members.append(members.pop(0))  # the total last
    cube = _Margins([counts[cell] for cell in cells], [_fineness(cell) for cell in cells], margins, threshold)
    primary = [i for i, cell in enumerate(cells) if counts[cell] < threshold]  # every count is at least 1
    # Each way of choosing protects fully; the one that hides least (a total weighing more than
    # the counts it sums) is kept.
    hidden = min((cube.protect(primary, choose) for choose in _Margins.WAYS), key=cube.loss)
    years = sorted({leaf[TIME][1] for leaf in leaves})
    divisions = {leaf[DIVISION][1] for leaf in leaves if leaf[DIVISION][0] == "d"}
    return ProtectedCube(dict(counts), {cells[i] for i in hidden}, threshold, years, divisions)


FINEST = 7  # a quarter's count of one status and category in a division below the province


def _fineness(cell: tuple) -> int:
    return sum(_level(d, node) for d, node in enumerate(cell))


class _Margins:
    """The cube's margins, and the secondary suppression over them. Cells and margins are numbered."""

    WAYS = ("smallest", "part_least_to_mend", "least_to_mend")

    def __init__(self, values: list[int], fineness: list[int], margins: list[list[int]], threshold: int):
        self.values, self.fineness, self.margins, self.threshold = values, fineness, margins, threshold
        self.margins_of: list[list[int]] = [[] for _ in values]
        for m, members in enumerate(margins):
            for i in members:
                self.margins_of[i].append(m)

    def protect(self, primary: list[int], way: str) -> set[int]:
        """``primary`` and, margin by margin until none changes, what ``way`` chooses besides."""
        choose = getattr(self, way)
        # Each margin's count and sum of hidden counts, kept as counts are hidden.
        self.hidden: set[int] = set()
        self.hidden_count = [0] * len(self.margins)
        self.hidden_sum = [0] * len(self.margins)
        for i in primary:
            self.hide(i)
        # Margins are taken finest first, and a margin of one part (which equals its total) before
        # any: a count hidden in a fine margin then covers the coarser ones that hold it, instead
        # of each coarser margin choosing a count of its own and hiding more than it takes.
        # The order (one part first, then the finest, then the first numbered) as one integer, which
        # the heap compares faster than a tuple: (len != 2, -fineness, m) in that order of weight.
        count, finest = len(self.margins), max(self.fineness, default=0)
        priority = [
            ((len(members) != 2) * (finest + 1) + finest - self.fineness[members[-1]]) * count + m
            for m, members in enumerate(self.margins)
        ]
        pending = list(priority)
        heapify(pending)
        waiting = set(range(count))
        hidden, needs_more = self.hidden, self.needs_more
        while pending:
            m = heappop(pending) % count
            waiting.discard(m)
            if not needs_more(m):
                continue
            shown = [i for i in self.margins[m] if i not in hidden]
            if not shown:
                continue
            choice = min(shown, key=lambda i: choose(i, m))
            self.hide(choice)
            for other in self.margins_of[choice]:
                if other not in waiting:
                    waiting.add(other)
                    heappush(pending, priority[other])
        return hidden

    def hide(self, i: int):
        self.hidden.add(i)
        for m in self.margins_of[i]:
            self.hidden_count[m] += 1
            self.hidden_sum[m] += self.values[i]

    def needs_more(self, m: int, also: int | None = None) -> bool:
        """Whether margin ``m`` gives a hidden count away (were ``also`` hidden too): exactly one
        hidden, or its total shown and what is hidden in it adding up to less than the threshold."""
        unknown, hidden_sum = self.hidden_count[m], self.hidden_sum[m]
        total = self.margins[m][-1]
        total_hidden = total in self.hidden or total == also
        if also is not None:
            unknown, hidden_sum = unknown + 1, hidden_sum + self.values[also]
        return unknown == 1 or (unknown > 1 and not total_hidden and hidden_sum < self.threshold)

    def _unmended(self, i: int, mending: int) -> int:
        """How many margins besides ``mending`` would need another hidden count once ``i`` is."""
        return sum(1 for m in self.margins_of[i] if m != mending and self.needs_more(m, i))

    def smallest(self, i: int, m: int):
        """The smallest count gives least away."""
        return self.values[i]

    def part_least_to_mend(self, i: int, m: int):
        """A part rather than the total; of the parts, the one that leaves least to mend."""
        return i == self.margins[m][-1], self._unmended(i, m), self.values[i]

    def least_to_mend(self, i: int, m: int):
        """The count that leaves least to mend; a part rather than the total; the smallest."""
        return self._unmended(i, m), i == self.margins[m][-1], self.values[i]

    def loss(self, hidden: set[int]) -> int:
        """What a protection hides: a count weighs three times each count one level below it (so
        that hiding a province's total costs more than hiding its prefectures)."""
        return sum(3 ** (FINEST - self.fineness[i]) for i in hidden)


def _second_level(prefix: str):
    """The division straight below the province that holds ``prefix``'s division (a prefecture, or
    a county or district straight under the province), None at the provincial level."""
    return Case(
        When(**{f"{prefix}__level": DivisionLevel.PROVINCE}, then=Value(None)),
        When(**{f"{prefix}__parent__level": DivisionLevel.PROVINCE}, then=F(f"{prefix}_id")),
        default=F(f"{prefix}__parent_id"),
        output_field=IntegerField(),
    )


def statistics_cube(user, threshold: int | None = None) -> ProtectedCube:
    """The protected cube of the files counted in statistics: see the module's docstring. Read (one
    query) and protected once per change of the files (``core.statistics_cache``), and kept in
    the cache: every user, page and report reads the same protection of the same files."""
    threshold = settings.CASE_STATISTICS_THRESHOLD if threshold is None else threshold
    counted = CaseFile.objects.counted_in_statistics(user)  # aggregates only, across all agencies
    if not counted.query.is_empty():
        return statistics_cache.cached(f"cube:{threshold}", lambda: _protected_cube(counted, threshold))
    return _protected_cube(counted, threshold)


def _protected_cube(counted, threshold: int) -> ProtectedCube:
    rows = (
        counted.annotate(
            s_province=Case(
                When(rescue_division__isnull=False, then=Substr("rescue_division__code", 1, 2)),
                When(owner_agency__division__isnull=False, then=Substr("owner_agency__division__code", 1, 2)),
                default=Substr("rescue_province__code", 1, 2),
            ),
            s_division=Case(
                When(rescue_division__isnull=False, then=_second_level("rescue_division")),
                When(owner_agency__division__isnull=False, then=_second_level("owner_agency__division")),
                default=Value(None),
                output_field=IntegerField(),
            ),
            s_year=ExtractYear("rescued_on"),
            s_quarter=ExtractQuarter("rescued_on"),
        )
        .values("s_province", "s_division", "category", "status", "s_year", "s_quarter")
        .annotate(n=Count("id"))
        .order_by("s_province", "s_division", "category", "status", "s_year", "s_quarter")
    )
    leaves = {}
    for row in rows:
        code = row["s_province"]
        place = ("u", code) if row["s_division"] is None else ("d", row["s_division"], code)
        leaves[(place, row["category"], row["status"], (TIME_QUARTER, row["s_year"], row["s_quarter"]))] = (
            row["n"]
        )
    return protect(leaves, threshold)


def periods_between(start: dt.date, end: dt.date) -> list:
    """The cells of time that make up the quarters from ``start`` to ``end`` (whole quarters): whole
    years, a year's first two or three quarters, single quarters."""
    if (
        start > end
        or start.day != 1
        or (start.month - 1) % 3
        or (end + dt.timedelta(days=1)).day != 1
        or end.month % 3
    ):
        raise ValueError(_("A period of case statistics must begin and end with a quarter."))
    periods, year, quarter = [], start.year, (start.month - 1) // 3 + 1
    last = (end.year, end.month // 3)
    while (year, quarter) <= last:
        upto = 4 if year < last[0] else last[1]
        if quarter == 1 and upto == 4:
            periods.append((TIME_YEAR, year))
        elif quarter == 1 and upto > 1:
            periods.append((TIME_YEAR_TO, year, upto))
        else:
            periods.append((TIME_QUARTER, year, quarter))
            upto = quarter
        year, quarter = (year + 1, 1) if upto == 4 else (year, upto + 1)
    return periods


# --- Slices of the cube ----------------------------------------------------------------------------

ROW_DIMENSIONS = ("province", "division", "category", "status", "year")
COLUMN_DIMENSIONS = ("category", "status")
_DIMENSION_OF = {
    "province": DIVISION,
    "division": DIVISION,
    "category": CATEGORY,
    "status": STATUS,
    "year": TIME,
}


def _values(name: str, cube: ProtectedCube, province: Province | None, provinces: list[Province]):
    """The (key, label, cell node) of each value of dimension ``name``, and the node of their total."""
    if name == "province" or (name == "division" and province is None):
        return [(p.pk, p.name, _province_node(p.code)) for p in provinces], ALL
    if name == "division":
        node = _province_node(province.code)
        below = (
            Division.objects.filter(parent__code=province.code)
            .filter(Q(abolished_in__isnull=True) | Q(pk__in=cube.divisions))
            .order_by("code")
        )
        values = [(d.pk, d.name, ("d", d.pk, node[1])) for d in below]
        return [*values, (UNPLACED, _("Province level or not known"), ("u", node[1]))], node
    if name == "category":
        return [(key, label, key) for key, label in Category.choices], ALL
    if name == "status":
        return [(key, label, key) for key, label in CaseStatus.choices], ALL
    return [(year, _("%(year)s") % {"year": year}, (TIME_YEAR, year)) for year in cube.years], ALL


def suppressed_statistics(
    user,
    by_rows: str = "province",
    by_columns: str = "category",
    threshold: int | None = None,
    rescued_between: tuple | None = None,
    *,
    province: Province | None = None,
    category: str | None = None,
    status: str | None = None,
    year: int | None = None,
):
    """Case counts by two dimensions, over every agency's files whose person consented to
    statistics; safe to show anyone (the Office, provinces, reports, the API): every signed-in
    ``user``. Rows: ``province``, ``division`` (a province's divisions below it; the provinces
    without one), ``category``, ``status`` or ``year``; columns: ``category`` or ``status``. The
    other dimensions can be narrowed to one ``province``, ``category``, ``status``, and to one
    ``year`` or the whole quarters ``rescued_between`` two dates (inclusive). Every count is read
    from the one protected cube (``statistics_cube``), never protected anew for the narrowing."""
    if by_rows not in ROW_DIMENSIONS or by_columns not in COLUMN_DIMENSIONS or by_rows == by_columns:
        raise ValueError(f"no statistics by {by_rows} and {by_columns}")

    def compute() -> SuppressedTable:
        cube = statistics_cube(user, threshold)
        return _slice(cube, by_rows, by_columns, rescued_between, province, category, status, year)

    if CaseFile.objects.counted_in_statistics(user).query.is_empty():
        return compute()
    # Each slice is cut once per change of the files too, in the reader's language (its labels):
    # a page then reads a small table from the cache, not the whole cube.
    period = "-".join(day.isoformat() for day in rescued_between) if rescued_between else ""
    place = province.pk if province else ""
    view = (by_rows, by_columns, place, category, status, year, period, get_language())
    name = "table:" + ":".join(str(part or "") for part in view)
    used = settings.CASE_STATISTICS_THRESHOLD if threshold is None else threshold
    return statistics_cache.cached(f"{name}:{used}", compute)


def _slice(cube, by_rows, by_columns, rescued_between, province, category, status, year) -> SuppressedTable:
    """The table of ``suppressed_statistics``, read from the protected cube."""
    provinces = list(Province.objects.all())
    rows, row_total = _values(by_rows, cube, province, provinces)
    columns, column_total = _values(by_columns, cube, province, provinces)
    # Every other dimension: one value (narrowed) or its top.
    fixed = [
        _province_node(province.code) if province else ALL,
        category or ALL,
        status or ALL,
        (TIME_YEAR, year) if year else ALL,
    ]
    periods = periods_between(*rescued_between) if rescued_between and by_rows != "year" else None

    def number(row_node, column_node):
        cell = list(fixed)
        cell[_DIMENSION_OF[by_rows]] = row_node
        cell[_DIMENSION_OF[by_columns]] = column_node
        return cube.value(tuple(cell), periods)

    cells = {(r, c): number(rn, cn) for r, _rl, rn in rows for c, _cl, cn in columns}
    row_totals = {r: number(rn, column_total) for r, _rl, rn in rows}
    column_totals = {c: number(row_total, cn) for c, _cl, cn in columns}
    total = number(row_total, column_total)
    shown = [*cells.values(), *row_totals.values(), *column_totals.values(), total]
    return SuppressedTable(
        rows=[(key, label) for key, label, _node in rows],
        columns=[(key, label) for key, label, _node in columns],
        cells=cells,
        row_totals=row_totals,
        column_totals=column_totals,
        total=total,
        threshold=cube.threshold,
        suppressed=sum(1 for value in shown if value is None),
        years=cube.years,
    )


def service_statistics(user, threshold: int | None = None):
    """Persons who received each kind of service, by category, suppressed the same way."""
    threshold = settings.CASE_STATISTICS_THRESHOLD if threshold is None else threshold
    counted = AssistanceService.objects.counted_in_statistics(user)

    def compute() -> SuppressedTable:
        rows = counted.values("kind", "case__category").annotate(n=Count("case", distinct=True))
        counts = {(row["kind"], row["case__category"]): row["n"] for row in rows}
        return suppress(counts, list(ServiceKind.choices), list(Category.choices), threshold)

    if counted.query.is_empty():
        return compute()
    return statistics_cache.cached(f"services:{threshold}", compute)


def public_report_statistics(user, threshold: int | None = None) -> SuppressedTable:
    """Reports from the public by province and status, suppressed as the case statistics are (one
    query: the counts; the provinces are reference data), counted once per change of the reports
    (``statistics_cache``, renewed by the reports' services) in the reader's language."""
    threshold = settings.CASE_STATISTICS_THRESHOLD if threshold is None else threshold

    def compute() -> SuppressedTable:
        counts = {
            (row["province_id"], row["status"]): row["n"]
            for row in PublicReport.objects.counted_in_statistics(user)
            .values("province_id", "status")
            .annotate(n=Count("pk"))
        }
        provinces = [(p.pk, p.name) for p in Province.objects.order_by("code")]
        return suppress(counts, provinces, list(PublicReportStatus.choices), threshold)

    if PublicReport.objects.counted_in_statistics(user).query.is_empty():
        return compute()
    name = f"by-province:{get_language()}"
    return statistics_cache.cached(f"{name}:{threshold}", compute, domain=statistics_cache.PUBLIC_REPORTS)


def incoming_referrals(user):
    """The referrals to the user's agency that wait for its decision, oldest first: the columns the
    lists show, and of the case its number only (the receiver reads no more before it accepts)."""
    return (
        Referral.objects.restrict(user)
        .filter(to_agency_id=user.agency_id, state=ReferralState.PENDING)
        .select_related("case", "from_agency")
        .only("kind", "purpose", "requested_at", "case__number", "from_agency")
        .order_by("requested_at", "pk")
    )


def overdue_follow_ups(user, params, size: int) -> KeysetPage:
    """The files the user's agency sees whose next visit, as their latest visit set it, is past due,
    and that are not closed; the soonest due first, the page ``params`` asks for. Read through an
    index (``case_visit_due_idx``), the own files and those granted each in its order, with only the
    columns the list shows: no identifier is read, so nothing is decrypted."""
    due = (
        CaseFile.objects.restrict(user)
        .filter(next_visit_due__lt=clock.today())
        .exclude(status=CaseStatus.CLOSED)
        .select_related("latest_follow_up__agency")
        .only("number", "next_visit_due", "latest_follow_up__visited_on", "latest_follow_up__agency")
    )
    parts = CaseFile.objects.restrict_parts(user)
    return keyset_page(due, params, size, "next_visit_due", descending=False, parts=parts)


def case_files_page(user, params, size: int, narrowed: Q) -> KeysetPage:
    """The files the user reads that match ``narrowed``, newest rescue first, the page ``params``
    asks for: the own files and those granted each read in its index order and merged; only the
    columns the list shows (not ``UNLISTED``)."""
    # A supervisor's list names each file's place (the agency's division); a case officer's does not.
    agency = "owner_agency" if case_keeping_agency(user) is not None else "owner_agency__division"
    files = CaseFile.objects.restrict(user).filter(narrowed).select_related(agency).defer(*UNLISTED)
    return keyset_page(files, params, size, "rescued_on", parts=CaseFile.objects.restrict_parts(user))


# What the case list does not show of a file: the identifiers but two (masked), so that two of
# the five are read and decrypted.
UNLISTED = ("phone", "address", "household_registration")
