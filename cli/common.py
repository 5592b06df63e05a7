"""What every verb of the ``hazard-ledger`` command shares: the console, the --db option, the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import click
import sqlalchemy.exc
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from sqlalchemy import make_url
from typer.core import TyperGroup

from adapters.faults import DATABASE_UNAVAILABLE, OperationalFault
from adapters.migrations import holds_ledger
from app.settings import Settings, SettingsError
from app.wiring import Services, build
from audit.note import SigningKeyMissing
from domain.errors import DomainError
from projections.engine import ProjectionStalled
from projections.locks import LeadershipLost

console = Console()
errors = Console(stderr=True)  # what the command says about itself: stdout stays the output (a CSV piped on)
T = TypeVar("T")

DbOption = Annotated[str | None, typer.Option("--db", help="database URL (default: HAZARD_DB_URL or sqlite:///var/hazard.db)")]


def settings_for(db: str | None) -> Settings:
    """The settings with ``--db`` applied (a bad setting: :class:`FaultsAsOneLine`)."""
    return Settings.from_env(db_url=db)


def shown_url(settings: Settings) -> str:
    """The database as a person checks it: an SQLite file by its absolute path, a password masked."""
    path = settings.sqlite_path()
    if path is not None:
        return f"sqlite:///{path.resolve()}"
    return make_url(settings.db_url).render_as_string(hide_password=True)


def open_database(db: str | None, *, create: bool = False) -> Settings:
    """The settings of the database a verb works on, said on stderr. Only the verbs that record (``create``:
    serve, demo, db upgrade, users add, api-keys add, restore) may make a ledger; every other verb — a list, a
    report, an audit, or a write into records that must exist — refuses a database that holds none, so a
    mistyped --db or the wrong folder is an error naming the database, never an empty ledger and an all-zero
    report."""
    settings = settings_for(db)
    where = shown_url(settings)
    errors.print(f"数据库 database: {where}", markup=False, highlight=False, soft_wrap=True)
    if create:
        return settings
    path = settings.sqlite_path()
    if path is not None and not path.is_file():
        raise OperationalFault(
            f"数据库文件不存在：{path.resolve()}",
            f"no database file {path.resolve()} (check --db or HAZARD_DB_URL; `hazard-ledger db upgrade` makes a new ledger)",
        )
    if not holds_ledger(settings.sqlalchemy_url()):
        raise OperationalFault(f"不是事故隐患台账数据库：{where}", f"not a hazard ledger database (no event table): {where}")
    return settings


def open_services(db: str | None, *, create: bool = False) -> Services:
    return build(open_database(db, create=create))


def refused(exc: DomainError) -> typer.Exit:
    """A refusal (an unknown unit, a record out of order, …): the reason in Chinese and English, exit 1."""
    console.print(f"[red]{exc.message_zh} / {exc.message_en}[/red]")
    return typer.Exit(1)


def read_caught_up(db: str | None, read: Callable[[Services], T]) -> T:
    """What ``read`` answers from the ledger's read models once they are caught up; a refusal is one line
    and exit 1; the ledger is closed either way."""
    services = open_services(db)
    try:
        services.catch_up()
        return read(services)
    except DomainError as exc:
        raise refused(exc) from None
    finally:
        services.close()


def progress_bar() -> Progress:
    """On stderr, as the database line: ``audit verify --json | jq`` reads only the report."""
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=errors)


def advance(bar: Progress, task: TaskID, done: int, total: int) -> None:
    bar.update(task, completed=done, total=total)


_FILE_FAULTS_ZH = {FileNotFoundError: "文件不存在", PermissionError: "没有权限", IsADirectoryError: "这是一个目录"}


def fault_line(exc: Exception) -> tuple[str, int] | None:
    """The one line (Chinese / English) and exit code a fault of the machine or the settings is reported with;
    None for anything else (a bug keeps its traceback)."""
    if isinstance(exc, OperationalFault):
        return str(exc), 1
    if isinstance(exc, SettingsError | sqlalchemy.exc.ArgumentError):
        return f"配置错误 / configuration error: {exc}", 2
    if isinstance(exc, DATABASE_UNAVAILABLE):
        cause: Any = getattr(exc, "orig", None) or exc.__cause__ or exc
        return f"数据库无法访问 / database unavailable: {' '.join(str(cause).split())}", 1
    if isinstance(exc, SigningKeyMissing):
        return f"缺少检查点签名密钥 / {exc}", 2
    if isinstance(exc, LeadershipLost):  # exits so that its supervisor (compose: restart) starts it again as a standby
        return f"失去了工作锁 / {exc}: exiting", 1
    if isinstance(exc, OSError):
        zh = next((text for kind, text in _FILE_FAULTS_ZH.items() if isinstance(exc, kind)), "文件操作失败")
        where = f": {exc.filename}" if exc.filename else ""
        return f"{zh} / {exc.strerror or exc}{where}", 1
    if isinstance(exc, ProjectionStalled):
        return f"读模型停在无法应用的事件上 / a read model is stopped at an event it cannot apply: {exc}", 1
    return None


class FaultsAsOneLine(TyperGroup):
    """The ``hazard-ledger`` command: every verb's operational faults (an unreachable or missing database, a
    missing file, a bad URL) end it with one line on stderr and a non-zero exit, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as exc:
            said = fault_line(exc)
            if said is None:
                raise
            errors.print(said[0], style="red", markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(said[1]) from None
