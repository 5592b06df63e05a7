"""The event store on both backends: durability, optimistic concurrency, exactly-once projection."""

from __future__ import annotations

import threading
import uuid

from sqlalchemy import func, select

from api.bootstrap import build
from api.settings import Settings
from domain.actor import Actor
from domain.credit_code import check_character
from domain.errors import DomainError
from domain.glossary import Grade, HazardSource, OrgKind, Role
from domain.hazard import Hazard
from projections.hazard_list import HazardListProjection
from projections.runner import ProjectionRunner
from projections.tables import hazards

OFFICE = Actor("ajb-wang", "王主任", Role.COMMITTEE_OFFICE, "ajb", OrgKind.COMMITTEE_OFFICE, "区安委办")


def _code(n: int) -> str:
    first17 = f"91530114MA6K{n:05d}"
    return first17 + check_character(first17)


def _hazard(services, n: int = 1) -> uuid.UUID:  # type: ignore[no-untyped-def]
    enterprise = services.ledger.register_enterprise(
        OFFICE, credit_code=_code(n), name=f"企业{n}", sector="fire_safety", jurisdiction="dayu", principal_name="p"
    )
    return services.ledger.report_hazard(
        OFFICE, enterprise_id=enterprise.id, grade=Grade.GENERAL, source=HazardSource.TIP_OFF, description="消防通道堵塞"
    ).id


def test_events_survive_a_restart(db_url: str) -> None:
    first = build(Settings(db_url=db_url))
    hazard_id = _hazard(first)
    first.ledger.void_hazard(OFFICE, hazard_id, reason="重复登记")
    first.close()
    second = build(Settings(db_url=db_url))
    try:
        assert second.ledger.hazard(hazard_id)["state"] == "voided"
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
        services.ledger._store(a)
        try:
            services.ledger._store(b)
        except DomainError as exc:
            assert exc.code == "version_conflict"
        else:
            raise AssertionError("the second save of version 1 must conflict")
        assert len(services.ledger.history(hazard_id)) == 2
        assert isinstance(services.ledger.repository.get(hazard_id), Hazard)
    finally:
        services.close()


def test_racing_projection_runners_apply_each_event_once(db_url: str) -> None:
    services = build(Settings(db_url=db_url))
    try:
        for n in range(1, 21):
            _hazard(services, n)
        runners = [
            ProjectionRunner(
                services.engine, services.ledger.recorder, services.ledger.mapper, HazardListProjection(), batch_size=7
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
        with services.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(hazards)).scalar_one() == 20
        assert runners[0].position() == services.ledger.recorder.max_notification_id()
        assert runners[0].catch_up() == 0
        assert runners[0].rebuild() == 40
        with services.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(hazards)).scalar_one() == 20
    finally:
        services.close()
