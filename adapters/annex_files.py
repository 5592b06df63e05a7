"""The annex forms as files: XLSX (openpyxl) and CSV (UTF-8 with BOM), printed from the tables that
``projections/annex_reports.py`` computes (``AnnexQueries.annex1/annex2/annex3``).

Pure functions from those dicts to bytes: no business rule lives here — every figure arrives computed,
every label comes from ``domain/annex_forms.py``. Each annex is first laid out as a ``Sheet`` (rows of
cells, merged ranges, column widths); the XLSX and the CSV are two renderings of the same sheet, so
they hold the same rows in the same places.

Numbers stay numbers: counts are integer cells; rates and 万元 are numeric cells with the number format
``0.00`` (the CSV writes them with 2 decimals); a rate whose denominator is 0 is the text "—".
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from domain.annex_forms import (
    ANNEX1,
    ANNEX1_HEADER,
    ANNEX1_NOTE,
    ANNEX1_TITLE,
    ANNEX2,
    ANNEX2_HEADER,
    ANNEX2_NOTE,
    ANNEX2_TITLE,
    ANNEX3,
    ANNEX3_HEADER,
    ANNEX3_TITLE,
    SECTOR_HEADER,
    SUB_ROW_PREFIX,
    Item,
    annex1_item,
    footer,
)
from domain.figures import DASH, show

# Captions of the export's own layout (the forms' labels are all in domain/annex_forms.py).
NUMBER_HEADER = "序号"
ITEM_HEADER = "项目"
FIGURE_HEADER = "数量"
UNIT_HEADER = "单位"
# 是/否, as the form's unit of the media item spells them.
YES, NO = annex1_item("media_column").unit.split("/")
# Short names for file names: the last words of each title.
SHORT_NAMES = {"annex1": "调度表", "annex2": "统计表", "annex3": "4个清单"}
ANNEX_NUMBERS = {"annex1": 1, "annex2": 2, "annex3": 3}
ANNEX1_PER_ROW = 2  # Annex 1's grid: two items a row,
ANNEX1_ITEM_WIDTH = 4  # each in four columns (序号, 项目, 数量, 单位)

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
MONEY_FORMAT = "0.00"
FONT = "宋体"


def form_date(day: date | str) -> str:
    """A date as the forms print it: 2023年12月22日."""
    d = date.fromisoformat(day) if isinstance(day, str) else day
    return f"{d.year}年{d.month}月{d.day}日"


def file_name(annex: str, unit_name: str, day: date | str, extension: str) -> str:
    """附件2_统计表_区安委办_2023-12-22.xlsx"""
    d = day if isinstance(day, str) else day.isoformat()
    return f"附件{ANNEX_NUMBERS[annex]}_{SHORT_NAMES[annex]}_{unit_name}_{d}.{extension}"


# ===== the sheet model =============================================================================


@dataclass
class Cell:
    """One cell. ``figure``: a computed figure (None is the "—" of an undefined rate)."""

    value: Any = None
    style: str = "body"  # annex | title | line | head | body | label | figure | note
    figure: bool = False
    indent: int = 0
    wrap: bool = False
    # Where a figure comes from: the lineage query's parameters (``key`` and ``row`` or ``figure``), for the
    # pages' drill-down links from the same layout (a file ignores it).
    lineage: dict[str, str] | None = None


@dataclass
class Sheet:
    title: str
    widths: list[float]
    rows: list[list[Cell | None]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row, col, last row, last col), 1-based
    table: tuple[int, int] = (0, 0)  # the bordered rows (first, last)
    boxes: list[tuple[int, int]] = field(default_factory=list)  # more bordered rows: a sheet of several tables
    repeat: tuple[int, int] | None = None  # header rows printed on every page
    freeze: str | None = None
    portrait: bool = False  # A4 portrait (else landscape)
    one_page: bool = False  # fitted to one page (else to the page width, as many pages as it takes)

    @property
    def width(self) -> int:
        return len(self.widths)

    def add(self, cells: Iterable[Cell | None]) -> int:
        row = list(cells)
        row += [None] * (self.width - len(row))
        self.rows.append(row)
        return len(self.rows)

    def put(self, row: int, col: int, cell: Cell) -> None:
        """A cell in an existing row (1-based)."""
        self.rows[row - 1][col - 1] = cell

    def shown(self, row: int, col: int) -> Cell | None:
        """The cell seen at (row, col): the top-left cell of the merged range that covers it, if any."""
        for r1, c1, r2, c2 in self.merges:
            if r1 <= row <= r2 and c1 <= col <= c2:
                return self.rows[r1 - 1][c1 - 1]
        return self.rows[row - 1][col - 1]

    def covered(self) -> set[tuple[int, int]]:
        """The cells hidden under a merged range (all but its top-left cell)."""
        return {
            (r, c) for r1, c1, r2, c2 in self.merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1) if (r, c) != (r1, c1)
        }

    def line(self, value: str, style: str, wrap: bool = False) -> int:
        """A line across the whole sheet (title, header, note, footer)."""
        n = self.add([Cell(value, style, wrap=wrap)])
        self.merges.append((n, 1, n, self.width))
        return n


@dataclass(frozen=True)
class Filler:
    """Who filled the form in, as its footer (Annexes 1, 2) and header (Annex 3) print them: from the unit's
    submission of the annex and cut-off (``app.reports``); blanks when there is none."""

    reviewer: str = ""  # 审核人
    submitter: str = ""  # 填报联系人 (填报人)
    phone: str = ""  # 联系电话

    def footer(self) -> str:
        return footer(self.reviewer, self.submitter, self.phone)

    def contact(self) -> str:
        """Annex 3's 填报人及联系电话."""
        return " ".join(x for x in (self.submitter, self.phone) if x)


