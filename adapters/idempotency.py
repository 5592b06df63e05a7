"""Idempotency records: a retried command with the same key returns the first result and appends nothing.

The record is written by the event store's own insert, in the transaction that stores the command's
events (``adapters/event_store.py``): after a crash either both exist or neither, so a retry either
finds the first result or runs the command once. Nothing is written before the command runs, so no
key is ever left "in progress".
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import StoredEvent
from sqlalchemy import JSON, Column, Engine, Integer, MetaData, String, Table, select

metadata = MetaData()

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("user_id", String(128), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("status", Integer, nullable=False),  # the HTTP status the first request answered
    # the first result: the record's id and version (NULL only in rows of the code before migrations, which
    # recorded a key "in progress" before running the command: adapters/migrations/versions/0001_baseline.py)
    Column("body", JSON, nullable=True),
)

INSERT_COLUMNS = "(user_id, key, fingerprint, status, body)"


@dataclass(frozen=True)
class IdempotencyClaim:
    """The key a person sent with a command, the request's fingerprint and the status to replay."""

    user_id: str
    key: str
    fingerprint: str
    status: int

    def row(self, stored_events: Sequence[StoredEvent]) -> tuple[str, str, str, int, str]:
        """The record for the events of one command: the record they belong to, at its new version."""
        first = stored_events[0].originator_id
        version = max(e.originator_version for e in stored_events if e.originator_id == first)
        body = json.dumps({"id": str(first), "version": version})
        return (self.user_id, self.key, self.fingerprint, self.status, body)


@dataclass(frozen=True)
class FirstResult:
    fingerprint: str
    status: int
    body: dict[str, Any] | None  # None: a key left "in progress" by the code before migrations


class IdempotencyStore:
    """Reads the records the event store wrote (the write is the recorder's)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def first_result(self, user_id: str, key: str) -> FirstResult | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(idempotency_keys.c.fingerprint, idempotency_keys.c.status, idempotency_keys.c.body).where(
                    idempotency_keys.c.user_id == user_id, idempotency_keys.c.key == key
                )
            ).first()
        if row is None:
            return None
        body = row.body if row.body is None or isinstance(row.body, dict) else json.loads(row.body)
        return FirstResult(row.fingerprint, row.status, body)
