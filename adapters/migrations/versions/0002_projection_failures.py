"""A read model's tracking row records where it stopped when it cannot apply an event
(projections/engine.py): the event's position, the error and when, until the event is applied.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

COLUMNS = (
    ("failed_position", sa.BigInteger),
    ("failed_error", sa.Text),
    ("failed_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    with op.batch_alter_table("projection_tracking") as table:
        for name, type_ in COLUMNS:
            table.add_column(sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("projection_tracking") as table:
        for name, _ in reversed(COLUMNS):
            table.drop_column(name)
