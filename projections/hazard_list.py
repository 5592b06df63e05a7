"""The hazard list / detail read model: one row per hazard and per enterprise, with list filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, or_, select, update

from domain.enterprise import Enterprise
from domain.glossary import Grade, HazardSource, HazardState
from domain.hazard import Hazard
from domain.reference_data import ReferenceData
from projections.tables import enterprises, hazards

# Events that move a hazard to a state.
_STATE_AFTER = {
    Hazard.RectificationPlanFiled: HazardState.RECTIFYING,
    Hazard.RectificationCompleted: HazardState.PENDING_VERIFICATION,
    Hazard.VerificationPassed: HazardState.VERIFIED,
    Hazard.VerificationFailed: HazardState.RECTIFYING,
    Hazard.HazardClosed: HazardState.CLOSED,
    Hazard.HazardVoided: HazardState.VOIDED,
}


class HazardListProjection:
    name = "hazard_list"

    def reset(self, conn: Connection) -> None:
        conn.execute(delete(hazards))
        conn.execute(delete(enterprises))

    def apply(self, conn: Connection, e: Any) -> None:
        if isinstance(e, Enterprise.EnterpriseRegistered):
            conn.execute(
                insert(enterprises).values(
                    id=str(e.originator_id),
                    credit_code=e.credit_code,
                    name=e.name,
                    sector=e.sector,
                    jurisdiction=e.jurisdiction,
                    principal_name=e.principal_name,
                    high_risk=e.high_risk,
                    version=e.originator_version,
                )
            )
        elif isinstance(e, Enterprise.PrincipalChanged):
            conn.execute(
                update(enterprises)
                .where(enterprises.c.id == str(e.originator_id))
                .values(principal_name=e.principal_name, version=e.originator_version)
            )
        elif isinstance(e, Hazard.HazardReported):
            conn.execute(
                insert(hazards).values(
                    id=str(e.originator_id),
                    enterprise_id=str(e.enterprise_id),
                    sector=e.sector,
                    jurisdiction=e.jurisdiction,
                    department=e.department,
                    grade=str(e.grade),
                    source=str(e.source),
                    state=HazardState.REPORTED.value,
                    criterion=e.criterion,
                    description=e.description,
                    reported_at=_utc(e.occurred_at),
                    reported_to_regulator=False,
                    listed=False,
                    overdue=False,
                    deadline=None,
                    updated_at=_utc(e.occurred_at),
                    version=e.originator_version,
                )
            )
        elif isinstance(e, Hazard.Event):
            values: dict[str, Any] = {"version": e.originator_version, "updated_at": _utc(e.occurred_at)}
            state = _STATE_AFTER.get(type(e))
            if state is not None:
                values["state"] = state.value
            if isinstance(e, Hazard.RectificationPlanFiled):
                values["deadline"] = e.plan.deadline
            elif isinstance(e, Hazard.HazardReportedToRegulator):
                values["reported_to_regulator"] = True
            elif isinstance(e, Hazard.ListedForSupervision):
                values["listed"] = True
            elif isinstance(e, Hazard.SupervisionLifted):
                values["listed"] = False
            elif isinstance(e, Hazard.DeadlineMissed):
                values["overdue"] = True
            elif isinstance(e, Hazard.DeadlineExtended):
                values.update(overdue=False, deadline=e.new_deadline)
            elif isinstance(e, Hazard.RectificationCompleted):
                values["overdue"] = False
            conn.execute(update(hazards).where(hazards.c.id == str(e.originator_id)).values(**values))


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
    limit: int = 100
    offset: int = 0


class HazardQueries:
    """Reads of the hazard list; labels come from the reference data and the glossary."""

    def __init__(self, engine: Engine, reference: ReferenceData) -> None:
        self.engine = engine
        self.reference = reference

    def list(self, f: HazardFilter) -> dict[str, Any]:
        conditions = []
        if f.state:
            conditions.append(hazards.c.state == f.state.value)
        if f.sector:
            # A "其中" row's parent lists its children's hazards too.
            rows = [s.id for s in self.reference.sectors.values() if f.sector in (s.id, s.parent)]
            conditions.append(hazards.c.sector.in_(rows or [f.sector]))
        if f.unit:
            led = [s.id for s in self.reference.sectors.values() if f.unit in s.lead_unit_ids]
            conditions.append(or_(hazards.c.department == f.unit, hazards.c.jurisdiction == f.unit, hazards.c.sector.in_(led)))
        if f.grade:
            conditions.append(hazards.c.grade == f.grade.value)
        if f.source:
            conditions.append(hazards.c.source == f.source.value)
        if f.enterprise_id:
            conditions.append(hazards.c.enterprise_id == f.enterprise_id)
        if f.overdue is not None:
            conditions.append(hazards.c.overdue == f.overdue)
        if f.listed is not None:
            conditions.append(hazards.c.listed == f.listed)
        query = (
            select(hazards, enterprises.c.name.label("enterprise_name"))
            .join(enterprises, enterprises.c.id == hazards.c.enterprise_id, isouter=True)
            .where(*conditions)
        )
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(hazards).where(*conditions)).scalar_one()
            rows = conn.execute(
                query.order_by(hazards.c.reported_at.desc(), hazards.c.id).limit(f.limit).offset(f.offset)
            ).mappings()
            items = [self._row(r) for r in rows]
        return {"total": total, "limit": f.limit, "offset": f.offset, "items": items}

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
            "reported_at": _utc(r["reported_at"]).isoformat(),
            "reported_to_regulator": r["reported_to_regulator"],
            "listed": r["listed"],
            "overdue": r["overdue"],
            "deadline": deadline.isoformat() if deadline else None,
            "version": r["version"],
        }

    def enterprises(self, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(enterprises).order_by(enterprises.c.name).limit(limit).offset(offset)).mappings()
            return [dict(r) for r in rows]


def _utc(moment: datetime) -> datetime:
    """Stored as UTC; SQLite hands datetimes back without a zone, so reading re-attaches it."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
