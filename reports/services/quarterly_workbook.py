"""The quarterly report as a spreadsheet: a template to fill in, and the reading of a filled one.

Reading reports every bad cell (sheet, row, column, message) and leaves saving to the caller, which
saves nothing unless there is no problem at all. Reading is bounded whatever the file: the upload's
size (QUARTERLY_UPLOAD_MAX_BYTES, checked before it is stored), the sheets, the unpacked size, the
cells looked at and the problems kept.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.utils.exceptions import CellCoordinatesException
from openpyxl.xml.functions import iterparse

from measures.choices import MAX_FIGURE
from measures.models import Area, QuarterlyFigure, ReportingPeriod

ABOUT_SHEET = "说明 About"
FIGURES_SHEET = "数据 Figures"
NARRATIVES_SHEET = "情况 Narratives"
COLUMNS = 3  # code/area, name/title, value/text
# Bounds on reading an upload, whatever the file holds (the template has 3 sheets and ~80 cells):
MAX_SHEETS = 10  # sheets in the workbook
MAX_UNPACKED_BYTES = 10 * 1024 * 1024  # its parts once unzipped (a zip may unpack a thousandfold)
MAX_CELLS = 5_000  # cells looked at per sheet
ROW_SLACK = 20  # rows read beyond the template's, so that a figure added by mistake is named
MAX_PROBLEMS = 200  # problems kept; the others are counted
QUOTE_CHARS = 40  # characters of a cell quoted back in a problem
# What a broken sheet raises while it is read (XML's ParseError is a SyntaxError). Not a bare
# Exception: the job's own signals (a lost lease, a database away) must pass through.
UNREADABLE = (
    SyntaxError, zipfile.BadZipFile, CellCoordinatesException, KeyError, IndexError, ValueError, TypeError,
    AttributeError,
)  # fmt: skip
HOW_TO_ZH = (
    "只填写“数据 Figures”表C列的数值（整数，无则填0）和“情况 Narratives”表C列的文字；"
    "不要修改A、B列，不要使用公式。"
)
HOW_TO_EN = (
    "Fill in only column C: whole numbers (0 if none) on “数据 Figures”, text on “情况 Narratives”. "
    "Do not change columns A and B and do not use formulas."
)


@dataclass
class Problem:
    sheet: str
    row: int | None
    column: str
    message: str


@dataclass
class ParsedWorkbook:
    """What a workbook holds, and what is wrong with it: at most ``max_problems`` problems are kept,
    the others counted in ``more``. ``cells_read`` counts the cells looked at (the work done)."""

    values: dict[str, int | None] = field(default_factory=dict)
    narratives: dict[int, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    figure_rows: dict[str, int] = field(default_factory=dict)
    max_problems: int = MAX_PROBLEMS
    more: int = 0
    cells_read: int = 0

    def add(self, problem: Problem, *, first: bool = False) -> None:
        """Keep the problem (``first``: ahead of the others) if there is room; otherwise count it."""
        if first:
            self.problems.insert(0, problem)
        else:
            self.problems.append(problem)
        if len(self.problems) > self.max_problems:
            self.problems.pop()
            self.more += 1

    @property
    def rejected(self) -> bool:
        return bool(self.problems or self.more)


def check_upload_size(upload) -> None:
    """Refuse a file larger than QUARTERLY_UPLOAD_MAX_BYTES, before it is stored or read."""
    limit = settings.QUARTERLY_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files may be at most %(max)s.")
            % {
                "name": Path(upload.name).name,
                "size": filesizeformat(upload.size),
                "max": filesizeformat(limit),
            },
            code="too_large",
        )


def _both(text_zh: str, text_en: str) -> str:
    return f"{text_zh} {text_en}"


def template_bytes(
    division, period: ReportingPeriod, values: dict[str, int], narratives: dict[int, str]
) -> bytes:
    """The quarter's workbook for the reporting division, pre-filled with what is saved."""
    workbook = Workbook()
    about = workbook.active
    about.title = ABOUT_SHEET
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="F2DCDB")
    with override("zh-hans"):
        quarter_zh = str(period)
    with override("en"):
        quarter_en = str(period)
    for row in (
        ("地区 Division", f"{division.name_zh} {division.name_en} ({division.code})"),
        ("报告期 Quarter", f"{quarter_zh} / {quarter_en} ({period.code})"),
        ("截止日期 Deadline", period.deadline.isoformat()),
        ("填写说明", HOW_TO_ZH),
        ("How to fill in", HOW_TO_EN),
    ):
        about.append(row)
        about.cell(about.max_row, 1).font = bold
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 100

    figures_sheet = workbook.create_sheet(FIGURES_SHEET)
    figures_sheet.append(["代码 Code", "数据项 Figure", "数值 Value"])
    for figure in QuarterlyFigure.objects.filter(plan_id=period.plan_id):
        figures_sheet.append([figure.code, _both(figure.name_zh, figure.name_en), values.get(figure.code)])
    narratives_sheet = workbook.create_sheet(NARRATIVES_SHEET)
    narratives_sheet.append(["领域 Area", "名称 Title", "情况说明 Narrative"])
    for area in Area.objects.filter(plan_id=period.plan_id):
        narratives_sheet.append([area.seq, _both(area.title_zh, area.title_en), narratives.get(area.seq, "")])
    for sheet, widths in ((figures_sheet, (26, 60, 14)), (narratives_sheet, (10, 50, 100))):
        for i, width in enumerate(widths, 1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        for cell in sheet[1]:
            cell.font, cell.fill = bold, header_fill
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _number(cell) -> tuple[int | None, str | None]:
    """The cell's whole number, or why it is not one."""
    if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("=")):
        return None, _("Formulas are not accepted: type the number itself.")
    value = cell.value
    if value in (None, ""):
        return None, None
    if isinstance(value, bool):
        return None, _("Enter a whole number, 0 or more.")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdecimal():
        if len(value.strip()) > len(str(MAX_FIGURE)):
            return None, _("This number is too large.")
        value = int(value.strip())
    if isinstance(value, int) and value > MAX_FIGURE:
        return None, _("This number is too large.")
    if not isinstance(value, int) or value < 0:
        return None, _("Enter a whole number, 0 or more.")
    return value, None


