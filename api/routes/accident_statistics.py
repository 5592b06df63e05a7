"""Accident statistics (事故统计) and the 区安委办's monthly accident bulletin (本月生产安全事故情况通报).

Registered before the annex files' ``/reports/{annex}.xlsx``, which would otherwise take
``accident-bulletin`` for an annex."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from adapters.annex_files import XLSX_MEDIA_TYPE
from api.deps import ProcessFactsRead, RecordsRead, ServicesDep, replica_lag
from api.routes.reports import KnownAt, Reader, Unit
from app.accident_reports import bulletin_file, read_accidents

router = APIRouter(tags=["reports"], dependencies=[Depends(replica_lag)])


@router.get("/statistics/accidents")
def accident_statistics(
    services: ServicesDep,
    facts_at: ProcessFactsRead,
    records_at: RecordsRead,
    who: Reader,
    unit: Unit = None,
    as_of: Annotated[date | None, Query(description="business date (Beijing); default today")] = None,
    known_at: KnownAt = None,
) -> dict[str, Any]:
    """事故统计 as of ``as_of`` (accidents dated by the end of that Beijing day) and as known at ``known_at``:
    起数, 死亡人数, 受伤人数, 直接经济损失（万元） for the month to date (``month``: 同比 and 环比) and the year to
    date (``year_to_date``: 同比), every month of the year (``months``), and the breakdowns by sector row,
    street and grade (``breakdowns``: rows with an accident in either period compared). A change is
    ``{current, previous, difference, percent}``, ``percent`` null ("—") when the previous figure is 0.
    ``accidents``: the month's. A unit's staff read their own unit's; the district roles any or the district."""
    return read_accidents(services, who, unit, as_of, known_at).view(services)


@router.get(
    "/reports/accident-bulletin.xlsx",
    response_class=Response,
    responses={200: {"description": "The bulletin as an XLSX workbook",
                     "content": {XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}}}},
)  # fmt: skip
def accident_bulletin(
    services: ServicesDep,
    facts_at: ProcessFactsRead,
    records_at: RecordsRead,
    who: Reader,
    month: Annotated[str, Query(description="the month, YYYY-MM", examples=["2023-06"])],
    unit: Unit = None,
) -> Response:
    """本月生产安全事故情况通报: the month's accidents listed with their total, the figures with 同比 and 环比,
    and the breakdowns by sector row, street and grade; as of the month's last day (today during the month).
    One sheet, A4 landscape fitted to the width."""
    printed = bulletin_file(services, who, month, unit)
    response = Response(printed.body, media_type=printed.media_type)
    for key, value in printed.headers:
        response.headers.append(key, value)
    return response
