"""An annex page laid out as the printed form: the XLSX's sheet (``adapters.annex_files.Sheet``, built from
``domain/annex_forms.py``) turned into an HTML table — the same rows, merged cells as col/rowspans, the
header rows as ``<thead>`` — so the page, the XLSX and the CSV cannot drift apart.

Each row is written here as one piece of HTML rather than a template macro per cell: Annex 2 has about a
thousand cells, and a macro call and a URL encoding per cell were a fifth of the page's time
(bench/RESULTS.md, session 6). A figure's link is the page's pre-encoded drill-down address plus its
lineage, and a figure cell carries no class (the form's stylesheet makes a ``td`` a figure): the page the
browser parses is about a third smaller.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

from markupsafe import Markup, escape

from adapters.annex_files import Cell, Sheet, cell_text

FIGURE_STYLE = "figure"  # the sheet's style of a figure: the table's default data cell


@dataclass(frozen=True)
class Form:
    before: list[str]  # 附件N, the title, the 填报单位 line
    head: list[Markup]  # each header row's cells
    body: list[Markup]  # each body row's cells
    after: list[str]  # the note and the footer


class DrillDown:
    """A figure's drill-down address, written as it stands in an ``href`` (``&amp;`` between parameters): the
    chosen unit and cut-off encoded once, each lineage value (a column key, a row key: a few dozen in all)
    once. Every value is percent-encoded (``quote(safe="")``), so the separators are the only characters
    left to escape."""

    def __init__(self, path: str, chosen: Mapping[str, str]) -> None:
        self._path = str(escape(path))
        self._tail = "".join(f"&amp;{k}={quote(v, safe='')}" for k, v in chosen.items() if v)
        self._encoded: dict[str, str] = {}

    def __call__(self, lineage: Mapping[str, str]) -> str:
        parts = []
        for k, v in lineage.items():
            if v not in self._encoded:
                self._encoded[v] = quote(v, safe="")
            parts.append(f"{k}={self._encoded[v]}")
        return f"{self._path}?{'&amp;'.join(parts)}{self._tail}"


def form(sheet: Sheet, link: DrillDown) -> Form:
    """The sheet as a table; ``link`` gives a figure's drill-down address from its lineage parameters."""
    spans = {(r1, c1): (r2 - r1 + 1, c2 - c1 + 1) for r1, c1, r2, c2 in sheet.merges}
    covered = sheet.covered()
    first, last = sheet.table
    head_last = sheet.repeat[1] if sheet.repeat else first - 1

    def row(r: int) -> Markup:
        out = []
        for c, cell in enumerate(sheet.rows[r - 1], 1):
            if (r, c) not in covered:
                rowspan, colspan = spans.get((r, c), (1, 1))
                cell = cell or Cell()
                out.append(_cell(cell, _scope(cell, r <= head_last, colspan, sheet.width), rowspan, colspan, link))
        return Markup("".join(out))  # every text and address is escaped in _cell

    def lines(rows: range) -> list[str]:
        return [cell_text(sheet.rows[r - 1][0]) for r in rows]

    return Form(
        before=lines(range(1, first)),
        head=[row(r) for r in range(first, head_last + 1)],
        body=[row(r) for r in range(head_last + 1, last + 1)],
        after=lines(range(last + 1, len(sheet.rows) + 1)),
    )


def _cell(cell: Cell, scope: str | None, rowspan: int, colspan: int, link: DrillDown) -> str:
    """One cell as the printed form has it: a header (with its scope) or a figure linking to its records.
    Plain string building, not ``Markup.format`` (ten times slower here): the text is escaped, the address
    written escaped (``DrillDown``), the rest are the sheet's own words (scopes, styles, spans)."""
    tag = "th" if scope else "td"
    attributes = f' scope="{scope}"' if scope else ""
    if colspan > 1:
        attributes += f' colspan="{colspan}"'
    if rowspan > 1:
        attributes += f' rowspan="{rowspan}"'
    classes = ([] if cell.style == FIGURE_STYLE else [f"s-{cell.style}"]) + (["sub"] if cell.indent else [])
    if classes:
        attributes += f' class="{" ".join(classes)}"'
    text = escape(cell_text(cell))
    if cell.lineage:
        text = f'<a href="{link(cell.lineage)}">{text}</a>'
    return f"<{tag}{attributes}>{text}</{tag}>"


def _scope(cell: Cell, in_head: bool, colspan: int, width: int) -> str | None:
    if in_head:
        return "colgroup" if colspan > 1 else "col"
    if cell.style == "label":  # an item's or a sector's name; a section title spans the whole row
        return "rowgroup" if colspan == width else "row"
    return None
