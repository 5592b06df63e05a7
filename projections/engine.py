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
from collections.abc import Callable, Sequence
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
    update,
)

from projections.locks import advisory_lock

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
            with advisory_lock(self.engine, f"rebuild:{self.name}"):
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
        return catch_up_together([self], progress)

    def rebuild(self, progress: ProgressCallback | None = None) -> int:
        """Blue/green: builds a new version from the first event while the active one keeps serving,
        then switches the active pointer in one transaction (``rebuild_together``)."""
        return rebuild_together([self], progress)

    def _analyse(self, version: int) -> None:
        with self.engine.connect() as conn:
            for table in self.tables(version).values():
                conn.exec_driver_sql(f'ANALYZE "{table.name}"')
            conn.commit()

    def _tracking(self, version: int) -> Any:
        return (projection_tracking.c.projection == self.name) & (projection_tracking.c.version == version)

    def _lock(self, conn: Connection, version: int) -> bool:
        """Locks the version's tracking row for this transaction (False: the version was dropped)."""
        this = self._tracking(version)
        return bool(
            conn.execute(update(projection_tracking).where(this).values(position=projection_tracking.c.position)).rowcount
        )

    def _prepare_rebuild(self) -> int:
        """Drops every version but the active one, creates the next: its number."""
        old = self.active_version()
        for stale in self._versions():
            if stale != old:
                self._drop_version(stale)  # an earlier fallback, or a rebuild that died half-way
        new = max(self._versions()) + 1
        with self.engine.begin() as conn:
            self._create_version(conn, new)
        return new

    def _switch(self, conn: Connection, version: int) -> None:
        conn.execute(update(projection_active).where(self._is_this_active()).values(version=version))

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


Target = tuple[ProjectionRunner, int]  # a read model and the version to write


def run_batch(targets: Sequence[Target], batch_size: int) -> tuple[int, int]:
    """ONE pass over the next events for several read models: each event is read and decoded once and
    applied to every target that has not yet seen it, and every target's position advances, all in one
    read-model transaction (each tracking row locked first, so racing workers take turns). Returns
    (events read, last position)."""
    first = targets[0][0]
    with first.engine.begin() as conn:
        positions = {
            (runner, version): runner._position(conn, version) for runner, version in targets if runner._lock(conn, version)
        }
        if not positions:
            return 0, 0  # every version was dropped by a rebuild; the caller reads the active ones again
        start = min(positions.values())
        notifications = first.recorder.select_notifications(start=start, limit=batch_size, inclusive_of_start=False)
        if not notifications:
            return 0, start
        decoded: list[Positioned] | None = None
        for (runner, version), position in positions.items():
            if getattr(runner.projection, "raw", False):  # e.g. the Merkle log (audit/log.py): stored bytes
                events = [Positioned(n.id, n) for n in notifications if n.id > position]
            else:
                if decoded is None:
                    decoded = [Positioned(n.id, first.mapper.to_domain_event(n)) for n in notifications]
                events = [p for p in decoded if p.position > position]
            if events:
                runner.projection.apply_batch(conn, runner.tables(version), events)
                conn.execute(
                    update(projection_tracking)
                    .where(runner._tracking(version))
                    .values(position=events[-1].position, updated_at=datetime.now(UTC))
                )
        return len(notifications), notifications[-1].id


def _run(targets: Callable[[], list[Target]], batch_size: int, progress: ProgressCallback | None, analyse: bool = False) -> int:
    """Batches until the log is exhausted; ``targets`` is asked again each batch (a rebuild elsewhere may
    switch a read model's active version). A rebuild analyses its growing tables as they double."""
    applied = 0
    analysed_at = REBUILD_BATCH
    chosen = targets()
    if not chosen:
        return 0
    head = chosen[0][0].recorder.max_notification_id() or 0
    while chosen:
        done, position = run_batch(chosen, batch_size)
        if done == 0:
            return applied
        applied += done
        if analyse and applied >= 2 * analysed_at:
            # Tables that grow from empty keep the planner's empty-table plans (sequential scans of ever
            # larger tables for each batch's row lookups) until they are analysed.
            for runner, version in chosen:
                runner._analyse(version)
            analysed_at = applied
        if progress:
            progress(position, max(head, position))
        chosen = targets()
    return applied


def catch_up_together(runners: Sequence[ProjectionRunner], progress: ProgressCallback | None = None) -> int:
    """Brings the active versions of ``runners`` up to the last recorded event in one pass; returns the
    events read."""
    if not runners:
        return 0
    return _run(lambda: [(r, r.active_version()) for r in runners], min(r.batch_size for r in runners), progress)


def rebuild_together(runners: Sequence[ProjectionRunner], progress: ProgressCallback | None = None) -> int:
    """Blue/green rebuild of several read models in ONE pass over the log: a new version of each is built
    from the first event while the active ones keep serving, analysed, then all switched in one
    transaction. The previous versions stay (a fallback, and safe for queries already reading them) until
    the next rebuild drops them. Returns the events read."""
    if not runners:
        return 0
    fresh = [(runner, runner._prepare_rebuild()) for runner in runners]
    applied = _run(lambda: fresh, REBUILD_BATCH, progress, analyse=True)
    for runner, version in fresh:
        runner._analyse(version)  # queries of the new version get plans for its real size from the first request
    with runners[0].engine.begin() as conn:
        for runner, version in fresh:
            runner._switch(conn, version)
    # Whatever arrived between the last batch and the switch is ordinary lag, caught up here or live.
    return applied + catch_up_together(runners, progress)


def follow(runners: Sequence[ProjectionRunner], wait: Callable[[float], None], stop: Event) -> None:
    """Live mode: catch the due runners up together, then sleep until woken by new events (or a second)."""
    while not stop.is_set():
        if catch_up_together([runner for runner in runners if runner.due()]) == 0:
            wait(1.0)


def polling_wait(poll_seconds: float) -> Callable[[float], None]:
    """SQLite has no notifications: look again after a short pause."""

    def wait(_timeout: float) -> None:
        time.sleep(poll_seconds)

    return wait


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
