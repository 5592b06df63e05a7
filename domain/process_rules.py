"""The repeat-offender detector (enforcement rule 3, DESIGN §3.3): a pure rule over plain facts.

Like every derived fact (``domain/hazard_timeline.py``), the recommendation is computed from the
people's acts and their business times, never stored: it carries the business date on which its
conditions first held, and an act entered late (a verification dated before that day, a penalty
decided earlier) moves or removes it without anything to retract. The read model
(``projections/process_queries.py``) gathers the facts as of a date and known at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from domain.business_time import business_date
from domain.enforcement import closure_recommended
from domain.reference_data import LedgerRules


@dataclass(frozen=True)
class CitingCase:
    """An enforcement case citing the hazard: when it was opened and closed (business times), and the
    business times of its penalty decisions against the enterprise (a dual penalty once), as
    ``EnforcementCase.enterprise_penalties_until`` counts them."""

    case_id: UUID
    opened_at: datetime
    closed_at: datetime | None
    penalties: tuple[datetime, ...]


@dataclass(frozen=True)
class CitedHazard:
    """A major hazard cited by enforcement cases: when it was reported and the day it was rectified
    (passed verification, closure or voiding), if it was."""

    hazard_id: UUID
    reported_at: datetime
    rectified_on: date | None
    cases: tuple[CitingCase, ...]

    @property
    def reported_on(self) -> date:
        return business_date(self.reported_at)


@dataclass(frozen=True)
class ClosureDue:
    """A closure recommendation (建议提请关闭) on ``case_id`` for ``hazard_id``, true from ``on``."""

    case_id: UUID
    hazard_id: UUID
    other_case_ids: tuple[UUID, ...]
    on: date
    open_days: int
    prior_penalties: int


def _open_on(case: CitingCase, day: date) -> bool:
    return business_date(case.opened_at) <= day and (case.closed_at is None or business_date(case.closed_at) > day)


def closure_due(hazard: CitedHazard, rules: LedgerRules) -> ClosureDue | None:
    """The first day a major cited by enforcement cases met ``closure_recommended`` — open
    ``repeat_offender_open_days`` days since its report day, penalised ``repeat_offender_penalties``
    times over all the cases citing it (by business date) — while still unrectified and cited by a
    case open that day; the recommendation goes on the most recently opened case open that day."""
    penalties = sorted(business_date(p) for c in hazard.cases for p in c.penalties)
    needed = rules.repeat_offender_penalties
    if len(penalties) < needed:
        return None
    nth = penalties[needed - 1] if needed > 0 else hazard.reported_on
    earliest = max(hazard.reported_on + timedelta(days=rules.repeat_offender_open_days), nth)
    # The days on which a citing case opens or the earliest day: the first open case appears on one.
    for day in sorted({earliest, *(business_date(c.opened_at) for c in hazard.cases)}):
        if day < earliest or (hazard.rectified_on is not None and hazard.rectified_on <= day):
            continue
        open_cases = [c for c in hazard.cases if _open_on(c, day)]
        if not open_cases:
            continue
        open_days = (day - hazard.reported_on).days
        prior = sum(1 for p in penalties if p <= day)
        if not closure_recommended(open_days, prior, rules):
            continue
        target = max(open_cases, key=lambda c: (c.opened_at, str(c.case_id)))
        others = tuple(sorted((c.case_id for c in hazard.cases if c.case_id != target.case_id), key=str))
        return ClosureDue(target.case_id, hazard.hazard_id, others, day, open_days, prior)
    return None


def closures_due(hazards: Iterable[CitedHazard], as_of: date, rules: LedgerRules) -> list[ClosureDue]:
    """Every closure recommendation true on ``as_of`` (its day on or before), in business order: by the
    day it became true, then when the hazard was reported (the ids only break a tie)."""
    cited = list(hazards)
    reported = {h.hazard_id: h.reported_at for h in cited}
    due = [d for h in cited if (d := closure_due(h, rules)) is not None and d.on <= as_of]
    return sorted(due, key=lambda d: (d.on, reported[d.hazard_id], str(d.hazard_id), str(d.case_id)))
