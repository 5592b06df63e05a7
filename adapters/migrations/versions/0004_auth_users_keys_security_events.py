"""Log-in (issue 12): built-in accounts (argon2 password hashes, lock-out counters), refresh tokens (stored
hashed, rotated), API keys for machine clients (stored hashed) and the security events (log-ins, failures,
lock-outs, account and key changes). The tables of ``adapters/accounts.py``.

Revision ID: 0004_auth
Revises: 0003
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_auth"
down_revision = "0003"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("user_id", sa.String(128), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("organisation_id", sa.String(64), nullable=False),
        sa.Column("organisation_kind", sa.String(32), nullable=False),
        sa.Column("organisation_name", sa.String(200), nullable=False, server_default=""),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("failed_logins", sa.Integer, nullable=False, server_default="0"),
        sa.Column("locked_until", WHEN, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
    )
    op.create_table(
        "refresh_tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.String(128), nullable=False, index=True),
        sa.Column("family", sa.String(32), nullable=False, index=True),
        sa.Column("issued_at", WHEN, nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.Column("used_at", WHEN, nullable=True),
        sa.Column("revoked_at", WHEN, nullable=True),
    )
    op.create_table(
        "api_keys",
        sa.Column("key_id", sa.String(32), primary_key=True),
        sa.Column("secret_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("organisation_id", sa.String(64), nullable=False),
        sa.Column("organisation_kind", sa.String(32), nullable=False),
        sa.Column("organisation_name", sa.String(200), nullable=False, server_default=""),
        sa.Column("created_by", sa.String(128), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("revoked_at", WHEN, nullable=True),
        sa.Column("last_used_at", WHEN, nullable=True),
        sa.Column("last_used_ip", sa.String(64), nullable=True),
    )
    op.create_table(
        "security_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("at", WHEN, nullable=False, index=True),
        sa.Column("kind", sa.String(40), nullable=False, index=True),
        sa.Column("subject", sa.String(128), nullable=True),  # the account or key the event is about
        sa.Column("actor", sa.String(128), nullable=True),  # who did it (the subject at log-in; an admin; "cli")
        sa.Column("client_ip", sa.String(64), nullable=True),
        sa.Column("detail", sa.JSON, nullable=True),
    )


def downgrade() -> None:
    for table in ("security_events", "api_keys", "refresh_tokens", "users"):
        op.drop_table(table)
