"""The application service: load, check who and when, change, save, return ids and versions.

Every command either appends events or raises a ``DomainError``; a refused command appends nothing.
Queries return plain dicts (``domain/views.py``), never aggregates.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, Transcoder

from domain.access import check_role, check_scope
from domain.actor import Actor
from domain.aggregate_base import LedgerAggregate
from domain.business_time import Clock, SystemClock, check_occurred_at
from domain.credit_code import validate_credit_code
from domain.enterprise import Enterprise, enterprise_id_for
from domain.errors import DomainError
from domain.evidence import EvidenceStore, InMemoryEvidenceStore
from domain.glossary import (
    Assessor,
    Grade,
    HazardSource,
    InspectionKind,
    InspectionMethod,
)
from domain.hazard import Hazard
from domain.inspection import Inspection
from domain.reference_data import LedgerRules, ReferenceData, load_reference
from domain.transcodings import register_transcodings
from domain.values import Person, RectificationPlan, SupervisionListing
from domain.views import event_view, plain

T = TypeVar("T", bound=LedgerAggregate)

_NOT_FOUND = {Hazard: "hazard_not_found", Enterprise: "enterprise_not_found", Inspection: "inspection_not_found"}


@dataclass(frozen=True)
class Receipt:
    """What a command returns: the record's id and its new version."""

    id: UUID
    version: int


