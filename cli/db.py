"""`hazard-ledger db …`: the database schema (Alembic migrations, adapters/migrations/)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from adapters.migrations import revision_of, upgrade
from app.settings import Settings, SettingsError

db_app = typer.Typer(help="Database schema 数据库结构: migrations", no_args_is_help=True)
console = Console()

DbOption = Annotated[str | None, typer.Option("--db", help="database URL (default: HAZARD_DB_URL or sqlite:///var/hazard.db)")]


@db_app.command("upgrade")
def upgrade_command(db: DbOption = None) -> None:
    """Bring the database to the newest revision (a database made before migrations is stamped first)."""
    try:
        settings = Settings.from_env(db_url=db)
    except SettingsError as exc:
        console.print(f"[red]配置错误 / configuration error:[/red] {exc}")
        raise typer.Exit(2) from None
    sqlite_path = settings.sqlite_path()
    if sqlite_path is not None:
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    upgrade(settings.sqlalchemy_url())
    console.print(f"database at revision {revision_of(settings.sqlalchemy_url())}")
