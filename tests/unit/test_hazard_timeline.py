"""The derived facts of a hazard (domain/hazard_timeline.py): ``status(steps, at, known_at)`` as a
pure function of the people's acts, their business times and their recording times. No store, no
clock: examples first, then properties over generated histories (a random walk over the hazard's
lifecycle, with deadlines, clerks' statements and acts entered late)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.business_time import CHINA_TZ, business_date
from domain.glossary import HazardState
from domain.hazard_timeline import HazardStatus, Miss, Step, StepKind, first_instant_after, status

K = StepKind
S = HazardState
T0 = datetime(2023, 6, 1, 10, 0, tzinfo=CHINA_TZ)


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CHINA_TZ)


def step(kind: StepKind, when: datetime, deadline: date | None = None, missed: bool | None = None, recorded=None) -> Step:
    return Step(kind, when, recorded, deadline, missed)


# ===== examples ===================================================================================


def test_a_deadline_is_missed_at_the_first_instant_of_the_next_beijing_day():
    instant = first_instant_after(date(2023, 6, 10))
    assert instant == datetime(2023, 6, 11, 0, 0, tzinfo=CHINA_TZ)
    assert instant.astimezone(UTC) == datetime(2023, 6, 10, 16, 0, tzinfo=UTC)
    steps = [step(K.REPORTED, T0), step(K.PLAN_FILED, T0, date(2023, 6, 10))]
    assert status(steps, instant - timedelta(microseconds=1)).misses == ()
    now = status(steps, instant)
    assert now.misses == (Miss(date(2023, 6, 10), instant),) and now.overdue and now.lapsed
    assert now.missed_at == instant and now.state is S.RECTIFYING and now.deadline == date(2023, 6, 10)


def test_nothing_is_known_before_the_report():
    steps = [step(K.REPORTED, T0), step(K.PLAN_FILED, T0, date(2023, 6, 1))]
    before = status(steps, T0 - timedelta(seconds=1))
    assert before.state is None and before.misses == () and before.reported_at is None and not before.open


def test_a_failed_verification_after_the_deadline_misses_it_at_the_failure():
    failed = at(date(2023, 6, 12), 8)
    steps = [
        step(K.REPORTED, T0),
        step(K.PLAN_FILED, T0, date(2023, 6, 10)),
        step(K.COMPLETED, at(date(2023, 6, 9))),
        step(K.VERIFICATION_FAILED, failed),
    ]
    assert status(steps, failed - timedelta(seconds=1)).misses == ()  # awaiting verification is not missing it
    assert status(steps, failed).misses == (Miss(date(2023, 6, 10), failed),)


def test_acts_recorded_later_are_not_known_before_and_decide_after():
    # The completion dated 9 June was entered on 20 June: as known on 15 June the deadline was missed.
    steps = [
        step(K.REPORTED, T0, recorded=T0),
        step(K.PLAN_FILED, T0, date(2023, 6, 10), recorded=T0),
        step(K.COMPLETED, at(date(2023, 6, 9)), recorded=at(date(2023, 6, 20))),
    ]
    then = at(date(2023, 6, 15))
    assert [m.deadline for m in status(steps, then, known_at=then).misses] == [date(2023, 6, 10)]
    assert status(steps, then).misses == () and status(steps, then, known_at=at(date(2023, 6, 20))).misses == ()


def test_the_self_report_window_is_counted_from_the_report():
    steps = [step(K.REPORTED, T0), step(K.REPORTED_TO_REGULATOR, T0 + timedelta(hours=25))]
    assert status(steps, T0 + timedelta(hours=24)).self_report_late(T0 + timedelta(hours=24), 24) is False
    assert status(steps, T0 + timedelta(hours=25)).self_report_late(T0 + timedelta(hours=25), 24) is True
    in_time = [step(K.REPORTED, T0), step(K.REPORTED_TO_REGULATOR, T0 + timedelta(hours=24))]
    assert status(in_time, T0 + timedelta(days=9)).self_report_late(T0 + timedelta(days=9), 24) is False
    voided = [step(K.REPORTED, T0), step(K.VOIDED, T0 + timedelta(hours=1))]
    assert status(voided, T0 + timedelta(days=9)).self_report_late(T0 + timedelta(days=9), 24) is False


def test_a_statement_that_a_deadline_was_missed_counts_from_the_first_instant_after_it():
    # The data show a completion in time; the clerk's paper records say otherwise, and a later
    # failed verification does not move the stated miss.
    stated = step(K.MISS_RECORDED, at(date(2023, 6, 20)), date(2023, 6, 10), True)
    steps = [
        step(K.REPORTED, T0),
        step(K.PLAN_FILED, T0, date(2023, 6, 10)),
        step(K.COMPLETED, at(date(2023, 6, 9))),
        stated,
        step(K.VERIFICATION_FAILED, at(date(2023, 6, 25))),
    ]
    instant = first_instant_after(date(2023, 6, 10))
    for moment in (instant, at(date(2023, 6, 24)), at(date(2023, 6, 30))):
        assert status(steps, moment).misses == (Miss(date(2023, 6, 10), instant, recorded=True),)
    assert status(steps, instant - timedelta(microseconds=1)).misses == ()
    assert status(steps, at(date(2023, 6, 30))).overdue is True


# ===== generated histories ========================================================================

_NEXT: dict[HazardState, tuple[StepKind, ...]] = {
    S.REPORTED: (K.PLAN_FILED, K.PLAN_FILED, K.REPORTED_TO_REGULATOR, K.VOIDED),
    S.RECTIFYING: (K.DEADLINE_EXTENDED, K.COMPLETED, K.COMPLETED, K.REPORTED_TO_REGULATOR, K.VOIDED),
    S.PENDING_VERIFICATION: (K.VERIFICATION_FAILED, K.VERIFICATION_FAILED, K.VERIFIED, K.VOIDED),
    S.VERIFIED: (K.CLOSED,),
}
_AFTER = {
    K.PLAN_FILED: S.RECTIFYING,
    K.COMPLETED: S.PENDING_VERIFICATION,
    K.VERIFICATION_FAILED: S.RECTIFYING,
    K.VERIFIED: S.VERIFIED,
    K.CLOSED: S.CLOSED,
    K.VOIDED: S.VOIDED,
}


@st.composite
def histories(draw: st.DrawFn, statements: bool = True) -> list[Step]:
    """A hazard's steps in stored order: business times and recording times both non-decreasing,
    acts often entered days late, times often right at a deadline's first instant after."""
    when = recorded = T0
    steps = [Step(K.REPORTED, when, recorded)]
    state, deadline, deadlines = S.REPORTED, None, []
    for _ in range(draw(st.integers(min_value=0, max_value=12))):
        choices = list(_NEXT.get(state, ()))
        if statements and deadlines:
            choices.append(K.MISS_RECORDED)
        if not choices:
            break
        kind = draw(st.sampled_from(choices))
        if deadline is not None and draw(st.booleans()):
            edge = first_instant_after(deadline) + draw(st.sampled_from([timedelta(microseconds=-1), timedelta(0), timedelta(hours=1)]))
            when = max(when, edge)
        else:
            when += timedelta(hours=draw(st.integers(min_value=0, max_value=24 * 5)))
        recorded = max(recorded, when + timedelta(days=draw(st.sampled_from([0, 0, 0, 1, 7, 30]))))
        if kind is K.MISS_RECORDED:
            steps.append(Step(kind, recorded, recorded, draw(st.sampled_from(deadlines)), draw(st.booleans())))
            continue
        new_deadline = None
        if kind in (K.PLAN_FILED, K.DEADLINE_EXTENDED):
            new_deadline = business_date(when) + timedelta(days=draw(st.integers(min_value=0, max_value=8)))
            deadline = new_deadline
            deadlines.append(new_deadline)
        steps.append(Step(kind, when, recorded, new_deadline))
        state = _AFTER.get(kind, state)
    return steps