NOBODY = Filler()


def _figure(value: Any, lineage: dict[str, str]) -> Cell:
    if isinstance(value, bool):
        return Cell(YES if value else NO, "figure", lineage=lineage)
    return Cell(value, "figure", figure=True, lineage=lineage)


# ===== Annex 1 ======================================================================================


def annex1_sheet(table: Mapping[str, Any], filler: Filler = NOBODY) -> Sheet:
    """附件1 调度表 on one A4 page, in the form's grid: two items a row (number, label, figure, unit; twice),
    under each section's title. An item with two figures (e.g. 次 and 万元) takes two lines, each figure with
    its caption beside it; the item beside it spans both."""
    figures = {item["key"]: item["figures"] for section in table["sections"] for item in section["items"]}
    sheet = Sheet("附件1", [5, 30, 9, 10] * ANNEX1_PER_ROW, portrait=True, one_page=True)
    _heading(sheet, 1, ANNEX1_TITLE, ANNEX1_HEADER.format(unit=table["unit_name"], date=form_date(table["as_of"])))
    head = sheet.add([Cell(NUMBER_HEADER, "head"), Cell(ITEM_HEADER, "head"), Cell(FIGURE_HEADER, "head"),
                      Cell(UNIT_HEADER, "head")] * ANNEX1_PER_ROW)  # fmt: skip
    for section in ANNEX1:
        sheet.line(section.title, "label")
        for first in range(0, len(section.items), ANNEX1_PER_ROW):
            items = section.items[first : first + ANNEX1_PER_ROW]
            depth = max(len(item.figures) for item in items)
            top = len(sheet.rows) + 1
            for _ in range(depth):
                sheet.add([])
            for n, item in enumerate(items):
                _annex1_item(sheet, top, 1 + n * ANNEX1_ITEM_WIDTH, depth, item, figures[item.key])
    last = len(sheet.rows)
    sheet.table, sheet.repeat, sheet.freeze = (head, last), (head, head), f"A{head + 1}"
    sheet.line(ANNEX1_NOTE, "note", wrap=True)
    sheet.line(filler.footer(), "line")
    return sheet


def _annex1_item(sheet: Sheet, top: int, col: int, depth: int, item: Item, figures: Mapping[str, Any]) -> None:
    """One item in its place of the grid, from row ``top``, column ``col``, over ``depth`` rows."""
    sheet.put(top, col, Cell(item.number, "figure"))
    sheet.put(top, col + 1, Cell(item.label, "label", wrap=True))
    for line, (name, caption) in enumerate(zip(item.figures, item.figure_captions, strict=True)):
        sheet.put(top + line, col + 2, _figure(figures[name], {"key": item.key, "figure": name}))
        sheet.put(top + line, col + 3, Cell(caption, "body", wrap=True))
    spans = range(col, col + ANNEX1_ITEM_WIDTH) if len(item.figures) == 1 else range(col, col + 2)
    if depth > 1:
        sheet.merges.extend((top, c, top + depth - 1, c) for c in spans)


# ===== Annex 2 ======================================================================================