def _quote(value) -> str:
    """A cell's text as quoted back in a problem: short, so that a list of problems stays small."""
    text = str(value or "").strip()
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1] + "…"


@dataclass
class SheetScan:
    """What a first, bounded pass over a sheet's XML found: how many cells it looked at, the filled
    cells outside the template's range (the first of them), and whether it stopped at the bound."""

    cells: int = 0
    last_row: int = 0
    extra: int = 0
    first_extra: tuple[int, str] | None = None
    stopped: bool = False


def _scan(sheet, rows: int) -> SheetScan:
    """Look at a sheet's cells without building them, at most MAX_CELLS of them.

    openpyxl reads a row with all its cells at once, and the dimension a file declares may be false,
    so the sheet's size is learnt here first: only a sheet whose template range is small is then
    read cell by cell, and the cells outside the range are only counted, never read.
    """
    scan = SheetScan()
    row_number = column_number = 0
    # openpyxl's read-only sheet opens its XML on demand; there is no public way to stream it raw.
    with sheet._get_source() as source:  # noqa: SLF001
        for event, element in iterparse(source, events=("start", "end")):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "row":
                if event == "start":  # rows and cells may omit their number: they follow the previous
                    row_number = int(element.get("r") or row_number + 1)
                    column_number = 0
                else:
                    element.clear()
                continue
            if tag != "c" or event != "end":
                continue
            scan.cells += 1
            reference = element.get("r")
            if reference:
                column_letters, row_number = coordinate_from_string(reference)
                column_number = column_index_from_string(column_letters)
            else:
                column_number += 1
            scan.last_row = max(scan.last_row, row_number)
            if (row_number > rows or column_number > COLUMNS) and len(element):
                scan.extra += 1
                scan.first_extra = scan.first_extra or (row_number, get_column_letter(column_number))
            element.clear()
            if scan.cells >= MAX_CELLS:
                scan.stopped = True
                break
    return scan


