"""Runs projections over the event store's notification log, exactly once.

Each batch of events is applied and the projection's tracking position advanced in ONE read-model
transaction. The batch starts by locking its tracking row (a row lock on PostgreSQL, the write lock
on SQLite), so runners racing over one projection take turns and each reads the position the
previous one committed: no event is applied twice, none is skipped.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any, Protocol

from eventsourcing.persistence import ApplicationRecorder, Mapper
from sqlalchemy import Connection, Engine, insert, select, update

from projections.tables import metadata, projection_tracking


class Projection(Protocol):
    name: str

    def apply(self, conn: Connection, domain_event: Any) -> None:
        """Writes the event's effect on the view rows (ignores events it does not read)."""

    def reset(self, conn: Connection) -> None:
        """Deletes all its rows (for a rebuild)."""


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

    def create_tables(self) -> None:
        metadata.create_all(self.engine)
        with self.engine.begin() as conn:
            if self._position(conn) is None:
                conn.execute(insert(projection_tracking).values(projection=self.projection.name, position=0))

    def _position(self, conn: Connection) -> int | None:
        return conn.execute(
            select(projection_tracking.c.position).where(projection_tracking.c.projection == self.projection.name)
        ).scalar_one_or_none()

    def position(self) -> int:
        with self.engine.connect() as conn:
            return self._position(conn) or 0

    def lag(self) -> int:
        """Events recorded but not yet projected."""
        return max(0, (self.recorder.max_notification_id() or 0) - self.position())

    def catch_up(self) -> int:
        """Projects everything recorded so far; returns the number of events applied."""
        applied = 0
        while True:
            done = self._run_batch()
            if done == 0:
                return applied
            applied += done

    def _run_batch(self) -> int:
        this = projection_tracking.c.projection == self.projection.name
        with self.engine.begin() as conn:
            conn.execute(update(projection_tracking).where(this).values(position=projection_tracking.c.position))
            start = self._position(conn) or 0
            notifications: Sequence[Any] = self.recorder.select_notifications(
                start=start, limit=self.batch_size, inclusive_of_start=False
            )
            if not notifications:
                return 0
            for notification in notifications:
                self.projection.apply(conn, self.mapper.to_domain_event(notification))
            conn.execute(update(projection_tracking).where(this).values(position=notifications[-1].id))
            return len(notifications)

    def rebuild(self) -> int:
        with self.engine.begin() as conn:
            self.projection.reset(conn)
            conn.execute(
                update(projection_tracking).where(projection_tracking.c.projection == self.projection.name).values(position=0)
            )
        return self.catch_up()

    def run_forever(self, poll_seconds: float = 0.5, stop: Any = None) -> None:
        """Live mode by polling (SQLite has no subscription; PostgreSQL polls the same way for now)."""
        while stop is None or not stop.is_set():
            if self.catch_up() == 0:
                time.sleep(poll_seconds)
