"""The inspection record (检查记录) — "谁检查、谁签名、谁负责".

An inspection names its team and its checklist scope; each finding names the hazards found for an
item, or states explicitly that no major hazard was found (a clean finding is a signed statement
too); each inspector signs personally, once. After the first signature the findings are frozen.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import event

from domain.actor import Actor
from domain.aggregate_base import LedgerAggregate, stable_topics
from domain.errors import DomainError
from domain.glossary import InspectionKind, InspectionMethod, SignatureMeaning
from domain.values import Person


@stable_topics
class Inspection(LedgerAggregate):
    not_found_code = "inspection_not_found"

    @event("InspectionConducted")
    def __init__(
        self,
        actor: Actor,
        occurred_at: datetime,
        enterprise_id: UUID,
        organisation_id: str,
        kind: str,
        method: str,
        led_by_principal: bool,
        inspectors: list[Person],
        scope: list[str],
    ) -> None:
        self.enterprise_id = enterprise_id
        self.organisation_id = organisation_id
        self.kind = InspectionKind(kind)
        self.method = InspectionMethod(method)
        self.led_by_principal = led_by_principal
        self.inspectors = list(inspectors)
        self.scope = list(scope)
        self.findings: list[dict[str, object]] = []
        self.signed_by: list[str] = []

    @classmethod
    def conduct(
        cls,
        *,
        actor: Actor,
        occurred_at: datetime,
        enterprise_id: UUID,
        organisation_id: str,
        kind: InspectionKind,
        method: InspectionMethod,
        led_by_principal: bool,
        inspectors: list[Person],
        scope: list[str],
    ) -> Inspection:
        if not inspectors:
            raise DomainError("invalid_value", field="inspectors", reason="at least one inspector", reason_zh="至少一名检查人员")
        ids = [p.user_id for p in inspectors]
        if len(set(ids)) != len(ids):
            raise DomainError(
                "invalid_value", field="inspectors", reason="an inspector is listed twice", reason_zh="检查人员重复"
            )
        return cls(
            actor=actor,
            occurred_at=occurred_at,
            enterprise_id=enterprise_id,
            organisation_id=organisation_id,
            kind=kind,
            method=method,
            led_by_principal=led_by_principal,
            inspectors=list(inspectors),
            scope=[s.strip() for s in scope if s.strip()],
        )

    def is_inspector(self, user_id: str) -> bool:
        return any(p.user_id == user_id for p in self.inspectors)

    def record_finding(
        self,
        actor: Actor,
        occurred_at: datetime,
        item: str,
        hazard_ids: list[UUID],
        no_major_hazard: bool,
        note: str,
    ) -> None:
        self.check_business_order(occurred_at)
        if self.signed_by:
            raise DomainError("inspection_signed")
        if self.scope and item not in self.scope:
            raise DomainError("finding_item_out_of_scope", item=item)
        if bool(hazard_ids) == bool(no_major_hazard):
            raise DomainError("finding_empty")
        self._finding_recorded(
            actor=actor,
            occurred_at=occurred_at,
            item=item,
            hazard_ids=list(hazard_ids),
            no_major_hazard=no_major_hazard,
            note=note.strip(),
        )

    def sign(self, actor: Actor, occurred_at: datetime) -> None:
        self.check_business_order(occurred_at)
        if not self.is_inspector(actor.user_id):
            raise DomainError("not_an_inspector", name=actor.name)
        if actor.user_id in self.signed_by:
            raise DomainError("already_signed", name=actor.name)
        self._signed(actor=actor, occurred_at=occurred_at, meaning=SignatureMeaning.INSPECTOR.value)

    @property
    def fully_signed(self) -> bool:
        return all(p.user_id in self.signed_by for p in self.inspectors)

    @event("FindingRecorded")
    def _finding_recorded(
        self,
        actor: Actor,
        occurred_at: datetime,
        item: str,
        hazard_ids: list[UUID],
        no_major_hazard: bool,
        note: str,
    ) -> None:
        self.findings.append({"item": item, "hazard_ids": list(hazard_ids), "no_major_hazard": no_major_hazard})

    @event("InspectionSigned")
    def _signed(self, actor: Actor, occurred_at: datetime, meaning: str) -> None:
        self.signed_by.append(actor.user_id)
