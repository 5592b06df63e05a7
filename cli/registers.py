"""`hazard-ledger cases|inspections|accidents|risk-points|problems|enterprises list`: the registers' lists,
with the filters, sorting and paging of their API lists (``projections.registers``), as a table."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import typer
from rich.table import Table

from cli.common import DbOption, console, read_caught_up
from domain.glossary import Register
from projections.registers import RegisterFilter

DAY = "%Y-%m-%d"
# The table's columns of each register: (heading, key of the list's item).
_PLACE = (("行业领域", "sector_name"), ("属地", "jurisdiction_name"))
COLUMNS: dict[Register, tuple[tuple[str, str], ...]] = {
    Register.CASES: (("立案时间", "occurred_at"), ("案号", "case_number"), ("企业", "enterprise_name"), ("部门", "unit"),
                     *_PLACE, ("状态", "state_zh")),
    Register.INSPECTIONS: (("检查时间", "occurred_at"), ("企业", "enterprise_name"), ("检查单位", "organisation_id"),
                           ("类型", "kind"), ("签名", "signatures"), *_PLACE),
    Register.ACCIDENTS: (("发生时间", "occurred_at"), ("企业", "enterprise_name"), ("等级", "grade"),
                         ("死亡", "deaths"), *_PLACE, ("描述", "description")),
    Register.RISK_POINTS: (("登记时间", "occurred_at"), ("名称", "name"), ("企业", "enterprise_name"), *_PLACE,
                           ("已管控", "controlled")),
    Register.PROBLEMS: (("梳理时间", "occurred_at"), ("单位", "unit"), *_PLACE, ("状态", "state_zh"),
                        ("描述", "description")),
    Register.ENTERPRISES: (("名称", "name"), ("统一社会信用代码", "credit_code"), *_PLACE, ("主要负责人", "principal_name")),
}  # fmt: skip


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else ""
    if isinstance(value, str) and len(value) > 19 and value[4:5] == "-" and value[10:11] == "T":
        return value[:10]  # a stored time: its date is what a register shows
    return str(value)[:30]


def _list_command(register: Register) -> Any:
    def list_register(
        db: DbOption = None,
        unit: Annotated[str | None, typer.Option(help="department or street/zone id")] = None,
        sector: Annotated[str | None, typer.Option(help="sector row id")] = None,
        jurisdiction: Annotated[str | None, typer.Option(help="street or zone id (属地)")] = None,
        state: Annotated[str | None, typer.Option(help="state (cases: open|closed; problems: identified|rectified)")] = None,
        date_from: Annotated[datetime | None, typer.Option("--from", formats=[DAY], help="on or after (business date)")] = None,
        date_to: Annotated[datetime | None, typer.Option("--to", formats=[DAY], help="on or before (business date)")] = None,
        enterprise_id: Annotated[str | None, typer.Option("--enterprise", help="enterprise id")] = None,
        credit_code: Annotated[str | None, typer.Option(help="unified social credit code")] = None,
        sort: Annotated[str | None, typer.Option(help="sort key, '-' descending (e.g. -occurred_at)")] = None,
        limit: Annotated[int, typer.Option(help="rows to show")] = 50,
        offset: Annotated[int, typer.Option(help="rows to skip")] = 0,
    ) -> None:
        found = RegisterFilter(
            unit=unit, sector=sector, jurisdiction=jurisdiction, state=state,
            date_from=date_from.date() if date_from else None, date_to=date_to.date() if date_to else None,
            enterprise_id=enterprise_id, credit_code=credit_code, sort=sort, limit=limit, offset=offset,
        )  # fmt: skip
        page = read_caught_up(db, lambda services: services.registers.list(register, found))
        table = Table(title=f"{register.zh} {register.value}: {len(page['items'])} / {page['total']}")
        table.add_column("ID")
        for heading, _ in COLUMNS[register]:
            table.add_column(heading)
        for item in page["items"]:
            table.add_row(item["id"], *(_cell(item.get(key)) for _, key in COLUMNS[register]))
        console.print(table)

    list_register.__doc__ = f"List the {register.value.replace('_', ' ')} ({register.zh}), filtered, sorted and paged."
    return list_register


def add_register_verbs(app: typer.Typer) -> None:
    """One sub-command per register, each with its ``list`` verb."""
    for register in Register:
        verbs = typer.Typer(help=f"{register.zh} {register.value.replace('_', ' ')}", no_args_is_help=True)
        verbs.command("list")(_list_command(register))
        app.add_typer(verbs, name=register.value.replace("_", "-"))
