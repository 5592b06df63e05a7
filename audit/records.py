"""The leaf of an event: canonical bytes of its stored record, exactly as the event store holds it.

Encoding, version 1 (all integers big-endian)::

    0x01                                  format version
    u64  notification id                  (the store's position: PostgreSQL notification_id, SQLite rowid)
    u32  length || originator id bytes    (a UUID: its 16 raw bytes; anything else: UTF-8 of the text)
    i64  originator version
    u32  length || topic (UTF-8)
    u32  length || state                  (the raw stored bytes: no decoding, no re-serialisation)

Every field is length-prefixed, so no two different records share an encoding. The state is hashed as
stored (after the library's compression/encryption, if any were configured), so the leaf never depends
on how a later version of the code would decode or re-encode an event. Changing any field of a stored
row (UPDATE), removing a row (DELETE), reordering rows or inserting a forged row changes the leaf at
that position, or shifts every later position.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterator
from functools import lru_cache, partial
from typing import Any, NamedTuple
from uuid import UUID

from sqlalchemy import Engine, text

FORMAT = 1
_HEAD = struct.Struct(">BQ")
_I64 = struct.Struct(">q")
_U32 = struct.Struct(">I")
_sha256 = hashlib.sha256
_UUID_HEAD = struct.Struct(">BQI16sq")  # format, notification id, 16, the UUID's bytes, originator version


class RawRecord(NamedTuple):
    notification_id: int
    originator_id: Any  # UUID (PostgreSQL) or str (SQLite hex)
    originator_version: int
    topic: str
    state: bytes


_as_record = partial(tuple.__new__, RawRecord)  # a row as a RawRecord without a Python call per row


def _originator_bytes(originator_id: Any) -> bytes:
    if isinstance(originator_id, UUID):
        return originator_id.bytes
    text_id = str(originator_id)
    try:
        return UUID(hex=text_id).bytes if len(text_id) in (32, 36) else text_id.encode()
    except ValueError:
        return text_id.encode()


def leaf_bytes(notification_id: int, originator_id: Any, originator_version: int, topic: str, state: bytes) -> bytes:
    return b"".join(_leaf_parts(notification_id, originator_id, originator_version, topic, state))


def row_leaf_hash(notification_id: int, originator_id: Any, originator_version: int, topic: str, state: bytes) -> bytes:
    """``leaf_hash(leaf_bytes(...))`` in one pass: the verifier and the log compute one per stored event."""
    return _sha256(b"".join((b"\x00", *_leaf_parts(notification_id, originator_id, originator_version, topic, state)))).digest()


def _leaf_parts(notification_id: int, originator_id: Any, originator_version: int, topic: str, state: bytes) -> tuple[bytes, ...]:
    if type(originator_id) is UUID:  # the common case: one fixed-size head
        head = _UUID_HEAD.pack(FORMAT, notification_id, 16, originator_id.bytes, originator_version)
    else:
        oid = _originator_bytes(originator_id)
        head = b"".join((_HEAD.pack(FORMAT, notification_id), _U32.pack(len(oid)), oid, _I64.pack(originator_version)))
    state = state or b""
    return head, _topic_part(topic or ""), _U32.pack(len(state)), state


@lru_cache(maxsize=4096)
def _topic_part(topic: str) -> bytes:
    encoded = topic.encode()
    return _U32.pack(len(encoded)) + encoded


def record_leaf_hash(record: Any) -> bytes:
    """The leaf hash of a stored record (a RawRecord or the library's Notification)."""
    nid = record.notification_id if hasattr(record, "notification_id") else record.id
    return row_leaf_hash(nid, record.originator_id, record.originator_version, record.topic, record.state)


# ----- reading the raw events table -------------------------------------------------------------------

POSTGRES_EVENTS_TABLE = "hazardledger_events"  # the library's "<application name>_events"
SQLITE_EVENTS_TABLE = "stored_events"


def events_table(engine: Engine) -> str:
    return POSTGRES_EVENTS_TABLE if engine.dialect.name == "postgresql" else SQLITE_EVENTS_TABLE


def count_records(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {events_table(engine)}")).scalar_one())


def read_records(engine: Engine, chunk: int = 10_000) -> Iterator[RawRecord]:
    """Every stored event in notification-id order, straight from the table (no decoding)."""
    table = events_table(engine)
    nid = "notification_id" if engine.dialect.name == "postgresql" else "rowid"
    query = f"SELECT {nid}, originator_id, originator_version, topic, state FROM {table} ORDER BY {nid}"
    if engine.dialect.name == "postgresql":  # the driver's server-side cursor: no per-row ORM overhead
        raw = engine.raw_connection()
        try:
            # Binary results: bytea arrives as bytes, not hex text to decode (about twice the rows per second).
            with raw.driver_connection.cursor(name="audit_read_records", binary=True) as cursor:  # type: ignore[union-attr]
                cursor.execute(query)
                while rows := cursor.fetchmany(chunk):
                    yield from map(_as_record, rows)  # a NULL state stays None: it encodes as empty bytes
            raw.rollback()
        finally:
            raw.close()
        return
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=chunk).exec_driver_sql(query)
        for row in result:
            state = row[4]
            if isinstance(state, str):  # SQLite is loosely typed: a text value where a blob belongs
                state = state.encode()
            yield RawRecord(row[0], row[1], row[2], row[3], bytes(state) if state is not None else b"")
