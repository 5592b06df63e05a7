"""Commands and queries of enforcement cases (执法案件) and publication batches (分批公布).

Every case command reads the enterprise for the actor's scope and, where a rule needs them, the
current facts of the cited hazards; it never changes a hazard (no 以罚代管: a penalty does not
rectify anything). See ``domain/enforcement.py`` for the five rules.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.access import check_role, check_scope
from domain.actor import Actor
from domain.business_time import back_dated, business_date
from domain.enforcement import CitedHazardFacts, EnforcementCase
from domain.enterprise import Enterprise
from domain.errors import DomainError
from domain.glossary import BatchKind, HazardState, LicenceAction, PenaltyTarget, SignatureMeaning
from domain.hazard import Hazard
from domain.publication import PublicationBatch
from domain.services.core import LedgerCore, Receipt
from domain.services.signing_keys import authorise_signature
from domain.signatures import SignatureArg  # personal signatures
from domain.views import plain

CaseChange = Callable[[EnforcementCase, Enterprise, datetime], None]


class EnforcementApplication(LedgerCore):
    # ----- plumbing ---------------------------------------------------------------------------

    def _change_case(
        self,
        action: str,
        actor: Actor,
        case_id: UUID,
        occurred_at: datetime | None,
        expected_version: int | None,
        change: CaseChange,
    ) -> Receipt:
        when = self._when(occurred_at)
        check_role(actor, action)
        case = self._load(EnforcementCase, case_id, expected_version)
        enterprise = self._load(Enterprise, case.enterprise_id)
        check_scope(
            actor,
            self.reference,
            enterprise_id=enterprise.id,
            sector=enterprise.sector,
            jurisdiction=enterprise.jurisdiction,
            department=case.department,
        )
        change(case, enterprise, when)
        return self._store(case)

    def _cited_facts(self, case: EnforcementCase, when: datetime) -> list[CitedHazardFacts]:
        """The cited hazards as of the command's business time (read only: a case command never saves
        a hazard)."""
        return [CitedHazardFacts.of(self._load(Hazard, h), self.rules, when) for h in case.cited_hazard_ids]

    def _input_record(self, cls: type[Any], record_id: UUID, field: str) -> Any:
        """A record named in a command's input: one that does not exist is bad input, not a 404."""
        try:
            return self._load(cls, record_id)
        except DomainError as error:
            if error.code != cls.not_found_code:
                raise
            raise DomainError(
                "invalid_value", field=field, reason=f"{record_id} does not exist", reason_zh=f"{record_id} 不存在"
            ) from None

    # ----- opening ----------------------------------------------------------------------------

    def open_case(
        self,
        actor: Actor,
        *,
        enterprise_id: UUID,
        legal_basis: str,
        case_number: str,
        cited_hazard_ids: Sequence[UUID] = (),
        accident_ids: Sequence[UUID] = (),
        occurred_at: datetime | None = None,
    ) -> Receipt:
        """立案. Cited hazards must be of this enterprise and not voided by the case's business time (a
        case entered late, dated before a recorded voiding, is accepted); accidents are stored by id."""
        when = self._when(occurred_at)
        check_role(actor, "open_case")
        enterprise = self._load(Enterprise, enterprise_id)
        check_scope(
            actor, self.reference, enterprise_id=enterprise.id, sector=enterprise.sector, jurisdiction=enterprise.jurisdiction
        )
        department = self.reference.unit(actor.organisation_id).id
        for hazard_id in cited_hazard_ids:
            hazard: Hazard = self._input_record(Hazard, hazard_id, "cited_hazard_ids")
            if hazard.enterprise_id != enterprise.id:
                raise DomainError(
                    "invalid_value",
                    field="cited_hazard_ids",
                    reason=f"hazard {hazard_id} is of another enterprise",
                    reason_zh=f"隐患 {hazard_id} 属于其他企业",
                )
            if hazard.status_at(when).state is HazardState.VOIDED:  # voided by the case's business time
                raise DomainError(
                    "invalid_value",
                    field="cited_hazard_ids",
                    reason=f"hazard {hazard_id} is voided",
                    reason_zh=f"隐患 {hazard_id} 已作废",
                )
        case = EnforcementCase.open(
            actor=actor,
            occurred_at=when,
            enterprise_id=enterprise.id,
            department=department,
            cited_hazard_ids=list(cited_hazard_ids),
            accident_ids=list(accident_ids),
            legal_basis=legal_basis,
            case_number=case_number,
        )
        return self._create(case, "case_exists", case_number=case.case_number)

    # ----- penalties (rules 1 and 2) ----------------------------------------------------------

    def decide_penalty(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        target: PenaltyTarget | str,
        fine_yuan: int,
        decision_number: str,
        legal_basis: str,
        person_name: str = "",
        other_measures: str = "",
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
        signature: SignatureArg = None,
    ) -> Receipt:
        def change(case: EnforcementCase, _: Enterprise, when: datetime) -> None:
            signed = self._decider_signature(actor, case, signature)
            case.decide_penalty(
                actor,
                when,
                self._cited_facts(case, when),
                target,
                fine_yuan,
                decision_number,
                legal_basis,
                person_name,
                other_measures,
                signed,
                back_dated(when, self.clock.now()),
            )

        return self._change_case("decide_penalty", actor, case_id, occurred_at, expected_version, change)

    def impose_dual_penalty(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        enterprise_fine_yuan: int,
        principal_fine_yuan: int,
        decision_number: str,
        legal_basis: str,
        principal_name: str | None = None,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
        signature: SignatureArg = None,
    ) -> Receipt:
        """一案双罚; the principal is the enterprise's registered principal unless named."""

        def change(case: EnforcementCase, enterprise: Enterprise, when: datetime) -> None:
            signed = self._decider_signature(actor, case, signature)
            case.impose_dual_penalty(
                actor,
                when,
                self._cited_facts(case, when),
                enterprise_fine_yuan,
                enterprise.principal_name if principal_name is None else principal_name,
                principal_fine_yuan,
                decision_number,
                legal_basis,
                signed,
                back_dated(when, self.clock.now()),
            )

        return self._change_case("impose_dual_penalty", actor, case_id, occurred_at, expected_version, change)

    def _decider_signature(self, actor: Actor, case: EnforcementCase, signature: SignatureArg) -> Any:
        """处罚决定签名 on the case as it stands, checked against the key registry (or refused)."""
        return authorise_signature(
            self,
            actor,
            record_id=case.id,
            version_seen=case.version,
            meaning=SignatureMeaning.DECIDER,
            attachments=[],
            signature=signature,
        )

    # ----- suspension, licences, closure ------------------------------------------------------

    def order_suspension(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        decision_number: str,
        reason: str,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        return self._change_case(
            "order_suspension",
            actor,
            case_id,
            occurred_at,
            expected_version,
            lambda case, _, when: case.order_suspension(actor, when, decision_number, reason),
        )

    def lift_suspension(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        opinion: str,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        """复产验收: refused while a cited major is not verified or closed."""
        return self._change_case(
            "lift_suspension",
            actor,
            case_id,
            occurred_at,
            expected_version,
            lambda case, _, when: case.lift_suspension(actor, when, self._cited_facts(case, when), opinion),
        )

    def suspend_or_revoke_licence(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        action: LicenceAction | str,
        licence_name: str,
        licence_number: str,
        decision_number: str,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        return self._change_case(
            "suspend_or_revoke_licence",
            actor,
            case_id,
            occurred_at,
            expected_version,
            lambda case, _, when: case.suspend_or_revoke_licence(
                actor, when, action, licence_name, licence_number, decision_number
            ),
        )

    def request_closure(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        government: str,
        reason: str,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        return self._change_case(
            "request_closure",
            actor,
            case_id,
            occurred_at,
            expected_version,
            lambda case, _, when: case.request_closure(actor, when, government, reason),
        )

    def order_closure(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        government: str,
        decision_number: str,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        """关闭取缔, decided by the government and recorded by the regulator; needs a prior request."""
        return self._change_case(
            "order_closure",
            actor,
            case_id,
            occurred_at,
            expected_version,
            lambda case, _, when: case.order_closure(actor, when, government, decision_number),
        )

    def apply_industry_ban(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        years: int | None,
        person_name: str | None = None,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        """行业禁入 of the principal (the registered one unless named); ``years`` None is lifelong."""

        def change(case: EnforcementCase, enterprise: Enterprise, when: datetime) -> None:
            name = enterprise.principal_name if person_name is None else person_name
            case.apply_industry_ban(actor, when, name, years)

        return self._change_case("apply_industry_ban", actor, case_id, occurred_at, expected_version, change)

    def transfer_to_judiciary(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        persons: Sequence[str],
        suspected_offence: str,
        dangerous_operations_crime: bool = False,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        return self._change_case(
            "transfer_to_judiciary",
            actor,
            case_id,
            occurred_at,
            expected_version,
            lambda case, _, when: case.transfer_to_judiciary(actor, when, persons, suspected_offence, dangerous_operations_crime),
        )

    # ----- warnings and publicity -------------------------------------------------------------

    def apply_joint_punishment(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        measures: Sequence[str],
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        return self._change_case(
            "apply_joint_punishment",
            actor,
            case_id,
            occurred_at,
            expected_version,
            lambda case, _, when: case.apply_joint_punishment(actor, when, measures),
        )

    def interview_enterprise(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        interviewer: str,
        note: str = "",
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        return self._change_case(
            "interview_enterprise",
            actor,
            case_id,
            occurred_at,
            expected_version,
            lambda case, _, when: case.interview_enterprise(actor, when, interviewer, note),
        )

    def expose_case(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        channel: str,
        title: str,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        return self._change_case(
            "expose_case",
            actor,
            case_id,
            occurred_at,
            expected_version,
            lambda case, _, when: case.expose(actor, when, channel, title),
        )

    def publish_as_typical(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        title: str,
        dangerous_operations_crime: bool = False,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        return self._change_case(
            "publish_as_typical",
            actor,
            case_id,
            occurred_at,
            expected_version,
            lambda case, _, when: case.publish_as_typical(actor, when, title, dangerous_operations_crime),
        )

    # ----- rule 3: repeat offenders -----------------------------------------------------------

    def recommend_closure(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        hazard_id: UUID,
        other_case_ids: Sequence[UUID] = (),
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        """Marks the case for a closure recommendation (rule 3) when the cited major ``hazard_id`` has
        been open at least ``rules.repeat_offender_open_days`` days since its report and penalised at
        least ``rules.repeat_offender_penalties`` times.

        The penalties are counted, not taken on trust: this case and ``other_case_ids`` (the other
        cases citing the hazard, which the regulator names)
        are loaded and their penalty decisions against the enterprise up to the business time are
        counted, a dual penalty once. Each named case must cite the hazard. A case left out can only
        lower the count; the event records the figures and the cases they were counted from.
        """

        def change(case: EnforcementCase, _: Enterprise, when: datetime) -> None:
            case.check_open(when)  # before reading the records the command names
            if hazard_id not in case.cited_hazard_ids:
                raise DomainError(
                    "invalid_value", field="hazard_id", reason="the case does not cite this hazard", reason_zh="本案未涉及该隐患"
                )
            hazard = self._load(Hazard, hazard_id)
            counted = [case]
            for other_id in dict.fromkeys(other_case_ids):
                if other_id == case.id:
                    continue
                other: EnforcementCase = self._input_record(EnforcementCase, other_id, "other_case_ids")
                if hazard_id not in other.cited_hazard_ids:
                    raise DomainError(
                        "invalid_value",
                        field="other_case_ids",
                        reason=f"case {other_id} does not cite the hazard",
                        reason_zh=f"案件 {other_id} 未涉及该隐患",
                    )
                counted.append(other)
            prior = sum(c.enterprise_penalties_until(when) for c in counted)
            open_days = (business_date(when) - business_date(hazard.reported_at)).days
            case.recommend_closure(
                actor,
                when,
                CitedHazardFacts.of(hazard, self.rules, when),
                open_days,
                prior,
                [c.id for c in counted],
                self.rules,
            )

        return self._change_case("recommend_closure", actor, case_id, occurred_at, expected_version, change)

    # ----- rule 4: closing --------------------------------------------------------------------

    def close_case(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        reason: str,
        open_hazards_reason: str = "",
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        """结案. While a cited hazard is open, ``open_hazards_reason`` must say why (no 以罚代管)."""
        return self._change_case(
            "close_case",
            actor,
            case_id,
            occurred_at,
            expected_version,
            lambda case, _, when: case.close(actor, when, self._cited_facts(case, when), reason, open_hazards_reason),
        )

    # ----- rule 5: publication batches --------------------------------------------------------

    def publish_batch(
        self,
        actor: Actor,
        *,
        kind: BatchKind | str,
        title: str,
        document_number: str,
        channel: str,
        enterprise_ids: Sequence[UUID],
        case_ids: Sequence[UUID] = (),
        occurred_at: datetime | None = None,
    ) -> Receipt:
        """通报/约谈/联合惩戒/停产整顿一批. Every enterprise must exist and be within the actor's scope;
        every case must exist and be of one of the enterprises. Closed cases may be cited."""
        when = self._when(occurred_at)
        check_role(actor, "publish_batch")
        for enterprise_id in dict.fromkeys(enterprise_ids):
            enterprise: Enterprise = self._input_record(Enterprise, enterprise_id, "enterprise_ids")
            check_scope(
                actor,
                self.reference,
                enterprise_id=enterprise.id,
                sector=enterprise.sector,
                jurisdiction=enterprise.jurisdiction,
            )
        for case_id in dict.fromkeys(case_ids):
            case: EnforcementCase = self._input_record(EnforcementCase, case_id, "case_ids")
            if case.enterprise_id not in enterprise_ids:
                raise DomainError(
                    "invalid_value",
                    field="case_ids",
                    reason=f"case {case_id} is of an enterprise not in this batch",
                    reason_zh=f"案件 {case_id} 所属企业不在本批名单中",
                )
        batch = PublicationBatch.publish(
            actor=actor,
            occurred_at=when,
            kind=kind,
            title=title,
            document_number=document_number,
            channel=channel,
            enterprise_ids=list(enterprise_ids),
            case_ids=list(case_ids),
        )
        return self._store(batch)

    # ----- queries ----------------------------------------------------------------------------

    def case(self, case_id: UUID) -> dict[str, Any]:
        c = self._load(EnforcementCase, case_id)
        return {
            "id": str(c.id),
            "version": c.version,
            "case_number": c.case_number,
            "enterprise_id": str(c.enterprise_id),
            "department": c.department,
            "department_name": self.reference.units[c.department].name,
            "legal_basis": c.legal_basis,
            "cited_hazard_ids": plain(c.cited_hazard_ids),
            "accident_ids": plain(c.accident_ids),
            "state": c.state.value,
            "state_zh": c.state.zh,
            "opened_at": plain(c.opened_at),
            "opened_by": plain(c.opened_by),
            "penalties": [
                {
                    "decision_number": p.decision_number,
                    "dual": p.dual,
                    "target": p.target.value if p.target else None,
                    "person_name": p.person_name,
                    "fine_yuan": p.fine_yuan,
                    "principal_fine_yuan": p.principal_fine_yuan,
                    "occurred_at": plain(p.occurred_at),
                }
                for p in c.penalties
            ],
            "penalty_decisions": len(c.penalties),
            "dual_penalties": sum(1 for p in c.penalties if p.dual),
            "total_fines_yuan": c.total_fines_yuan,
            "suspended": c.suspended,
            "suspensions_ordered": c.suspensions_ordered,
            "licence_actions": plain(c.licence_actions),
            "closure_requested": c.closure_requested,
            "closure_ordered": c.closure_ordered,
            "industry_bans": plain(c.industry_bans),
            "persons_transferred": list(c.persons_transferred),
            "dangerous_operations_crime": c.dangerous_operations_crime,
            "joint_punishments": c.joint_punishments,
            "interviews": c.interviews,
            "exposures": c.exposures,
            "published_as_typical": c.typical_title is not None,
            "typical_title": c.typical_title,
            "typical_dangerous_operations_crime": c.typical_dangerous_operations_crime,
            "closure_recommended": c.closure_recommendation is not None,
            "closure_recommendation": plain(c.closure_recommendation),
            "close_reason": c.close_reason,
            "open_hazards_reason": c.open_hazards_reason,
            "open_hazard_ids_at_close": plain(c.open_hazard_ids_at_close),
            "closed_at": plain(c.closed_at),
        }

    def batch(self, batch_id: UUID) -> dict[str, Any]:
        b = self._load(PublicationBatch, batch_id)
        return {
            "id": str(b.id),
            "version": b.version,
            "kind": b.kind.value,
            "kind_zh": b.kind.zh,
            "title": b.title,
            "document_number": b.document_number,
            "channel": b.channel,
            "enterprise_ids": plain(b.enterprise_ids),
            "case_ids": plain(b.case_ids),
            "published_at": plain(b.published_at),
            "published_by": plain(b.published_by),
        }
