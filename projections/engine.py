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
* An event a read model cannot apply is a bug in that read model: it stops there (the others go on),
  the event's position and the error are recorded on its tracking row (``/api/v1/health`` reports it,
  status ``degraded``), and it is tried again after ``RETRY_STALLED_SECONDS`` or by a new process (once
  fixed). A database that is unreachable is not such a bug: that error ends the pass for all.
"""

from __future__ import annotations

import logging
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
    Text,
    exc,
    insert,
    inspect,
    select,
    update,
)

from projections.locks import advisory_lock

log = logging.getLogger("hazard_ledger.projections")

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
    # Set while the version is stopped at an event it cannot apply (migration 0002).
    Column("failed_position", BigInteger, nullable=True),
    Column("failed_error", Text, nullable=True),
    Column("failed_at", DateTime(timezone=True), nullable=True),
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


@dataclass(frozen=True)
class Stall:
    """A read model version stopped at an event it cannot apply."""

    version: int
    position: int  # the event it cannot apply
    error: str
    since: datetime


class ProjectionStalled(Exception):
    """Read models stopped at events they cannot apply: what they show is behind the log."""

    def __init__(self, stalls: dict[str, Stall]) -> None:
        self.stalls = stalls
        super().__init__("; ".join(f"{name} v{s.version} stopped at event {s.position}: {s.error}" for name, s in stalls.items()))


class _ApplyFailed(Exception):
    def __init__(self, target: Target, error: BaseException) -> None:
        super().__init__(str(error))
        self.target, self.error = target, error


# The database gone or busy: every read model's pass ends and its worker retries; not a read model's bug.
UNAVAILABLE = (exc.OperationalError, exc.InterfaceError)
RETRY_STALLED_SECONDS = 60.0
ERROR_TEXT = 2000  # characters of a stall's error kept


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
        self.retry_stalled_seconds = RETRY_STALLED_SECONDS
        self._tables: dict[int, Tables] = {}
        self._held: dict[int, float] = {}  # version -> when this process tries its failed event again

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
        lacks, or a column (a new read model or a new column in an upgrade), the version is rebuilt blue/green: the old one serves
        until the new one is complete."""
        # Processes starting together (compose's API, workers and standbys) would race to create the same
        # tables: one creates them, the others wait and find them.
        with advisory_lock(self.engine, f"rebuild:{self.name}"), self.engine.begin() as conn:
            if conn.execute(select(projection_active.c.version).where(self._is_this_active())).first() is None:
                self._create_version(conn, 1)
                conn.execute(insert(projection_active).values(projection=self.name, version=1))
        if self._outdated():
            with advisory_lock(self.engine, f"rebuild:{self.name}"):
                if self._outdated():  # another process may have rebuilt it while this one waited
                    self.rebuild()

    def _outdated(self) -> bool:
        """The active version lacks a table or a column the code declares."""
        inspector = inspect(self.engine)
        existing = set(inspector.get_table_names())
        for table in self.tables().values():
            if table.name not in existing:
                return True
            if {c.name for c in table.columns} - {c["name"] for c in inspector.get_columns(table.name)}:
                return True
        return False

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
            position = self._position(conn, version)
        assert position is not None, f"{self.name} has no version {version}"
        return position

    def _position(self, conn: Connection, version: int) -> int | None:
        """The version's position (None: the version was dropped)."""
        position = conn.execute(select(projection_tracking.c.position).where(self._tracking(version))).scalar()
        return None if position is None else int(position)

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

    # ----- a read model that cannot apply an event ---------------------------------------

    def stall(self, version: int | None = None) -> Stall | None:
        """Where the version (default: the active one) stopped, if it did."""
        version = self.active_version() if version is None else version
        with self.engine.connect() as conn:
            row = conn.execute(select(*_STALL_COLUMNS).where(self._tracking(version))).first()
        return _stall(row)

    def ready(self, version: int) -> bool:
        """False while this process waits before trying a version's failed event again."""
        return time.monotonic() >= self._held.get(version, 0.0)

    def _stop_at_failure(self, version: int, error: BaseException) -> None:
        """Records that the version cannot apply the event after its position, and holds it here."""
        position = self.position(version)
        failed = self.recorder.select_notifications(start=position, limit=1, inclusive_of_start=False)
        at = failed[0].id if failed else position + 1
        text = f"{type(error).__name__}: {error}"[:ERROR_TEXT]
        with self.engine.begin() as conn:
            conn.execute(
                update(projection_tracking)
                .where(self._tracking(version))
                .values(failed_position=at, failed_error=text, failed_at=datetime.now(UTC))
            )
        self._held[version] = time.monotonic() + self.retry_stalled_seconds
        log.error("read model %s v%s stopped at event %s: %s", self.name, version, at, text)

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

_STALL_COLUMNS = (
    projection_tracking.c.version,
    projection_tracking.c.failed_position,
    projection_tracking.c.failed_error,
    projection_tracking.c.failed_at,
)


def _stall(row: Any) -> Stall | None:
    if row is None or row.failed_position is None:
        return None
    return Stall(int(row.version), int(row.failed_position), str(row.failed_error), row.failed_at)


