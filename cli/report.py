"""`hazard-ledger report ANNEX`: one annex table written to a file, as XLSX (the printed form), CSV or JSON.

    hazard-ledger report annex2 --unit yjj --as-of 2023-12-22 --format xlsx --out 附件2.xlsx

Registered on the command in ``api/cli.py``.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer
from pydantic_core import to_jsonable_python

from adapters.annex_files import export, file_name
from cli.common import DbOption, console, open_services
from domain.business_time import business_date
from domain.errors import DomainError


def report(
    annex: Annotated[str, typer.Argument(help="annex1 (调度表), annex2 (统计表) or annex3 (4个清单)")],
    unit: Annotated[str | None, typer.Option("--unit", help="reporting unit id (e.g. yjj); omit for the district")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="cut-off date YYYY-MM-DD (Beijing); default today")] = None,
    known_at: Annotated[
        str | None, typer.Option("--known-at", help="system time (ISO 8601): the figures as known then; default now")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="xlsx, csv or json")] = "xlsx",
    out: Annotated[Path | None, typer.Option("--out", help="file to write; default: the form's file name")] = None,
    show_phones: Annotated[bool, typer.Option("--show-phones", help="annex3: print phone numbers unmasked")] = False,
    db: DbOption = None,
) -> None:
    """Write an annex table (附件1/2/3) to a file: XLSX as the printed form, CSV, or the JSON of the API."""
    from app.reports import annex_table, unit_name
    from domain.access import mask_phones

    if fmt not in ("xlsx", "csv", "json"):
        console.print(f"[red]未知的格式 / unknown format:[/red] {fmt} (xlsx, csv, json)")
        raise typer.Exit(2)
    try:
        day = date.fromisoformat(as_of) if as_of else business_date(datetime.now(UTC))
        known = datetime.fromisoformat(known_at) if known_at else None
    except ValueError as exc:
        console.print(f"[red]无效的日期或时间 / invalid date or time:[/red] {exc}")
        raise typer.Exit(2) from None
    if known is not None and known.tzinfo is None:
        known = known.replace(tzinfo=UTC)
    services = open_services(db)
    try:
        services.catch_up()
        table = annex_table(services, annex, unit, day, known)
        name = unit_name(services, unit)
    except DomainError as exc:
        console.print(f"[red]{exc.message_zh} / {exc.message_en}[/red]")
        raise typer.Exit(1) from None
    finally:
        services.close()
    if annex == "annex3" and not show_phones:
        mask_phones(table["rows"])
    if fmt == "json":
        body = json.dumps(to_jsonable_python(table), ensure_ascii=False, indent=2).encode("utf-8")
    else:
        body = export(annex, table, fmt, unit_name=name, filled_on=day)
    target = out or Path(file_name(annex, name, day, fmt))
    target.write_bytes(body)
    console.print(f"{target} ({len(body)} bytes)")
