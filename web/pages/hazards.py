"""/ui/hazards: the hazard list (filters, paging; htmx swaps the results) and one hazard's page.

The list is ``services.queries.list(HazardFilter(…, scope=…))`` — the read of ``GET /api/v1/hazards`` —
with the reader's scope from ``domain.read_scope.read_scope``. A hazard's page reads through
``ScopedReads`` (404 outside the scope, as the API): the hazard's view (``GET /hazards/{id}``), its
history (``/events``), its chain of people (``GET /accountability/hazards/{id}``), the cases citing it
(``GET /cases/{id}``, each checked for the reader) and its evidence files, served after the same check
as ``GET /hazards/{id}/evidence/{sha256}`` (``app/record_reads.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from app.record_reads import case_view, evidence_file
from app.wiring import Services
from domain.evidence import INLINE_MEDIA_TYPES
from domain.glossary import Grade, HazardState, OrgKind
from domain.read_scope import ScopedReads, read_scope
from domain.reference_data import ReferenceData
from projections.hazard_queries import HazardFilter
from web.records import RecordDocuments, in_business_order, readable, record_documents, record_id
from web.render import is_htmx, render
from web.routing import PageRoute
from web.session import PageContext

router = APIRouter(route_class=PageRoute)
PAGE_SIZE = 20
Text = Annotated[str, Query(max_length=100)]


@dataclass(frozen=True)
class Filters:
    """The list's filters as the form sends them (text; an unknown value is no filter, not an error)."""

    state: str = ""
    sector: str = ""
    street: str = ""
    major: bool = False
    overdue: bool = False
    listed: bool = False
    due_by: str = ""  # ISO date: a deadline on or before it (我的工作's deadlines near)
    q: str = ""
    page: int = 1

    def query(self, reference: ReferenceData, scope: Any) -> HazardFilter:
        return HazardFilter(
            state=HazardState(self.state) if self.state in HazardState._value2member_map_ else None,
            sector=self.sector if self.sector in reference.sectors else None,
            unit=self.street if self.street in reference.units else None,
            grade=Grade.MAJOR if self.major else None,
            overdue=True if self.overdue else None,
            listed=True if self.listed else None,
            deadline_by=_day(self.due_by),
            text=self.q.strip() or None,
            limit=PAGE_SIZE,
            offset=(self.page - 1) * PAGE_SIZE,
            scope=scope,
        )

    def url(self, page: int) -> str:
        """The list's address with these filters, on ``page``."""
        params = {
            "state": self.state, "sector": self.sector, "street": self.street, "major": "1" if self.major else "",
            "overdue": "1" if self.overdue else "", "listed": "1" if self.listed else "", "due_by": self.due_by,
            "q": self.q.strip(), "page": str(page) if page > 1 else "",
        }  # fmt: skip
        query = urlencode({k: v for k, v in params.items() if v})
        return "/ui/hazards" + (f"?{query}" if query else "")


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _choices(reference: ReferenceData) -> dict[str, Any]:
    streets = [u for u in reference.units.values() if u.kind in (OrgKind.STREET, OrgKind.ZONE)]
    return {"states": list(HazardState), "sectors": list(reference.sectors.values()), "streets": streets}


@router.get("/hazards")
async def hazard_list(
    page: PageContext,
    state: Text = "",
    sector: Text = "",
    street: Text = "",
    major: Text = "",
    overdue: Text = "",
    listed: Text = "",
    due_by: Text = "",
    q: Text = "",
    page_no: Annotated[int, Query(alias="page", ge=1, le=10_000)] = 1,
) -> Response:
    services = page.services
    reference = services.ledger.reference
    scope = read_scope(page.actor, reference)
    scope.check_reads_records("list hazards", "查阅隐患清单")
    filters = Filters(state, sector, street, bool(major), bool(overdue), bool(listed), due_by, q, page_no)
    result = await run_in_threadpool(services.queries.list, filters.query(reference, scope))
    pages = max(1, -(-result["total"] // PAGE_SIZE))
    context = {"filters": filters, "result": result, "pages": pages, **_choices(reference)}
    if is_htmx(page.request):  # the filter form or a pager link: the results only
        return render(page.request, "hazards/_results.html", context, actor=page.actor)
    # The quick filters: the overdue majors of each sector that has any, one click each (the clerk's question).
    overdue_majors = HazardFilter(grade=Grade.MAJOR, overdue=True, scope=scope)
    counts = await run_in_threadpool(services.queries.count_by_sector, overdue_majors)
    context["overdue_majors"] = [
        (reference.sectors[s], n, Filters(sector=s, major=True, overdue=True).url(1)) for s, n in counts.items()
    ]
    return render(page.request, "hazards/list.html", context, actor=page.actor, area="hazards", title="隐患清单")


def _evidence(hazard: dict[str, Any], events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The files attached to the hazard, as their events describe them (name, media type, when, where)."""
    attached = [{**e["data"], "event": e} for e in events if e["type"] == "EvidenceAttached"]
    return [f for f in attached if f["sha256"] in hazard["evidence"]]


@dataclass(frozen=True)
class HazardPage:
    hazard: dict[str, Any]
    enterprise: dict[str, Any] | None
    events: list[dict[str, Any]]  # in business order
    evidence: list[dict[str, Any]]
    chain: dict[str, Any] | None  # None: the accountability read model has not caught up with this hazard yet
    cases: list[dict[str, Any]]  # the enforcement cases citing it that the reader may see
    documents: RecordDocuments


def _hazard_page(services: Services, reads: ScopedReads, hid: UUID) -> HazardPage:
    hazard = reads.hazard(hid)  # 404 outside the reader's scope, as GET /api/v1/hazards/{id}
    enterprise = readable(lambda: reads.enterprise(UUID(str(hazard["enterprise_id"]))))
    events = in_business_order(services.ledger.history(hid))
    chain = readable(lambda: services.accountability_queries.hazard_chain(str(hid)))  # GET /accountability/hazards/{id}
    citing = [c["id"] for c in (chain or {}).get("citing_cases", []) if c["kind"] == "case"]
    cases = [c for cid in citing if (c := readable(partial(case_view, services, reads, UUID(cid))))]
    documents = record_documents(services, reads, hid)
    return HazardPage(hazard, enterprise, events, _evidence(hazard, events), chain, cases, documents)


@router.get("/hazards/{hazard_id}")
async def hazard_page(page: PageContext, hazard_id: str) -> Response:
    reads = ScopedReads(page.services.ledger, page.actor)
    found = await run_in_threadpool(_hazard_page, page.services, reads, record_id(hazard_id, "hazard_not_found"))
    title = f"隐患：{found.hazard['description'][:30]}"
    context = {"h": found, "hazard": found.hazard, "inline": INLINE_MEDIA_TYPES}
    return render(page.request, "hazards/detail.html", context, actor=page.actor, area="hazards", title=title)


@router.get("/hazards/{hazard_id}/evidence/{sha256}")
async def evidence(page: PageContext, hazard_id: str, sha256: str) -> Response:
    """An attached file, after the scope check of GET /api/v1/hazards/{id}/evidence/{sha256} (the same read)."""
    reads = ScopedReads(page.services.ledger, page.actor)
    hid = record_id(hazard_id, "hazard_not_found")
    served = await run_in_threadpool(evidence_file, page.services, reads, hid, sha256)
    return Response(served.content, media_type=served.media_type, headers=served.headers)
