"""The workers' advisory lock (projections/locks.leadership) on PostgreSQL: released when the body fails,
and an active process whose lock's session ends stops instead of running beside the one taking over."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import create_engine, text

from projections.locks import WATCH_SECONDS, LeadershipLost, leadership

pytestmark = pytest.mark.postgres
KEY = "hazard-ledger:test-worker"


def _leads_at_once(engine) -> bool:  # type: ignore[no-untyped-def]
    stop = threading.Event()
    with leadership(engine, KEY, stop, lambda: stop.set()) as leading:  # standing by: give up at once
        return leading


def test_a_failing_body_releases_the_lock(postgres_url: str) -> None:
    engine = create_engine("postgresql+psycopg://" + postgres_url.split("://", 1)[1])
    try:
        with pytest.raises(RuntimeError), leadership(engine, KEY, threading.Event(), lambda: None) as leading:
            assert leading
            raise RuntimeError("a worker's start failed")
        assert _leads_at_once(engine)  # another session gets it: the pooled connection kept no lock
    finally:
        engine.dispose()


def test_an_active_process_whose_lock_session_ends_stops(postgres_url: str) -> None:
    engine = create_engine("postgresql+psycopg://" + postgres_url.split("://", 1)[1])
    stop, held, outcome = threading.Event(), threading.Event(), []

    def active() -> None:
        try:
            with leadership(engine, KEY, stop, lambda: None):
                held.set()
                while not stop.wait(0.05):
                    pass
            outcome.append("returned")
        except LeadershipLost as lost:
            outcome.append(lost)

    worker = threading.Thread(target=active)
    worker.start()
    try:
        assert held.wait(30)
        assert not _leads_at_once(engine)
        with engine.connect() as conn:  # the server ends the lock's session (a restart, a broken connection)
            ended = conn.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND database = "
                "(SELECT oid FROM pg_database WHERE datname = current_database())")).scalars().all()  # fmt: skip
        assert ended == [True]
        began = time.monotonic()
        worker.join(WATCH_SECONDS + 10)
        assert stop.is_set() and isinstance(outcome[0], LeadershipLost), outcome
        assert time.monotonic() - began <= WATCH_SECONDS + 5
        assert _leads_at_once(engine)  # a standby takes it over
    finally:
        stop.set()
        worker.join(10)
        engine.dispose()
