"""`hazard-ledger report accidents`: accident statistics (事故统计) as a table; `hazard-ledger report bulletin`:
the 区安委办's monthly accident bulletin (本月生产安全事故情况通报) written to an XLSX file.

    hazard-ledger report accidents --as-of 2023-06-30 [--unit wulong] [--known-at T]
    hazard-ledger report bulletin --month 2023-06 [--unit wulong] --out 通报.xlsx

The operator reads as the system (the whole district); the figures are the API's (app/accident_reports.py).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import typer
from rich.table import Table

from cli.common import console, read_caught_up
from domain.accident_statistics import Compared
from domain.actor import SYSTEM_ACTOR
from domain.figures import show
from domain.glossary import AccidentMeasure, AccidentPeriod, Comparison


def accidents(unit: str | None, as_of: date | None, known_at: datetime | None, db: str | None) -> None:
    from app.accident_reports import read_accidents

    read = read_caught_up(db, lambda s: read_accidents(s, SYSTEM_ACTOR, unit, as_of, known_at))
    stats = read.statistics
    table = Table(title=f"事故统计 accident statistics — {read.unit_name}, as of {stats.as_of.isoformat()}")
    table.add_column("")
    for m in AccidentMeasure:
        table.add_column(f"{m.zh} {m.value}", justify="right")
    for period, compared in ((AccidentPeriod.MONTH, stats.month), (AccidentPeriod.YEAR_TO_DATE, stats.year_to_date)):
        _rows(table, period.zh, compared)
    console.print(table)
    months = Table(title="逐月 by month")
    count_yoy = f"{AccidentMeasure.COUNT.zh}{Comparison.YEAR_ON_YEAR.zh}%"
    for column in ("月份 month", *(m.zh for m in AccidentMeasure), count_yoy):
        months.add_column(column, justify="right")
    for m in stats.months:
        yoy = m.changes()[Comparison.YEAR_ON_YEAR][AccidentMeasure.COUNT].percent
        months.add_row(m.period.start.strftime("%Y-%m"), *(show(m.totals.figure(x)) for x in AccidentMeasure), show(yoy))
    console.print(months)


def _rows(table: Table, label: str, compared: Compared) -> None:
    table.add_row(label, *(show(compared.totals.figure(m)) for m in AccidentMeasure))
    table.add_row("  去年同期 last year", *(show(compared.last_year.figure(m)) for m in AccidentMeasure))
    for comparison, changes in compared.changes().items():
        table.add_row(f"  {comparison.zh}增减 {comparison.value}", *(show(changes[m].difference) for m in AccidentMeasure))
        table.add_row(f"  {comparison.zh}增减幅度 %", *(show(changes[m].percent) for m in AccidentMeasure))


def bulletin(unit: str | None, month: str | None, out: Path | None, db: str | None) -> None:
    from adapters.accident_bulletin import bulletin_file_name
    from app.accident_reports import bulletin_file
    from app.reports import unit_name

    if not month:
        console.print("[red]请用 --month 指定月份 / give the month with --month YYYY-MM[/red]")
        raise typer.Exit(2)
    printed, name = read_caught_up(db, lambda s: (bulletin_file(s, SYSTEM_ACTOR, month, unit), unit_name(s, unit)))
    target = out or Path(bulletin_file_name(name, month))
    target.write_bytes(printed.body)
    console.print(f"{target} ({len(printed.body)} bytes)")
