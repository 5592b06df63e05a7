"""The enforcement case (执法案件) aggregate and the plan's five enforcement rules.

A case is opened against one enterprise, citing hazards of that enterprise and, where one happened,
accidents (ids only). Decisions are appended as events; nothing is accepted once the case is closed.

The plan's rules (呈贡区行动方案, "聚焦排查整治重点精准严格执法", items 1–5):

1. **Self-report exemption** (依法不予行政处罚) — a penalty whose cited hazards are all majors the
   enterprise found itself, reported in time and under effective rectification is refused
   (``penalty_exempt``). A case citing an accident is never exempt; a case citing neither hazards nor
   accidents (other violations) may be penalised.
2. **Dual penalty** (一案双罚) — where a cited major is still open after its rectification lapsed, or
   the case cites an accident, a single-target penalty is refused (``dual_penalty_required``) until the
   case holds a ``DualPenaltyImposed``; after it, further single decisions (e.g. against a safety
   manager) are accepted.

   A lapse or an exemption is derived from the acts entered so far (the absence of a completion, of a
   report to the regulator), so it refuses only a decision recorded on its own business day. One entered
   later is a decision already taken: it is accepted, and :func:`penalty_conflicts` — judged with
   everything known, as of its day — lists it if the rules say it should not have been taken.
3. **Repeat offenders** — :func:`closure_recommended` says whether a major open ``open_days`` and
   penalised ``prior_penalties`` times meets the configured thresholds; ``ClosureRecommended`` records
   the mark with the figures and the cases they were counted from. Closure must be requested before it
   is ordered, and ordered before the principal's industry ban.
4. **No 以罚代管** — no case command touches a hazard; a case cannot close while a cited hazard is
   open unless a reason is given (``cited_hazard_open``).
5. **Publication** — ``CasePublishedAsTypical`` here; the periodic batches are ``domain/publication.py``.

The rules need facts of the cited hazards as of the command's business time (not as they stand when
it is recorded: a penalty entered a month late is judged by the hazard as it was on the decision's
day); the application service reads them (:class:`CitedHazardFacts`) and passes them in, so the
aggregate stays independent of the store.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.actor import Actor
from domain.aggregate_base import LedgerAggregate, stable_topics
from domain.errors import DomainError
from domain.glossary import CaseState, HazardSource, LicenceAction, PenaltyTarget
from domain.hazard import Hazard
from domain.hazard_timeline import HazardStatus
from domain.reference_data import LedgerRules
from domain.signatures import PersonalSignature, upcast_unsigned_v1_v2

E = TypeVar("E", PenaltyTarget, LicenceAction)
_NAMESPACE = uuid5(NAMESPACE_URL, "https://hazard-ledger.invalid/enforcement-case")


def case_id_for(case_number: str) -> UUID:
    """One stream per case number (案号): opening the same number twice collides in the store."""
    return uuid5(_NAMESPACE, case_number.strip())


def closure_recommended(open_days: int, prior_penalties: int, rules: LedgerRules) -> bool:
    """Plan rule 3 (重大事故隐患长期存在并多次受到处罚): open at least the configured days and penalised
    at least the configured number of times."""
    return open_days >= rules.repeat_offender_open_days and prior_penalties >= rules.repeat_offender_penalties


@dataclass(frozen=True)
class CitedHazardFacts:
    """What the enforcement rules need to know of one cited hazard, read when the command runs."""

    hazard_id: UUID
    major: bool
    open: bool
    self_report_exempt: bool
    rectification_lapsed: bool

    @classmethod
    def of(cls, hazard: Hazard, rules: LedgerRules, at: datetime) -> CitedHazardFacts:
        """The hazard as it stood at the command's business time ``at`` (acts recorded later but dated
        after ``at`` do not count; a missed deadline counts from the day after it)."""
        return cls.from_status(hazard.id, hazard.is_major, hazard.source, hazard.status_at(at), rules, at)

    @classmethod
    def from_status(
        cls, hazard_id: UUID, major: bool, source: HazardSource, then: HazardStatus, rules: LedgerRules, at: datetime
    ) -> CitedHazardFacts:
        """The same facts from the hazard's status as of ``at`` (the one fold: an aggregate's or a read
        model's steps)."""
        return cls(
            hazard_id=hazard_id,
            major=major,
            open=then.open,
            self_report_exempt=then.self_report_exempt(major, source, at, rules.report_to_regulator_hours),
            rectification_lapsed=then.lapsed,
        )


