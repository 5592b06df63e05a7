"""Running totals for the district roll-up, kept by the records projection in the same transaction
as the rows, so that a district report as known now reads a few thousand day totals instead of
every hazard and inspection (Annex 2 of a district of 1M events: DESIGN §6, bench/RESULTS.md).

* Hazard cohorts. A major counts in a cohort figure at cut-off D (period from S) when it was reported
  in the period, reached the cohort's milestones by D and was not voided by D. With ``in`` the
  business day of the last of those moments and ``out`` the day it was voided, that is
  ``in <= D < out``: +1 on day ``in``, -1 on day ``max(in, out)``, and the figure is the sum of the
  deltas up to D. Keyed also by the month the hazard was reported, the same sums give 本月 (the period
  from the 1st of D's month). A changed row takes back its old deltas and adds its new ones.
* Inspection sets. An enterprise is in "inspected" for a period when its first such inspection in the
  period is on or before D: the first day per enterprise over the campaign (bucket 0) and per month
  (bucket yyyymm). Inspections never leave a set (their kind and time never change).

The SQL conditions of the same figures (projections/measures.py) are built from these definitions,
so the row scan and the totals count one thing. Totals are for ``known_at`` = now: a figure as known
at an earlier system time needs the recording times, which only the row scan reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Date, Integer, MetaData, String, Table, and_, bindparam, case, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from domain.business_time import business_date
from domain.glossary import Grade, HazardSource, InspectionKind
from projections.rowstate import Row, utc

CAMPAIGN = 0  # the bucket of a whole campaign (months are yyyymm)
NO_SECTOR = ""  # key columns cannot be NULL; a record without a sector row is kept under ""


@dataclass(frozen=True)
class Cohort:
    """Majors reported in the period and not voided by the cut-off, of the given sources (None: any),
    that reached every one of ``milestones`` by the cut-off."""

    milestones: tuple[str, ...] = ()
    sources: tuple[str, ...] | None = None


SELF = HazardSource.SELF_INSPECTION.value
FOUND_BY_DEPARTMENTS = (HazardSource.DEPARTMENT_INSPECTION.value, HazardSource.SUPERVISION.value)
RECTIFIED = "verified"  # closing (销号) needs a passed verification first

HAZARD_COHORTS: dict[str, Cohort] = {
    "majors": Cohort(),
    "majors_planned": Cohort(("plan",)),
    "majors_planned_listed": Cohort(("plan", "listed")),
    "majors_rectified": Cohort((RECTIFIED,)),
    "self_found": Cohort(sources=(SELF,)),
    "self_found_rectified": Cohort((RECTIFIED,), (SELF,)),
    "department_found": Cohort(sources=FOUND_BY_DEPARTMENTS),
    "department_found_rectified": Cohort((RECTIFIED,), FOUND_BY_DEPARTMENTS),
    "listed": Cohort(("listed",)),
    "listed_rectified": Cohort(("listed", RECTIFIED)),
}

# Inspections by a regulator (every kind but the enterprise's own): 检查服务企业单位.
REGULATOR_KINDS = tuple(k.value for k in InspectionKind if k is not InspectionKind.SELF_INSPECTION)
INSPECTION_SETS: dict[str, tuple[str, ...]] = {"regulator_inspections": REGULATOR_KINDS}


def define(metadata: MetaData, suffix: str, campaign_start: date) -> dict[str, Table]:
    """The totals count from the campaign start, which their table names carry: a district that moves
    its campaign start declares new tables, and the projection is rebuilt (projections/engine.py)."""
    since = f"_{campaign_start:%Y%m%d}"
    return {
        "hazard_days": Table(
            f"rm_hazard_days{since}{suffix}",
            metadata,
            Column("sector", String(64), primary_key=True),
            Column("month", Integer, primary_key=True),  # the month the hazards were reported (yyyymm)
            Column("day", Date, primary_key=True),
            *(Column(name, Integer, nullable=False) for name in HAZARD_COHORTS),
        ),
        "inspection_firsts": Table(
            f"rm_inspection_firsts{since}{suffix}",
            metadata,
            Column("measure", String(64), primary_key=True),
            Column("bucket", Integer, primary_key=True),
            Column("sector", String(64), primary_key=True),
            Column("enterprise_id", String(36), primary_key=True),
            Column("first_day", Date, nullable=False, index=True),
        ),
    }


def month_of(day: date) -> int:
    return day.year * 100 + day.month


def _day(moment: datetime) -> date:
    return business_date(utc(moment))  # type: ignore[arg-type]  # SQLite gives back naive UTC


# ----- maintenance (the records projection, per batch) -------------------------------------------


Key = tuple[str, int, date]


def hazard_deltas(row: Row | None, campaign_start: date, sign: int, into: dict[Key, dict[str, int]]) -> None:
    """Adds ``sign`` × the row's day deltas (see the module's docstring) to ``into``."""
    if row is None or row.get("grade") != Grade.MAJOR.value or row.get("reported_occ") is None:
        return
    reported = _day(row["reported_occ"])
    if reported < campaign_start:
        return
    month = month_of(reported)
    sector = row["sector"] or NO_SECTOR
    out = _day(row["voided_occ"]) if row.get("voided_occ") is not None else None
    for name, cohort in HAZARD_COHORTS.items():
        if cohort.sources is not None and row["source"] not in cohort.sources:
            continue
        reached = [row[f"{m}_occ"] for m in cohort.milestones]
        if any(moment is None for moment in reached):
            continue
        day_in = max([reported, *(_day(moment) for moment in reached)])
        _add(into, (sector, month, day_in), name, sign)
        if out is not None:
            _add(into, (sector, month, max(day_in, out)), name, -sign)


def _add(into: dict[Key, dict[str, int]], key: Key, name: str, delta: int) -> None:
    totals = into.setdefault(key, {})
    totals[name] = totals.get(name, 0) + delta


def inspection_firsts(row: Row, campaign_start: date) -> Iterable[dict[str, Any]]:
    day = _day(row["occ"])
    if day < campaign_start:
        return
    for measure, kinds in INSPECTION_SETS.items():
        if row["kind"] in kinds:
            for bucket in (CAMPAIGN, month_of(day)):
                yield {"measure": measure, "bucket": bucket, "sector": row["sector"] or NO_SECTOR,
                       "enterprise_id": row["enterprise_id"], "first_day": day}  # fmt: skip


def write(conn: Any, tables: dict[str, Table], deltas: dict[Key, dict[str, int]], firsts: list[dict[str, Any]]) -> None:
    """Adds the batch's deltas to the day totals (dropping totals that come to zero everywhere, so a
    rebuild and a live catch-up leave the same rows) and keeps the earliest first day."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    days = tables["hazard_days"]
    rows = [
        {"sector": s, "month": m, "day": d, **{name: totals.get(name, 0) for name in HAZARD_COHORTS}}
        for (s, m, d), totals in deltas.items()
        if any(totals.values())
    ]
    if rows:
        stmt = dialect.insert(days)
        stmt = stmt.on_conflict_do_update(
            index_elements=["sector", "month", "day"], set_={n: days.c[n] + stmt.excluded[n] for n in HAZARD_COHORTS}
        )
        conn.execute(stmt, rows)
        zero = and_(*(days.c[n] == 0 for n in HAZARD_COHORTS))
        conn.execute(
            delete(days).where(*(days.c[k] == bindparam(f"k_{k}") for k in ("sector", "month", "day")), zero),
            [{"k_sector": r["sector"], "k_month": r["month"], "k_day": r["day"]} for r in rows],
        )
    if firsts:
        seen = tables["inspection_firsts"]
        stmt = dialect.insert(seen)
        stmt = stmt.on_conflict_do_update(
            index_elements=["measure", "bucket", "sector", "enterprise_id"],
            set_={"first_day": _earlier(stmt.excluded.first_day, seen.c.first_day)},
        )
        earliest: dict[tuple[Any, ...], dict[str, Any]] = {}
        for first in firsts:
            key = (first["measure"], first["bucket"], first["sector"], first["enterprise_id"])
            if key not in earliest or first["first_day"] < earliest[key]["first_day"]:
                earliest[key] = first
        conn.execute(stmt, list(earliest.values()))


