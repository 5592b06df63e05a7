"""The 区安委办's monthly accident bulletin (本月生产安全事故情况通报) as an XLSX sheet: the month's accidents
listed with their total, the overall figures with 同比 and 环比, and the breakdowns by sector row, street
and grade (本月 and 本年累计 with 同比). Pure: the statistics arrive computed
(``domain/accident_statistics.py``); the sheet is laid out with the annex files' model and printed by
their renderer (A4 landscape, fitted to the width).
"""

from __future__ import annotations

from decimal import Decimal

from adapters.annex_files import NUMBER_HEADER, Cell, Sheet, form_date, to_xlsx
from domain.accident_statistics import AccidentStatistics, Change, Compared, place_names
from domain.business_time import CHINA_TZ
from domain.figures import wan_yuan
from domain.glossary import AccidentBreakdown, AccidentMeasure, AccidentPeriod, Comparison
from domain.reference_data import ReferenceData

M, P, C = AccidentMeasure, AccidentPeriod, Comparison
# Captions of the bulletin's own layout (its terms are the glossary's).
TITLE = "{year}年{month}月生产安全事故情况通报"
HEADER = "编制单位：{unit}　　统计截至：{date}"
SECTION_LIST = "一、本月生产安全事故情况"
SECTION_TOTALS = "二、事故总体情况（同比、环比）"
SECTION_BREAKDOWN = {
    AccidentBreakdown.SECTOR: "三、分行业领域情况",
    AccidentBreakdown.STREET: "四、分街道情况",
    AccidentBreakdown.GRADE: "五、分事故等级情况",
}
B = AccidentBreakdown
LIST_HEADERS = (
    "发生时间", "企业（地点）", B.SECTOR.zh, B.STREET.zh, B.GRADE.zh, M.DEATHS.zh, M.INJURIES.zh, M.DIRECT_LOSS.zh, "简要情况",
)  # fmt: skip
TOTAL = "合计"
NONE_THIS_MONTH = "本月未发生生产安全事故"
ITEM = "项目"
LAST_YEAR = "去年同期"
PREVIOUS_MONTH = "上月同期"
DIFFERENCE = "{comparison}增减"
PERCENT = "{comparison}增减幅度（%）"
NOTE = "注：增减幅度以去年同期（环比以上月同期）为基数，基数为0时记为“—”；直接经济损失单位为万元。"
FILE_NAME = "事故情况通报_{unit}_{month}.xlsx"
WIDTHS = [6, 17, 26, 14, 10, 10, 9, 9, 13, 40]


def bulletin_file_name(unit_name: str, month: str) -> str:
    return FILE_NAME.format(unit=unit_name, month=month)


def bulletin_sheet(stats: AccidentStatistics, reference: ReferenceData, unit_name: str) -> Sheet:
    sheet = Sheet("事故情况通报", WIDTHS)
    month = stats.month.period.start
    sheet.line(TITLE.format(year=month.year, month=month.month), "title")
    sheet.line(HEADER.format(unit=unit_name, date=form_date(stats.as_of)), "line")
    _accident_list(sheet, stats, reference)
    _totals(sheet, stats)
    for breakdown, title in SECTION_BREAKDOWN.items():
        _breakdown(sheet, stats, breakdown, title)
    sheet.line(NOTE, "note", wrap=True)
    return sheet


def bulletin_xlsx(stats: AccidentStatistics, reference: ReferenceData, unit_name: str) -> bytes:
    return to_xlsx(bulletin_sheet(stats, reference, unit_name))


def _accident_list(sheet: Sheet, stats: AccidentStatistics, reference: ReferenceData) -> None:
    sheet.line(SECTION_LIST, "label")
    head = sheet.add([Cell(NUMBER_HEADER, "head"), *(Cell(h, "head", wrap=True) for h in LIST_HEADERS)])
    for n, a in enumerate(stats.accidents, 1):
        place = "，".join(x for x in (a.enterprise_name, a.location) if x)
        sector, street = place_names(reference, a)
        when = a.occurred_at.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")
        sheet.add([
            Cell(n, "figure"), Cell(when, "body"), Cell(place, "body", wrap=True), Cell(sector, "body", wrap=True),
            Cell(street, "body"), Cell(a.grade.zh, "body"), _figure(a.deaths), _figure(a.injuries),
            _figure(wan_yuan(a.direct_loss_yuan)),
            Cell(a.description, "body", wrap=True),
        ])  # fmt: skip
    if not stats.accidents:
        n = sheet.add([Cell(NONE_THIS_MONTH, "body")])
        sheet.merges.append((n, 1, n, sheet.width))
    totals = stats.month.totals
    n = sheet.add([Cell(TOTAL, "label"), None, None, None, None, Cell(f"{totals.count}起", "figure"),
                   *(_figure(totals.figure(m)) for m in (M.DEATHS, M.INJURIES, M.DIRECT_LOSS))])  # fmt: skip
    sheet.merges.append((n, 1, n, 5))
    sheet.boxes.append((head, n))


