"""The advisory-lock helpers: one process at a time across hosts (a PostgreSQL session advisory lock).

SQLite serves one host, where the store's own write lock and the domain's refusals keep concurrent runs
exactly-once: there the lock is always granted.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from threading import Event

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

STANDBY_POLL_SECONDS = 1.0  # a standby takes over within about this long of the lock's release
WATCH_SECONDS = 2.0  # how often the active process checks that its lock's session is still there
# The lock's session asks the server to probe an idle client: the lock of a host that vanished without
# closing its connection (power loss, a partition) is freed after ≈ 10 + 3 × 5 s, not the system's hours.
KEEPALIVE = "SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3"


class LeadershipLost(RuntimeError):
    """The session holding a worker's lock ended (the server restarted, the connection broke): another
    process may be active by now, so this one stops."""


@contextmanager
def advisory_lock(engine: Engine, key: str) -> Iterator[None]:
    """Holds the lock named ``key`` for the body, waiting for it."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(hashtext(:key))"), {"key": key})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(hashtext(:key))"), {"key": key})
            conn.commit()


@contextmanager
def leadership(engine: Engine, key: str, stop: Event, standby: Callable[[], None]) -> Iterator[bool]:
    """One active worker, the others standing by: yields True once this process holds ``key`` (for the
    body), or False when ``stop`` is set first. ``standby`` is called once, when another holds it. Should
    the lock's session end while the body runs, ``stop`` is set and LeadershipLost raised after the body."""
    if engine.dialect.name != "postgresql":
        yield True
        return
    announced = False
    while not stop.is_set():
        with engine.connect() as conn:
            conn.exec_driver_sql(KEEPALIVE)
            if conn.execute(text("SELECT pg_try_advisory_lock(hashtext(:key))"), {"key": key}).scalar():
                conn.commit()
                lost, watch = _watch(conn, stop)
                try:
                    yield True
                finally:
                    stop.set()  # the body is over (or failed): the watch ends before the connection is used here
                    watch.join()
                    if lost.is_set() or not _alive(conn):
                        raise LeadershipLost(f"the session holding {key} ended")
                    conn.execute(text("SELECT pg_advisory_unlock(hashtext(:key))"), {"key": key})
                    conn.commit()
                return
            conn.rollback()
        if not announced:
            standby()
            announced = True
        stop.wait(STANDBY_POLL_SECONDS)
    yield False


def _watch(conn: Connection, stop: Event) -> tuple[Event, threading.Thread]:
    """Checks the lock's session every WATCH_SECONDS until ``stop``; when it is gone, sets the returned
    event and ``stop`` (the body's workers end)."""
    lost = Event()

    def watching() -> None:
        while not stop.wait(WATCH_SECONDS):
            if not _alive(conn):
                lost.set()
                stop.set()

    thread = threading.Thread(target=watching, name="hazard-ledger:lock-watch", daemon=True)
    thread.start()
    return lost, thread


def _alive(conn: Connection) -> bool:
    try:
        conn.execute(text("SELECT 1"))
        conn.commit()
        return True
    except SQLAlchemyError:
        return False
