"""/ui/documents: the register of issued documents (文书台账) and one document's page, files and verification.

Every read is the API's: the register is ``app.record_reads.documents_seen`` (``GET /api/v1/documents``, the
reader's scope by ``ScopedReads.sees_document``) with the issue date's range and paging on top; a document is
``ScopedReads.document`` (``GET /documents/{id}``, 404 outside the scope), its files
``app.record_reads.document_file`` (``GET /documents/{id}.pdf|.docx``: the API takes bearer tokens, not the
pages' cookies) and its verification ``DocumentApplication.verify`` (``GET /documents/{id}/verification``).
Delivery (送达) and receipt (签收) are acts of web/forms.py on the document's page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from app.record_reads import document_file, documents_seen
from app.wiring import Services
from domain.glossary import DocumentKind, OrgKind
from domain.read_scope import ScopedReads
from web.pages.annexes import parse_day
from web.records import in_business_order, record_id
from web.render import render
from web.routing import PageRoute
from web.session import Page, PageContext, apply_cookies

router = APIRouter(route_class=PageRoute)
PAGE_SIZE = 20
Text = Annotated[str, Query(max_length=64)]
ISSUING_KINDS = (OrgKind.COMMITTEE_OFFICE, OrgKind.DEPARTMENT, OrgKind.STREET, OrgKind.ZONE)


@dataclass(frozen=True)
class Filters:
    """The register's filters as the form sends them (an unknown unit or kind is no filter, as on /ui/hazards;
    a malformed date is refused as the API refuses one)."""

    unit: str = ""
    kind: str = ""
    date_from: str = ""
    date_to: str = ""
    page: int = 1

    def url(self, page: int) -> str:
        params = {"unit": self.unit, "kind": self.kind, "from": self.date_from, "to": self.date_to,
                  "page": str(page) if page > 1 else ""}  # fmt: skip
        query = urlencode({k: v for k, v in params.items() if v})
        return "/ui/documents" + (f"?{query}" if query else "")


def _register(services: Services, reads: ScopedReads, f: Filters) -> dict[str, Any]:
    reference = services.ledger.reference
    kind = DocumentKind(f.kind) if f.kind in DocumentKind._value2member_map_ else None
    unit = f.unit if f.unit in reference.units else None
    rows = documents_seen(
        services, reads, kind=kind, unit=unit, issued_from=parse_day(f.date_from, "from"), issued_to=parse_day(f.date_to, "to")
    )
    rows.reverse()  # newest first
    shown = rows[(f.page - 1) * PAGE_SIZE : f.page * PAGE_SIZE]
    return {
        "total": len(rows),
        "pages": max(1, -(-len(rows) // PAGE_SIZE)),
        "items": [services.ledger.documents.document(UUID(r["id"])) for r in shown],  # seen: checked by documents_seen
    }


@router.get("/documents")
async def register(
    page: PageContext,
    unit: Text = "",
    kind: Text = "",
    date_from: Annotated[str, Query(alias="from", max_length=64)] = "",
    date_to: Annotated[str, Query(alias="to", max_length=64)] = "",
    page_no: Annotated[int, Query(alias="page", ge=1, le=10_000)] = 1,
) -> Response:
    reads = ScopedReads(page.services.ledger, page.actor)
    reads.scope.check_reads_records("list documents", "查阅文书台账")
    filters = Filters(unit, kind, date_from, date_to, page_no)
    documents = await run_in_threadpool(_register, page.services, reads, filters)
    units = [u for u in page.services.ledger.reference.units.values() if u.kind in ISSUING_KINDS]
    context = {"filters": filters, "documents": documents, "units": units, "kinds": list(DocumentKind)}
    return render(page.request, "documents/list.html", context, actor=page.actor, area="documents", title="文书台账")


def _download(page: Page, document_id: str, fmt: str) -> Response:
    reads = ScopedReads(page.services.ledger, page.actor)
    served = document_file(page.services, reads, record_id(document_id, "document_not_found"), fmt)
    return apply_cookies(Response(served.content, media_type=served.media_type, headers=served.headers), page.request)


# The files first: "/documents/{id}" would take "x.pdf" as its id.
@router.get("/documents/{document_id}.pdf")
async def document_pdf(page: PageContext, document_id: str) -> Response:
    return await run_in_threadpool(_download, page, document_id, "pdf")


@router.get("/documents/{document_id}.docx")
async def document_docx(page: PageContext, document_id: str) -> Response:
    return await run_in_threadpool(_download, page, document_id, "docx")


def _document_page(services: Services, reads: ScopedReads, did: UUID) -> dict[str, Any]:
    document = reads.document(did)  # 404 outside the reader's scope, as GET /api/v1/documents/{id}
    return {"document": document, "events": in_business_order(services.ledger.history(did))}


@router.get("/documents/{document_id}")
async def document_page(page: PageContext, document_id: str) -> Response:
    reads = ScopedReads(page.services.ledger, page.actor)
    context = await run_in_threadpool(_document_page, page.services, reads, record_id(document_id, "document_not_found"))
    d = context["document"]
    title = f"{d['kind_zh']} {d['number']}"
    return render(page.request, "documents/detail.html", context, actor=page.actor, area="documents", title=title)


def _verification(services: Services, reads: ScopedReads, did: UUID) -> dict[str, Any]:
    return {"document": reads.document(did), "result": services.ledger.documents.verify(did)}


@router.get("/documents/{document_id}/verification")
async def verification(page: PageContext, document_id: str) -> Response:
    """The PDF rendered again from the events it was issued from, its SHA-256 compared with the one issued."""
    reads = ScopedReads(page.services.ledger, page.actor)
    context = await run_in_threadpool(_verification, page.services, reads, record_id(document_id, "document_not_found"))
    title = f"核验：{context['document']['number']}"
    return render(page.request, "documents/verification.html", context, actor=page.actor, area="documents", title=title)
