"""The records projection: the current state of every record the annexes count, each record's
milestones in both times (occurred = business time, recorded = system time), and an append-only
table of countable facts (penalties, suspensions, activities, deficiencies, …).

A milestone happens at most once per record (the lifecycle cannot repeat it), so "majors verified
by D as known at T" is ``verified_occ < end(D) and verified_rec <= T`` on one row. What can repeat
(a penalty, an activity, a risk point's lists filed again) is a fact row with its own two times.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Column, Date, DateTime, Integer, MetaData, String, Table, Text

from domain.accident import Accident
from domain.accountability import AccountabilityCase  # accountability (责任倒查、追责问责)
from domain.enforcement import EnforcementCase
from domain.enterprise import Enterprise
from domain.glossary import PenaltyTarget, WarningLevel
from domain.hazard import Hazard
from domain.inspection import Inspection
from domain.outstanding_problem import OutstandingProblem
from domain.risk_point import HazardCharacteristics, RiskPoint, missing_columns
from domain.unit_warning import UnitWarning
from domain.views import plain
from domain.work_log import WorkLog
from projections import rollups
from projections.engine import Tables
from projections.hazard_fold import fold_hazard
from projections.rowstate import Lookup, Row, RowStateProjection, utc

# Milestones of a hazard: name → the event that reaches it.
MILESTONES: dict[str, type[Any]] = {
    "reported": Hazard.HazardReported,
    "regulator": Hazard.HazardReportedToRegulator,
    "plan": Hazard.RectificationPlanFiled,
    "listed": Hazard.ListedForSupervision,
    "verified": Hazard.VerificationPassed,
    "closed": Hazard.HazardClosed,
    "voided": Hazard.HazardVoided,
}
_MILESTONE_OF = {cls: name for name, cls in MILESTONES.items()}
PROBLEM_MILESTONES: dict[str, type[Any]] = {
    "identified": OutstandingProblem.ProblemIdentified,
    "root_cause": OutstandingProblem.RootCauseMeasureAdopted,
    "rectified": OutstandingProblem.ProblemRectified,
}
_PROBLEM_MILESTONE_OF = {cls: name for name, cls in PROBLEM_MILESTONES.items()}
# A case's and an accident's milestones: their registers' business dates and states (projections/registers.py).
CASE_MILESTONES: dict[str, type[Any]] = {"opened": EnforcementCase.CaseOpened, "closed": EnforcementCase.CaseClosed}
_CASE_MILESTONE_OF = {cls: name for name, cls in CASE_MILESTONES.items()}


# Fact kinds: what one fact row counts.
PENALTY = "penalty"  # one decision against one target (a dual penalty gives two); amount = fine
DUAL_PENALTY = "dual_penalty"  # 一案双罚, once per decision
JUDICIAL_TRANSFER = "judicial_transfer"  # quantity = persons; flag = 危险作业罪
SUSPENSION = "suspension"
LICENCE = "licence"  # sub = suspend | revoke
CLOSURE = "closure"  # 关闭取缔 ordered
INTERVIEW = "interview"  # 约谈警示
JOINT_PUNISHMENT = "joint_punishment"
EXPOSURE = "exposure"
TYPICAL_CASE = "typical_case"  # flag = 危险作业罪
ACTIVITY = "activity"  # sub = ActivityKind; quantity = count, value, amount, amount2 = anonymous part
DEFICIENCY = "deficiency"  # sub = SpotCheckDeficiency; unit = the inspecting organisation
RISK_STATE = "risk_state"  # flag = the risk point is controlled (all four lists complete) after the event
UNIT_WARNING = "unit_warning"  # a 约谈 or a published (通报) warning confirmed; unit = the issuing office; sub = level
ACCOUNTABILITY = "accountability"  # 责任倒查、追责问责: quantity = persons held accountable


def _milestone_columns(names: list[str], indexed: tuple[str, ...] = ()) -> list[Column[Any]]:
    columns: list[Column[Any]] = []
    for name in names:
        columns += [
            Column(f"{name}_occ", DateTime(timezone=True), nullable=True, index=name in indexed),
            Column(f"{name}_rec", DateTime(timezone=True), nullable=True),
            Column(f"{name}_ver", Integer, nullable=True),
        ]
    return columns


def _place_columns() -> list[Column[Any]]:
    """Where a record counts (DESIGN §5): its sector row, street/zone, and the enterprise."""
    return [
        Column("enterprise_id", String(36), nullable=True, index=True),
        Column("sector", String(64), nullable=True, index=True),
        Column("jurisdiction", String(64), nullable=True, index=True),
    ]


class RecordsProjection(RowStateProjection):
    name = "records"
    facts_table = "facts"

    def __init__(self, campaign_start: date) -> None:
        self.campaign_start = campaign_start  # the district roll-up's totals count from it (projections/rollups.py)

    def define(self, metadata: MetaData, suffix: str) -> Tables:
        return Tables(
            **rollups.define(metadata, suffix, self.campaign_start),
            enterprises=Table(
                f"rm_enterprises{suffix}",
                metadata,
                Column("id", String(36), primary_key=True),
                Column("credit_code", String(18), nullable=False),
                Column("name", Text, nullable=False),
                Column("sector", String(64), nullable=False, index=True),
                Column("jurisdiction", String(64), nullable=False, index=True),
                Column("principal_name", Text, nullable=False),
                Column("high_risk", Boolean, nullable=False),
                Column("version", Integer, nullable=False),
            ),
            inspections=Table(
                f"rm_inspections{suffix}",
                metadata,
                Column("id", String(36), primary_key=True),
                Column("enterprise_id", String(36), nullable=False, index=True),
                Column("organisation_id", String(64), nullable=False, index=True),
                Column("sector", String(64), nullable=True, index=True),
                Column("jurisdiction", String(64), nullable=True),
                Column("kind", String(32), nullable=False),
                Column("method", String(32), nullable=False),
                Column("inspectors", Integer, nullable=False),
                Column("signatures", Integer, nullable=False),
                Column("occ", DateTime(timezone=True), nullable=False, index=True),
                Column("rec", DateTime(timezone=True), nullable=False),
                Column("version", Integer, nullable=False),
            ),
            hazards=Table(
                f"rm_hazards{suffix}",
                metadata,
                Column("id", String(36), primary_key=True),
                Column("enterprise_id", String(36), nullable=False, index=True),
                Column("sector", String(64), nullable=False, index=True),
                Column("jurisdiction", String(64), nullable=False, index=True),
                Column("department", String(64), nullable=False, index=True),
                Column("grade", String(16), nullable=False),
                Column("source", String(32), nullable=False),
                Column("state", String(32), nullable=False, index=True),
                Column("criterion", Text, nullable=False),
                Column("description", Text, nullable=False),
                Column("inspection_id", String(36), nullable=True),
                Column("existed_since", Date, nullable=True),
                Column("listed", Boolean, nullable=False),
                Column("miss_stated", Boolean, nullable=True),  # hazard_fold.overdue_condition
                Column("deadline", Date, nullable=True),
                Column("updated_at", DateTime(timezone=True), nullable=False),
                Column("version", Integer, nullable=False),
                *_milestone_columns(list(MILESTONES), indexed=("reported", "verified")),
            ),
            cases=Table(
                f"rm_cases{suffix}",
                metadata,
                Column("id", String(36), primary_key=True),
                Column("case_number", Text, nullable=False),
                Column("unit", String(64), nullable=False, index=True),
                *_place_columns(),
                Column("version", Integer, nullable=False),
                *_milestone_columns(list(CASE_MILESTONES), indexed=("opened",)),
            ),
            accidents=Table(
                f"rm_accidents{suffix}",
                metadata,
                Column("id", String(36), primary_key=True),
                *_place_columns(),
                Column("grade", String(32), nullable=False),
                Column("deaths", Integer, nullable=False),
                Column("injuries", Integer, nullable=False),
                Column("direct_loss_yuan", BigInteger, nullable=False),
                Column("description", Text, nullable=False),
                Column("listed", Boolean, nullable=False),
                Column("version", Integer, nullable=False),
                *_milestone_columns(["happened"], indexed=("happened",)),
            ),
            work_logs=Table(
                f"rm_work_logs{suffix}",
                metadata,
                Column("id", String(36), primary_key=True),
                Column("unit", String(64), nullable=False),
            ),
            risk_points=Table(
                f"rm_risk_points{suffix}",
                metadata,
                Column("id", String(36), primary_key=True),
                *_place_columns(),
                Column("name", Text, nullable=False),
                Column("state", JSON, nullable=False),  # the four lists' fields, as the domain names them
                Column("controlled", Boolean, nullable=False),
                Column("version", Integer, nullable=False),
                *_milestone_columns(["registered"], indexed=("registered",)),
            ),
            warnings=Table(
                f"rm_unit_warnings{suffix}",
                metadata,
                Column("id", String(36), primary_key=True),
                Column("unit", String(64), nullable=False),
                Column("level", String(32), nullable=False),
                Column("version", Integer, nullable=False),
            ),
            problems=Table(
                f"rm_problems{suffix}",
                metadata,
                Column("id", String(36), primary_key=True),
                Column("unit", String(64), nullable=False, index=True),
                *_place_columns(),
                Column("description", Text, nullable=False),
                Column("version", Integer, nullable=False),
                *_milestone_columns(list(PROBLEM_MILESTONES), indexed=("identified",)),
            ),
            facts=Table(
                f"rm_facts{suffix}",
                metadata,
                Column("position", BigInteger, primary_key=True),  # the event's notification id …
                Column("seq", Integer, primary_key=True),  # … and the fact's place among that event's facts
                Column("kind", String(32), nullable=False, index=True),
                Column("sub", String(64), nullable=True),
                Column("record_id", String(36), nullable=False, index=True),
                Column("record_version", Integer, nullable=False),
                Column("unit", String(64), nullable=True, index=True),
                *_place_columns(),
                Column("quantity", Integer, nullable=False),
                Column("value", Integer, nullable=True),
                Column("amount_yuan", BigInteger, nullable=False),
                Column("amount2_yuan", BigInteger, nullable=False),
                Column("flag", Boolean, nullable=False),
                Column("occ", DateTime(timezone=True), nullable=False, index=True),
                Column("rec", DateTime(timezone=True), nullable=False),
            ),
        )

    # ----- rows ---------------------------------------------------------------------------

    def route(self, event: Any) -> tuple[str, str] | None:
        if isinstance(event, Inspection.FindingRecorded):
            return None
        for aggregate, table in _TABLE_OF:
            if isinstance(event, aggregate.Event):
                return table, str(event.originator_id)
        return None

    def needs(self, event: Any) -> tuple[str, str] | None:
        enterprise_id = getattr(event, "enterprise_id", None)
        if enterprise_id is not None and isinstance(
            event, Inspection.InspectionConducted | EnforcementCase.CaseOpened | WorkLog.ActivityRecorded
        ):
            return "enterprises", str(enterprise_id)
        return None

    def evolve(self, table: str, row: Row | None, e: Any, lookup: Lookup) -> Row:
        row = _EVOLVE[table](dict(row or {}), e, lookup)
        row["version"] = e.originator_version
        return row

    def rows_changed(
        self, conn: Any, tables: Tables, before: dict[tuple[str, str], Row | None], after: dict[tuple[str, str], Row]
    ) -> None:
        deltas: dict[rollups.Key, dict[str, int]] = {}
        firsts: list[dict[str, Any]] = []
        for (table, key), row in after.items():
            if table == "hazards":
                rollups.hazard_deltas(before[(table, key)], self.campaign_start, -1, deltas)
                rollups.hazard_deltas(row, self.campaign_start, +1, deltas)
            elif table == "inspections":
                firsts.extend(rollups.inspection_firsts(row, self.campaign_start))
        rollups.write(conn, tables, deltas, firsts)

    # ----- facts --------------------------------------------------------------------------

    def facts(self, position: int, e: Any, row: Row | None, lookup: Lookup) -> list[Row]:
        envelope = {
            "position": position, "record_id": str(e.originator_id), "record_version": e.originator_version,
            "occ": utc(e.occurred_at), "rec": utc(e.timestamp),
        }  # fmt: skip
        defaults = {"sub": None, "quantity": 1, "value": None, "amount_yuan": 0, "amount2_yuan": 0, "flag": False}
        defaults.update({"unit": None, "enterprise_id": None, "sector": None, "jurisdiction": None})
        return [{**defaults, **envelope, **fact, "seq": i} for i, fact in enumerate(_facts_of(e, row, lookup))]


def _evolve_enterprise(row: Row, e: Any, _: Lookup) -> Row:
    if isinstance(e, Enterprise.EnterpriseRegistered):
        row.update(
            id=str(e.originator_id), credit_code=e.credit_code, name=e.name, sector=e.sector,
            jurisdiction=e.jurisdiction, principal_name=e.principal_name, high_risk=e.high_risk,
        )  # fmt: skip
    elif isinstance(e, Enterprise.PrincipalChanged):
        row["principal_name"] = e.principal_name
    return row


def _evolve_inspection(row: Row, e: Any, lookup: Lookup) -> Row:
    if isinstance(e, Inspection.InspectionConducted):
        enterprise = lookup("enterprises", str(e.enterprise_id)) or {}
        row.update(
            sector=enterprise.get("sector"), jurisdiction=enterprise.get("jurisdiction"),
            id=str(e.originator_id), enterprise_id=str(e.enterprise_id), organisation_id=e.organisation_id,
            kind=str(e.kind), method=str(e.method), inspectors=len(e.inspectors), signatures=0,
            occ=utc(e.occurred_at), rec=utc(e.timestamp),
        )  # fmt: skip
    elif isinstance(e, Inspection.InspectionSigned):
        row["signatures"] += 1
    return row


def _evolve_hazard(row: Row, e: Any, _: Lookup) -> Row:
    fold_hazard(row, e)
    if isinstance(e, Hazard.HazardReported):
        row.update(
            department=e.department, source=str(e.source), criterion=e.criterion, description=e.description,
            inspection_id=str(e.inspection_id) if e.inspection_id else None, existed_since=e.existed_since,
            listed=False, **{f"{m}_{part}": None for m in MILESTONES for part in ("occ", "rec", "ver")},
        )  # fmt: skip
    elif isinstance(e, Hazard.ListedForSupervision):
        row["listed"] = True
    elif isinstance(e, Hazard.SupervisionLifted):
        row["listed"] = False
    _reach(row, _MILESTONE_OF.get(type(e)), e)
    row["updated_at"] = utc(e.occurred_at)
    return row


def _evolve_case(row: Row, e: Any, lookup: Lookup) -> Row:
    if isinstance(e, EnforcementCase.CaseOpened):
        enterprise = lookup("enterprises", str(e.enterprise_id)) or {}
        row.update(
            id=str(e.originator_id), case_number=e.case_number, unit=e.department, enterprise_id=str(e.enterprise_id),
            sector=enterprise.get("sector"), jurisdiction=enterprise.get("jurisdiction"),
            **{f"{m}_{part}": None for m in CASE_MILESTONES for part in ("occ", "rec", "ver")},
        )  # fmt: skip
    _reach(row, _CASE_MILESTONE_OF.get(type(e)), e)
    return row


def _evolve_accident(row: Row, e: Any, _: Lookup) -> Row:
    if isinstance(e, Accident.AccidentReported):
        row.update(
            id=str(e.originator_id), enterprise_id=str(e.enterprise_id) if e.enterprise_id else None, sector=e.sector,
            jurisdiction=e.jurisdiction, grade=str(e.grade), deaths=e.deaths, injuries=e.injuries,
            direct_loss_yuan=e.direct_loss_yuan, description=e.description, listed=False,
        )  # fmt: skip
        _reach(row, "happened", e)  # an accident is reported with the time it happened
    elif isinstance(e, Accident.AccidentListed):
        row["listed"] = True
    return row


def _evolve_work_log(row: Row, e: Any, _: Lookup) -> Row:
    if isinstance(e, WorkLog.WorkLogOpened):
        row.update(id=str(e.originator_id), unit=e.unit_id)
    return row


def _evolve_risk_point(row: Row, e: Any, _: Lookup) -> Row:
    state = dict(row.get("state") or {})
    if isinstance(e, RiskPoint.RiskPointRegistered):
        row.update(
            id=str(e.originator_id), enterprise_id=str(e.enterprise_id), sector=e.sector, jurisdiction=e.jurisdiction, name=e.name
        )
        _reach(row, "registered", e)
        state = {
            "department": "", "department_person": "", "department_phone": "", "principal_name": "", "principal_phone": "",
            "enterprise_measures": [], "government_measures": [], "emergency_measures": [], "supplies": [],
        }  # fmt: skip
    if isinstance(e, RiskPoint.RiskPointRegistered | RiskPoint.BasicInfoListed):
        state.update(description=e.description, address=e.address, assessed=e.assessed, characteristics=plain(e.characteristics))
    elif isinstance(e, RiskPoint.ResponsibilityListed):
        state.update(
            {
                k: getattr(e, k)
                for k in ("department", "department_person", "department_phone", "principal_name", "principal_phone")
            }
        )
    elif isinstance(e, RiskPoint.ControlMeasuresListed):
        state.update(enterprise_measures=list(e.enterprise_measures), government_measures=[str(m) for m in e.government_measures])
    elif isinstance(e, RiskPoint.EmergencyListed):
        state.update(emergency_measures=list(e.measures), supplies=plain(e.supplies))
    row["state"] = state
    row["controlled"] = risk_point_controlled(state)
    return row


RESPONSIBILITY_FIELDS = ("department", "department_person", "department_phone", "principal_name", "principal_phone")


def risk_point_controlled(state: dict[str, Any]) -> bool:
    """The domain's completeness rule (all four lists complete), applied to a row's state."""
    point = SimpleNamespace(**{**state, "characteristics": HazardCharacteristics(**{
        **state["characteristics"], "accident_types": tuple(state["characteristics"]["accident_types"])})})  # fmt: skip
    return not missing_columns(point)


def _evolve_warning(row: Row, e: Any, _: Lookup) -> Row:
    if isinstance(e, UnitWarning.WarningProposed):
        row.update(id=str(e.originator_id), unit=e.unit_id, level=str(e.level))
    return row


def _evolve_problem(row: Row, e: Any, _: Lookup) -> Row:
    if isinstance(e, OutstandingProblem.ProblemIdentified):
        row.update(
            id=str(e.originator_id), unit=e.unit_id, sector=e.sector, jurisdiction=e.jurisdiction,
            enterprise_id=str(e.enterprise_id) if e.enterprise_id else None, description=e.description,
            **{f"{m}_{part}": None for m in PROBLEM_MILESTONES for part in ("occ", "rec", "ver")},
        )  # fmt: skip
    _reach(row, _PROBLEM_MILESTONE_OF.get(type(e)), e)
    return row


def _reach(row: Row, milestone: str | None, e: Any) -> None:
    """Records the first time a milestone is reached, in both times, with the event's version."""
    if milestone is not None and row.get(f"{milestone}_occ") is None:
        occ, rec, ver = utc(e.occurred_at), utc(e.timestamp), e.originator_version
        row.update({f"{milestone}_occ": occ, f"{milestone}_rec": rec, f"{milestone}_ver": ver})


