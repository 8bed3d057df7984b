"""The quarterly report as a spreadsheet: a template to fill in, and the reading of a filled one.

Reading reports every bad cell (sheet, row, column, message) and leaves saving to the caller, which
saves nothing unless there is no problem at all.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from measures.choices import MAX_FIGURE
from measures.models import Area, QuarterlyFigure, ReportingPeriod

ABOUT_SHEET = "说明 About"
FIGURES_SHEET = "数据 Figures"
NARRATIVES_SHEET = "情况 Narratives"
COLUMNS = 3  # code/area, name/title, value/text
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
    values: dict[str, int | None] = field(default_factory=dict)
    narratives: dict[int, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    figure_rows: dict[str, int] = field(default_factory=dict)


def _both(text_zh: str, text_en: str) -> str:
    return f"{text_zh} {text_en}"


def template_bytes(
    province, period: ReportingPeriod, values: dict[str, int], narratives: dict[int, str]
) -> bytes:
    """The quarter's workbook for the province, pre-filled with what is saved."""
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
        ("省份 Province", f"{province.name_zh} {province.name_en}"),
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


def _extra_cells(sheet, parsed: ParsedWorkbook) -> None:
    for row in sheet.iter_rows(min_row=1, min_col=COLUMNS + 1):
        for cell in row:
            if cell.value not in (None, ""):
                parsed.problems.append(
                    Problem(
                        sheet.title,
                        cell.row,
                        cell.column_letter,
                        _("Extra column: leave only columns A to C."),
                    )
                )


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
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and value > MAX_FIGURE:
        return None, _("This number is too large.")
    if not isinstance(value, int) or value < 0:
        return None, _("Enter a whole number, 0 or more.")
    return value, None


def read_workbook(
    upload, period: ReportingPeriod, progress: Callable[[int], None] | None = None
) -> ParsedWorkbook:
    """Every figure and narrative of a filled-in template, and every problem found, cell by cell."""
    parsed = ParsedWorkbook()
    try:
        workbook = load_workbook(upload, data_only=False)
    except Exception:  # noqa: BLE001 - any unreadable file is one problem to report, not a crash
        parsed.problems.append(Problem("", None, "", _("This is not a readable .xlsx workbook.")))
        return parsed
    for name in (FIGURES_SHEET, NARRATIVES_SHEET):
        if name not in workbook.sheetnames:
            parsed.problems.append(
                Problem(name, None, "", _("The sheet “%(name)s” is missing.") % {"name": name})
            )
    figures = {f.code: f for f in QuarterlyFigure.objects.filter(plan_id=period.plan_id)}
    areas = {a.seq: a for a in Area.objects.filter(plan_id=period.plan_id)}
    total_rows = sum(
        workbook[n].max_row for n in (FIGURES_SHEET, NARRATIVES_SHEET) if n in workbook.sheetnames
    )
    done = 0

    def tick():
        nonlocal done
        done += 1
        if progress and done % 20 == 0:
            progress(min(99, int(done * 100 / max(total_rows, 1))))

    if FIGURES_SHEET in workbook.sheetnames:
        sheet = workbook[FIGURES_SHEET]
        _extra_cells(sheet, parsed)
        for row in sheet.iter_rows(min_row=2, max_col=COLUMNS):
            tick()
            code_cell, _name, value_cell = row
            code = str(code_cell.value or "").strip()
            if not code and value_cell.value in (None, ""):
                continue
            if code not in figures:
                parsed.problems.append(
                    Problem(
                        sheet.title, code_cell.row, "A", _("Unknown figure code “%(code)s”.") % {"code": code}
                    )
                )
                continue
            if code in parsed.figure_rows:
                parsed.problems.append(
                    Problem(sheet.title, code_cell.row, "A", _("“%(code)s” appears twice.") % {"code": code})
                )
                continue
            parsed.figure_rows[code] = code_cell.row
            value, error = _number(value_cell)
            if error:
                parsed.problems.append(Problem(sheet.title, value_cell.row, "C", error))
            parsed.values[code] = value
        for code in figures.keys() - parsed.figure_rows.keys():
            parsed.problems.append(
                Problem(sheet.title, None, "A", _("The row of “%(code)s” is missing.") % {"code": code})
            )
    if NARRATIVES_SHEET in workbook.sheetnames:
        sheet = workbook[NARRATIVES_SHEET]
        _extra_cells(sheet, parsed)
        for row in sheet.iter_rows(min_row=2, max_col=COLUMNS):
            tick()
            area_cell, _title, text_cell = row
            if area_cell.value in (None, "") and text_cell.value in (None, ""):
                continue
            seq, error = _number(area_cell)
            if error or seq not in areas:
                parsed.problems.append(Problem(sheet.title, area_cell.row, "A", _("Unknown area number.")))
                continue
            if text_cell.data_type == "f":
                parsed.problems.append(
                    Problem(
                        sheet.title, text_cell.row, "C", _("Formulas are not accepted: type the text itself.")
                    )
                )
                continue
            parsed.narratives[seq] = "" if text_cell.value is None else str(text_cell.value)
    return parsed
