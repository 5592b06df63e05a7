"""The one advisory-lock helper: one process at a time across hosts (a PostgreSQL session advisory lock).

SQLite serves one host, where the store's own write lock and the domain's refusals keep concurrent runs
exactly-once: there the lock is always granted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from threading import Event

from sqlalchemy import Engine, text

STANDBY_POLL_SECONDS = 1.0  # a standby takes over within about this long of the lock's release


@contextmanager
def advisory_lock(engine: Engine, key: str, *, wait: bool = True) -> Iterator[bool]:
    """Holds the lock named ``key`` for the body; ``wait=False`` does not queue for it and yields False
    when another session holds it."""
    if engine.dialect.name != "postgresql":
        yield True
        return
    with engine.connect() as conn:
        if wait:
            conn.execute(text("SELECT pg_advisory_lock(hashtext(:key))"), {"key": key})
            got = True
        else:
            got = bool(conn.execute(text("SELECT pg_try_advisory_lock(hashtext(:key))"), {"key": key}).scalar())
        conn.commit()
        try:
            yield got
        finally:
            if got:
                conn.execute(text("SELECT pg_advisory_unlock(hashtext(:key))"), {"key": key})
                conn.commit()


@contextmanager
def leadership(engine: Engine, key: str, stop: Event, standby: Callable[[], None]) -> Iterator[bool]:
    """One active worker, the others standing by: yields True once this process holds ``key`` (for the
    body), or False when ``stop`` is set first. ``standby`` is called once, when another holds it."""
    announced = False
    while not stop.is_set():
        with advisory_lock(engine, key, wait=False) as got:
            if got:
                yield True
                return
        if not announced:
            standby()
            announced = True
        stop.wait(STANDBY_POLL_SECONDS)
    yield False
