"""Projections whose rows are the current state of records, plus append-only facts.

A batch loads the rows its events touch (one SELECT per table), evolves them in memory in log order,
and writes the changed rows back once each: rows the batch creates are inserted (COPY on PostgreSQL),
rows that existed are upserted, one statement per table. Facts (one row per countable act, with both
times) are appended the same way as new rows.
Datetimes are stored in UTC (SQLite keeps no zone).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import orjson
from psycopg import sql
from psycopg.types.json import Json
from sqlalchemy import ARRAY, JSON, Connection, Table, any_, literal, select
from sqlalchemy.dialects import postgresql, sqlite

from projections.engine import Positioned, Tables

Row = dict[str, Any]
Lookup = Callable[[str, str], "Row | None"]
_CHUNK = 500  # keys per IN (...) list


def utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class RowStateProjection:
    name: str
    facts_table: str | None = None  # logical name of the append-only facts table, if any

    def route(self, event: Any) -> tuple[str, str] | None:
        """The (table, key) an event changes, or None when no row of this projection changes."""
        raise NotImplementedError

    def evolve(self, table: str, row: Row | None, event: Any, lookup: Lookup) -> Row:
        """The row after the event (``row`` is None for a record not seen before). ``lookup(table, key)``
        reads another row of this projection as it stands at this point of the batch."""
        raise NotImplementedError

    def needs(self, event: Any) -> tuple[str, str] | None:
        """Another row the event's evolution will look up, so a batch loads them all in one query."""
        return None

    def facts(self, position: int, event: Any, row: Row | None, lookup: Lookup) -> list[Row]:
        """The countable facts an event adds (``row`` is its record's row after the event)."""
        return []

    def apply_batch(self, conn: Connection, tables: Tables, events: Sequence[Positioned]) -> None:
        routes = [self.route(e) for _, e in events]
        wanted = [*routes, *(self.needs(e) for _, e in events)]
        rows: dict[tuple[str, str], Row | None] = {}
        for table_name in {r[0] for r in wanted if r is not None}:
            keys = list(dict.fromkeys(r[1] for r in wanted if r is not None and r[0] == table_name))
            self._load(conn, tables[table_name], table_name, keys, rows)
            for key in keys:
                rows.setdefault((table_name, key), None)

        def lookup(table_name: str, key: str) -> Row | None:
            if (table_name, key) not in rows:
                self._load(conn, tables[table_name], table_name, [key], rows)
                rows.setdefault((table_name, key), None)
            return rows[(table_name, key)]

        absent = {key for key, row in rows.items() if row is None}  # rows this batch creates: inserted, not upserted
        before: dict[tuple[str, str], Row | None] = {}
        changed: dict[tuple[str, str], Row] = {}
        facts: list[Row] = []
        for route, (position, event) in zip(routes, events, strict=True):
            row = None
            if route is not None:
                before.setdefault(route, rows[route])
                row = self.evolve(route[0], rows[route], event, lookup)
                rows[route] = changed[route] = row
            if self.facts_table is not None:
                facts.extend(self.facts(position, event, row, lookup))
        for table_name in {t for t, _ in changed}:
            table = tables[table_name]
            new = [r for (t, k), r in changed.items() if t == table_name and (t, k) in absent]
            existing = [r for (t, k), r in changed.items() if t == table_name and (t, k) not in absent]
            if new:
                _insert(conn, table, new)
            if existing:
                self._upsert(conn, table, existing)
        if facts:
            _insert(conn, tables[self.facts_table], facts)  # type: ignore[index]
        self.rows_changed(conn, tables, before, changed)

    def rows_changed(
        self, conn: Connection, tables: Tables, before: dict[tuple[str, str], Row | None], after: dict[tuple[str, str], Row]
    ) -> None:
        """Keeps totals derived from the rows (in the batch's transaction): each changed row as it was
        before the batch (None: new) and after it."""

    @staticmethod
    def _load(conn: Connection, table: Table, table_name: str, keys: list[str], rows: dict[tuple[str, str], Row | None]) -> None:
        pk = _pk(table)
        if conn.dialect.name == "postgresql":  # one array parameter: the statement is the same for every batch
            chunks = [select(table).where(pk == any_(literal(keys, ARRAY(pk.type))))]
        else:
            chunks = [select(table).where(pk.in_(keys[i : i + _CHUNK])) for i in range(0, len(keys), _CHUNK)]
        for query in chunks:
            for existing in conn.execute(query).mappings():
                rows[(table_name, existing[pk.name])] = dict(existing)

    @staticmethod
    def _upsert(conn: Connection, table: Table, rows: list[Row]) -> None:
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        stmt = dialect.insert(table)
        pk = _pk(table).name
        stmt = stmt.on_conflict_do_update(
            index_elements=[pk], set_={c.name: stmt.excluded[c.name] for c in table.columns if c.name != pk}
        )
        conn.execute(stmt, rows)


def _insert(conn: Connection, table: Table, rows: list[Row]) -> None:
    """New rows: PostgreSQL's COPY (in the batch's transaction), a plain multi-row INSERT elsewhere."""
    if conn.dialect.name != "postgresql":
        conn.execute(table.insert(), rows)
        return
    columns = [c.name for c in table.columns]
    as_json = {c.name for c in table.columns if isinstance(c.type, JSON)}
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with conn.connection.driver_connection.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
        for row in rows:
            copy.write_row([Json(row.get(c), dumps=_json) if c in as_json else row.get(c) for c in columns])


def _json(value: Any) -> str:
    # orjson: the same JSON a few times faster than the standard library (rows are plain() values)
    return orjson.dumps(value).decode()


def _pk(table: Table) -> Any:
    (column,) = table.primary_key.columns
    return column
