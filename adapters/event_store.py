"""The event store's recorders, extended to write the command pipeline's idempotency record in the
transaction that stores a command's events (``adapters/idempotency.py``).

They are the library's application recorders with one addition each; the library picks them through
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

from adapters.idempotency import INSERT_COLUMNS, IdempotencyClaim

CLAIM = "idempotency"  # the keyword the pipeline's unit of work passes to the store


class LedgerPostgresRecorder(PostgresApplicationRecorder):
    def _insert_events(self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any) -> None:
        claim: IdempotencyClaim | None = kwargs.get(CLAIM)
        if claim is not None and stored_events:
            # In the recorder's pipeline and transaction: a second claim of the key fails the whole insert.
            curs.execute(
                f"INSERT INTO idempotency_keys {INSERT_COLUMNS} VALUES (%s, %s, %s, %s, %s::json)", claim.row(stored_events)
            )
        super()._insert_events(curs, stored_events, **kwargs)


class LedgerSQLiteRecorder(SQLiteApplicationRecorder):
    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        claim: IdempotencyClaim | None = kwargs.get(CLAIM)
        if claim is not None and stored_events:
            c.execute(f"INSERT INTO idempotency_keys {INSERT_COLUMNS} VALUES (?, ?, ?, ?, ?)", claim.row(stored_events))
        return super()._insert_events(c, stored_events, **kwargs)
