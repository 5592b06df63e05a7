"""/ui/overview: 总览 — the city's three KPIs with their monthly trends (as of a cut-off), the hazards by
state, sector and street, overdue and listed, and the units under warning; every count links to its list,
and each KPI figure to the records behind it (``/ui/annexes/kpi/cell``).

Reads are the API's: the KPIs ``services.annexes.kpis`` with ``report_unit`` (``GET /api/v1/kpis``), the
warnings ``process_queries.warnings`` (``GET /api/v1/warnings``), and the counts ``services.queries.tally``
— the hazard list's own conditions and scope, so a figure equals the total of the list it links to (the
list is today's; the KPIs and warnings are as of the chosen day).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from app.wiring import Services
from domain.actor import Actor
from domain.business_time import business_date
from domain.glossary import HazardState, Kpi, OrgKind, WarningLevel, WarningState
from domain.read_scope import read_scope, report_unit
from domain.reporting_calendar import report_day
from projections.hazard_queries import HazardFilter
from projections.process_queries import AsOf, WarningFilter
from web.pages.annexes import kpi_cell_url
from web.pages.hazards import Filters
from web.render import render
from web.routing import PageRoute
from web.session import PageContext

router = APIRouter(route_class=PageRoute)
EVERY = 1_000_000  # warnings read at once: they are grouped by unit here, not paged
SUFFIX = {Kpi.DYNAMIC_RECTIFICATION_RATE: "%", Kpi.MAJORS_PER_THOUSAND_DEPARTMENT_INSPECTIONS: "", Kpi.SELF_FOUND_RATE: "%"}


def _link(**filters: Any) -> str:
    return Filters(**filters).url(1)


def _kpis(kpis: dict[str, Any]) -> dict[str, Any]:
    """The KPI cards and the trend charts' data (embedded as JSON; the tables are their text alternative)."""
    months = [t["as_of"][:7] for t in kpis["trend"]]
    series = [
        {"key": k.value, "name": k.zh, "suffix": SUFFIX[k], "value": str(kpis[k.value]),
         "values": [float(t[k.value]) for t in kpis["trend"]]}
        for k in Kpi
    ]  # fmt: skip
    return {"months": months, "series": series}


def _counts(services: Services, actor: Actor) -> dict[str, Any]:
    reference = services.ledger.reference
    rows = services.queries.tally(HazardFilter(scope=read_scope(actor, reference)))
    by_state: Counter[str] = Counter()
    by_sector: dict[str, Counter[str]] = {}
    by_street: dict[str, Counter[str]] = {}
    for r in rows:
        n = r["count"]
        by_state[r["state"]] += n
        # A "其中" row counts in its parent row, as the list's sector filter does (domain.figures.sector_members).
        sector = reference.sector(r["sector"]).parent or r["sector"]
        for table, key in ((by_sector, sector), (by_street, r["jurisdiction"])):
            counts = table.setdefault(key, Counter())
            counts["total"] += n
            counts[r["state"]] += n
            counts["overdue"] += n if r["overdue"] else 0
    streets = [u for u in reference.units.values() if u.kind in (OrgKind.STREET, OrgKind.ZONE) and u.id in by_street]
    return {
        "total": sum(by_state.values()),
        "overdue": sum(r["count"] for r in rows if r["overdue"]),
        "listed": sum(r["count"] for r in rows if r["listed"]),
        "by_state": [(s, by_state[s]) for s in HazardState],
        "sectors": [(s, by_sector[s.id]) for s in reference.sectors.values() if s.id in by_sector],
        "streets": [(u, by_street[u.id]) for u in streets],
    }


def _warned_units(services: Services, actor: Actor, day: date) -> list[dict[str, Any]]:
    """Units with warnings as of ``day``: confirmed ones and proposals, the highest level first."""
    found = services.process_queries.warnings(
        WarningFilter(as_of=AsOf(day), limit=EVERY, scope=read_scope(actor, services.ledger.reference))
    )
    order = list(WarningLevel)
    units: dict[str, dict[str, Any]] = {}
    for w in found["items"]:
        if w["state"] == WarningState.DISMISSED:
            continue
        blank = {"name": w["unit_name"], "confirmed": 0, "proposed": 0, "level": order[0]}
        unit = units.setdefault(w["unit_id"], blank)
        unit["confirmed" if w["state"] == WarningState.CONFIRMED else "proposed"] += 1
        unit["level"] = max(unit["level"], WarningLevel(w["level"]), key=order.index)
    return sorted(units.values(), key=lambda u: (-order.index(u["level"]), -u["confirmed"], -u["proposed"], u["name"]))


def overview(services: Services, actor: Actor, as_of: date | None) -> dict[str, Any]:
    unit = report_unit(actor, None)  # refuses a reader of no report (an enterprise), as GET /api/v1/kpis
    day = report_day(as_of, business_date(services.ledger.clock.now()))
    kpis = services.annexes.kpis(unit, day, None)
    return {
        "day": day, "unit_name": kpis["unit_name"], "kpis": _kpis(kpis), "counts": _counts(services, actor),
        "warned": _warned_units(services, actor, day), "link": _link,
        "kpi_link": lambda key: kpi_cell_url(key, day.isoformat()),  # the records behind the figure
    }  # fmt: skip


@router.get("/overview")
async def overview_page(page: PageContext, as_of: Annotated[str, Query(max_length=10)] = "") -> Response:
    try:  # a date the picker did not send is no date (the latest cut-off), as the list's unknown filters
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        day = None
    context = await run_in_threadpool(overview, page.services, page.actor, day)
    return render(page.request, "overview/overview.html", context, actor=page.actor, area="overview", title="总览")
