"""A stateful property test of the Hazard lifecycle (DESIGN §3.1).

Hypothesis issues random commands — with random actors, on a few major and general hazards, while a
fixed clock moves forward — against the application service and against a small model of what
the rules should do. Each command's outcome (the event appended, or the exact refusal code) must
match the model, and after every step:

* the aggregate's state, listing, deadline and event history equal the model's;
* the derived facts (``Hazard.status_at`` and the view: overdue, the missed deadlines with their
  times, lapsed) equal the model's own derivation: a deadline is missed at the first instant of the
  day after it while rectifying under it (or at a failed verification after it), at most once; a 区安委办
  clerk's statement about a deadline decides for it;
* the state is a valid ``HazardState``;
* a closed hazard passed a verification before and is not listed;
* a listed hazard is major;
* a refused command changed nothing (checked inside each step).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

import hypothesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from domain.actor import Actor
from domain.business_time import CHINA_TZ, FixedClock
from domain.glossary import Assessor, Grade, HazardSource, HazardState
from domain.reference_data import LedgerRules
from domain.values import RectificationPlan

from .support import (
    AUDITOR,
    EXPERT,
    INSPECTOR,
    INSPECTOR_2,
    OFFICE,
    OTHER_DEPARTMENT,
    START,
    SYSTEM,
    World,
    complete_plan,
    listing,
    new_world,
)

S = HazardState
EVIDENCE_LIMIT = 64

# The model's own tables (from DESIGN §1 and §3.1), not imported from the code under test.
ENTERPRISE = {"principal", "staff"}
REGULATORS = {"inspector", "inspector2", "office", "outsider"}
MAY = {
    "report_to_regulator": ENTERPRISE | {"office"},
    "file_plan": ENTERPRISE | REGULATORS,
    "record_progress": ENTERPRISE | REGULATORS,
    "attach_evidence": ENTERPRISE | REGULATORS | {"expert"},
    "list_for_supervision": REGULATORS,
    "lift_supervision": REGULATORS,
    "extend_deadline": REGULATORS,
    "record_deadline_miss": {"office"},  # a clerk's statement; the system derives, never records
    "complete_rectification": ENTERPRISE,
    "verify": REGULATORS | {"expert"},  # never the enterprise whose work is verified
    "close": REGULATORS | {"principal"},
    "void": REGULATORS,
}
FROM = {
    "report_to_regulator": {S.REPORTED, S.RECTIFYING, S.PENDING_VERIFICATION},
    "file_plan": {S.REPORTED},
    "record_progress": {S.RECTIFYING},
    "attach_evidence": {S.REPORTED, S.RECTIFYING, S.PENDING_VERIFICATION, S.VERIFIED},
    "list_for_supervision": {S.REPORTED, S.RECTIFYING, S.PENDING_VERIFICATION},
    "lift_supervision": {S.VERIFIED},
    "extend_deadline": {S.RECTIFYING},
    "record_deadline_miss": {S.RECTIFYING, S.PENDING_VERIFICATION, S.VERIFIED, S.CLOSED},
    "complete_rectification": {S.RECTIFYING},
    "verify": {S.PENDING_VERIFICATION},
    "close": {S.VERIFIED},
    "void": {S.REPORTED, S.RECTIFYING, S.PENDING_VERIFICATION},
}
MAJOR_VERIFIERS = {"inspector", "inspector2", "expert"}
FIVE = ("responsible_person", "measures", "funds_yuan", "deadline", "contingency_plan")
GENERAL_NEEDS = ("responsible_person", "measures", "deadline")
BLANK = {"responsible_person": " ", "measures": "", "funds_yuan": None, "deadline": None, "contingency_plan": ""}

actors_any = st.sampled_from(
    ["principal", "staff", "inspector", "inspector2", "expert", "system", "office", "outsider", "auditor"]
)


def actors(*rightful: str) -> st.SearchStrategy[str]:
    """Half the time someone entitled to the action, half the time anyone at all."""
    return st.one_of(st.sampled_from(rightful), actors_any)


offsets = st.integers(min_value=-1, max_value=12)
# Biased towards the first hazard (a major) so that its lifecycle goes deep.
hazard_index = st.one_of(st.just(0), st.integers(min_value=0, max_value=7))


def missed_from(deadline: date) -> datetime:
    """The model's own "first instant of the day after", Beijing time."""
    return datetime.combine(deadline + timedelta(days=1), time.min, CHINA_TZ)


