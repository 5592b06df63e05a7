"""The `hazard-ledger` command: serve the API, load the demo district, run the projection worker,
list and show hazards."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Annotated, Any
from uuid import UUID

import typer
from rich.table import Table

from app.wiring import Services
from app.workers import InProcessWorkers, Worker, lead, worker_health
from cli.accountability import accountability_app  # accountability trail
from cli.audit import audit_app
from cli.backup import backup, restore  # the database to a file and back, verified
from cli.common import (
    DbOption,
    FaultsAsOneLine,
    advance,
    console,
    open_services,
    progress_bar,
    read_caught_up,
    refused,
    settings_for,
)  # fmt: skip
from cli.db import db_app  # migrations
from cli.documents import documents_app  # official documents (文书)
from cli.ledger_import import import_command  # existing Excel ledgers (隐患台账)
from cli.registers import add_register_verbs  # the registers' lists
from cli.report import report as _report_command  # annex tables to files
from cli.users import api_keys_app, users_app  # log-in: accounts, API keys
from domain.business_time import CHINA_TZ
from domain.errors import DomainError
from domain.glossary import Grade, HazardState, Role
from domain.ledger import Ledger
from projections.engine import ProjectionStalled, catch_up_together, rebuild_together, stalled
from projections.hazard_queries import HazardFilter

app = typer.Typer(help="事故隐患台账 hazard ledger", no_args_is_help=True, add_completion=False, cls=FaultsAsOneLine)
hazards_app = typer.Typer(help="List and show hazards", no_args_is_help=True)
app.add_typer(hazards_app, name="hazards")
app.add_typer(accountability_app, name="accountability")  # 责任倒查 (api/accountability_cli.py)
app.add_typer(audit_app, name="audit")  # Merkle log: checkpoints, export, offline verifier (api/audit_cli.py)
app.add_typer(db_app, name="db")  # migrations (adapters/migrations/)
app.add_typer(documents_app, name="documents")  # official documents (文书): issue, list, show, pdf
app.add_typer(users_app, name="users")  # built-in accounts (log-in)
app.add_typer(api_keys_app, name="api-keys")  # machine clients' keys
add_register_verbs(app)  # cases|inspections|accidents|risk-points|problems|enterprises list
app.command("import")(import_command)  # a unit's existing Excel hazard ledger (隐患台账)


def _load_demo(services: Services, seed: int, base_url: str = "http://127.0.0.1:8000") -> None:
    """Loads the demo district and its log-in accounts into an empty ledger (a ledger with events is left as it
    is), then prints how to log in. In production (HAZARD_ENV) the demo's accounts are refused: exit 1."""
    from demo.accounts import DemoAccountsRefused, refuse_in_production
    from demo.loader import load_demo

    try:
        refuse_in_production(services.settings.environment)
    except DemoAccountsRefused as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    if services.ledger.recorder.max_notification_id():
        console.print("演示数据已存在，跳过加载 / the ledger already holds events; demo not loaded again")
        _print_demo_accounts(services, None, base_url)
        return
    with progress_bar() as bar:
        task = bar.add_task("加载演示区县 loading demo district", total=None)
        summary = load_demo(
            services.pipeline,
            seed=seed,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
            auth=services.auth,
        )
    console.print(
        f"演示数据 demo: {summary.enterprises} 家企业 enterprises, {summary.inspections} 次检查 inspections, "
        f"{summary.hazards} 条隐患 hazards, {summary.events} 个事件 events"
    )
    services.catch_up()
    _print_demo_accounts(services, summary.accounts, base_url)


