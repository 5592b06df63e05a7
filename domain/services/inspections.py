"""Commands and queries of inspections (检查记录): 谁检查、谁签名."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from domain.access import check_role, check_scope
from domain.actor import Actor
from domain.enterprise import Enterprise
from domain.errors import DomainError
from domain.glossary import InspectionKind, InspectionMethod, SignatureMeaning, SpotCheckDeficiency
from domain.hazard import Hazard
from domain.inputs import term
from domain.inspection import Inspection
from domain.services.core import LedgerCore, Receipt
from domain.services.signing_keys import authorise_signature
from domain.signatures import SignatureArg  # personal signatures
from domain.values import Person
from domain.views import plain


class InspectionApplication(LedgerCore):
    def conduct_inspection(
        self,
        actor: Actor,
        *,
        enterprise_id: UUID,
        kind: InspectionKind,
        method: InspectionMethod,
        inspectors: list[Person],
        scope: list[str],
        led_by_principal: bool = False,
        occurred_at: datetime | None = None,
    ) -> Receipt:
        when = self._when(occurred_at)
        check_role(actor, "conduct_inspection")
        enterprise = self._load(Enterprise, enterprise_id)
        check_scope(
            actor, self.reference, enterprise_id=enterprise.id, sector=enterprise.sector, jurisdiction=enterprise.jurisdiction
        )
        kind = term(InspectionKind, kind, "kind")
        method = term(InspectionMethod, method, "method")
        if (kind is InspectionKind.SELF_INSPECTION) != actor.is_enterprise:
            raise DomainError(
                "invalid_value",
                field="kind",
                reason="a self-inspection is recorded by the enterprise; other kinds by a regulator",
                reason_zh="企业自查由企业登记，其他检查由监管部门登记",
            )
        inspection = Inspection.conduct(
            actor=actor,
            occurred_at=when,
            enterprise_id=enterprise.id,
            organisation_id=actor.organisation_id,
            kind=kind,
            method=method,
            led_by_principal=led_by_principal,
            inspectors=inspectors,
            scope=scope,
        )
        return self._store(inspection)

    def _inspection_for(self, actor: Actor, action: str, inspection_id: UUID, expected_version: int | None) -> Inspection:
        check_role(actor, action)
        inspection = self._load(Inspection, inspection_id, expected_version)
        if actor.organisation_id != inspection.organisation_id:
            raise DomainError("outside_scope", organisation=actor.organisation_name or actor.organisation_id)
        return inspection

    def record_finding(
        self,
        actor: Actor,
        inspection_id: UUID,
        *,
        item: str,
        hazard_ids: list[UUID],
        no_major_hazard: bool = False,
        note: str = "",
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
        signature: SignatureArg = None,
    ) -> Receipt:
        when = self._when(occurred_at)
        inspection = self._inspection_for(actor, "record_finding", inspection_id, expected_version)
        for hazard_id in hazard_ids:
            hazard = self._load(Hazard, hazard_id)
            if hazard.inspection_id != inspection.id:
                raise DomainError("finding_hazard_mismatch", hazard_id=str(hazard_id))
        signed = self._inspection_signature(actor, inspection, signature)
        inspection.record_finding(actor, when, item, hazard_ids, no_major_hazard, note, signed)
        return self._store(inspection)

    # spot checks (抽查检查, Annex 1 section 2)
    def record_deficiencies(
        self,
        actor: Actor,
        inspection_id: UUID,
        *,
        deficiencies: list[SpotCheckDeficiency],
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        """Which of the seven deficiencies a spot check found; an empty list states that none was found."""
        when = self._when(occurred_at)
        inspection = self._inspection_for(actor, "record_deficiencies", inspection_id, expected_version)
        inspection.record_deficiencies(actor, when, list(deficiencies))
        return self._store(inspection)

    # end spot checks

    def sign_inspection(
        self,
        actor: Actor,
        inspection_id: UUID,
        *,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
        signature: SignatureArg = None,
    ) -> Receipt:
        when = self._when(occurred_at)
        check_role(actor, "sign_inspection")
        inspection = self._load(Inspection, inspection_id, expected_version)
        inspection.sign(actor, when, self._inspection_signature(actor, inspection, signature))
        return self._store(inspection)

    def _inspection_signature(self, actor: Actor, inspection: Inspection, signature: SignatureArg) -> Any:
        """检查人签名 on the inspection as it stands, checked against the key registry (or refused)."""
        return authorise_signature(
            self,
            actor,
            record_id=inspection.id,
            version_seen=inspection.version,
            meaning=SignatureMeaning.INSPECTOR,
            attachments=[],
            signature=signature,
        )

    def inspection(self, inspection_id: UUID) -> dict[str, Any]:
        i = self._load(Inspection, inspection_id)
        return {
            "id": str(i.id),
            "version": i.version,
            "enterprise_id": str(i.enterprise_id),
            "organisation_id": i.organisation_id,
            "kind": i.kind.value,
            "method": i.method.value,
            "led_by_principal": i.led_by_principal,
            "inspectors": plain(i.inspectors),
            "scope": i.scope,
            "findings": plain(i.findings),
            "signed_by": list(i.signed_by),
            "fully_signed": i.fully_signed,
            # spot checks
            "deficiencies": plain(i.deficiencies),
            "deficiencies_zh": [d.zh for d in i.deficiencies],
            "no_deficiency_found": i.no_deficiency_found,
        }
