"""`hazard-ledger accountability …`: the accountability trail on the command line (谁检查、谁签名、谁负责).

    hazard-ledger accountability hazard HAZARD_ID         # every person who acted on it, in order
    hazard-ledger accountability anomalies [--kind K] [--unit U] [--as-of D] [--known-at T]

Registered on the command in ``api/cli.py``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

import typer
from rich.markup import escape
from rich.table import Table

from cli.common import DbOption, console, read_caught_up
from domain.business_time import CHINA_TZ

accountability_app = typer.Typer(help="Accountability trail: chains, people, anomaly lists (责任倒查)", no_args_is_help=True)


def _beijing(iso: str | None) -> str:
    return datetime.fromisoformat(iso).astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M") if iso else ""


def _who(p: dict[str, Any]) -> str:
    org = p.get("organisation_name") or p.get("organisation_id") or ""
    role = p.get("role_zh") or p.get("role") or ""
    return escape(f"{p['name']}（{'，'.join(x for x in (role, org) if x)}）" + (f" · {p['user_id']}" if p.get("user_id") else ""))


def _query(db: str | None, read: Any) -> Any:

    return read_caught_up(db, lambda services: read(services.accountability_queries))


@accountability_app.command("hazard")
def hazard(hazard_id: Annotated[str, typer.Argument(help="the hazard's id")], db: DbOption = None) -> None:
    """The hazard's chain: who inspected and signed, reported, filed, claimed, verified, listed, closed, decided."""

    try:
        UUID(hazard_id)
    except ValueError:
        console.print(f"[red]无效的编号 / not a hazard id:[/red] {hazard_id}")
        raise typer.Exit(2) from None
    chain = _query(db, lambda q: q.hazard_chain(hazard_id))
    h = chain["hazard"]
    console.print(f"[bold]{h['description']}[/bold]  {h['id']}  ({h['state']}, {h['criterion'] or '—'})")
    table = Table(title="谁检查、谁签名、谁负责 accountability chain")
    for column in (
        "发生时间 occurred",
        "记录时间 recorded",
        "行为 act",
        "人员 who",
        "记录 record",
        "所见版本 saw v.",
        "签名 signature",
    ):
        table.add_column(column)
    for a in chain["chain"]:
        signature = a["signature"]
        table.add_row(
            _beijing(a["occurred_at"]), _beijing(a["recorded_at"]), f"{a['act_zh']} {a['event_type']}", _who(a["person"]),
            f"{a['record']['kind']} v{a['record']['version']}", str(a["version_seen"]),
            signature["status_zh"] if signature else "",
        )  # fmt: skip
    console.print(table)


@accountability_app.command("anomalies")
def anomalies(
    kind: Annotated[str | None, typer.Option("--kind", help="one list (default: all)")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="a unit id: its hazards or its people")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="business date YYYY-MM-DD; default today")] = None,
    known_at: Annotated[
        str | None, typer.Option("--known-at", help="recording time (ISO; without a zone: Beijing): only acts recorded by then")
    ] = None,
    db: DbOption = None,
) -> None:
    """The lists: inspected but missed, verified but recurred, penalised but not rectified, overdue, revoked keys,
    penalty decisions against rules 1 and 2."""

    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        console.print(f"[red]无效的日期 / not a date:[/red] {as_of}")
        raise typer.Exit(2) from None
    try:
        known = datetime.fromisoformat(known_at) if known_at else None
    except ValueError:
        console.print(f"[red]无效的时间 / not a time:[/red] {known_at}")
        raise typer.Exit(2) from None
    answer = _query(db, lambda q: q.anomalies(kind, unit, day, known))
    for code, found in answer["lists"].items():
        table = Table(title=f"{found['label_zh']} {code}: {found['count']}")
        for column in ("记录 record", "人员 persons", "证据 evidence"):
            table.add_column(column)
        for entry in found["entries"]:
            hazard = entry.get("hazard") or {"id": entry.get("case_id"), "description": entry.get("message_zh")}
            evidence = "; ".join(f"{e['event_type']} {e['record']['kind']} v{e['record']['version']}" for e in entry["evidence"])
            table.add_row(
                f"{hazard.get('id', '')}\n{(hazard.get('description') or '')[:30]}",
                "\n".join(_who(p) for p in entry["persons"]),
                evidence,
            )
        console.print(table)