def _print_demo_accounts(services: Services, accounts: Any, base_url: str) -> None:
    """The demo's accounts (those in the store) with their published passwords, and how to log in."""
    from demo.accounts import demo_account_rows

    passwords = {row["user_id"]: row["password"] for row in demo_account_rows()}
    if accounts is None:  # a ledger loaded before: the demo accounts it holds
        stored = [services.auth.store.user(user_id) for user_id in passwords]
        accounts = [a for a in stored if a is not None]
    if not accounts:
        return
    table = Table(title="演示账户 demo accounts (development only 仅用于开发)")
    for column in ("user id 用户名", "role 角色", "organisation 单位", "password 密码"):
        table.add_column(column, overflow="fold")  # a password is never cut short
    for a in accounts:
        table.add_row(a.user_id, a.role.zh, a.organisation_name or a.organisation_id, passwords.get(a.user_id, ""))
    console.print(table)
    first = accounts[0]
    console.print(
        "登录取令牌 log in for a token:\n"
        f"  curl -s -X POST {base_url}/api/v1/auth/token -d username={first.user_id} "
        f"-d password={passwords.get(first.user_id, 'PASSWORD')}\n"
        "  then send Authorization: Bearer <access_token>; "
        f"or in Swagger ({base_url}/docs) press Authorize and log in with a user id and password above.",
        soft_wrap=True,
    )


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    demo: Annotated[bool, typer.Option("--demo/--no-demo", help="load the demo district first if the ledger is empty")] = False,
) -> None:
    """Run the HTTP API (and the projection and checkpoint workers in-process) at http://HOST:PORT."""
    import uvicorn

    services = open_services(db, create=True)
    try:
        if demo:
            _load_demo(services, seed=2023, base_url=f"http://{host}:{port}")
        backend = "PostgreSQL" if services.settings.is_postgres else "SQLite"
    finally:
        services.close()
    # The API process builds its own services from the same settings (the app factory), with its workers.
    os.environ["HAZARD_DB_URL"] = services.settings.db_url
    os.environ["HAZARD_IN_PROCESS_WORKERS"] = "1"
    console.print(f"事故隐患台账 API: http://{host}:{port}/docs  ({backend})")
    uvicorn.run("api.app:app_from_env", factory=True, host=host, port=port, log_level="info")


@app.command()
def demo(
    db: DbOption = None,
    seed: Annotated[int, typer.Option(help="random seed: the same seed gives the same district")] = 2023,
) -> None:
    """Load the demo district (enterprises, inspections, hazards in every state) into an empty ledger."""
    services = open_services(db, create=True)
    try:
        _load_demo(services, seed)
    finally:
        services.close()


@app.command()
def project(
    db: DbOption = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="rebuild blue/green from all events, then switch")] = False,
    once: Annotated[bool, typer.Option("--once", help="catch up and exit instead of following live")] = False,
    only: Annotated[str | None, typer.Option("--only", help="one projection by name")] = None,
) -> None:
    """The projection worker: catch up (or rebuild) the read models, then follow new events; one worker
    active at a time, the others standing by to take over (--once runs at once and exits)."""
    services = open_services(db)
    by_name = {runner.name: runner for runner in services.read_models}
    if only is not None and only not in by_name:
        console.print(f"[red]未知的投影 / unknown projection:[/red] {only} (known: {', '.join(by_name)})")
        services.close()
        raise typer.Exit(2)
    runners = [by_name[only]] if only else list(by_name.values())

    def catch_up() -> None:
        names = ", ".join(runner.name for runner in runners)
        with progress_bar() as bar:
            task = bar.add_task(f"{'重建 rebuild' if rebuild else '追赶 catch-up'} {names}", total=None)
            # one pass over the log feeds every read model named
            applied = (rebuild_together if rebuild else catch_up_together)(runners, partial(advance, bar, task))
        console.print(f"{applied} events read in one pass")
        for runner in runners:
            console.print(f"{runner.name}: position {runner.position()}, version {runner.active_version()}")
        if stalls := {name: s for name, s in stalled(services.engine).items() if name in {r.name for r in runners}}:
            raise ProjectionStalled(stalls)  # one line (cli/common.py); a following worker retries it later
        if not once:
            console.print("following new events (Ctrl-C to stop)")

    try:
        if once:
            catch_up()
        else:
            # Supervised like serve's: restarted with backoff after any error (a database outage).
            workers = InProcessWorkers(services, runners=runners, checkpoints=False)
            _lead(services, Worker.PROJECTOR, workers, catch_up)
    finally:
        services.close()


@app.command("checkpoint-worker")
def checkpoint_worker(db: DbOption = None) -> None:
    """The checkpoint worker: signs a checkpoint of the Merkle log every HAZARD_CHECKPOINT_EVERY_MINUTES when
    the log grew, recorded and written to HAZARD_CHECKPOINT_DIR; one active at a time, the others standing by."""
    services = open_services(db)
    try:
        services.audit.signer  # noqa: B018 — a missing key (production never makes one) refuses now, not at the first checkpoint
        if services.settings.checkpoint_every_minutes <= 0:
            console.print("[red]HAZARD_CHECKPOINT_EVERY_MINUTES is 0: the checkpoint worker has nothing to do[/red]")
            raise typer.Exit(2)
        workers = InProcessWorkers(services, projections=False, checkpoints=True)
        every = services.settings.checkpoint_every_minutes
        _lead(services, Worker.CHECKPOINTS, workers, lambda: console.print(f"active: a checkpoint every {every} min"))
    finally:
        services.close()


