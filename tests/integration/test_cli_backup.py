"""`hazard-ledger backup` and `hazard-ledger restore` on both backends (issue 16): a backup restored into a fresh
database verifies against the external checkpoint and reads the same; a history tampered with before the
backup, a backup older than the latest checkpoint, a damaged file, a non-empty target, no checkpoint and no
pg_dump are each refused with a non-zero exit."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from adapters.migrations import EVENT_TABLE
from app.settings import Settings
from app.wiring import build
from cli.main import app
from tests.conftest import scratch_postgres

from .annex_story import AS_OF, OFFICE, build_story, code

runner = CliRunner()


def run(*args: str | Path) -> Result:
    return runner.invoke(app, [str(a) for a in args])


def checkpointed(url: str) -> None:
    """Brings the Merkle log up to date and signs a checkpoint (written to HAZARD_CHECKPOINT_DIR)."""
    services = build(Settings.from_env(db_url=url))
    try:
        services.catch_up()
        services.audit.checkpoint()
    finally:
        services.close()


@pytest.fixture
def source(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The small district of the annex tests, with a checkpoint kept outside the database."""
    monkeypatch.setenv("HAZARD_LOG_KEY_FILE", str(tmp_path / "keys" / "log-key.pem"))
    monkeypatch.setenv("HAZARD_CHECKPOINT_DIR", str(tmp_path / "checkpoints"))
    services = build(Settings.from_env(db_url=db_url))
    try:
        build_story(services)
    finally:
        services.close()
    checkpointed(db_url)
    return db_url


@pytest.fixture
def target(db_url: str, tmp_path: Path) -> Iterator[str]:
    """A database to restore into, on the source's backend: a new SQLite file, or an empty PostgreSQL database."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path}/restored/hazard.db"
    else:
        with scratch_postgres("restore") as url:
            yield url


def annex2(url: str, out: Path) -> bytes:
    result = run("report", "annex2", "--unit", "yjj", "--as-of", AS_OF.isoformat(), "--format", "json", "--out", out, "--db", url)
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def is_empty(url: str) -> bool:
    if url.startswith("sqlite"):
        return not Path(url.removeprefix("sqlite:///")).exists()
    engine = create_engine(Settings(db_url=url).sqlalchemy_url())
    try:
        with engine.connect() as conn:
            return not conn.execute(text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).scalar()
    finally:
        engine.dispose()


def test_a_backup_restored_into_a_fresh_database_verifies_and_reads_the_same(source: str, target: str, tmp_path: Path) -> None:
    out = tmp_path / "backups" / "ledger.backup"
    made = run("backup", "--out", out, "--db", source)
    assert made.exit_code == 0, made.output
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    assert made.stdout == f"{digest}  {out}\n"  # as sha256sum prints it; the rest is on stderr
    assert (tmp_path / "backups" / "ledger.backup.sha256").read_text() == f"{digest}  ledger.backup\n"
    again = run("backup", "--out", out, "--db", source)
    assert again.exit_code == 1 and "exists already" in again.output

    restored = run("restore", out, "--db", target)
    assert restored.exit_code == 0, restored.output
    assert digest in restored.output and "checkpoints/latest.txt: size" in restored.output
    assert "restored and verified" in restored.output
    assert annex2(target, tmp_path / "restored.json") == annex2(source, tmp_path / "source.json")

    refused = run("restore", out, "--db", target)
    assert refused.exit_code == 1 and "not empty (--force overwrites it)" in refused.output
    kept = tmp_path / "kept-checkpoint.txt"
    kept.write_text((tmp_path / "checkpoints" / "latest.txt").read_text())
    forced = run("restore", out, "--db", target, "--force", "--checkpoint", kept)
    assert forced.exit_code == 0 and "restored and verified" in forced.output, forced.output


def tamper(url: str) -> None:
    """A database administrator lowers a fine in the stored event, behind the ledger's back."""
    engine = create_engine(Settings(db_url=url).sqlalchemy_url())
    table = EVENT_TABLE[engine.dialect.name]
    try:
        with engine.begin() as conn:
            rows = conn.execute(text(f"SELECT originator_id, originator_version, state FROM {table}")).all()
            oid, version, state = next(r for r in rows if b"12345" in bytes(r.state))
            conn.execute(
                text(f"UPDATE {table} SET state = :state WHERE originator_id = :oid AND originator_version = :version"),
                {"state": bytes(state).replace(b"12345", b"2345"), "oid": oid, "version": version},
            )
    finally:
        engine.dispose()


