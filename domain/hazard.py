"""The hazard (事故隐患) lifecycle aggregate.

    reported ──RectificationPlanFiled──▶ rectifying ──RectificationCompleted──▶ pending_verification
                                            ▲                                          │
                                            └───────────── VerificationFailed ◀────────┤
                                                                                       ▼ VerificationPassed
                                                                                   verified ──HazardClosed──▶ closed
    reported | rectifying | pending_verification ──HazardVoided──▶ voided

Parallel tracks for majors: reported to the regulator; listed for supervision ⇄ lifted. Whether a
deadline was missed (逾期) is derived from the acts' business times (``domain/hazard_timeline.py``),
never stored: ``status_at(moment)`` is the hazard as of a business time. A 区安委办 clerk may state a
deadline missed or not from paper records (``DeadlineMissRecorded``). Public methods check the rules
and then trigger an event; the private ``@event`` methods only assign state, so replay never re-checks.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.actor import Actor
from domain.aggregate_base import LedgerAggregate, stable_topics
from domain.business_time import business_date
from domain.errors import DomainError
from domain.glossary import (
    ACTION_LABELS,
    FIVE_ELEMENTS_ZH,
    Assessor,
    ExtensionDecision,
    Grade,
    HazardSource,
    HazardState,
    Role,
)
from domain.hazard_extension import DECIDE_EXTENSION, ExtensionRequest, check_limits
from domain.hazard_timeline import SETS_DEADLINE, HazardStatus, Step, StepKind, status, step_of
from domain.inputs import invalid, term
from domain.reference_data import LedgerRules
from domain.signatures import PersonalSignature, upcast_unsigned_with_attachments_v1_v2
from domain.values import RectificationPlan, SupervisionListing

S = HazardState
# The states each action may start from; anything else is an out-of-order transition.
ALLOWED_FROM: dict[str, frozenset[HazardState]] = {
    "report_to_regulator": frozenset({S.REPORTED, S.RECTIFYING, S.PENDING_VERIFICATION}),
    "file_plan": frozenset({S.REPORTED}),
    "record_progress": frozenset({S.RECTIFYING}),
    "attach_evidence": frozenset({S.REPORTED, S.RECTIFYING, S.PENDING_VERIFICATION, S.VERIFIED}),
    "list_for_supervision": frozenset({S.REPORTED, S.RECTIFYING, S.PENDING_VERIFICATION}),
    "lift_supervision": frozenset({S.VERIFIED}),
    "extend_deadline": frozenset({S.RECTIFYING}),
    # an extension on request (domain/hazard_extension.py): asked and decided while rectifying
    "request_extension": frozenset({S.RECTIFYING}),
    "approve_extension": frozenset({S.RECTIFYING}),
    "refuse_extension": frozenset({S.RECTIFYING}),
    "record_deadline_miss": frozenset({S.RECTIFYING, S.PENDING_VERIFICATION, S.VERIFIED, S.CLOSED}),
    "complete_rectification": frozenset({S.RECTIFYING}),
    "verify": frozenset({S.PENDING_VERIFICATION}),
    "close": frozenset({S.VERIFIED}),
    "void": frozenset({S.REPORTED, S.RECTIFYING, S.PENDING_VERIFICATION}),
}


def allowed_in(action: str, state: HazardState) -> bool:
    """Whether a hazard in ``state`` accepts ``action`` (an action of another record, e.g. opening a case that
    cites it, always): ``Hazard.check_can`` refuses the rest, the pages offer only these."""
    return action not in ALLOWED_FROM or state in ALLOWED_FROM[action]


def offered(action: str, state: HazardState, extension_requested: bool) -> bool:
    """Whether the pages offer ``action`` on a hazard in ``state`` (``extension_requested``: a request is
    open): ``allowed_in``, and a request only while none is open, a decision only while one is."""
    if action == "request_extension" and extension_requested:
        return False
    if action in DECIDE_EXTENSION and not extension_requested:
        return False
    return allowed_in(action, state)

# Actions whose precondition is a passed verification: refused with `hazard_not_verified`.
_NEED_VERIFIED = {"lift_supervision", "close"}
# Roles that may sign the verification of a major hazard (inspector, 属地 officer or expert).
MAJOR_VERIFIER_ROLES = frozenset({Role.INSPECTOR, Role.STREET_OFFICER, Role.EXPERT})
# Roles that may close (销号) a major hazard: the government regulators within scope; the enterprise's
# principal closes a general hazard only (ACTION_ROLES["close"], as the demo seeds do).
MAJOR_CLOSER_ROLES = frozenset({Role.INSPECTOR, Role.STREET_OFFICER, Role.COMMITTEE_OFFICE})


@stable_topics
class Hazard(LedgerAggregate):
    not_found_code = "hazard_not_found"

    class Event(LedgerAggregate.Event):
        def mutate(self, aggregate: Any) -> Any:
            aggregate = super().mutate(aggregate)
            step = step_of(self)
            if step is not None and step.kind is not StepKind.REPORTED:  # the report's step is set by __init__
                aggregate.steps.append(step)
            return aggregate

    @event("HazardReported")
    def __init__(
        self,
        actor: Actor,
        occurred_at: datetime,
        enterprise_id: UUID,
        sector: str,
        jurisdiction: str,
        department: str,
        grade: str,
        source: str,
        criterion: str,
        description: str,
        location: str,
        existed_since: date | None,
        inspection_id: UUID | None,
    ) -> None:
        self.enterprise_id = enterprise_id
        self.sector = sector
        self.jurisdiction = jurisdiction
        self.department = department
        self.grade = Grade(grade)
        self.source = HazardSource(source)
        self.criterion = criterion
        self.description = description
        self.location = location
        self.existed_since = existed_since
        self.inspection_id = inspection_id
        self.reported_by = actor
        self.reported_at = occurred_at
        self.state = HazardState.REPORTED
        self.reported_to_regulator_at: datetime | None = None
        self.plan: RectificationPlan | None = None
        self.deadline: date | None = None
        self.listing: SupervisionListing | None = None
        # What the derived facts fold over (domain/hazard_timeline.py).
        self.steps: list[Step] = [Step(StepKind.REPORTED, occurred_at)]
        self.claimed_by: Actor | None = None
        self.verified_by: Actor | None = None
        self.evidence: list[str] = []
        self.extension_requests: list[ExtensionRequest] = []  # 申请延期, oldest first

    # ----- factory -------------------------------------------------------------------------

    @classmethod
    def report(
        cls,
        *,
        actor: Actor,
        occurred_at: datetime,
        enterprise_id: UUID,
        sector: str,
        jurisdiction: str,
        department: str,
        grade: Grade,
        source: HazardSource,
        criterion: str,
        description: str,
        location: str = "",
        existed_since: date | None = None,
        inspection_id: UUID | None = None,
        record_id: UUID | None = None,
    ) -> Hazard:
        """``record_id``: an id derived from where the hazard comes from (a ledger row), else a new one."""
        grade = term(Grade, grade, "grade")
        source = term(HazardSource, source, "source")
        if not description.strip():
            invalid("description", "required", "必填")
        if grade is Grade.MAJOR and not criterion.strip():
            # A major hazard is major because it meets a clause of the 判定标准.
            invalid("criterion", "a major hazard names the criterion clause it meets", "重大事故隐患须注明判定标准条款")
        if existed_since is not None and existed_since > business_date(occurred_at):
            invalid("existed_since", "after the report date", "晚于上报日期")
        if actor.is_enterprise and source is not HazardSource.SELF_INSPECTION:
            invalid("source", "an enterprise reports its own findings (self_inspection)", "企业只能上报自查发现的隐患")
        fields: dict[str, Any] = {
            "actor": actor, "occurred_at": occurred_at, "enterprise_id": enterprise_id, "sector": sector,
            "jurisdiction": jurisdiction, "department": department, "grade": grade, "source": source,
            "criterion": criterion.strip(), "description": description.strip(), "location": location.strip(),
            "existed_since": existed_since, "inspection_id": inspection_id,
        }  # fmt: skip
        if record_id is not None:  # the library's constructor takes no id: its creation method does
            return cls._create(cls.HazardReported, id=record_id, **fields)  # type: ignore[attr-defined]
        return cls(**fields)

    # ----- guards ----------------------------------------------------------------------------

    @property
    def is_major(self) -> bool:
        return self.grade is Grade.MAJOR

    @property
    def is_listed(self) -> bool:
        return self.listing is not None

    @property
    def is_open(self) -> bool:
        """Still a hazard: neither rectified (verified, closed) nor voided."""
        return self.state in (S.REPORTED, S.RECTIFYING, S.PENDING_VERIFICATION)

    @property
    def deadlines(self) -> set[date]:
        """Every deadline the hazard had (its plan's, its extensions'), from its steps."""
        return {s.deadline for s in self.steps if s.kind in SETS_DEADLINE and s.deadline is not None}

    @property
    def extensions(self) -> int:
        """How many times the deadline was extended: recorded paper decisions and approved requests."""
        return sum(1 for s in self.steps if s.kind is StepKind.DEADLINE_EXTENDED)

    @property
    def open_extension_request(self) -> ExtensionRequest | None:
        last = self.extension_requests[-1] if self.extension_requests else None
        return last if last is not None and last.open else None

    def status_at(self, moment: datetime) -> HazardStatus:
        """The hazard as of business time ``moment`` (its acts up to then; derived facts included)."""
        return status(self.steps, moment)

    def self_report_exempt(self, report_hours: int, moment: datetime) -> bool:
        """Plan rule 1 (依法不予行政处罚) as of business time ``moment`` (``HazardStatus.self_report_exempt``)."""
        return self.status_at(moment).self_report_exempt(self.is_major, self.source, moment, report_hours)

    def check_can(self, action: str, occurred_at: datetime) -> None:
        """Refuses an action out of order, on a finished record, or back in business time."""
        if self.state is S.CLOSED and S.CLOSED not in ALLOWED_FROM[action]:  # a clerk's statement may follow closure
            raise DomainError("hazard_closed")
        if self.state is S.VOIDED:
            raise DomainError("hazard_voided")
        if not allowed_in(action, self.state):
            if action in _NEED_VERIFIED:
                raise DomainError("hazard_not_verified", action=action, action_zh=ACTION_LABELS[action])
            raise DomainError(
                "invalid_transition",
                action=action,
                action_zh=ACTION_LABELS[action],
                state=self.state.value,
                state_zh=self.state.zh,
            )
        self.check_business_order(occurred_at)

    def _require_major(self, action: str) -> None:
        if not self.is_major:
            raise DomainError("not_major", action=action, action_zh=ACTION_LABELS[action])

    # ----- commands --------------------------------------------------------------------------

    def report_to_regulator(self, actor: Actor, occurred_at: datetime, regulator: str) -> None:
        self.check_can("report_to_regulator", occurred_at)
        self._require_major("report_to_regulator")
        if self.reported_to_regulator_at is not None:
            raise DomainError("already_reported")
        self._reported_to_regulator(actor=actor, occurred_at=occurred_at, regulator=regulator)

    def file_plan(self, actor: Actor, occurred_at: datetime, plan: RectificationPlan) -> None:
        self.check_can("file_plan", occurred_at)
        missing = plan.missing_elements(self.grade)
        if missing:
            raise DomainError(
                "plan_incomplete",
                missing=", ".join(missing),
                missing_zh="、".join(FIVE_ELEMENTS_ZH[m] for m in missing),
                fields=missing,
            )
        if plan.funds_yuan is not None and plan.funds_yuan < 0:
            invalid("funds_yuan", "negative", "不能为负数")
        today = business_date(occurred_at)
        if plan.immediate:
            plan = replace(plan, deadline=plan.deadline or today)
        if plan.deadline is not None and plan.deadline < today:
            raise DomainError("deadline_in_past", new_deadline=plan.deadline.isoformat(), today=today.isoformat())
        self._plan_filed(actor=actor, occurred_at=occurred_at, plan=plan)

    def record_progress(self, actor: Actor, occurred_at: datetime, note: str, percent: int | None) -> None:
        self.check_can("record_progress", occurred_at)
        if not note.strip():
            invalid("note", "required", "必填")
        if percent is not None and not 0 <= percent <= 100:
            invalid("percent", "between 0 and 100", "应在 0 到 100 之间")
        self._progress_recorded(actor=actor, occurred_at=occurred_at, note=note.strip(), percent=percent)

    def attach_evidence(
        self,
        actor: Actor,
        occurred_at: datetime,
        file_name: str,
        media_type: str,
        sha256: str,
        size: int,
        taken_at: datetime | None,
        latitude: float | None,
        longitude: float | None,
    ) -> None:
        self.check_can("attach_evidence", occurred_at)
        if not file_name.strip():
            invalid("file_name", "required", "必填")
        if (latitude is None) != (longitude is None):
            invalid("latitude", "give both latitude and longitude, or neither", "经纬度须同时提供")
        if latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):  # type: ignore[operator]
            invalid("latitude", "out of range", "超出范围")
        self._evidence_attached(
            actor=actor,
            occurred_at=occurred_at,
            file_name=file_name.strip(),
            media_type=media_type,
            sha256=sha256,
            size=size,
            taken_at=taken_at,
            latitude=latitude,
            longitude=longitude,
        )

    def list_for_supervision(self, actor: Actor, occurred_at: datetime, listing: SupervisionListing) -> None:
        self.check_can("list_for_supervision", occurred_at)
        self._require_major("list_for_supervision")
        if self.is_listed:
            raise DomainError("hazard_already_listed")
        for name in ("supervising_body", "document_number", "issuer"):
            if not getattr(listing, name).strip():
                invalid(name, "required", "必填")
        if listing.time_limit < business_date(occurred_at):
            raise DomainError(
                "deadline_in_past",
                new_deadline=listing.time_limit.isoformat(),
                today=business_date(occurred_at).isoformat(),
            )
        self._listed(actor=actor, occurred_at=occurred_at, listing=listing)

    def lift_supervision(self, actor: Actor, occurred_at: datetime, reason: str, approver: str) -> None:
        if not self.is_listed and self.state not in (S.CLOSED, S.VOIDED):
            raise DomainError("hazard_not_listed")
        self.check_can("lift_supervision", occurred_at)
        if not approver.strip():
            invalid("approver", "required", "必填")
        self._supervision_lifted(actor=actor, occurred_at=occurred_at, reason=reason.strip(), approver=approver.strip())

    def extend_deadline(
        self,
        actor: Actor,
        occurred_at: datetime,
        request_date: date,
        reason: str,
        new_deadline: date,
        approver: str,
    ) -> None:
        self.check_can("extend_deadline", occurred_at)
        if self.deadline is None:
            raise DomainError("no_deadline")
        if not reason.strip():
            invalid("reason", "required", "必填")
        if not approver.strip():
            invalid("approver", "required", "必填")
        today = business_date(occurred_at)
        if request_date > today:
            invalid("request_date", "after the decision date", "晚于批准日期")
        if new_deadline < today:
            raise DomainError("deadline_in_past", new_deadline=new_deadline.isoformat(), today=today.isoformat())
        self._deadline_extended(
            actor=actor,
            occurred_at=occurred_at,
            request_date=request_date,
            reason=reason.strip(),
            previous_deadline=self.deadline,
            new_deadline=new_deadline,
            approver=approver.strip(),
        )

    def request_extension(
        self, actor: Actor, occurred_at: datetime, reason: str, requested_deadline: date, rules: LedgerRules
    ) -> None:
        """申请延期: the enterprise asks for ``requested_deadline``, dated by its business time."""
        self.check_can("request_extension", occurred_at)
        open_request = self.open_extension_request
        if open_request is not None:
            raise DomainError("extension_request_open", requested_at=business_date(open_request.requested_at).isoformat())
        if not reason.strip():
            invalid("reason", "required", "必填")
        deadline = self._extendable(occurred_at, requested_deadline, "requested_deadline")
        check_limits(rules, self.extensions, deadline, requested_deadline)
        self._extension_requested(
            actor=actor,
            occurred_at=occurred_at,
            request_number=len(self.extension_requests) + 1,
            reason=reason.strip(),
            requested_deadline=requested_deadline,
            deadline=deadline,
        )

    def approve_extension(
        self, actor: Actor, occurred_at: datetime, opinion: str, new_deadline: date, rules: LedgerRules
    ) -> None:
        """批准延期: the open request, to ``new_deadline`` (at most the date asked), which is in force from now."""
        self.check_can("approve_extension", occurred_at)
        request = self._open_request(opinion)
        deadline = self._extendable(occurred_at, new_deadline, "new_deadline")
        if new_deadline > request.requested_deadline:
            invalid(
                "new_deadline",
                f"after the date requested ({request.requested_deadline.isoformat()})",
                f"晚于申请的期限（{request.requested_deadline.isoformat()}）",
            )
        check_limits(rules, self.extensions, deadline, new_deadline)
        self._extension_approved(
            actor=actor,
            occurred_at=occurred_at,
            **request.cited(),
            previous_deadline=deadline,
            new_deadline=new_deadline,
            opinion=opinion.strip(),
        )

    def refuse_extension(self, actor: Actor, occurred_at: datetime, opinion: str) -> None:
        """不予延期: the open request is refused; the deadline in force stays."""
        self.check_can("refuse_extension", occurred_at)
        request = self._open_request(opinion)
        self._extension_refused(
            actor=actor,
            occurred_at=occurred_at,
            **request.cited(),
            deadline=self.deadline,
            opinion=opinion.strip(),
        )

    def _open_request(self, opinion: str) -> ExtensionRequest:
        request = self.open_extension_request
        if request is None:
            raise DomainError("no_extension_request")
        if not opinion.strip():
            invalid("opinion", "the decision states its opinion (审批意见)", "须填写审批意见")
        return request

    def _extendable(self, occurred_at: datetime, new_deadline: date, field: str) -> date:
        """The deadline in force, which ``new_deadline`` must extend: later than it, and not before today."""
        if self.deadline is None:
            raise DomainError("no_deadline")
        if new_deadline <= self.deadline:
            invalid(
                field,
                f"not after the deadline in force ({self.deadline.isoformat()})",
                f"不晚于现整改期限（{self.deadline.isoformat()}）",
            )
        today = business_date(occurred_at)
        if new_deadline < today:
            raise DomainError("deadline_in_past", new_deadline=new_deadline.isoformat(), today=today.isoformat())
        return self.deadline

    def record_deadline_miss(self, actor: Actor, occurred_at: datetime, deadline: date, missed: bool, reason: str) -> None:
        """A 区安委办 clerk states, from paper records, that the deadline ``deadline`` was missed (or was
        not): it decides for that deadline over what the acts' dates derive (``hazard_timeline``)."""
        self.check_can("record_deadline_miss", occurred_at)
        if deadline not in self.deadlines:
            invalid("deadline", "not a deadline of this hazard", "不是该隐患的整改期限")
        if not business_date(occurred_at) > deadline:
            raise DomainError("deadline_not_passed", deadline=deadline.isoformat())
        if not isinstance(missed, bool):
            invalid("missed", "true or false", "应为是或否")
        if not reason.strip():
            invalid("reason", "required", "必填")
        self._deadline_miss_recorded(
            actor=actor, occurred_at=occurred_at, deadline=deadline, missed=missed, reason=reason.strip()
        )

    def complete_rectification(self, actor: Actor, occurred_at: datetime, note: str) -> None:
        self.check_can("complete_rectification", occurred_at)
        self._completed(actor=actor, occurred_at=occurred_at, note=note.strip())

    def verify(
        self,
        actor: Actor,
        occurred_at: datetime,
        passed: bool,
        opinion: str,
        assessed_by: list[Assessor],
        signature: PersonalSignature | None = None,
        transcribed: bool = False,
    ) -> None:
        """``transcribed``: copied by a clerk from a unit's ledger (``domain/ledger_import.py``), where the people
        the ledger names claimed and verified; the clerk attests the copy only, so who may verify is not asked."""
        self.check_can("verify", occurred_at)
        if not transcribed:
            self._check_verifier(actor)
        if not opinion.strip():
            invalid("opinion", "the acceptance opinion (验收意见) is required", "须填写验收意见")
        assessors = [term(Assessor, a, "assessed_by").value for a in assessed_by]
        decided = self._verification_passed if passed else self._verification_failed
        decided(
            actor=actor,
            occurred_at=occurred_at,
            opinion=opinion.strip(),
            assessed_by=assessors,
            attachments=self.attachments(),
            signature=signature,
        )

    def _check_verifier(self, actor: Actor) -> None:
        # Who claimed completion may not verify it — keyed on the person AND the organisation: a second
        # account of the claiming organisation (or the same person under another user id) is refused too,
        # and no enterprise-side account verifies its own enterprise's hazard. (With header identity anyone
        # may claim any user id and organisation: the organisation rule is what holds until real log-in.)
        if self.claimed_by is not None and actor.user_id == self.claimed_by.user_id:
            raise DomainError("verifier_is_claimer")
        if (self.claimed_by is not None and actor.organisation_id == self.claimed_by.organisation_id) or (
            actor.is_enterprise and actor.organisation_id == str(self.enterprise_id)
        ):
            raise DomainError("verifier_of_claimer_organisation", organisation=actor.organisation_name or actor.organisation_id)
        if self.is_major and actor.role not in MAJOR_VERIFIER_ROLES:
            raise DomainError(
                "role_not_allowed",
                role=actor.role.value,
                role_zh=actor.role.zh,
                action="verify a major hazard",
                action_zh="验收重大事故隐患",
            )

    def close(self, actor: Actor, occurred_at: datetime, note: str, signature: PersonalSignature | None = None) -> None:
        self.check_can("close", occurred_at)
        if self.is_major and actor.role not in MAJOR_CLOSER_ROLES:
            raise DomainError(
                "role_not_allowed",
                role=actor.role.value,
                role_zh=actor.role.zh,
                action="close a major hazard",
                action_zh="销号重大事故隐患",
            )
        if self.is_listed:
            raise DomainError("hazard_listed")
        self._closed(actor=actor, occurred_at=occurred_at, note=note.strip(), attachments=self.attachments(), signature=signature)

    def attachments(self) -> list[str]:
        """What a signature on this hazard covers besides the record and version: the SHA-256 of every
        evidence file attached so far, sorted (``domain/signatures.py``)."""
        return sorted(self.evidence)

    def void(self, actor: Actor, occurred_at: datetime, reason: str) -> None:
        self.check_can("void", occurred_at)
        if not reason.strip():
            invalid("reason", "a voided record states why", "作废须说明理由")
        self._voided(actor=actor, occurred_at=occurred_at, reason=reason.strip())

    # ----- events (state assignment only) ----------------------------------------------------

    @event("HazardReportedToRegulator")
    def _reported_to_regulator(self, actor: Actor, occurred_at: datetime, regulator: str) -> None:
        self.reported_to_regulator_at = occurred_at

    @event("RectificationPlanFiled")
    def _plan_filed(self, actor: Actor, occurred_at: datetime, plan: RectificationPlan) -> None:
        self.plan = plan
        self.deadline = plan.deadline
        self.state = S.RECTIFYING

    @event("ProgressRecorded")
    def _progress_recorded(self, actor: Actor, occurred_at: datetime, note: str, percent: int | None) -> None:
        pass

    @event("EvidenceAttached")
    def _evidence_attached(
        self,
        actor: Actor,
        occurred_at: datetime,
        file_name: str,
        media_type: str,
        sha256: str,
        size: int,
        taken_at: datetime | None,
        latitude: float | None,
        longitude: float | None,
    ) -> None:
        self.evidence.append(sha256)

    @event("ListedForSupervision")
    def _listed(self, actor: Actor, occurred_at: datetime, listing: SupervisionListing) -> None:
        self.listing = listing

    @event("SupervisionLifted")
    def _supervision_lifted(self, actor: Actor, occurred_at: datetime, reason: str, approver: str) -> None:
        self.listing = None

    @event("DeadlineExtended")
    def _deadline_extended(
        self,
        actor: Actor,
        occurred_at: datetime,
        request_date: date,
        reason: str,
        previous_deadline: date,
        new_deadline: date,
        approver: str,
    ) -> None:
        self.deadline = new_deadline

    # 申请延期 and its decision. A decision carries the request it decides (number, date, reasons, date asked)
    # and the deadlines, so the 延期审批意见书 can be issued from the decision event alone.
    @event("ExtensionRequested")
    def _extension_requested(
        self,
        actor: Actor,
        occurred_at: datetime,
        request_number: int,
        reason: str,
        requested_deadline: date,
        deadline: date,
    ) -> None:
        self.extension_requests.append(ExtensionRequest(request_number, occurred_at, actor, reason, requested_deadline))

    @event("ExtensionApproved")
    def _extension_approved(
        self,
        actor: Actor,
        occurred_at: datetime,
        request_number: int,
        request_date: date,
        reason: str,
        requested_deadline: date,
        previous_deadline: date,
        new_deadline: date,
        opinion: str,
    ) -> None:
        self.deadline = new_deadline
        self._decided(ExtensionDecision.APPROVED, occurred_at, actor, opinion, new_deadline)

    @event("ExtensionRefused")
    def _extension_refused(
        self,
        actor: Actor,
        occurred_at: datetime,
        request_number: int,
        request_date: date,
        reason: str,
        requested_deadline: date,
        deadline: date,
        opinion: str,
    ) -> None:
        self._decided(ExtensionDecision.REFUSED, occurred_at, actor, opinion, None)

    def _decided(self, decision: ExtensionDecision, at: datetime, by: Actor, opinion: str, new_deadline: date | None) -> None:
        self.extension_requests[-1] = self.extension_requests[-1].decided(decision, at, by, opinion, new_deadline)

    # Written by earlier versions: by their deadline watcher (a derived fact, recomputed now and never
    # blocking a person's act) or by a 区安委办 clerk (a statement, read as DeadlineMissRecorded missed).
    @event("DeadlineMissed")
    def _deadline_missed(self, actor: Actor, occurred_at: datetime, deadline: date) -> None:
        pass

    @event("DeadlineMissRecorded")
    def _deadline_miss_recorded(self, actor: Actor, occurred_at: datetime, deadline: date, missed: bool, reason: str) -> None:
        pass

    @event("RectificationCompleted")
    def _completed(self, actor: Actor, occurred_at: datetime, note: str) -> None:
        self.claimed_by = actor
        self.state = S.PENDING_VERIFICATION

    # Signed acts (class_version 2): the evidence digests the signature covers, and the personal
    # signature; a v1 event (stored before signatures) comes back with neither.
    class VerificationPassed(Event):
        class_version = 2
        opinion: str
        assessed_by: list[str]
        attachments: list[str]
        signature: PersonalSignature | None
        upcast_v1_v2 = staticmethod(upcast_unsigned_with_attachments_v1_v2)

    class VerificationFailed(Event):
        class_version = 2
        opinion: str
        assessed_by: list[str]
        attachments: list[str]
        signature: PersonalSignature | None
        upcast_v1_v2 = staticmethod(upcast_unsigned_with_attachments_v1_v2)

    class HazardClosed(Event):
        class_version = 2
        note: str
        attachments: list[str]
        signature: PersonalSignature | None
        upcast_v1_v2 = staticmethod(upcast_unsigned_with_attachments_v1_v2)

    @event(VerificationPassed)
    def _verification_passed(
        self,
        actor: Actor,
        occurred_at: datetime,
        opinion: str,
        assessed_by: list[str],
        attachments: list[str],
        signature: PersonalSignature | None,
    ) -> None:
        self.verified_by = actor
        self.state = S.VERIFIED

    @event(VerificationFailed)
    def _verification_failed(
        self,
        actor: Actor,
        occurred_at: datetime,
        opinion: str,
        assessed_by: list[str],
        attachments: list[str],
        signature: PersonalSignature | None,
    ) -> None:
        self.claimed_by = None
        self.state = S.RECTIFYING

    @event(HazardClosed)
    def _closed(
        self, actor: Actor, occurred_at: datetime, note: str, attachments: list[str], signature: PersonalSignature | None
    ) -> None:
        self.state = S.CLOSED

    @event("HazardVoided")
    def _voided(self, actor: Actor, occurred_at: datetime, reason: str) -> None:
        self.state = S.VOIDED
