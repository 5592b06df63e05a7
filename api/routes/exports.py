"""The annex forms as files: ``GET /reports/{annex}.xlsx`` and ``.csv`` (annex1, annex2, annex3), with the
query parameters of the JSON routes, named as the clerk files them (附件2_统计表_区安委办_2023-12-22.xlsx)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from adapters.annex_files import XLSX_MEDIA_TYPE
from api.deps import RecordsRead, ServicesDep
from api.routes.reports import AsOf, KnownAt, Reader, Unit
from app.reports import WARNING_HEADER, annex_file
from app.wiring import Services
from domain.actor import Actor

router = APIRouter(tags=["reports"])


def _export(
    annex: str, fmt: str, services: Services, who: Actor, unit: str | None, as_of: date | None, known_at: datetime | None
) -> Response:
    printed = annex_file(services, who, annex, fmt, unit, as_of, known_at)
    response = Response(printed.body, media_type=printed.media_type)
    for key, value in printed.headers:
        response.headers.append(key, value)
    return response


def _file(media_type: str, what: str) -> dict[int | str, dict[str, Any]]:
    warning = {
        "description": "outside_campaign when the cut-off lies outside the campaign: the code; message_zh*=UTF-8''"
        '<percent-encoded>; message_en="<text>" (the JSON reports\' warnings)',
        "schema": {"type": "string"},
    }
    content = {media_type: {"schema": {"type": "string", "format": "binary"}}}
    return {200: {"description": what, "content": content, "headers": {WARNING_HEADER: warning}}}


@router.get("/reports/{annex}.xlsx", response_class=Response, responses=_file(XLSX_MEDIA_TYPE, "The annex as an XLSX workbook"))
def export_xlsx(
    annex: str,
    services: ServicesDep,
    read_at: RecordsRead,
    who: Reader,
    unit: Unit = None,
    as_of: AsOf = None,
    known_at: KnownAt = None,
) -> Response:
    """The annex as the printed form, in XLSX: Annex 1 on one A4 portrait page, Annexes 2 and 3 on A4 landscape
    fitted to the width; 审核人, 填报联系人 and 联系电话 from the unit's submission of the annex and cut-off.
    Annex 3: ``as_of`` is the 填报时间 printed; phone numbers are masked unless the reader's role may see them."""
    return _export(annex, "xlsx", services, who, unit, as_of, known_at)


@router.get("/reports/{annex}.csv", response_class=Response, responses=_file("text/csv", "The annex as CSV (UTF-8 with BOM)"))
def export_csv(
    annex: str, services: ServicesDep, who: Reader, unit: Unit = None, as_of: AsOf = None, known_at: KnownAt = None
) -> Response:
    """The same rows as the XLSX, as CSV (UTF-8 with BOM)."""
    return _export(annex, "csv", services, who, unit, as_of, known_at)
