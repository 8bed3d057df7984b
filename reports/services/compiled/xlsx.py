"""A compiled report as a workbook: a cover sheet, then one sheet per section, its tables one
below the other, numbers as numbers (shares formatted as percentages)."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from core.exports import neutralise
from reports.services.compiled.content import CompiledReport, Percent, Points, Yuan

BOLD = Font(bold=True)
INVALID_SHEET_CHARACTERS = str.maketrans({c: " " for c in "[]:*?/\\"})


def sheet_title(number: int, title: str) -> str:
    return f"{number}. {title}".translate(INVALID_SHEET_CHARACTERS)[:31]


def render_xlsx(report: CompiledReport) -> bytes:
    workbook = Workbook(write_only=True)
    cover = workbook.create_sheet(sheet_title(0, _("Cover")))
    cover.append([_bold(cover, report.title)])
    cover.append([_cell(cover, report.scope)])
    for label, value in [*report.facts, (_("Compiled"), report.generated_at)]:
        cover.append([_bold(cover, label), _cell(cover, value)])
    for number, section in enumerate(report.sections, start=1):
        sheet = workbook.create_sheet(sheet_title(number, section.title))
        sheet.column_dimensions["A"].width = 32
        for letter in "BCDEFGHIJKL":
            sheet.column_dimensions[letter].width = 16
        sheet.append([_bold(sheet, section.title)])
        if section.intro:
            sheet.append([_cell(sheet, section.intro)])
        for table in section.tables:
            sheet.append([])
            if table.title:
                sheet.append([_bold(sheet, table.title)])
            sheet.append([_bold(sheet, column) for column in table.columns])
            for row in table.rows:
                sheet.append([_cell(sheet, value) for value in row])
            if table.total:
                sheet.append([_cell(sheet, value, bold=True) for value in table.total])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _clean(value):
    """What a cell may hold: no formula (neutralised), no control character XML refuses (e.g. the
    vertical tab Word pastes for a soft line break)."""
    value = neutralise(value)
    return ILLEGAL_CHARACTERS_RE.sub(" ", value) if isinstance(value, str) else value


def _bold(sheet, value):
    cell = WriteOnlyCell(sheet, value=_clean(value))
    cell.font = BOLD
    return cell


def _cell(sheet, value, bold: bool = False):
    if isinstance(value, Yuan):
        cell = WriteOnlyCell(sheet, value=Decimal(value))
        cell.number_format = "#,##0.00"
    else:
        cell = WriteOnlyCell(sheet, value=float(value) if isinstance(value, Percent) else _clean(value))
    if isinstance(value, Percent):
        cell.number_format = "+0.0%;-0.0%;0.0%" if isinstance(value, Points) else "0.0%"
    if bold:
        cell.font = BOLD
    return cell