class Refused(Exception):
    """The model's verdict: the command must be refused with this code."""

    def __init__(self, code: str) -> None:
        self.code = code


@dataclass
class Model:
    grade: Grade
    events: list[str] = field(default_factory=lambda: ["HazardReported"])
    state: HazardState = S.REPORTED
    listed: bool = False
    deadline: date | None = None
    deadlines: list[date] = field(default_factory=list)  # every deadline it had: plans, extensions
    rectifying_since: datetime | None = None
    derived: dict[date, datetime] = field(default_factory=dict)  # misses from the acts' times alone
    stated: dict[date, bool] = field(default_factory=dict)  # the latest clerk's statement per deadline
    reported_to_regulator: bool = False
    claimer: str | None = None
    passed_verification: bool = False

    @property
    def major(self) -> bool:
        return self.grade is Grade.MAJOR

    def settle(self, now: datetime) -> None:
        """The deadline in force is missed by ``now`` if the hazard is still rectifying under it then."""
        if self.state is not S.RECTIFYING or self.deadline is None or self.deadline in self.derived:
            return
        assert self.rectifying_since is not None
        missed_at = max(missed_from(self.deadline), self.rectifying_since)
        if missed_at <= now:
            self.derived[self.deadline] = missed_at

    def misses(self, now: datetime) -> list[tuple[date, datetime, bool]]:
        """(deadline, missed at, stated by a clerk) as of ``now``: derived unless a clerk stated about
        that deadline; stated missed from the first instant after it."""
        self.settle(now)
        found = {d: (d, t, False) for d, t in self.derived.items() if d not in self.stated}
        for d, missed in self.stated.items():
            if missed and missed_from(d) <= now:
                found[d] = (d, missed_from(d), True)
        return sorted(found.values(), key=lambda m: (m[1], m[0]))

    def overdue(self, now: datetime) -> bool:
        return self.state is S.RECTIFYING and any(d == self.deadline for d, _, _ in self.misses(now))