def _read_sheet(parsed: ParsedWorkbook, sheet, rows: int) -> list[tuple[int, tuple]]:
    scan = _scan(sheet, rows)
    parsed.cells_read += scan.cells
    if scan.stopped and scan.last_row <= rows:
        parsed.add(
            Problem(
                sheet.title,
                None,
                "",
                _(
                    "This sheet holds more than %(limit)s cells in its first %(rows)s rows: it is not the "
                    "template. Fill in column C of the downloaded template."
                )
                % {"limit": MAX_CELLS, "rows": rows},
            )
        )
        return []
    if scan.extra:
        row, column = scan.first_extra
        if scan.stopped:
            message = _(
                "More than %(count)s cells are filled outside the template (columns A to C, rows 1 to "
                "%(rows)s), the first at %(cell)s: leave only the template's cells."
            ) % {"count": scan.extra, "rows": rows, "cell": f"{column}{row}"}
        else:
            message = ngettext(
                "%(count)s cell is filled outside the template (columns A to C, rows 1 to %(rows)s), "
                "at %(cell)s: leave only the template's cells.",
                "%(count)s cells are filled outside the template (columns A to C, rows 1 to %(rows)s), "
                "the first at %(cell)s: leave only the template's cells.",
                scan.extra,
            ) % {"count": scan.extra, "rows": rows, "cell": f"{column}{row}"}
        parsed.add(Problem(sheet.title, row, column, message))
    # Bounded: the rows up to ``rows`` hold fewer than MAX_CELLS cells, as the scan has shown.
    cells = list(enumerate(sheet.iter_rows(min_row=2, max_row=rows, max_col=COLUMNS), start=2))
    parsed.cells_read += len(cells) * COLUMNS
    return cells


def _archive_problem(upload) -> str | None:
    """Why the file cannot be opened as a workbook within the bounds, or None."""
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return _("This is not a readable .xlsx workbook.")
    finally:
        upload.seek(0)
    sheets = [m for m in members if m.filename.startswith("xl/worksheets/") and m.filename.endswith(".xml")]
    if len(sheets) > MAX_SHEETS:
        return _("The workbook has %(count)s sheets; the template has 3. Upload the downloaded template.") % {
            "count": len(sheets)
        }
    if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        return _("The workbook holds more than %(size)s once unpacked: it is not the filled-in template.") % {
            "size": filesizeformat(MAX_UNPACKED_BYTES)
        }
    return None


def read_workbook(
    upload,
    period: ReportingPeriod,
    progress: Callable[[int], None] | None = None,
    *,
    max_problems: int = MAX_PROBLEMS,
    division=None,
) -> ParsedWorkbook:
    """Every figure and narrative of a filled-in template, and every problem found, cell by cell.

    Bounded whatever the file: only the two sheets of the template are read, only their columns A to
    C and a few rows more than the template has; other filled cells are counted (up to a bound) as
    one problem per sheet; at most ``max_problems`` problems are kept, the rest only counted.
    With ``division``, a template made for another division or quarter (its About sheet says which)
    is refused, naming both.
    """
    parsed = ParsedWorkbook(max_problems=max_problems)
    refused = _archive_problem(upload)
    if refused is None:
        try:
            workbook = load_workbook(upload, read_only=True, data_only=False)
        except Exception:  # noqa: BLE001 - any unreadable file is one problem to report, not a crash
            refused = _("This is not a readable .xlsx workbook.")
    if refused:
        parsed.add(Problem("", None, "", refused))
        return parsed
    try:
        if division is not None:
            _check_about(parsed, workbook, division, period)
        _read(parsed, workbook, period, progress)
    except UNREADABLE:  # a sheet broken inside (bad XML, a missing string) is a problem too
        parsed.add(Problem("", None, "", _("This is not a readable .xlsx workbook.")))
    finally:
        workbook.close()
    return parsed