class HazardLedger(Application[UUID]):
    """The hazard ledger's event-sourced application (事故隐患台账)."""

    name = "HazardLedger"

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        reference: ReferenceData | None = None,
        rules: LedgerRules | None = None,
        clock: Clock | None = None,
        evidence: EvidenceStore | None = None,
    ) -> None:
        super().__init__(env)
        self.reference = reference or load_reference()
        self.rules = rules or self.reference.rules
        self.clock = clock or SystemClock()
        self.evidence = evidence or InMemoryEvidenceStore()

    def construct_transcoder(self) -> Transcoder:
        transcoder = super().construct_transcoder()
        register_transcodings(transcoder)  # type: ignore[arg-type]
        return transcoder

    # ----- plumbing ---------------------------------------------------------------------------

    def _when(self, occurred_at: datetime | None) -> datetime:
        return check_occurred_at(occurred_at, self.clock.now(), self.rules.backdate_days)

    def _load(self, cls: type[T], record_id: UUID, expected_version: int | None = None) -> T:
        try:
            record = self.repository.get(record_id)
        except AggregateNotFoundError:
            raise DomainError(_NOT_FOUND[cls], id=str(record_id)) from None
        if not isinstance(record, cls):
            raise DomainError(_NOT_FOUND[cls], id=str(record_id))
        if expected_version is not None and record.version != expected_version:
            raise DomainError("version_conflict", expected=expected_version, actual=record.version)
        return record

    def _store(self, *records: LedgerAggregate) -> None:
        try:
            self.save(*records)
        except IntegrityError:
            # Someone else appended to the same record since we loaded it (optimistic concurrency).
            raise DomainError("version_conflict", expected="?", actual="?") from None

    def _change_hazard(
        self,
        action: str,
        actor: Actor,
        hazard_id: UUID,
        occurred_at: datetime | None,
        expected_version: int | None,
        change: Callable[[Hazard, datetime], None],
    ) -> Receipt:
        when = self._when(occurred_at)
        check_role(actor, action)
        hazard = self._load(Hazard, hazard_id, expected_version)
        check_scope(
            actor,
            self.reference,
            enterprise_id=hazard.enterprise_id,
            sector=hazard.sector,
            jurisdiction=hazard.jurisdiction,
            department=hazard.department,
        )
        change(hazard, when)
        self._store(hazard)
        return Receipt(hazard.id, hazard.version)

    # ----- enterprises ------------------------------------------------------------------------

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
        try:
            self.save(enterprise)
        except IntegrityError:
            raise DomainError("enterprise_exists", credit_code=code) from None
        return Receipt(enterprise.id, enterprise.version)

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
        self._store(enterprise)
        return Receipt(enterprise.id, enterprise.version)

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

    # ----- inspections ------------------------------------------------------------------------

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
        self._store(inspection)
        return Receipt(inspection.id, inspection.version)

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
    ) -> Receipt:
        when = self._when(occurred_at)
        inspection = self._inspection_for(actor, "record_finding", inspection_id, expected_version)
        for hazard_id in hazard_ids:
            hazard = self._load(Hazard, hazard_id)
            if hazard.inspection_id != inspection.id:
                raise DomainError("finding_hazard_mismatch", hazard_id=str(hazard_id))
        inspection.record_finding(actor, when, item, hazard_ids, no_major_hazard, note)
        self._store(inspection)
        return Receipt(inspection.id, inspection.version)

    def sign_inspection(
        self,
        actor: Actor,
        inspection_id: UUID,
        *,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        when = self._when(occurred_at)
        check_role(actor, "sign_inspection")
        inspection = self._load(Inspection, inspection_id, expected_version)
        inspection.sign(actor, when)
        self._store(inspection)
        return Receipt(inspection.id, inspection.version)

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
        }

    # ----- hazards ----------------------------------------------------------------------------

    def report_hazard(
        self,
        actor: Actor,
        *,
        enterprise_id: UUID,
        grade: Grade,
        source: HazardSource,
        description: str,
        criterion: str = "",
        sector: str | None = None,
        jurisdiction: str | None = None,
        department: str | None = None,
        location: str = "",
        existed_since: date | None = None,
        inspection_id: UUID | None = None,
        occurred_at: datetime | None = None,
    ) -> Receipt:
        when = self._when(occurred_at)
        check_role(actor, "report_hazard")
        enterprise = self._load(Enterprise, enterprise_id)
        sector = sector or enterprise.sector
        jurisdiction = jurisdiction or enterprise.jurisdiction
        self.reference.sector(sector)
        self.reference.jurisdiction(jurisdiction)
        department = department or self.reference.lead_unit(sector).id
        self.reference.department(department)
        # The department named here becomes responsible; it does not widen who may report.
        check_scope(actor, self.reference, enterprise_id=enterprise.id, sector=sector, jurisdiction=jurisdiction)
        if inspection_id is not None:
            inspection = self._load(Inspection, inspection_id)
            if inspection.enterprise_id != enterprise.id:
                raise DomainError(
                    "invalid_value",
                    field="inspection_id",
                    reason="the inspection is of another enterprise",
                    reason_zh="该检查记录属于其他企业",
                )
            if inspection.signed_by:
                raise DomainError("inspection_signed")
        hazard = Hazard.report(
            actor=actor,
            occurred_at=when,
            enterprise_id=enterprise.id,
            sector=sector,
            jurisdiction=jurisdiction,
            department=department,
            grade=grade,
            source=source,
            criterion=criterion,
            description=description,
            location=location,
            existed_since=existed_since,
            inspection_id=inspection_id,
        )
        self._store(hazard)
        return Receipt(hazard.id, hazard.version)

    def report_to_regulator(
        self,
        actor: Actor,
        hazard_id: UUID,
        *,
        regulator: str | None = None,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        def change(h: Hazard, when: datetime) -> None:
            h.report_to_regulator(actor, when, regulator or h.department)

        return self._change_hazard("report_to_regulator", actor, hazard_id, occurred_at, expected_version, change)

    def file_plan(
        self,
        actor: Actor,
        hazard_id: UUID,
        plan: RectificationPlan,
        *,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        return self._change_hazard(
            "file_plan", actor, hazard_id, occurred_at, expected_version, lambda h, when: h.file_plan(actor, when, plan)
        )

    def record_progress(
        self,
        actor: Actor,
        hazard_id: UUID,
        *,
        note: str,
        percent: int | None = None,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        return self._change_hazard(
            "record_progress",
            actor,
            hazard_id,
            occurred_at,
            expected_version,
            lambda h, when: h.record_progress(actor, when, note, percent),
        )

    def attach_evidence(
        self,
        actor: Actor,
        hazard_id: UUID,
        *,
        file_name: str,
        media_type: str,
        content: bytes,
        sha256: str | None = None,
        taken_at: datetime | None = None,
        latitude: float | None = None,
        longitude: float | None = None,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        if len(content) > self.rules.evidence_max_bytes:
            raise DomainError("evidence_too_large", limit=self.rules.evidence_max_bytes)
        digest = hashlib.sha256(content).hexdigest()
        if sha256 is not None and sha256.lower() != digest:
            raise DomainError("evidence_digest_mismatch")

        def change(h: Hazard, when: datetime) -> None:
            h.attach_evidence(actor, when, file_name, media_type, digest, len(content), taken_at, latitude, longitude)
            # The bytes go in before the event: an event never names bytes that are not stored.
            self.evidence.put(digest, media_type, content)

        return self._change_hazard("attach_evidence", actor, hazard_id, occurred_at, expected_version, change)

    def evidence_content(self, hazard_id: UUID, sha256: str) -> tuple[str, bytes]:
        hazard = self._load(Hazard, hazard_id)
        sha256 = sha256.lower()
        found = self.evidence.get(sha256) if sha256 in hazard.evidence else None
        if found is None:
            raise DomainError("evidence_not_found", sha256=sha256)
        return found

    def list_for_supervision(
        self,
        actor: Actor,
        hazard_id: UUID,
        listing: SupervisionListing,
        *,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        return self._change_hazard(
            "list_for_supervision",
            actor,
            hazard_id,
            occurred_at,
            expected_version,
            lambda h, when: h.list_for_supervision(actor, when, listing),
        )

    def lift_supervision(
        self,
        actor: Actor,
        hazard_id: UUID,
        *,
        reason: str,
        approver: str,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        return self._change_hazard(
            "lift_supervision",
            actor,
            hazard_id,
            occurred_at,
            expected_version,
            lambda h, when: h.lift_supervision(actor, when, reason, approver),
        )

    def extend_deadline(
        self,
        actor: Actor,
        hazard_id: UUID,
        *,
        request_date: date,
        reason: str,
        new_deadline: date,
        approver: str,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        return self._change_hazard(
            "extend_deadline",
            actor,
            hazard_id,
            occurred_at,
            expected_version,
            lambda h, when: h.extend_deadline(actor, when, request_date, reason, new_deadline, approver),
        )

    def mark_deadline_missed(
        self,
        actor: Actor,
        hazard_id: UUID,
        *,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        return self._change_hazard(
            "mark_deadline_missed",
            actor,
            hazard_id,
            occurred_at,
            expected_version,
            lambda h, when: h.mark_deadline_missed(actor, when),
        )

    def complete_rectification(
        self,
        actor: Actor,
        hazard_id: UUID,
        *,
        note: str = "",
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        return self._change_hazard(
            "complete_rectification",
            actor,
            hazard_id,
            occurred_at,
            expected_version,
            lambda h, when: h.complete_rectification(actor, when, note),
        )

    def verify(
        self,
        actor: Actor,
        hazard_id: UUID,
        *,
        passed: bool,
        opinion: str,
        assessed_by: list[Assessor],
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        return self._change_hazard(
            "verify",
            actor,
            hazard_id,
            occurred_at,
            expected_version,
            lambda h, when: h.verify(actor, when, passed, opinion, assessed_by),
        )

    def close_hazard(
        self,
        actor: Actor,
        hazard_id: UUID,
        *,
        note: str = "",
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        return self._change_hazard(
            "close", actor, hazard_id, occurred_at, expected_version, lambda h, when: h.close(actor, when, note)
        )

    def void_hazard(
        self,
        actor: Actor,
        hazard_id: UUID,
        *,
        reason: str,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        return self._change_hazard(
            "void", actor, hazard_id, occurred_at, expected_version, lambda h, when: h.void(actor, when, reason)
        )

    def hazard(self, hazard_id: UUID) -> dict[str, Any]:
        h = self._load(Hazard, hazard_id)
        sector = self.reference.sector(h.sector)
        return {
            "id": str(h.id),
            "version": h.version,
            "enterprise_id": str(h.enterprise_id),
            "sector": h.sector,
            "sector_name": sector.name,
            "jurisdiction": h.jurisdiction,
            "jurisdiction_name": self.reference.units[h.jurisdiction].name,
            "department": h.department,
            "department_name": self.reference.units[h.department].name,
            "grade": h.grade.value,
            "grade_zh": h.grade.zh,
            "source": h.source.value,
            "source_zh": h.source.zh,
            "state": h.state.value,
            "state_zh": h.state.zh,
            "criterion": h.criterion,
            "description": h.description,
            "location": h.location,
            "existed_since": plain(h.existed_since),
            "inspection_id": plain(h.inspection_id),
            "reported_at": plain(h.reported_at),
            "reported_by": plain(h.reported_by),
            "reported_to_regulator_at": plain(h.reported_to_regulator_at),
            "plan": plain(h.plan),
            "deadline": plain(h.deadline),
            "listing": plain(h.listing),
            "listed": h.is_listed,
            "overdue": h.overdue,
            "evidence": list(h.evidence),
        }

    def history(self, record_id: UUID) -> list[dict[str, Any]]:
        """Every event of one record (hazard, inspection or enterprise), oldest first."""
        events = list(self.repository.event_store.get(record_id))
        if not events:
            raise DomainError("hazard_not_found", id=str(record_id))
        return [event_view(e) for e in events]
