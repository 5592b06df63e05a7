"""Reads of the ``process_facts`` read model into the pure rules' fact dataclasses
(``domain/warning_rules.py``, ``domain/process_rules.py``), and the warning list of the API.

Which units a record counts for is decided here, with the reference data of the day (DESIGN §5,
``domain.figures.units_counting_hazard``): the unit leading its sector row and its street or zone.
Warnings go to departments, streets and the zone; the safety committee office (区安委办), which leads
the catch-all sector row, issues them and receives none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, func, select

from domain.business_time import business_date
from domain.errors import DomainError
from domain.figures import units_counting_hazard
from domain.glossary import (
    AccidentGrade,
    Grade,
    HazardState,
    OrgKind,
    SupervisionLevel,
    WarningLevel,
    WarningState,
    WarningTrigger,
)
from domain.process_rules import CitedHazard, CitingCase, DeadlineFact
from domain.read_scope import ReadScope
from domain.reference_data import LedgerRules, ReferenceData
from domain.warning_rules import (
    AccidentFact,
    Campaign,
    LadderSettings,
    MajorHazardFact,
    MissedDeadline,
    UnitFacts,
    WarningFact,
)
from projections.engine import Tables
from projections.process_facts import utc

_OPEN = (HazardState.REPORTED.value, HazardState.RECTIFYING.value, HazardState.PENDING_VERIFICATION.value)
WARNED_KINDS = (OrgKind.DEPARTMENT, OrgKind.STREET, OrgKind.ZONE)


@dataclass(frozen=True)
class WarningFilter:
    unit: str | None = None
    level: WarningLevel | None = None
    state: WarningState | None = None
    limit: int = 100
    offset: int = 0
    scope: ReadScope | None = None  # what the reader may see (domain.read_scope); None: everything


class ProcessQueries:
    def __init__(self, engine: Engine, reference: ReferenceData, rules: LedgerRules, tables: Callable[[], Tables]) -> None:
        self.engine = engine
        self.reference = reference
        self.rules = rules
        self.tables = tables

    # ----- settings ----------------------------------------------------------------------------

    def ladder_settings(self) -> LadderSettings:
        c = self.reference.campaign
        return LadderSettings(Campaign(c.start, c.end), self.rules.plan_due_days, self.rules.accident_records_start)

    def _units(self, sector: str, jurisdiction: str) -> list[str]:
        """The warned units a record counts for (none for a sector no longer in the reference data)."""
        try:
            units = units_counting_hazard(self.reference, sector, jurisdiction)
        except DomainError:
            return []
        return sorted(u for u in units if u in self.reference.units and self.reference.units[u].kind in WARNED_KINDS)

    # ----- deadline watcher --------------------------------------------------------------------

    def deadline_facts(self, today: date) -> list[DeadlineFact]:
        """Rectifying hazards not marked overdue whose deadline is before ``today``."""
        h = self.tables()["hazards"]
        query = select(h).where(
            h.c.state == HazardState.RECTIFYING.value, h.c.overdue.is_(False), h.c.deadline.is_not(None), h.c.deadline < today
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [
            DeadlineFact(UUID(r["id"]), HazardState(r["state"]), r["deadline"], r["overdue"], utc(r["last_occ"]))  # type: ignore[arg-type]
            for r in rows
        ]

    # ----- repeat-offender detector ------------------------------------------------------------

    def cited_hazards(self) -> list[CitedHazard]:
        """Open major hazards cited by at least one enforcement case, with every case citing them."""
        t = self.tables()
        h, c, k = t["hazards"], t["cases"], t["citations"]
        query = (
            select(h.c.id, h.c.reported_occ, c)
            .select_from(k.join(h, h.c.id == k.c.hazard_id).join(c, c.c.id == k.c.case_id))
            .where(h.c.grade == Grade.MAJOR.value, h.c.state.in_(_OPEN))
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        cases: dict[str, list[CitingCase]] = defaultdict(list)
        reported: dict[str, date] = {}
        for r in rows:
            m = r._mapping
            hazard_id = m[h.c.id]
            reported[hazard_id] = business_date(utc(m[h.c.reported_occ]))  # type: ignore[arg-type]
            cases[hazard_id].append(
                CitingCase(
                    case_id=UUID(m[c.c.id]),
                    opened_at=utc(m[c.c.opened_occ]),  # type: ignore[arg-type]
                    closed=m[c.c.closed],
                    enterprise_penalties=m[c.c.enterprise_penalties],
                    recommended_hazard_id=UUID(m[c.c.recommended_hazard_id]) if m[c.c.recommended_hazard_id] else None,
                )
            )
        return [
            CitedHazard(UUID(hid), True, True, reported[hid], tuple(sorted(cs, key=lambda x: str(x.case_id))))
            for hid, cs in sorted(cases.items())
        ]

    # ----- warning ladder ----------------------------------------------------------------------

    def unit_facts(self, today: date) -> list[UnitFacts]:
        """The facts of every warned unit that has any: its major hazards, accidents and warnings."""
        hazards: dict[str, list[MajorHazardFact]] = defaultdict(list)
        for unit, fact in self._major_hazards():
            hazards[unit].append(fact)
        accidents: dict[str, list[AccidentFact]] = defaultdict(list)
        for unit, accident in self._accidents():
            accidents[unit].append(accident)
        warnings: dict[str, list[WarningFact]] = defaultdict(list)
        for unit, warning in self._warnings():
            warnings[unit].append(warning)
        units = sorted(set(hazards) | set(accidents) | set(warnings))
        return [
            UnitFacts(u, today, tuple(hazards.get(u, ())), tuple(accidents.get(u, ())), tuple(warnings.get(u, ()))) for u in units
        ]

    def unit_accidents(self, unit_id: str) -> list[AccidentFact]:
        return [a for u, a in self._accidents() if u == unit_id]

    def _major_hazards(self) -> list[tuple[str, MajorHazardFact]]:
        t = self.tables()
        h, m = t["hazards"], t["misses"]
        with self.engine.connect() as conn:
            rows = conn.execute(select(h).where(h.c.grade == Grade.MAJOR.value)).mappings().all()
            misses: dict[str, list[MissedDeadline]] = defaultdict(list)
            for r in conn.execute(select(m).join(h, h.c.id == m.c.hazard_id).where(h.c.grade == Grade.MAJOR.value)).mappings():
                misses[r["hazard_id"]].append(MissedDeadline(r["deadline"], business_date(utc(r["occ"]))))  # type: ignore[arg-type]
        result = []
        for r in rows:
            fact = MajorHazardFact(
                hazard_id=UUID(r["id"]),
                reported_on=business_date(utc(r["reported_occ"])),  # type: ignore[arg-type]
                plan_filed_on=business_date(utc(r["plan_occ"])) if r["plan_occ"] else None,  # type: ignore[arg-type]
                voided=r["state"] == HazardState.VOIDED.value,
                missed_deadlines=tuple(sorted(misses.get(r["id"], []), key=lambda x: (x.missed_on, x.deadline))),
            )
            result += [(unit, fact) for unit in self._units(r["sector"], r["jurisdiction"])]
        return result

    def _accidents(self) -> list[tuple[str, AccidentFact]]:
        a = self.tables()["accidents"]
        with self.engine.connect() as conn:
            rows = conn.execute(select(a)).mappings().all()
        result = []
        for r in rows:
            levels = frozenset(level for level in SupervisionLevel if r[f"listed_{level.value}"])
            liability = r["liability_reported"] if r["liability_confirmed"] is None else r["liability_confirmed"]
            fact = AccidentFact(
                accident_id=UUID(r["id"]),
                happened_at=utc(r["happened_occ"]),  # type: ignore[arg-type]
                grade=AccidentGrade(r["grade"]),
                deaths=r["deaths"],
                liability=liability,
                listing_levels=levels,
            )
            result += [(unit, fact) for unit in self._units(r["sector"], r["jurisdiction"])]
        return result

    def _warnings(self) -> list[tuple[str, WarningFact]]:
        w = self.tables()["warnings"]
        with self.engine.connect() as conn:
            rows = conn.execute(select(w)).mappings().all()
        return [
            (
                r["unit_id"],
                WarningFact(
                    warning_id=UUID(r["id"]),
                    level=WarningLevel(r["level"]),
                    trigger_key=r["trigger_key"],
                    state=WarningState(r["state"]),
                    decided_on=business_date(utc(r["decided_occ"])) if r["decided_occ"] else None,  # type: ignore[arg-type]
                ),
            )
            for r in rows
        ]

    def warning_ids(self) -> set[str]:
        w = self.tables()["warnings"]
        with self.engine.connect() as conn:
            return set(conn.execute(select(w.c.id)).scalars())

    # ----- the warning list (GET /warnings) ----------------------------------------------------

    def warnings(self, f: WarningFilter) -> dict[str, Any]:
        w = self.tables()["warnings"]
        conditions = []
        if f.unit:
            conditions.append(w.c.unit_id == f.unit)
        if f.level:
            conditions.append(w.c.level == f.level.value)
        if f.state:
            conditions.append(w.c.state == f.state.value)
        if f.scope is not None and not f.scope.district:
            conditions.append(w.c.unit_id.in_(sorted(f.scope.units)))  # a unit's own warnings; an enterprise none
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(w).where(*conditions)).scalar_one()
            rows = conn.execute(
                select(w).where(*conditions).order_by(w.c.proposed_occ.desc(), w.c.id).limit(f.limit).offset(f.offset)
            ).mappings()
            items = [self._warning_row(r) for r in rows]
        return {"total": total, "limit": f.limit, "offset": f.offset, "items": items}

    def _warning_row(self, r: Any) -> dict[str, Any]:
        level, state, trigger = WarningLevel(r["level"]), WarningState(r["state"]), WarningTrigger(r["trigger"])
        unit = self.reference.units.get(r["unit_id"])
        decided = utc(r["decided_occ"])
        return {
            "id": r["id"],
            "unit_id": r["unit_id"],
            "unit_name": unit.name if unit else r["unit_id"],
            "level": level.value,
            "level_zh": level.zh,
            "trigger": trigger.value,
            "trigger_zh": trigger.zh,
            "trigger_key": r["trigger_key"],
            "trigger_refs": list(r["refs"]),
            "reason_zh": r["reason_zh"],
            "reason_en": r["reason_en"],
            "state": state.value,
            "state_zh": state.zh,
            "published": r["published"],
            "proposed_at": utc(r["proposed_occ"]).isoformat(),  # type: ignore[union-attr]
            "decided_at": decided.isoformat() if decided else None,
            "version": r["version"],
        }
