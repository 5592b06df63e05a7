"""The event store's recorders, extended to write the command pipeline's idempotency record in the
transaction that stores a command's events (``adapters/idempotency.py``), and on PostgreSQL to commit
concurrent commands together (``adapters/group_commit.py``).

They are the library's application recorders with these additions; the library picks them through
its documented ``APPLICATION_RECORDER_TOPIC`` setting (``app/settings.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor
from eventsourcing.utils import retry
from psycopg.sql import SQL

from adapters.group_commit import GroupCommit, Part
from adapters.idempotency import INSERT_COLUMNS, IdempotencyClaim

INSERT_CALL = 'SELECT notification_id FROM "public"."hazardledger_insert_events"(%s)'
CLAIM_INSERT = f"INSERT INTO idempotency_keys {INSERT_COLUMNS} VALUES (%s, %s, %s, %s, %s::json)"
CLAIM = "idempotency"  # the keyword the pipeline's unit of work passes to the store


class LedgerPostgresRecorder(PostgresApplicationRecorder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._group = GroupCommit(self._insert_together)

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        return self._group.submit(stored_events, kwargs)

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)  # as the library's insert_events
    def _insert_together(self, parts: Sequence[Part]) -> Sequence[int] | None:
        """One transaction for the events of several commands, in order, with their idempotency claims (a
        second claim of a key fails the whole transaction). The events go in one call of the insert function
        (migration 0003), which takes the table lock once the whole payload is on the server, not before it is
        sent as the library's pipelined LOCK TABLE + INSERT does. No pipeline: a failed claim is an
        IntegrityError here, never a later PipelineAborted at commit."""
        events = [e for events, _ in parts for e in events]
        rows = [self.construct_pg_stored_event(e.originator_id, e.originator_version, e.topic, e.state) for e in events]
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            for events_of_command, kwargs in parts:
                claim: IdempotencyClaim | None = kwargs.get(CLAIM)
                if claim is not None and events_of_command:
                    curs.execute(CLAIM_INSERT, claim.row(events_of_command), prepare=True)
            if not rows:
                return []
            curs.execute(SQL("SET LOCAL lock_timeout = '{0}s'").format(self.datastore.lock_timeout), prepare=True)
            curs.execute(INSERT_CALL, (rows,), prepare=True)
            ids = [row["notification_id"] for row in curs.fetchall()]
        assert len(ids) == len(events), f"{len(ids)} notification ids for {len(events)} events"
        return ids


class LedgerSQLiteRecorder(SQLiteApplicationRecorder):
    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        claim: IdempotencyClaim | None = kwargs.get(CLAIM)
        if claim is not None and stored_events:
            c.execute(f"INSERT INTO idempotency_keys {INSERT_COLUMNS} VALUES (?, ?, ?, ?, ?)", claim.row(stored_events))
        return super()._insert_events(c, stored_events, **kwargs)
