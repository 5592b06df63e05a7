"""Reports: the three annex tables, the city's KPIs, the lineage of any cell, and the reporting calendar.

A report's ``as_of`` defaults to the latest cut-off (5th / 12th / 22nd, ``domain.reporting_calendar.
default_cut_off``); a day outside the campaign is answered as any other, with a warning (``warnings``)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from api.deps import RecordsRead, ServicesDep, replica_lag
from api.identity import CurrentActor
from app.reports import calendar_view, known, report_day
from domain.access import mask_phones, phones_visible
from domain.bounds import cut_off
from domain.business_time import business_date
from domain.errors import DomainError
from domain.read_scope import report_unit
from domain.reference_data import ReferenceData
from domain.reporting_calendar import report_warnings

router = APIRouter(tags=["reports"])
FROM_REPLICA = [Depends(replica_lag)]  # the annex figures are read from the replica when there is one

Unit = Annotated[
    str | None,
    Query(description="reporting unit id (e.g. yjj, wulong); omit for the district roll-up (a unit's own staff: their unit)"),
]
AsOf = Annotated[
    date | None, Query(description="cut-off business date (Beijing); default the latest cut-off (the 5th, 12th or 22nd)")
]
KnownAt = Annotated[datetime | None, Query(description="system time: the figures as they were known then (default: now)")]


def warned(reference: ReferenceData, body: dict[str, Any], day: date) -> dict[str, Any]:
    """The report with its ``warnings`` (``[{code, message_zh, message_en}]``; empty when the day is
    inside the campaign): the figures are answered whatever the day."""
    body["warnings"] = [w.as_dict() for w in report_warnings(reference, day)]
    return body


# Every report names its reader: a unit's staff read their own unit's tables, the 区安委办, auditors and
# experts any unit's or the district's, an enterprise none (domain.read_scope.report_unit).
Reader = CurrentActor


@router.get("/reports/annex1", dependencies=FROM_REPLICA)
def annex1(
    services: ServicesDep, read_at: RecordsRead, who: Reader, unit: Unit = None, as_of: AsOf = None, known_at: KnownAt = None
) -> dict[str, Any]:
    """附件1 调度表: cumulative since the campaign start, per reporting unit or for the district."""
    day = report_day(as_of)
    return warned(services.ledger.reference, services.annexes.annex1(report_unit(who, unit), day, known(known_at)), day)


@router.get("/reports/annex2", dependencies=FROM_REPLICA)
def annex2(
    services: ServicesDep, read_at: RecordsRead, who: Reader, unit: Unit = None, as_of: AsOf = None, known_at: KnownAt = None
) -> dict[str, Any]:
    """附件2 统计表: 累计总计, 本月总计 and one row per sector, as of a cut-off."""
    day = report_day(as_of)
    return warned(services.ledger.reference, services.annexes.annex2(report_unit(who, unit), day, known(known_at)), day)


@router.get("/reports/annex3", dependencies=FROM_REPLICA)
def annex3(services: ServicesDep, read_at: RecordsRead, who: Reader, unit: Unit = None) -> dict[str, Any]:
    """附件3 4个清单: one row per risk point. Phone numbers are masked unless the reader's role may see them."""
    table = services.annexes.annex3(report_unit(who, unit))
    table["phones_masked"] = not phones_visible(who)
    if table["phones_masked"]:
        mask_phones(table["rows"])
    return warned(services.ledger.reference, table, business_date(datetime.now(UTC)))  # the lists as they are today


@router.get("/kpis", dependencies=FROM_REPLICA)
def kpis(
    services: ServicesDep, read_at: RecordsRead, who: Reader, unit: Unit = None, as_of: AsOf = None, known_at: KnownAt = None
) -> dict[str, Any]:
    """重大事故隐患动态整改率, 部门每千次检查发现重大事故隐患数, 企业自查发现重大事故隐患率, with monthly trends."""
    day = report_day(as_of)
    return warned(services.ledger.reference, services.annexes.kpis(report_unit(who, unit), day, known(known_at)), day)


@router.get("/reports/{annex}/lineage", dependencies=FROM_REPLICA)
def lineage(
    annex: str,
    services: ServicesDep,
    read_at: RecordsRead,
    who: Reader,
    key: Annotated[str, Query(description="item or column key, e.g. majors_rectified; for KPIs the KPI name")],
    row: Annotated[str, Query(description="annex2: cumulative, month, or a sector id")] = "cumulative",
    figure: Annotated[str | None, Query(description="annex1 items with two figures: which one")] = None,
    unit: Unit = None,
    as_of: AsOf = None,
    known_at: KnownAt = None,
) -> dict[str, Any]:
    """Drill-down: the records behind one cell (or KPI), each with the version of the event that counts it."""
    if annex not in ("annex1", "annex2", "kpi"):
        raise DomainError("unknown_cell", annex=annex, key=key)
    day = report_day(as_of)
    found = services.annexes.lineage(annex, key, report_unit(who, unit), day, known(known_at), row=row, figure=figure)
    return warned(services.ledger.reference, found, day)


@router.get("/reports/calendar")
def reporting_calendar(
    services: ServicesDep,
    who: Reader,
    unit: Annotated[
        str | None, Query(description="reporting unit id (e.g. yjj); omit for every unit (a unit's own staff: their unit)")
    ] = None,
    as_of: Annotated[date | None, Query(description="business date (Beijing); default today")] = None,
    known_at: KnownAt = None,
) -> dict[str, Any]:
    """报送日历: each unit's reports due by ``as_of`` (调度表 monthly by the 22nd, 统计表 on the 5th, 12th and
    22nd, the 4张清单 by 12 June) with their status (on_time 按时报送, late 逾期报送, missing 未报送,
    not_yet_due 未到报送期限: due today), who is late (``late``), the ``ReportMissed`` facts (``missed``:
    the day after the due date, a late report included), and the one-off reports on paper (``paper``).
    ``known_at``: only submissions recorded by then count. A unit's staff read their own unit's."""
    today = business_date(datetime.now(UTC))
    return calendar_view(services, cut_off(as_of, today), known(known_at), report_unit(who, unit))
