"""What a compiled report says: sections of tables and charts, the same for its PDF and its XLSX.

Every figure is read here once; the renderings only lay it out. Each section costs a fixed number
of queries whatever the amount of data.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class Percent(float):
    """A share (0.75 is 75 %): a percentage in the PDF, a number formatted as one in the XLSX."""

    def __str__(self) -> str:
        return f"{self * 100:.1f}%"


class Points(Percent):
    """A difference of two shares, in percentage points (+0.111 is +11.1 points)."""

    def __str__(self) -> str:
        from django.utils.translation import gettext

        return gettext("%(points)s pp") % {"points": f"{self * 100:+.1f}"}


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


@dataclass
class Section:
    key: str  # short and stable: names the XLSX sheet's order and the PDF anchor
    title: str
    intro: str = ""
    tables: list[Table] = field(default_factory=list)
    charts: list = field(default_factory=list)  # charts.Chart: caption and SVG, drawn on the server


@dataclass
class CompiledReport:
    title: str
    scope: str
    covers: str
    generated_at: str
    facts: list[tuple[str, str]]  # the cover's key figures
    sections: list[Section]