def annex2_sheet(table: Mapping[str, Any], filler: Filler = NOBODY) -> Sheet:
    """附件2 统计表: the two-level header (group over label; a column without a group spans both header
    rows), the units row, then 累计总计, 本月总计 and every sector row ("其中：" rows indented)."""
    sheet = Sheet("附件2", [22] + [8.5] * len(ANNEX2))
    _heading(sheet, 2, ANNEX2_TITLE, ANNEX2_HEADER.format(unit=table["unit_name"], date=form_date(table["as_of"])))
    groups = sheet.add([Cell(SECTOR_HEADER, "head")] + [Cell(c.group or c.label, "head", wrap=True) for c in ANNEX2])
    labels = sheet.add([None] + [None if not c.group else Cell(c.label, "head", wrap=True) for c in ANNEX2])
    units = sheet.add([None] + [Cell(c.unit, "head") for c in ANNEX2])
    sheet.merges.append((groups, 1, units, 1))
    col = 2
    for group, width in _runs([c.group for c in ANNEX2]):
        if group:
            sheet.merges.append((groups, col, groups, col + width - 1))
        else:
            sheet.merges.extend((groups, c, labels, c) for c in range(col, col + width))
        col += width
    for row in table["rows"]:
        sub = bool(row.get("parent"))
        label = Cell(f"{SUB_ROW_PREFIX}{row['label']}" if sub else row["label"], "label", indent=2 if sub else 0)
        sheet.add([label] + [_figure(row["cells"][c.key], {"key": c.key, "row": row["key"]}) for c in ANNEX2])
    last = len(sheet.rows)
    sheet.table, sheet.repeat, sheet.freeze = (groups, last), (groups, units), f"B{units + 1}"
    sheet.line(ANNEX2_NOTE, "note", wrap=True)
    sheet.line(filler.footer(), "line")
    return sheet


def _runs(values: list[str]) -> list[tuple[str, int]]:
    """Consecutive equal values with their lengths (the header groups)."""
    runs: list[tuple[str, int]] = []
    for value in values:
        if runs and runs[-1][0] == value:
            runs[-1] = (value, runs[-1][1] + 1)
        else:
            runs.append((value, 1))
    return runs


# ===== Annex 3 ======================================================================================


def annex3_sheet(table: Mapping[str, Any], *, unit_name: str, filled_on: date | str, filler: Filler = NOBODY) -> Sheet:
    """附件3 4个清单: the list titles over their columns, one row per risk point. Phone numbers are printed
    as the table has them: mask them before (the routes do, by the reader's role)."""
    sheet = Sheet("附件3", [6, 10, 16, 18, 12, 24, 22, 30, 18, 18, 32, 18, 32, 30])
    header = ANNEX3_HEADER.format(unit=unit_name, contact=filler.contact(), date=form_date(filled_on))
    _heading(sheet, 3, ANNEX3_TITLE, header)
    lists = sheet.add([Cell(NUMBER_HEADER, "head")] + [Cell(c.list_title, "head", wrap=True) for c in ANNEX3])
    labels = sheet.add([None] + [Cell(c.label, "head", wrap=True) for c in ANNEX3])
    sheet.merges.append((lists, 1, labels, 1))
    col = 2
    for _, width in _runs([c.list_title for c in ANNEX3]):
        sheet.merges.append((lists, col, lists, col + width - 1))
        col += width
    for row in table["rows"]:
        sheet.add([Cell(row["number"], "figure")] + [Cell(_annex3_text(c.key, row), "body", wrap=True) for c in ANNEX3])
    last = len(sheet.rows)
    sheet.table, sheet.repeat, sheet.freeze = (lists, last), (lists, labels), f"C{labels + 1}"
    return sheet


def _annex3_text(key: str, row: Mapping[str, Any]) -> str:
    if key == "department":
        return " ".join(x for x in (row["department"], row.get("department_phone") or "") if x)
    if key == "principal":
        return " ".join(x for x in (row["principal"], row.get("principal_phone") or "") if x)
    if key in ("enterprise_measures", "emergency_measures"):
        return numbered(row[key])
    if key == "government_measures":
        return "、".join(row[key])
    if key == "supplies":
        return "\n".join(f"{n} {s['category']} {s['name']} {s['quantity']}{s['unit']}" for n, s in enumerate(row["supplies"], 1))
    return str(row[key] if row[key] is not None else "")


def numbered(items: Iterable[str]) -> str:
    """1. …\\n2. … — a numbered list in one cell."""
    return "\n".join(f"{n}. {text}" for n, text in enumerate(items, 1))


# ===== shared layout ================================================================================


def _heading(sheet: Sheet, number: int, title: str, header: str) -> None:
    sheet.line(f"附件{number}", "annex")
    sheet.line(title, "title")
    sheet.line(header, "line")


# ===== rendering ====================================================================================

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONTS = {
    "annex": Font(name=FONT, size=12, bold=True),
    "title": Font(name=FONT, size=16, bold=True),
    "head": Font(name=FONT, size=10, bold=True),
    "line": Font(name=FONT, size=11),
    "note": Font(name=FONT, size=10),
}
_BODY_FONT = Font(name=FONT, size=10)


