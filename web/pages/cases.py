"""/ui/cases/{id}: an enforcement case (执法案件) — its facts and the acts on it (web/forms.py).

Read through ``ScopedReads.case`` (404 outside the reader's scope, as ``GET /api/v1/cases/{id}``).
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from domain.errors import DomainError
from domain.read_scope import ScopedReads
from web.render import render
from web.routing import PageRoute
from web.session import PageContext

router = APIRouter(route_class=PageRoute)


@router.get("/cases/{case_id}")
async def case_page(page: PageContext, case_id: str) -> Response:
    try:
        cid = UUID(case_id)
    except ValueError:
        raise DomainError("case_not_found", id=case_id) from None
    case = await run_in_threadpool(ScopedReads(page.services.ledger, page.actor).case, cid)
    title = f"执法案件：{case['case_number']}"
    return render(page.request, "cases/detail.html", {"case": case}, actor=page.actor, area="hazards", title=title)
