"""/ui/cases/{id}: one enforcement case, as ``GET /api/v1/cases/{id}`` shows it (``app.record_reads.case_view``:
the same scope check and the derived closure recommendation), with the hazards it cites and its history."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from app.record_reads import case_view
from app.wiring import Services
from domain.read_scope import ScopedReads
from web.records import in_business_order, readable, record_documents, record_id
from web.render import render
from web.routing import PageRoute
from web.session import PageContext

router = APIRouter(route_class=PageRoute)


def _case_page(services: Services, reads: ScopedReads, cid: UUID) -> dict[str, Any]:
    case = case_view(services, reads, cid)  # 404 outside the reader's scope, as the API
    cited = [h for hid in case["cited_hazard_ids"] if (h := readable(lambda hid=hid: reads.hazard(UUID(hid))))]
    return {
        "case": case,
        "enterprise": readable(lambda: reads.enterprise(UUID(case["enterprise_id"]))),
        "cited": cited,
        "events": in_business_order(services.ledger.history(cid)),
        "documents": record_documents(services, reads, cid),
    }


@router.get("/cases/{case_id}")
async def case_page(page: PageContext, case_id: str) -> Response:
    reads = ScopedReads(page.services.ledger, page.actor)
    context = await run_in_threadpool(_case_page, page.services, reads, record_id(case_id, "case_not_found"))
    title = f"执法案件：{context['case']['case_number']}"
    return render(page.request, "cases/detail.html", context, actor=page.actor, area="hazards", title=title)
