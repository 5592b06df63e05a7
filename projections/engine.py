"""Runs projections over the event store's notification log: exactly once, resumable, rebuildable
blue/green.

* A projection's rows live in tables of a numbered version (``rm_hazards_v3``). One version is
  active (``projection_active``); queries read it.
* Each batch (up to ``batch_size`` events) is applied and the version's tracking position advanced
  in ONE read-model transaction. The batch starts by locking its tracking row (a row lock on
  PostgreSQL, the write lock on SQLite), so runners racing over one projection take turns and each
  reads the position the previous one committed: no event is applied twice, none is skipped.
* A rebuild builds version N+1 from the first event while version N keeps serving, then switches
  the active pointer in one transaction and drops version N.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from threading import Event
from typing import Any, NamedTuple, Protocol

from eventsourcing.persistence import ApplicationRecorder, Mapper
from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    insert,
    inspect,
    select,
    text,
    update,
)

registry = MetaData()

projection_active = Table(
    "projection_active",
    registry,
    Column("projection", String(64), primary_key=True),
    Column("version", Integer, nullable=False),
)

projection_tracking = Table(
    "projection_tracking",
    registry,
    Column("projection", String(64), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=True),
)


class Positioned(NamedTuple):
    """A domain event with its place in the log (notification id)."""

    position: int
    event: Any


class Tables(dict[str, Table]):
    """A projection version's tables by logical name: ``tables["hazards"]``."""


class Projection(Protocol):
    name: str

    def define(self, metadata: MetaData, suffix: str) -> Tables:
        """Declares the projection's tables, each name ending with ``suffix`` (e.g. ``_v2``)."""

    def apply_batch(self, conn: Connection, tables: Tables, events: Sequence[Positioned]) -> None:
        """Writes the effect of consecutive events (in log order, with their notification ids) on the rows.
        A projection with a true ``raw`` attribute receives the stored Notification objects instead."""


ProgressCallback = Callable[[int, int], None]
# A rebuild writes into tables nobody reads yet: bigger transactions, fewer round trips.
REBUILD_BATCH = 5000


@dataclass(frozen=True)
class Lag:
    events: int
    seconds: float


