"""The schema of every fixed table the product owns, as Alembic revisions (``versions/``).

``upgrade(url)`` brings a database to the newest revision; ``build()`` and ``hazard-ledger db upgrade``
call it. A database made before migrations existed (its tables there, no ``alembic_version``) is
stamped at the first revision, whose schema it already has, and then upgraded: nothing is rewritten.

The per-version read-model tables (``rm_*_v{N}`` and the like) are not here: the projection runner
creates and drops them (``projections/engine.py``); a new read-model schema is a new version rebuilt
from the log.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine, exc, inspect, make_url

from projections.locks import advisory_lock

SCRIPT_LOCATION = Path(__file__).parent
FIRST_REVISION = "0001"
# Serialises concurrent upgrades (several workers starting at once) on PostgreSQL.
LOCK_KEY = "hazard-ledger:migrations"

# The tables the first revision creates, by backend: a database holding all of them and no
# alembic_version was made by the code before migrations. The event table is the library's
# application recorder's: ``stored_events`` on SQLite, ``hazardledger_events`` (the application's name,
# HazardLedger) on PostgreSQL.
V0_TABLES = (
    "idempotency_keys",
    "server_held_keys",
    "evidence_blobs",
    "projection_active",
    "projection_tracking",
    "audit_checkpoints",
)
EVENT_TABLE = {"sqlite": "stored_events", "postgresql": "hazardledger_events"}


def config(sqlalchemy_url: str | None = None) -> Config:
    """An Alembic configuration without an alembic.ini: ``alembic.command.revision(config(), "message")``
    writes a new revision into ``adapters/migrations/versions/``."""
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPT_LOCATION))
    if sqlalchemy_url is not None:
        cfg.attributes["sqlalchemy_url"] = sqlalchemy_url  # not an ini option: '%' in passwords stays as is
    return cfg


def head() -> str:
    revision = ScriptDirectory.from_config(config()).get_current_head()
    assert revision is not None
    return revision


def current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def made_before_migrations(conn: Connection) -> bool:
    """Every table of the first revision is there, and no alembic_version."""
    existing = set(inspect(conn).get_table_names())
    wanted = {*V0_TABLES, EVENT_TABLE[conn.dialect.name]}
    return "alembic_version" not in existing and wanted <= existing


@contextmanager
def _migration_lock(conn: Connection) -> Iterator[None]:
    if conn.dialect.name != "postgresql":
        # SQLite (one host): an exclusive lock on a file beside the database; in memory, nothing to share.
        database = conn.engine.url.database
        if not database or database == ":memory:":
            yield
            return
        with open(f"{database}.migrations.lock", "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        return
    with advisory_lock(conn.engine, LOCK_KEY):  # a session of its own, held across the migration's transactions
        yield


def upgrade(sqlalchemy_url: str) -> None:
    """``alembic upgrade head`` on this database, stamping one made before migrations first."""
    url = make_url(sqlalchemy_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30} if url.get_backend_name() == "sqlite" else {})
    try:
        with engine.connect() as conn, _migration_lock(conn):
            cfg = config(sqlalchemy_url)
            cfg.attributes["connection"] = conn
            if made_before_migrations(conn):
                command.stamp(cfg, FIRST_REVISION)
                conn.commit()
            command.upgrade(cfg, "head")
            conn.commit()
    finally:
        engine.dispose()


def revision_of(sqlalchemy_url: str) -> str | None:
    """The revision the database is at (None: never migrated)."""
    engine = create_engine(sqlalchemy_url)
    try:
        with engine.connect() as conn:
            return current_revision(conn)
    finally:
        engine.dispose()


def holds_ledger(sqlalchemy_url: str) -> bool:
    """The database holds a ledger (its event table). Opens an existing database only: the caller makes sure
    an SQLite file is there, since connecting would make one."""
    engine = create_engine(sqlalchemy_url)
    try:
        with engine.connect() as conn:
            return EVENT_TABLE[conn.dialect.name] in inspect(conn).get_table_names()
    except exc.OperationalError:
        raise  # unreachable, missing database, no permission: the caller reports it as such
    except exc.DatabaseError:
        return False  # a file that is not an SQLite database
    finally:
        engine.dispose()
