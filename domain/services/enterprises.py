"""Commands and queries of enterprises (生产经营单位)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from domain.access import check_role, check_scope
from domain.actor import Actor
from domain.credit_code import validate_credit_code
from domain.enterprise import Enterprise, enterprise_id_for
from domain.errors import DomainError
from domain.services.core import LedgerCore, Receipt


class EnterpriseApplication(LedgerCore):
    def register_enterprise(
        self,
        actor: Actor,
        *,
        credit_code: str,
        name: str,
        sector: str,
        jurisdiction: str,
        principal_name: str,
        address: str = "",
        high_risk: bool = False,
        occurred_at: datetime | None = None,
    ) -> Receipt:
        when = self._when(occurred_at)
        check_role(actor, "register_enterprise")
        code = validate_credit_code(credit_code)
        self.reference.sector(sector)
        self.reference.jurisdiction(jurisdiction)
        for field, value in (("name", name), ("principal_name", principal_name)):
            if not value.strip():
                raise DomainError("invalid_value", field=field, reason="required", reason_zh="必填")
        check_scope(actor, self.reference, enterprise_id=enterprise_id_for(code), sector=sector, jurisdiction=jurisdiction)
        enterprise = Enterprise(
            actor=actor,
            occurred_at=when,
            credit_code=code,
            name=name.strip(),
            sector=sector,
            jurisdiction=jurisdiction,
            address=address.strip(),
            principal_name=principal_name.strip(),
            high_risk=high_risk,
        )
        return self._create(enterprise, "enterprise_exists", credit_code=code)

    def change_principal(
        self,
        actor: Actor,
        enterprise_id: UUID,
        principal_name: str,
        *,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        when = self._when(occurred_at)
        check_role(actor, "change_principal")
        enterprise = self._load(Enterprise, enterprise_id, expected_version)
        check_scope(
            actor, self.reference, enterprise_id=enterprise.id, sector=enterprise.sector, jurisdiction=enterprise.jurisdiction
        )
        enterprise.change_principal(actor, when, principal_name)
        return self._store(enterprise)

    def enterprise(self, enterprise_id: UUID) -> dict[str, Any]:
        e = self._load(Enterprise, enterprise_id)
        return {
            "id": str(e.id),
            "version": e.version,
            "credit_code": e.credit_code,
            "name": e.name,
            "sector": e.sector,
            "sector_name": self.reference.sector(e.sector).name,
            "jurisdiction": e.jurisdiction,
            "jurisdiction_name": self.reference.units[e.jurisdiction].name,
            "address": e.address,
            "principal_name": e.principal_name,
            "high_risk": e.high_risk,
        }
