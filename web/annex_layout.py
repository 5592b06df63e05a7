"""An annex page laid out as the printed form: the XLSX's sheet (``adapters.annex_files.Sheet``, built from
``domain/annex_forms.py``) turned into an HTML table — the same rows, merged cells as col/rowspans, the
header rows as ``<thead>`` — so the page, the XLSX and the CSV cannot drift apart."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from adapters.annex_files import Cell, Sheet, cell_text


@dataclass(frozen=True)
class FormCell:
    text: str
    style: str  # the sheet's: head | label | figure | body …
    colspan: int = 1
    rowspan: int = 1
    scope: str | None = None  # a header cell's scope (col, colgroup, row, rowgroup); None: a data cell
    indent: bool = False  # a "其中" row
    href: str | None = None  # a figure's drill-down (its lineage)


@dataclass(frozen=True)
class Form:
    before: list[str]  # 附件N, the title, the 填报单位 line
    head: list[list[FormCell]]
    body: list[list[FormCell]]
    after: list[str]  # the note and the footer


def form(sheet: Sheet, link: Callable[[dict[str, str]], str]) -> Form:
    """The sheet as a table; ``link`` gives a figure's drill-down address from its lineage parameters."""
    spans = {(r1, c1): (r2 - r1 + 1, c2 - c1 + 1) for r1, c1, r2, c2 in sheet.merges}
    covered = sheet.covered()
    first, last = sheet.table
    head_last = sheet.repeat[1] if sheet.repeat else first - 1

    def cells(r: int) -> list[FormCell]:
        out = []
        for c, cell in enumerate(sheet.rows[r - 1], 1):
            if (r, c) in covered:
                continue
            rowspan, colspan = spans.get((r, c), (1, 1))
            cell = cell or Cell()
            out.append(
                FormCell(
                    cell_text(cell), cell.style, colspan, rowspan, _scope(cell, r <= head_last, colspan, sheet.width),
                    bool(cell.indent), link(cell.lineage) if cell.lineage else None,
                )
            )  # fmt: skip
        return out

    def lines(rows: range) -> list[str]:
        return [cell_text(sheet.rows[r - 1][0]) for r in rows]

    return Form(
        before=lines(range(1, first)),
        head=[cells(r) for r in range(first, head_last + 1)],
        body=[cells(r) for r in range(head_last + 1, last + 1)],
        after=lines(range(last + 1, len(sheet.rows) + 1)),
    )


def _scope(cell: Cell, in_head: bool, colspan: int, width: int) -> str | None:
    if in_head:
        return "colgroup" if colspan > 1 else "col"
    if cell.style == "label":  # an item's or a sector's name; a section title spans the whole row
        return "rowgroup" if colspan == width else "row"
    return None
