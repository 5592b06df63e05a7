"""Projections whose rows are the current state of records.

A batch loads the rows its events touch (one SELECT per table), evolves them in memory in log order,
and writes the changed rows back with one upsert per table: a row touched by many events in a batch
is written once. Datetimes are stored in UTC (SQLite keeps no zone).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, select
from sqlalchemy.dialects import postgresql, sqlite

from projections.engine import Tables

Row = dict[str, Any]
_CHUNK = 500  # keys per IN (...) list


def utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class RowStateProjection:
    name: str

    def route(self, event: Any) -> tuple[str, str] | None:
        """The (table, key) an event changes, or None when this projection ignores it."""
        raise NotImplementedError

    def evolve(self, table: str, row: Row | None, event: Any) -> Row:
        """The row after the event (``row`` is None for a record not seen before)."""
        raise NotImplementedError

    def apply_batch(self, conn: Connection, tables: Tables, events: Sequence[Any]) -> None:
        routed = [(route, e) for e in events if (route := self.route(e)) is not None]
        if not routed:
            return
        rows: dict[tuple[str, str], Row | None] = {}
        for table_name in {t for (t, _), _ in routed}:
            keys = list(dict.fromkeys(k for (t, k), _ in routed if t == table_name))
            table = tables[table_name]
            pk = _pk(table)
            for i in range(0, len(keys), _CHUNK):
                chunk = keys[i : i + _CHUNK]
                for existing in conn.execute(select(table).where(pk.in_(chunk))).mappings():
                    rows[(table_name, existing[pk.name])] = dict(existing)
        changed: dict[tuple[str, str], Row] = {}
        for key, event in routed:
            row = self.evolve(key[0], rows.get(key), event)
            rows[key] = changed[key] = row
        for table_name in {t for t, _ in changed}:
            self._upsert(conn, tables[table_name], [r for (t, _), r in changed.items() if t == table_name])

    @staticmethod
    def _upsert(conn: Connection, table: Table, rows: list[Row]) -> None:
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        stmt = dialect.insert(table)
        pk = _pk(table).name
        stmt = stmt.on_conflict_do_update(
            index_elements=[pk], set_={c.name: stmt.excluded[c.name] for c in table.columns if c.name != pk}
        )
        conn.execute(stmt, rows)


def _pk(table: Table) -> Any:
    (column,) = table.primary_key.columns
    return column
