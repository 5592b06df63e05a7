"""Commands and queries of major risk points (重大安全风险, Annex 3 "4个清单") and outstanding problems
(突出问题, Annex 2 解决突出问题)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.access import check_role
from domain.actor import Actor
from domain.enterprise import Enterprise
from domain.errors import DomainError
from domain.glossary import GovernmentMeasure, OrgKind, Role
from domain.inputs import invalid
from domain.outstanding_problem import OutstandingProblem
from domain.risk_point import COLUMNS, EmergencySupply, HazardCharacteristics, RiskPoint
from domain.services.core import LedgerCore, Receipt
from domain.services.reporting_units import check_scope_of, counts_for
from domain.views import plain


class RiskApplication(LedgerCore):
    # ===== risk points ==========================================================================

    def _change_risk_point(
        self,
        action: str,
        actor: Actor,
        risk_point_id: UUID,
        occurred_at: datetime | None,
        expected_version: int | None,
        change: Callable[[RiskPoint, datetime], None],
    ) -> Receipt:
        when = self._when(occurred_at)
        check_role(actor, action)
        risk_point = self._load(RiskPoint, risk_point_id, expected_version)
        check_scope_of(
            actor,
            self.reference,
            enterprise_id=risk_point.enterprise_id,
            sector=risk_point.sector,
            jurisdiction=risk_point.jurisdiction,
        )
        change(risk_point, when)
        return self._store(risk_point)

    def register_risk_point(
        self,
        actor: Actor,
        *,
        enterprise_id: UUID,
        name: str,
        description: str = "",
        address: str = "",
        assessed: bool = False,
        characteristics: HazardCharacteristics | None = None,
        sector: str | None = None,
        jurisdiction: str | None = None,
        occurred_at: datetime | None = None,
    ) -> Receipt:
        """Registers a risk point with list 一; what is not known yet may follow in ``list_basic_info``.
        Sector and territory default to the enterprise's (a site may lie elsewhere)."""
        when = self._when(occurred_at)
        check_role(actor, "register_risk_point")
        enterprise = self._load(Enterprise, enterprise_id)
        sector = sector or enterprise.sector
        jurisdiction = jurisdiction or enterprise.jurisdiction
        self.reference.sector(sector)
        self.reference.jurisdiction(jurisdiction)
        # The actor must be responsible for the enterprise as registered, and for where the site lies.
        check_scope_of(
            actor, self.reference, enterprise_id=enterprise.id, sector=enterprise.sector, jurisdiction=enterprise.jurisdiction
        )
        check_scope_of(actor, self.reference, enterprise_id=enterprise.id, sector=sector, jurisdiction=jurisdiction)
        risk_point = RiskPoint.register(
            actor=actor,
            occurred_at=when,
            enterprise_id=enterprise.id,
            sector=sector,
            jurisdiction=jurisdiction,
            name=name,
            description=description,
            address=address,
            assessed=assessed,
            characteristics=characteristics,
        )
        return self._store(risk_point)

    def list_basic_info(
        self,
        actor: Actor,
        risk_point_id: UUID,
        *,
        description: str,
        address: str,
        assessed: bool,
        characteristics: HazardCharacteristics | None,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        return self._change_risk_point(
            "list_basic_info",
            actor,
            risk_point_id,
            occurred_at,
            expected_version,
            lambda r, when: r.list_basic_info(actor, when, description, address, assessed, characteristics),
        )

    def list_responsibility(
        self,
        actor: Actor,
        risk_point_id: UUID,
        *,
        department: str,
        department_person: str,
        department_phone: str,
        principal_name: str,
        principal_phone: str,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        """二、责任分工信息清单: the supervising department (a unit id) and its responsible person, and the
        enterprise's principal, each with a phone number (stored in full; exports mask it)."""

        def change(r: RiskPoint, when: datetime) -> None:
            if department.strip():
                self.reference.department(department.strip())
            r.list_responsibility(actor, when, department, department_person, department_phone, principal_name, principal_phone)

        return self._change_risk_point("list_responsibility", actor, risk_point_id, occurred_at, expected_version, change)

    def list_control_measures(
        self,
        actor: Actor,
        risk_point_id: UUID,
        *,
        enterprise_measures: list[str],
        government_measures: list[GovernmentMeasure],
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        return self._change_risk_point(
            "list_control_measures",
            actor,
            risk_point_id,
            occurred_at,
            expected_version,
            lambda r, when: r.list_control_measures(actor, when, enterprise_measures, list(government_measures)),
        )

    def list_emergency(
        self,
        actor: Actor,
        risk_point_id: UUID,
        *,
        measures: list[str],
        supplies: list[EmergencySupply],
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        return self._change_risk_point(
            "list_emergency",
            actor,
            risk_point_id,
            occurred_at,
            expected_version,
            lambda r, when: r.list_emergency(actor, when, measures, supplies),
        )

    def risk_point(self, risk_point_id: UUID) -> dict[str, Any]:
        r = self._load(RiskPoint, risk_point_id)
        missing = r.missing_columns()
        return {
            "id": str(r.id),
            "version": r.version,
            "enterprise_id": str(r.enterprise_id),
            "sector": r.sector,
            "sector_name": self.reference.sector(r.sector).name,
            "jurisdiction": r.jurisdiction,
            "jurisdiction_name": self.reference.units[r.jurisdiction].name,
            "counts_for": counts_for(self.reference, r.sector, r.jurisdiction),
            "registered_at": plain(r.registered_at),
            "registered_by": plain(r.registered_by),
            "basic_info": {
                "assessed": r.assessed,
                "name": r.name,
                "description": r.description,
                "address": r.address,
                "characteristics": plain(r.characteristics),
            },
            "responsibility": {
                "department": r.department,
                "department_name": self.reference.units[r.department].name if r.department else "",
                "department_person": r.department_person,
                "department_phone": r.department_phone,
                "principal_name": r.principal_name,
                "principal_phone": r.principal_phone,
            },
            "control_measures": {
                "enterprise_measures": list(r.enterprise_measures),
                "government_measures": plain(r.government_measures),
                "government_measures_zh": [m.zh for m in r.government_measures],
            },
            "emergency": {
                "measures": list(r.emergency_measures),
                "supplies": plain(r.supplies),
            },
            "lists_filed": plain(r.lists_filed),
            "controlled": r.controlled,
            "missing_lists": [m.value for m in missing],
            "missing_lists_zh": [m.zh for m in missing],
            "missing_columns": {m.value: names for m, names in missing.items()},
            "missing_columns_zh": {m.zh: [COLUMNS[m][c] for c in names] for m, names in missing.items()},
        }

    # ===== outstanding problems =================================================================

    def _change_problem(
        self,
        action: str,
        actor: Actor,
        problem_id: UUID,
        occurred_at: datetime | None,
        expected_version: int | None,
        change: Callable[[OutstandingProblem, datetime], None],
    ) -> Receipt:
        when = self._when(occurred_at)
        check_role(actor, action)
        problem = self._load(OutstandingProblem, problem_id, expected_version)
        check_scope_of(
            actor,
            self.reference,
            enterprise_id=problem.enterprise_id,
            sector=problem.sector,
            jurisdiction=problem.jurisdiction,
            department=problem.unit_id,
        )
        change(problem, when)
        return self._store(problem)

    def identify_problem(
        self,
        actor: Actor,
        *,
        description: str,
        sector: str | None = None,
        unit_id: str | None = None,
        enterprise_id: UUID | None = None,
        jurisdiction: str | None = None,
        occurred_at: datetime | None = None,
    ) -> Receipt:
        """梳理突出问题. ``unit_id`` is the unit that identified it and follows it up (the actor's own unit;
        the committee office may name any). The territory is the enterprise's, or the unit's when the
        unit is a street or zone, or the one given; a problem may have none (a sector-wide problem)."""
        when = self._when(occurred_at)
        check_role(actor, "identify_problem")
        unit_id = (unit_id or actor.organisation_id).strip()
        unit = self.reference.unit(unit_id)
        if unit_id != actor.organisation_id and actor.role is not Role.COMMITTEE_OFFICE:
            raise DomainError("outside_scope", organisation=actor.organisation_name or actor.organisation_id)
        if enterprise_id is not None:
            enterprise = self._load(Enterprise, enterprise_id)
            # responsible for the enterprise as registered, whatever sector or territory the problem names
            check_scope_of(
                actor, self.reference, enterprise_id=enterprise.id, sector=enterprise.sector, jurisdiction=enterprise.jurisdiction
            )
            sector = sector or enterprise.sector
            jurisdiction = jurisdiction or enterprise.jurisdiction
        if jurisdiction is None and unit.kind in (OrgKind.STREET, OrgKind.ZONE):
            jurisdiction = unit.id
        if not sector:
            invalid("sector", "required", "必填")
        self.reference.sector(sector)
        if jurisdiction is not None:
            self.reference.jurisdiction(jurisdiction)
        check_scope_of(actor, self.reference, enterprise_id=enterprise_id, sector=sector, jurisdiction=jurisdiction)
        problem = OutstandingProblem.identify(
            actor=actor,
            occurred_at=when,
            unit_id=unit_id,
            sector=sector,
            jurisdiction=jurisdiction,
            enterprise_id=enterprise_id,
            description=description,
        )
        return self._store(problem)

    def adopt_root_cause_measure(
        self,
        actor: Actor,
        problem_id: UUID,
        *,
        measure: str,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        return self._change_problem(
            "adopt_root_cause_measure",
            actor,
            problem_id,
            occurred_at,
            expected_version,
            lambda p, when: p.adopt_root_cause_measure(actor, when, measure),
        )

    def rectify_problem(
        self,
        actor: Actor,
        problem_id: UUID,
        *,
        note: str,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        return self._change_problem(
            "rectify_problem", actor, problem_id, occurred_at, expected_version, lambda p, when: p.rectify(actor, when, note)
        )

    def problem(self, problem_id: UUID) -> dict[str, Any]:
        p = self._load(OutstandingProblem, problem_id)
        return {
            "id": str(p.id),
            "version": p.version,
            "unit_id": p.unit_id,
            "unit_name": self.reference.units[p.unit_id].name,
            "sector": p.sector,
            "sector_name": self.reference.sector(p.sector).name,
            "jurisdiction": p.jurisdiction,
            "jurisdiction_name": self.reference.units[p.jurisdiction].name if p.jurisdiction else None,
            "enterprise_id": plain(p.enterprise_id),
            "counts_for": counts_for(self.reference, p.sector, p.jurisdiction),
            "description": p.description,
            "identified_at": plain(p.identified_at),
            "identified_by": plain(p.identified_by),
            "state": p.state.value,
            "state_zh": p.state.zh,
            "root_cause_measures": list(p.measures),
            "has_root_cause_measure": p.has_root_cause_measure,
            "rectified": p.rectified,
            "rectified_at": plain(p.rectified_at),
            "rectification_note": p.rectification_note,
        }
