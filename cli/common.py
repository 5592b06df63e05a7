"""What every verb of the ``hazard-ledger`` command shares: the console, the --db option, the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from app.settings import Settings, SettingsError
from app.wiring import Services, build
from domain.errors import DomainError

console = Console()
T = TypeVar("T")

DbOption = Annotated[str | None, typer.Option("--db", help="database URL (default: HAZARD_DB_URL or sqlite:///var/hazard.db)")]


def settings_for(db: str | None) -> Settings:
    """The settings with ``--db`` applied; a bad setting is a clear message and exit code 2."""
    try:
        return Settings.from_env(db_url=db)
    except SettingsError as exc:
        console.print(f"[red]配置错误 / configuration error:[/red] {exc}")
        raise typer.Exit(2) from None


def open_services(db: str | None) -> Services:
    return build(settings_for(db))


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
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console)


def advance(bar: Progress, task: TaskID, done: int, total: int) -> None:
    bar.update(task, completed=done, total=total)
