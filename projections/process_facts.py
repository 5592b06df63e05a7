"""The ``process_facts`` projection: what the derived facts — missed deadlines, the warning ladder,
the repeat-offender detector — are computed from, as of any business date and recording time.

Tables (each of a numbered version, built, caught up and rebuilt blue/green by ``ProjectionRunner``
like every projection — a batch's rows and the position commit in one transaction, exactly once):

- ``hazards``    grade, sector/territory (→ the units it counts for), current state and deadline, and
                 its steps (``projections/hazard_steps.py``) for the fold as of any time;
- ``accidents``  grade, deaths, liability (reported / concluded), every listing level, when, recorded;
                 and what accident statistics read (injuries, direct loss, enterprise, place, what happened);
- ``cases``      opened and closed (business and recording times), the penalty decisions against the
                 enterprise (both times), every penalty decision (for rules 1 and 2), the opening
                 department, whether it cites an accident; ``citations`` one row per (case, cited hazard);
- ``warnings``   every graded warning on record (proposed by the office, or taken up from the ladder
                 when the office decided it) with its unit, level, trigger, state and decision.

One event may change rows of several tables (a ``CaseOpened`` writes its case and its citations), so
this is a small projection of its own rather than a ``RowStateProjection``, on the same principle: a
batch loads the rows its events touch, evolves them in log order and upserts each changed row once.
Datetimes are stored in UTC (SQLite keeps no zone).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite

from domain.accident import Accident
from domain.enforcement import EnforcementCase
from domain.glossary import PenaltyTarget, SupervisionLevel, WarningState
from domain.hazard import Hazard
from domain.unit_warning import UnitWarning
from projections.engine import Tables
from projections.hazard_fold import fold_hazard
from projections.hazard_steps import with_step
from projections.rowstate import utc

Row = dict[str, Any]
Route = tuple[str, str]
_CHUNK = 500

_CASE_EVENTS = (
    EnforcementCase.CaseOpened,
    EnforcementCase.PenaltyDecided,
    EnforcementCase.DualPenaltyImposed,
    EnforcementCase.CaseClosed,
)


def _event(item: Any) -> Any:
    """The domain event of a batch item: the runner passes events, or (position, event) pairs."""
    return item.event if isinstance(item, tuple) and hasattr(item, "event") else item


class ProcessFactsProjection:
    name = "process_facts"

    def define(self, metadata: MetaData, suffix: str) -> Tables:
        def at(name: str, nullable: bool = False, index: bool = False) -> Column[Any]:
            return Column(name, DateTime(timezone=True), nullable=nullable, index=index)

        return Tables(
            hazards=Table(
                f"pf_hazards{suffix}",
                metadata,
                Column("id", String(36), primary_key=True),
                Column("enterprise_id", String(36), nullable=False),
                Column("sector", String(64), nullable=False),
                Column("jurisdiction", String(64), nullable=False),
                Column("grade", String(16), nullable=False),
                Column("source", String(32), nullable=False),
                Column("state", String(32), nullable=False, index=True),
                at("reported_occ"),
                at("reported_rec"),
                Column("deadline", Date, nullable=True),
                Column("steps", JSON, nullable=False),
                Column("version", Integer, nullable=False),
            ),
            accidents=Table(
                f"pf_accidents{suffix}",
                metadata,
                Column("id", String(36), primary_key=True),
                Column("sector", String(64), nullable=False),
                Column("jurisdiction", String(64), nullable=False),
                Column("grade", String(32), nullable=False),
                Column("deaths", Integer, nullable=False),
                Column("liability_reported", Boolean, nullable=False),
                Column("liability_confirmed", Boolean, nullable=True),
                Column("listed_district", Boolean, nullable=False),
                Column("listed_city", Boolean, nullable=False),
                Column("listed_province", Boolean, nullable=False),
                Column("injuries", Integer, nullable=False),
                Column("direct_loss_yuan", BigInteger, nullable=False),
                Column("enterprise_id", String(36), nullable=True),
                Column("location", Text, nullable=False),
                Column("description", Text, nullable=False),
                at("happened_occ", index=True),
                at("reported_rec"),
                Column("version", Integer, nullable=False),
            ),
            cases=Table(
                f"pf_cases{suffix}",
                metadata,
                Column("id", String(36), primary_key=True),
                Column("enterprise_id", String(36), nullable=False),
                at("opened_occ"),
                at("opened_rec"),
                at("closed_occ", nullable=True),
                at("closed_rec", nullable=True),
                Column("penalties", JSON, nullable=False),  # [{"occ", "rec"}] against the enterprise
                Column("department", String(64), nullable=False),
                Column("cites_accident", Boolean, nullable=False),
                Column("decisions", JSON, nullable=False),  # every penalty decision: number, occ, rec, dual, version
                Column("version", Integer, nullable=False),
            ),
            citations=Table(
                f"pf_citations{suffix}",
                metadata,
                Column("key", String(80), primary_key=True),  # case id : hazard id
                Column("case_id", String(36), nullable=False, index=True),
                Column("hazard_id", String(36), nullable=False, index=True),
            ),
            warnings=Table(
                f"pf_warnings{suffix}",
                metadata,
                Column("id", String(36), primary_key=True),
                Column("unit_id", String(64), nullable=False, index=True),
                Column("level", String(16), nullable=False),
                Column("trigger", String(64), nullable=False),
                Column("trigger_key", Text, nullable=False),
                Column("refs", JSON, nullable=False),
                Column("reason_zh", Text, nullable=False),
                Column("reason_en", Text, nullable=False),
                Column("state", String(16), nullable=False, index=True),
                at("proposed_occ", index=True),
                at("proposed_rec"),
                at("decided_occ", nullable=True),
                at("decided_rec", nullable=True),
                Column("published", Boolean, nullable=False),
                Column("version", Integer, nullable=False),
            ),
        )

    # ----- routing: the rows an event changes ---------------------------------------------------

    def routes(self, e: Any) -> list[Route]:
        oid = str(e.originator_id)
        if isinstance(e, Hazard.Event):
            return [("hazards", oid)]
        if isinstance(e, Accident.Event):
            return [("accidents", oid)]
        if isinstance(e, _CASE_EVENTS):
            routes = [("cases", oid)]
            if isinstance(e, EnforcementCase.CaseOpened):
                routes += [("citations", f"{oid}:{h}") for h in dict.fromkeys(e.cited_hazard_ids)]
            return routes
        if isinstance(e, UnitWarning.Event):
            return [("warnings", oid)]
        return []

    def evolve(self, table: str, key: str, row: Row | None, e: Any) -> Row:
        if table == "hazards":
            return _hazard(row, e)
        if table == "accidents":
            return _accident(row, e)
        if table == "cases":
            return _case(row, e)
        if table == "citations":
            case_id, hazard_id = key.split(":", 1)
            return {"key": key, "case_id": case_id, "hazard_id": hazard_id}
        return _warning(row, e)

    # ----- a batch ---------------------------------------------------------------------------------

    def apply_batch(self, conn: Connection, tables: Tables, events: Sequence[Any]) -> None:
        routed = [(route, e) for e in map(_event, events) for route in self.routes(e)]
        if not routed:
            return
        rows: dict[Route, Row | None] = {}
        for name in {t for (t, _), _ in routed}:
            table = tables[name]
            pk = _pk(table)
            keys = list(dict.fromkeys(k for (t, k), _ in routed if t == name))
            for i in range(0, len(keys), _CHUNK):
                for existing in conn.execute(select(table).where(pk.in_(keys[i : i + _CHUNK]))).mappings():
                    rows[(name, existing[pk.name])] = dict(existing)
        changed: dict[Route, Row] = {}
        for route, e in routed:
            rows[route] = changed[route] = self.evolve(route[0], route[1], rows.get(route), e)
        for name in {t for t, _ in changed}:
            _upsert(conn, tables[name], [r for (t, _), r in changed.items() if t == name])


def _hazard(row: Row | None, e: Any) -> Row:
    row = {} if isinstance(e, Hazard.HazardReported) else dict(row or {})
    fold_hazard(row, e)
    if isinstance(e, Hazard.HazardReported):
        row.update(source=str(e.source), reported_occ=utc(e.occurred_at), reported_rec=utc(e.timestamp))
    row.update(steps=with_step(row.get("steps"), e), version=e.originator_version)
    return row


def _accident(row: Row | None, e: Any) -> Row:
    if isinstance(e, Accident.AccidentReported):
        row = {
            "id": str(e.originator_id),
            "sector": e.sector,
            "jurisdiction": e.jurisdiction,
            "grade": str(e.grade),
            "deaths": e.deaths,
            "liability_reported": e.liability,
            "liability_confirmed": None,
            "listed_district": False,
            "listed_city": False,
            "listed_province": False,
            "injuries": e.injuries,
            "direct_loss_yuan": e.direct_loss_yuan,
            "enterprise_id": str(e.enterprise_id) if e.enterprise_id else None,
            "location": e.location,
            "description": e.description,
            "happened_occ": utc(e.occurred_at),
            "reported_rec": utc(e.timestamp),
        }
    row = dict(row or {})
    if isinstance(e, Accident.AccidentListed):
        row[f"listed_{SupervisionLevel(e.level).value}"] = True
    elif isinstance(e, Accident.AccidentInvestigationConcluded):
        row["liability_confirmed"] = e.liability
    row["version"] = e.originator_version
    return row


def _case(row: Row | None, e: Any) -> Row:
    if isinstance(e, EnforcementCase.CaseOpened):
        row = {
            "id": str(e.originator_id),
            "enterprise_id": str(e.enterprise_id),
            "opened_occ": utc(e.occurred_at),
            "opened_rec": utc(e.timestamp),
            "closed_occ": None,
            "closed_rec": None,
            "penalties": [],
            "department": e.department,
            "cites_accident": bool(e.accident_ids),
            "decisions": [],
        }
    row = dict(row or {})
    if isinstance(e, EnforcementCase.DualPenaltyImposed | EnforcementCase.PenaltyDecided):
        decision = {"number": e.decision_number, "occ": utc(e.occurred_at).isoformat(), "rec": utc(e.timestamp).isoformat(),  # type: ignore[union-attr]
                    "dual": isinstance(e, EnforcementCase.DualPenaltyImposed), "version": e.originator_version}  # fmt: skip
        row["decisions"] = [*row.get("decisions", []), decision]
    # As EnforcementCase.enterprise_penalties_until: decisions against the enterprise, a dual penalty once.
    if isinstance(e, EnforcementCase.DualPenaltyImposed) or (
        isinstance(e, EnforcementCase.PenaltyDecided) and PenaltyTarget(e.target) is PenaltyTarget.ENTERPRISE
    ):
        penalty = {"occ": utc(e.occurred_at).isoformat(), "rec": utc(e.timestamp).isoformat()}  # type: ignore[union-attr]
        row["penalties"] = [*row.get("penalties", []), penalty]
    elif isinstance(e, EnforcementCase.CaseClosed):
        row.update(closed_occ=utc(e.occurred_at), closed_rec=utc(e.timestamp))
    row["version"] = e.originator_version
    return row


def _warning(row: Row | None, e: Any) -> Row:
    if isinstance(e, UnitWarning.WarningProposed):
        row = {
            "id": str(e.originator_id),
            "unit_id": e.unit_id,
            "level": str(e.level),
            "trigger": str(e.trigger),
            "trigger_key": e.trigger_key,
            "refs": [str(r) for r in e.trigger_refs],
            "reason_zh": e.reason_zh,
            "reason_en": e.reason_en,
            "state": WarningState.PROPOSED.value,
            "proposed_occ": utc(e.occurred_at),
            "proposed_rec": utc(e.timestamp),
            "decided_occ": None,
            "decided_rec": None,
            "published": False,
        }
    row = dict(row or {})
    if isinstance(e, UnitWarning.WarningConfirmed):
        row.update(
            state=WarningState.CONFIRMED.value,
            decided_occ=utc(e.occurred_at),
            decided_rec=utc(e.timestamp),
            published=e.published,
        )
    elif isinstance(e, UnitWarning.WarningDismissed):
        row.update(state=WarningState.DISMISSED.value, decided_occ=utc(e.occurred_at), decided_rec=utc(e.timestamp))
    row["version"] = e.originator_version
    return row


def _upsert(conn: Connection, table: Table, rows: list[Row]) -> None:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table)
    pk = _pk(table).name
    updates = {c.name: stmt.excluded[c.name] for c in table.columns if c.name != pk}
    conn.execute(stmt.on_conflict_do_update(index_elements=[pk], set_=updates), rows)


def _pk(table: Table) -> Any:
    (column,) = table.primary_key.columns
    return column
