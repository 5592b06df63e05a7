"""The warning ladder (分级警示) and the veto flags (一票否优 / 一票否决) as pure rules
(domain/warning_rules.py). No store, no clock: plain facts in, proposals out. Missed deadlines are
derived by domain/hazard_timeline.py (tests/unit/test_hazard_timeline.py), the repeat-offender
detector by domain/process_rules.py (tests/unit/test_process_rules.py)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.business_time import CHINA_TZ
from domain.glossary import AccidentGrade, SupervisionLevel, VetoGround, WarningLevel, WarningState, WarningTrigger
from domain.warning_rules import (
    AccidentFact,
    Campaign,
    LadderSettings,
    MajorHazardFact,
    MissedDeadline,
    ReportDue,
    UnitFacts,
    WarningFact,
    add_months,
    ladder,
    veto_flags,
)

CAMPAIGN = Campaign(date(2023, 5, 1), date(2023, 12, 31))
SETTINGS = LadderSettings(CAMPAIGN, plan_due_days=7)
L, T, G = WarningLevel, WarningTrigger, AccidentGrade


def uid(n: int) -> UUID:
    return UUID(int=n)


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), CHINA_TZ)


def accident(n: int, day: date, grade: AccidentGrade = G.GENERAL, deaths: int = 0, liability: bool = False,
             levels: tuple[SupervisionLevel, ...] = (), hour: int = 10) -> AccidentFact:  # fmt: skip
    return AccidentFact(uid(n), at(day, hour), grade, deaths, liability, frozenset(levels))


def facts(today: date, **kw) -> UnitFacts:
    return UnitFacts("yjj", today, **kw)


def keyed(proposals) -> dict[str, object]:
    return {p.trigger_key: p for p in proposals}


# ===== calendar ================================================================================


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 3, 31), -1, date(2023, 2, 28)),
        (date(2023, 11, 15), 3, date(2024, 2, 15)),
        (date(2023, 2, 10), -3, date(2022, 11, 10)),
        (date(2023, 12, 31), 1, date(2024, 1, 31)),
    ],
)
def test_a_calendar_month_later_is_the_same_day_or_the_month_end(day: date, months: int, expected: date):
    assert add_months(day, months) == expected


# ===== 提示 prompt: failed duties ================================================================


def test_a_major_without_a_plan_n_days_after_its_report_is_a_prompt_from_the_next_day():
    hazard = MajorHazardFact(uid(1), reported_on=date(2023, 6, 1))
    assert ladder(facts(date(2023, 6, 8), hazards=(hazard,)), SETTINGS) == []  # day 7: still in time
    (prompt,) = ladder(facts(date(2023, 6, 9), hazards=(hazard,)), SETTINGS)
    assert (prompt.level, prompt.trigger) == (L.PROMPT, T.PLAN_OVERDUE)
    assert prompt.trigger_key == f"plan_overdue:{uid(1)}"
    assert prompt.refs == (uid(1),) and prompt.fact_on == date(2023, 6, 9) and prompt.unit_id == "yjj"
    assert "7 日内未制定整改方案" in prompt.reason_zh and "within 7 days" in prompt.reason_en


@pytest.mark.parametrize(
    ("plan_filed_on", "prompted"),
    [(date(2023, 6, 1), False), (date(2023, 6, 8), False), (date(2023, 6, 9), True), (date(2023, 7, 1), True)],
)
def test_a_plan_filed_late_is_still_a_failed_duty(plan_filed_on: date, prompted: bool):
    hazard = MajorHazardFact(uid(1), reported_on=date(2023, 6, 1), plan_filed_on=plan_filed_on)
    assert bool(ladder(facts(date(2023, 8, 1), hazards=(hazard,)), SETTINGS)) is prompted


def test_the_plan_due_days_are_a_setting_and_voided_hazards_count_nowhere():
    hazard = MajorHazardFact(uid(1), reported_on=date(2023, 6, 1))
    assert ladder(facts(date(2023, 6, 9), hazards=(hazard,)), LadderSettings(CAMPAIGN, plan_due_days=10)) == []
    assert ladder(facts(date(2023, 6, 12), hazards=(hazard,)), LadderSettings(CAMPAIGN, plan_due_days=10))
    voided = MajorHazardFact(uid(1), reported_on=date(2023, 6, 1), voided=True)
    assert ladder(facts(date(2023, 9, 1), hazards=(voided,)), SETTINGS) == []


def test_the_missed_report_hook_prompts_for_a_report_not_submitted_by_its_due_date():
    due = date(2023, 6, 22)
    missing = ReportDue("annex1", "2023-06", due)
    on_time = ReportDue("annex1", "2023-05", date(2023, 5, 22), submitted_on=date(2023, 5, 22))
    late = ReportDue("annex2", "2023-06-2", date(2023, 6, 12), submitted_on=date(2023, 6, 13), ref=uid(9))
    assert ladder(facts(due, reports_due=(missing,)), SETTINGS) == []
    proposals = keyed(ladder(facts(date(2023, 6, 23), reports_due=(missing, on_time, late)), SETTINGS))
    assert set(proposals) == {"report_missed:annex1:2023-06", "report_missed:annex2:2023-06-2"}
    assert all(p.level is L.PROMPT and p.trigger is T.REPORT_MISSED for p in proposals.values())
    assert proposals["report_missed:annex2:2023-06-2"].refs == (uid(9),)
    assert proposals["report_missed:annex1:2023-06"].fact_on == date(2023, 6, 23)


# ===== 告知 notice ================================================================================


def test_each_missed_deadline_of_a_major_is_a_notice_on_the_day_it_was_missed():
    hazard = MajorHazardFact(
        uid(1),
        reported_on=date(2023, 6, 1),
        plan_filed_on=date(2023, 6, 2),
        missed_deadlines=(
            MissedDeadline(date(2023, 6, 30), date(2023, 7, 1)),
            MissedDeadline(date(2023, 8, 31), date(2023, 9, 3)),
        ),
    )
    proposals = ladder(facts(date(2023, 9, 3), hazards=(hazard,)), SETTINGS)
    assert [(p.level, p.trigger_key, p.fact_on) for p in proposals] == [
        (L.NOTICE, f"deadline_missed:{uid(1)}:2023-06-30", date(2023, 7, 1)),
        (L.NOTICE, f"deadline_missed:{uid(1)}:2023-08-31", date(2023, 9, 3)),
    ]
    assert proposals[0].refs == (uid(1),)
    voided = MajorHazardFact(uid(1), date(2023, 6, 1), date(2023, 6, 2), voided=True, missed_deadlines=hazard.missed_deadlines)
    assert ladder(facts(date(2023, 9, 3), hazards=(voided,)), SETTINGS) == []


@pytest.mark.parametrize(
    ("first", "second", "notice"),
    [
        (date(2023, 6, 1), date(2023, 7, 1), True),  # exactly one calendar month apart
        (date(2023, 6, 1), date(2023, 7, 2), False),
        (date(2023, 1, 31), date(2023, 2, 28), True),  # the month after 31 Jan ends on 28 Feb
        (date(2023, 1, 27), date(2023, 2, 28), False),
        (date(2023, 6, 5), date(2023, 6, 5), True),  # the same day
    ],
)
def test_two_general_accidents_at_most_one_calendar_month_apart_are_a_notice(first: date, second: date, notice: bool):
    accidents = (accident(1, first, hour=9), accident(2, second, hour=11))
    proposals = ladder(facts(date(2023, 12, 31), accidents=accidents), SETTINGS)
    if not notice:
        assert proposals == []
        return
    (p,) = proposals
    assert (p.level, p.trigger, p.trigger_key) == (L.NOTICE, T.GENERAL_ACCIDENTS_IN_MONTH, f"general_accidents_in_month:{uid(2)}")
    assert p.refs == (uid(1), uid(2)) and p.fact_on == second


def test_liability_does_not_matter_for_the_notice_but_the_grade_does():
    general = accident(1, date(2023, 6, 1), liability=True)
    larger = accident(2, date(2023, 6, 10), G.LARGER, deaths=3)
    proposals = ladder(facts(date(2023, 6, 30), accidents=(general, larger)), SETTINGS)
    assert [p.trigger for p in proposals] == [T.LARGER_ACCIDENT]  # 较大 is not a 一般 accident


def test_every_further_general_accident_within_the_month_is_a_new_notice():
    accidents = tuple(accident(n, date(2023, 6, d)) for n, d in ((1, 1), (2, 10), (3, 20)))
    proposals = ladder(facts(date(2023, 6, 30), accidents=accidents), SETTINGS)
    assert [p.trigger_key for p in proposals] == [f"general_accidents_in_month:{uid(2)}", f"general_accidents_in_month:{uid(3)}"]
    assert proposals[1].refs == (uid(1), uid(2), uid(3)) and "3 起" in proposals[1].reason_zh


# ===== 告诫 admonition ============================================================================


@pytest.mark.parametrize(
    ("grade", "day", "admonition"),
    [
        (G.LARGER, date(2023, 6, 1), True),
        (G.MAJOR, date(2023, 12, 31), True),  # 重大 is no less than 较大
        (G.ESPECIALLY_MAJOR, date(2023, 5, 1), True),
        (G.LARGER, date(2023, 4, 30), False),  # before the campaign
        (G.LARGER, date(2024, 1, 1), False),  # after it
        (G.GENERAL, date(2023, 6, 1), False),
    ],
)
def test_a_larger_accident_during_the_campaign_is_an_admonition(grade: AccidentGrade, day: date, admonition: bool):
    deaths = {G.GENERAL: 0, G.LARGER: 3, G.MAJOR: 10, G.ESPECIALLY_MAJOR: 30}[grade]
    proposals = ladder(facts(date(2024, 3, 1), accidents=(accident(1, day, grade, deaths),)), SETTINGS)
    found = [p for p in proposals if p.trigger is T.LARGER_ACCIDENT]
    assert bool(found) is admonition
    if admonition:
        assert found[0].level is L.ADMONITION and found[0].trigger_key == f"larger_accident:{uid(1)}" and found[0].fact_on == day


def test_a_quarter_up_year_on_year_is_an_admonition_as_soon_as_it_is_up():
    records_from_2022 = LadderSettings(CAMPAIGN, accident_records_start=date(2022, 1, 1))
    last_year = (accident(1, date(2022, 7, 5)), accident(2, date(2022, 9, 30)))
    this_year = (accident(3, date(2023, 7, 1)), accident(4, date(2023, 8, 15)), accident(5, date(2023, 9, 2)))
    everything = facts(date(2023, 10, 1), accidents=last_year + this_year)
    (up,) = [p for p in ladder(everything, records_from_2022) if p.trigger is T.QUARTER_UP]
    assert (up.level, up.trigger_key, up.fact_on) == (L.ADMONITION, "quarter_up:2023Q3", date(2023, 9, 2))
    assert up.refs == (uid(3), uid(4), uid(5)) and "超过上年同期（2 起）" in up.reason_zh
    # As many as last year: not up. Before the third accident, not up yet.
    assert not [p for p in ladder(facts(date(2023, 9, 1), accidents=last_year + this_year[:2]), records_from_2022)
                if p.trigger is T.QUARTER_UP]  # fmt: skip


def test_quarters_are_compared_only_within_complete_records():
    this_year = (accident(3, date(2023, 7, 1)),)  # 2022 Q3 unknown: before the campaign start (the default)
    assert not [p for p in ladder(facts(date(2023, 10, 1), accidents=this_year), SETTINGS) if p.trigger is T.QUARTER_UP]
    next_year = (accident(4, date(2024, 7, 2)), accident(5, date(2024, 7, 3)))  # 2023 Q3 lies within the records
    proposals = [
        p for p in ladder(facts(date(2024, 8, 1), accidents=this_year + next_year), SETTINGS) if p.trigger is T.QUARTER_UP
    ]
    assert [(p.trigger_key, p.fact_on) for p in proposals] == [("quarter_up:2024Q3", date(2024, 7, 3))]


# ===== 约谈 interview =============================================================================


def confirmed(n: int, level: WarningLevel, on: date, state: WarningState = WarningState.CONFIRMED) -> WarningFact:
    return WarningFact(uid(100 + n), level, f"key-{n}", state, on)


MISSED = MajorHazardFact(
    uid(1), date(2023, 6, 1), date(2023, 6, 2), missed_deadlines=(MissedDeadline(date(2023, 9, 30), date(2023, 10, 1)),)
)


@pytest.mark.parametrize(
    ("warnings", "interview"),
    [
        ((confirmed(1, L.NOTICE, date(2023, 7, 1)), confirmed(2, L.ADMONITION, date(2023, 9, 15))), True),
        ((confirmed(1, L.NOTICE, date(2023, 7, 1)), confirmed(2, L.NOTICE, date(2023, 10, 1))), True),  # same day counts
        ((confirmed(1, L.NOTICE, date(2023, 6, 30)), confirmed(2, L.NOTICE, date(2023, 9, 15))), False),  # > 3 months
        ((confirmed(1, L.NOTICE, date(2023, 9, 1)), confirmed(2, L.NOTICE, date(2023, 10, 2))), False),  # after the fact
        ((confirmed(1, L.PROMPT, date(2023, 9, 1)), confirmed(2, L.NOTICE, date(2023, 9, 15))), False),  # prompts do not count
        ((confirmed(1, L.NOTICE, date(2023, 9, 1), WarningState.DISMISSED), confirmed(2, L.NOTICE, date(2023, 9, 15))), False),
        ((confirmed(1, L.NOTICE, date(2023, 9, 1), WarningState.PROPOSED), confirmed(2, L.NOTICE, date(2023, 9, 15))), False),
        ((confirmed(1, L.INTERVIEW, date(2023, 9, 1)), confirmed(2, L.NOTICE, date(2023, 9, 15))), True),
    ],
)
def test_a_new_notice_after_two_confirmed_warnings_within_three_months_is_also_an_interview(warnings, interview: bool):
    proposals = ladder(facts(date(2023, 10, 2), hazards=(MISSED,), warnings=warnings), SETTINGS)
    notice_key = f"deadline_missed:{uid(1)}:2023-09-30"
    assert notice_key in keyed(proposals)  # the notice itself is always proposed
    interviews = [p for p in proposals if p.level is L.INTERVIEW]
    assert bool(interviews) is interview
    if interview:
        (p,) = interviews
        assert p.trigger is T.REPEATED_WARNINGS and p.trigger_key == f"repeated_warnings:{notice_key}"
        assert p.refs == (*(w.warning_id for w in warnings), uid(1)) and p.fact_on == date(2023, 10, 1)


def test_a_prompt_never_escalates_to_an_interview():
    warnings = (confirmed(1, L.NOTICE, date(2023, 6, 1)), confirmed(2, L.NOTICE, date(2023, 6, 5)))
    hazard = MajorHazardFact(uid(1), reported_on=date(2023, 6, 1))
    proposals = ladder(facts(date(2023, 6, 30), hazards=(hazard,), warnings=warnings), SETTINGS)
    assert [p.level for p in proposals] == [L.PROMPT]


# ===== the ladder as a whole ======================================================================


def test_nothing_is_proposed_for_a_fact_dated_after_today():
    assert ladder(facts(date(2023, 6, 30), accidents=(accident(1, date(2023, 7, 1), G.LARGER, 3),)), SETTINGS) == []


def test_the_same_facts_give_the_same_keys_and_later_facts_leave_earlier_keys_alone():
    early = (accident(1, date(2023, 6, 1)), accident(2, date(2023, 6, 20)))
    first = {p.trigger_key for p in ladder(facts(date(2023, 6, 30), accidents=early), SETTINGS)}
    assert first == {p.trigger_key for p in ladder(facts(date(2023, 6, 30), accidents=early), SETTINGS)}
    later = early + (accident(3, date(2023, 7, 10), G.LARGER, 4),)
    assert first <= {p.trigger_key for p in ladder(facts(date(2023, 8, 1), accidents=later), SETTINGS)}


grades = st.sampled_from(list(AccidentGrade))
levels = st.sets(st.sampled_from(list(SupervisionLevel)), max_size=3).map(tuple)
days = st.dates(min_value=date(2022, 1, 1), max_value=date(2024, 3, 31))
accident_lists = st.lists(
    st.builds(
        lambda n, day, grade, deaths, liability, lv, hour: accident(n, day, grade, deaths, liability, lv, hour),
        st.integers(1, 10**6), days, grades, st.integers(0, 4), st.booleans(), levels, st.integers(0, 23),
    ),
    max_size=12,
    unique_by=lambda a: a.accident_id,
)  # fmt: skip
hazard_lists = st.lists(
    st.builds(
        lambda n, reported, plan_after, missed: MajorHazardFact(
            uid(n), reported, reported + timedelta(days=plan_after) if plan_after is not None else None,
            missed_deadlines=tuple(MissedDeadline(reported + timedelta(days=d), reported + timedelta(days=d + 1)) for d in missed),
        ),
        st.integers(1, 10**6), days, st.none() | st.integers(0, 20), st.lists(st.integers(10, 90), max_size=2, unique=True),
    ),
    max_size=6,
    unique_by=lambda h: h.hazard_id,
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(accident_lists, hazard_lists, st.randoms(use_true_random=False))
def test_the_ladder_does_not_depend_on_the_order_of_its_facts(accidents, hazards, rnd):
    warnings = (confirmed(1, L.NOTICE, date(2023, 3, 1)), confirmed(2, L.ADMONITION, date(2023, 8, 1)))
    today = date(2024, 4, 1)
    shuffled_a, shuffled_h, shuffled_w = list(accidents), list(hazards), list(warnings)
    for items in (shuffled_a, shuffled_h, shuffled_w):
        rnd.shuffle(items)
    one = ladder(UnitFacts("yjj", today, tuple(hazards), tuple(accidents), warnings), SETTINGS)
    two = ladder(UnitFacts("yjj", today, tuple(shuffled_h), tuple(shuffled_a), tuple(shuffled_w)), SETTINGS)
    assert one == two
    assert len({(p.level, p.trigger_key) for p in one}) == len(one)  # one proposal per id
    assert all(p.fact_on <= today for p in one)


# ===== 一票否优 / 一票否决 ==========================================================================


def grounds(entries) -> list[tuple[VetoGround, tuple[UUID, ...]]]:
    return [(e.ground, e.accident_ids) for e in entries]


def test_a_general_liability_accident_during_the_campaign_loses_the_excellence_rating_only():
    flags = veto_flags([accident(1, date(2023, 6, 1), liability=True)], CAMPAIGN)
    assert flags.excellence_vetoed and not flags.assessment_vetoed
    assert grounds(flags.excellence_veto) == [(VetoGround.GENERAL_LIABILITY_ACCIDENT, (uid(1),))]


@pytest.mark.parametrize(
    "fact",
    [
        accident(1, date(2023, 6, 1)),  # general, no liability
        accident(1, date(2023, 4, 30), liability=True),  # before the campaign
        accident(1, date(2024, 1, 1), G.LARGER, 3, levels=(SupervisionLevel.CITY,)),  # after it
    ],
)
def test_no_flag_without_a_ground_during_the_campaign(fact: AccidentFact):
    flags = veto_flags([fact], CAMPAIGN)
    assert not flags.excellence_vetoed and not flags.assessment_vetoed


def test_a_district_listed_accident_loses_the_excellence_rating():
    flags = veto_flags([accident(1, date(2023, 6, 1), levels=(SupervisionLevel.DISTRICT,))], CAMPAIGN)
    assert grounds(flags.excellence_veto) == [(VetoGround.DISTRICT_LISTED_ACCIDENT, (uid(1),))]
    assert not flags.assessment_vetoed


@pytest.mark.parametrize(
    ("fact", "ground"),
    [
        (accident(1, date(2023, 6, 1), G.LARGER, 3), VetoGround.LARGER_OR_WORSE_ACCIDENT),
        (accident(1, date(2023, 6, 1), G.MAJOR, 10), VetoGround.LARGER_OR_WORSE_ACCIDENT),
        (accident(1, date(2023, 6, 1), levels=(SupervisionLevel.CITY,)), VetoGround.CITY_OR_HIGHER_LISTED_ACCIDENT),
        (accident(1, date(2023, 6, 1), levels=(SupervisionLevel.PROVINCE,)), VetoGround.CITY_OR_HIGHER_LISTED_ACCIDENT),
    ],
)
def test_a_larger_accident_or_a_city_listing_fails_the_assessment(fact: AccidentFact, ground: VetoGround):
    flags = veto_flags([fact], CAMPAIGN)
    assert grounds(flags.assessment_veto) == [(ground, (uid(1),))]


def test_two_fatal_liability_accidents_in_a_row_fail_the_assessment():
    fatal = [accident(1, date(2023, 6, 1), deaths=1, liability=True), accident(2, date(2023, 7, 1), deaths=2, liability=True)]
    flags = veto_flags(fatal, CAMPAIGN)
    assert grounds(flags.assessment_veto) == [(VetoGround.CONSECUTIVE_FATAL_LIABILITY_ACCIDENTS, (uid(1), uid(2)))]
    # Each is a general liability accident too: 一票否优 on both.
    assert grounds(flags.excellence_veto) == [
        (VetoGround.GENERAL_LIABILITY_ACCIDENT, (uid(1),)),
        (VetoGround.GENERAL_LIABILITY_ACCIDENT, (uid(2),)),
    ]


@pytest.mark.parametrize(
    "between",
    [
        accident(3, date(2023, 6, 15)),  # an accident without deaths in between breaks the row
        accident(3, date(2023, 6, 15), deaths=1, liability=False),  # so does a fatal one without liability
    ],
)
def test_two_fatal_liability_accidents_with_another_accident_between_are_not_in_a_row(between: AccidentFact):
    fatal = [accident(1, date(2023, 6, 1), deaths=1, liability=True), accident(2, date(2023, 7, 1), deaths=1, liability=True)]
    assert not veto_flags([*fatal, between], CAMPAIGN).assessment_vetoed


def test_a_pair_must_lie_within_the_campaign():
    pair = [accident(1, date(2023, 4, 30), deaths=1, liability=True), accident(2, date(2023, 5, 2), deaths=1, liability=True)]
    assert not veto_flags(pair, CAMPAIGN).assessment_vetoed


@settings(max_examples=200, deadline=None)
@given(accident_lists, st.randoms(use_true_random=False))
def test_the_flags_never_depend_on_the_order_of_the_accidents(accidents, rnd):
    shuffled = list(accidents)
    rnd.shuffle(shuffled)
    assert veto_flags(accidents, CAMPAIGN) == veto_flags(shuffled, CAMPAIGN)


@settings(max_examples=200, deadline=None)
@given(accident_lists)
def test_the_flags_name_only_accidents_of_the_campaign_and_follow_their_grounds(accidents):
    flags = veto_flags(accidents, CAMPAIGN)
    by_id = {a.accident_id: a for a in accidents}
    named = [by_id[i] for e in (*flags.excellence_veto, *flags.assessment_veto) for i in e.accident_ids]
    assert all(CAMPAIGN.contains(a.happened_on) for a in named)
    during = [a for a in accidents if CAMPAIGN.contains(a.happened_on)]
    assert flags.assessment_vetoed == (
        any(a.larger_or_worse or a.listing_levels & {SupervisionLevel.CITY, SupervisionLevel.PROVINCE} for a in during)
        or any(
            a.fatal and a.liability and b.fatal and b.liability
            for a, b in zip(sorted(during, key=lambda x: x.order), sorted(during, key=lambda x: x.order)[1:], strict=False)
        )
    )
    assert flags.excellence_vetoed == any(
        (a.grade is G.GENERAL and a.liability) or SupervisionLevel.DISTRICT in a.listing_levels for a in during
    )


# ===== settings ===================================================================================


def test_the_plan_due_days_default_to_7_and_are_overridden_by_hazard_plan_due_days():
    from app.settings import RULE_VARIABLES, Settings
    from domain.reference_data import load_reference

    rules = load_reference().rules
    assert (rules.plan_due_days, rules.accident_records_start) == (7, None)
    assert RULE_VARIABLES["HAZARD_PLAN_DUE_DAYS"] == "plan_due_days"
    overrides = Settings.from_env({"HAZARD_PLAN_DUE_DAYS": "10"}).rule_overrides
    assert rules.overridden(overrides).plan_due_days == 10
