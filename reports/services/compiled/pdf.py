"""A compiled report as a PDF laid out for print: A4, Noto Sans CJK, page numbers, SVG charts.

The PDF is tagged (headings, tables, reading order) and names its language, so that a screen
reader can read it aloud (GB/T 37668, WCAG 2.1).
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.translation import get_language

from reports.services.compiled.content import CompiledReport, Table

STYLESHEET = Path(__file__).with_name("report.css")
# The document's language as BCP 47 writes it (the PDF's /Lang; a reader picks its voice by it).
DOCUMENT_LANGUAGE = {"zh-hans": "zh-Hans", "en": "en"}


CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def display(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return CONTROL_CHARACTERS.sub(" ", str(value))


def render_pdf(report: CompiledReport) -> bytes:
    from weasyprint import CSS, HTML  # heavy: loaded by the worker when it compiles, not by every process

    shown = replace(
        report,
        sections=[
            replace(section, tables=[_displayed(table) for table in section.tables])
            for section in report.sections
        ],
    )
    context = {
        "report": shown,
        "language": DOCUMENT_LANGUAGE.get(get_language(), get_language()),
        "has_cases": any(section.key == "cases" for section in report.sections),
    }
    html = render_to_string("reports/compiled/report.html", context)
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=STYLESHEET)], pdf_tags=True)


def _cells(row: list) -> list[dict]:
    """Each cell's text, and whether it is a number (set right, never wrapped)."""
    return [
        {
            "text": display(v),
            "number": v is None or (isinstance(v, int | float | Decimal) and not isinstance(v, bool)),
        }
        for v in row
    ]


def _displayed(table: Table) -> Table:
    return replace(
        table,
        rows=[_cells(row) for row in table.rows],
        total=_cells(table.total) if table.total else None,
    )
