"""/ui/accidents: accident statistics (事故统计) as of a day, for a unit the reader may choose, and the 区安委办's
monthly bulletin (本月事故情况通报) as XLSX.

Every read is the API's: ``app.accident_reports.read_accidents`` (the unit by ``domain.read_scope.report_unit``)
as ``GET /api/v1/statistics/accidents``, and ``app.accident_reports.bulletin_file`` as
``GET /api/v1/reports/accident-bulletin.xlsx`` (the API takes bearer tokens, not the pages' cookies).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from app.accident_reports import bulletin_file, read_accidents
from domain.glossary import AccidentBreakdown, AccidentMeasure, Comparison
from web.pages.annexes import address, parse_day, unit_choices
from web.render import render
from web.routing import PageRoute
from web.session import Page, PageContext, apply_cookies

router = APIRouter(route_class=PageRoute)
Text = Annotated[str, Query(max_length=64)]


def _bulletin(page: Page, month: str, unit: str) -> Response:
    printed = bulletin_file(page.services, page.actor, month, unit or None)
    response = Response(printed.body, media_type=printed.media_type)
    for key, value in printed.headers:
        response.headers.append(key, value)
    return apply_cookies(response, page.request)


# Before any /accidents/{…} of its own: the file's address is fixed.
@router.get("/accidents/bulletin.xlsx")
async def bulletin(page: PageContext, month: Text, unit: Text = "") -> Response:
    return await run_in_threadpool(_bulletin, page, month, unit)


@router.get("/accidents")
async def statistics(page: PageContext, unit: Text = "", as_of: Text = "") -> Response:
    services = page.services
    read = await run_in_threadpool(read_accidents, services, page.actor, unit or None, parse_day(as_of), None)
    view = read.view(services)
    month = read.statistics.as_of.strftime("%Y-%m")
    context = {
        "s": view, "unit": read.unit or "", "units": unit_choices(page), "month": month,
        "bulletin": address("/ui/accidents/bulletin.xlsx", month=month, unit=read.unit),
        "measures": list(AccidentMeasure), "breakdowns": list(AccidentBreakdown), "Comparison": Comparison,
    }  # fmt: skip
    title = f"事故统计（{read.unit_name}，截至 {view['as_of']}）"
    return render(page.request, "accidents/statistics.html", context, actor=page.actor, area="accidents", title=title)
