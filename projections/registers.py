"""Lists of the registers (台账) — cases, inspections, accidents, risk points, problems, enterprises — over the
records projection: ONE query for all of them, each register described by its table and columns.

Every list is filtered to the reader's scope exactly as the register's single-record read is
(``domain.read_scope.ScopedReads``): the record's enterprise, sector row and territory, and the unit it is
assigned to (the inspecting organisation, the case's department, the problem's unit). An accident's and a
risk point's ``counts_for`` units are the sector's lead (within the sector rows a department leads) and the
territory, so their place columns say it all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, select

from domain.business_time import first_instant_after
from domain.figures import sector_members
from domain.glossary import CaseState, Labelled, ProblemState, Register
from domain.list_filters import (
    check_choice,
    check_not_applicable,
    check_period,
    check_reference_filters,
    normal_credit_code,
)
from domain.read_scope import ReadScope
from domain.reference_data import ReferenceData
from projections.engine import Tables
from projections.hazard_queries import scope_condition, unit_condition
from projections.rowstate import utc


@dataclass(frozen=True)
class RegisterFilter:
    unit: str | None = None  # a department (assigned, or leading the sector) or a street/zone (territory)
    sector: str | None = None  # a sector row; a parent row includes its 其中 rows
    jurisdiction: str | None = None  # a street or the zone (属地)
    state: str | None = None
    date_from: date | None = None  # business date (Beijing), inclusive
    date_to: date | None = None  # business date (Beijing), inclusive
    enterprise_id: str | None = None
    credit_code: str | None = None
    sort: str | None = None  # a sort key of the register; "-key" descending
    limit: int = 100
    offset: int = 0
    scope: ReadScope | None = None  # what the reader may see; None: everything (CLI, tests)


@dataclass(frozen=True)
class MilestoneState:
    """A register's state, read from one milestone: ``before`` until it is reached, then ``after``."""

    column: str
    before: Labelled
    after: Labelled

    def condition(self, columns: Any, state: str) -> Any:
        column = columns[self.column]
        return column.is_not(None) if state == self.after else column.is_(None)

    def of(self, row: Mapping[str, Any]) -> Labelled:
        return self.after if row[self.column] is not None else self.before


@dataclass(frozen=True)
class RegisterSpec:
    """How one register is listed: its table, its business date, its state, who it is assigned to."""

    register: Register
    table: str  # the records projection's table
    date: str | None  # the column of its business date (occurred_at), if it has one
    state: MilestoneState | None = None
    units: tuple[str, ...] = ()  # columns naming the unit the record is assigned to
    sorts: Mapping[str, str] = field(default_factory=dict)  # sort key → column ("enterprise_name": the join's)
    default_sort: str = "-occurred_at"
    hidden: tuple[str, ...] = ()  # columns not listed (a risk point's four lists: read the record, masked)

    def sort_keys(self) -> list[str]:
        return [f"{sign}{key}" for key in self.sorts for sign in ("", "-")]


def _dated(column: str, **sorts: str) -> dict[str, str]:
    return {"occurred_at": column, "enterprise_name": "enterprise_name", **sorts}


REGISTERS: dict[Register, RegisterSpec] = {
    spec.register: spec
    for spec in (
        RegisterSpec(
            Register.CASES, "cases", "opened_occ", MilestoneState("closed_occ", CaseState.OPEN, CaseState.CLOSED),
            units=("unit",), sorts=_dated("opened_occ", case_number="case_number"),
        ),
        RegisterSpec(
            Register.INSPECTIONS, "inspections", "occ", units=("organisation_id",), sorts=_dated("occ"), hidden=("rec",),
        ),
        RegisterSpec(Register.ACCIDENTS, "accidents", "happened_occ", sorts=_dated("happened_occ", deaths="deaths")),
        RegisterSpec(
            Register.RISK_POINTS, "risk_points", "registered_occ", sorts=_dated("registered_occ", name="name"),
            hidden=("state",),
        ),
        RegisterSpec(
            Register.PROBLEMS, "problems", "identified_occ",
            MilestoneState("rectified_occ", ProblemState.IDENTIFIED, ProblemState.RECTIFIED),
            units=("unit",), sorts=_dated("identified_occ"),
        ),
        RegisterSpec(
            Register.ENTERPRISES, "enterprises", None, sorts={"name": "name", "credit_code": "credit_code"},
            default_sort="name",
        ),
    )
}  # fmt: skip


