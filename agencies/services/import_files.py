"""Reading an organisation import file (CSV or XLSX) into rows of text, bounded: at most
IMPORT_MAX_BYTES per file and IMPORT_MAX_ROWS rows, the header's columns checked against the kind's.

A CSV is UTF-8 (with or without the byte-order mark Excel writes), or GB18030 (what a Chinese Excel
saves as "CSV"), or UTF-16 with its byte-order mark (Excel's "Unicode text"). An XLSX is read
with openpyxl, read-only and with the values a formula last computed, its first sheet only. Every
problem is a ``ValidationError`` whose message says what is wrong with the file, for the form to
show on its file field.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

IMPORT_MAX_BYTES = 2 * 1024 * 1024
IMPORT_MAX_ROWS = 5000
# No import has more columns than this; a wider header is refused before its rows are read.
IMPORT_MAX_COLUMNS = 30
# An XLSX is a zip: 2 MB of it could unpack to gigabytes of XML, so its unpacked size is bounded too.
XLSX_MAX_UNPACKED_BYTES = 50 * 1024 * 1024
CSV_DELIMITERS = ",;\t"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls)


@dataclass
class ImportRow:
    """One row of the file: its number as a spreadsheet shows it (the header is row 1) and its cells
    by column name (trimmed text; an empty cell is "")."""

    number: int
    values: dict[str, str] = field(default_factory=dict)
    # Text found beyond the header's last column (a shifted row): the service refuses the row.
    overflow: bool = False


def check_import_size(upload) -> None:
    """Refuse a file larger than IMPORT_MAX_BYTES, before it is read."""
    if upload.size > IMPORT_MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is %(size)s; an import file may be at most %(max)s.")
            % {
                "name": Path(upload.name).name,
                "size": filesizeformat(upload.size),
                "max": filesizeformat(IMPORT_MAX_BYTES),
            },
            code="too_large",
        )


def cell_text(value) -> str:
    """A cell as text: a whole number without ".0" (Excel stores 530100 as 530100.0), a date as
    ISO 8601, nothing as ""; trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def _decode(content: bytes) -> str:
    if content.startswith(UTF16_BOMS):  # Excel's "Unicode text": UTF-16, tab-separated
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")
    except UnicodeDecodeError:
        raise ValidationError(
            _("The file is neither UTF-8 nor GB18030 text: save it as “CSV UTF-8” or as an Excel workbook."),
            code="encoding",
        ) from None


def _csv_records(content: bytes):
    text = _decode(content)
    first_line = text.split("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(first_line, delimiters=CSV_DELIMITERS)
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    except csv.Error as error:
        raise ValidationError(
            _("The CSV file cannot be read: %(error)s.") % {"error": error}, code="csv"
        ) from None


def _xlsx_records(upload):
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        raise ValidationError(_("The file is not an Excel workbook (.xlsx)."), code="xlsx") from None
    if unpacked > XLSX_MAX_UNPACKED_BYTES:
        raise ValidationError(
            _("The workbook unpacks to %(size)s; at most %(max)s can be read.")
            % {"size": filesizeformat(unpacked), "max": filesizeformat(XLSX_MAX_UNPACKED_BYTES)},
            code="xlsx",
        )
    # openpyxl is heavy and only this page reads workbooks: imported when a workbook arrives.
    from openpyxl import load_workbook

    upload.seek(0)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (KeyError, ValueError, ...) for a broken file
        raise ValidationError(_("The Excel workbook cannot be read."), code="xlsx") from None
    try:
        sheet = workbook.worksheets[0]
        # One column more than any import has, so that a shifted row is seen, never a whole wide row.
        for record in sheet.iter_rows(values_only=True, max_col=IMPORT_MAX_COLUMNS + 1):
            yield [cell_text(value) for value in record]
    finally:
        workbook.close()


def _is_xlsx(upload, head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04") or Path(upload.name or "").suffix.lower() == ".xlsx"


def read_import_file(upload, columns: tuple[str, ...]) -> list[ImportRow]:
    """The rows of ``upload`` under ``columns`` (the header row must name each of them once, in any
    order, and nothing else). Blank rows are skipped but keep their numbers."""
    check_import_size(upload)
    upload.seek(0)
    content = upload.read(IMPORT_MAX_BYTES + 1)
    if not content:
        raise ValidationError(_("The file is empty."), code="empty")
    if content.startswith(OLE_SIGNATURE):
        raise ValidationError(
            _("This is an old Excel workbook (.xls): save it as .xlsx or as CSV UTF-8."), code="xls"
        )
    if _is_xlsx(upload, content[:4]):
        records = _xlsx_records(upload)
    elif b"\x00" in content and not content.startswith(
        UTF16_BOMS
    ):  # no text file holds NUL bytes: a PDF, an image, a Word file...
        raise ValidationError(_("The file is neither CSV text nor an Excel workbook (.xlsx)."), code="kind")
    else:
        records = _csv_records(content)
    header: list[str] | None = None
    rows: list[ImportRow] = []
    for number, record in enumerate(records, start=1):
        cells = [cell_text(value) for value in record]
        if header is None:
            header = _header(cells, columns)
            continue
        if not any(cells):
            continue
        if len(rows) >= IMPORT_MAX_ROWS:
            raise ValidationError(
                ngettext(
                    "The file has more than %(max)s row to import; split it into files of at most %(max)s.",
                    "The file has more than %(max)s rows to import; split it into files of at most %(max)s.",
                    IMPORT_MAX_ROWS,
                )
                % {"max": f"{IMPORT_MAX_ROWS:,}"},
                code="too_many_rows",
            )
        values = {name: cells[index] if index < len(cells) else "" for index, name in enumerate(header)}
        rows.append(ImportRow(number, values, overflow=any(cells[len(header) :])))
    if header is None:
        raise ValidationError(_("The file is empty."), code="empty")
    if not rows:
        raise ValidationError(_("The file has a header but no rows to import."), code="no_rows")
    return rows


def _header(cells: list[str], columns: tuple[str, ...]) -> list[str]:
    while cells and not cells[-1]:
        cells = cells[:-1]
    names = [cell.strip().lower().replace(" ", "_") for cell in cells]
    if len(names) > IMPORT_MAX_COLUMNS:
        raise ValidationError(
            _("The header has %(count)s columns; this import has %(expected)s.")
            % {"count": len(names), "expected": len(columns)},
            code="header",
        )
    problems = []
    missing = [name for name in columns if name not in names]
    if missing:
        problems.append(_("The header lacks the columns: %(names)s.") % {"names": ", ".join(missing)})
    unknown = [cell or _("(empty)") for cell, name in zip(cells, names, strict=True) if name not in columns]
    if unknown:
        problems.append(
            _("The header names columns this import does not have: %(names)s.")
            % {"names": ", ".join(unknown)}
        )
    repeated = sorted({name for name in names if name in columns and names.count(name) > 1})
    if repeated:
        problems.append(_("The header names a column twice: %(names)s.") % {"names": ", ".join(repeated)})
    if problems:
        problems.append(
            _("The first row must be the header: %(names)s (download the template).")
            % {"names": ", ".join(columns)}
        )
        raise ValidationError(problems, code="header")
    return names
