"""Reads of the hazard list: filters over the records projection, labels from the glossary."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, func, or_, select

from domain.business_time import Clock, business_date
from domain.figures import sector_members
from domain.glossary import Grade, HazardSource, HazardState
from domain.list_filters import check_reference_filters
from domain.read_scope import ReadScope
from domain.reference_data import ReferenceData
from projections.engine import Tables
from projections.hazard_fold import overdue_condition
from projections.rowstate import utc


@dataclass(frozen=True)
class HazardFilter:
    state: HazardState | None = None
    sector: str | None = None
    unit: str | None = None  # a department (responsible or leading the sector) or a street/zone
    grade: Grade | None = None
    source: HazardSource | None = None
    enterprise_id: str | None = None
    overdue: bool | None = None
    listed: bool | None = None
    deadline_by: date | None = None  # a rectification deadline on or before this day
    text: str | None = None  # words in the description or the enterprise's name (case-insensitive)
    limit: int = 100
    offset: int = 0
    scope: ReadScope | None = None  # what the reader may see (domain.read_scope); None: everything (CLI, tests)


def scope_condition(scope: ReadScope | None, *, enterprise_id: Any, sector: Any, jurisdiction: Any, units: Any = ()) -> Any:
    """The reader's scope as a WHERE condition over a record's columns (None: no restriction)."""
    if scope is None or scope.district:
        return None
    return or_(
        enterprise_id.in_(sorted(scope.enterprise_ids)),
        sector.in_(sorted(scope.sectors)),
        jurisdiction.in_(sorted(scope.units)),
        *(column.in_(sorted(scope.units)) for column in units),
    )


def unit_condition(reference: ReferenceData, unit: str, *, sector: Any, jurisdiction: Any, units: Any = ()) -> Any:
    """A ``unit`` filter as a WHERE condition: a department's records (assigned to it, or of a sector row it
    leads) or a street's or the zone's (its territory)."""
    led = [s.id for s in reference.sectors.values() if unit in s.lead_unit_ids]
    return or_(jurisdiction == unit, sector.in_(led), *(column == unit for column in units))


class HazardQueries:
    """Reads of the hazard list; labels come from the reference data and the glossary."""

    def __init__(self, engine: Engine, reference: ReferenceData, tables: Callable[[], Tables], clock: Clock) -> None:
        self.engine = engine
        self.reference = reference
        self.tables = tables
        self.clock = clock

    def _where(self, f: HazardFilter, hazards: Any, enterprises: Any, overdue: Any) -> list[Any]:
        """The filter (and the reader's scope) as WHERE conditions, shared by the list and its tally (so a
        count always matches its list)."""
        check_reference_filters(self.reference, unit=f.unit, sector=f.sector)  # unknown values refused, not "none"
        conditions = []
        if f.state:
            conditions.append(hazards.c.state == f.state.value)
        if f.sector:
            # A "其中" row's parent lists its children's hazards too.
            conditions.append(hazards.c.sector.in_(sector_members(self.reference, f.sector)))
        if f.unit:
            c = hazards.c
            unit = unit_condition(self.reference, f.unit, sector=c.sector, jurisdiction=c.jurisdiction, units=[c.department])
            conditions.append(unit)
        if f.grade:
            conditions.append(hazards.c.grade == f.grade.value)
        if f.source:
            conditions.append(hazards.c.source == f.source.value)
        if f.enterprise_id:
            conditions.append(hazards.c.enterprise_id == f.enterprise_id)
        if f.overdue is not None:
            conditions.append(overdue if f.overdue else ~overdue)
        if f.listed is not None:
            conditions.append(hazards.c.listed == f.listed)
        if f.deadline_by is not None:
            conditions.append(hazards.c.deadline <= f.deadline_by)
        if f.text and f.text.strip():
            needle = f.text.strip().lower()
            conditions.append(
                or_(
                    func.lower(hazards.c.description).contains(needle, autoescape=True),
                    func.lower(enterprises.c.name).contains(needle, autoescape=True),
                )
            )
        scoped = scope_condition(
            f.scope, enterprise_id=hazards.c.enterprise_id, sector=hazards.c.sector, jurisdiction=hazards.c.jurisdiction,
            units=[hazards.c.department],
        )  # fmt: skip
        if scoped is not None:
            conditions.append(scoped)
        return conditions

    def list(self, f: HazardFilter) -> dict[str, Any]:
        t = self.tables()
        hazards, enterprises = t["hazards"], t["enterprises"]
        overdue = overdue_condition(hazards.c, business_date(self.clock.now()))
        conditions = self._where(f, hazards, enterprises, overdue)
        query = (
            select(hazards, enterprises.c.name.label("enterprise_name"), overdue.label("overdue_today"))
            .join(enterprises, enterprises.c.id == hazards.c.enterprise_id, isouter=True)
            .where(*conditions)
        )
        with self.engine.connect() as conn:
            counted = hazards.join(enterprises, enterprises.c.id == hazards.c.enterprise_id, isouter=True)
            total = conn.execute(select(func.count()).select_from(counted).where(*conditions)).scalar_one()
            rows = conn.execute(
                query.order_by(hazards.c.reported_occ.desc(), hazards.c.id).limit(f.limit).offset(f.offset)
            ).mappings()
            items = [self._row(r) for r in rows]
        return {"total": total, "limit": f.limit, "offset": f.offset, "items": items}

    def tally(self, f: HazardFilter) -> list[dict[str, Any]]:
        """The filter's hazards counted by state, sector, territory (属地), overdue today and listed: one row
        per combination with its ``count`` (paging ignored), for figures that add up to their lists."""
        t = self.tables()
        hazards, enterprises = t["hazards"], t["enterprises"]
        overdue = overdue_condition(hazards.c, business_date(self.clock.now()))
        keys = (hazards.c.state, hazards.c.sector, hazards.c.jurisdiction, overdue.label("overdue"), hazards.c.listed)
        counted = hazards.join(enterprises, enterprises.c.id == hazards.c.enterprise_id, isouter=True)
        query = (
            select(*keys, func.count().label("count"))
            .select_from(counted)
            .where(*self._where(f, hazards, enterprises, overdue))
            .group_by(*keys[:3], overdue, hazards.c.listed)
        )
        with self.engine.connect() as conn:
            return [{**r, "overdue": bool(r["overdue"]), "listed": bool(r["listed"])} for r in conn.execute(query).mappings()]

    def count_by_sector(self, f: HazardFilter) -> dict[str, int]:
        """How many hazards match ``f`` (paging aside) in each sector row that has any, in the reference's
        order; a "其中" row's hazards count for its parent row, as the list's sector filter finds them."""
        counts: dict[str, int] = dict.fromkeys(self.reference.sectors, 0)
        for row in self.tally(f):
            sector = self.reference.sector(row["sector"])
            counts[sector.parent or sector.id] += row["count"]
        return {sector: count for sector, count in counts.items() if count}

    def _row(self, r: Any) -> dict[str, Any]:
        state = HazardState(r["state"])
        grade = Grade(r["grade"])
        deadline: date | None = r["deadline"]
        return {
            "id": r["id"],
            "enterprise_id": r["enterprise_id"],
            "enterprise_name": r["enterprise_name"],
            "sector": r["sector"],
            "sector_name": self.reference.sector(r["sector"]).name,
            "jurisdiction": r["jurisdiction"],
            "department": r["department"],
            "grade": grade.value,
            "grade_zh": grade.zh,
            "source": r["source"],
            "state": state.value,
            "state_zh": state.zh,
            "description": r["description"],
            "reported_at": utc(r["reported_occ"]).isoformat(),  # type: ignore[union-attr]
            "reported_to_regulator": r["regulator_occ"] is not None,
            "listed": r["listed"],
            "overdue": bool(r["overdue_today"]),
            "deadline": deadline.isoformat() if deadline else None,
            "version": r["version"],
        }
