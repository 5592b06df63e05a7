"""Evidence bytes (佐证材料): the port the ledger stores them through, content-addressed by SHA-256.

The event records the file's name, media type, size and digest; the bytes live in an evidence store
and are never deleted, so the digest in the (tamper-evident) event log proves what was attached.
"""

from __future__ import annotations

from typing import Protocol


class EvidenceStore(Protocol):
    def put(self, sha256: str, media_type: str, content: bytes) -> None:
        """Stores the bytes under their digest; storing the same bytes twice is a no-op."""

    def get(self, sha256: str) -> tuple[str, bytes] | None:
        """Returns (media type, bytes), or None."""


class InMemoryEvidenceStore:
    """For unit tests and throw-away ledgers."""

    def __init__(self) -> None:
        self._blobs: dict[str, tuple[str, bytes]] = {}

    def put(self, sha256: str, media_type: str, content: bytes) -> None:
        self._blobs.setdefault(sha256, (media_type, content))

    def get(self, sha256: str) -> tuple[str, bytes] | None:
        return self._blobs.get(sha256)
