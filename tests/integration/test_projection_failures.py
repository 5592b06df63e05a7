"""A read model that cannot apply an event stops only itself, at that event: the others go on, health and
metrics report it, reads answer at once with what it has, and it resumes once fixed. A database that is
unreachable is not such a failure: it ends the pass for all and records nothing."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any
from uuid import uuid4

import pytest
import sqlalchemy.exc
from fastapi.testclient import TestClient
from sqlalchemy import Connection

from api.app import create_app
from app.consistency import wait_for
from app.settings import Settings
from app.wiring import Services, build
from bench.district import populate
from projections.engine import Positioned, ProjectionStalled, Tables, catch_up_together, rebuild_together, stalled
from tests.integration.conftest import OFFICE


@pytest.fixture
def services(db_url: str) -> Iterator[Services]:
    built = build(Settings(db_url=db_url))
    populate(built.ledger, 400, seed=3)
    yield built
    built.close()


def fail_at(services: Services, monkeypatch: pytest.MonkeyPatch, position: int) -> None:
    """The records read model gets a bug that makes it fail on the event at ``position``."""
    projection = services.read_models.records.projection
    apply_batch = projection.apply_batch

    def buggy(conn: Connection, tables: Tables, events: Sequence[Positioned]) -> None:
        if any(event.position == position for event in events):
            raise ValueError(f"cannot apply {position}")
        apply_batch(conn, tables, events)

    monkeypatch.setattr(projection, "apply_batch", buggy)


def test_a_read_model_that_cannot_apply_an_event_stops_there_alone(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    head = services.ledger.recorder.max_notification_id()
    bad = head // 2 + 7
    fail_at(services, monkeypatch, bad)
    records = services.read_models.records

    catch_up_together(list(services.read_models))

    assert records.position() == bad - 1  # everything before the bad event applied
    for other in services.read_models:
        if other is not records:
            assert other.position() == head, other.name  # the others are not held back
    stall = records.stall()
    assert stall is not None and stall.position == bad and f"cannot apply {bad}" in stall.error
    assert set(stalled(services.engine)) == {"records"}
    with pytest.raises(ProjectionStalled, match="records"):
        services.catch_up()
    with pytest.raises(ProjectionStalled):  # a warning is never decided from derived facts behind the log
        services.ledger.warnings.proposals.proposal(uuid4(), services.ledger.clock.now())  # type: ignore[union-attr]
    assert wait_for(records, head, lambda: head, timeout=30) == bad - 1  # at once, not after the wait

    with TestClient(create_app(services.settings, services=services)) as client:
        health = client.get("/api/v1/health").json()
        assert health["status"] == "degraded"
        assert health["projections"]["records"]["stalled"]["position"] == bad
        assert "ValueError" in health["projections"]["records"]["stalled"]["error"]
        assert health["projections"]["process_facts"]["stalled"] is None
        metrics = client.get("/metrics").text
        assert f'hazard_ledger_projection_stalled_at{{projection="records",version="1"}} {float(bad)}' in metrics
        # a command that would freeze figures behind the log is refused, cleanly
        refused = client.post(
            "/api/v1/reports/annex2/submissions",
            json={"as_of": "2026-11-30"},
            headers=OFFICE,
        )
        assert refused.status_code == 503, refused.text
        assert refused.json()["code"] == "read_model_stalled"

        # Held: this process does not retry the bad event on every pass...
        catch_up_together([records])
        assert records.position() == bad - 1
        # ...until its retry time; fixed by then, it resumes and the stall is cleared.
        monkeypatch.undo()
        records._held.clear()
        services.catch_up()
        assert records.position() == head and records.stall() is None
        assert client.get("/api/v1/health").json()["status"] == "ok"


def test_a_rebuild_that_cannot_apply_an_event_keeps_the_active_version(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    services.catch_up()
    head = services.ledger.recorder.max_notification_id()
    fail_at(services, monkeypatch, 5)
    records, facts = services.read_models.records, services.read_models.process_facts

    with pytest.raises(ProjectionStalled, match="records v2 stopped at event 5"):
        rebuild_together([records, facts])

    assert records.active_version() == 1 and records.position() == head  # still serving, complete
    assert facts.active_version() == 2 and facts.position() == head  # switched
    assert stalled(services.engine) == {}  # the active versions are fine...
    assert stalled(services.engine, active_only=False)["records"].version == 2  # ...the failed rebuild is reported


def test_an_unreachable_database_is_not_a_read_model_bug(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    def unreachable(*_args: Any) -> None:
        raise sqlalchemy.exc.OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    monkeypatch.setattr(services.read_models.records.projection, "apply_batch", unreachable)
    with pytest.raises(sqlalchemy.exc.OperationalError):
        catch_up_together(list(services.read_models))
    assert stalled(services.engine, active_only=False) == {}  # the worker's supervisor retries the pass
