"""The one command pipeline: the idempotency record lives in the transaction that stores the events."""

from __future__ import annotations

import dataclasses
import inspect
import threading
from typing import Any

import pytest
from eventsourcing.persistence import IntegrityError

from adapters.event_store import CLAIM
from adapters.idempotency import IdempotencyClaim
from app.pipeline import CommandContext
from app.wiring import Services
from domain.commands.base import Command, RecordCommand
from domain.commands.enterprises import ChangePrincipal, RegisterEnterprise
from domain.enterprise import enterprise_id_for
from domain.errors import DomainError
from domain.ledger import HANDLERS
from domain.unit_of_work import unit_of_work

from .conftest import credit_code
from .test_audit_tamper import OFFICE


def _register(serial: int) -> RegisterEnterprise:
    return RegisterEnterprise(
        credit_code=credit_code(serial), name=f"示例企业{serial}", sector="hazardous_chemicals", jurisdiction="wulong",
        principal_name="李建国",
    )  # fmt: skip


def _events(services: Services) -> int:
    return services.ledger.recorder.max_notification_id() or 0


def test_a_retry_with_the_same_key_returns_the_first_result_and_appends_nothing(services: Services) -> None:
    ctx = CommandContext(OFFICE, idempotency_key="k-1", fingerprint="f", status=201)
    first = services.pipeline.execute(_register(1), ctx)
    again = services.pipeline.execute(_register(1), ctx)
    assert (again.id, again.version, again.status, again.replayed) == (first.id, first.version, 201, True)
    assert first.position == _events(services) == again.position


def test_a_key_reused_for_another_request_is_refused(services: Services) -> None:
    services.pipeline.execute(_register(2), CommandContext(OFFICE, idempotency_key="k-2", fingerprint="f"))
    with pytest.raises(DomainError) as refused:
        services.pipeline.execute(_register(3), CommandContext(OFFICE, idempotency_key="k-2", fingerprint="other"))
    assert refused.value.code == "idempotency_key_reused"


def test_a_refused_command_leaves_no_key_behind(services: Services) -> None:
    """A command that stores nothing records no key: the corrected retry with the same key runs."""
    first = services.pipeline.execute(_register(4), CommandContext(OFFICE))
    stale = ChangePrincipal(enterprise_id=first.id, principal_name="王五")
    with pytest.raises(DomainError) as refused:
        services.pipeline.execute(stale, CommandContext(OFFICE, expected_version=7, idempotency_key="k-4", fingerprint="f"))
    assert refused.value.code == "version_conflict"
    assert services.idempotency.first_result(OFFICE.user_id, "k-4") is None
    done = services.pipeline.execute(stale, CommandContext(OFFICE, expected_version=1, idempotency_key="k-4", fingerprint="f"))
    assert (done.version, done.replayed) == (2, False)


def test_the_events_roll_back_when_the_key_cannot_be_stored(services: Services) -> None:
    """Both or neither: a claim that fails (the key taken meanwhile) takes the command's events with it."""
    services.pipeline.execute(_register(5), CommandContext(OFFICE, idempotency_key="k-5", fingerprint="f"))
    before = _events(services)
    claim = IdempotencyClaim(OFFICE.user_id, "k-5", "f", 201)
    with pytest.raises(IntegrityError), unit_of_work({CLAIM: claim}):
        services.ledger.execute(OFFICE, _register(6))
    assert _events(services) == before
    with pytest.raises(DomainError) as missing:
        services.ledger.enterprises.enterprise(enterprise_id_for(credit_code(6)))
    assert missing.value.code == "enterprise_not_found"


def test_every_command_has_one_handler_taking_exactly_its_fields() -> None:
    commands = {cls for cls in _subclasses(Command) if cls not in (RecordCommand,)}
    assert commands == set(HANDLERS)
    for command, handler in HANDLERS.items():
        parameters = set(inspect.signature(handler).parameters) - {"self", "actor"}
        fields = {f.name for f in dataclasses.fields(command)}
        if issubclass(command, RecordCommand):
            fields.add("expected_version")
        assert fields == parameters, command.__name__


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    return found | {s for sub in found for s in _subclasses(sub)}


def test_every_context_stores_in_the_ledgers_one_event_table(services: Services) -> None:
    """The application name fixes the event store's table names: renaming it would orphan stored events."""
    ledger = services.ledger
    applications = [ledger.hazards, ledger.inspections, ledger.enterprises, ledger.enforcement, ledger.accidents, ledger.risks,
                    ledger.work_logs, ledger.warnings, ledger.reports, ledger.keys, ledger.accountability]  # fmt: skip
    assert {app.name for app in applications} == {"HazardLedger"}
    assert {id(app.recorder) for app in applications} == {id(ledger.recorder)}
    if services.settings.is_postgres:
        assert ledger.recorder.events_table_name == "hazardledger_events"  # type: ignore[attr-defined]


def test_concurrent_commands_with_keys_are_stored_once_each_and_replay(services: Services) -> None:
    """Eight writers at once (grouped into shared transactions on PostgreSQL): every command stored
    exactly once with its key; each retry answers the first result."""
    before = _events(services)
    outcomes: dict[int, Any] = {}

    def write(worker: int) -> None:
        for n in range(5):
            serial = 100 + worker * 10 + n
            ctx = CommandContext(OFFICE, idempotency_key=f"c-{serial}", fingerprint=str(serial), status=201)
            outcomes[serial] = services.pipeline.execute(_register(serial), ctx)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(outcomes) == 40 and _events(services) == before + 40
    assert len({o.position for o in outcomes.values()}) == 40
    for serial, first in outcomes.items():
        ctx = CommandContext(OFFICE, idempotency_key=f"c-{serial}", fingerprint=str(serial), status=201)
        again = services.pipeline.execute(_register(serial), ctx)
        assert (again.id, again.version, again.replayed) == (first.id, first.version, True)
    assert _events(services) == before + 40
