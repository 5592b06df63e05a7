"""Commands of official documents (文书): issue one from a record, record its delivery (送达) and receipt (签收)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.commands.base import RecordCommand
from domain.glossary import DeliveryMethod, DocumentKind


@dataclass(frozen=True, kw_only=True)
class IssueDocument(RecordCommand):
    """``DocumentApplication.issue_document``: ``kind`` from the record ``record_id`` (hazard, case or warning);
    If-Match is that record's version (the document says what the person saw)."""

    kind: DocumentKind | str
    record_id: UUID


@dataclass(frozen=True, kw_only=True)
class DeliverDocument(RecordCommand):
    """``DocumentApplication.deliver_document``."""

    document_id: UUID
    method: DeliveryMethod | str
    recipient: str
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class ReceiveDocument(RecordCommand):
    """``DocumentApplication.receive_document``."""

    document_id: UUID
    received_by: str
    note: str = ""
