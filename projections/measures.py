"""Measures: every figure of the annexes and KPIs, defined once.

A measure names its source table, the conditions on top of the period, how it aggregates, and how a
record is attributed to a reporting unit (DESIGN §5). From one definition come the figure — an SQL
aggregate, grouped by sector row when asked — and its lineage: the records (with the version of the
event that put them in the cell) behind it.

Time: a record enters a period by the business time of its entry milestone (``*_occ`` in
[start, end)); ``known_at`` keeps only what was recorded by then (``*_rec <= known_at``). A cohort
condition ("of those, verified by the cut-off") reads another milestone against the period's end.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Engine, and_, case, exists, func, literal, or_, select, true

from domain.figures import Period
from domain.glossary import Grade, InspectionKind
from domain.reference_data import ReferenceData
from projections import records as r
from projections import rollups
from projections.engine import Tables


@dataclass(frozen=True)
class Scope:
    """What a figure is asked for: a unit (None = the district roll-up), a period, and the system
    time the figures are known at (None = everything recorded so far)."""

    unit: str | None
    period: Period
    known_at: datetime | None = None

    @property
    def end(self) -> datetime:
        return self.period.end_moment.astimezone(UTC)

    @property
    def start(self) -> datetime:
        return self.period.start_moment.astimezone(UTC)


@dataclass(frozen=True)
class Context:
    tables: Tables
    reference: ReferenceData
    scope: Scope

    def known(self, column: Any) -> ColumnElement[bool]:
        return true() if self.scope.known_at is None else column <= self.scope.known_at.astimezone(UTC)

    def reached(self, table: Any, milestone: str) -> ColumnElement[bool]:
        """The milestone was reached before the period's end (and known)."""
        occ = table.c[f"{milestone}_occ"]
        return and_(occ.is_not(None), occ < self.scope.end, self.known(table.c[f"{milestone}_rec"]))

    def entered(self, occ: Any, rec: Any) -> ColumnElement[bool]:
        return and_(occ >= self.scope.start, occ < self.scope.end, self.known(rec))

    def led_sectors(self, unit: str) -> list[str]:
        return [s.id for s in self.reference.sectors.values() if self.reference.lead_unit(s.id).id == unit]


Where = Callable[[Context, Any], Sequence[ColumnElement[bool]]]


@dataclass(frozen=True)
class Measure:
    """One figure. ``aggregate``: count | quantity | amount | amount2 | enterprises | records | any."""

    source: str
    where: Where
    aggregate: str = "count"
    attribution: str = "record"  # record: sector lead or street/zone · actor: the acting unit · organisation: inspecting body
    entry: str = "reported"  # the milestone (or "fact"/"inspection") whose time puts a record in a period
    qualified_by: str | None = None  # the milestone whose event makes a record count here (lineage), if not the entry
    rollup: str | None = None  # its name among the running totals of the district roll-up (projections/rollups.py)

    def base(self, ctx: Context) -> tuple[Any, list[ColumnElement[bool]]]:
        t = ctx.tables[self.source]
        conditions = [*self.where(ctx, t), self._in_period(ctx, t)]
        unit = ctx.scope.unit
        if unit is not None:
            if self.attribution == "record":
                conditions.append(or_(t.c.sector.in_(ctx.led_sectors(unit)), t.c.jurisdiction == unit))
            elif self.attribution == "actor":
                conditions.append(t.c.unit == unit)
            else:
                conditions.append(t.c.organisation_id == unit)
        return t, conditions

    def _in_period(self, ctx: Context, t: Any) -> ColumnElement[bool]:
        if self.entry in ("fact", "inspection"):
            return ctx.entered(t.c.occ, t.c.rec)
        return ctx.entered(t.c[f"{self.entry}_occ"], t.c[f"{self.entry}_rec"])

    def version_column(self, t: Any) -> Any:
        """The version of the event that puts the record in this figure."""
        if self.entry == "fact":
            return t.c.record_version
        if self.entry == "inspection":
            return t.c.version
        return t.c[f"{self.qualified_by or self.entry}_ver"]

    def record_column(self, t: Any) -> Any:
        return t.c.record_id if self.entry == "fact" else t.c.id


def _sector_of(t: Any) -> Any:
    return t.c.sector if "sector" in t.c else None


_SUMMED = {"count": None, "any": None, "quantity": "quantity", "amount": "amount_yuan", "amount2": "amount2_yuan"}


