"""Keyset paging (the "seek" method) for lists too long to count, such as the audit log and the case
list: a page is the next ``size`` rows after or before one row's (key, id) in the list's order
(newest first, or soonest first), found through an index at any depth, with no COUNT. Links go to
the previous page, the first and the next; there is no page number.

A list whose rule is a union (a case officer's own files and those granted: ``restrict_parts``)
is read part by part, each part through its own index and no further than the page, and the parts'
keys are merged: one ordered read of the union would hash all of it first.

Hand-written, since the maintained package (django-cursor-pagination) orders with NULLS LAST,
expands the cursor into ORs, which PostgreSQL cannot answer from a b-tree index at depth, and
merges no parts; here the cursor is one row comparison, ``(at, id) < (…, …)``, which the index
(…, at, id) answers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.db.models import F
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
EPOCH_DAY = EPOCH.date()
MICROSECOND = dt.timedelta(microseconds=1)
DAY = dt.timedelta(days=1)
DIGITS = 18  # a cursor's numbers: longer is no cursor of ours


@dataclass(frozen=True)
class KeysetPage:
    rows: list
    previous: str | None  # ?before= for the page before this one, if there is one
    next: str | None  # ?after= for the page after this one, if there is one

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class _Order:
    """A list's order: by ``field`` then id, newest (largest) first or soonest (smallest) first."""

    field: str
    descending: bool
    unit: dt.timedelta  # a cursor counts days (a date) or microseconds (a time) since 1970
    start: object

    @classmethod
    def of(cls, queryset, field: str, descending: bool) -> _Order:
        is_time = isinstance(queryset.model._meta.get_field(field), models.DateTimeField)
        return cls(field, descending, MICROSECOND if is_time else DAY, EPOCH if is_time else EPOCH_DAY)

    def cursor(self, value) -> tuple[object, int] | None:
        """``<units since 1970>.<id>``, or None for anything else (never an error)."""
        stamp, dot, pk = (value or "").strip().partition(".")
        if not (dot and stamp.isdigit() and pk.isdigit() and len(stamp) <= DIGITS and len(pk) <= DIGITS):
            return None
        try:
            return self.start + int(stamp) * self.unit, int(pk)
        except OverflowError:
            return None

    def key(self, row) -> str:
        return self.encode(getattr(row, self.field), row.pk)

    def encode(self, value, pk: int) -> str:
        return f"{(value - self.start) // self.unit}.{pk}"

    def by(self, forwards: bool) -> tuple[str, str]:
        descending = self.descending == forwards
        return (f"-{self.field}", "-pk") if descending else (self.field, "pk")

    def beyond(self, cursor, forwards: bool):
        """The rows after ``cursor`` in the list's order (``forwards``), or before it."""
        lookup = TupleLessThan if self.descending == forwards else TupleGreaterThan
        return lookup(Tuple(F(self.field), F("pk")), cursor)


def _read(queryset, parts, condition, order: _Order, forwards: bool, limit: int) -> list:
    """The first ``limit`` rows of ``queryset`` in the order ``forwards`` (or backwards) past
    ``condition``: read at once, or, given ``parts`` (querysets whose union holds ``queryset``'s
    rows), the keys of the first ``limit`` of ``queryset`` in each part, merged here, and then the
    rows of those that come first (a query a part and one more, on any database)."""
    ordering = order.by(forwards)
    if condition is not None:
        queryset = queryset.filter(condition)
    if parts and len(parts) > 1:
        keys = set()
        for part in parts:
            keys.update((queryset & part).order_by(*ordering).values_list(order.field, "pk")[:limit])
        largest_first = order.descending == forwards
        firsts = sorted(keys, reverse=largest_first)[:limit]
        queryset = queryset.filter(pk__in=[pk for _key, pk in firsts])
    return list(queryset.order_by(*ordering)[:limit])


def keyset_page(queryset, params, size: int, field: str = "at", *, descending=True, parts=None) -> KeysetPage:
    """The page of ``queryset`` (by ``field`` and then id: the largest first, or with
    ``descending=False`` the smallest) that ``params`` (request.GET) asks for: ``after=<cursor>``
    the rows that follow that one, ``before=<cursor>`` those that precede it, neither the first
    page. ``parts``: querysets whose union holds ``queryset``'s rows (``restrict_parts``), each read
    in index order, as narrowed as ``queryset`` is."""
    order = _Order.of(queryset, field, descending)
    after, before = order.cursor(params.get("after")), order.cursor(params.get("before"))
    if before is not None:
        rows = _read(queryset, parts, order.beyond(before, False), order, False, size + 1)
        if rows:
            more = len(rows) > size
            rows = rows[:size][::-1]
            return KeysetPage(rows, previous=order.key(rows[0]) if more else None, next=order.key(rows[-1]))
        after = None  # nothing before it: the first page
    condition = order.beyond(after, True) if after is not None else None
    rows = _read(queryset, parts, condition, order, True, size + 1)
    more = len(rows) > size
    rows = rows[:size]
    previous = None
    if after is not None:  # past the end (a stale cursor): the way back is before that one
        previous = order.key(rows[0]) if rows else order.encode(*after)
    return KeysetPage(rows, previous=previous, next=order.key(rows[-1]) if more else None)


def paged_from(request) -> dict:
    """Where a keyset page starts, as the audit log records a list that was shown (never a page number)."""
    return {key: request.GET[key][: DIGITS * 2 + 1] for key in ("after", "before") if key in request.GET}
