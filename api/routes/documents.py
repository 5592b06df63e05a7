"""Official documents (文书): issue one from a hazard, a case or a warning; list, read, download (PDF, DOCX),
verify against the SHA-256 in the audit log; record delivery (送达) and receipt (签收)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from api.commands import Headers, add_action, run_command
from api.deps import ServicesDep
from api.reads import Reads
from api.schemas.documents import DocumentDeliveryIn, DocumentIssueIn, DocumentReceiptIn
from api.schemas.records import Receipt
from app.record_reads import DOCUMENT_MEDIA, document_file, documents_seen
from domain.commands import documents as c
from domain.glossary import DocumentKind

router = APIRouter(prefix="/documents", tags=["documents"])
issue = APIRouter(tags=["documents"])


def _issue(services: ServicesDep, headers: Headers, request: Request, record_id: UUID, body: DocumentIssueIn) -> JSONResponse:
    """If-Match, when sent, is the source record's version: the document is issued from what the person saw."""
    command = c.IssueDocument(kind=body.kind, record_id=record_id, occurred_at=body.occurred_at)
    return run_command(services, headers, request, body, command, status=201)


@issue.post("/hazards/{hazard_id}/documents", status_code=201, response_model=Receipt)
def issue_hazard_document(
    hazard_id: UUID, body: DocumentIssueIn, headers: Headers, request: Request, services: ServicesDep
) -> JSONResponse:
    """出具文书 from the hazard: 责令限期整改指令书 (a major), 挂牌督办通知书 (listed), 延期审批意见书 (an extension
    decided), 整改复查（验收）意见书 (verified), 销号审批表 (closed). Numbered in the issuing unit's series."""
    return _issue(services, headers, request, hazard_id, body)


@issue.post("/cases/{case_id}/documents", status_code=201, response_model=Receipt)
def issue_case_document(
    case_id: UUID, body: DocumentIssueIn, headers: Headers, request: Request, services: ServicesDep
) -> JSONResponse:
    """出具文书 from the case: the 行政处罚决定书 summary for the case file (a penalty decided)."""
    return _issue(services, headers, request, case_id, body)


@issue.post("/warnings/{warning_id}/documents", status_code=201, response_model=Receipt)
def issue_warning_document(
    warning_id: UUID, body: DocumentIssueIn, headers: Headers, request: Request, services: ServicesDep
) -> JSONResponse:
    """出具文书 from a confirmed warning (区安委办): 工作提示函, 告知函, 告诫函 or 约谈通知书, by its level."""
    return _issue(services, headers, request, warning_id, body)


@router.get("")
def list_documents(
    services: ServicesDep,
    reads: Reads,
    record_id: Annotated[UUID | None, Query(description="the hazard, case or warning issued from")] = None,
    kind: DocumentKind | None = None,
    unit: Annotated[str | None, Query(description="the issuing unit")] = None,
) -> dict[str, Any]:
    """Issued documents the reader may see, oldest first (a scan of the log's DocumentIssued events)."""
    items = documents_seen(services, reads, record_id=record_id, kind=kind, unit=unit)
    return {"items": items, "total": len(items)}


def _file(services: ServicesDep, reads: Reads, document_id: UUID, fmt: str) -> Response:
    served = document_file(services, reads, document_id, fmt)
    return Response(served.content, media_type=served.media_type, headers=served.headers)


# Before /{document_id}: "x.pdf" is no UUID.
@router.get("/{document_id}.pdf", response_class=Response, responses={200: {"content": {DOCUMENT_MEDIA["pdf"]: {}}}})
def document_pdf(document_id: UUID, services: ServicesDep, reads: Reads) -> Response:
    """The document as PDF (A4, printable): the same bytes as issued (its SHA-256 is in DocumentIssued)."""
    return _file(services, reads, document_id, "pdf")


@router.get("/{document_id}.docx", response_class=Response, responses={200: {"content": {DOCUMENT_MEDIA["docx"]: {}}}})
def document_docx(document_id: UUID, services: ServicesDep, reads: Reads) -> Response:
    """The document as DOCX, for editing (not hashed)."""
    return _file(services, reads, document_id, "docx")


@router.get("/{document_id}")
def get_document(document_id: UUID, reads: Reads, response: Response) -> dict[str, Any]:
    """One document with its deliveries (送达) and receipt (签收); ETag = version (If-Match)."""
    document = reads.document(document_id)
    response.headers["ETag"] = f'"{document["version"]}"'
    return document


@router.get("/{document_id}/verification")
def verify_document(document_id: UUID, services: ServicesDep, reads: Reads) -> dict[str, Any]:
    """Re-renders the PDF from the stored events and compares its SHA-256 with the one issued."""
    reads.document(document_id)
    return services.ledger.documents.verify(document_id)


@router.get("/{document_id}/events")
def document_events(document_id: UUID, services: ServicesDep, reads: Reads) -> list[dict[str, Any]]:
    """The document's history: issued, delivered, received (by whom, when)."""
    reads.document(document_id)
    return services.ledger.history(document_id)


add_action(
    router, "document_id", "delivery", DocumentDeliveryIn, "Record the delivery (送达) of the document",
    lambda ctx, did, b: c.DeliverDocument(
        document_id=did, method=b.method, recipient=b.recipient, note=b.note, occurred_at=b.occurred_at
    ),
)  # fmt: skip
add_action(
    router, "document_id", "receipt", DocumentReceiptIn, "Record the receipt (签收) of the document",
    lambda ctx, did, b: c.ReceiveDocument(document_id=did, received_by=b.received_by, note=b.note, occurred_at=b.occurred_at),
)  # fmt: skip