def by_sector(engine: Engine, measures: dict[str, Measure], ctx: Context) -> dict[str, dict[str | None, Any]]:
    """Each figure per sector row of its source (None: records without a sector); see ``by_sector_in``."""
    return by_sector_in(engine, measures, [ctx])[0]


def by_sector_in(
    engine: Engine, measures: dict[str, Measure], contexts: Sequence[Context]
) -> list[dict[str, dict[str | None, Any]]]:
    """Each figure per sector row of its source for several periods of one scope (e.g. Annex 2's
    cumulative and month-to-date columns), with one scan per source table for all of them: a
    ``SUM(CASE …)`` per additive figure and period, one ``DISTINCT`` query with a flag per figure and
    period for sets of enterprises/records (unions are not sums). ``any`` gives a bool. A source the
    running totals serve (the district as known now) is read from them instead, per period."""
    results: list[dict[str, dict[str | None, Any]]] = [{key: {} for key in measures} for _ in contexts]
    by_source: dict[str, list[str]] = {}
    for key, measure in measures.items():
        by_source.setdefault(measure.source, []).append(key)
    with engine.connect() as conn:
        for keys in by_source.values():
            scanned: list[int] = []
            for i, ctx in enumerate(contexts):
                totals = _from_rollups(conn, measures, keys, ctx)
                if totals is None:
                    scanned.append(i)
                else:
                    results[i].update(totals)
            if scanned:
                _scan(conn, measures, keys, [(contexts[i], results[i]) for i in scanned])
    return results


def _scan(
    conn: Any, measures: dict[str, Measure], keys: list[str], targets: list[tuple[Context, dict[str, dict[str | None, Any]]]]
) -> None:
    """One source table, scanned once for every (period, figure) of ``targets``."""
    t = targets[0][0].tables[measures[keys[0]].source]
    sector = _sector_of(t)
    sector_key = sector if sector is not None else literal(None)
    asked = [(ctx, out, key, and_(*measures[key].base(ctx)[1])) for ctx, out in targets for key in keys]
    additive = [a for a in asked if measures[a[2]].aggregate in _SUMMED or measures[a[2]].aggregate == "any"]
    if additive:
        sums = [
            func.coalesce(func.sum(case((condition, _summand(t, measures[key])), else_=0)), 0).label(f"m{i}")
            for i, (_, _, key, condition) in enumerate(additive)
        ]
        query = select(sector_key.label("sector"), *sums).where(or_(*(a[3] for a in additive))).group_by(sector_key)
        for row in conn.execute(query):
            for i, (_, out, key, _) in enumerate(additive):
                out[key][row[0]] = int(row[i + 1])
        for _, out, key, _ in additive:
            if measures[key].aggregate == "any":
                out[key] = {None: total(out[key]) > 0}
    for aggregate in ("enterprises", "records"):
        members = sorted((a for a in asked if measures[a[2]].aggregate == aggregate), key=lambda a: a[2])
        if not members:
            continue
        member = t.c.enterprise_id if aggregate == "enterprises" else measures[members[0][2]].record_column(t)
        flags = [case((condition, 1), else_=0).label(f"f{i}") for i, (_, _, _, condition) in enumerate(members)]
        query = (
            select(sector_key.label("sector"), member, *flags)
            .distinct()
            .where(member.is_not(None), or_(*(a[3] for a in members)))
        )
        for row in conn.execute(query):
            for i, (_, out, key, _) in enumerate(members):
                if row[i + 2]:
                    out[key].setdefault(row[0], set()).add(row[1])


def _from_rollups(conn: Any, measures: dict[str, Measure], keys: list[str], ctx: Context) -> dict[str, Any] | None:
    """The district roll-up as known now, read from the running totals when every figure asked of this
    source is kept there and the period is the campaign or the cut-off's month; None: scan the rows."""
    scope = ctx.scope
    names = [measures[k].rollup for k in keys]
    if scope.unit is not None or scope.known_at is not None or None in names:
        return None
    bucket = rollups.bucket_of(scope.period.start, scope.period.end, ctx.reference.campaign.start)
    if bucket is None:
        return None
    as_of = scope.period.end
    if measures[keys[0]].source == "hazards":
        totals = rollups.cohort_totals(conn, ctx.tables, list(dict.fromkeys(names)), bucket, as_of)  # type: ignore[arg-type]
        return {k: totals[name] for k, name in zip(keys, names, strict=True)}  # type: ignore[index]
    return {k: rollups.first_sets(conn, ctx.tables, name, bucket, as_of) for k, name in zip(keys, names, strict=True)}  # type: ignore[arg-type]


