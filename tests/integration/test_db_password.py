"""The PostgreSQL password comes from a file (HAZARD_DB_PASSWORD_FILE, a Docker secret), never from the
URL: any character works. The test server trusts local connections (it checks no password), so the tests
read back the password each driver hands to the server (``info.password``)."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from app.settings import Settings, SettingsError
from app.wiring import build
from bench.takeover import append_one

from .conftest import PASSWORD


def _secret(tmp_path: Path, text: str = PASSWORD + "\n") -> Path:
    path = tmp_path / "db_password"
    path.write_text(text, "utf-8")  # a trailing newline (echo, an editor) is not part of it
    return path


def test_the_password_of_the_file_reaches_every_driver_unescaped(tmp_path: Path) -> None:
    settings = Settings(db_url="postgresql://hazard@db:5432/hazard", db_password_file=_secret(tmp_path))
    assert make_url(settings.sqlalchemy_url()).password == PASSWORD
    assert make_url(settings.sqlalchemy_url()).host == "db"
    assert psycopg.conninfo.conninfo_to_dict(settings.psycopg_conninfo())["password"] == PASSWORD
    assert settings.eventsourcing_env()["POSTGRES_PASSWORD"] == PASSWORD
    assert settings.db_url == "postgresql://hazard@db:5432/hazard"  # what is logged carries none


def test_a_password_in_both_places_a_missing_file_or_sqlite_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="must not carry a password"):
        Settings.from_env({"HAZARD_DB_URL": "postgresql://hazard:x@db/hazard", "HAZARD_DB_PASSWORD_FILE": str(_secret(tmp_path))})
    with pytest.raises(SettingsError, match="cannot read"):
        Settings.from_env({"HAZARD_DB_URL": "postgresql://hazard@db/hazard", "HAZARD_DB_PASSWORD_FILE": str(tmp_path / "none")})
    with pytest.raises(SettingsError, match="is for PostgreSQL"):
        Settings.from_env({"HAZARD_DB_URL": f"sqlite:///{tmp_path}/h.db", "HAZARD_DB_PASSWORD_FILE": str(_secret(tmp_path))})


@pytest.mark.postgres
def test_a_role_with_a_password_of_special_characters_runs_the_ledger(role_with_password: tuple[str, str], tmp_path: Path) -> None:
    role, url = role_with_password
    services = build(Settings.from_env({"HAZARD_DB_URL": url, "HAZARD_DB_PASSWORD_FILE": str(_secret(tmp_path))}))
    try:
        head = append_one(services)  # the event store's pool
        assert services.catch_up() and services.read_models.records.position() == head  # the read models' engine
        with services.engine.connect() as conn:
            raw = conn.connection.driver_connection
            assert raw.info.user == role and raw.info.password == PASSWORD
        with services.ledger.recorder.datastore.get_connection() as conn:  # type: ignore[attr-defined]
            assert conn.info.user == role and conn.info.password == PASSWORD
        with psycopg.connect(services.settings.psycopg_conninfo()) as conn:  # LISTEN of a live worker
            assert conn.info.user == role and conn.info.password == PASSWORD
    finally:
        services.close()