moments = st.integers(min_value=-2, max_value=24 * 90).map(lambda h: T0 + timedelta(hours=h))


def _stated(steps: list[Step]) -> dict[date, bool]:
    latest: dict[date, bool] = {}
    for s in steps:
        if s.kind is K.MISS_RECORDED and s.deadline is not None and s.missed is not None:
            latest[s.deadline] = s.missed
    return latest


def _misses(result: HazardStatus) -> dict[date, Miss]:
    return {m.deadline: m for m in result.misses}


@settings(max_examples=300, deadline=None)
@given(histories(), moments, moments)
def test_known_at_only_filters_the_steps(steps: list[Step], moment: datetime, known_at: datetime):
    # (a) status as known at a time is the status over the steps recorded by then
    recorded_by_then = [s for s in steps if s.recorded_at is None or s.recorded_at <= known_at]
    assert status(steps, moment, known_at) == status(recorded_by_then, moment)
    # and when every step was recorded by then, known_at changes nothing
    latest = max(s.recorded_at for s in steps if s.recorded_at is not None)
    assert status(steps, moment, latest) == status(steps, moment) == status(steps, moment, latest + timedelta(days=1))
    # a step without a recording time (an aggregate's own) is always known
    unrecorded = [replace(s, recorded_at=None) for s in steps]
    assert status(unrecorded, moment, T0 - timedelta(days=1)) == status(steps, moment)


