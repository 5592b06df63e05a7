"""The private keys the server holds for users who chose the convenience signing mode (server-held).

Raw 32-byte Ed25519 keys (encryption at rest is not done here); every signature made with one says
``mode="server_held"`` so a verifier can tell (``api/signing.py``, ``domain/signatures.py``).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, Engine, LargeBinary, MetaData, String, Table, insert, select

metadata = MetaData()

server_held_keys = Table(
    "server_held_keys",
    metadata,
    Column("key_id", String(64), primary_key=True),
    Column("user_id", String(128), nullable=False, index=True),
    Column("private_key", LargeBinary, nullable=False),  # raw 32 bytes; mode: server_held
    Column("mode", String(16), nullable=False, default="server_held"),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


class ServerHeldKeyStore:
    """The private keys the server holds for users who chose the convenience mode."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def put(self, key_id: str, user_id: str, private_key: bytes) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                insert(server_held_keys).values(
                    key_id=key_id, user_id=user_id, private_key=private_key, mode="server_held", created_at=datetime.now(UTC)
                )
            )

    def latest_for(self, user_id: str) -> tuple[str, bytes] | None:
        """The user's most recently created server-held key (a revoked one is refused by the domain)."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(server_held_keys.c.key_id, server_held_keys.c.private_key)
                .where(server_held_keys.c.user_id == user_id)
                .order_by(server_held_keys.c.created_at.desc(), server_held_keys.c.key_id)
                .limit(1)
            ).first()
        return None if row is None else (row[0], bytes(row[1]))
