"""`hazard-ledger import`: bring a unit's existing Excel hazard ledger (隐患台账) into the ledger.

    hazard-ledger import 台账.xlsx --user yjj-zhang --name 张伟 --role inspector --org yjj \\
        [--unit yjj] [--mapping yjj-columns.toml] [--dry-run]

All or nothing (``app/ledger_import.py``): any row refused, every refused row is printed with its sheet and
row number and nothing is stored (exit 1); imported again, nothing is added.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.ledger_import import import_ledger
from cli.common import DbOption, console, open_services, refused
from domain.actor import Actor
from domain.errors import DomainError
from domain.glossary import Role


def import_command(
    ledger: Annotated[Path, typer.Argument(help="the unit's ledger, an Excel workbook (.xlsx)", exists=True, dir_okay=False)],
    user: Annotated[str, typer.Option("--user", help="the importing clerk's user id")],
    name: Annotated[str, typer.Option("--name", help="the importing clerk's name")],
    role: Annotated[Role, typer.Option("--role", help="inspector, street_officer or committee_office")],
    org: Annotated[str, typer.Option("--org", help="the clerk's unit id (yjj, wulong, ajb …)")],
    unit: Annotated[str | None, typer.Option("--unit", help="the unit whose ledger it is; default: --org")] = None,
    mapping: Annotated[
        Path | None, typer.Option("--mapping", help="the unit's column mapping (TOML)", exists=True, dir_okay=False)
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="check every row, store nothing")] = False,
    db: DbOption = None,
) -> None:
    """导入隐患台账: each row a hazard with its acts at the ledger's dates, the clerk as actor."""
    # a missing file is the command line's usage error (exit 2); one unreadable is cli/common.fault_line's
    content = ledger.read_bytes()
    mapping_text = mapping.read_text("utf-8") if mapping is not None else None
    services = open_services(db)
    try:
        clerk_unit = services.ledger.reference.unit(org)
        actor = Actor(user, name, role, clerk_unit.id, clerk_unit.kind, clerk_unit.name)
        report = import_ledger(
            services.pipeline, content, file_name=ledger.name, actor=actor, unit=unit or org, mapping_text=mapping_text,
            dry_run=dry_run,
        )  # fmt: skip
    except DomainError as exc:
        for error in exc.details.get("errors", []) if exc.code == "ledger_rows_refused" else []:
            console.print(f"{error['message_zh']} / {error['message_en']}", highlight=False)
        raise refused(exc) from None
    finally:
        services.close()
    done = "试导入（未写入）/ dry run, nothing stored" if report.dry_run else (
        "该文件已导入，未新增 / already imported, nothing added" if report.already_imported else "已导入 / imported")
    c = report.counts
    console.print(
        f"{done}: {ledger.name} sha256 {report.sha256}\n"
        f"  {c.rows} 行隐患 rows · 新增 {c.hazards_new} new · 补充 {c.hazards_advanced} advanced · "
        f"已在 {c.rows_present} present · 跳过 {c.skipped} skipped (blank/合计/小计) · {c.acts} 项操作 acts"
        + ("" if report.dry_run or report.already_imported else f"\n  导入记录 import record {report.import_id}"),
        highlight=False,
    )
