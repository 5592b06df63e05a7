"""The schema migrations (adapters/migrations/): an empty database, one made by the code before
migrations existed (tests/fixtures/schema_v0_*.sql, from commit 53b2395), repeated and concurrent
upgrades, and the `hazard-ledger db upgrade` verb — on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from uuid import UUID

import psycopg
import pytest
from sqlalchemy import create_engine, inspect, text
from typer.testing import CliRunner

from adapters.migrations import EVENT_TABLE, V0_TABLES, head, revision_of, upgrade
from app.pipeline import CommandContext
from app.settings import Settings
from app.wiring import build
from cli.main import app as cli
from domain.actor import Actor
from domain.commands.enterprises import ChangePrincipal
from domain.errors import DomainError
from domain.glossary import OrgKind, Role
from tests.integration.test_persistence import OFFICE, _code

FIXTURES = Path(__file__).parents[1] / "fixtures"
# The rows of the v0 fixtures (one run of the code at 53b2395).
V0_ENTERPRISE = UUID("9ad8970e-cb5a-5fe5-8b65-b6db3840ae16")
V0_DIGEST = "08d7c7c8da13ae7ea24902a133b703bd860529f2150ff222c10e29e07673d8e2"
V0_CONTENT = b"\x89PNG\r\n\x1a\n photo of the cleared passage"


def _settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(db_url=db_url, log_key_file=tmp_path / "log-key.pem", checkpoint_dir=tmp_path / "checkpoints")


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _scalar(url: str, query: str) -> object:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(query)).scalar_one()
    finally:
        engine.dispose()


def _load_v0(settings: Settings) -> None:
    if settings.is_postgres:
        with psycopg.connect(settings.psycopg_conninfo(), autocommit=True) as conn:
            conn.execute((FIXTURES / "schema_v0_postgres.sql").read_text(encoding="utf-8"))  # type: ignore[arg-type]
    else:
        path = settings.sqlite_path()
        assert path is not None
        with sqlite3.connect(path) as conn:
            conn.executescript((FIXTURES / "schema_v0_sqlite.sql").read_text(encoding="utf-8"))
        conn.close()


def test_upgrade_on_an_empty_database_creates_every_table_and_the_ledger_works(db_url: str, tmp_path: Path) -> None:
    settings = _settings(db_url, tmp_path)
    url = settings.sqlalchemy_url()
    upgrade(url)
    assert revision_of(url) == head()
    backend = "postgresql" if settings.is_postgres else "sqlite"
    assert {*V0_TABLES, EVENT_TABLE[backend], "alembic_version"} <= _tables(url)
    services = build(settings)
    try:
        enterprise = services.ledger.enterprises.register_enterprise(
            OFFICE, credit_code=_code(7), name="迁移测试企业", sector="fire_safety", jurisdiction="dayu", principal_name="p"
        )
        assert services.ledger.enterprises.enterprise(enterprise.id)["name"] == "迁移测试企业"
        assert [e["type"] for e in services.ledger.history(enterprise.id)] == ["EnterpriseRegistered"]
        assert services.catch_up() >= 1
    finally:
        services.close()


def test_a_database_made_before_migrations_is_stamped_and_keeps_its_rows(db_url: str, tmp_path: Path) -> None:
    settings = _settings(db_url, tmp_path)
    url = settings.sqlalchemy_url()
    _load_v0(settings)
    assert "alembic_version" not in _tables(url)
    event_table = EVENT_TABLE["postgresql" if settings.is_postgres else "sqlite"]

    upgrade(url)

    assert revision_of(url) == head()
    assert _scalar(url, f"SELECT count(*) FROM {event_table}") == 3
    assert _scalar(url, "SELECT count(*) FROM evidence_blobs") == 1
    assert _scalar(url, "SELECT count(*) FROM idempotency_keys") == 2
    services = build(settings)
    try:
        assert services.ledger.enterprises.enterprise(V0_ENTERPRISE)["name"] == "迁移前企业"
        assert services.idempotency.first_result("ajb-wang", "fixture-enterprise-1").body["id"] == str(V0_ENTERPRISE)  # type: ignore[union-attr]
        # a key the old code left "in progress": its retry is told the outcome is unknown, never run twice
        principal = Actor("ent-li", "李建国", Role.PRINCIPAL, str(V0_ENTERPRISE), OrgKind.ENTERPRISE)
        with pytest.raises(DomainError) as unknown:
            services.pipeline.execute(ChangePrincipal(enterprise_id=V0_ENTERPRISE, principal_name="某"),
                                      CommandContext(principal, idempotency_key="stuck-1", fingerprint="x"))  # fmt: skip
        assert unknown.value.code == "idempotency_outcome_unknown"
        hazard_id = UUID(str(_scalar(url, f"SELECT originator_id FROM {event_table} WHERE topic LIKE '%HazardReported'")))
        assert [e["type"] for e in services.ledger.history(hazard_id)] == ["HazardReported", "EvidenceAttached"]
        assert services.ledger.hazards.evidence_content(hazard_id, V0_DIGEST) == ("image/png", V0_CONTENT)
        assert services.catch_up() >= 3  # the read models are rebuilt from the log
        # the log goes on where it stopped
        services.ledger.hazards.void_hazard(OFFICE, hazard_id, reason="重复登记")
        assert services.ledger.hazards.hazard(hazard_id)["state"] == "voided"
        assert services.ledger.recorder.max_notification_id() == 4
    finally:
        services.close()


def test_upgrading_twice_is_a_no_op(db_url: str, tmp_path: Path) -> None:
    url = _settings(db_url, tmp_path).sqlalchemy_url()
    upgrade(url)
    tables = _tables(url)
    upgrade(url)
    assert revision_of(url) == head()
    assert _tables(url) == tables
    assert _scalar(url, "SELECT count(*) FROM alembic_version") == 1


def test_concurrent_upgrades_are_serialised(db_url: str, tmp_path: Path) -> None:
    url = _settings(db_url, tmp_path).sqlalchemy_url()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            upgrade(url)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert revision_of(url) == head()
    assert _scalar(url, "SELECT count(*) FROM alembic_version") == 1


def test_the_db_upgrade_verb_prints_the_revision(db_url: str) -> None:
    result = CliRunner().invoke(cli, ["db", "upgrade", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert head() in result.output
    assert revision_of(Settings(db_url=db_url).sqlalchemy_url()) == head()
