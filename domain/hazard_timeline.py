"""A hazard as of a business time: the one fold shared by the rules and the read models.

Derived facts are computed here, never stored: whether and when a rectification deadline was
missed (逾期, "the first instant of the day after the deadline"), whether the rectification lapsed
for good (which loses the self-report exemption, 依法不予行政处罚), whether a major the enterprise
found itself was reported to the regulator late (及时报告, ``report_to_regulator_hours``). They follow
from the people's acts and their business times alone, so an act entered late — a completion dated
before its deadline, entered a month after the fact — changes what is derived and nothing refuses
it. A 区安委办 clerk's statement about a deadline (``DeadlineMissRecorded``: missed or not, from
paper records) overrides the derivation for that deadline. DESIGN.md of the repository ("Late
facts") explains the choice.

Input: the hazard's ``Step`` s in the order they were stored (one record's acts are in business
order, the aggregate checks that). ``status(steps, at, known_at)`` folds the acts that happened by
``at`` (business time) and were recorded by ``known_at`` (recording time; None: everything stored).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from domain.business_time import first_instant_after
from domain.glossary import HazardSource, HazardState, Role


class StepKind(StrEnum):
    REPORTED = "reported"
    REPORTED_TO_REGULATOR = "reported_to_regulator"
    PLAN_FILED = "plan_filed"
    DEADLINE_EXTENDED = "deadline_extended"
    COMPLETED = "completed"
    VERIFICATION_FAILED = "verification_failed"
    VERIFIED = "verified"
    CLOSED = "closed"
    VOIDED = "voided"
    MISS_RECORDED = "miss_recorded"  # a clerk's statement about one deadline (missed or not)


# The stored event (by class name) each step comes from; the others move nothing derived here.
STEP_OF_EVENT: dict[str, StepKind] = {
    "HazardReported": StepKind.REPORTED,
    "HazardReportedToRegulator": StepKind.REPORTED_TO_REGULATOR,
    "RectificationPlanFiled": StepKind.PLAN_FILED,
    "DeadlineExtended": StepKind.DEADLINE_EXTENDED,
    "ExtensionApproved": StepKind.DEADLINE_EXTENDED,  # an approved request moves the deadline exactly as a paper decision
    "RectificationCompleted": StepKind.COMPLETED,
    "VerificationFailed": StepKind.VERIFICATION_FAILED,
    "VerificationPassed": StepKind.VERIFIED,
    "HazardClosed": StepKind.CLOSED,
    "HazardVoided": StepKind.VOIDED,
    "DeadlineMissRecorded": StepKind.MISS_RECORDED,
}
_STATE_AFTER: dict[StepKind, HazardState] = {
    StepKind.REPORTED: HazardState.REPORTED,
    StepKind.PLAN_FILED: HazardState.RECTIFYING,
    StepKind.COMPLETED: HazardState.PENDING_VERIFICATION,
    StepKind.VERIFICATION_FAILED: HazardState.RECTIFYING,
    StepKind.VERIFIED: HazardState.VERIFIED,
    StepKind.CLOSED: HazardState.CLOSED,
    StepKind.VOIDED: HazardState.VOIDED,
}
_RECTIFIED = (StepKind.VERIFIED, StepKind.CLOSED, StepKind.VOIDED)
# Steps that put a deadline in force: the plan's, and every extension (a recorded paper decision or an
# approved request, both DEADLINE_EXTENDED).
SETS_DEADLINE = (StepKind.PLAN_FILED, StepKind.DEADLINE_EXTENDED)


@dataclass(frozen=True)
class Step:
    """One act of a hazard that the derived facts depend on."""

    kind: StepKind
    occurred_at: datetime
    recorded_at: datetime | None = None  # None: known whatever ``known_at`` is (an aggregate's own events)
    deadline: date | None = None  # plan filed, extension: the new deadline; a clerk's statement: its deadline
    missed: bool | None = None  # a clerk's statement: the deadline was missed (True) or not (False)


def step_of(event: Any, recorded_at: datetime | None = None) -> Step | None:
    """The step of a stored hazard event, or None for one that moves nothing derived.

    ``DeadlineMissed`` was written by earlier versions: by their deadline watcher — a derived fact,
    recomputed here, so that one is no step — or by a 区安委办 clerk, whose statement it is."""
    if type(event).__name__ == "DeadlineMissed":
        if event.actor.role is Role.SYSTEM:
            return None
        return Step(StepKind.MISS_RECORDED, event.occurred_at, recorded_at, event.deadline, True)
    kind = STEP_OF_EVENT.get(type(event).__name__)
    if kind is None:
        return None
    deadline: date | None = None
    if kind is StepKind.PLAN_FILED:
        deadline = event.plan.deadline
    elif kind is StepKind.DEADLINE_EXTENDED:
        deadline = event.new_deadline
    elif kind is StepKind.MISS_RECORDED:
        deadline = event.deadline
    return Step(kind, event.occurred_at, recorded_at, deadline, getattr(event, "missed", None))


@dataclass(frozen=True)
class Miss:
    """A missed rectification deadline: the deadline, the business time it was missed at (the first
    instant after it, or the moment the hazard went back to rectifying after it), and whether a clerk
    stated it (``recorded``) rather than the fold deriving it."""

    deadline: date
    missed_at: datetime
    recorded: bool = False


@dataclass(frozen=True)
class HazardStatus:
    """What a hazard was at one business time, as known at one recording time. ``state`` is None before
    its report."""

    state: HazardState | None
    deadline: date | None
    reported_at: datetime | None
    reported_to_regulator_at: datetime | None
    plan_filed_at: datetime | None
    rectified_at: datetime | None  # the first verification passed, closure or voiding
    misses: tuple[Miss, ...]
    overdue: bool  # rectifying, and the deadline in force was missed

    @property
    def lapsed(self) -> bool:
        """The rectification lapsed for good: some deadline was missed (loses the self-report exemption)."""
        return bool(self.misses)

    @property
    def open(self) -> bool:
        return self.state in (HazardState.REPORTED, HazardState.RECTIFYING, HazardState.PENDING_VERIFICATION)

    @property
    def missed_at(self) -> datetime | None:
        """When the deadline in force was missed, if it was."""
        return next((m.missed_at for m in self.misses if m.deadline == self.deadline), None) if self.overdue else None

    def report_to_regulator_due(self, hours: int) -> datetime | None:
        """The end of the window for reporting the hazard to the regulator (及时报告), from its report."""
        return None if self.reported_at is None else self.reported_at + timedelta(hours=hours)

    def self_report_late(self, at: datetime, hours: int) -> bool:
        """Reported to the regulator after the window, or not reported and the window is over by ``at``."""
        due = self.report_to_regulator_due(hours)
        if due is None or self.state is HazardState.VOIDED:
            return False
        reported = self.reported_to_regulator_at
        return reported > due if reported is not None else at > due

    def self_report_exempt(self, major: bool, source: HazardSource, at: datetime, hours: int) -> bool:
        """Plan rule 1 (依法不予行政处罚), this status being the hazard's as of ``at``: a major the
        enterprise found itself, reported to the regulator within ``hours`` of finding it, and whose
        rectification had not lapsed by then."""
        return (
            major
            and source is HazardSource.SELF_INSPECTION
            and self.reported_to_regulator_at is not None
            and not self.self_report_late(at, hours)
            and not self.lapsed
            and self.state is not HazardState.VOIDED
        )


def _known(step: Step, known_at: datetime | None) -> bool:
    return known_at is None or step.recorded_at is None or step.recorded_at <= known_at


def status(steps: Sequence[Step], at: datetime, known_at: datetime | None = None) -> HazardStatus:
    """The hazard as of business time ``at``, as known at ``known_at``.

    A deadline is missed at the first instant after it while the hazard is rectifying under it (or,
    when verification fails after it, the moment of that failure); a completion or an extension
    before that instant prevents the miss. Each deadline is missed at most once. A clerk's statement
    about a deadline, whenever it was made, decides for that deadline: ``missed=False`` cancels the
    derived miss, ``missed=True`` records one at the first instant after the deadline (lapsing the
    rectification even when the data show a completion in time, and in place of a miss the data
    would derive later). The latest statement per deadline counts.
    """
    known = [s for s in steps if _known(s, known_at)]
    stated: dict[date, bool] = {}
    for s in known:
        if s.kind is StepKind.MISS_RECORDED and s.deadline is not None and s.missed is not None:
            stated[s.deadline] = s.missed
    state: HazardState | None = None
    deadline: date | None = None
    rectifying_since: datetime | None = None
    reported_at = to_regulator = plan_at = rectified_at = None
    misses: dict[date, Miss] = {}

    def passes(until: datetime) -> None:
        """The deadline in force passes while rectifying, before ``until``."""
        # A deadline a clerk stated about is decided by the statement alone (below): deriving it too
        # would move a stated miss to a later failed verification, un-lapsing the time between.
        if state is not HazardState.RECTIFYING or deadline is None or deadline in misses or deadline in stated:
            return
        missed_at = max(first_instant_after(deadline), rectifying_since or until)
        if missed_at <= until:
            misses[deadline] = Miss(deadline, missed_at)

    for s in known:
        if s.kind is StepKind.MISS_RECORDED or s.occurred_at > at:
            continue
        passes(s.occurred_at)
        if s.kind is StepKind.REPORTED:
            reported_at = s.occurred_at
        elif s.kind is StepKind.REPORTED_TO_REGULATOR:
            to_regulator = to_regulator or s.occurred_at
        elif s.kind is StepKind.PLAN_FILED:
            plan_at = plan_at or s.occurred_at
            deadline = s.deadline
        elif s.kind is StepKind.DEADLINE_EXTENDED:
            deadline = s.deadline
        elif s.kind in _RECTIFIED:
            rectified_at = rectified_at or s.occurred_at
        new_state = _STATE_AFTER.get(s.kind)
        if new_state is HazardState.RECTIFYING and state is not HazardState.RECTIFYING:
            rectifying_since = s.occurred_at
        if new_state is not None:
            state = new_state
    passes(at)
    for day, missed in stated.items():
        if missed and day not in misses and first_instant_after(day) <= at and state is not None:
            misses[day] = Miss(day, first_instant_after(day), recorded=True)
    overdue = state is HazardState.RECTIFYING and deadline in misses
    return HazardStatus(
        state=state,
        deadline=deadline,
        reported_at=reported_at,
        reported_to_regulator_at=to_regulator,
        plan_filed_at=plan_at,
        rectified_at=rectified_at,
        misses=tuple(sorted(misses.values(), key=lambda m: (m.missed_at, m.deadline))),
        overdue=overdue,
    )


def steps_of(events: Iterable[Any]) -> list[Step]:
    """The steps of a hazard's stored events (with their recording times), in stored order."""
    return [s for e in events if (s := step_of(e, getattr(e, "timestamp", None))) is not None]
