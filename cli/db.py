"""`hazard-ledger db …`: the database schema (Alembic migrations, adapters/migrations/)."""

from __future__ import annotations

import typer

from adapters.migrations import revision_of, upgrade
from cli.common import DbOption, console, open_database

db_app = typer.Typer(help="Database schema 数据库结构: migrations", no_args_is_help=True)


@db_app.command("upgrade")
def upgrade_command(db: DbOption = None) -> None:
    """Bring the database to the newest revision (a database made before migrations is stamped first)."""
    settings = open_database(db, create=True)  # upgrade() makes an SQLite file's folder itself
    upgrade(settings.sqlalchemy_url())
    console.print(f"database at revision {revision_of(settings.sqlalchemy_url())}")
