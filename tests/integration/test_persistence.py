"""The event store on both backends: durability, optimistic concurrency, exactly-once projection."""

from __future__ import annotations

import threading
import uuid
from datetime import date

from sqlalchemy import MetaData, inspect, select

from app.settings import Settings
from app.wiring import build
from domain.actor import Actor
from domain.business_time import CHINA_TZ
from domain.credit_code import check_character
from domain.errors import DomainError
from domain.glossary import Grade, HazardSource, OrgKind, Role
from domain.hazard import Hazard
from projections.engine import ProjectionRunner, rebuild_together
from projections.records import RecordsProjection

OFFICE = Actor("ajb-wang", "王主任", Role.COMMITTEE_OFFICE, "ajb", OrgKind.COMMITTEE_OFFICE, "区安委办")


def _code(n: int) -> str:
    first17 = f"91530114MA6K{n:05d}"
    return first17 + check_character(first17)


def _hazard(services, n: int = 1) -> uuid.UUID:  # type: ignore[no-untyped-def]
    enterprise = services.ledger.enterprises.register_enterprise(
        OFFICE, credit_code=_code(n), name=f"企业{n}", sector="fire_safety", jurisdiction="dayu", principal_name="p"
    )
    return services.ledger.hazards.report_hazard(
        OFFICE, enterprise_id=enterprise.id, grade=Grade.GENERAL, source=HazardSource.TIP_OFF, description="消防通道堵塞"
    ).id


def test_events_survive_a_restart(db_url: str) -> None:
    first = build(Settings(db_url=db_url))
    hazard_id = _hazard(first)
    first.ledger.hazards.void_hazard(OFFICE, hazard_id, reason="重复登记")
    first.close()
    second = build(Settings(db_url=db_url))
    try:
        assert second.ledger.hazards.hazard(hazard_id)["state"] == "voided"
        assert [e["type"] for e in second.ledger.history(hazard_id)] == ["HazardReported", "HazardVoided"]
    finally:
        second.close()


def test_concurrent_saves_of_the_same_version_conflict(db_url: str) -> None:
    services = build(Settings(db_url=db_url))
    try:
        hazard_id = _hazard(services)
        a = services.ledger.repository.get(hazard_id)
        b = services.ledger.repository.get(hazard_id)
        a.void(OFFICE, a.last_occurred_at, "重复")
        b.void(OFFICE, b.last_occurred_at, "另一个理由")
        services.ledger.hazards._store(a)
        try:
            services.ledger.hazards._store(b)
        except DomainError as exc:
            assert exc.code == "version_conflict"
        else:
            raise AssertionError("the second save of version 1 must conflict")
        assert len(services.ledger.history(hazard_id)) == 2
        assert isinstance(services.ledger.repository.get(hazard_id), Hazard)
    finally:
        services.close()


def _rows(services, version: int | None = None) -> list[dict]:  # type: ignore[no-untyped-def]
    hazards = services.read_models.records.tables(version)["hazards"]
    with services.engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(hazards).order_by(hazards.c.id)).mappings()]


def test_racing_projection_runners_apply_each_event_once(db_url: str) -> None:
    services = build(Settings(db_url=db_url))
    try:
        for n in range(1, 21):
            _hazard(services, n)
        runners = [
            ProjectionRunner(
                services.engine,
                services.ledger.recorder,
                services.ledger.mapper,
                RecordsProjection(services.ledger.reference.campaign.start),
                batch_size=7,
            )
            for _ in range(3)
        ]
        errors: list[BaseException] = []

        def run(r: ProjectionRunner) -> None:
            try:
                r.catch_up()
            except BaseException as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)

        threads = [threading.Thread(target=run, args=(r,)) for r in runners]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors
        rows = _rows(services)
        assert len(rows) == 20 and all(r["version"] == 1 for r in rows)
        assert runners[0].position() == services.ledger.recorder.max_notification_id()
        assert runners[0].catch_up() == 0
    finally:
        services.close()


