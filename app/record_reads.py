"""Reads of one record that the API's routes and the web pages both answer: the same scope check (through
``ScopedReads``, 404 outside the reader's scope) and the same view, defined once here so neither copies
the other (web must not import api).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import quote
from uuid import UUID

from app.wiring import Services
from domain.business_time import business_date
from domain.evidence import INLINE_MEDIA_TYPES
from domain.glossary import DocumentKind
from domain.read_scope import ScopedReads
from projections.process_queries import AsOf


def case_view(services: Services, reads: ScopedReads, case_id: UUID) -> dict[str, Any]:
    """One enforcement case (``GET /cases/{id}``): decisions, fines, suspension, closure, publication; the
    repeat-offender detector's closure recommendation (derived as of today, dated the day its conditions
    first held) when no regulator marked the case by hand; ``rule_conflicts``: decisions entered after
    their day that rules 1 and 2 refuse, judged as of their day with everything recorded."""
    case = reads.case(case_id)
    today = AsOf(business_date(services.ledger.clock.now()))
    case["rule_conflicts"] = [c.view() for c in services.process_queries.penalty_conflicts(today, case_id)]
    if case["closure_recommendation"] is None:
        for due in services.process_queries.closure_recommendations(today, case_id):
            case["closure_recommended"] = True
            case["closure_recommendation"] = {
                "derived": True, "on": due.on.isoformat(), "hazard_id": str(due.hazard_id), "open_days": due.open_days,
                "prior_penalties": due.prior_penalties, "other_case_ids": [str(o) for o in due.other_case_ids],
            }  # fmt: skip
    return case


@dataclass(frozen=True)
class ServedFile:
    """A file as served: its bytes, media type and headers (an evidence file's keep the browser from sniffing
    or running it: nosniff, a sandboxing CSP; photos and PDFs inline, anything else downloaded)."""

    content: bytes
    media_type: str
    headers: dict[str, str]


def evidence_file(services: Services, reads: ScopedReads, hazard_id: UUID, sha256: str) -> ServedFile:
    reads.hazard(hazard_id)  # the hazard's scope is the file's: 404 for a reader who may not see the hazard
    media_type, content = services.ledger.hazards.evidence_content(hazard_id, sha256)
    disposition = "inline" if media_type in INLINE_MEDIA_TYPES else "attachment"
    headers = {
        "Content-Disposition": f'{disposition}; filename="{sha256.lower()}"',
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
    return ServedFile(content, media_type, headers)


DOCUMENT_MEDIA = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def documents_seen(
    services: Services,
    reads: ScopedReads,
    *,
    record_id: UUID | None = None,
    kind: DocumentKind | None = None,
    unit: str | None = None,
    issued_from: date | None = None,
    issued_to: date | None = None,
) -> list[dict[str, Any]]:
    """Issued documents the reader may see (``ScopedReads.sees_document``), oldest first: by the record issued
    from, kind, issuing unit and the day issued (Beijing, both ends inclusive)."""
    seen: dict[str, bool] = {}
    rows = services.ledger.documents.documents(record_id=record_id, kind=kind, unit=unit)
    return [r for r in rows if _issued_within(r, issued_from, issued_to) and reads.sees_document(r, seen)]


def _issued_within(row: dict[str, Any], first: date | None, last: date | None) -> bool:
    day = business_date(datetime.fromisoformat(row["issued_at"]))
    return (first is None or first <= day) and (last is None or day <= last)


def document_file(services: Services, reads: ScopedReads, document_id: UUID, fmt: str) -> ServedFile:
    """The document as PDF (the bytes its SHA-256 was taken of) or DOCX, after the reader's scope check."""
    reads.document(document_id)  # 404 outside the reader's scope
    document, data = services.ledger.documents.render(document_id, fmt)
    name = quote(f"{document.kind.zh}-{document.number}.{fmt}")
    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{name}", "X-Document-Number": quote(document.number)}
    return ServedFile(data, DOCUMENT_MEDIA[fmt], headers)