def to_xlsx(sheet: Sheet) -> bytes:
    """The sheet as an XLSX workbook that prints on A4 (landscape unless ``portrait``), fitted to the page
    width (and height, ``one_page``), the header rows repeated on every page."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet.title
    bordered = [sheet.table, *sheet.boxes]
    for r, row in enumerate(sheet.rows, 1):
        for c, cell in enumerate(row, 1):
            target = ws.cell(row=r, column=c)
            if any(first <= r <= last for first, last in bordered):
                target.border = _BORDER
            if cell is None:
                continue
            target.value = _xlsx_value(cell)
            if cell.figure and isinstance(cell.value, Decimal):
                target.number_format = MONEY_FORMAT
            target.font = _FONTS.get(cell.style, _BODY_FONT)
            target.alignment = _alignment(cell)
    for r1, c1, r2, c2 in sheet.merges:
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    for c, width in enumerate(sheet.widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    for r, height in _heights(sheet).items():
        ws.row_dimensions[r].height = height
    ws.page_setup.orientation = "portrait" if sheet.portrait else "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if sheet.one_page else 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.5, header=0.3, footer=0.3)
    ws.print_area = f"A1:{get_column_letter(sheet.width)}{len(sheet.rows)}"
    if sheet.repeat:
        ws.print_title_rows = f"{sheet.repeat[0]}:{sheet.repeat[1]}"
    if sheet.freeze:
        ws.freeze_panes = sheet.freeze
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _xlsx_value(cell: Cell) -> Any:
    if cell.figure:
        return DASH if cell.value is None else cell.value
    return cell.value


def _alignment(cell: Cell) -> Alignment:
    if cell.style in ("annex", "line", "note"):
        return Alignment(horizontal="left", vertical="center", wrap_text=cell.wrap)
    if cell.style in ("title", "head", "figure"):
        return Alignment(horizontal="center", vertical="center", wrap_text=cell.wrap or cell.style == "head")
    return Alignment(horizontal="left", vertical="center", wrap_text=cell.wrap, indent=cell.indent)


def _heights(sheet: Sheet) -> dict[int, float]:
    """Row heights for wrapped text (Excel does not grow rows written by openpyxl): lines × 14 pt."""
    spans = {(r1, c1): sum(sheet.widths[c1 - 1 : c2]) for r1, c1, r2, c2 in sheet.merges if r1 == r2}
    heights: dict[int, float] = {}
    for r, row in enumerate(sheet.rows, 1):
        lines = 1
        for c, cell in enumerate(row, 1):
            if cell is None or not (cell.wrap or cell.style == "head") or cell.value is None:
                continue
            width = spans.get((r, c), sheet.widths[c - 1])
            lines = max(lines, _lines(str(cell.value), width))
        if any(cell is not None and cell.style == "title" for cell in row):
            heights[r] = 28
        elif lines > 1:
            heights[r] = 14 * lines + 4
    return heights


def _lines(text: str, width: float) -> int:
    """Printed lines of ``text`` in a column ``width`` characters wide (a Chinese character counts 2)."""
    per_line = max(1.0, width - 1)
    return sum(max(1, math.ceil(sum(1 if ord(ch) < 128 else 2 for ch in part) / per_line)) for part in text.split("\n"))


def to_csv(sheet: Sheet) -> bytes:
    """The same rows as CSV, UTF-8 with BOM (Excel opens it as Chinese text): a merged range's value in
    its first cell; figures unformatted, rates and 万元 with 2 decimals, "—" for an undefined rate."""
    covered = sheet.covered()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for r, row in enumerate(sheet.rows, 1):
        writer.writerow(["" if (r, c) in covered else cell_text(cell) for c, cell in enumerate(row, 1)])
    return out.getvalue().encode("utf-8-sig")


def cell_text(cell: Cell | None) -> str:
    """A cell as printed in text (the CSV's, the pages'): figures by ``show``, "—" for an undefined rate."""
    if cell is None:
        return ""
    if cell.figure:
        return show(cell.value)
    return "" if cell.value is None else str(cell.value)


# ===== entry points =================================================================================


def annex_sheet(
    annex: str, table: Mapping[str, Any], *, unit_name: str = "", filled_on: date | str | None = None, filler: Filler = NOBODY
) -> Sheet:
    if annex == "annex1":
        return annex1_sheet(table, filler)
    if annex == "annex2":
        return annex2_sheet(table, filler)
    if annex == "annex3":
        return annex3_sheet(table, unit_name=unit_name, filled_on=filled_on or date.today(), filler=filler)
    raise ValueError(annex)


def export(
    annex: str, table: Mapping[str, Any], fmt: str, *, unit_name: str = "", filled_on: date | str | None = None,
    filler: Filler = NOBODY,
) -> bytes:  # fmt: skip
    """One annex table as ``xlsx`` or ``csv`` bytes."""
    sheet = annex_sheet(annex, table, unit_name=unit_name, filled_on=filled_on, filler=filler)
    if fmt == "xlsx":
        return to_xlsx(sheet)
    if fmt == "csv":
        return to_csv(sheet)
    raise ValueError(fmt)