def test_one_rebuild_pass_reads_and_decodes_the_log_once_for_every_read_model(db_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    services = build(Settings(db_url=db_url))
    try:
        for n in range(1, 4):
            _hazard(services, n)
        recorder, mapper = services.ledger.recorder, services.ledger.mapper
        reads: list[int] = []
        decoded: list[int] = []
        select, decode = recorder.select_notifications, mapper.to_domain_event
        monkeypatch.setattr(recorder, "select_notifications", lambda *a, **k: reads.append(1) or select(*a, **k))
        monkeypatch.setattr(mapper, "to_domain_event", lambda n: decoded.append(n.id) or decode(n))
        events = recorder.max_notification_id()
        models = list(services.read_models)
        assert rebuild_together(models) == events
        assert sorted(decoded) == list(range(1, events + 1))  # each event decoded once for the three decoding models
        assert len(reads) <= 4  # the pass, its empty end, the catch-up after the switch and its end: not one per model
        assert all(m.active_version() == 2 and m.position() == events for m in models)
    finally:
        services.close()


def test_blue_green_rebuild_serves_the_old_version_until_it_switches(db_url: str) -> None:
    services = build(Settings(db_url=db_url))
    try:
        ids = [_hazard(services, n) for n in range(1, 6)]
        services.catch_up()
        live = _rows(services)
        seen_during_build: list[int] = []

        def progress(done: int, total: int) -> None:
            seen_during_build.append(services.read_models.records.active_version())

        assert services.read_models.records.rebuild(progress) == 10
        assert seen_during_build and set(seen_during_build) == {1}
        assert services.read_models.records.active_version() == 2
        assert _rows(services) == live  # rebuilt equals live, row for row
        services.ledger.hazards.void_hazard(OFFICE, ids[0], reason="重复登记")
        services.catch_up()
        assert {r["id"]: r["state"] for r in _rows(services)}[str(ids[0])] == "voided"
        assert services.read_models.records.rebuild() == 11 and services.read_models.records.active_version() == 3
        with services.engine.connect() as conn:
            names = set(inspect(conn).get_table_names())
        assert "rm_hazards_v1" not in names and {"rm_hazards_v2", "rm_hazards_v3"} <= names
    finally:
        services.close()


def test_an_upgrade_that_adds_a_read_model_table_rebuilds_the_projection_at_start(db_url: str) -> None:
    """A version built before a table existed (here: its day totals dropped) is rebuilt blue/green when
    the next process starts, so the new table holds the whole history, not only what follows."""
    services = build(Settings(db_url=db_url))
    try:
        enterprise = services.ledger.enterprises.register_enterprise(
            OFFICE, credit_code=_code(1), name="企业1", sector="fire_safety", jurisdiction="dayu", principal_name="p"
        )
        for _ in range(3):
            services.ledger.hazards.report_hazard(
                OFFICE, enterprise_id=enterprise.id, grade=Grade.MAJOR, source=HazardSource.TIP_OFF,
                description="消防通道堵塞", criterion="第四条",
            )  # fmt: skip
        services.catch_up()
        today = services.ledger.clock.now().astimezone(CHINA_TZ).date()
        before = services.annexes.annex2(None, today)
        assert before["rows"][0]["cells"]["majors"] == 3
        with services.engine.begin() as conn:
            conn.exec_driver_sql(f"DROP TABLE {services.read_models.records.tables()['hazard_days'].name}")
    finally:
        services.close()
    again = build(Settings(db_url=db_url))
    try:
        assert again.read_models.records.active_version() == 2
        assert again.annexes.annex2(None, today) == before
    finally:
        again.close()


def test_the_roll_up_totals_are_named_for_the_campaign_start_they_count_from() -> None:
    """A district that moves its campaign start declares new total tables, so the start-up check above
    rebuilds them instead of serving totals counted from the old start."""
    names = [RecordsProjection(date(2023, m, 1)).define(MetaData(), "_v1")["hazard_days"].name for m in (5, 6)]
    assert names == ["rm_hazard_days_20230501_v1", "rm_hazard_days_20230601_v1"]
