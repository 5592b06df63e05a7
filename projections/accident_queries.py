"""Accident statistics read from the ``process_facts`` read model (its ``accidents`` table), as of a
business date and as known at a recording time (``AsOf``), for a reporting unit or the district; the
arithmetic is the domain's (``domain/accident_statistics.py``).

A unit's statistics count the accidents that count for it (DESIGN §5, ``units_counting_hazard``): those
of the sector rows it leads and, for a street or the zone, those in its territory. The enterprise's name
(for the bulletin's list) is the records projection's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Engine, select

from domain.accident_statistics import AccidentRecord, AccidentStatistics, accident_statistics
from domain.business_time import CHINA_TZ
from domain.errors import DomainError
from domain.figures import units_counting_hazard
from domain.glossary import AccidentGrade
from domain.reference_data import ReferenceData
from projections.engine import Tables
from projections.process_queries import AsOf
from projections.rowstate import utc


class AccidentQueries:
    def __init__(
        self, engine: Engine, reference: ReferenceData, facts: Callable[[], Tables], records: Callable[[], Tables]
    ) -> None:
        self.engine = engine
        self.reference = reference
        self.facts = facts
        self.records = records

    def statistics(self, as_of: AsOf, unit: str | None) -> AccidentStatistics:
        return accident_statistics(self.accidents(as_of, unit), as_of.day, self.reference)

    def accidents(self, as_of: AsOf, unit: str | None) -> list[AccidentRecord]:
        """The accidents counting for ``unit`` (None: the district) from the start of the year before
        ``as_of`` (the earliest period statistics compare with) to the end of its day, recorded by then."""
        if unit is not None:
            self.reference.unit(unit)  # unknown_department for a unit that does not exist
        a = self.facts()["accidents"]
        # Bound in UTC: SQLite keeps no zone, the rows are stored in UTC.
        since = utc(datetime.combine(date(as_of.day.year - 1, 1, 1), time.min, CHINA_TZ))
        window = select(a).where(a.c.happened_occ >= since, a.c.happened_occ <= utc(as_of.end))
        with self.engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(window).mappings()]
            rows = [r for r in rows if as_of.happened(r["happened_occ"], r["reported_rec"]) and self._counts_for(unit, r)]
            names = self._enterprise_names(conn, {r["enterprise_id"] for r in rows if r["enterprise_id"]})
        return [_record(r, names.get(r["enterprise_id"] or "", "")) for r in rows]

    def _counts_for(self, unit: str | None, row: dict[str, Any]) -> bool:
        if unit is None:
            return True
        try:
            return unit in units_counting_hazard(self.reference, row["sector"], row["jurisdiction"])
        except DomainError:  # a sector no longer in the reference data: its territory still counts it
            return unit == row["jurisdiction"]

    def _enterprise_names(self, conn: Any, ids: set[str]) -> dict[str, str]:
        if not ids:
            return {}
        e = self.records()["enterprises"]
        return {r.id: r.name for r in conn.execute(select(e.c.id, e.c.name).where(e.c.id.in_(sorted(ids))))}


def _record(row: dict[str, Any], enterprise_name: str) -> AccidentRecord:
    return AccidentRecord(
        accident_id=row["id"],
        occurred_at=utc(row["happened_occ"]),  # type: ignore[arg-type]
        grade=AccidentGrade(row["grade"]),
        sector=row["sector"],
        jurisdiction=row["jurisdiction"],
        deaths=row["deaths"],
        injuries=row["injuries"],
        direct_loss_yuan=row["direct_loss_yuan"],
        enterprise_name=enterprise_name,
        location=row["location"],
        description=row["description"],
    )
