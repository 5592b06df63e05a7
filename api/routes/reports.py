"""Reports: the three annex tables, the city's KPIs, and the lineage of any cell."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import RecordsRead, ServicesDep
from api.identity import CurrentActor
from domain.access import mask_phones, phones_visible
from domain.bounds import cut_off, known_time
from domain.business_time import business_date
from domain.errors import DomainError
from domain.read_scope import report_unit

router = APIRouter(tags=["reports"])

Unit = Annotated[
    str | None,
    Query(description="reporting unit id (e.g. yjj, wulong); omit for the district roll-up (a unit's own staff: their unit)"),
]
AsOf = Annotated[date | None, Query(description="cut-off business date (Beijing); default today")]
KnownAt = Annotated[datetime | None, Query(description="system time: the figures as they were known then (default: now)")]


def _as_of(as_of: date | None) -> date:
    return cut_off(as_of, business_date(datetime.now(UTC)))


def known(known_at: datetime | None) -> datetime | None:
    return known_time(known_at, business_date(datetime.now(UTC)))


# Every report names its reader: a unit's staff read their own unit's tables, the 区安委办, auditors and
# experts any unit's or the district's, an enterprise none (domain.read_scope.report_unit).
Reader = CurrentActor


@router.get("/reports/annex1")
def annex1(
    services: ServicesDep, read_at: RecordsRead, who: Reader, unit: Unit = None, as_of: AsOf = None, known_at: KnownAt = None
) -> dict[str, Any]:
    """附件1 调度表: cumulative since the campaign start, per reporting unit or for the district."""
    return services.annexes.annex1(report_unit(who, unit), _as_of(as_of), known(known_at))


@router.get("/reports/annex2")
def annex2(
    services: ServicesDep, read_at: RecordsRead, who: Reader, unit: Unit = None, as_of: AsOf = None, known_at: KnownAt = None
) -> dict[str, Any]:
    """附件2 统计表: 累计总计, 本月总计 and one row per sector, as of a cut-off."""
    return services.annexes.annex2(report_unit(who, unit), _as_of(as_of), known(known_at))


@router.get("/reports/annex3")
def annex3(services: ServicesDep, read_at: RecordsRead, who: Reader, unit: Unit = None) -> dict[str, Any]:
    """附件3 4个清单: one row per risk point. Phone numbers are masked unless the reader's role may see them."""
    table = services.annexes.annex3(report_unit(who, unit))
    table["phones_masked"] = not phones_visible(who)
    if table["phones_masked"]:
        mask_phones(table["rows"])
    return table


@router.get("/kpis")
def kpis(
    services: ServicesDep, read_at: RecordsRead, who: Reader, unit: Unit = None, as_of: AsOf = None, known_at: KnownAt = None
) -> dict[str, Any]:
    """重大事故隐患动态整改率, 部门每千次检查发现重大事故隐患数, 企业自查发现重大事故隐患率, with monthly trends."""
    return services.annexes.kpis(report_unit(who, unit), _as_of(as_of), known(known_at))


@router.get("/reports/{annex}/lineage")
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
    return services.annexes.lineage(annex, key, report_unit(who, unit), _as_of(as_of), known(known_at), row=row, figure=figure)
