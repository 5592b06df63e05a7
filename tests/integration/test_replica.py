"""Reports may read from a streaming replica (HAZARD_REPLICA_DB_URL), their lag shown. No replica runs
here: the primary itself stands in for one (its lag is 0); a replica that does not answer is "unknown"."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from app.settings import Settings, SettingsError
from app.wiring import Services, build

from .conftest import reads_what_was_written

pytestmark = pytest.mark.postgres


def _client(settings: Settings) -> Iterator[tuple[TestClient, Services]]:
    services = build(settings)
    with TestClient(create_app(settings, services=services)) as client:
        yield reads_what_was_written(client, services), services
    services.close()


def test_reports_read_the_replica_and_say_its_lag(postgres_url: str) -> None:
    for client, services in _client(Settings(db_url=postgres_url, replica_db_url=postgres_url)):
        assert services.replica is not None and services.annexes.engine is services.replica.engine
        assert services.accident_statistics.engine is services.replica.engine
        assert services.queries.engine is services.engine  # lists and commands read the primary
        for path in ("/api/v1/reports/annex2", "/api/v1/kpis", "/api/v1/statistics/accidents"):
            response = client.get(path)
            assert response.status_code == 200, response.text
            assert response.headers["X-Replica-Lag-Seconds"] == "0.000"  # a primary is its own replica
        assert "X-Replica-Lag-Seconds" not in client.get("/api/v1/reports/calendar").headers  # read from the log
        assert client.get("/api/v1/health").json()["replica"] == {"lag_seconds": 0.0}


def test_without_a_replica_reports_read_the_primary(postgres_url: str) -> None:
    for client, services in _client(Settings(db_url=postgres_url)):
        assert services.replica is None and services.annexes.engine is services.engine
        assert "X-Replica-Lag-Seconds" not in client.get("/api/v1/reports/annex2").headers
        assert client.get("/api/v1/health").json()["replica"] is None


def test_a_replica_that_does_not_answer_has_an_unknown_lag(postgres_url: str) -> None:
    gone = "postgresql://postgres@127.0.0.1:1/hazard"  # nothing listens on port 1
    for client, _ in _client(Settings(db_url=postgres_url, replica_db_url=gone)):
        health = client.get("/api/v1/health")
        assert health.status_code == 200 and health.json()["replica"] == {"lag_seconds": None}


def test_a_replica_is_a_postgresql_url(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SettingsError, match="HAZARD_REPLICA_DB_URL"):
        Settings.from_env({"HAZARD_DB_URL": f"sqlite:///{tmp_path}/h.db", "HAZARD_REPLICA_DB_URL": f"sqlite:///{tmp_path}/r.db"})