def test_a_backup_of_a_tampered_history_is_restored_but_not_reported_a_success(
    source: str, target: str, tmp_path: Path
) -> None:
    tamper(source)
    out = tmp_path / "tampered.backup"
    assert run("backup", "--out", out, "--db", source).exit_code == 0
    result = run("restore", out, "--db", target)
    assert result.exit_code == 1, result.output
    assert "restored and verified" not in result.output
    assert "FAILED the audit verification, do not serve it" in result.stderr and "[row_changed]" in result.stderr


def test_a_backup_older_than_the_latest_checkpoint_fails_against_it(source: str, target: str, tmp_path: Path) -> None:
    out = tmp_path / "yesterday.backup"
    assert run("backup", "--out", out, "--db", source).exit_code == 0
    services = build(Settings.from_env(db_url=source))
    try:
        services.ledger.enterprises.register_enterprise(
            OFFICE, credit_code=code(13), name="呈贡新建企业", sector="industry_trade", jurisdiction="wulong",
            principal_name="王某",
        )  # fmt: skip
    finally:
        services.close()
    checkpointed(source)  # signs the event the backup lacks
    result = run("restore", out, "--db", target)
    assert result.exit_code == 1 and "[checkpoint_ahead]" in result.stderr, result.output


def test_a_damaged_backup_a_missing_checkpoint_or_key_leave_the_target_untouched(
    source: str, target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "ledger.backup"
    assert run("backup", "--out", out, "--db", source).exit_code == 0
    with out.open("r+b") as f:  # one byte changed at the end
        f.seek(-1, 2)
        last = f.read(1)
        f.seek(-1, 2)
        f.write(bytes([last[0] ^ 1]))
    damaged = run("restore", out, "--db", target)
    assert damaged.exit_code == 1 and "differs from the one recorded in" in damaged.output, damaged.output
    assert is_empty(target)

    monkeypatch.setenv("HAZARD_CHECKPOINT_DIR", str(tmp_path / "nowhere"))
    unchecked = run("restore", out, "--db", target)
    assert unchecked.exit_code == 1 and "no external checkpoint to verify the restore against" in unchecked.output
    assert is_empty(target)
    monkeypatch.setenv("HAZARD_LOG_KEY_FILE", str(tmp_path / "no-key.pem"))
    keyless = run("restore", out, "--db", target, "--checkpoint", tmp_path / "checkpoints" / "latest.txt")
    assert keyless.exit_code == 1 and "no log public key" in keyless.output
    assert is_empty(target)


def test_a_file_that_is_no_backup_for_the_target_backend_is_refused(source: str, target: str, tmp_path: Path) -> None:
    out = tmp_path / "notes.backup"
    out.write_bytes(b"neither SQLite nor pg_dump\n")
    result = run("restore", out, "--db", target)
    assert result.exit_code == 1 and "backup:" in result.output and ("SQLite" in result.output or "pg_dump" in result.output)
    assert is_empty(target)


@pytest.mark.postgres
def test_without_pg_dump_the_backup_says_what_to_install(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(Settings(db_url=postgres_url)).close()
    monkeypatch.setenv("PATH", str(tmp_path))  # no PostgreSQL client on it
    result = run("backup", "--out", tmp_path / "b.backup", "--db", postgres_url)
    assert result.exit_code == 1 and "pg_dump not found on PATH" in result.output and "postgresql-client" in result.output
    assert not list(tmp_path.glob("b.backup*"))
