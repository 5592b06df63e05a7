"""`hazard-ledger report ANNEX`: one annex table written to a file, as XLSX (the printed form), CSV or JSON;
`hazard-ledger report calendar`: who is late (报送日历: the reports due by a day, late or not sent);
`hazard-ledger report accidents` and `report bulletin`: accident statistics and the monthly bulletin (cli/accidents.py).

    hazard-ledger report annex2 --unit yjj --as-of 2023-12-22 --format xlsx --out 附件2.xlsx
    hazard-ledger report calendar --unit yjj --as-of 2023-06-30

Registered on the command in ``api/cli.py``.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic_core import to_jsonable_python

from adapters.annex_files import export, file_name
from app.wiring import Services
from cli.accidents import accidents, bulletin
from cli.common import DbOption, console, open_services, read_caught_up, refused
from domain.business_time import business_date
from domain.errors import DomainError
from domain.glossary import ReportStatus
from domain.reporting_calendar import default_cut_off, report_warnings


def report(
    annex: Annotated[
        str,
        typer.Argument(
            help="annex1 (调度表), annex2 (统计表), annex3 (4个清单), calendar (报送日历: who is late), "
            "accidents (事故统计) or bulletin (本月事故情况通报, XLSX)"
        ),
    ],
    unit: Annotated[str | None, typer.Option("--unit", help="reporting unit id (e.g. yjj); omit for the district")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="cut-off date YYYY-MM-DD (Beijing); default today (a table: its latest cut-off)")
    ] = None,
    known_at: Annotated[
        str | None, typer.Option("--known-at", help="system time (ISO 8601): the figures as known then; default now")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="xlsx, csv or json")] = "xlsx",
    out: Annotated[Path | None, typer.Option("--out", help="file to write; default: the form's file name")] = None,
    show_phones: Annotated[bool, typer.Option("--show-phones", help="annex3: print phone numbers unmasked")] = False,
    month: Annotated[str | None, typer.Option("--month", help="bulletin: the month YYYY-MM")] = None,
    db: DbOption = None,
) -> None:
    """Write an annex table (附件1/2/3) to a file: XLSX as the printed form, CSV, or the JSON of the API;
    or print the reporting calendar's late reports (``calendar``)."""
    from app.reports import annex_table, submission_filler, unit_name
    from domain.access import mask_phones

    if annex == "calendar":
        calendar(unit, as_of, known_at, db)
        return
    if annex == "accidents":
        accidents(unit, _day(as_of), _known(known_at), db)
        return
    if annex == "bulletin":
        bulletin(unit, month, out, db)
        return
    if fmt not in ("xlsx", "csv", "json"):
        console.print(f"[red]未知的格式 / unknown format:[/red] {fmt} (xlsx, csv, json)")
        raise typer.Exit(2)
    day = _day(as_of) or default_cut_off(business_date(datetime.now(UTC)))
    known = _known(known_at)
    def read(services: Services) -> tuple[dict[str, Any], str, Any]:
        for w in report_warnings(services.ledger.reference, day):
            console.print(f"[yellow]{w.message_zh} / {w.message_en}[/yellow]")
        return annex_table(services, annex, unit, day, known), unit_name(services, unit), submission_filler(
            services, annex, unit, day, known
        )

    table, name, filler = read_caught_up(db, read)
    if annex == "annex3" and not show_phones:
        mask_phones(table["rows"])
    if fmt == "json":
        body = json.dumps(to_jsonable_python(table), ensure_ascii=False, indent=2).encode("utf-8")
    else:
        body = export(annex, table, fmt, unit_name=name, filled_on=day, filler=filler)
    target = out or Path(file_name(annex, name, day, fmt))
    target.write_bytes(body)
    console.print(f"{target} ({len(body)} bytes)")


def _day(as_of: str | None) -> date | None:
    try:
        return date.fromisoformat(as_of) if as_of else None
    except ValueError as exc:
        console.print(f"[red]无效的日期或时间 / invalid date or time:[/red] {exc}")
        raise typer.Exit(2) from None


def _known(known_at: str | None) -> datetime | None:
    try:
        known = datetime.fromisoformat(known_at) if known_at else None
    except ValueError as exc:
        console.print(f"[red]无效的日期或时间 / invalid date or time:[/red] {exc}")
        raise typer.Exit(2) from None
    return known.replace(tzinfo=UTC) if known is not None and known.tzinfo is None else known


def calendar(unit: str | None, as_of: str | None, known_at: str | None, db: str | None) -> None:
    """报送日历: every report due by ``as_of`` (default today) that was submitted late or not at all, by due
    date, then each unit's count of reports due, on time, late and missing."""
    from rich.table import Table

    from app.reports import calendar_view

    day = _day(as_of) or business_date(datetime.now(UTC))
    known = _known(known_at)
    services = open_services(db)
    try:
        view = calendar_view(services, day, known, unit)
    except DomainError as exc:
        raise refused(exc) from None
    finally:
        services.close()
    for w in view["warnings"]:
        console.print(f"[yellow]{w['message_zh']} / {w['message_en']}[/yellow]")
    late = Table(title=f"报送日历 逾期和未报送 late or missing reports, as of {view['as_of']}")
    for column in ("应报日期 due", "单位 unit", "报表 report", "期次 period", "状态 status", "报送日期 submitted"):
        late.add_column(column)
    for r in view["late"]:
        late.add_row(r["due_on"], f"{r['unit_name']} {r['unit']}", r["title"], r["period"], f"{r['status_zh']} {r['status']}",
                     r["submitted_on"] or "—")  # fmt: skip
    console.print(late)
    summary = Table(title="各单位报送情况 per unit")
    for column in ("单位 unit", "应报 due", *(f"{s.zh} {s.value}" for s in ReportStatus)):
        summary.add_column(column)
    for u in view["units"]:
        counts = [sum(1 for r in u["reports"] if r["status"] == s.value) for s in ReportStatus]
        summary.add_row(f"{u['unit_name']} {u['unit']}", str(len(u["reports"])), *map(str, counts))
    console.print(summary)
    for f in view["paper"]:
        console.print(f"书面报送（不在台账中核对）paper report, not checked here: {f['due_on']} {f['title']}")
    console.print(f"{len(view['late'])} 份逾期或未报送 / late or missing")