@settings(max_examples=300, deadline=None)
@given(histories(), moments, moments, st.one_of(st.none(), moments))
def test_a_miss_once_found_stays_found_with_the_same_time(steps: list[Step], t1: datetime, t2: datetime, known_at):
    # (b) monotonic in business time (the statements, whenever made, decide the same at every time)
    earlier, later = sorted((t1, t2))
    before, after = _misses(status(steps, earlier, known_at)), _misses(status(steps, later, known_at))
    for deadline, miss in before.items():
        assert after.get(deadline) == miss
        assert miss.missed_at <= earlier


@settings(max_examples=300, deadline=None)
@given(histories(), moments)
def test_a_deadline_left_strictly_before_its_first_instant_after_is_not_missed(steps: list[Step], moment: datetime):
    # (c) every stretch of rectifying under a deadline that ends — by a completion, an extension, a
    # voiding — strictly before the first instant after it means that deadline is not derived missed.
    stretches: dict[date, list[tuple[datetime, datetime | None]]] = {}
    state, deadline, since = None, None, None
    for s in steps:
        if s.kind is K.MISS_RECORDED or s.occurred_at > moment:
            continue
        new_state = _AFTER.get(s.kind, S.REPORTED if s.kind is K.REPORTED else state)
        new_deadline = s.deadline if s.kind in (K.PLAN_FILED, K.DEADLINE_EXTENDED) else deadline
        if state is S.RECTIFYING and (new_state is not S.RECTIFYING or new_deadline != deadline):
            stretches.setdefault(deadline, []).append((since, s.occurred_at))  # type: ignore[arg-type]
        if new_state is S.RECTIFYING and (state is not S.RECTIFYING or new_deadline != deadline):
            since = s.occurred_at
        state, deadline = new_state, new_deadline
    if state is S.RECTIFYING:
        stretches.setdefault(deadline, []).append((since, None))  # type: ignore[arg-type]
    result = _misses(status(steps, moment))
    stated = _stated(steps)
    for day, spans in stretches.items():
        ended_in_time = all(end is not None and end < first_instant_after(day) for _, end in spans)
        if ended_in_time and stated.get(day) is not True:
            assert day not in result
    # an example of each: completed, and extended, the minute before
    for kind in (K.COMPLETED, K.DEADLINE_EXTENDED):
        d = date(2023, 6, 10)
        example = [
            step(K.REPORTED, T0),
            step(K.PLAN_FILED, T0, d),
            step(kind, first_instant_after(d) - timedelta(minutes=1), d + timedelta(days=5) if kind is K.DEADLINE_EXTENDED else None),
        ]
        assert d not in _misses(status(example, at(date(2023, 8, 1))))


@settings(max_examples=300, deadline=None)
@given(histories(), moments, st.one_of(st.none(), moments))
def test_overdue_means_rectifying_under_a_missed_deadline_and_lapsed_means_some_miss(steps: list[Step], moment, known_at):
    result = status(steps, moment, known_at)
    # (d)
    if result.overdue:
        assert result.state is S.RECTIFYING and result.deadline in _misses(result)
        assert result.missed_at == _misses(result)[result.deadline].missed_at  # type: ignore[index]
    else:
        assert result.missed_at is None
    # (e)
    assert result.lapsed is bool(result.misses)
    assert all(m.missed_at <= moment for m in result.misses)


@settings(max_examples=300, deadline=None)
@given(histories(), moments, st.data())
def test_a_statement_that_a_deadline_was_not_missed_removes_exactly_its_miss(steps: list[Step], moment: datetime, data):
    # (f)
    deadlines = sorted({s.deadline for s in steps if s.deadline is not None})
    if not deadlines:
        return
    day = data.draw(st.sampled_from(deadlines))
    last = max(s.recorded_at or s.occurred_at for s in steps)
    stated = [*steps, Step(K.MISS_RECORDED, last, last, day, False)]
    before, after = status(steps, moment), status(stated, moment)
    assert after.misses == tuple(m for m in before.misses if m.deadline != day)
    assert after.overdue is (before.overdue and before.deadline != day)
    assert replace(after, misses=before.misses, overdue=before.overdue) == before
    # and stating it missed afterwards puts it back, at the first instant after it
    again = status([*stated, Step(K.MISS_RECORDED, last, last, day, True)], moment)
    if first_instant_after(day) <= moment:
        assert _misses(again)[day] == Miss(day, first_instant_after(day), recorded=True)
    else:
        assert day not in _misses(again)
