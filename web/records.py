"""Helpers of the pages that show one record (a hazard, a case): the id from the address, the related
records the reader may see, and the history in business order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from app.record_reads import documents_seen
from app.wiring import Services
from domain.errors import DomainError
from domain.glossary import DocumentKind
from domain.read_scope import ScopedReads


def record_id(value: str, missing: str) -> UUID:
    """A record's id from the address; anything else is the record's "does not exist" (404)."""
    try:
        return UUID(value)
    except ValueError:
        raise DomainError(missing, id=value) from None


def in_business_order(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A record's events by when they happened (an act entered late sits where it happened), then as recorded."""
    return sorted(events, key=lambda e: (datetime.fromisoformat(e["occurred_at"]), e["version"]))


def readable(read: Callable[[], dict[str, Any]]) -> dict[str, Any] | None:
    """A related record, or None where the reader may not see it (a department assigned the hazard may not
    read its enterprise's record or a case of another department): the page then leaves it out."""
    try:
        return read()
    except DomainError:
        return None


@dataclass(frozen=True)
class RecordDocuments:
    """A record's 文书 section: the documents issued from it that the reader may see (oldest first, each with
    its deliveries and receipt) and the kinds the reader may issue from it now."""

    items: list[dict[str, Any]]
    issuable: list[DocumentKind]


def record_documents(services: Services, reads: ScopedReads, record_id: UUID) -> RecordDocuments:
    rows = documents_seen(services, reads, record_id=record_id)
    items = [services.ledger.documents.document(UUID(r["id"])) for r in rows]  # seen: checked just above
    return RecordDocuments(items, services.ledger.documents.issuable(reads.actor, record_id))