@dataclass(frozen=True)
class RuleBreach:
    """What rules 1 and 2 say against one penalty decision: the refusal it earns, and whether that rests
    on facts derived from the cited hazards' records (a lapse, an exemption: absences of acts, which an
    act entered later may fill) or on the case's own facts (it cites an accident)."""

    error: DomainError
    derived: bool


def penalty_breach(
    hazards: Sequence[CitedHazardFacts], *, dual: bool, dual_imposed: bool, cites_accident: bool
) -> RuleBreach | None:
    """Rules 1 and 2, in that order, on a penalty decision (``dual``: it is the 一案双罚 itself;
    ``dual_imposed``: the case already holds one)."""
    if not cites_accident and hazards and all(h.major and h.self_report_exempt for h in hazards):
        return RuleBreach(DomainError("penalty_exempt", hazard_ids=", ".join(str(h.hazard_id) for h in hazards)), True)
    if dual or dual_imposed:
        return None
    if cites_accident:
        return RuleBreach(
            DomainError("dual_penalty_required", reason="the case cites an accident", reason_zh="本案涉及生产安全事故"), False
        )
    lapsed = [h for h in hazards if h.major and h.open and h.rectification_lapsed]
    if not lapsed:
        return None
    ids = ", ".join(str(h.hazard_id) for h in lapsed)
    error = DomainError(
        "dual_penalty_required",
        reason=f"rectification was ineffective and the major hazard still exists ({ids})",
        reason_zh=f"排查整治不力导致重大事故隐患依然存在（{ids}）",
    )
    return RuleBreach(error, True)


@dataclass(frozen=True)
class PenaltyDecision:
    """A penalty decision of a case as the conflict check reads it (a read model's row, or the case's)."""

    decision_number: str
    occurred_at: datetime
    dual: bool


@dataclass(frozen=True)
class PenaltyConflict:
    """A recorded penalty decision that rules 1 or 2 would have refused, judged with everything known:
    accepted because it was entered after its day (a decision already taken is history the ledger must
    hold), listed so that the 区安委办 and the auditors see it (DESIGN.md, "Late facts")."""

    decision: PenaltyDecision
    error: DomainError


def penalty_conflicts(
    decisions: Sequence[PenaltyDecision],
    cites_accident: bool,
    facts_at: Callable[[datetime], Sequence[CitedHazardFacts]],
) -> list[PenaltyConflict]:
    """Each decision judged as the aggregate judges one recorded on its own day: the cited hazards as
    of the decision's business time, a dual penalty dated at or before it counting as imposed."""
    conflicts = []
    for d in sorted(decisions, key=lambda d: (d.occurred_at, d.decision_number)):
        dual_imposed = any(o.dual and o.occurred_at <= d.occurred_at for o in decisions if o is not d)
        breach = penalty_breach(facts_at(d.occurred_at), dual=d.dual, dual_imposed=dual_imposed, cites_accident=cites_accident)
        if breach is not None:
            conflicts.append(PenaltyConflict(d, breach.error))
    return conflicts


@dataclass(frozen=True)
class PenaltyRecord:
    """One penalty decision as the case holds it (state, not stored: the events are)."""

    decision_number: str
    dual: bool
    target: PenaltyTarget | None  # None for a dual penalty: enterprise and principal
    person_name: str
    fine_yuan: int
    principal_fine_yuan: int
    occurred_at: datetime

    @property
    def total_yuan(self) -> int:
        return self.fine_yuan + self.principal_fine_yuan

    @property
    def hits_enterprise(self) -> bool:
        return self.dual or self.target is PenaltyTarget.ENTERPRISE


