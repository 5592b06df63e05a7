"""The event store's recorders, extended to write the command pipeline's idempotency record in the
transaction that stores a command's events (``adapters/idempotency.py``), and on PostgreSQL to commit
concurrent commands together (``adapters/group_commit.py``).

They are the library's application recorders with these additions; the library picks them through
its documented ``APPLICATION_RECORDER_TOPIC`` setting (``app/settings.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL

from adapters.group_commit import GroupCommit, Part
from adapters.idempotency import INSERT_COLUMNS, IdempotencyClaim

INSERT_CALL = 'SELECT notification_id FROM "public"."hazardledger_insert_events"(%s)'
CLAIM = "idempotency"  # the keyword the pipeline's unit of work passes to the store
_CLAIMS = "claims"  # the claims of a group, each with its command's events


class LedgerPostgresRecorder(PostgresApplicationRecorder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._group = GroupCommit(self._insert_together)

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        return self._group.submit(stored_events, kwargs)

    def _insert_together(self, parts: Sequence[Part]) -> Sequence[int] | None:
        """One transaction for the events of several commands, in order, with their idempotency claims."""
        claims = [(kwargs[CLAIM], events) for events, kwargs in parts if kwargs.get(CLAIM) is not None and events]
        return super().insert_events([e for events, _ in parts for e in events], **{_CLAIMS: claims})

    def _insert_events(self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any) -> None:
        # In the recorder's pipeline and transaction: a second claim of a key fails the whole insert.
        for claim, events in kwargs.get(_CLAIMS, ()):
            curs.execute(f"INSERT INTO idempotency_keys {INSERT_COLUMNS} VALUES (%s, %s, %s, %s, %s::json)", claim.row(events))
        super()._insert_events(curs, stored_events, **kwargs)

    def _insert_stored_events(self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any) -> None:
        # One call (migration 0003): the table lock is taken once the whole payload is on the server, not
        # before it is sent, as the library's pipelined LOCK TABLE + INSERT does.
        curs.execute(SQL("SET LOCAL lock_timeout = '{0}s'").format(self.datastore.lock_timeout), prepare=True)
        events = [self.construct_pg_stored_event(e.originator_id, e.originator_version, e.topic, e.state) for e in stored_events]
        curs.execute(INSERT_CALL, (events,), prepare=True)

    def _fetch_ids_after_insert_events(self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **_: Any) -> list[int]:
        ids = [row["notification_id"] for row in curs.fetchall()]
        assert len(ids) == len(stored_events), f"{len(ids)} notification ids for {len(stored_events)} events"
        return ids


class LedgerSQLiteRecorder(SQLiteApplicationRecorder):
    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        claim: IdempotencyClaim | None = kwargs.get(CLAIM)
        if claim is not None and stored_events:
            c.execute(f"INSERT INTO idempotency_keys {INSERT_COLUMNS} VALUES (?, ?, ?, ?, ?)", claim.row(stored_events))
        return super()._insert_events(c, stored_events, **kwargs)
