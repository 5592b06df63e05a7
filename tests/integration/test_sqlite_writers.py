"""SQLite has one writer at a time: concurrent commands wait their turn, they do not fail, even while the
projection worker is catching up (its batch holds the database's write lock)."""

from __future__ import annotations

import threading
from pathlib import Path

from app.pipeline import CommandContext
from app.settings import Settings
from app.wiring import build
from app.workers import InProcessWorkers
from bench.district import populate
from domain.commands.enterprises import RegisterEnterprise

from .conftest import credit_code
from .test_audit_tamper import OFFICE

WRITERS, COMMANDS = 8, 12


def test_concurrent_writers_are_serialised_while_the_projection_worker_catches_up(tmp_path: Path) -> None:
    services = build(Settings(db_url=f"sqlite:///{tmp_path}/ledger.db"))
    populate(services.ledger, 15_000, seed=1)  # a long catch-up, batch after batch under the write lock
    workers = InProcessWorkers(services)
    workers.start()
    errors: list[str] = []

    def writer(thread: int) -> None:
        for i in range(COMMANDS):
            n = 100 + thread * COMMANDS + i
            command = RegisterEnterprise(
                credit_code=credit_code(n), name=f"企业{n}", sector="hazardous_chemicals", jurisdiction="wulong",
                principal_name="李建国",
            )  # fmt: skip
            try:
                services.pipeline.execute(command, CommandContext(actor=OFFICE, idempotency_key=f"key-{n}"))
            except Exception as error:  # noqa: BLE001 — counted: every one is a failure of this test
                errors.append(repr(error))

    try:
        threads = [threading.Thread(target=writer, args=(t,)) for t in range(WRITERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert all(status.alive and status.last_error is None for status in workers.statuses), workers.statuses
        services.catch_up()
        registered = {credit_code(100 + n) for n in range(WRITERS * COMMANDS)}
        assert registered <= {e["credit_code"] for e in services.registers.enterprises(limit=1000)}
    finally:
        workers.close()
        services.close()