@stable_topics
class EnforcementCase(LedgerAggregate):
    not_found_code = "case_not_found"

    @staticmethod
    def create_id(case_number: str, **_: object) -> UUID:  # type: ignore[override]
        return case_id_for(case_number)

    @event("CaseOpened")
    def __init__(
        self,
        actor: Actor,
        occurred_at: datetime,
        enterprise_id: UUID,
        department: str,
        cited_hazard_ids: list[UUID],
        accident_ids: list[UUID],
        legal_basis: str,
        case_number: str,
    ) -> None:
        self.enterprise_id = enterprise_id
        self.department = department
        self.cited_hazard_ids = list(cited_hazard_ids)
        self.accident_ids = list(accident_ids)
        self.legal_basis = legal_basis
        self.case_number = case_number
        self.opened_by = actor
        self.opened_at = occurred_at
        self.state = CaseState.OPEN
        self.penalties: list[PenaltyRecord] = []
        self.suspended = False
        self.suspensions_ordered = 0
        self.licence_actions: list[dict[str, str]] = []
        self.closure_requested = False
        self.closure_ordered = False
        self.industry_bans: list[dict[str, object]] = []
        self.persons_transferred: list[str] = []
        self.dangerous_operations_crime = False
        self.joint_punishments = 0
        self.interviews = 0
        self.exposures = 0
        self.typical_title: str | None = None
        self.typical_dangerous_operations_crime = False
        self.closure_recommendation: dict[str, object] | None = None
        self.close_reason: str | None = None
        self.open_hazards_reason = ""
        self.open_hazard_ids_at_close: list[UUID] = []
        self.closed_at: datetime | None = None

    # ----- factory -------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        *,
        actor: Actor,
        occurred_at: datetime,
        enterprise_id: UUID,
        department: str,
        cited_hazard_ids: Sequence[UUID],
        accident_ids: Sequence[UUID],
        legal_basis: str,
        case_number: str,
    ) -> EnforcementCase:
        _required("case_number", case_number)
        _required("legal_basis", legal_basis)
        _no_duplicates("cited_hazard_ids", list(cited_hazard_ids))
        _no_duplicates("accident_ids", list(accident_ids))
        return cls(
            actor=actor,
            occurred_at=occurred_at,
            enterprise_id=enterprise_id,
            department=department,
            cited_hazard_ids=list(cited_hazard_ids),
            accident_ids=list(accident_ids),
            legal_basis=legal_basis.strip(),
            case_number=case_number.strip(),
        )

    # ----- reading -----------------------------------------------------------------------------

    @property
    def is_closed(self) -> bool:
        return self.state is CaseState.CLOSED

    @property
    def has_dual_penalty(self) -> bool:
        return any(p.dual for p in self.penalties)

    @property
    def decisions(self) -> list[PenaltyDecision]:
        return [PenaltyDecision(p.decision_number, p.occurred_at, p.dual) for p in self.penalties]

    @property
    def total_fines_yuan(self) -> int:
        return sum(p.total_yuan for p in self.penalties)

    def enterprise_penalties_until(self, moment: datetime) -> int:
        """Penalty decisions against the enterprise (a dual penalty counts once) up to ``moment``:
        what rule 3 counts as "penalised"."""
        return sum(1 for p in self.penalties if p.hits_enterprise and p.occurred_at <= moment)

    # ----- guards ----------------------------------------------------------------------------

    def check_open(self, occurred_at: datetime) -> None:
        if self.is_closed:
            raise DomainError("case_closed")
        self.check_business_order(occurred_at)

    def _check_facts(self, hazards: Sequence[CitedHazardFacts]) -> None:
        """The service must pass the facts of exactly the cited hazards."""
        if sorted(str(h.hazard_id) for h in hazards) != sorted(str(h) for h in self.cited_hazard_ids):
            _invalid("hazards", "facts of exactly the cited hazards are needed", "须提供本案所涉全部隐患的情况")

    def _check_decision_number(self, decision_number: str) -> None:
        _required("decision_number", decision_number)
        if any(p.decision_number == decision_number.strip() for p in self.penalties):
            raise DomainError("duplicate_decision_number", decision_number=decision_number.strip())

    def _check_penalty_grounds(self, hazards: Sequence[CitedHazardFacts], dual: bool, back_dated: bool) -> None:
        """Rules 1 and 2. A decision entered after its day (``back_dated``) is refused only on the case's
        own facts: the cited hazards' lapse or exemption is derived from the acts entered so far, and a
        decision already taken is history (its conflict is listed instead: :func:`penalty_conflicts`)."""
        self._check_facts(hazards)
        breach = penalty_breach(hazards, dual=dual, dual_imposed=self.has_dual_penalty, cites_accident=bool(self.accident_ids))
        if breach is not None and not (back_dated and breach.derived):
            raise breach.error

    # ----- commands --------------------------------------------------------------------------

    def decide_penalty(
        self,
        actor: Actor,
        occurred_at: datetime,
        hazards: Sequence[CitedHazardFacts],
        target: PenaltyTarget | str,
        fine_yuan: int,
        decision_number: str,
        legal_basis: str,
        person_name: str = "",
        other_measures: str = "",
        signature: PersonalSignature | None = None,
        back_dated: bool = False,
    ) -> None:
        self.check_open(occurred_at)
        target = _term(PenaltyTarget, target, "target")
        _fine("fine_yuan", fine_yuan)
        if target is PenaltyTarget.PERSON:
            _required("person_name", person_name)
        elif person_name.strip():
            _invalid("person_name", "a penalty on the enterprise names no person", "对单位的处罚不填写个人姓名")
        self._check_decision_number(decision_number)
        _required("legal_basis", legal_basis)
        self._check_penalty_grounds(hazards, dual=False, back_dated=back_dated)
        self._penalty_decided(
            actor=actor,
            occurred_at=occurred_at,
            target=target.value,
            person_name=person_name.strip(),
            fine_yuan=fine_yuan,
            decision_number=decision_number.strip(),
            legal_basis=legal_basis.strip(),
            other_measures=other_measures.strip(),
            signature=signature,
        )

    def impose_dual_penalty(
        self,
        actor: Actor,
        occurred_at: datetime,
        hazards: Sequence[CitedHazardFacts],
        enterprise_fine_yuan: int,
        principal_name: str,
        principal_fine_yuan: int,
        decision_number: str,
        legal_basis: str,
        signature: PersonalSignature | None = None,
        back_dated: bool = False,
    ) -> None:
        self.check_open(occurred_at)
        _fine("enterprise_fine_yuan", enterprise_fine_yuan)
        _fine("principal_fine_yuan", principal_fine_yuan)
        _required("principal_name", principal_name)
        self._check_decision_number(decision_number)
        _required("legal_basis", legal_basis)
        self._check_penalty_grounds(hazards, dual=True, back_dated=back_dated)
        self._dual_penalty_imposed(
            actor=actor,
            occurred_at=occurred_at,
            enterprise_fine_yuan=enterprise_fine_yuan,
            principal_name=principal_name.strip(),
            principal_fine_yuan=principal_fine_yuan,
            decision_number=decision_number.strip(),
            legal_basis=legal_basis.strip(),
            signature=signature,
        )

    def order_suspension(self, actor: Actor, occurred_at: datetime, decision_number: str, reason: str) -> None:
        self.check_open(occurred_at)
        if self.suspended:
            raise DomainError("already_suspended")
        _required("decision_number", decision_number)
        _required("reason", reason)
        self._suspension_ordered(
            actor=actor, occurred_at=occurred_at, decision_number=decision_number.strip(), reason=reason.strip()
        )

    def lift_suspension(self, actor: Actor, occurred_at: datetime, hazards: Sequence[CitedHazardFacts], opinion: str) -> None:
        self.check_open(occurred_at)
        if not self.suspended:
            raise DomainError("no_suspension")
        self._check_facts(hazards)
        unverified = [h for h in hazards if h.major and h.open]
        if unverified:
            raise DomainError("cited_majors_unverified", hazard_ids=", ".join(str(h.hazard_id) for h in unverified))
        _required("opinion", opinion)
        self._suspension_lifted(actor=actor, occurred_at=occurred_at, opinion=opinion.strip())

    def suspend_or_revoke_licence(
        self,
        actor: Actor,
        occurred_at: datetime,
        action: LicenceAction | str,
        licence_name: str,
        licence_number: str,
        decision_number: str,
    ) -> None:
        self.check_open(occurred_at)
        action = _term(LicenceAction, action, "action")
        _required("licence_name", licence_name)
        _required("licence_number", licence_number)
        _required("decision_number", decision_number)
        revoked = {a["licence_number"] for a in self.licence_actions if a["action"] == LicenceAction.REVOKE.value}
        if licence_number.strip() in revoked:
            raise DomainError("licence_revoked", licence_number=licence_number.strip())
        self._licence_acted_on(
            actor=actor,
            occurred_at=occurred_at,
            action=action.value,
            licence_name=licence_name.strip(),
            licence_number=licence_number.strip(),
            decision_number=decision_number.strip(),
        )

    def request_closure(self, actor: Actor, occurred_at: datetime, government: str, reason: str) -> None:
        self.check_open(occurred_at)
        if self.closure_requested:
            raise DomainError("closure_already_requested")
        _required("government", government)
        _required("reason", reason)
        self._closure_requested(actor=actor, occurred_at=occurred_at, government=government.strip(), reason=reason.strip())

    def order_closure(self, actor: Actor, occurred_at: datetime, government: str, decision_number: str) -> None:
        self.check_open(occurred_at)
        if not self.closure_requested:
            raise DomainError("closure_not_requested")
        if self.closure_ordered:
            raise DomainError("closure_already_ordered")
        _required("government", government)
        _required("decision_number", decision_number)
        self._closure_ordered(
            actor=actor, occurred_at=occurred_at, government=government.strip(), decision_number=decision_number.strip()
        )

    def apply_industry_ban(self, actor: Actor, occurred_at: datetime, person_name: str, years: int | None) -> None:
        """``years`` None is a lifelong ban (终身不得担任本行业生产经营单位的主要负责人, Safety Law art. 94)."""
        self.check_open(occurred_at)
        if not self.closure_ordered:
            raise DomainError("closure_not_ordered")
        _required("person_name", person_name)
        if years is not None and (isinstance(years, bool) or not isinstance(years, int) or years <= 0):
            _invalid("years", "a whole number of years above 0, or none for a lifelong ban", "须为正整数年，终身禁入不填")
        self._industry_ban_applied(actor=actor, occurred_at=occurred_at, person_name=person_name.strip(), years=years)

    def transfer_to_judiciary(
        self,
        actor: Actor,
        occurred_at: datetime,
        persons: Sequence[str],
        suspected_offence: str,
        dangerous_operations_crime: bool,
    ) -> None:
        self.check_open(occurred_at)
        names = [p.strip() for p in persons]
        if not names or not all(names):
            _invalid("persons", "name at least one person, none blank", "须列明至少一名移送人员，姓名不能为空")
        _no_duplicates("persons", names)
        _required("suspected_offence", suspected_offence)
        self._transferred(
            actor=actor,
            occurred_at=occurred_at,
            persons=names,
            suspected_offence=suspected_offence.strip(),
            dangerous_operations_crime=bool(dangerous_operations_crime),
        )

    def apply_joint_punishment(self, actor: Actor, occurred_at: datetime, measures: Sequence[str]) -> None:
        self.check_open(occurred_at)
        items = [m.strip() for m in measures]
        if not items or not all(items):
            _invalid("measures", "name at least one measure, none blank", "须列明至少一项惩戒措施")
        self._joint_punishment_applied(actor=actor, occurred_at=occurred_at, measures=items)

    def interview_enterprise(self, actor: Actor, occurred_at: datetime, interviewer: str, note: str) -> None:
        self.check_open(occurred_at)
        _required("interviewer", interviewer)
        self._interviewed(actor=actor, occurred_at=occurred_at, interviewer=interviewer.strip(), note=note.strip())

    # Publishing a case (曝光, 典型案例) is what happens to decided cases: allowed after closing too.
    def expose(self, actor: Actor, occurred_at: datetime, channel: str, title: str) -> None:
        self.check_business_order(occurred_at)
        _required("channel", channel)
        _required("title", title)
        self._exposed(actor=actor, occurred_at=occurred_at, channel=channel.strip(), title=title.strip())

    def publish_as_typical(self, actor: Actor, occurred_at: datetime, title: str, dangerous_operations_crime: bool) -> None:
        self.check_business_order(occurred_at)
        if self.typical_title is not None:
            raise DomainError("already_published")
        _required("title", title)
        self._published_as_typical(
            actor=actor,
            occurred_at=occurred_at,
            title=title.strip(),
            dangerous_operations_crime=bool(dangerous_operations_crime),
        )

    def recommend_closure(
        self,
        actor: Actor,
        occurred_at: datetime,
        hazard: CitedHazardFacts,
        open_days: int,
        prior_penalties: int,
        counted_case_ids: Sequence[UUID],
        rules: LedgerRules,
    ) -> None:
        self.check_open(occurred_at)
        if hazard.hazard_id not in self.cited_hazard_ids:
            _invalid("hazard_id", "the case does not cite this hazard", "本案未涉及该隐患")
        if self.closure_recommendation is not None:
            raise DomainError("already_recommended")
        if not hazard.major:
            reason, reason_zh = "not a major hazard", "不是重大事故隐患"
        elif not hazard.open:
            reason, reason_zh = "the hazard is no longer open", "隐患已整改或作废"
        elif not closure_recommended(open_days, prior_penalties, rules):
            reason = (
                f"open {open_days} days (threshold {rules.repeat_offender_open_days}), "
                f"penalised {prior_penalties} times (threshold {rules.repeat_offender_penalties})"
            )
            reason_zh = (
                f"已存在 {open_days} 天（条件 ≥{rules.repeat_offender_open_days} 天），"
                f"已处罚 {prior_penalties} 次（条件 ≥{rules.repeat_offender_penalties} 次）"
            )
        else:
            reason = reason_zh = ""
        if reason:
            raise DomainError("not_repeat_offender", hazard_id=str(hazard.hazard_id), reason=reason, reason_zh=reason_zh)
        self._closure_recommended(
            actor=actor,
            occurred_at=occurred_at,
            hazard_id=hazard.hazard_id,
            open_days=open_days,
            prior_penalties=prior_penalties,
            counted_case_ids=list(counted_case_ids),
        )

    def close(
        self,
        actor: Actor,
        occurred_at: datetime,
        hazards: Sequence[CitedHazardFacts],
        reason: str,
        open_hazards_reason: str = "",
    ) -> None:
        self.check_open(occurred_at)
        _required("reason", reason)
        if self.suspended and not self.closure_ordered:
            raise DomainError("suspension_in_force")
        self._check_facts(hazards)
        still_open = [h.hazard_id for h in hazards if h.open]
        if still_open and not open_hazards_reason.strip():
            raise DomainError("cited_hazard_open", count=len(still_open), hazard_ids=", ".join(map(str, still_open)))
        self._closed(
            actor=actor,
            occurred_at=occurred_at,
            reason=reason.strip(),
            open_hazards_reason=open_hazards_reason.strip(),
            open_hazard_ids=still_open,
        )

    # ----- events (state assignment only) ----------------------------------------------------

    # Signed acts (class_version 2): the decider's personal signature; a v1 event (stored before
    # signatures) comes back with ``signature=None``.
    class PenaltyDecided(LedgerAggregate.Event):
        class_version = 2
        target: str
        person_name: str
        fine_yuan: int
        decision_number: str
        legal_basis: str
        other_measures: str
        signature: PersonalSignature | None
        upcast_v1_v2 = staticmethod(upcast_unsigned_v1_v2)

    class DualPenaltyImposed(LedgerAggregate.Event):
        class_version = 2
        enterprise_fine_yuan: int
        principal_name: str
        principal_fine_yuan: int
        decision_number: str
        legal_basis: str
        signature: PersonalSignature | None
        upcast_v1_v2 = staticmethod(upcast_unsigned_v1_v2)

    @event(PenaltyDecided)
    def _penalty_decided(
        self,
        actor: Actor,
        occurred_at: datetime,
        target: str,
        person_name: str,
        fine_yuan: int,
        decision_number: str,
        legal_basis: str,
        other_measures: str,
        signature: PersonalSignature | None,
    ) -> None:
        self.penalties.append(
            PenaltyRecord(decision_number, False, PenaltyTarget(target), person_name, fine_yuan, 0, occurred_at)
        )

    @event(DualPenaltyImposed)
    def _dual_penalty_imposed(
        self,
        actor: Actor,
        occurred_at: datetime,
        enterprise_fine_yuan: int,
        principal_name: str,
        principal_fine_yuan: int,
        decision_number: str,
        legal_basis: str,
        signature: PersonalSignature | None,
    ) -> None:
        self.penalties.append(
            PenaltyRecord(decision_number, True, None, principal_name, enterprise_fine_yuan, principal_fine_yuan, occurred_at)
        )

    @event("SuspensionOrdered")
    def _suspension_ordered(self, actor: Actor, occurred_at: datetime, decision_number: str, reason: str) -> None:
        self.suspended = True
        self.suspensions_ordered += 1

    @event("SuspensionLifted")
    def _suspension_lifted(self, actor: Actor, occurred_at: datetime, opinion: str) -> None:
        self.suspended = False

    @event("LicenceSuspendedOrRevoked")
    def _licence_acted_on(
        self,
        actor: Actor,
        occurred_at: datetime,
        action: str,
        licence_name: str,
        licence_number: str,
        decision_number: str,
    ) -> None:
        self.licence_actions.append(
            {"action": action, "licence_name": licence_name, "licence_number": licence_number, "decision_number": decision_number}
        )

    @event("ClosureRequested")
    def _closure_requested(self, actor: Actor, occurred_at: datetime, government: str, reason: str) -> None:
        self.closure_requested = True

    @event("ClosureOrdered")
    def _closure_ordered(self, actor: Actor, occurred_at: datetime, government: str, decision_number: str) -> None:
        self.closure_ordered = True

    @event("IndustryBanApplied")
    def _industry_ban_applied(self, actor: Actor, occurred_at: datetime, person_name: str, years: int | None) -> None:
        self.industry_bans.append({"person_name": person_name, "years": years})

    @event("TransferredToJudiciary")
    def _transferred(
        self,
        actor: Actor,
        occurred_at: datetime,
        persons: list[str],
        suspected_offence: str,
        dangerous_operations_crime: bool,
    ) -> None:
        self.persons_transferred.extend(persons)
        self.dangerous_operations_crime = self.dangerous_operations_crime or dangerous_operations_crime

    @event("JointPunishmentApplied")
    def _joint_punishment_applied(self, actor: Actor, occurred_at: datetime, measures: list[str]) -> None:
        self.joint_punishments += 1

    @event("EnterpriseInterviewed")
    def _interviewed(self, actor: Actor, occurred_at: datetime, interviewer: str, note: str) -> None:
        self.interviews += 1

    @event("CaseExposed")
    def _exposed(self, actor: Actor, occurred_at: datetime, channel: str, title: str) -> None:
        self.exposures += 1

    @event("CasePublishedAsTypical")
    def _published_as_typical(self, actor: Actor, occurred_at: datetime, title: str, dangerous_operations_crime: bool) -> None:
        self.typical_title = title
        self.typical_dangerous_operations_crime = dangerous_operations_crime

    @event("ClosureRecommended")
    def _closure_recommended(
        self,
        actor: Actor,
        occurred_at: datetime,
        hazard_id: UUID,
        open_days: int,
        prior_penalties: int,
        counted_case_ids: list[UUID],
    ) -> None:
        self.closure_recommendation = {
            "hazard_id": hazard_id,
            "open_days": open_days,
            "prior_penalties": prior_penalties,
            "counted_case_ids": list(counted_case_ids),
        }

    @event("CaseClosed")
    def _closed(
        self,
        actor: Actor,
        occurred_at: datetime,
        reason: str,
        open_hazards_reason: str,
        open_hazard_ids: list[UUID],
    ) -> None:
        self.state = CaseState.CLOSED
        self.close_reason = reason
        self.open_hazards_reason = open_hazards_reason
        self.open_hazard_ids_at_close = list(open_hazard_ids)
        self.closed_at = occurred_at


def _term(vocabulary: type[E], value: object, field: str) -> E:
    try:
        return vocabulary(value)
    except ValueError:
        allowed = ", ".join(m.value for m in vocabulary)
        raise DomainError(
            "invalid_value",
            field=field,
            reason=f"{value!r} is not one of {allowed}",
            reason_zh=f"{value} 不是有效取值（{allowed}）",
        ) from None


def _fine(field: str, value: object) -> None:
    """Fines are whole yuan: an int, never a float or a bool, and never negative (0: warning only)."""
    if isinstance(value, bool) or not isinstance(value, int):
        _invalid(field, "a whole number of yuan", "罚款金额须为整数元")
    elif value < 0:
        _invalid(field, "negative", "不能为负数")


def _required(field: str, value: str) -> None:
    if not value.strip():
        _invalid(field, "required", "必填")


def _no_duplicates(field: str, values: list[object]) -> None:
    if len(set(values)) != len(values):
        _invalid(field, "listed twice", "重复")


def _invalid(field: str, reason: str, reason_zh: str) -> None:
    raise DomainError("invalid_value", field=field, reason=reason, reason_zh=reason_zh)