_TABLE_OF: tuple[tuple[Any, str], ...] = (
    (Enterprise, "enterprises"),
    (Inspection, "inspections"),
    (Hazard, "hazards"),
    (EnforcementCase, "cases"),
    (Accident, "accidents"),
    (WorkLog, "work_logs"),
    (RiskPoint, "risk_points"),
    (OutstandingProblem, "problems"),
    (UnitWarning, "warnings"),
)
_EVOLVE = {
    "enterprises": _evolve_enterprise,
    "inspections": _evolve_inspection,
    "hazards": _evolve_hazard,
    "cases": _evolve_case,
    "accidents": _evolve_accident,
    "work_logs": _evolve_work_log,
    "risk_points": _evolve_risk_point,
    "problems": _evolve_problem,
    "warnings": _evolve_warning,
}


def _facts_of(e: Any, row: Row | None, lookup: Lookup) -> list[Row]:
    """The countable facts of one event (without the envelope the projection adds)."""
    if isinstance(e, AccountabilityCase.AccountabilityPursued):
        # 责任倒查、追责问责 (Annex 1 item 9): the persons held accountable, for the unit that decided it
        # (DESIGN §5), which the record names: the office may record a decision a department took.
        return [{"kind": ACCOUNTABILITY, "quantity": len(e.persons), "unit": e.decided_by}]
    if isinstance(e, EnforcementCase.Event) and row is not None:
        # An enforcement act counts for the unit that decided it, in its enterprise's sector row.
        place = {"unit": e.actor.organisation_id, "enterprise_id": row["enterprise_id"], "sector": row["sector"],
                 "jurisdiction": row["jurisdiction"]}  # fmt: skip
        if isinstance(e, EnforcementCase.PenaltyDecided):
            return [{**place, "kind": PENALTY, "sub": str(e.target), "amount_yuan": e.fine_yuan}]
        if isinstance(e, EnforcementCase.DualPenaltyImposed):
            return [
                {**place, "kind": DUAL_PENALTY, "amount_yuan": e.enterprise_fine_yuan + e.principal_fine_yuan},
                {**place, "kind": PENALTY, "sub": PenaltyTarget.ENTERPRISE.value, "amount_yuan": e.enterprise_fine_yuan},
                {**place, "kind": PENALTY, "sub": PenaltyTarget.PERSON.value, "amount_yuan": e.principal_fine_yuan},
            ]
        if isinstance(e, EnforcementCase.TransferredToJudiciary):
            return [{**place, "kind": JUDICIAL_TRANSFER, "quantity": len(e.persons), "flag": e.dangerous_operations_crime}]
        if isinstance(e, EnforcementCase.LicenceSuspendedOrRevoked):
            return [{**place, "kind": LICENCE, "sub": str(e.action)}]
        if isinstance(e, EnforcementCase.CasePublishedAsTypical):
            return [{**place, "kind": TYPICAL_CASE, "flag": e.dangerous_operations_crime}]
        kind = _SIMPLE_ACTS.get(type(e))
        return [{**place, "kind": kind}] if kind else []
    if isinstance(e, WorkLog.ActivityRecorded) and row is not None:
        enterprise = lookup("enterprises", str(e.enterprise_id)) if e.enterprise_id else None
        return [{
            "kind": ACTIVITY, "sub": str(e.kind), "unit": row["unit"], "quantity": e.count or 0, "value": e.value,
            "amount_yuan": e.amount_yuan or 0, "amount2_yuan": e.anonymous_amount_yuan or 0,
            "enterprise_id": str(e.enterprise_id) if e.enterprise_id else None,
            "sector": e.sector or (enterprise or {}).get("sector"), "jurisdiction": (enterprise or {}).get("jurisdiction"),
        }]  # fmt: skip
    if isinstance(e, Inspection.DeficienciesRecorded) and row is not None:
        return [
            {"kind": DEFICIENCY, "sub": str(d), "unit": row["organisation_id"], "enterprise_id": row["enterprise_id"]}
            for d in e.deficiencies
        ]
    if isinstance(e, UnitWarning.WarningConfirmed) and row is not None:
        # 约谈通报有关县区及部门: a confirmed 约谈, or any warning published (通报), counts for the issuer.
        if row["level"] == WarningLevel.INTERVIEW.value or e.published:
            return [{"kind": UNIT_WARNING, "sub": row["level"], "unit": e.actor.organisation_id}]
        return []
    if isinstance(e, RiskPoint.Event) and row is not None:
        place = {k: row[k] for k in ("enterprise_id", "sector", "jurisdiction")}
        return [{**place, "kind": RISK_STATE, "flag": row["controlled"]}]
    return []


_SIMPLE_ACTS = {
    EnforcementCase.SuspensionOrdered: SUSPENSION,
    EnforcementCase.ClosureOrdered: CLOSURE,
    EnforcementCase.EnterpriseInterviewed: INTERVIEW,
    EnforcementCase.JointPunishmentApplied: JOINT_PUNISHMENT,
    EnforcementCase.CaseExposed: EXPOSURE,
}
