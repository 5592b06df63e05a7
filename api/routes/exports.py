"""The annex forms as files: ``GET /reports/{annex}.xlsx`` and ``.csv`` (annex1, annex2, annex3), with the
query parameters of the JSON routes, named as the clerk files them (附件2_统计表_区安委办_2023-12-22.xlsx)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import Response

from adapters.annex_files import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, export, file_name
from api.deps import RecordsRead, ServicesDep
from api.routes.reports import AsOf, KnownAt, Reader, Unit, known, report_day
from app.reports import annex_table, unit_name
from app.wiring import Services
from domain.access import mask_phones, phones_visible
from domain.actor import Actor
from domain.read_scope import report_unit
from domain.report_submission import DISTRICT, check_annex
from domain.reporting_calendar import CalendarWarning, report_warnings

router = APIRouter(tags=["reports"])

MEDIA_TYPES = {"xlsx": XLSX_MEDIA_TYPE, "csv": CSV_MEDIA_TYPE}


WARNING_HEADER = "X-Report-Warning"


def download(
    annex: str, fmt: str, body: bytes, unit: str | None, name: str, day: date, warnings: Sequence[CalendarWarning] = ()
) -> Response:
    """The file with its Chinese name (RFC 5987 ``filename*``) and an ASCII fallback. A file has no body to
    carry the report's warnings: each is a header ``X-Report-Warning: <code>; message_zh*=UTF-8''<percent-
    encoded>; message_en="<text>"`` (the JSON routes' ``warnings``), and the codes a ``Warning: 299``."""
    chinese = file_name(annex, name, day, fmt)
    fallback = f"{annex}_{unit or DISTRICT}_{day.isoformat()}.{fmt}"
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(chinese, safe='')}"
    headers = [("Content-Disposition", disposition)]
    for w in warnings:
        english = w.message_en.replace("\\", "").replace('"', "'")
        zh = quote(w.message_zh, safe="")
        headers.append((WARNING_HEADER, f'{w.code.value}; message_zh*=UTF-8\'\'{zh}; message_en="{english}"'))
        headers.append(("Warning", f'299 hazard-ledger "{w.code.value}: {english}"'))
    response = Response(body, media_type=MEDIA_TYPES[fmt])
    for key, value in headers:
        response.headers.append(key, value)
    return response


def _export(
    annex: str, fmt: str, services: Services, who: Actor, unit: str | None, as_of: date | None, known_at: datetime | None
) -> Response:
    check_annex(annex)
    unit = report_unit(who, unit)
    day = report_day(as_of)
    table = annex_table(services, annex, unit, day, known(known_at))
    name = unit_name(services, unit)
    if annex == "annex3" and not phones_visible(who):
        mask_phones(table["rows"])
    warnings = report_warnings(services.ledger.reference, day)
    return download(annex, fmt, export(annex, table, fmt, unit_name=name, filled_on=day), unit, name, day, warnings)


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
    """The annex as the printed form, in XLSX (A4 landscape). Annex 3: ``as_of`` is the 填报时间 printed;
    phone numbers are masked unless the reader's role may see them."""
    return _export(annex, "xlsx", services, who, unit, as_of, known_at)


@router.get("/reports/{annex}.csv", response_class=Response, responses=_file("text/csv", "The annex as CSV (UTF-8 with BOM)"))
def export_csv(
    annex: str, services: ServicesDep, who: Reader, unit: Unit = None, as_of: AsOf = None, known_at: KnownAt = None
) -> Response:
    """The same rows as the XLSX, as CSV (UTF-8 with BOM)."""
    return _export(annex, "csv", services, who, unit, as_of, known_at)