def _earlier(a: Any, b: Any) -> Any:
    return case((a < b, a), else_=b)  # LEAST, which SQLite lacks


# ----- reading (the annex reports) ---------------------------------------------------------------


def bucket_of(period_start: date, period_end: date, campaign_start: date) -> int | None:
    """The totals' bucket for a period: the campaign (累计) or the cut-off's month (本月); None for any
    other period (the row scan answers those)."""
    if period_start == campaign_start:
        return CAMPAIGN
    if period_start == max(campaign_start, period_end.replace(day=1)):
        return month_of(period_end)
    return None


def cohort_totals(
    conn: Any, tables: dict[str, Table], names: list[str], bucket: int, as_of: date
) -> dict[str, dict[str | None, int]]:
    """Each cohort figure per sector row at the cut-off: the sum of its day deltas up to it."""
    days = tables["hazard_days"]
    conditions = [days.c.day <= as_of] + ([days.c.month == bucket] if bucket != CAMPAIGN else [])
    query = (
        select(days.c.sector, *(func.coalesce(func.sum(days.c[n]), 0) for n in names)).where(*conditions).group_by(days.c.sector)
    )
    results: dict[str, dict[str | None, int]] = {name: {} for name in names}
    for row in conn.execute(query):
        for i, name in enumerate(names):
            results[name][row[0] or None] = int(row[i + 1] or 0)
    return results


def first_sets(conn: Any, tables: dict[str, Table], measure: str, bucket: int, as_of: date) -> dict[str | None, set[str]]:
    """The enterprises of a set per sector row at the cut-off: those whose first day is on or before it."""
    seen = tables["inspection_firsts"]
    query = select(seen.c.sector, seen.c.enterprise_id).where(
        seen.c.measure == measure, seen.c.bucket == bucket, seen.c.first_day <= as_of
    )
    groups: dict[str | None, set[str]] = {}
    for sector, enterprise_id in conn.execute(query).all():  # thousands of rows: fetched at once
        groups.setdefault(sector or None, set()).add(enterprise_id)
    return groups
