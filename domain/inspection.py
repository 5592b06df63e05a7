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
from domain.glossary import InspectionKind, InspectionMethod, SignatureMeaning, SpotCheckDeficiency
from domain.inputs import terms_once  # spot checks
from domain.signatures import PersonalSignature, upcast_unsigned_v1_v2
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
        # spot checks: deficiencies found (Annex 1 section 2), or an explicit "none found"
        self.deficiencies: list[SpotCheckDeficiency] = []
        self.no_deficiency_found = False

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
        signature: PersonalSignature | None = None,
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
            signature=signature,
        )

    def sign(self, actor: Actor, occurred_at: datetime, signature: PersonalSignature | None = None) -> None:
        self.check_business_order(occurred_at)
        if not self.is_inspector(actor.user_id):
            raise DomainError("not_an_inspector", name=actor.name)
        if actor.user_id in self.signed_by:
            raise DomainError("already_signed", name=actor.name)
        self._signed(actor=actor, occurred_at=occurred_at, meaning=SignatureMeaning.INSPECTOR.value, signature=signature)

    @property
    def fully_signed(self) -> bool:
        return all(p.user_id in self.signed_by for p in self.inspectors)

    # Signed acts (class_version 2): the finding is signed by its recorder, the inspection by each
    # inspector; a v1 event (stored before signatures) comes back with ``signature=None``.
    class FindingRecorded(LedgerAggregate.Event):
        class_version = 2
        item: str
        hazard_ids: list[UUID]
        no_major_hazard: bool
        note: str
        signature: PersonalSignature | None
        upcast_v1_v2 = staticmethod(upcast_unsigned_v1_v2)

    class InspectionSigned(LedgerAggregate.Event):
        class_version = 2
        meaning: str
        signature: PersonalSignature | None
        upcast_v1_v2 = staticmethod(upcast_unsigned_v1_v2)

    @event(FindingRecorded)
    def _finding_recorded(
        self,
        actor: Actor,
        occurred_at: datetime,
        item: str,
        hazard_ids: list[UUID],
        no_major_hazard: bool,
        note: str,
        signature: PersonalSignature | None,
    ) -> None:
        self.findings.append({"item": item, "hazard_ids": list(hazard_ids), "no_major_hazard": no_major_hazard})

    @event(InspectionSigned)
    def _signed(self, actor: Actor, occurred_at: datetime, meaning: str, signature: PersonalSignature | None) -> None:
        self.signed_by.append(actor.user_id)

    # ----- spot checks (抽查检查, Annex 1 section 2) -------------------------------------------

    def record_deficiencies(self, actor: Actor, occurred_at: datetime, deficiencies: list[SpotCheckDeficiency]) -> None:
        """Records which of the seven deficiencies a spot check found; an empty list states that none
        was found. Only on spot checks, before the first signature, each deficiency once."""
        self.check_business_order(occurred_at)
        if self.kind is not InspectionKind.SPOT_CHECK:
            raise DomainError("not_a_spot_check", kind=self.kind.value, kind_zh=self.kind.zh)
        if self.signed_by:
            raise DomainError("inspection_signed")
        found = terms_once(SpotCheckDeficiency, deficiencies, "deficiencies")
        for deficiency in found:
            if deficiency in self.deficiencies:
                raise DomainError("deficiency_already_recorded", deficiency=deficiency.value, deficiency_zh=deficiency.zh)
        if self.no_deficiency_found or (not found and self.deficiencies):
            recorded = self.deficiencies
            raise DomainError(
                "deficiencies_contradiction",
                recorded=", ".join(d.value for d in recorded) or "none found",
                recorded_zh="、".join(d.zh for d in recorded) or NO_DEFICIENCY_ZH,
                attempted=", ".join(d.value for d in found) or "none found",
                attempted_zh="、".join(d.zh for d in found) or NO_DEFICIENCY_ZH,
            )
        self._deficiencies_recorded(actor=actor, occurred_at=occurred_at, deficiencies=[d.value for d in found])

    @event("DeficienciesRecorded")
    def _deficiencies_recorded(self, actor: Actor, occurred_at: datetime, deficiencies: list[str]) -> None:
        self.deficiencies.extend(SpotCheckDeficiency(d) for d in deficiencies)
        if not deficiencies:
            self.no_deficiency_found = True


# spot checks: how an explicit "none found" statement reads
NO_DEFICIENCY_ZH = "未发现问题"
