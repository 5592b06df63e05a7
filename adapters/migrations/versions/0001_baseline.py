"""Baseline: every fixed table the product owned before migrations, with exactly that schema.

The event table is the eventsourcing library's application recorder's, in the library's own words
(eventsourcing 9.5, ``sqlite.py`` / ``postgres.py``): ``stored_events`` on SQLite; on PostgreSQL
``public.hazardledger_events`` with its composite type, notification-id index and insert function. The
others are the SQLAlchemy tables of adapters/, projections/engine.py and audit/log.py, written out.

Each object is created only when missing, so a database that a crash left half-made by the code before
migrations is completed rather than refused (a complete one is stamped without running this).

Revision ID: 0001
Revises:
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SQLITE_EVENTS = (
    "CREATE TABLE IF NOT EXISTS stored_events ("
    "originator_id TEXT, "
    "originator_version INTEGER, "
    "topic TEXT, "
    "state BLOB, "
    "PRIMARY KEY "
    "(originator_id, originator_version))"
)

POSTGRES_EVENT_TYPE = (
    'CREATE TYPE "public"."stored_event_uuid" '
    'AS (originator_id "uuid", '
    "originator_version bigint, "
    "topic text, "
    "state bytea)"
)
POSTGRES_EVENTS = [
    'CREATE TABLE IF NOT EXISTS "public"."hazardledger_events" ('
    'originator_id "uuid" NOT NULL, '
    "originator_version bigint NOT NULL, "
    "topic text, "
    "state bytea, "
    "notification_id bigserial, "
    "PRIMARY KEY "
    "(originator_id, originator_version)) "
    "WITH ("
    "    autovacuum_enabled = true,"
    "    autovacuum_vacuum_threshold = 100000000,"
    "    autovacuum_vacuum_scale_factor = 0.5,"
    "    autovacuum_analyze_threshold = 1000,"
    "    autovacuum_analyze_scale_factor = 0.01"
    ")",
    'CREATE UNIQUE INDEX IF NOT EXISTS "hazardledger_events_notification_id_idx" '
    'ON "public"."hazardledger_events" (notification_id ASC);',
    # POSTGRES_LOCK_TIMEOUT is not set by app/settings.py: the library's default, 0 seconds.
    "CREATE OR REPLACE FUNCTION "
    '"public"."es_insert_events_uuid"(events "public"."stored_event_uuid"[]) '
    "RETURNS SETOF bigint "
    "LANGUAGE plpgsql "
    "AS "
    "$BODY$"
    "BEGIN"
    "    SET LOCAL lock_timeout = '0s';"
    '    NOTIFY "hazardledger_events";'
    "    RETURN QUERY"
    '    INSERT INTO "public"."hazardledger_events" AS t ('
    "    originator_id, originator_version, topic, state)"
    "    SELECT originator_id, originator_version, topic, state"
    "    FROM unnest(events)"
    "    RETURNING notification_id;"
    "END;"
    "$BODY$",
]


def _event_table() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute(SQLITE_EVENTS)
        return
    type_exists = bind.execute(
        sa.text(
            "SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
            "WHERE n.nspname = 'public' AND t.typname = 'stored_event_uuid'"
        )
    ).first()
    if type_exists is None:
        op.execute(POSTGRES_EVENT_TYPE)
    for statement in POSTGRES_EVENTS:
        op.execute(statement)


def upgrade() -> None:
    _event_table()
    existing = set(sa.inspect(op.get_bind()).get_table_names())

    if "idempotency_keys" not in existing:  # adapters/idempotency.py
        op.create_table(
            "idempotency_keys",
            sa.Column("user_id", sa.String(128), primary_key=True),
            sa.Column("key", sa.String(255), primary_key=True),
            sa.Column("fingerprint", sa.String(64), nullable=False),
            sa.Column("status", sa.Integer, nullable=False),
            sa.Column("body", sa.JSON, nullable=True),  # NULL: a key recorded "in progress" before migrations
        )
    if "server_held_keys" not in existing:  # adapters/server_held_keys.py
        op.create_table(
            "server_held_keys",
            sa.Column("key_id", sa.String(64), primary_key=True),
            sa.Column("user_id", sa.String(128), nullable=False),
            sa.Column("private_key", sa.LargeBinary, nullable=False),
            sa.Column("mode", sa.String(16), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        )
        op.create_index("ix_server_held_keys_user_id", "server_held_keys", ["user_id"])
    if "evidence_blobs" not in existing:  # adapters/evidence_store.py
        op.create_table(
            "evidence_blobs",
            sa.Column("sha256", sa.String(64), primary_key=True),
            sa.Column("media_type", sa.String(255), nullable=False),
            sa.Column("content", sa.LargeBinary, nullable=False),
        )
    if "projection_active" not in existing:  # projections/engine.py
        op.create_table(
            "projection_active",
            sa.Column("projection", sa.String(64), primary_key=True),
            sa.Column("version", sa.Integer, nullable=False),
        )
    if "projection_tracking" not in existing:
        op.create_table(
            "projection_tracking",
            sa.Column("projection", sa.String(64), primary_key=True),
            sa.Column("version", sa.Integer, primary_key=True),
            sa.Column("position", sa.BigInteger, nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        )
    if "audit_checkpoints" not in existing:  # audit/log.py
        op.create_table(
            "audit_checkpoints",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("origin", sa.String(200), nullable=False),
            sa.Column("tree_size", sa.BigInteger, nullable=False),
            sa.Column("root_hash", sa.String(64), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("note", sa.Text, nullable=False),
        )


def downgrade() -> None:
    for table in (
        "audit_checkpoints",
        "projection_tracking",
        "projection_active",
        "evidence_blobs",
        "server_held_keys",
        "idempotency_keys",
    ):
        op.drop_table(table)
    if op.get_bind().dialect.name == "sqlite":
        op.drop_table("stored_events")
        return
    op.execute('DROP FUNCTION IF EXISTS "public"."es_insert_events_uuid"("public"."stored_event_uuid"[])')
    op.execute('DROP TABLE IF EXISTS "public"."hazardledger_events"')
    op.execute('DROP TYPE IF EXISTS "public"."stored_event_uuid"')