def _lead(services: Services, worker: Worker, workers: InProcessWorkers, on_active: Callable[[], None]) -> None:
    """A worker verb's process: active or standing by (app.workers.lead) until Ctrl-C or SIGTERM."""
    standing_by = f"另一个 {worker} 进程在运行，待命中 / another {worker} process is active: standing by"
    signal.signal(signal.SIGTERM, lambda *_: workers.stop.set())  # docker stop: finish the batch, release the lock
    try:
        lead(services, worker, workers, lambda: console.print(standing_by), on_active)
    except KeyboardInterrupt:
        workers.stop.set()


@app.command()
def health(
    worker: Annotated[Worker, typer.Option("--worker", help="the worker process of this host (container) to check")],
) -> None:
    """A worker process's health from its heartbeat (HAZARD_HEARTBEAT_DIR): exit 0 when it is alive (active,
    its workers running, or standing by), else one line and exit 1. For a container's health check."""
    problem = worker_health(settings_for(None).heartbeat_dir / f"{worker}.json")
    if problem is not None:
        console.print(f"[red]{worker}: {problem}[/red]")
        raise typer.Exit(1)
    console.print(f"{worker}: ok")


@hazards_app.command("list")
def hazards_list(
    db: DbOption = None,
    state: Annotated[HazardState | None, typer.Option(help="state")] = None,
    sector: Annotated[str | None, typer.Option(help="sector row id")] = None,
    unit: Annotated[str | None, typer.Option(help="department or street/zone id")] = None,
    grade: Annotated[Grade | None, typer.Option(help="major or general")] = None,
    overdue: Annotated[bool | None, typer.Option("--overdue/--not-overdue", help="only (not) overdue")] = None,
    limit: Annotated[int, typer.Option(help="rows to show")] = 50,
) -> None:
    """List hazards (newest first)."""
    # an unknown unit or sector: said so (exit 1), not an empty table
    hazard_filter = HazardFilter(state=state, sector=sector, unit=unit, grade=grade, overdue=overdue, limit=limit)
    page = read_caught_up(db, lambda services: services.queries.list(hazard_filter))
    table = Table(title=f"事故隐患 hazards: {len(page['items'])} / {page['total']}")
    for column in ("ID", "上报时间", "企业", "行业领域", "等级", "状态", "挂牌", "逾期", "描述"):
        table.add_column(column)
    for h in page["items"]:
        table.add_row(
            h["id"],
            h["reported_at"][:10],
            h["enterprise_name"] or "",
            h["sector_name"],
            h["grade_zh"],
            h["state_zh"],
            "是" if h["listed"] else "",
            "是" if h["overdue"] else "",
            h["description"][:30],
        )
    console.print(table)


@hazards_app.command("show")
def hazards_show(hazard_id: str, db: DbOption = None) -> None:
    """Show a hazard: its state and its whole history — who did what, and when."""
    hazard, history = _load_record(db, hazard_id, "hazard", lambda ledger, rid: ledger.hazards.hazard(rid))
    console.print(f"[bold]{hazard['description']}[/bold]")
    console.print(
        f"状态 state: {hazard['state_zh']} ({hazard['state']})   等级: {hazard['grade_zh']}   来源: {hazard['source_zh']}\n"
        f"行业领域: {hazard['sector_name']}   属地: {hazard['jurisdiction_name']}   责任部门: {hazard['department_name']}\n"
        f"判定标准: {hazard['criterion'] or '—'}   整改期限: {hazard['deadline'] or '—'}   "
        f"挂牌督办: {'是' if hazard['listed'] else '否'}   逾期: {'是' if hazard['overdue'] else '否'}   "
        f"版本: {hazard['version']}"
    )
    _print_history(history)


