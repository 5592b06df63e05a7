"""A plain CRUD service: the baseline for commands over HTTP (bench/pipelines.py, ``--only http``).

One table of items and one of their history; each POST is one UPDATE (state, version, payload) and
one history INSERT in one transaction, through a psycopg_pool ConnectionPool. Run it exactly as the
product API is run:

    CRUD_DB_URL=postgresql://postgres@127.0.0.1:5432/crud_bench \
        uvicorn --factory bench.crud_service:app_from_env --workers 1 --no-access-log

The tables are created on start-up; ``CRUD_SEED_ITEMS`` items (default 200) are inserted if the table
is empty. ``GET /items`` lists their ids.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, HTTPException
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool
from pydantic import BaseModel

SCHEMA = """
CREATE TABLE IF NOT EXISTS items (id uuid PRIMARY KEY, state text NOT NULL, version int NOT NULL, payload jsonb NOT NULL);
CREATE TABLE IF NOT EXISTS item_history (
    id bigserial PRIMARY KEY, item_id uuid NOT NULL REFERENCES items(id), version int NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(), payload jsonb NOT NULL
);
"""


class ProgressIn(BaseModel):
    note: str
    percent: int | None = None


def create_app(conninfo: str, seed_items: int = 200, pool_size: int = 10) -> FastAPI:
    pool = ConnectionPool(conninfo, min_size=pool_size, max_size=pool_size, open=False)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        pool.open(wait=True)
        with pool.connection() as conn:
            conn.execute(SCHEMA)
            if conn.execute("SELECT count(*) FROM items").fetchone()[0] == 0:  # type: ignore[index]
                with conn.cursor() as cur:
                    cur.executemany(
                        "INSERT INTO items (id, state, version, payload) VALUES (%s, 'rectifying', 1, %s)",
                        [(uuid.uuid4(), Jsonb({})) for _ in range(seed_items)],
                    )
        yield
        pool.close()

    app = FastAPI(title="CRUD baseline", lifespan=lifespan)

    @app.get("/items")
    def items() -> list[str]:
        with pool.connection() as conn:
            return [str(r[0]) for r in conn.execute("SELECT id FROM items ORDER BY id")]

    @app.post("/items/{item_id}/progress")
    def progress(item_id: uuid.UUID, body: ProgressIn) -> dict[str, Any]:
        payload = Jsonb({"note": body.note, "percent": body.percent})
        with pool.connection() as conn:  # one transaction: committed when the block exits
            row = conn.execute(
                "UPDATE items SET state = 'rectifying', version = version + 1, payload = %s WHERE id = %s RETURNING version",
                (payload, item_id),
            ).fetchone()
            if row is None:
                raise HTTPException(404, "no such item")
            conn.execute("INSERT INTO item_history (item_id, version, payload) VALUES (%s, %s, %s)", (item_id, row[0], payload))
        return {"id": str(item_id), "version": row[0]}

    return app


def app_from_env() -> FastAPI:
    return create_app(os.environ["CRUD_DB_URL"], int(os.environ.get("CRUD_SEED_ITEMS", "200")))
