"""Every PostgreSQL connection is opened with a bounded wait (app/settings.py): a hung server must cost a
request seconds, never minutes; a pool that has no connection to give is "unavailable" (503)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy.exc

from adapters.faults import DATABASE_UNAVAILABLE
from app.settings import Settings, SettingsError

PG = "postgresql://hazard@db.example:5432/hazard"


def _connect_timeout(url: str) -> list[str]:
    return parse_qs(urlsplit(url).query).get("connect_timeout", [])


def test_every_postgresql_url_carries_a_connect_timeout() -> None:
    settings = Settings(db_url=PG)
    assert _connect_timeout(settings.sqlalchemy_url()) == ["3"]
    assert _connect_timeout(settings.psycopg_conninfo()) == ["3"]
    assert settings.connect_timeout() == 3
    assert settings.eventsourcing_env()["POSTGRES_PRE_PING"] == "y"


def test_a_connect_timeout_named_in_the_url_wins_and_other_parameters_stay() -> None:
    settings = Settings(db_url=PG + "?sslmode=require&connect_timeout=10")
    assert _connect_timeout(settings.sqlalchemy_url()) == ["10"]
    assert parse_qs(urlsplit(settings.psycopg_conninfo()).query)["sslmode"] == ["require"]
    assert settings.connect_timeout() == 10
    assert _connect_timeout(Settings(db_url=PG + "?sslmode=require").psycopg_conninfo()) == ["3"]


def test_the_timeouts_come_from_the_environment_and_are_checked() -> None:
    settings = Settings.from_env({"HAZARD_DB_URL": PG, "HAZARD_DB_CONNECT_TIMEOUT": "7", "HAZARD_DB_POOL_TIMEOUT": "2.5"})
    assert (settings.connect_timeout(), settings.db_pool_timeout) == (7, 2.5)
    for bad in ({"HAZARD_DB_CONNECT_TIMEOUT": "1"}, {"HAZARD_DB_POOL_TIMEOUT": "0"}):
        with pytest.raises(SettingsError):
            Settings.from_env({"HAZARD_DB_URL": PG, **bad})


def test_sqlite_urls_are_left_alone() -> None:
    assert Settings(db_url="sqlite:///var/x.db").sqlalchemy_url() == "sqlite:///var/x.db"


def test_no_free_pooled_connection_is_unavailable() -> None:
    assert issubclass(sqlalchemy.exc.TimeoutError, DATABASE_UNAVAILABLE)