def _summand(t: Any, measure: Measure) -> Any:
    column = _SUMMED.get(measure.aggregate)
    return 1 if column is None else t.c[column]


def total(groups: dict[str | None, Any]) -> Any:
    """The figure over every sector, each record once."""
    values = list(groups.values())
    if not values:
        return 0
    if isinstance(values[0], set):
        return len(set().union(*values))
    if isinstance(values[0], bool):
        return any(values)
    return sum(values)


def over(groups: dict[str | None, Any], sectors: Sequence[str]) -> Any:
    """The figure over some sector rows (a row and its "其中" rows), each record once."""
    return total({s: groups[s] for s in sectors if s in groups})


def contributors(engine: Engine, measure: Measure, ctx: Context, sectors: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Lineage: the records behind a figure, with the version of the event that counts them."""
    t, conditions = measure.base(ctx)
    if sectors is not None:
        conditions.append(t.c.sector.in_(list(sectors)))
    columns = [measure.record_column(t).label("record_id"), measure.version_column(t).label("version")]
    if measure.entry == "fact":
        columns += [t.c.position, t.c.kind, t.c.sub, t.c.quantity, t.c.amount_yuan, t.c.enterprise_id]
    query = select(*columns).where(*conditions).order_by(measure.record_column(t))
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


# ----- the measures ------------------------------------------------------------------------------


def _majors(ctx: Context, t: Any, *more: ColumnElement[bool]) -> list[ColumnElement[bool]]:
    """Majors not voided by the cut-off (voided hazards count nowhere)."""
    return [t.c.grade == Grade.MAJOR.value, ~ctx.reached(t, "voided"), *more]


def _cohort(name: str) -> Measure:
    """A hazard cohort figure, from the one definition its running totals are also kept by."""
    cohort = rollups.HAZARD_COHORTS[name]

    def where(ctx: Context, t: Any) -> list[ColumnElement[bool]]:
        sources = [t.c.source.in_(cohort.sources)] if cohort.sources is not None else []
        return _majors(ctx, t, *sources, *(ctx.reached(t, m) for m in cohort.milestones))

    return Measure("hazards", where, qualified_by=cohort.milestones[-1] if cohort.milestones else None, rollup=name)


def _facts(kind: str, sub: str | None = None) -> Where:
    def where(ctx: Context, t: Any) -> list[ColumnElement[bool]]:
        return [t.c.kind == kind] + ([t.c.sub == sub] if sub is not None else [])

    return where


def _controlled_at_cut_off(ctx: Context, rp: Any) -> list[ColumnElement[bool]]:
    """The risk point's last known state before the cut-off has all four lists complete."""
    facts = ctx.tables["facts"]

    def of_point(f: Any, record_id: Any) -> list[ColumnElement[bool]]:
        return [f.c.record_id == record_id, f.c.kind == r.RISK_STATE, f.c.occ < ctx.scope.end, ctx.known(f.c.rec)]

    earlier = facts.alias("earlier")
    # Correlated to the fact row of the EXISTS (not to the risk point two levels up, which SQLAlchemy
    # would otherwise add to the subquery's FROM: the latest fact of any point, not of this one).
    latest = select(func.max(earlier.c.position)).where(*of_point(earlier, facts.c.record_id)).scalar_subquery()
    return [exists().where(*of_point(facts, rp.c.id), facts.c.position == latest, facts.c.flag.is_(True))]


# Inspections by departments (the denominator of 部门每千次检查发现重大事故隐患数).
DEPARTMENT_INSPECTION_KINDS = (InspectionKind.DEPARTMENT.value, InspectionKind.SPOT_CHECK.value)

MEASURES: dict[str, Measure] = {
    # hazards
    **{name: _cohort(name) for name in rollups.HAZARD_COHORTS},
    # risk points and problems
    "risks": Measure("risk_points", lambda c, t: [], entry="registered"),
    "risks_controlled": Measure("risk_points", _controlled_at_cut_off, entry="registered"),
    "problems": Measure("problems", lambda c, t: [], entry="identified"),
    "problems_root_cause": Measure(
        "problems", lambda c, t: [c.reached(t, "root_cause")], entry="identified", qualified_by="root_cause"
    ),
    "problems_rectified": Measure(
        "problems", lambda c, t: [c.reached(t, "rectified")], entry="identified", qualified_by="rectified"
    ),
    # inspections
    "spot_checked": Measure(
        "inspections", lambda c, t: [t.c.kind == InspectionKind.SPOT_CHECK.value], "enterprises", "organisation", "inspection"
    ),
    "department_inspections": Measure(
        "inspections", lambda c, t: [t.c.kind.in_(DEPARTMENT_INSPECTION_KINDS)], "count", "organisation", "inspection"
    ),
    "regulator_inspections": Measure(
        "inspections",
        lambda c, t: [t.c.kind.in_(rollups.INSPECTION_SETS["regulator_inspections"])],
        "enterprises",
        "organisation",
        "inspection",
        rollup="regulator_inspections",
    ),
    # enforcement acts (counted for the unit that decided them)
    "penalties": Measure("facts", _facts(r.PENALTY), "count", "actor", "fact"),
    "fines": Measure("facts", _facts(r.PENALTY), "amount", "actor", "fact"),
    "dual_penalties": Measure("facts", _facts(r.DUAL_PENALTY), "count", "actor", "fact"),
    "judicial_persons": Measure("facts", _facts(r.JUDICIAL_TRANSFER), "quantity", "actor", "fact"),
    "criminal_linkage": Measure("facts", _facts(r.JUDICIAL_TRANSFER), "records", "actor", "fact"),
    "suspended": Measure("facts", _facts(r.SUSPENSION), "enterprises", "actor", "fact"),
    "licences": Measure("facts", _facts(r.LICENCE), "enterprises", "actor", "fact"),
    "closed": Measure("facts", _facts(r.CLOSURE), "enterprises", "actor", "fact"),
    "interviewed": Measure("facts", _facts(r.INTERVIEW), "enterprises", "actor", "fact"),
    "joint_punished": Measure("facts", _facts(r.JOINT_PUNISHMENT), "enterprises", "actor", "fact"),
    "exposed_interviewed_punished": Measure(
        "facts", lambda c, t: [t.c.kind.in_((r.EXPOSURE, r.INTERVIEW, r.JOINT_PUNISHMENT))], "enterprises", "actor", "fact"
    ),
    "typical_cases": Measure("facts", _facts(r.TYPICAL_CASE), "count", "actor", "fact"),
    "typical_cases_dangerous": Measure(
        "facts", lambda c, t: [t.c.kind == r.TYPICAL_CASE, t.c.flag.is_(True)], "count", "actor", "fact"
    ),
    "accountability_persons": Measure("facts", _facts(r.ACCOUNTABILITY), "quantity", "actor", "fact"),
    "unit_interviews": Measure("facts", _facts(r.UNIT_WARNING), "count", "actor", "fact"),
}


# The KPI 部门每千次检查发现重大事故隐患数 counts what Annex 1 item 3 counts as 部门检查发现 (department
# inspections and 督导检查): one meaning of "found by departments" across the product.
MEASURES["found_by_department_inspection"] = MEASURES["department_found"]


def activity(kind: str, aggregate: str = "quantity") -> Measure:
    """A typed activity of the unit that recorded it (its work log)."""
    return Measure("facts", _facts(r.ACTIVITY, kind), aggregate, "actor", "fact")


def deficiency(kind: str) -> Measure:
    """Distinct enterprises whose spot checks by the unit found this deficiency."""
    return Measure("facts", _facts(r.DEFICIENCY, kind), "enterprises", "actor", "fact")


def latest_values(engine: Engine, measure: Measure, ctx: Context) -> int:
    """A stock (e.g. technical inspectors): each unit's latest recorded value, summed over units."""
    t, conditions = measure.base(ctx)
    latest: dict[str, tuple[Any, int, int]] = {}
    with engine.connect() as conn:
        for unit, occ, position, value in conn.execute(select(t.c.unit, t.c.occ, t.c.position, t.c.value).where(*conditions)):
            if unit not in latest or (occ, position) > latest[unit][:2]:
                latest[unit] = (occ, position, value or 0)
    return sum(v for _, _, v in latest.values())


def union_of(*groups: dict[str | None, Any]) -> dict[str | None, set[Any]]:
    """Sector-wise union of set-valued figures (e.g. enterprises inspected or served)."""
    merged: dict[str | None, set[Any]] = {}
    for group in groups:
        for sector, members in group.items():
            merged.setdefault(sector, set()).update(members)
    return merged
