"""The annex tables and the city's KPIs, computed from the records projection for any as-of date
(business time) and known-at moment (system time), per reporting unit or for the district roll-up,
with the lineage of every cell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, select

from domain.annex_forms import ANNEX1, ANNEX2, ANNEX3, ROW_CUMULATIVE, ROW_MONTH
from domain.errors import DomainError
from domain.figures import Period, cumulative, month_to_date, per_thousand, rate, sector_members, wan_yuan
from domain.glossary import GovernmentMeasure
from domain.reference_data import ReferenceData
from projections.engine import Tables
from projections.measures import (
    MEASURES,
    Context,
    Measure,
    Scope,
    activity,
    by_sector,
    by_sector_in,
    contributors,
    deficiency,
    latest_values,
    over,
    total,
    union_of,
)

Figure = int | Decimal | bool | None


@dataclass(frozen=True)
class Figures:
    """A figure and how to reach the records behind it (``parts``: the measures it is made of)."""

    value: Figure
    parts: tuple[str, ...]


# Annex 1: item key → {figure name: measure key (or a measure)}; money is shown in 万元.
_ACTIVITY_ITEMS = ("guidance_county", "guidance_enterprise", "study_session", "leadership_research", "site_supervision",
                   "lecture", "assessment_patrol")  # fmt: skip
_DEFICIENCY_ITEMS = next(s for s in ANNEX1 if s.key == "spot_checks").items[1:]


def _annex1_measures() -> dict[str, dict[str, Measure]]:
    plan: dict[str, dict[str, Measure]] = {}
    for key in ("self_found", "self_found_rectified", "department_found", "department_found_rectified", "listed",
                "listed_rectified", "spot_checked", "dual_penalties", "judicial_persons", "suspended",
                "exposed_interviewed_punished", "accountability_persons", "unit_interviews"):  # fmt: skip
        plan[key] = {"value": MEASURES[key]}
    for item in _DEFICIENCY_ITEMS:
        plan[item.key] = {"value": deficiency(item.key)}
    for key in _ACTIVITY_ITEMS:
        plan[key] = {"value": activity(key)}
    plan["penalties"] = {"count": MEASURES["penalties"], "fines_wan": MEASURES["fines"]}
    plan["typical_cases"] = {"count": MEASURES["typical_cases"], "dangerous_operations": MEASURES["typical_cases_dangerous"]}
    plan["tipoff_reward"] = {
        "amount_wan": activity("tipoff_reward", "amount"),
        "anonymous_wan": activity("tipoff_reward", "amount2"),
    }
    plan["media_column"] = {"value": activity("media_column", "any")}
    plan["technical_inspectors"] = {"value": activity("technical_inspectors", "value")}
    return plan


ANNEX1_MEASURES = _annex1_measures()

# Annex 2: column key → measure (rates are computed from two columns; money in 万元).
ANNEX2_MEASURES: dict[str, Measure] = {
    **{
        key: MEASURES[key]
        for key in (
            "risks",
            "risks_controlled",
            "majors",
            "majors_planned",
            "majors_planned_listed",
            "majors_rectified",
            "problems",
            "problems_root_cause",
            "problems_rectified",
            "penalties",
            "suspended",
            "licences",
            "closed",
            "judicial_persons",
            "interviewed",
            "joint_punished",
            "criminal_linkage",
        )
    },  # fmt: skip
    "supervision_teams": activity("supervision_team"),
    "expert_services": activity("expert_service"),
    "fines_wan": MEASURES["fines"],
}
# Column 15 (检查服务企业单位): enterprises inspected by the unit, or served (an activity), each once.
SERVED = (MEASURES["regulator_inspections"], activity("enterprise_served", "enterprises"))
MONEY = {"fines_wan", "amount_wan", "anonymous_wan"}


class AnnexQueries:
    def __init__(self, engine: Engine, reference: ReferenceData, tables: Callable[[], Tables]) -> None:
        self.engine = engine
        self.reference = reference
        self.tables = tables

    def _context(self, unit: str | None, period: Period, known_at: datetime | None) -> Context:
        if unit is not None:
            self.reference.unit(unit)
        return Context(self.tables(), self.reference, Scope(unit, period, known_at))

    def _campaign_period(self, as_of: date) -> Period:
        return cumulative(self.reference.campaign.start, as_of)

    def _values(self, measures: dict[str, Measure], ctx: Context) -> dict[str, Any]:
        """Each figure over every sector (each record once); stocks are each unit's latest value."""
        stocks = {key: m for key, m in measures.items() if m.aggregate == "value"}
        flows = {key: m for key, m in measures.items() if key not in stocks}
        values = {key: total(groups) for key, groups in by_sector(self.engine, flows, ctx).items()}
        values.update({key: latest_values(self.engine, m, ctx) for key, m in stocks.items()})
        return values

    # ----- Annex 1 -----------------------------------------------------------------------

    def annex1(self, unit: str | None, as_of: date, known_at: datetime | None = None) -> dict[str, Any]:
        """附件1 调度表: cumulative since the campaign start, for one unit or the district."""
        ctx = self._context(unit, self._campaign_period(as_of), known_at)
        flat = {f"{key}.{name}": m for key, figures in ANNEX1_MEASURES.items() for name, m in figures.items()}
        values = self._values(flat, ctx)
        sections = []
        for section in ANNEX1:
            items = []
            for item in section.items:
                figures = {name: self._shown(name, values[f"{item.key}.{name}"]) for name in ANNEX1_MEASURES[item.key]}
                items.append({"key": item.key, "number": item.number, "label": item.label, "unit": item.unit, "figures": figures})
            sections.append({"key": section.key, "title": section.title, "items": items})
        return {**self._heading(unit, as_of, known_at), "sections": sections}

    # ----- Annex 2 -----------------------------------------------------------------------

    def annex2(self, unit: str | None, as_of: date, known_at: datetime | None = None) -> dict[str, Any]:
        """附件2 统计表: 累计总计, 本月总计, then one row per sector (cumulative; "其中" rows are subsets)."""
        start = self.reference.campaign.start
        cumulative_ctx = self._context(unit, cumulative(start, as_of), known_at)
        month_ctx = replace(cumulative_ctx, scope=replace(cumulative_ctx.scope, period=month_to_date(start, as_of)))
        measures = {**ANNEX2_MEASURES, **{f"served.{i}": m for i, m in enumerate(SERVED)}}
        groups, month_groups = by_sector_in(self.engine, measures, [cumulative_ctx, month_ctx])
        for figures in (groups, month_groups):
            figures["enterprises_served"] = union_of(*(figures.pop(f"served.{i}") for i in range(len(SERVED))))
        month = {key: total(g) for key, g in month_groups.items()}
        rows = [
            self._row("cumulative", ROW_CUMULATIVE, {key: total(g) for key, g in groups.items()}),
            self._row("month", ROW_MONTH, month),
        ]
        for sector in self.reference.sectors.values():
            members = sector_members(self.reference, sector.id)
            rows.append(
                {
                    **self._row(sector.id, sector.name, {key: over(g, members) for key, g in groups.items()}),
                    "parent": sector.parent,
                }
            )
        columns = [{"key": c.key, "number": c.number, "group": c.group, "label": c.label, "unit": c.unit} for c in ANNEX2]
        return {**self._heading(unit, as_of, known_at), "columns": columns, "rows": rows}

    def _row(self, key: str, label: str, values: dict[str, Any]) -> dict[str, Any]:
        cells: dict[str, Any] = {}
        for column in ANNEX2:
            if column.rate_of:
                numerator, denominator = column.rate_of
                cells[column.key] = rate(values[numerator], values[denominator])
            else:
                cells[column.key] = self._shown(column.key, values[column.key])
        return {"key": key, "label": label, "cells": cells}

    # ----- Annex 3 -----------------------------------------------------------------------

    def annex3(self, unit: str | None) -> dict[str, Any]:
        """附件3 4个清单: one row per risk point, as currently listed."""
        t = self.tables()
        rp, en = t["risk_points"], t["enterprises"]
        query = select(rp, en.c.name.label("enterprise_name")).join(en, en.c.id == rp.c.enterprise_id, isouter=True)
        if unit is not None:
            self.reference.unit(unit)
            led = [s.id for s in self.reference.sectors.values() if self.reference.lead_unit(s.id).id == unit]
            query = query.where((rp.c.sector.in_(led)) | (rp.c.jurisdiction == unit))
        with self.engine.connect() as conn:
            points = list(conn.execute(query.order_by(rp.c.registered_occ, rp.c.id)).mappings())
        rows = [
            {"number": n, "id": p["id"], "controlled": p["controlled"], **self._annex3_cells(p)} for n, p in enumerate(points, 1)
        ]
        columns = [{"key": c.key, "list": c.list_title, "label": c.label} for c in ANNEX3]
        return {"unit": unit, "columns": columns, "rows": rows}

    def _annex3_cells(self, p: Any) -> dict[str, Any]:
        s = p["state"]
        c = s["characteristics"]
        department = self.reference.units.get(s["department"])
        loss = c.get("max_direct_loss_yuan")
        characteristics = "；".join(
            part for part in (
                "可能导致的事故类型：" + "、".join(c.get("accident_types") or []) if c.get("accident_types") else "",
                f"可能造成的人员最大伤亡数：{c['max_casualties']}人" if c.get("max_casualties") is not None else "",
                f"可能造成的最大直接经济损失：{wan_yuan(loss)}万元" if loss is not None else "",
                f"社会影响：{c['social_impact']}" if c.get("social_impact") else "",
            ) if part
        )  # fmt: skip
        return {
            "assessed": "是" if s.get("assessed") else "否",
            "name": p["name"],
            "enterprise": p["enterprise_name"] or "",
            "sector": self.reference.sector(p["sector"]).name if p["sector"] else "",
            "description": s.get("description", ""),
            "address": s.get("address", ""),
            "characteristics": characteristics,
            "department": " ".join(
                x for x in ((department.name if department else s["department"]), s["department_person"]) if x
            ),
            "department_phone": s["department_phone"],
            "principal": s["principal_name"],
            "principal_phone": s["principal_phone"],
            "enterprise_measures": s["enterprise_measures"],
            "government_measures": [GovernmentMeasure(m).zh for m in s["government_measures"]],
            "emergency_measures": s["emergency_measures"],
            "supplies": s["supplies"],
        }

    # ----- KPIs --------------------------------------------------------------------------

    def kpis(self, unit: str | None, as_of: date, known_at: datetime | None = None) -> dict[str, Any]:
        """The city report's three indicators, cumulative in the campaign, and their monthly trend."""
        months: list[date] = []  # each month's end (the last one: the cut-off itself)
        cursor = self.reference.campaign.start.replace(day=1)
        while cursor <= as_of:
            next_month = (cursor + timedelta(days=32)).replace(day=1)
            months.append(min(next_month - timedelta(days=1), as_of))
            cursor = next_month
        trend = [{"as_of": end.isoformat(), **self._kpi_values(unit, end, known_at)} for end in months]
        current = trend[-1] if trend else self._kpi_values(unit, as_of, known_at)
        return {**self._heading(unit, as_of, known_at), **current, "as_of": as_of.isoformat(), "trend": trend}

    def _kpi_values(self, unit: str | None, as_of: date, known_at: datetime | None) -> dict[str, Any]:
        ctx = self._context(unit, self._campaign_period(as_of), known_at)
        v = self._values({key: MEASURES[key] for key in KPI_PARTS}, ctx)
        return {
            "dynamic_rectification_rate": rate(v["majors_rectified"], v["majors"]),
            "majors_per_thousand_department_inspections": per_thousand(
                v["found_by_department_inspection"], v["department_inspections"]
            ),
            "self_found_rate": rate(v["self_found"], v["majors"]),
            "figures": v,
        }

    # ----- lineage -----------------------------------------------------------------------

    def lineage(
        self, annex: str, key: str, unit: str | None, as_of: date, known_at: datetime | None = None,
        row: str = "cumulative", figure: str | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """The records (and the version of the event that counts each) behind one cell or KPI."""
        start = self.reference.campaign.start
        period = month_to_date(start, as_of) if row == "month" else cumulative(start, as_of)
        ctx = self._context(unit, period, known_at)
        sectors = None if row in ("cumulative", "month") else sector_members(self.reference, self.reference.sector(row).id)
        parts = self._parts(annex, key, figure)
        return {
            "annex": annex, "key": key, "row": row, **self._heading(unit, as_of, known_at),
            "parts": {name: contributors(self.engine, measure, ctx, sectors) for name, measure in parts.items()},
            "sources": {name: measure.source for name, measure in parts.items()},  # which kind of record each part lists
        }  # fmt: skip

    def _parts(self, annex: str, key: str, figure: str | None) -> dict[str, Measure]:
        if annex == "annex1" and key in ANNEX1_MEASURES:
            measures = ANNEX1_MEASURES[key]
            return {figure: measures[figure]} if figure in measures else measures
        if annex == "annex2":
            if key == "enterprises_served":
                return {"inspections": SERVED[0], "served": SERVED[1]}
            column = next((c for c in ANNEX2 if c.key == key), None)
            if column is not None and column.rate_of:
                return {part: ANNEX2_MEASURES[part] for part in column.rate_of}
            if key in ANNEX2_MEASURES:
                return {key: ANNEX2_MEASURES[key]}
        if annex == "kpi" and key in KPI_DEFINITIONS:
            return {part: MEASURES[part] for part in KPI_DEFINITIONS[key]}
        raise DomainError("unknown_cell", annex=annex, key=key)

    # ----- shared ------------------------------------------------------------------------

    def _heading(self, unit: str | None, as_of: date, known_at: datetime | None) -> dict[str, Any]:
        return {
            "unit": unit,
            "unit_name": self.reference.units[unit].name if unit else self.reference.units["ajb"].name,
            "as_of": as_of.isoformat(),
            "known_at": known_at.isoformat() if known_at else None,
            "campaign_start": self.reference.campaign.start.isoformat(),
        }

    @staticmethod
    def _shown(name: str, value: Any) -> Any:
        return wan_yuan(value) if name in MONEY else value


KPI_DEFINITIONS = {
    "dynamic_rectification_rate": ("majors_rectified", "majors"),
    "majors_per_thousand_department_inspections": ("found_by_department_inspection", "department_inspections"),
    "self_found_rate": ("self_found", "majors"),
}
KPI_PARTS = sorted({part for parts in KPI_DEFINITIONS.values() for part in parts})
