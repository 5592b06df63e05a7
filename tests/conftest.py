"""Backends for persistence tests: every test using `db_url` runs on SQLite and on PostgreSQL.

PostgreSQL: a fresh database per test on HAZARD_TEST_PG_URL (default
postgresql://postgres@127.0.0.1:5432/postgres), dropped afterwards. When the server is down the
PostgreSQL variant is skipped — unless HAZARD_REQUIRE_POSTGRES=1 (CI), where it fails.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from psycopg import sql

# The CLI's rich consoles are made at import: give them one wide width whatever terminal (or none) a test
# worker has, so their tables are never cut (the CLI tests read ids and times out of them).
os.environ["COLUMNS"] = "240"

PG_ADMIN_URL = os.environ.get("HAZARD_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
RUN_ID = uuid.uuid4().hex[:8]


def _postgres_or_skip() -> None:
    try:
        psycopg.connect(PG_ADMIN_URL, connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        if os.environ.get("HAZARD_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required (HAZARD_REQUIRE_POSTGRES=1) but unreachable: {exc}")
        pytest.skip(f"PostgreSQL unreachable at {PG_ADMIN_URL}: {exc}")


@contextmanager
def scratch_postgres(label: str) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped afterwards (skips, or fails in CI, without one)."""
    _postgres_or_skip()
    name = f"hazard_test_{RUN_ID}_{label}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test."""
    with scratch_postgres("t") as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/hazard.db"
    return request.getfixturevalue("postgres_url")
