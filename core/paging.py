"""Keyset paging (the "seek" method) for lists too long to count, such as the audit log: a page is
the next ``size`` rows after or before a row's id, newest first, found through an index at any
depth, with no COUNT. Links go to the newer and the older page; there is no page number.

Hand-written, since the maintained package (django-cursor-pagination) orders with NULLS LAST and
expands the cursor into ORs, which PostgreSQL cannot answer from a plain b-tree index at depth;
the id of an append-only table needs neither.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KeysetPage:
    rows: list
    newer: int | None  # ?after= for the page of newer rows, if there are any
    older: int | None  # ?before= for the page of older rows, if there are any

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def _cursor(value) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 18 else None


def keyset_page(queryset, params, size: int) -> KeysetPage:
    """The page of ``queryset`` (newest id first) that ``params`` (request.GET) asks for:
    ``before=<id>`` the rows older than that one, ``after=<id>`` those newer, neither the newest."""
    before, after = _cursor(params.get("before")), _cursor(params.get("after"))
    if after is not None:
        rows = list(queryset.filter(pk__gt=after).order_by("pk")[: size + 1])
        if rows:
            more = len(rows) > size
            rows = rows[:size][::-1]
            return KeysetPage(rows, newer=rows[0].pk if more else None, older=rows[-1].pk)
        before = None  # nothing newer: the newest page
    if before is not None:
        queryset = queryset.filter(pk__lt=before)
    rows = list(queryset.order_by("-pk")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    newer = rows[0].pk if before is not None and rows else None
    return KeysetPage(rows, newer=newer, older=rows[-1].pk if more else None)
