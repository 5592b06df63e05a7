"""Evidence bytes in the ledger's own database, content-addressed by SHA-256 (never deleted)."""

from __future__ import annotations

from sqlalchemy import Column, Engine, LargeBinary, MetaData, String, Table, insert, select
from sqlalchemy.exc import IntegrityError

metadata = MetaData()

evidence_blobs = Table(
    "evidence_blobs",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("media_type", String(255), nullable=False),
    Column("content", LargeBinary, nullable=False),
)


class SqlEvidenceStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine  # the table: adapters/migrations/

    def put(self, sha256: str, media_type: str, content: bytes) -> None:
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(evidence_blobs).values(sha256=sha256, media_type=media_type, content=content))
        except IntegrityError:
            pass  # the same bytes are already stored

    def get(self, sha256: str) -> tuple[str, bytes] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(evidence_blobs).where(evidence_blobs.c.sha256 == sha256)).first()
        return (row.media_type, row.content) if row else None
