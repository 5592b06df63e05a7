"""A unit's hazard ledger (隐患台账) as an Excel workbook, read into grids of cell values for
``domain/ledger_import.py`` — with every merged range's value filled into each of its cells, so a header
merged across two rows or over several columns reads like a plain one."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from domain.errors import DomainError
from domain.ledger_import import SheetGrid


def read_workbook(content: bytes) -> list[SheetGrid]:
    """Every worksheet's values (formulas as last computed by Excel), in the workbook's order."""
    try:
        # Not read-only: a read-only workbook does not know its merged ranges.
        book = load_workbook(io.BytesIO(content), data_only=True)
    except Exception as exc:  # noqa: BLE001 — a malformed file makes openpyxl raise almost anything (zip, XML, types)
        raise DomainError("ledger_file_unreadable", reason=type(exc).__name__) from None
    sheets = []
    for sheet in book.worksheets:
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        for merged in sheet.merged_cells.ranges:
            value = sheet.cell(merged.min_row, merged.min_col).value
            for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
                row = rows[r]
                row.extend([None] * (merged.max_col - len(row)))
                for c in range(merged.min_col - 1, merged.max_col):
                    row[c] = value
        sheets.append(SheetGrid(sheet.title, rows))
    book.close()
    return sheets