class HazardLifecycle(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.clock = FixedClock(START)
        self.world: World = new_world(self.clock, rules=LedgerRules(evidence_max_bytes=EVIDENCE_LIMIT))
        self.models: dict[UUID, Model] = {}
        self.order: list[UUID] = []
        w = self.world
        self.actors: dict[str, Actor] = {
            "principal": w.principal,
            "staff": w.staff,
            "inspector": INSPECTOR,
            "inspector2": INSPECTOR_2,
            "expert": EXPERT,
            "system": SYSTEM,
            "office": OFFICE,
            "outsider": OTHER_DEPARTMENT,
            "auditor": AUDITOR,
        }

    # ----- helpers ---------------------------------------------------------------------------

    def pick(self, index: int) -> tuple[UUID, Model]:
        hazard_id = self.order[index % len(self.order)]
        return hazard_id, self.models[hazard_id]

    def today(self) -> date:
        return self.world.today()

    def gate(self, action: str, who: str, m: Model) -> None:
        """Role, scope and state checks common to every hazard command, in the order the rules apply."""
        if who not in MAY[action]:
            raise Refused("role_not_allowed")
        if who == "outsider":
            raise Refused("outside_scope")
        if action == "lift_supervision" and not m.listed and m.state not in (S.CLOSED, S.VOIDED):
            raise Refused("hazard_not_listed")
        if m.state is S.CLOSED and S.CLOSED not in FROM[action]:
            raise Refused("hazard_closed")
        if m.state is S.VOIDED:
            raise Refused("hazard_voided")
        if m.state not in FROM[action]:
            raise Refused("hazard_not_verified" if action in ("close", "lift_supervision") else "invalid_transition")

    def run(self, hazard_id: UUID, m: Model, expect: Any, command: Any, event: str | None) -> bool:
        """Applies the model's verdict: ``expect`` raises Refused or returns; the command must agree."""
        try:
            expect()
        except Refused as verdict:
            self.world.refuse(hazard_id, verdict.code, command)
            hypothesis.event(f"refused: {verdict.code}")
            return False
        m.settle(self.clock.now())  # what passed before this act, as the fold sees it
        before = self.world.count(hazard_id)
        receipt = command()
        history = self.world.types(hazard_id)
        assert len(history) == before + 1
        assert history[-1] == event
        assert receipt.version == before + 1
        m.events.append(event)  # type: ignore[arg-type]
        hypothesis.event(f"appended: {event}")
        return True

    # ----- rules -------------------------------------------------------------------------------

    @initialize()
    def report_a_major_and_a_general_hazard(self) -> None:
        for grade in (Grade.MAJOR, Grade.GENERAL):
            hazard_id = self.world.report(grade)
            self.models[hazard_id] = Model(grade)
            self.order.append(hazard_id)

    @precondition(lambda self: len(self.order) < 4)
    @rule(grade=st.sampled_from(Grade), by_regulator=st.booleans())
    def report_another_hazard(self, grade: Grade, by_regulator: bool) -> None:
        if by_regulator:
            hazard_id = self.world.report(grade, by=INSPECTOR, source=HazardSource.TIP_OFF)
        else:
            hazard_id = self.world.report(grade)
        assert self.world.types(hazard_id) == ["HazardReported"]
        self.models[hazard_id] = Model(grade)
        self.order.append(hazard_id)

    @rule(days=st.integers(min_value=0, max_value=6), hours=st.integers(min_value=0, max_value=23))
    def time_passes(self, days: int, hours: int) -> None:
        self.clock.advance(days=days, hours=hours)

    @rule(h=hazard_index, who=actors("principal", "staff", "office"))
    def report_to_regulator(self, h: int, who: str) -> None:
        hazard_id, m = self.pick(h)

        def expect() -> None:
            self.gate("report_to_regulator", who, m)
            if not m.major:
                raise Refused("not_major")
            if m.reported_to_regulator:
                raise Refused("already_reported")

        if self.run(
            hazard_id,
            m,
            expect,
            lambda: self.world.app.hazards.report_to_regulator(self.actors[who], hazard_id),
            "HazardReportedToRegulator",
        ):
            m.reported_to_regulator = True

    @rule(
        h=hazard_index,
        who=actors("principal", "staff", "inspector", "office"),
        blank=st.one_of(st.none(), st.sampled_from(FIVE)),
        immediate=st.booleans(),
        offset=offsets,
    )
    def file_plan(self, h: int, who: str, blank: str | None, immediate: bool, offset: int) -> None:
        hazard_id, m = self.pick(h)
        deadline = self.world.days(offset)
        if immediate and not m.major:
            # 立即整改: a person and measures; the deadline, when not given, is the day itself.
            values: dict[str, Any] = {
                "responsible_person": "刘",
                "measures": "当场整改",
                "immediate": True,
                "deadline": deadline if offset % 2 == 0 else None,
            }
            if blank in ("responsible_person", "measures"):
                values[blank] = BLANK[blank]
            plan = RectificationPlan(**values)
            missing = [blank] if blank in ("responsible_person", "measures") else []
        else:
            plan = complete_plan(deadline)
            if blank is not None:
                plan = replace(plan, **{blank: BLANK[blank]})
            needed = FIVE if m.major else GENERAL_NEEDS
            missing = [blank] if blank in needed else []
        due = plan.deadline or (self.today() if plan.immediate else None)

        def expect() -> None:
            self.gate("file_plan", who, m)
            if missing:
                raise Refused("plan_incomplete")
            if due is not None and due < self.today():
                raise Refused("deadline_in_past")

        if self.run(
            hazard_id, m, expect, lambda: self.world.app.hazards.file_plan(self.actors[who], hazard_id, plan), "RectificationPlanFiled"
        ):
            m.state, m.deadline, m.rectifying_since = S.RECTIFYING, due, self.clock.now()
            if due is not None:
                m.deadlines.append(due)

    @rule(h=hazard_index, who=actors("principal", "staff", "inspector"), percent=st.integers(min_value=0, max_value=100))
    def record_progress(self, h: int, who: str, percent: int) -> None:
        hazard_id, m = self.pick(h)
        self.run(
            hazard_id,
            m,
            lambda: self.gate("record_progress", who, m),
            lambda: self.world.app.hazards.record_progress(self.actors[who], hazard_id, note="进展", percent=percent),
            "ProgressRecorded",
        )

    @rule(
        h=hazard_index,
        who=actors("principal", "staff", "inspector", "expert"),
        size=st.integers(min_value=0, max_value=EVIDENCE_LIMIT + 4),
        honest=st.booleans(),
    )
    def attach_evidence(self, h: int, who: str, size: int, honest: bool) -> None:
        hazard_id, m = self.pick(h)
        content = bytes([size % 256]) * size
        digest = hashlib.sha256(content if honest else content + b"!").hexdigest()

        def expect() -> None:
            # The bytes are checked before anything else: who, where, the record's state.
            if size > EVIDENCE_LIMIT:
                raise Refused("evidence_too_large")
            if not honest:
                raise Refused("evidence_digest_mismatch")
            self.gate("attach_evidence", who, m)

        if self.run(
            hazard_id,
            m,
            expect,
            lambda: self.world.app.hazards.attach_evidence(
                self.actors[who],
                hazard_id,
                file_name="证据.bin",
                media_type="application/octet-stream",
                content=content,
                sha256=digest,
            ),
            "EvidenceAttached",
        ):
            assert self.world.app.hazards.evidence_content(hazard_id, digest) == ("application/octet-stream", content)

    @rule(h=hazard_index, who=actors("inspector", "office"), offset=offsets)
    def list_for_supervision(self, h: int, who: str, offset: int) -> None:
        hazard_id, m = self.pick(h)

        def expect() -> None:
            self.gate("list_for_supervision", who, m)
            if not m.major:
                raise Refused("not_major")
            if m.listed:
                raise Refused("hazard_already_listed")
            if offset < 0:
                raise Refused("deadline_in_past")

        if self.run(
            hazard_id,
            m,
            expect,
            lambda: self.world.app.hazards.list_for_supervision(self.actors[who], hazard_id, listing(self.world.days(offset))),
            "ListedForSupervision",
        ):
            m.listed = True

    @rule(h=hazard_index, who=actors("inspector", "office"))
    def lift_supervision(self, h: int, who: str) -> None:
        hazard_id, m = self.pick(h)
        if self.run(
            hazard_id,
            m,
            lambda: self.gate("lift_supervision", who, m),
            lambda: self.world.app.hazards.lift_supervision(self.actors[who], hazard_id, reason="验收合格", approver="王安委"),
            "SupervisionLifted",
        ):
            m.listed = False

    @rule(h=hazard_index, who=actors("inspector", "office"), offset=offsets)
    def extend_deadline(self, h: int, who: str, offset: int) -> None:
        hazard_id, m = self.pick(h)

        def expect() -> None:
            self.gate("extend_deadline", who, m)
            if offset < 0:
                raise Refused("deadline_in_past")

        if self.run(
            hazard_id,
            m,
            expect,
            lambda: self.world.app.hazards.extend_deadline(
                self.actors[who],
                hazard_id,
                request_date=self.today(),
                reason="供货延迟",
                new_deadline=self.world.days(offset),
                approver="李局长",
            ),
            "DeadlineExtended",
        ):
            m.deadline = self.world.days(offset)
            m.deadlines.append(m.deadline)

    @rule(
        h=hazard_index,
        who=actors("office"),
        which=st.integers(min_value=-1, max_value=3),
        missed=st.booleans(),
        reason=st.sampled_from(["纸质台账核实", "纸质台账核实", " "]),
    )
    def record_deadline_miss(self, h: int, who: str, which: int, missed: bool, reason: str) -> None:
        hazard_id, m = self.pick(h)
        # one of its deadlines (the latest, or an earlier one), or a date that never was one
        deadline = m.deadlines[-1 - which] if 0 <= which < len(m.deadlines) else date(2000, 1, 1)

        def expect() -> None:
            self.gate("record_deadline_miss", who, m)
            if deadline not in m.deadlines:
                raise Refused("invalid_value")
            if self.today() <= deadline:
                raise Refused("deadline_not_passed")
            if not reason.strip():
                raise Refused("invalid_value")

        if self.run(
            hazard_id,
            m,
            expect,
            lambda: self.world.app.hazards.record_deadline_miss(
                self.actors[who], hazard_id, deadline=deadline, missed=missed, reason=reason
            ),
            "DeadlineMissRecorded",
        ):
            m.stated[deadline] = missed

    @rule(h=hazard_index, who=actors("principal", "staff"))
    def complete_rectification(self, h: int, who: str) -> None:
        hazard_id, m = self.pick(h)
        if self.run(
            hazard_id,
            m,
            lambda: self.gate("complete_rectification", who, m),
            lambda: self.world.app.hazards.complete_rectification(self.actors[who], hazard_id, note="已完成"),
            "RectificationCompleted",
        ):
            m.state, m.claimer = S.PENDING_VERIFICATION, self.actors[who].user_id

    @rule(h=hazard_index, who=actors("principal", "staff", "inspector", "inspector2", "expert"), passed=st.booleans())
    def verify(self, h: int, who: str, passed: bool) -> None:
        hazard_id, m = self.pick(h)
        actor = self.actors[who]

        def expect() -> None:
            self.gate("verify", who, m)
            if actor.user_id == m.claimer:
                raise Refused("verifier_is_claimer")
            if m.major and who not in MAJOR_VERIFIERS:
                raise Refused("role_not_allowed")

        event = "VerificationPassed" if passed else "VerificationFailed"
        if self.run(
            hazard_id,
            m,
            expect,
            lambda: self.world.app.hazards.verify(actor, hazard_id, passed=passed, opinion="意见", assessed_by=[Assessor.GOVERNMENT]),
            event,
        ):
            if passed:
                m.state, m.passed_verification = S.VERIFIED, True
            else:
                m.state, m.claimer, m.rectifying_since = S.RECTIFYING, None, self.clock.now()

    @rule(h=hazard_index, who=actors("inspector", "principal", "office"))
    def close(self, h: int, who: str) -> None:
        hazard_id, m = self.pick(h)

        def expect() -> None:
            self.gate("close", who, m)
            if m.major and who in ENTERPRISE:
                raise Refused("role_not_allowed")  # only regulators close a major
            if m.listed:
                raise Refused("hazard_listed")

        if self.run(
            hazard_id, m, expect, lambda: self.world.app.hazards.close_hazard(self.actors[who], hazard_id, note="销号"), "HazardClosed"
        ):
            m.state = S.CLOSED

    @rule(h=hazard_index, who=actors("inspector", "office"), with_reason=st.integers(min_value=0, max_value=5))
    def void(self, h: int, who: str, with_reason: int) -> None:
        # Five voids in six come without a reason (refused), so records are not all voided early.
        hazard_id, m = self.pick(h)
        reason = "误报" if with_reason == 0 else " "

        def expect() -> None:
            self.gate("void", who, m)
            if not reason.strip():
                raise Refused("invalid_value")

        if self.run(
            hazard_id, m, expect, lambda: self.world.app.hazards.void_hazard(self.actors[who], hazard_id, reason=reason), "HazardVoided"
        ):
            m.state = S.VOIDED

    # Rules are drawn uniformly; three names for the natural step give it the weight it needs.
    @rule(h=hazard_index, variant=st.integers(min_value=0, max_value=3))
    def a_natural_next_step(self, h: int, variant: int) -> None:
        self.natural_step(h, variant)

    @rule(h=hazard_index, variant=st.integers(min_value=0, max_value=3))
    def another_natural_next_step(self, h: int, variant: int) -> None:
        self.natural_step(h, variant)

    @rule(h=hazard_index, variant=st.integers(min_value=0, max_value=3))
    def a_third_natural_next_step(self, h: int, variant: int) -> None:
        self.natural_step(h, variant)

    def natural_step(self, h: int, variant: int) -> None:
        """A step along the normal path, taken by the person who would take it: keeps random runs going
        deep into the lifecycle. Every step still goes through the model's verdict like any other."""
        hazard_id, m = self.pick(h)
        index = self.order.index(hazard_id)
        if m.state is S.REPORTED:
            if variant == 0 and m.major and not m.listed:
                self.list_for_supervision(index, "inspector", 20)
            else:
                self.file_plan(index, "principal", None, False, 2 * variant)
        elif m.state is S.RECTIFYING:
            if variant == 0:
                self.clock.advance(days=7)
            elif variant == 1 and m.overdue(self.clock.now()):
                self.extend_deadline(index, "inspector", 3)
            elif variant == 3 and m.deadline is not None and self.today() > m.deadline and not m.stated:
                self.record_deadline_miss(index, "office", 0, False, "延期批复纸质件已核实")
            else:
                self.complete_rectification(index, "principal" if variant == 2 else "staff")
        elif m.state is S.PENDING_VERIFICATION:
            if variant == 0:
                self.verify(index, "inspector", False)
            elif variant == 1:
                self.verify(index, "principal", True)  # refused: an enterprise never verifies its own hazard
            else:
                self.verify(index, "inspector2", True)
        elif m.state is S.VERIFIED and m.listed and variant != 0:
            self.lift_supervision(index, "inspector")
        else:
            self.close(index, "inspector")

    # ----- invariants ----------------------------------------------------------------------------

    @invariant()
    def the_aggregates_agree_with_the_model(self) -> None:
        for hazard_id, m in self.models.items():
            aggregate = self.world.app.repository.get(hazard_id)
            assert isinstance(aggregate.state, HazardState)
            assert aggregate.state is m.state
            assert aggregate.is_listed is m.listed
            now = self.clock.now()
            status = aggregate.status_at(now)
            misses = m.misses(now)
            assert [(x.deadline, x.missed_at, x.recorded) for x in status.misses] == misses
            assert status.overdue is m.overdue(now) and status.lapsed is bool(misses)
            assert status.state is m.state and status.deadline == m.deadline
            if status.overdue:
                hypothesis.event("derived: overdue")
            if any(x.missed_at > missed_from(x.deadline) for x in status.misses):
                hypothesis.event("derived: missed at a failed verification")
            assert sorted(set(aggregate.deadlines)) == sorted(set(m.deadlines))
            view = self.world.app.hazards.hazard(hazard_id)
            assert HazardState(view["state"]) is m.state
            assert view["grade"] == m.grade.value
            assert view["listed"] is m.listed
            assert view["overdue"] is m.overdue(now)
            assert view["rectification_lapsed"] is bool(misses)
            assert [d["deadline"] for d in view["missed_deadlines"]] == [d.isoformat() for d, _, _ in misses]
            assert view["deadline"] == (m.deadline.isoformat() if m.deadline else None)
            assert (view["reported_to_regulator_at"] is not None) is m.reported_to_regulator
            assert self.world.types(hazard_id) == m.events
            assert view["version"] == len(m.events)

    @invariant()
    def a_closed_hazard_was_verified_and_is_not_listed(self) -> None:
        for hazard_id, m in self.models.items():
            if m.state is S.CLOSED:
                types = self.world.types(hazard_id)
                assert "VerificationPassed" in types
                assert types.index("VerificationPassed") < types.index("HazardClosed")
                assert not self.world.app.hazards.hazard(hazard_id)["listed"]

    @invariant()
    def a_listed_hazard_is_major(self) -> None:
        for hazard_id in self.models:
            view = self.world.app.hazards.hazard(hazard_id)
            if view["listed"]:
                assert view["grade"] == Grade.MAJOR.value

    @invariant()
    def an_overdue_hazard_is_rectifying_under_a_missed_deadline(self) -> None:
        now = self.clock.now()
        for hazard_id in self.models:
            status = self.world.app.repository.get(hazard_id).status_at(now)
            if status.overdue:
                assert status.state is S.RECTIFYING and status.missed_at is not None
                assert status.deadline in {x.deadline for x in status.misses}


HazardLifecycle.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestHazardLifecycle = HazardLifecycle.TestCase
