"""Reads of the ``process_facts`` read model into the pure rules' fact dataclasses
(``domain/warning_rules.py``, ``domain/process_rules.py``), and what those rules derive — warnings
proposed by the ladder, closure recommendations — as of a business date and a recording time
(``AsOf``). Nothing here is stored: the derived facts are computed when read, so an act entered
late changes them and nothing needs retracting (DESIGN.md, "Late facts").

Which units a record counts for is decided here, with the reference data of the day (DESIGN §5,
``domain.figures.units_counting_hazard``): the unit leading its sector row and its street or zone.
Warnings go to departments, streets and the zone; the safety committee office (区安委办), which leads
the catch-all sector row, issues them and receives none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, select

from domain.business_time import CHINA_TZ, business_date
from domain.enforcement import CitedHazardFacts, PenaltyConflict, PenaltyDecision, penalty_conflicts
from domain.errors import DomainError
from domain.figures import units_counting_hazard
from domain.glossary import (
    AccidentGrade,
    Grade,
    HazardSource,
    HazardState,
    OrgKind,
    SupervisionLevel,
    WarningLevel,
    WarningState,
    WarningTrigger,
)
from domain.hazard_timeline import first_instant_after
from domain.list_filters import check_unit
from domain.process_rules import CitedHazard, CitingCase, ClosureDue, closures_due
from domain.read_scope import ReadScope
from domain.reference_data import LedgerRules, ReferenceData
from domain.unit_warning import warning_id_for
from domain.warning_rules import (
    AccidentFact,
    Campaign,
    LadderSettings,
    MajorHazardFact,
    MissedDeadline,
    Proposal,
    ReportDue,
    UnitFacts,
    WarningFact,
    ladder,
)
from projections.engine import Tables
from projections.hazard_steps import row_status
from projections.rowstate import utc

WARNED_KINDS = (OrgKind.DEPARTMENT, OrgKind.STREET, OrgKind.ZONE)


@dataclass(frozen=True)
class AsOf:
    """What was true by the end of business day ``day`` (Beijing), as known at recording time
    ``known_at`` (None: everything recorded)."""

    day: date
    known_at: datetime | None = None

    @property
    def end(self) -> datetime:
        """The last instant of ``day``: acts dated up to it count."""
        return first_instant_after(self.day) - timedelta(microseconds=1)

    def known(self, recorded: datetime | None) -> bool:
        return self.known_at is None or recorded is None or utc(recorded) <= self.known_at  # type: ignore[operator]

    def happened(self, occurred: datetime | None, recorded: datetime | None = None) -> bool:
        """Dated by the end of the day (business time) and recorded by ``known_at``."""
        return occurred is not None and utc(occurred) <= self.end and self.known(recorded)  # type: ignore[operator]


@dataclass(frozen=True)
class CaseConflict:
    """A recorded penalty decision of ``case_id`` (its event: ``version``) against rules 1 and 2."""

    case_id: UUID
    department: str
    version: int
    hazard_ids: tuple[UUID, ...]
    conflict: PenaltyConflict

    def view(self) -> dict[str, Any]:
        d, error = self.conflict.decision, self.conflict.error
        return {
            "case_id": str(self.case_id), "decision_number": d.decision_number, "occurred_at": d.occurred_at.isoformat(),
            "dual": d.dual, "code": error.code, "message_zh": error.message_zh, "message_en": error.message_en,
            "hazard_ids": [str(h) for h in self.hazard_ids], "version": self.version,
        }  # fmt: skip


# The reports each unit owes, for the 提示 of a missed report (the reporting calendar): as of → by unit.
ReportsDue = Callable[[AsOf], dict[str, tuple[ReportDue, ...]]]


@dataclass(frozen=True)
class WarningFilter:
    as_of: AsOf
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
        self.reports_due: ReportsDue = lambda _as_of: {}  # wired to the reporting calendar (app/wiring.py)

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

    def _rows(self, name: str, *conditions: Any) -> list[dict[str, Any]]:
        table = self.tables()[name]
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(select(table).where(*conditions)).mappings()]

    # ----- repeat-offender detector ------------------------------------------------------------

    def cited_hazards(self, as_of: AsOf) -> list[CitedHazard]:
        """Major hazards cited by at least one enforcement case, with every case citing them, as of."""
        t = self.tables()
        h, k = t["hazards"], t["citations"]
        hazards = {r["id"]: r for r in self._rows("hazards", h.c.grade == Grade.MAJOR.value, h.c.id.in_(select(k.c.hazard_id)))}
        cases = {r["id"]: r for r in self._rows("cases") if as_of.happened(r["opened_occ"], r["opened_rec"])}
        citing: dict[str, list[CitingCase]] = defaultdict(list)
        for citation in self._rows("citations"):
            case = cases.get(citation["case_id"])
            if case is None or citation["hazard_id"] not in hazards:
                continue
            closed = as_of.happened(case["closed_occ"], case["closed_rec"])
            penalties = tuple(
                datetime.fromisoformat(p["occ"]) for p in case["penalties"]
                if as_of.happened(datetime.fromisoformat(p["occ"]), datetime.fromisoformat(p["rec"]))
            )  # fmt: skip
            citing[citation["hazard_id"]].append(
                CitingCase(UUID(case["id"]), utc(case["opened_occ"]), utc(case["closed_occ"]) if closed else None, penalties)  # type: ignore[arg-type]
            )
        result = []
        for hazard_id, cases_of in sorted(citing.items()):
            status = row_status(hazards[hazard_id], as_of.end, as_of.known_at)
            if status.state is None:
                continue
            rectified = business_date(status.rectified_at) if status.rectified_at else None
            reported = status.reported_at
            result.append(
                CitedHazard(UUID(hazard_id), reported, rectified, tuple(sorted(cases_of, key=lambda c: str(c.case_id))))
            )
        return result

    def closure_recommendations(self, as_of: AsOf, case_id: UUID | None = None) -> list[ClosureDue]:
        """建议提请关闭: every recommendation true on ``as_of`` (derived, with the day it became true)."""
        due = closures_due(self.cited_hazards(as_of), as_of.day, self.rules)
        return [d for d in due if case_id is None or d.case_id == case_id]

    # ----- rules 1 and 2 on recorded decisions -------------------------------------------------

    def penalty_conflicts(self, as_of: AsOf, case_id: UUID | None = None) -> list[CaseConflict]:
        """Penalty decisions on record that rules 1 and 2 refuse, each judged as of its business time with
        what is known at ``known_at`` (``domain.enforcement.penalty_conflicts``), in business order."""
        t = self.tables()
        condition = [t["cases"].c.id == str(case_id)] if case_id is not None else []
        cases = [c for c in self._rows("cases", *condition) if as_of.happened(c["opened_occ"], c["opened_rec"])]
        if not cases:
            return []
        cited: dict[str, list[str]] = defaultdict(list)
        for citation in self._rows("citations", t["citations"].c.case_id.in_([c["id"] for c in cases])):
            cited[citation["case_id"]].append(citation["hazard_id"])
        hazards = {h["id"]: h for h in self._rows("hazards", t["hazards"].c.id.in_([h for hs in cited.values() for h in hs]))}
        found = []
        for case in cases:
            decisions = {
                d["number"]: d for d in case["decisions"]
                if as_of.happened(datetime.fromisoformat(d["occ"]), datetime.fromisoformat(d["rec"]))
            }  # fmt: skip
            rows = [hazards[h] for h in sorted(cited[case["id"]]) if h in hazards]

            def facts_at(at: datetime, rows: list[dict[str, Any]] = rows) -> list[CitedHazardFacts]:
                return [
                    CitedHazardFacts.from_status(UUID(h["id"]), h["grade"] == Grade.MAJOR.value, HazardSource(h["source"]),
                                                 row_status(h, at, as_of.known_at), self.rules, at)
                    for h in rows
                ]  # fmt: skip

            plain_decisions = [PenaltyDecision(n, datetime.fromisoformat(d["occ"]), d["dual"]) for n, d in decisions.items()]
            for conflict in penalty_conflicts(plain_decisions, case["cites_accident"], facts_at):
                version = decisions[conflict.decision.decision_number]["version"]
                hazard_ids = tuple(map(UUID, cited[case["id"]]))
                found.append(CaseConflict(UUID(case["id"]), case["department"], version, hazard_ids, conflict))
        return sorted(found, key=lambda c: (c.conflict.decision.occurred_at, str(c.case_id)))

    # ----- warning ladder ----------------------------------------------------------------------

    def unit_facts(self, as_of: AsOf) -> list[UnitFacts]:
        """The facts of every warned unit: its major hazards, accidents, warnings and due reports."""
        hazards: dict[str, list[MajorHazardFact]] = defaultdict(list)
        for unit, fact in self._major_hazards(as_of):
            hazards[unit].append(fact)
        accidents: dict[str, list[AccidentFact]] = defaultdict(list)
        for unit, accident in self._accidents(as_of):
            accidents[unit].append(accident)
        warnings: dict[str, list[WarningFact]] = defaultdict(list)
        for unit, warning in self._warnings(as_of):
            warnings[unit].append(warning)
        units = sorted(u.id for u in self.reference.units.values() if u.kind in WARNED_KINDS)
        due = self.reports_due(as_of)
        facts = [
            UnitFacts(u, as_of.day, tuple(hazards.get(u, ())), tuple(accidents.get(u, ())), tuple(warnings.get(u, ())),
                      due.get(u, ()))
            for u in units
        ]  # fmt: skip
        return [f for f in facts if f.hazards or f.accidents or f.warnings or f.reports_due]

    def proposals(self, as_of: AsOf) -> list[Proposal]:
        """Every warning the ladder calls for on ``as_of`` (derived; decided ones included)."""
        settings = self.ladder_settings()
        return [p for facts in self.unit_facts(as_of) for p in ladder(facts, settings)]

    def unit_accidents(self, unit_id: str, as_of: AsOf) -> list[AccidentFact]:
        return [a for u, a in self._accidents(as_of) if u == unit_id]

    def _major_hazards(self, as_of: AsOf) -> list[tuple[str, MajorHazardFact]]:
        h = self.tables()["hazards"]
        result = []
        for r in self._rows("hazards", h.c.grade == Grade.MAJOR.value):
            status = row_status(r, as_of.end, as_of.known_at)
            if status.state is None:
                continue
            fact = MajorHazardFact(
                hazard_id=UUID(r["id"]),
                reported_on=business_date(status.reported_at),  # type: ignore[arg-type]
                plan_filed_on=business_date(status.plan_filed_at) if status.plan_filed_at else None,
                voided=status.state is HazardState.VOIDED,
                missed_deadlines=tuple(MissedDeadline(m.deadline, business_date(m.missed_at)) for m in status.misses),
            )
            result += [(unit, fact) for unit in self._units(r["sector"], r["jurisdiction"])]
        return result

    def _accidents(self, as_of: AsOf) -> list[tuple[str, AccidentFact]]:
        result = []
        for r in self._rows("accidents"):
            if not as_of.happened(r["happened_occ"], r["reported_rec"]):
                continue
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

    def _stored_warnings(self, as_of: AsOf) -> list[dict[str, Any]]:
        """Warnings on record by then, each with its state as of then."""
        rows = []
        for r in self._rows("warnings"):
            if not as_of.happened(r["proposed_occ"], r["proposed_rec"]):
                continue
            if r["decided_occ"] is not None and not as_of.happened(r["decided_occ"], r["decided_rec"]):
                r = {**r, "state": WarningState.PROPOSED.value, "decided_occ": None, "published": False}
            rows.append(r)
        return rows

    def _warnings(self, as_of: AsOf) -> list[tuple[str, WarningFact]]:
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
            for r in self._stored_warnings(as_of)
        ]

    # ----- reminders: reporting a self-found major to the regulator (及时报告) ----------------------

    def self_report_reminders(self, at: datetime, scope: ReadScope | None = None) -> list[dict[str, Any]]:
        """Majors an enterprise found itself and had not reported to the regulator by ``at``: when the
        window (``report_to_regulator_hours`` from the report) ends and the hours left, negative once
        late — a late self-report loses the exemption from penalty (plan rule 1). Most urgent first."""
        h = self.tables()["hazards"]
        hours = self.rules.report_to_regulator_hours
        rows = self._rows("hazards", h.c.grade == Grade.MAJOR.value, h.c.source == HazardSource.SELF_INSPECTION.value)
        result = []
        for r in rows:
            place = {"enterprise_id": r["enterprise_id"], "sector": r["sector"], "jurisdiction": r["jurisdiction"]}
            if scope is not None and not scope.covers(**place):
                continue
            status = row_status(r, at)
            due = status.report_to_regulator_due(hours)
            if due is None or status.reported_to_regulator_at is not None or not status.open:
                continue
            result.append({
                "hazard_id": r["id"], "enterprise_id": r["enterprise_id"], "sector": r["sector"],
                "jurisdiction": r["jurisdiction"], "reported_at": status.reported_at.isoformat(),  # type: ignore[union-attr]
                "due": due.isoformat(), "hours_left": round((due - at).total_seconds() / 3600, 1),
                "late": status.self_report_late(at, hours),
            })  # fmt: skip
        return sorted(result, key=lambda x: (x["due"], x["hazard_id"]))

    # ----- the warning list (GET /warnings) ----------------------------------------------------

    def warning_rows(self, as_of: AsOf) -> dict[str, dict[str, Any]]:
        """Every warning as of then by id: the ladder's proposals (derived) and the warnings on record
        (the office's own proposals, and the ladder's that the office has decided)."""
        rows = {str(warning_id_for(p.unit_id, p.level, p.trigger_key)): self._proposal_row(p) for p in self.proposals(as_of)}
        for r in self._stored_warnings(as_of):
            derived = rows.get(r["id"])
            # A proposal the office decided keeps the ladder's fact date and grounds, shown with the decision.
            kept = (
                {k: derived[k] for k in ("proposed_at", "fact_on", "trigger_refs", "reason_zh", "reason_en")} if derived else {}
            )
            rows[r["id"]] = {**self._warning_row(r), **kept, "derived": derived is not None}
        return rows

    def warnings(self, f: WarningFilter) -> dict[str, Any]:
        check_unit(self.reference, f.unit)  # an unknown unit is refused, not answered "no warnings"
        items = [
            w for w in self.warning_rows(f.as_of).values()
            if (not f.unit or w["unit_id"] == f.unit) and (not f.level or w["level"] == f.level.value)
            and (not f.state or w["state"] == f.state.value)
            and (f.scope is None or f.scope.covers_unit(w["unit_id"]))  # a unit's own; an enterprise none
        ]  # fmt: skip
        items.sort(key=lambda w: (w["proposed_at"], w["id"]), reverse=True)
        return {"as_of": f.as_of.day.isoformat(), "total": len(items), "limit": f.limit, "offset": f.offset,
                "items": items[f.offset : f.offset + f.limit]}  # fmt: skip

    def proposal(self, warning_id: UUID, as_of: AsOf) -> Proposal | None:
        """The ladder's proposal with this id as of then, if the ladder calls for it."""
        wanted = str(warning_id)
        return next((p for p in self.proposals(as_of) if str(warning_id_for(p.unit_id, p.level, p.trigger_key)) == wanted), None)

    def _proposal_row(self, p: Proposal) -> dict[str, Any]:
        unit = self.reference.units.get(p.unit_id)
        return {
            "id": str(warning_id_for(p.unit_id, p.level, p.trigger_key)),
            "unit_id": p.unit_id,
            "unit_name": unit.name if unit else p.unit_id,
            "level": p.level.value,
            "level_zh": p.level.zh,
            "trigger": p.trigger.value,
            "trigger_zh": p.trigger.zh,
            "trigger_key": p.trigger_key,
            "trigger_refs": [str(r) for r in p.refs],
            "reason_zh": p.reason_zh,
            "reason_en": p.reason_en,
            "state": WarningState.PROPOSED.value,
            "state_zh": WarningState.PROPOSED.zh,
            "published": False,
            "proposed_at": datetime.combine(p.fact_on, datetime.min.time(), CHINA_TZ).isoformat(),
            "fact_on": p.fact_on.isoformat(),
            "decided_at": None,
            "version": 0,
            "derived": True,
        }

    def _warning_row(self, r: Any) -> dict[str, Any]:
        level, state, trigger = WarningLevel(r["level"]), WarningState(r["state"]), WarningTrigger(r["trigger"])
        unit = self.reference.units.get(r["unit_id"])
        decided = utc(r["decided_occ"])
        proposed = utc(r["proposed_occ"])
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
            "proposed_at": proposed.isoformat(),  # type: ignore[union-attr]
            "fact_on": business_date(proposed).isoformat(),  # type: ignore[arg-type]
            "decided_at": decided.isoformat() if decided else None,
            "version": r["version"],
            "derived": False,
        }
