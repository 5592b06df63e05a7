"""Evidence bytes (佐证材料): the port the ledger stores them through, content-addressed by SHA-256.

The event records the file's name, media type, size and digest; the bytes live in an evidence store
and are never deleted, so the digest in the (tamper-evident) event log proves what was attached.
"""

from __future__ import annotations

from typing import Protocol

from domain.errors import DomainError


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


# The media types evidence may have: photos, scans, documents, video and sound from the field. Nothing a
# browser would run (HTML, SVG, scripts): evidence is served from the API's own origin.
EVIDENCE_MEDIA_TYPES = frozenset({
    "image/jpeg", "image/png", "image/webp", "image/gif", "image/heic", "image/heif", "application/pdf",
    "video/mp4", "video/quicktime", "audio/mpeg", "audio/mp4", "text/plain", "text/csv",
    "application/msword", "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/zip", "application/octet-stream",
})  # fmt: skip
# Shown in the page (photos, scanned PDFs); everything else is downloaded as an attachment.
INLINE_MEDIA_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf"})


def evidence_media_type(value: str) -> str:
    """The media type as stored (lower case, no parameters), refused unless evidence may have it."""
    media_type = value.split(";", 1)[0].strip().lower()
    if media_type not in EVIDENCE_MEDIA_TYPES:
        allowed = ", ".join(sorted(EVIDENCE_MEDIA_TYPES))
        raise DomainError(
            "invalid_value", field="media_type", reason=f"{media_type!r} is not one of {allowed}",
            reason_zh=f"{media_type} 不是允许的佐证材料类型（{allowed}）",
        )  # fmt: skip
    return media_type