class ProjectionRunner:
    def __init__(
        self,
        engine: Engine,
        recorder: ApplicationRecorder,
        mapper: Mapper[Any],
        projection: Projection,
        batch_size: int = 1000,
    ) -> None:
        self.engine = engine
        self.recorder = recorder
        self.mapper = mapper
        self.projection = projection
        self.batch_size = batch_size
        self._tables: dict[int, Tables] = {}

    @property
    def name(self) -> str:
        return self.projection.name

    # ----- versions and tables -------------------------------------------------------------

    def tables(self, version: int | None = None) -> Tables:
        """The tables of a version (default: the active one), for queries."""
        version = self.active_version() if version is None else version
        if version not in self._tables:
            self._tables[version] = self.projection.define(MetaData(), f"_v{version}")
        return self._tables[version]

    def create_tables(self) -> None:
        """Creates the first version if this projection has none yet (the registry tables are the
        migrations', adapters/migrations/). When the projection now declares a table its active version
        lacks (a new read model in an upgrade), the version is rebuilt blue/green: the old one serves
        until the new one is complete."""
        with self.engine.begin() as conn:
            if conn.execute(select(projection_active.c.version).where(self._is_this_active())).first() is None:
                self._create_version(conn, 1)
                conn.execute(insert(projection_active).values(projection=self.name, version=1))
        if self._outdated():
            with exclusive(self.engine, f"rebuild:{self.name}"):
                if self._outdated():  # another process may have rebuilt it while this one waited
                    self.rebuild()

    def _outdated(self) -> bool:
        existing = set(inspect(self.engine).get_table_names())
        return any(table.name not in existing for table in self.tables().values())

    def _create_version(self, conn: Connection, version: int) -> None:
        tables = self.tables(version)
        for table in tables.values():
            table.create(conn, checkfirst=True)
        conn.execute(insert(projection_tracking).values(projection=self.name, version=version, position=0))

    def _is_this_active(self) -> Any:
        return projection_active.c.projection == self.name

    def active_version(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(projection_active.c.version).where(self._is_this_active())).scalar_one())

    def position(self, version: int | None = None) -> int:
        version = self.active_version() if version is None else version
        with self.engine.connect() as conn:
            return self._position(conn, version)

    def _position(self, conn: Connection, version: int) -> int:
        return int(
            conn.execute(
                select(projection_tracking.c.position).where(
                    projection_tracking.c.projection == self.name, projection_tracking.c.version == version
                )
            ).scalar_one()
        )

    def lag(self) -> Lag:
        """How far the active version is behind the log: events, and seconds since the oldest
        unprojected event was recorded."""
        position = self.position()
        head = self.recorder.max_notification_id() or 0
        if head <= position:
            return Lag(0, 0.0)
        first = self.recorder.select_notifications(start=position, limit=1, inclusive_of_start=False)
        recorded = self.mapper.to_domain_event(first[0]).timestamp if first else datetime.now(UTC)
        return Lag(head - position, max(0.0, (datetime.now(UTC) - recorded).total_seconds()))

    # ----- running -------------------------------------------------------------------------

    def due(self) -> bool:
        """Live mode: a projection with ``linger_seconds`` (e.g. the Merkle log) catches up at most that
        often, so a steady stream of commits is applied in a few large batches, not one transaction each."""
        linger = getattr(self.projection, "linger_seconds", 0.0)
        if not linger:
            return True
        now = time.monotonic()
        if now - getattr(self, "_last_live", 0.0) < linger:
            return False
        self._last_live = now
        return True

    def catch_up(self, progress: ProgressCallback | None = None) -> int:
        """Projects everything recorded so far into the active version; returns events applied."""
        return self._catch_up(self.active_version(), progress)

    def _catch_up(
        self, version: int, progress: ProgressCallback | None, batch_size: int | None = None, rebuilding: bool = False
    ) -> int:
        applied = 0
        analysed_at = REBUILD_BATCH
        head = self.recorder.max_notification_id() or 0
        while True:
            done, position = self._run_batch(version, batch_size or self.batch_size)
            if done == 0:
                return applied
            applied += done
            if rebuilding and applied >= 2 * analysed_at:
                # Tables that grow from empty keep the planner's empty-table plans (sequential scans of
                # ever larger tables for each batch's row lookups) until they are analysed.
                self._analyse(version)
                analysed_at = applied
            if progress:
                progress(position, max(head, position))

    def _analyse(self, version: int) -> None:
        with self.engine.connect() as conn:
            for table in self.tables(version).values():
                conn.exec_driver_sql(f'ANALYZE "{table.name}"')
            conn.commit()

    def _run_batch(self, version: int, batch_size: int) -> tuple[int, int]:
        this = (projection_tracking.c.projection == self.name) & (projection_tracking.c.version == version)
        with self.engine.begin() as conn:
            locked = conn.execute(update(projection_tracking).where(this).values(position=projection_tracking.c.position))
            if locked.rowcount == 0:
                return 0, 0  # this version was dropped by a rebuild; the caller reads the active one again
            start = self._position(conn, version)
            notifications = self.recorder.select_notifications(start=start, limit=batch_size, inclusive_of_start=False)
            if not notifications:
                return 0, start
            if getattr(self.projection, "raw", False):  # e.g. the Merkle log (audit/log.py): stored bytes, not decoded
                events = [Positioned(n.id, n) for n in notifications]
            else:
                events = [Positioned(n.id, self.mapper.to_domain_event(n)) for n in notifications]
            self.projection.apply_batch(conn, self.tables(version), events)
            last = notifications[-1].id
            conn.execute(update(projection_tracking).where(this).values(position=last, updated_at=datetime.now(UTC)))
            return len(notifications), last

    def rebuild(self, progress: ProgressCallback | None = None) -> int:
        """Blue/green: builds a new version from the first event while the active one keeps serving,
        then switches the active pointer in one transaction. The previous version stays (a fallback,
        and safe for queries already reading it) until the next rebuild drops it. Returns events applied."""
        old = self.active_version()
        for stale in self._versions():
            if stale != old:
                self._drop_version(stale)  # an earlier fallback, or a rebuild that died half-way
        new = max(self._versions()) + 1
        with self.engine.begin() as conn:
            self._create_version(conn, new)
        applied = self._catch_up(new, progress, batch_size=REBUILD_BATCH, rebuilding=True)
        self._analyse(new)  # queries of the new version get plans for its real size from the first request
        with self.engine.begin() as conn:
            conn.execute(update(projection_active).where(self._is_this_active()).values(version=new))
        # Whatever arrived between the last batch and the switch is ordinary lag, caught up here or live.
        return applied + self._catch_up(new, progress)

    def _drop_version(self, version: int) -> None:
        with self.engine.begin() as conn:
            for table in self.tables(version).values():
                table.drop(conn, checkfirst=True)
            conn.execute(
                projection_tracking.delete().where(
                    projection_tracking.c.projection == self.name, projection_tracking.c.version == version
                )
            )
        self._tables.pop(version, None)

    def _versions(self) -> list[int]:
        with self.engine.connect() as conn:
            return list(
                conn.execute(select(projection_tracking.c.version).where(projection_tracking.c.projection == self.name)).scalars()
            )


@contextmanager
def exclusive(engine: Engine, key: str) -> Iterator[None]:
    """One process at a time (a PostgreSQL session advisory lock; SQLite serves one process)."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(hashtext(:key))"), {"key": key})
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(hashtext(:key))"), {"key": key})
            conn.commit()


def follow(runners: Sequence[ProjectionRunner], wait: Callable[[float], None], stop: Event) -> None:
    """Live mode: catch every runner up, then sleep until woken by new events (or a second passes)."""
    while not stop.is_set():
        if sum(runner.catch_up() for runner in runners if runner.due()) == 0:
            wait(1.0)


def polling_wait(poll_seconds: float) -> Callable[[float], None]:
    """SQLite has no notifications: look again after a short pause."""

    def wait(_timeout: float) -> None:
        time.sleep(poll_seconds)

    return wait


def wait_for_leadership(conninfo: str, key: str, stop: Event, standby: Callable[[], None]) -> Any:
    """PostgreSQL: hold a session advisory lock so one worker is active and the others stand by.
    Returns the connection that holds the lock (closing it releases the lock)."""
    import psycopg

    conn = psycopg.connect(conninfo, autocommit=True)
    announced = False
    while not stop.is_set():
        if conn.execute("SELECT pg_try_advisory_lock(hashtext(%s))", (key,)).fetchone()[0]:  # type: ignore[index]
            return conn
        if not announced:
            standby()
            announced = True
        stop.wait(2.0)
    conn.close()
    return None


def listen_wait(conninfo: str, channel: str) -> Callable[[float], None]:
    """PostgreSQL: sleep until the event store NOTIFYs its channel (on every commit), or the timeout."""
    import psycopg
    from psycopg import sql

    conn = psycopg.connect(conninfo, autocommit=True)
    conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))

    def wait(timeout: float) -> None:
        for _ in conn.notifies(timeout=timeout, stop_after=1):
            pass

    return wait