def _totals(sheet: Sheet, stats: AccidentStatistics) -> None:
    """Each measure spans two columns: the label takes the first two."""
    sheet.line(SECTION_TOTALS, "label")
    head = _row(sheet, Cell(ITEM, "head"), [Cell(m.zh, "head", wrap=True) for m in M])
    for label, compared in ((P.MONTH.zh, stats.month), (P.YEAR_TO_DATE.zh, stats.year_to_date)):
        _row(sheet, Cell(label, "label"), [_figure(compared.totals.figure(m)) for m in M])
        _row(sheet, Cell(f"{LAST_YEAR}", "label", indent=2), [_figure(compared.last_year.figure(m)) for m in M])
        if compared.previous_month is not None:
            _row(sheet, Cell(PREVIOUS_MONTH, "label", indent=2), [_figure(compared.previous_month.figure(m)) for m in M])
        for comparison, changes in compared.changes().items():
            _changes(sheet, comparison, changes)
    sheet.boxes.append((head, len(sheet.rows)))


def _changes(sheet: Sheet, comparison: Comparison, changes: dict[AccidentMeasure, Change]) -> None:
    _row(sheet, Cell(DIFFERENCE.format(comparison=comparison.zh), "label", indent=2), [_figure(changes[m].difference) for m in M])
    _row(sheet, Cell(PERCENT.format(comparison=comparison.zh), "label", indent=2), [_figure(changes[m].percent) for m in M])


def _row(sheet: Sheet, label: Cell, figures: list[Cell]) -> int:
    cells: list[Cell | None] = [label, None]
    for figure in figures:
        cells += [figure, None]
    n = sheet.add(cells)
    sheet.merges.extend((n, c, n, c + 1) for c in range(1, sheet.width, 2))
    return n


# The breakdown's columns: (period, measure, what) — what is the period's figure, last year's, or 同比 %.
_BREAKDOWN_COLUMNS: tuple[tuple[AccidentPeriod, AccidentMeasure, str], ...] = (
    (P.MONTH, M.COUNT, "now"), (P.MONTH, M.DEATHS, "now"),
    (P.YEAR_TO_DATE, M.COUNT, "now"), (P.YEAR_TO_DATE, M.COUNT, "last_year"), (P.YEAR_TO_DATE, M.COUNT, "percent"),
    (P.YEAR_TO_DATE, M.DEATHS, "now"), (P.YEAR_TO_DATE, M.DEATHS, "last_year"), (P.YEAR_TO_DATE, M.DEATHS, "percent"),
)  # fmt: skip


def _breakdown(sheet: Sheet, stats: AccidentStatistics, breakdown: AccidentBreakdown, title: str) -> None:
    sheet.line(title, "label")
    head = sheet.add([Cell(breakdown.zh, "head"), None, *(Cell(_caption(*c), "head", wrap=True) for c in _BREAKDOWN_COLUMNS)])
    sheet.merges.append((head, 1, head, 2))
    for row in stats.breakdowns[breakdown]:
        periods = {P.MONTH: row.month, P.YEAR_TO_DATE: row.year_to_date}
        n = sheet.add([Cell(row.label, "label", indent=2 if row.parent else 0), None,
                       *(_figure(_value(periods[p], m, what)) for p, m, what in _BREAKDOWN_COLUMNS)])  # fmt: skip
        sheet.merges.append((n, 1, n, 2))
    sheet.boxes.append((head, len(sheet.rows)))


def _caption(period: AccidentPeriod, measure: AccidentMeasure, what: str) -> str:
    if what == "now":
        return f"{period.zh}{measure.zh}"
    if what == "last_year":
        return f"{LAST_YEAR}{measure.zh}"
    return f"{measure.zh}{C.YEAR_ON_YEAR.zh}（%）"


def _value(compared: Compared, measure: AccidentMeasure, what: str) -> int | Decimal | None:
    if what == "now":
        return compared.totals.figure(measure)
    if what == "last_year":
        return compared.last_year.figure(measure)
    return compared.changes()[C.YEAR_ON_YEAR][measure].percent


def _figure(value: object) -> Cell:
    return Cell(value, "figure", figure=True)
