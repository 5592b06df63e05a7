"""The enterprise (生产经营单位) aggregate: identity, sector, jurisdiction, principal, high-risk flag."""

from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.actor import Actor
from domain.aggregate_base import LedgerAggregate, stable_topics
from domain.errors import DomainError

_NAMESPACE = uuid5(NAMESPACE_URL, "https://hazard-ledger.invalid/enterprise")


def enterprise_id_for(credit_code: str) -> UUID:
    """One stream per credit code: registering a code twice collides in the store."""
    return uuid5(_NAMESPACE, credit_code)


@stable_topics
class Enterprise(LedgerAggregate):
    not_found_code = "enterprise_not_found"

    @staticmethod
    def create_id(credit_code: str, **_: object) -> UUID:  # type: ignore[override]
        return enterprise_id_for(credit_code)

    @event("EnterpriseRegistered")
    def __init__(
        self,
        actor: Actor,
        occurred_at: datetime,
        credit_code: str,
        name: str,
        sector: str,
        jurisdiction: str,
        address: str,
        principal_name: str,
        high_risk: bool,
    ) -> None:
        self.credit_code = credit_code
        self.name = name
        self.sector = sector
        self.jurisdiction = jurisdiction
        self.address = address
        self.principal_name = principal_name
        self.high_risk = high_risk

    def change_principal(self, actor: Actor, occurred_at: datetime, principal_name: str) -> None:
        self.check_business_order(occurred_at)
        if not principal_name.strip():
            raise DomainError("invalid_value", field="principal_name", reason="required", reason_zh="必填")
        self._principal_changed(actor=actor, occurred_at=occurred_at, principal_name=principal_name.strip())

    @event("PrincipalChanged")
    def _principal_changed(self, actor: Actor, occurred_at: datetime, principal_name: str) -> None:
        self.principal_name = principal_name
