"""The repeat-offender detector (enforcement rule 3, domain/process_rules.py): the closure
recommendation is derived from the cases' and penalties' business times, with the day its conditions
first held — never stored, never sent by a system actor. No store, no clock: plain facts in."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.business_time import CHINA_TZ
from domain.process_rules import CitedHazard, CitingCase, ClosureDue, closure_due, closures_due
from domain.reference_data import LedgerRules

RULES = LedgerRules(repeat_offender_open_days=90, repeat_offender_penalties=2)
REPORTED = date(2023, 6, 1)


def uid(n: int) -> UUID:
    return UUID(int=n)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=CHINA_TZ)


def case(n: int, opened: date, *penalties: date, closed: date | None = None) -> CitingCase:
    return CitingCase(uid(n), at(opened), at(closed) if closed else None, tuple(at(p) for p in penalties))


def cited(*cases: CitingCase, rectified: date | None = None, n: int = 1, reported: date = REPORTED) -> CitedHazard:
    return CitedHazard(uid(n), at(reported), rectified, tuple(cases))


# ===== examples ===================================================================================


def test_the_day_is_the_report_day_plus_the_open_days_when_penalised_enough_by_then():
    due = closure_due(cited(case(11, date(2023, 6, 2), date(2023, 6, 3), date(2023, 7, 1))), RULES)
    assert due == ClosureDue(uid(11), uid(1), (), date(2023, 8, 30), 90, 2)  # 90 days after 1 June


def test_the_day_is_the_day_of_the_mth_penalty_when_that_is_later():
    hazard = cited(case(11, date(2023, 6, 2), date(2023, 6, 3)), case(12, date(2023, 9, 1), date(2023, 10, 8), date(2023, 11, 1)))
    due = closure_due(hazard, RULES)
    assert due is not None and (due.on, due.open_days, due.prior_penalties) == (date(2023, 10, 8), 129, 2)
    assert due.case_id == uid(12) and due.other_case_ids == (uid(11),)


def test_penalties_are_counted_by_beijing_business_date():
    # 23:30 on 29 August is still 29 August; the second penalty counts from that day.
    late = CitingCase(uid(11), at(date(2023, 6, 2)), None, (at(date(2023, 6, 3)), datetime(2023, 8, 29, 23, 30, tzinfo=CHINA_TZ)))
    assert closure_due(cited(late), RULES).on == date(2023, 8, 30)  # type: ignore[union-attr]


def test_one_penalty_is_not_enough():
    assert closure_due(cited(case(11, date(2023, 6, 2), date(2023, 6, 3))), RULES) is None


@pytest.mark.parametrize(("rectified", "due"), [(date(2023, 8, 29), False), (date(2023, 8, 30), False), (date(2023, 8, 31), True)])
def test_none_when_rectified_before_or_on_the_day(rectified: date, due: bool):
    hazard = cited(case(11, date(2023, 6, 2), date(2023, 6, 3), date(2023, 7, 1)), rectified=rectified)
    assert (closure_due(hazard, RULES) is not None) is due


def test_none_when_no_case_is_open_from_that_day_on():
    hazard = cited(case(11, date(2023, 6, 2), date(2023, 6, 3), date(2023, 7, 1), closed=date(2023, 8, 1)))
    assert closure_due(hazard, RULES) is None


def test_a_case_opened_later_carries_the_recommendation_from_its_opening_day():
    hazard = cited(
        case(11, date(2023, 6, 2), date(2023, 6, 3), date(2023, 7, 1), closed=date(2023, 8, 1)),
        case(12, date(2023, 9, 15)),
    )
    due = closure_due(hazard, RULES)
    assert due is not None and (due.case_id, due.on, due.open_days, due.other_case_ids) == (uid(12), date(2023, 9, 15), 106, (uid(11),))
    # and a hazard rectified before that day gets none
    assert closure_due(cited(*hazard.cases, rectified=date(2023, 9, 10)), RULES) is None


def test_the_most_recently_opened_case_open_that_day_is_the_target():
    hazard = cited(
        case(11, date(2023, 6, 2), date(2023, 6, 3)),
        case(12, date(2023, 7, 1), date(2023, 7, 2)),
        case(13, date(2023, 8, 1), closed=date(2023, 8, 10)),  # opened last, but closed by then
    )
    due = closure_due(hazard, RULES)
    assert due is not None and due.case_id == uid(12) and due.other_case_ids == (uid(11), uid(13))


def test_closures_due_keeps_those_due_by_the_date_in_business_order():
    first = cited(case(11, date(2023, 6, 2), date(2023, 6, 3), date(2023, 7, 1)), n=2)  # 30 August
    second = cited(case(21, date(2023, 6, 2), date(2023, 6, 3), date(2023, 9, 10)), n=1)  # 10 September
    none = cited(case(31, date(2023, 6, 2), date(2023, 6, 3)), n=3)
    assert closures_due([first, second, none], date(2023, 8, 29), RULES) == []
    assert [d.hazard_id for d in closures_due([first, second, none], date(2023, 8, 30), RULES)] == [uid(2)]
    # the day each became true (30 August, then 10 September), whatever the order of the input or the ids
    assert [d.hazard_id for d in closures_due([none, second, first], date(2023, 12, 1), RULES)] == [uid(2), uid(1)]


def test_the_thresholds_are_the_rules():
    hazard = cited(case(11, date(2023, 6, 2), date(2023, 6, 3), date(2023, 6, 4), date(2023, 6, 5)))
    strict = LedgerRules(repeat_offender_open_days=30, repeat_offender_penalties=3)
    assert closure_due(hazard, strict).on == date(2023, 7, 1)  # type: ignore[union-attr]
    assert closure_due(hazard, LedgerRules(repeat_offender_open_days=30, repeat_offender_penalties=4)) is None


# ===== properties ================================================================================

days = st.integers(min_value=0, max_value=200)


@st.composite
def cited_hazards(draw: st.DrawFn, n: int = 1) -> CitedHazard:
    cases = []
    for i in range(draw(st.integers(min_value=0, max_value=4))):
        opened = draw(days)
        closed = draw(st.one_of(st.none(), st.integers(min_value=opened, max_value=opened + 120)))
        last = closed if closed is not None else opened + 150
        penalties = draw(st.lists(st.integers(min_value=opened, max_value=last), max_size=3))
        hour = draw(st.sampled_from([0, 10, 23]))
        cases.append(
            CitingCase(
                uid(100 * n + i),
                at(REPORTED + timedelta(days=opened), hour),
                at(REPORTED + timedelta(days=closed)) if closed is not None else None,
                tuple(at(REPORTED + timedelta(days=p), hour) for p in penalties),
            )
        )
    rectified = draw(st.one_of(st.none(), days.map(lambda d: REPORTED + timedelta(days=d))))
    return CitedHazard(uid(n), at(REPORTED), rectified, tuple(cases))


rules = st.builds(
    LedgerRules,
    repeat_offender_open_days=st.integers(min_value=0, max_value=150),
    repeat_offender_penalties=st.integers(min_value=1, max_value=4),
)


def _brute_force(hazard: CitedHazard, r: LedgerRules) -> ClosureDue | None:
    """Day by day: the first day open long enough, penalised enough by then, unrectified, with a case
    open; the most recently opened case open that day carries it."""
    for offset in range(0, 500):
        day = hazard.reported_on + timedelta(days=offset)
        if hazard.rectified_on is not None and hazard.rectified_on <= day:
            return None
        prior = sum(1 for c in hazard.cases for p in c.penalties if p.date() <= day)
        open_cases = [c for c in hazard.cases if c.opened_at.date() <= day and (c.closed_at is None or c.closed_at.date() > day)]
        if offset >= r.repeat_offender_open_days and prior >= r.repeat_offender_penalties and open_cases:
            target = max(open_cases, key=lambda c: (c.opened_at, str(c.case_id)))
            others = tuple(sorted((c.case_id for c in hazard.cases if c.case_id != target.case_id), key=str))
            return ClosureDue(target.case_id, hazard.hazard_id, others, day, offset, prior)
    return None


@settings(max_examples=400, deadline=None)
@given(cited_hazards(), rules)
def test_closure_due_is_the_first_day_its_conditions_hold(hazard: CitedHazard, r: LedgerRules):
    due = closure_due(hazard, r)
    assert due == _brute_force(hazard, r)
    if due is not None:
        penalties = sorted(p.date() for c in hazard.cases for p in c.penalties)
        nth = penalties[r.repeat_offender_penalties - 1]
        earliest = max(hazard.reported_on + timedelta(days=r.repeat_offender_open_days), nth)
        assert due.on >= earliest
        opened = [c.opened_at.date() for c in hazard.cases]
        # the day is that max when a case is open then, else the day the next citing case opens
        assert due.on == earliest or (due.on in opened and due.on > earliest)
        assert hazard.rectified_on is None or hazard.rectified_on > due.on


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=50), min_size=1, max_size=4, unique=True).flatmap(
    lambda ns: st.tuples(*(cited_hazards(n) for n in ns))
), rules, days, st.randoms(use_true_random=False))  # fmt: skip
def test_the_result_does_not_depend_on_the_order_of_the_facts(hazards, r: LedgerRules, as_of: int, rnd):
    day = REPORTED + timedelta(days=as_of)
    shuffled = []
    for h in hazards:
        cases = [CitingCase(c.case_id, c.opened_at, c.closed_at, tuple(rnd.sample(c.penalties, len(c.penalties)))) for c in h.cases]
        rnd.shuffle(cases)
        shuffled.append(CitedHazard(h.hazard_id, h.reported_at, h.rectified_on, tuple(cases)))
        assert closure_due(shuffled[-1], r) == closure_due(h, r)
    rnd.shuffle(shuffled)
    assert closures_due(shuffled, day, r) == closures_due(list(hazards), day, r)
    assert all(d.on <= day for d in closures_due(hazards, day, r))