def _check_about(parsed: ParsedWorkbook, workbook, division, period: ReportingPeriod) -> None:
    """Refuse a template made for another division or quarter: its About sheet names them (in
    brackets, as ``template_bytes`` writes them); a sheet that names none is not refused."""
    if ABOUT_SHEET not in workbook.sheetnames:
        return
    rows = workbook[ABOUT_SHEET].iter_rows(min_row=1, max_row=2, min_col=2, max_col=2, values_only=True)
    said = [str(row[0] or "")[:300] for row in rows]
    checks = (
        (
            r"\((\d{6})\)",
            division.code,
            _("This template is for another division (%(found)s), not %(expected)s."),
        ),
        (
            r"\((\d{4}Q[1-4])\)",
            period.code,
            _("This template is for another quarter (%(found)s), not %(expected)s."),
        ),
    )
    for number, (text, (pattern, expected, message)) in enumerate(zip(said, checks, strict=False), 1):
        found = re.search(pattern, text)
        if found and found.group(1) != expected:
            expected_name = division if expected == division.code else period
            parsed.add(
                Problem(
                    ABOUT_SHEET, number, "B", message % {"found": found.group(1), "expected": expected_name}
                )
            )


def _read(parsed: ParsedWorkbook, workbook, period: ReportingPeriod, progress) -> None:
    for name in (FIGURES_SHEET, NARRATIVES_SHEET):
        if name not in workbook.sheetnames:
            parsed.add(Problem(name, None, "", _("The sheet “%(name)s” is missing.") % {"name": name}))
    figures = {f.code: f for f in QuarterlyFigure.objects.filter(plan_id=period.plan_id)}
    areas = {a.seq: a for a in Area.objects.filter(plan_id=period.plan_id)}
    bounds = {FIGURES_SHEET: 1 + len(figures) + ROW_SLACK, NARRATIVES_SHEET: 1 + len(areas) + ROW_SLACK}
    total_rows = sum(bounds.values())
    done = 0

    def tick():
        nonlocal done
        done += 1
        if progress and done % 20 == 0:
            progress(min(99, int(done * 100 / total_rows)))

    if FIGURES_SHEET in workbook.sheetnames:
        sheet = workbook[FIGURES_SHEET]
        rows = _read_sheet(parsed, sheet, bounds[FIGURES_SHEET])
        for number, (code_cell, _name, value_cell) in rows:
            tick()
            code = str(code_cell.value or "").strip()
            if not code and value_cell.value in (None, ""):
                continue
            if code not in figures:
                message = _("Unknown figure code “%(code)s”.") % {"code": _quote(code)}
                parsed.add(Problem(sheet.title, number, "A", message))
                continue
            if code in parsed.figure_rows:
                parsed.add(Problem(sheet.title, number, "A", _("“%(code)s” appears twice.") % {"code": code}))
                continue
            parsed.figure_rows[code] = number
            value, error = _number(value_cell)
            if error:
                parsed.add(Problem(sheet.title, number, "C", error))
            parsed.values[code] = value
        if rows:  # a sheet too large to read has said so once; its rows are not "missing" one by one
            for code in figures.keys() - parsed.figure_rows.keys():
                message = _("The row of “%(code)s” is missing.") % {"code": code}
                parsed.add(Problem(sheet.title, None, "A", message))
    if NARRATIVES_SHEET in workbook.sheetnames:
        sheet = workbook[NARRATIVES_SHEET]
        for number, (area_cell, _title, text_cell) in _read_sheet(parsed, sheet, bounds[NARRATIVES_SHEET]):
            tick()
            if area_cell.value in (None, "") and text_cell.value in (None, ""):
                continue
            seq, error = _number(area_cell)
            if error or seq not in areas:
                parsed.add(Problem(sheet.title, number, "A", _("Unknown area number.")))
                continue
            if text_cell.data_type == "f":
                message = _("Formulas are not accepted: type the text itself.")
                parsed.add(Problem(sheet.title, number, "C", message))
                continue
            parsed.narratives[seq] = "" if text_cell.value is None else str(text_cell.value)
