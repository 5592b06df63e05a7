"""The records projection: current state of enterprises, inspections and hazards, with each hazard's
milestones in both times (occurred = business time, recorded = system time) for as-of figures.

A milestone happens at most once per hazard (the lifecycle cannot repeat it), so "majors verified
by D as known at T" is ``verified_occ <= D and verified_rec <= T`` on one row.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Column, Date, DateTime, Integer, MetaData, String, Table, Text

from domain.enterprise import Enterprise
from domain.glossary import HazardState
from domain.hazard import Hazard
from domain.inspection import Inspection
from projections.engine import Tables
from projections.rowstate import Row, RowStateProjection, utc

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

_STATE_AFTER = {
    Hazard.RectificationPlanFiled: HazardState.RECTIFYING,
    Hazard.RectificationCompleted: HazardState.PENDING_VERIFICATION,
    Hazard.VerificationPassed: HazardState.VERIFIED,
    Hazard.VerificationFailed: HazardState.RECTIFYING,
    Hazard.HazardClosed: HazardState.CLOSED,
    Hazard.HazardVoided: HazardState.VOIDED,
}


def _milestone_columns() -> list[Column[Any]]:
    columns: list[Column[Any]] = []
    for name in MILESTONES:
        columns += [
            Column(f"{name}_occ", DateTime(timezone=True), nullable=True, index=name in ("reported", "verified")),
            Column(f"{name}_rec", DateTime(timezone=True), nullable=True),
            Column(f"{name}_ver", Integer, nullable=True),
        ]
    return columns


class RecordsProjection(RowStateProjection):
    name = "records"

    def define(self, metadata: MetaData, suffix: str) -> Tables:
        return Tables(
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
                Column("overdue", Boolean, nullable=False),
                Column("deadline", Date, nullable=True),
                Column("updated_at", DateTime(timezone=True), nullable=False),
                Column("version", Integer, nullable=False),
                *_milestone_columns(),
            ),
        )

    def route(self, event: Any) -> tuple[str, str] | None:
        if isinstance(event, Hazard.Event):
            return "hazards", str(event.originator_id)
        if isinstance(event, Enterprise.Event):
            return "enterprises", str(event.originator_id)
        if isinstance(event, Inspection.InspectionConducted | Inspection.InspectionSigned):
            return "inspections", str(event.originator_id)
        return None

    def evolve(self, table: str, row: Row | None, e: Any) -> Row:
        if table == "hazards":
            return _evolve_hazard(row, e)
        if table == "enterprises":
            return _evolve_enterprise(row, e)
        return _evolve_inspection(row, e)


def _evolve_enterprise(row: Row | None, e: Any) -> Row:
    if isinstance(e, Enterprise.EnterpriseRegistered):
        row = {
            "id": str(e.originator_id),
            "credit_code": e.credit_code,
            "name": e.name,
            "sector": e.sector,
            "jurisdiction": e.jurisdiction,
            "principal_name": e.principal_name,
            "high_risk": e.high_risk,
        }
    elif isinstance(e, Enterprise.PrincipalChanged):
        row = {**(row or {}), "principal_name": e.principal_name}
    return {**(row or {}), "version": e.originator_version}


def _evolve_inspection(row: Row | None, e: Any) -> Row:
    if isinstance(e, Inspection.InspectionConducted):
        row = {
            "id": str(e.originator_id),
            "enterprise_id": str(e.enterprise_id),
            "organisation_id": e.organisation_id,
            "kind": str(e.kind),
            "method": str(e.method),
            "inspectors": len(e.inspectors),
            "signatures": 0,
            "occ": utc(e.occurred_at),
            "rec": utc(e.timestamp),
        }
    else:
        row = {**(row or {}), "signatures": (row or {}).get("signatures", 0) + 1}
    return {**row, "version": e.originator_version}


def _evolve_hazard(row: Row | None, e: Any) -> Row:
    if isinstance(e, Hazard.HazardReported):
        row = {
            "id": str(e.originator_id),
            "enterprise_id": str(e.enterprise_id),
            "sector": e.sector,
            "jurisdiction": e.jurisdiction,
            "department": e.department,
            "grade": str(e.grade),
            "source": str(e.source),
            "state": HazardState.REPORTED.value,
            "criterion": e.criterion,
            "description": e.description,
            "inspection_id": str(e.inspection_id) if e.inspection_id else None,
            "existed_since": e.existed_since,
            "listed": False,
            "overdue": False,
            "deadline": None,
            **{f"{m}_{part}": None for m in MILESTONES for part in ("occ", "rec", "ver")},
        }
    row = dict(row or {})
    state = _STATE_AFTER.get(type(e))
    if state is not None:
        row["state"] = state.value
    if isinstance(e, Hazard.RectificationPlanFiled):
        row["deadline"] = e.plan.deadline
    elif isinstance(e, Hazard.ListedForSupervision):
        row["listed"] = True
    elif isinstance(e, Hazard.SupervisionLifted):
        row["listed"] = False
    elif isinstance(e, Hazard.DeadlineMissed):
        row["overdue"] = True
    elif isinstance(e, Hazard.DeadlineExtended):
        row.update(overdue=False, deadline=e.new_deadline)
    elif isinstance(e, Hazard.RectificationCompleted):
        row["overdue"] = False
    milestone = _MILESTONE_OF.get(type(e))
    if milestone is not None and row.get(f"{milestone}_occ") is None:
        row.update(
            {
                f"{milestone}_occ": utc(e.occurred_at),
                f"{milestone}_rec": utc(e.timestamp),
                f"{milestone}_ver": e.originator_version,
            }
        )
    row.update(version=e.originator_version, updated_at=utc(e.occurred_at))
    return row
