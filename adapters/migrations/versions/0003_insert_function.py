"""The event store's insert as one function call (``adapters/event_store.py``): the server has received
every event of the call, however large, before the function takes the table lock that orders commits.
The library's pipelined ``LOCK TABLE`` then ``INSERT`` took the lock first and held it while the payload
was still crossing the wire, stalling every other writer for that long.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

INSERT_FUNCTION = """
CREATE OR REPLACE FUNCTION "public"."hazardledger_insert_events"(events "public"."stored_event_uuid"[])
RETURNS TABLE (notification_id bigint)
LANGUAGE plpgsql
AS $BODY$
BEGIN
    LOCK TABLE "public"."hazardledger_events" IN EXCLUSIVE MODE;
    NOTIFY "hazardledger_events";
    RETURN QUERY
    INSERT INTO "public"."hazardledger_events" AS t (originator_id, originator_version, topic, state)
    SELECT e.originator_id, e.originator_version, e.topic, e.state FROM unnest(events) AS e
    RETURNING t.notification_id;
END;
$BODY$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(INSERT_FUNCTION)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute('DROP FUNCTION IF EXISTS "public"."hazardledger_insert_events"("public"."stored_event_uuid"[])')
