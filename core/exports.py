"""Tabular exports (CSV and XLSX) shared by every app.

Cell values that a spreadsheet would run as a formula (starting with = + - @, or a tab/CR) are
prefixed with an apostrophe, so an exported file can never carry a formula into someone's Excel.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    if isinstance(value, Promise):  # a lazy translation: the text in the active language
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_bytes(header: Sequence, rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(v) for v in header])
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
    # A byte-order mark makes Excel read the Chinese text as UTF-8.
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def xlsx_bytes(
    sheet_title: str, header: Sequence, rows: Iterable[Sequence], *, frozen_columns: int = 0
) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    # The header row (and the row labels) stay in view while scrolling.
    sheet.freeze_panes = f"{get_column_letter(frozen_columns + 1)}2"
    sheet.append([neutralise(v) for v in header])
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_response(
    fmt: str, filename: str, sheet_title: str, header: Sequence, rows, *, frozen_columns: int = 0
) -> HttpResponse:
    """An attachment of the table as ``csv`` or ``xlsx``."""
    if fmt == "csv":
        content, content_type = csv_bytes(header, rows), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        content, content_type = (
            xlsx_bytes(sheet_title, header, rows, frozen_columns=frozen_columns),
            XLSX_TYPE,
        )
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