def stalled(engine: Engine, active_only: bool = True) -> dict[str, Stall]:
    """Every read model stopped at an event it cannot apply, in its active version (or, with
    ``active_only=False``, also in a rebuild that could not be switched to), in one query."""
    query = select(projection_tracking.c.projection, *_STALL_COLUMNS).where(projection_tracking.c.failed_position.is_not(None))
    if active_only:
        query = query.join(
            projection_active,
            (projection_active.c.projection == projection_tracking.c.projection)
            & (projection_active.c.version == projection_tracking.c.version),
        )
    with engine.connect() as conn:
        return {row.projection: stall for row in conn.execute(query) if (stall := _stall(row)) is not None}


def run_batch(targets: Sequence[Target], batch_size: int) -> tuple[int, int]:
    """ONE pass over the next events for several read models: each event is read and decoded once and
    applied to every target that has not yet seen it, and every target's position advances, all in one
    read-model transaction (each tracking row locked first, so racing workers take turns). Returns
    (events read, last position).

    The events are read before the tracking rows are locked: on SQLite that lock is the database's one
    write lock, and a command waiting for it holds the event store's writer slot, which the read would
    then wait for. Positions are read again under the lock; events a racing worker applied meanwhile
    are skipped (the events read are consecutive from the lowest position, so none is missed)."""
    first = targets[0][0]
    with first.engine.connect() as conn:
        before = [position for runner, version in targets if (position := runner._position(conn, version)) is not None]
    if not before:
        return 0, 0  # every version was dropped by a rebuild; the caller reads the active ones again
    start = min(before)
    notifications = first.recorder.select_notifications(start=start, limit=batch_size, inclusive_of_start=False)
    if not notifications:
        return 0, start
    with first.engine.begin() as conn:
        positions = {
            (runner, version): runner._position(conn, version) for runner, version in targets if runner._lock(conn, version)
        }
        decoded: list[Positioned] | None = None
        for (runner, version), position in positions.items():
            if getattr(runner.projection, "raw", False):  # e.g. the Merkle log (audit/log.py): stored bytes
                events = [Positioned(n.id, n) for n in notifications if n.id > position]
            else:
                if decoded is None:
                    decoded = [Positioned(n.id, first.mapper.to_domain_event(n)) for n in notifications]
                events = [p for p in decoded if p.position > position]
            if events:
                try:
                    runner.projection.apply_batch(conn, runner.tables(version), events)
                except UNAVAILABLE:
                    raise
                except Exception as error:  # a bug of this read model: the whole batch rolls back, then _isolate
                    raise _ApplyFailed((runner, version), error) from error
                conn.execute(
                    update(projection_tracking)
                    .where(runner._tracking(version))
                    .values(
                        position=events[-1].position,
                        updated_at=datetime.now(UTC),
                        failed_position=None,
                        failed_error=None,
                        failed_at=None,
                    )
                )
        return len(notifications), notifications[-1].id


def _isolate(target: Target, batch_size: int) -> None:
    """A read model failed on one of a batch's events (nothing of the batch was kept): it applies the
    events it can on its own, in halving batches, up to the one it cannot apply, and stops there."""
    runner, version = target
    size = max(1, batch_size // 2)
    while True:
        try:
            done, _ = run_batch([target], size)
        except _ApplyFailed as failure:
            if size == 1:
                runner._stop_at_failure(version, failure.error)
                return
            size = max(1, size // 2)
            continue
        if done == 0:
            return  # it applied everything on its own: the failure came from the batch's makeup


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
        try:
            done, position = run_batch(chosen, batch_size)
        except _ApplyFailed as failure:
            _isolate(failure.target, batch_size)
            chosen = targets()  # without the stopped one: the others go on
            continue
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

    def targets() -> list[Target]:
        active = [(runner, runner.active_version()) for runner in runners]
        return [(runner, version) for runner, version in active if runner.ready(version)]

    return _run(targets, min(r.batch_size for r in runners), progress)


def rebuild_together(runners: Sequence[ProjectionRunner], progress: ProgressCallback | None = None) -> int:
    """Blue/green rebuild of several read models in ONE pass over the log: a new version of each is built
    from the first event while the active ones keep serving, analysed, then all switched in one
    transaction. The previous versions stay (a fallback, and safe for queries already reading them) until
    the next rebuild drops them. Returns the events read."""
    if not runners:
        return 0
    fresh = [(runner, runner._prepare_rebuild()) for runner in runners]
    applied = _run(lambda: [(r, v) for r, v in fresh if r.ready(v)], REBUILD_BATCH, progress, analyse=True)
    # A new version stopped at an event it cannot apply is not switched to: the active one keeps serving.
    complete = [(runner, version) for runner, version in fresh if runner.stall(version) is None]
    for runner, version in complete:
        runner._analyse(version)  # queries of the new version get plans for its real size from the first request
    with runners[0].engine.begin() as conn:
        for runner, version in complete:
            runner._switch(conn, version)
    # Whatever arrived between the last batch and the switch is ordinary lag, caught up here or live.
    applied += catch_up_together(runners, progress)
    if failed := {runner.name: stall for runner, version in fresh if (stall := runner.stall(version)) is not None}:
        raise ProjectionStalled(failed)  # those keep their active version; the others were switched
    return applied


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
