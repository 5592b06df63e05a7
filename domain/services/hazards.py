"""Commands and queries of the hazard lifecycle (事故隐患)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from uuid import UUID

from domain.access import check_role, check_scope, registered_scope
from domain.actor import Actor
from domain.enterprise import Enterprise
from domain.errors import DomainError
from domain.evidence import evidence_media_type
from domain.glossary import Assessor, Grade, HazardSource, SignatureMeaning
from domain.hazard import Hazard
from domain.hazard_extension import ExtensionRequest
from domain.inspection import Inspection
from domain.ledger_import import transcribed_note, transcribing_action
from domain.services.core import LedgerCore, Receipt
from domain.services.signing_keys import authorise_signature
from domain.signatures import SignatureArg  # personal signatures
from domain.values import RectificationPlan, SupervisionListing
from domain.views import plain


class HazardApplication(LedgerCore):
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
        return self._store(hazard)

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
        record_id: UUID | None = None,
        occurred_at: datetime | None = None,
    ) -> Receipt:
        when = self._when(occurred_at)
        check_role(actor, "report_hazard")
        enterprise = self._load(Enterprise, enterprise_id)
        if sector:
            self.reference.sector(sector)
        if jurisdiction:
            self.reference.jurisdiction(jurisdiction)
        # The scope comes from the enterprise's registration, never from the client (access.registered_scope).
        sector = registered_scope("sector", sector, enterprise.sector)
        jurisdiction = registered_scope("jurisdiction", jurisdiction, enterprise.jurisdiction)
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
            record_id=record_id,
        )
        if record_id is not None:
            return self._create(hazard, "hazard_exists", id=str(record_id))
        return self._store(hazard)

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
        media_type = evidence_media_type(media_type)
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

    def request_extension(
        self,
        actor: Actor,
        hazard_id: UUID,
        *,
        reason: str,
        requested_deadline: date,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        """申请延期: the enterprise asks the supervising unit for a later deadline."""
        return self._change_hazard(
            "request_extension",
            actor,
            hazard_id,
            occurred_at,
            expected_version,
            lambda h, when: h.request_extension(actor, when, reason, requested_deadline, self.rules),
        )

    def approve_extension(
        self,
        actor: Actor,
        hazard_id: UUID,
        *,
        opinion: str,
        new_deadline: date,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        """批准延期: the supervising unit approves the open request, to ``new_deadline`` at most the date asked."""
        return self._change_hazard(
            "approve_extension",
            actor,
            hazard_id,
            occurred_at,
            expected_version,
            lambda h, when: h.approve_extension(actor, when, opinion, new_deadline, self.rules),
        )

    def refuse_extension(
        self,
        actor: Actor,
        hazard_id: UUID,
        *,
        opinion: str,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        """不予延期: the supervising unit refuses the open request; the deadline stays."""
        return self._change_hazard(
            "refuse_extension",
            actor,
            hazard_id,
            occurred_at,
            expected_version,
            lambda h, when: h.refuse_extension(actor, when, opinion),
        )

    def record_deadline_miss(
        self,
        actor: Actor,
        hazard_id: UUID,
        *,
        deadline: date,
        missed: bool,
        reason: str,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        """登记/更正逾期: the 区安委办 states from paper records whether ``deadline`` was missed."""
        return self._change_hazard(
            "record_deadline_miss",
            actor,
            hazard_id,
            occurred_at,
            expected_version,
            lambda h, when: h.record_deadline_miss(actor, when, deadline, missed, reason),
        )

    def complete_rectification(
        self,
        actor: Actor,
        hazard_id: UUID,
        *,
        note: str = "",
        transcribed_from: str = "",
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        """``transcribed_from``: the ledger row a clerk copies the enterprise's claim from (``domain/ledger_import.py``)."""
        return self._change_hazard(
            transcribing_action("complete_rectification", transcribed_from),
            actor,
            hazard_id,
            occurred_at,
            expected_version,
            lambda h, when: h.complete_rectification(actor, when, transcribed_note(note, transcribed_from)),
        )

    def verify(
        self,
        actor: Actor,
        hazard_id: UUID,
        *,
        passed: bool,
        opinion: str,
        assessed_by: list[Assessor],
        transcribed_from: str = "",
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
        signature: SignatureArg = None,
    ) -> Receipt:
        """``transcribed_from``: the ledger row a clerk copies the verification from (``domain/ledger_import.py``)."""

        def change(h: Hazard, when: datetime) -> None:
            signed = self._hazard_signature(actor, h, SignatureMeaning.VERIFIER, signature)
            noted = transcribed_note(opinion, transcribed_from)
            h.verify(actor, when, passed, noted, assessed_by, signed, transcribed=bool(transcribed_from))

        action = transcribing_action("verify", transcribed_from)
        return self._change_hazard(action, actor, hazard_id, occurred_at, expected_version, change)

    def _hazard_signature(self, actor: Actor, h: Hazard, meaning: SignatureMeaning, signature: SignatureArg) -> Any:
        """The personal signature of a signed act on ``h``, checked against the key registry (or refused)."""
        return authorise_signature(
            self, actor, record_id=h.id, version_seen=h.version, meaning=meaning, attachments=h.attachments(), signature=signature
        )

    def close_hazard(
        self,
        actor: Actor,
        hazard_id: UUID,
        *,
        note: str = "",
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
        signature: SignatureArg = None,
    ) -> Receipt:
        def change(h: Hazard, when: datetime) -> None:
            h.close(actor, when, note, self._hazard_signature(actor, h, SignatureMeaning.CLOSER, signature))

        return self._change_hazard("close", actor, hazard_id, occurred_at, expected_version, change)

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
            # 申请延期: the request awaiting a decision (None: none), every request with its decision, and
            # how many extensions the district's limit has left
            "extension_request": _extension_view(h.open_extension_request),
            "extension_requests": [_extension_view(r) for r in h.extension_requests],
            "extensions": h.extensions,
            "extensions_left": max(0, self.rules.extension_max_count - h.extensions),
            **self._derived(h),
            "evidence": list(h.evidence),
        }

    def _derived(self, h: Hazard) -> dict[str, Any]:
        """What the acts' business times say now (``domain/hazard_timeline.py``): the missed deadlines,
        overdue, and for a major the enterprise found itself, the window for reporting it (及时报告)."""
        now = self.clock.now()
        status = h.status_at(now)
        hours = self.rules.report_to_regulator_hours
        due = status.report_to_regulator_due(hours)
        self_found = h.is_major and h.source is HazardSource.SELF_INSPECTION
        return {
            "overdue": status.overdue,
            "missed_at": plain(status.missed_at),
            "rectification_lapsed": status.lapsed,
            "missed_deadlines": [
                {"deadline": m.deadline.isoformat(), "missed_at": plain(m.missed_at), "recorded": m.recorded}
                for m in status.misses
            ],
            "report_to_regulator_due": plain(due) if self_found else None,
            "self_report_late": self_found and status.self_report_late(now, hours),
        }


def _extension_view(request: ExtensionRequest | None) -> dict[str, Any] | None:
    return None if request is None else {**plain(request), "decision_zh": request.decision.zh}
