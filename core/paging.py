"""Keyset paging (the "seek" method) for lists too long to count, such as the audit log: a page is
the next ``size`` rows after or before one row's (time, id), newest first, found through an index
at any depth, with no COUNT. Links go to the newer and the older page; there is no page number.

Hand-written, since the maintained package (django-cursor-pagination) orders with NULLS LAST and
expands the cursor into ORs, which PostgreSQL cannot answer from a b-tree index at depth; here the
cursor is one row comparison, ``(at, id) < (…, …)``, which the index (…, at, id) answers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
MICROSECOND = dt.timedelta(microseconds=1)


@dataclass(frozen=True)
class KeysetPage:
    rows: list
    newer: str | None  # ?after= for the page of newer rows, if there are any
    older: str | None  # ?before= for the page of older rows, if there are any

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def _cursor(value) -> tuple[dt.datetime, int] | None:
    """``<microseconds since 1970>.<id>``, or None for anything else (never an error)."""
    stamp, dot, pk = (value or "").strip().partition(".")
    if not (dot and stamp.isdigit() and pk.isdigit() and len(stamp) <= 18 and len(pk) <= 18):
        return None
    try:
        return EPOCH + int(stamp) * MICROSECOND, int(pk)
    except OverflowError:
        return None


def _key(row, field: str) -> str:
    return f"{(getattr(row, field) - EPOCH) // MICROSECOND}.{row.pk}"


def keyset_page(queryset, params, size: int, field: str = "at") -> KeysetPage:
    """The page of ``queryset`` (newest ``field`` first, then highest id) that ``params``
    (request.GET) asks for: ``before=<cursor>`` the rows older than that one, ``after=<cursor>``
    those newer, neither the newest."""
    before, after = _cursor(params.get("before")), _cursor(params.get("after"))
    key = Tuple(F(field), F("pk"))
    if after is not None:
        rows = list(queryset.filter(TupleGreaterThan(key, after)).order_by(field, "pk")[: size + 1])
        if rows:
            more = len(rows) > size
            rows = rows[:size][::-1]
            return KeysetPage(rows, newer=_key(rows[0], field) if more else None, older=_key(rows[-1], field))
        before = None  # nothing newer: the newest page
    if before is not None:
        queryset = queryset.filter(TupleLessThan(key, before))
    rows = list(queryset.order_by(f"-{field}", "-pk")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    newer = _key(rows[0], field) if before is not None and rows else None
    return KeysetPage(rows, newer=newer, older=_key(rows[-1], field) if more else None)
