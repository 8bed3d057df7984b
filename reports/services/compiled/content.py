"""What a compiled report says: sections of tables and charts, the same for its PDF and its XLSX.

Every figure is read here once; the renderings only lay it out. Each section costs a fixed number
of queries whatever the amount of data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext


def text(value):
    """A lazy translation as the text it reads in the active language; anything else as it is.

    The content of a report holds no lazy string: a section may join, sort or measure its texts
    (``", ".join(...)``, ``len(label)``) like any other string, and the renderings see plain values.
    """
    return str(value) if isinstance(value, Promise) else value


class Percent(float):
    """A share (0.75 is 75 %): a percentage in the PDF, a number formatted as one in the XLSX."""

    def __str__(self) -> str:
        return f"{self * 100:.1f}%"


class Points(Percent):
    """A difference of two shares, in percentage points (+0.111 is +11.1 points)."""

    def __str__(self) -> str:
        return gettext("%(points)s pp") % {"points": f"{self * 100:+.1f}"}


class Yuan(Decimal):
    """An amount in yuan: ¥1,200.50 in the PDF, a number formatted as one in the XLSX."""

    def __str__(self) -> str:
        return f"¥{Decimal(self):,.2f}"


def percent(value: float | None) -> Percent | None:
    return None if value is None else Percent(value)


@dataclass
class Table:
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    title: str = ""
    note: str = ""
    total: list | None = None  # a last row set apart, e.g. the national total
    widths: list[int] | None = None  # column widths in per cent of the page, for print

    def __post_init__(self):
        self.columns = [text(c) for c in self.columns]
        self.title, self.note = text(self.title), text(self.note)

    def add(self, row: list) -> None:
        self.rows.append([text(v) for v in row])

    def set_total(self, row: list) -> None:
        self.total = [text(v) for v in row]


@dataclass
class Section:
    key: str  # short and stable: names the XLSX sheet's order and the PDF anchor
    title: str
    intro: str = ""
    tables: list[Table] = field(default_factory=list)
    charts: list = field(default_factory=list)  # charts.Chart: caption and SVG, drawn on the server

    def __post_init__(self):
        self.title, self.intro = text(self.title), text(self.intro)


@dataclass
class CompiledReport:
    title: str
    scope: str
    covers: str
    as_of: str  # the day its data is as of
    generated_at: str
    facts: list[tuple[str, str]]  # the cover's key figures
    sections: list[Section]
