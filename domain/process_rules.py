"""What the deadline watcher and the repeat-offender detector decide: pure rules over plain facts.

The process managers (``api/process_managers.py``) read the facts from the ``process_facts`` read
model, ask these functions what is due, and send the commands as the system actor. The domain stays
the judge: a command refused because it was already done (``already_overdue``, ``already_recommended``)
is how a second run, a restart or a concurrent worker ends up appending nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from uuid import UUID

from domain.business_time import CHINA_TZ, business_date
from domain.enforcement import closure_recommended
from domain.glossary import HazardState
from domain.reference_data import LedgerRules

# ===== deadline watcher (DeadlineMissed, DESIGN §3.1) ==========================================


@dataclass(frozen=True)
class DeadlineFact:
    hazard_id: UUID
    state: HazardState
    deadline: date | None
    overdue: bool
    last_occurred_at: datetime  # business time of the hazard's latest event


@dataclass(frozen=True)
class DeadlineMiss:
    hazard_id: UUID
    deadline: date
    occurred_at: datetime


def first_instant_after(day: date) -> datetime:
    """00:00 Beijing time of the day after ``day``: when a deadline ``day`` is missed."""
    return datetime.combine(day + timedelta(days=1), time.min, CHINA_TZ)


def deadline_missed_at(deadline: date, last_occurred_at: datetime) -> datetime:
    """The business time a missed deadline is recorded at: the first instant of the day after the
    deadline (Beijing), never earlier than the hazard's last event (business order)."""
    return max(first_instant_after(deadline), last_occurred_at)


def deadlines_missed(facts: Iterable[DeadlineFact], now: datetime) -> list[DeadlineMiss]:
    """Every rectifying hazard whose deadline (a Beijing date) has passed — today is after it — and that
    is not marked overdue yet, with the business time to record the miss at."""
    today = business_date(now)
    return sorted(
        (
            DeadlineMiss(f.hazard_id, f.deadline, deadline_missed_at(f.deadline, f.last_occurred_at))
            for f in facts
            if f.state is HazardState.RECTIFYING and f.deadline is not None and not f.overdue and f.deadline < today
        ),
        key=lambda m: (m.deadline, str(m.hazard_id)),
    )


# ===== repeat-offender detector (enforcement rule 3, DESIGN §3.3) ==============================


@dataclass(frozen=True)
class CitingCase:
    """An enforcement case citing the hazard. ``enterprise_penalties`` counts its penalty decisions
    against the enterprise (a dual penalty once), as ``EnforcementCase.enterprise_penalties_until``."""

    case_id: UUID
    opened_at: datetime
    closed: bool
    enterprise_penalties: int
    recommended_hazard_id: UUID | None = None  # the hazard its ClosureRecommended names, if any


@dataclass(frozen=True)
class CitedHazard:
    hazard_id: UUID
    major: bool
    open: bool
    reported_on: date
    cases: tuple[CitingCase, ...]


@dataclass(frozen=True)
class ClosureDue:
    case_id: UUID
    hazard_id: UUID
    other_case_ids: tuple[UUID, ...]
    open_days: int
    prior_penalties: int


def closures_due(hazards: Iterable[CitedHazard], today: date, rules: LedgerRules) -> list[ClosureDue]:
    """For each open major hazard cited by enforcement cases and meeting ``closure_recommended`` (open
    ``repeat_offender_open_days`` days since its report day, penalised ``repeat_offender_penalties``
    times over all the cases citing it): recommend closure on the most recently opened case citing it
    that is still open and not yet marked — once per hazard (skipped when any citing case is already
    marked for it, or no open unmarked case is left)."""
    due = []
    for h in hazards:
        if not (h.major and h.open) or any(c.recommended_hazard_id == h.hazard_id for c in h.cases):
            continue
        candidates = [c for c in h.cases if not c.closed and c.recommended_hazard_id is None]
        if not candidates:
            continue
        open_days = (today - h.reported_on).days
        prior = sum(c.enterprise_penalties for c in h.cases)
        if not closure_recommended(open_days, prior, rules):
            continue
        target = max(candidates, key=lambda c: (c.opened_at, str(c.case_id)))
        others = tuple(sorted((c.case_id for c in h.cases if c.case_id != target.case_id), key=str))
        due.append(ClosureDue(target.case_id, h.hazard_id, others, open_days, prior))
    return sorted(due, key=lambda d: (str(d.hazard_id), str(d.case_id)))
