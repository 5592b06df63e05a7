"""The reporting calendar (报送日历, domain/reporting_calendar.py) as pure rules: the plan's dates, the
statuses, the missed reports and the warning ladder's input — examples and properties."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from uuid import UUID, uuid5

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.business_time import CHINA_TZ
from domain.glossary import ReportStatus, ReportWarning, WarningLevel, WarningTrigger
from domain.reference_data import load_reference
from domain.reporting_calendar import (
    SubmissionFact,
    calendar_as_of,
    campaign_warning,
    cut_off_warning,
    cut_offs,
    deadlines,
    default_cut_off,
    ladder_reports_due,
    paper_reports,
    submission_warnings,
)
from domain.warning_rules import Campaign, LadderSettings, UnitFacts, ladder

REFERENCE = load_reference()
S = ReportStatus
NS = UUID("00000000-0000-0000-0000-00000000ca1e")


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), CHINA_TZ)


def submission(
    unit: str | None, annex: str, as_of: date, on: date, recorded: datetime | None = None, n: int = 0
) -> SubmissionFact:
    return SubmissionFact(
        uuid5(NS, f"{unit}|{annex}|{as_of}|{on}|{n}"), annex, unit, as_of, at(on), recorded or at(on) + timedelta(minutes=n)
    )


def statuses(
    as_of: date, facts: list[SubmissionFact], unit: str = "yjj", known_at: datetime | None = None
) -> dict[str, ReportStatus]:
    view = calendar_as_of(REFERENCE, facts, as_of, known_at, unit_id=unit)
    return {r.deadline.key: r.status for r in view.units[0].reports}


# ===== the plan's dates =======================================================================


def test_the_calendar_is_the_plans() -> None:
    owed = deadlines(REFERENCE.reporting, REFERENCE.campaign, REFERENCE.campaign.end)
    keys = [d.key for d in owed]
    # 调度表 monthly by the 22nd from May (the plan was issued on 20 May); 统计表 on the 5th, 12th and 22nd
    assert [k for k in keys if k.startswith("annex1:")] == [f"annex1:2023-{m:02d}-22" for m in range(5, 13)]
    annex2 = [d.due_on for d in owed if d.report == "annex2"]
    assert annex2[:4] == [date(2023, 5, 22), date(2023, 6, 5), date(2023, 6, 12), date(2023, 6, 22)]
    assert annex2[-1] == date(2023, 12, 22) and len(annex2) == 1 + 3 * 7
    # the 4张清单 (Annex 3) once, by 12 June; the other one-off reports are on paper
    assert [d.key for d in owed if d.report == "annex3"] == ["annex3:2023-06-12"]
    assert cut_offs(REFERENCE.reporting, REFERENCE.campaign, "annex3") == [date(2023, 6, 12)]
    paper = paper_reports(REFERENCE.reporting, date(2023, 12, 31))
    assert [(f.due, f.title) for f in paper] == [
        (date(2023, 5, 17), "专项行动方案及动员部署情况"),
        (date(2023, 8, 12), "阶段工作情况"),
        (date(2023, 12, 12), "工作总结"),
    ]
    assert owed == sorted(owed, key=lambda d: (d.due_on, d.report)) and len(set(keys)) == len(keys)


def test_the_zone_the_streets_and_the_departments_owe_reports_and_the_office_none() -> None:
    view = calendar_as_of(REFERENCE, [], date(2023, 6, 30))
    owing = {c.unit_id for c in view.units}
    assert {"yjj", "szkfq", "wulong"} <= owing and "ajb" not in owing and len(owing) == len(REFERENCE.units) - 1
    assert calendar_as_of(REFERENCE, [], date(2023, 6, 30), unit_id="ajb").units[0].reports == ()
    assert ladder_reports_due(REFERENCE, "ajb", [], date(2023, 6, 30)) == ()


def test_statuses_around_a_cut_off() -> None:
    due = date(2023, 6, 12)
    on_time = submission("yjj", "annex2", due, due)
    assert statuses(due, [])["annex2:2023-06-12"] is S.NOT_YET_DUE  # the day is not over
    assert statuses(due, [on_time])["annex2:2023-06-12"] is S.ON_TIME
    assert statuses(due + timedelta(days=1), [])["annex2:2023-06-12"] is S.MISSING
    late = submission("yjj", "annex2", due, due + timedelta(days=3))
    assert statuses(due + timedelta(days=2), [late])["annex2:2023-06-12"] is S.MISSING  # not yet sent then
    assert statuses(due + timedelta(days=3), [late])["annex2:2023-06-12"] is S.LATE
    # a resubmission does not make a late report on time, nor an on-time one late
    assert statuses(date(2023, 7, 1), [late, on_time])["annex2:2023-06-12"] is S.ON_TIME
    # another unit's, another annex's or another cut-off's submission counts for none
    others = [
        submission("wlj", "annex2", due, due),
        submission("yjj", "annex1", due, due),
        submission("yjj", "annex2", date(2023, 6, 10), date(2023, 6, 10)),
        submission(None, "annex2", due, due),
    ]
    assert statuses(date(2023, 7, 1), others)["annex2:2023-06-12"] is S.MISSING
    # the 4张清单 by 12 June
    assert statuses(date(2023, 6, 13), [submission("yjj", "annex3", due, date(2023, 6, 11))])["annex3:2023-06-12"] is S.ON_TIME


def test_known_at_hides_what_was_recorded_later() -> None:
    due = date(2023, 6, 12)
    back_dated = submission("yjj", "annex2", due, due, recorded=at(date(2023, 6, 20)))
    assert statuses(date(2023, 6, 30), [back_dated])["annex2:2023-06-12"] is S.ON_TIME
    assert statuses(date(2023, 6, 30), [back_dated], known_at=at(date(2023, 6, 15)))["annex2:2023-06-12"] is S.MISSING


def test_a_missed_report_is_a_prompt_the_day_after_even_when_sent_late() -> None:
    due = date(2023, 6, 22)
    facts = [submission("yjj", "annex1", due, date(2023, 6, 25))]
    view = calendar_as_of(REFERENCE, facts, date(2023, 6, 30), unit_id="yjj")
    missed = {m.key: m for m in view.missed}
    assert missed["annex1:2023-06-22"].missed_on == date(2023, 6, 23)
    assert view.units[0].overdue and all(r.status in (S.LATE, S.MISSING) for r in view.units[0].overdue)
    reports_due = ladder_reports_due(REFERENCE, "yjj", facts, date(2023, 6, 30))
    proposals = ladder(UnitFacts("yjj", date(2023, 6, 30), reports_due=reports_due), _settings())
    assert {p.trigger_key for p in proposals} == {f"report_missed:{k}" for k in missed}
    late = next(p for p in proposals if p.trigger_key == "report_missed:annex1:2023-06-22")
    assert (
        late.level is WarningLevel.PROMPT and late.trigger is WarningTrigger.REPORT_MISSED and late.fact_on == date(2023, 6, 23)
    )
    assert late.refs == (facts[0].submission_id,)


def test_the_default_cut_off_and_the_warnings() -> None:
    assert default_cut_off(date(2023, 6, 13)) == date(2023, 6, 12)
    assert default_cut_off(date(2023, 6, 4)) == date(2023, 5, 22)
    assert default_cut_off(date(2023, 6, 22)) == date(2023, 6, 22)
    campaign = REFERENCE.campaign
    assert campaign_warning(date(2023, 5, 1), campaign) is None and campaign_warning(date(2023, 12, 31), campaign) is None
    outside = campaign_warning(date(2024, 1, 5), campaign)
    assert outside is not None and outside.code is ReportWarning.OUTSIDE_CAMPAIGN and "2024-01-05" in outside.message_zh
    assert outside.as_dict()["code"] == "outside_campaign" and "campaign" in outside.message_en
    assert cut_off_warning(REFERENCE.reporting, campaign, "annex2", date(2023, 6, 12)) is None
    odd = cut_off_warning(REFERENCE.reporting, campaign, "annex2", date(2023, 6, 10))
    assert odd is not None and odd.code is ReportWarning.NOT_A_CUT_OFF and "2023-06-05, 2023-06-12" in odd.message_en
    assert cut_off_warning(REFERENCE.reporting, campaign, "annex1", date(2023, 6, 12)) is not None  # annex1: the 22nd only
    assert [w.code for w in submission_warnings(REFERENCE, "annex2", date(2024, 1, 5))] == [
        ReportWarning.NOT_A_CUT_OFF,
        ReportWarning.OUTSIDE_CAMPAIGN,
    ]
    assert submission_warnings(REFERENCE, "annex2", date(2023, 12, 22)) == []


def _settings() -> LadderSettings:
    return LadderSettings(Campaign(REFERENCE.campaign.start, REFERENCE.campaign.end))


# ===== properties =============================================================================

UNITS = ("yjj", "wulong", "szkfq", "ajb")
CUT_OFFS = [d.due_on for d in deadlines(REFERENCE.reporting, REFERENCE.campaign, REFERENCE.campaign.end)]
DAYS = st.dates(date(2023, 5, 1), date(2024, 1, 31))


@st.composite
def submissions(draw: st.DrawFn) -> SubmissionFact:
    annex = draw(st.sampled_from(("annex1", "annex2", "annex3")))
    unit = draw(st.sampled_from((*UNITS, None)))
    as_of = draw(st.one_of(st.sampled_from(CUT_OFFS), DAYS))
    on = as_of + timedelta(days=draw(st.integers(0, 20)))
    recorded = at(on) + timedelta(hours=draw(st.integers(0, 24 * 30)))
    return submission(unit, annex, as_of, on, recorded=recorded, n=draw(st.integers(0, 3)))


FACTS = st.lists(submissions(), max_size=25)
KNOWN = st.one_of(st.none(), DAYS.map(at))


def _view(facts: list[SubmissionFact], as_of: date, known_at: datetime | None) -> dict[tuple[str, str], ReportStatus]:
    view = calendar_as_of(REFERENCE, facts, as_of, known_at)
    return {(c.unit_id, r.deadline.key): r.status for c in view.units for r in c.reports}


@settings(max_examples=80, deadline=None)
@given(FACTS, DAYS, KNOWN)
def test_every_due_report_has_exactly_one_status(facts: list[SubmissionFact], as_of: date, known_at: datetime | None) -> None:
    view = calendar_as_of(REFERENCE, facts, as_of, known_at)
    owed = deadlines(REFERENCE.reporting, REFERENCE.campaign, as_of)
    for c in view.units:
        assert [r.deadline for r in c.reports] == owed  # every report due by as_of, once, and nothing later
        for r in c.reports:
            assert r.deadline.due_on <= as_of
            assert (r.status is S.NOT_YET_DUE) == (r.deadline.due_on == as_of and r.submitted_on is None)
            assert (r.status is S.ON_TIME) == (r.submitted_on is not None and r.submitted_on <= r.deadline.due_on)
            assert (r.status is S.LATE) == (r.submitted_on is not None and r.submitted_on > r.deadline.due_on)
            assert (r.status is S.MISSING) == (r.submitted_on is None and r.deadline.due_on < as_of)
            assert (r.submitted_on is None) == (r.submission_id is None)


@settings(max_examples=80, deadline=None)
@given(FACTS, submissions(), DAYS, KNOWN)
def test_adding_a_submission_never_creates_a_miss(
    facts: list[SubmissionFact], extra: SubmissionFact, as_of: date, known_at: datetime | None
) -> None:
    before = set(calendar_as_of(REFERENCE, facts, as_of, known_at).missed)
    after = set(calendar_as_of(REFERENCE, [*facts, extra], as_of, known_at).missed)
    assert after <= before


@settings(max_examples=60, deadline=None)
@given(FACTS, DAYS, KNOWN, st.randoms(use_true_random=False))
def test_the_order_of_the_submissions_does_not_matter(
    facts: list[SubmissionFact], as_of: date, known_at: datetime | None, rnd
) -> None:  # type: ignore[no-untyped-def]
    shuffled = list(facts)
    rnd.shuffle(shuffled)
    assert calendar_as_of(REFERENCE, facts, as_of, known_at) == calendar_as_of(REFERENCE, shuffled, as_of, known_at)


@settings(max_examples=60, deadline=None)
@given(FACTS, DAYS, DAYS.map(at))
def test_an_earlier_known_at_hides_the_later_recorded_submissions(
    facts: list[SubmissionFact], as_of: date, known_at: datetime
) -> None:
    visible = [s for s in facts if s.recorded_at <= known_at]
    assert _view(facts, as_of, known_at) == _view(visible, as_of, None)
    assert set(calendar_as_of(REFERENCE, facts, as_of, None).missed) <= set(
        calendar_as_of(REFERENCE, facts, as_of, known_at).missed
    )


@settings(max_examples=60, deadline=None)
@given(FACTS, DAYS, KNOWN, st.sampled_from(UNITS))
def test_the_ladder_warns_for_exactly_the_missed_reports(
    facts: list[SubmissionFact], as_of: date, known_at: datetime | None, unit: str
) -> None:
    missed = {(m.key, m.missed_on) for m in calendar_as_of(REFERENCE, facts, as_of, known_at, unit_id=unit).missed}
    reports_due = ladder_reports_due(REFERENCE, unit, facts, as_of, known_at)
    proposals = ladder(UnitFacts(unit, as_of, reports_due=reports_due), _settings())
    assert {(p.trigger_key.removeprefix("report_missed:"), p.fact_on) for p in proposals} == missed
    assert all(p.level is WarningLevel.PROMPT for p in proposals)