# Other records: the plain view as key/value lines, then the history. name → (label, the query)
RECORDS: dict[str, tuple[str, Callable[[Ledger, UUID], dict[str, Any]]]] = {
    "case": ("执法案件 enforcement case", lambda ledger, rid: ledger.enforcement.case(rid)),
    "accident": ("生产安全事故 accident", lambda ledger, rid: ledger.accidents.accident(rid)),
    "risk-point": ("重大安全风险 risk point", lambda ledger, rid: ledger.risks.risk_point(rid)),
    "problem": ("突出问题 outstanding problem", lambda ledger, rid: ledger.risks.problem(rid)),
    "inspection": ("检查记录 inspection", lambda ledger, rid: ledger.inspections.inspection(rid)),
    "enterprise": ("生产经营单位 enterprise", lambda ledger, rid: ledger.enterprises.enterprise(rid)),
    "batch": ("公布批次 publication batch", lambda ledger, rid: ledger.enforcement.batch(rid)),
}


@app.command()
def show(
    kind: Annotated[str, typer.Argument(help=f"one of: {', '.join(RECORDS)}")],
    record_id: Annotated[str, typer.Argument(help="the record's id")],
    db: DbOption = None,
) -> None:
    """Show any record (case, accident, risk point, problem, inspection, enterprise, batch) and its history."""
    if kind not in RECORDS:
        console.print(f"[red]未知的记录类型 / unknown kind:[/red] {kind} (one of: {', '.join(RECORDS)})")
        raise typer.Exit(2)
    label, query = RECORDS[kind]
    view, history = _load_record(db, record_id, kind, query)
    console.print(f"[bold]{label}[/bold] {record_id}")
    for key, value in view.items():
        if value not in (None, "", [], {}):
            console.print(f"  {key}: {value}")
    _print_history(history)


@app.command("work-log")
def work_log(unit_id: Annotated[str, typer.Argument(help="reporting unit id, e.g. yjj")], db: DbOption = None) -> None:
    """Show a reporting unit's recorded activities (Annex 1 / Annex 2 work items)."""
    services = open_services(db)
    try:
        log = services.ledger.work_logs.work_log(unit_id)
    except DomainError as exc:
        raise refused(exc) from None
    finally:
        services.close()
    table = Table(title=f"{unit_id} 工作记录 work log")
    for column in ("发生时间", "事项 kind", "数量", "金额（元）", "企业", "备注"):
        table.add_column(column)
    for a in log["activities"]:
        amount = a.get("amount_yuan")
        table.add_row(
            _beijing(a["occurred_at"]), a.get("kind_zh", a["kind"]), str(a.get("count") or a.get("value") or ""),
            "" if amount is None else str(amount), a.get("enterprise_id") or "", a.get("note") or "",
        )  # fmt: skip
    console.print(table)


def _load_record(db: str | None, raw_id: str, kind: str, load: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The record's view and history, or a clear message and a non-zero exit."""
    try:
        record_id = UUID(raw_id)
    except ValueError:
        console.print(f"[red]无效的编号 / not a {kind} id:[/red] {raw_id}")
        raise typer.Exit(2) from None
    services = open_services(db)
    try:
        return load(services.ledger, record_id), services.ledger.history(record_id)
    except DomainError as exc:
        raise refused(exc) from None
    finally:
        services.close()


def _print_history(history: list[dict[str, Any]]) -> None:
    table = Table(title="历史 history")
    for column in ("#", "发生时间 occurred", "记录时间 recorded", "事件 event", "人员 who", "内容 details"):
        table.add_column(column)
    for e in history:
        actor = e["actor"]
        who = f"{actor['name']}（{Role(actor['role']).zh}，{actor['organisation_name'] or actor['organisation_id']}）"
        details = "; ".join(f"{k}={v}" for k, v in e["data"].items() if v not in (None, "", [], False))
        table.add_row(
            str(e["version"]), _beijing(e["occurred_at"]), _beijing(e["recorded_at"]), f"{e['label_zh']} {e['type']}", who,
            details[:120],
        )  # fmt: skip
    console.print(table)


def _beijing(iso: str) -> str:
    """A stored time as the district's clerks read it (Beijing time)."""
    return datetime.fromisoformat(iso).astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")


app.command()(backup)
app.command()(restore)

# `hazard-ledger report annex2 --unit U --as-of D --format xlsx|csv|json --out F` (api/report_cli.py)
app.command("report")(_report_command)


def main() -> None:
    app()