class RegisterQueries:
    """Lists of the registers with filters, paging and sorting; labels from the reference data."""

    def __init__(self, engine: Engine, reference: ReferenceData, tables: Callable[[], Tables]) -> None:
        self.engine = engine
        self.reference = reference
        self.tables = tables

    def _check(self, spec: RegisterSpec, f: RegisterFilter) -> None:
        """Refuses unknown values and filters the register lacks (domain.list_filters), before any query."""
        check_reference_filters(self.reference, unit=f.unit, sector=f.sector, jurisdiction=f.jurisdiction)
        label = spec.register.zh
        if spec.state:
            check_choice("state", f.state, [spec.state.before, spec.state.after])
        else:
            check_not_applicable("state", f.state, label)
        if spec.date is None:
            check_not_applicable("from", f.date_from, label)
            check_not_applicable("to", f.date_to, label)
        check_period(f.date_from, f.date_to)
        check_choice("sort", f.sort, spec.sort_keys())
        normal_credit_code(f.credit_code)

    def list(self, register: Register, f: RegisterFilter) -> dict[str, Any]:
        spec = REGISTERS[register]
        self._check(spec, f)
        t = self.tables()
        table, enterprises = t[spec.table], t["enterprises"]
        own = spec.table == "enterprises"
        enterprise_name = (table.c.name if own else enterprises.c.name).label("enterprise_name")
        joined = table if own else table.join(enterprises, enterprises.c.id == table.c.enterprise_id, isouter=True)
        conditions = self._where(spec, f, table, enterprises if not own else table)
        sort = f.sort or spec.default_sort
        column = spec.sorts[sort.lstrip("-")]
        key = enterprise_name if column == "enterprise_name" else table.c[column]
        order = [key.desc() if sort.startswith("-") else key.asc(), table.c.id]
        columns = [c for c in table.c if c.name not in spec.hidden]
        query = select(*columns, enterprise_name).select_from(joined).where(*conditions)
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(joined).where(*conditions)).scalar_one()
            rows = conn.execute(query.order_by(*order).limit(f.limit).offset(f.offset)).mappings()
            items = [self._row(spec, dict(r)) for r in rows]
        return {"total": total, "limit": f.limit, "offset": f.offset, "sort": sort, "items": items}

    def enterprises(self, limit: int = 100, offset: int = 0, scope: ReadScope | None = None) -> list[dict[str, Any]]:
        """Enterprises by name, those the reader may see: the choices of the pages' forms."""
        return self.list(Register.ENTERPRISES, RegisterFilter(limit=limit, offset=offset, scope=scope))["items"]  # type: ignore[no-any-return]

    def _where(self, spec: RegisterSpec, f: RegisterFilter, table: Any, enterprises: Any) -> list[Any]:
        c = table.c
        enterprise_id = c.id if spec.table == "enterprises" else c.enterprise_id
        units = [c[name] for name in spec.units]
        conditions: list[Any] = []
        if f.unit:
            conditions.append(unit_condition(self.reference, f.unit, sector=c.sector, jurisdiction=c.jurisdiction, units=units))
        if f.sector:
            conditions.append(c.sector.in_(sector_members(self.reference, f.sector)))
        if f.jurisdiction:
            conditions.append(c.jurisdiction == f.jurisdiction)
        if f.state and spec.state:
            conditions.append(spec.state.condition(c, f.state))
        if spec.date is not None and f.date_from is not None:
            conditions.append(c[spec.date] >= _start_of(f.date_from))
        if spec.date is not None and f.date_to is not None:
            conditions.append(c[spec.date] < _start_of(f.date_to + timedelta(days=1)))
        if f.enterprise_id:
            conditions.append(enterprise_id == f.enterprise_id)
        if f.credit_code:
            conditions.append(enterprises.c.credit_code == normal_credit_code(f.credit_code))
        if f.scope is not None and not f.scope.district:
            # The enterprises' register has no assigned units: ReadScope.covers_enterprise, as its single read.
            conditions.append(
                scope_condition(f.scope, enterprise_id=enterprise_id, sector=c.sector, jurisdiction=c.jurisdiction, units=units)
            )
        return conditions

    def _row(self, spec: RegisterSpec, r: dict[str, Any]) -> dict[str, Any]:
        row = {k: _plain(v) for k, v in r.items() if not k.endswith(("_rec", "_ver"))}
        if spec.date is not None:
            row["occurred_at"] = row.pop(spec.date)
        if spec.state is not None:
            state = spec.state.of(r)
            row["state"], row["state_zh"] = state.value, state.zh
        row["sector_name"] = self.reference.sector(r["sector"]).name if r.get("sector") else None
        jurisdiction = self.reference.units.get(r.get("jurisdiction") or "")
        row["jurisdiction_name"] = jurisdiction.name if jurisdiction else None
        return row


def _start_of(day: date) -> datetime:
    """00:00 Beijing time of ``day``, in UTC as the columns store it."""
    return utc(first_instant_after(day - timedelta(days=1)))  # type: ignore[return-value]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return utc(value).isoformat()  # type: ignore[union-attr]
    if isinstance(value, date):
        return value.isoformat()
    return value
