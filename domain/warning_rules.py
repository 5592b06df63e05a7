"""The warning ladder (分级警示) of a reporting unit and its veto flags (一票否优 / 一票否决): pure rules.

No I/O: the input is plain facts (the dataclasses below, read from the ``process_facts`` read model
by ``projections/process_queries.py``), the output is proposals with a stable trigger key — the
warning's id is a uuid5 of (unit, level, trigger key), so evaluating the same facts again proposes
nothing new (``domain/unit_warning.py``). Every result is independent of the order of the input.

The source, 呈贡区重大事故隐患专项排查整治2023行动方案 (seeds/chenggong-2023-major-hazard-action-plan.txt):

    809  6.警示约谈制度。区安委办通过工作提示函的形式将日常工
    813  作建议。对云南省数字经济开发区管委会，各街道、各有关部门开展
    815  安全生产分级警示，具体如下：未严格履职、失管漏管和脱节断
    817  档等情况进行安全生产提示，对重大事故隐患整改不到位或 1个
    819  月内发生 2起及以上一般生产事故等情况进行安全生产告知，对
    821  专项行动期间发生 1起较大生产安全事故或 1个季度事故总量同
    823  比上升等情况的进行安全生产告诫。对多次警示后，依然存在整
    825  治工作不负责、整治措施不得力、重大问题隐患不整改、逾期没
    827  有完成目标任务等问题的，提请区政府或区安委会进行约谈。
    ...
    846  险隐患视而不见、见而不查、查而不改，以及专项行动期间发生
    848  1起一般生产安全责任事故（或被区安委会挂牌督办的事故）的
    850  予以“一票否优”，取消年度考核评优资格；发生 1起较大及以上
    852  生产安全事故（或连续发生 2起亡人责任事故、被市级以上挂牌
    854  督办的事故）的予以“一票否决”。

What counts for a unit: a hazard or an accident counts for the unit leading its sector row and for
its street or zone (DESIGN §5, ``domain.figures.units_counting_hazard``); the reader does that. Dates
are Beijing business dates. "One calendar month" after a date D is the same day of the next month,
or its last day when shorter (31 Jan → 28/29 Feb); "3 months" likewise.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from domain.business_time import business_date
from domain.glossary import AccidentGrade, SupervisionLevel, VetoGround, WarningLevel, WarningState, WarningTrigger

L, T = WarningLevel, WarningTrigger
LEVEL_ORDER: tuple[WarningLevel, ...] = (L.PROMPT, L.NOTICE, L.ADMONITION, L.INTERVIEW)
_SEVERITY: tuple[AccidentGrade, ...] = (
    AccidentGrade.GENERAL,
    AccidentGrade.LARGER,
    AccidentGrade.MAJOR,
    AccidentGrade.ESPECIALLY_MAJOR,
)
# 约谈 "after repeated warnings without effect": a new 告知/告诫 trigger while the unit already holds at
# least this many confirmed warnings of level 告知 or higher, confirmed within this many calendar months
# before (and up to) the day of the new trigger's fact.
INTERVIEW_AFTER_WARNINGS = 2
INTERVIEW_WINDOW_MONTHS = 3


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later (earlier if negative), clamped to the month's end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_start(year: int, quarter: int) -> date:
    return date(year, 3 * (quarter - 1) + 1, 1)


# ===== facts ==================================================================================


@dataclass(frozen=True)
class MissedDeadline:
    """A missed deadline of a hazard (``domain/hazard_timeline.py``): the deadline and the day it was missed."""

    deadline: date
    missed_on: date


@dataclass(frozen=True)
class MajorHazardFact:
    """A major hazard counted for the unit."""

    hazard_id: UUID
    reported_on: date
    plan_filed_on: date | None = None
    voided: bool = False
    missed_deadlines: tuple[MissedDeadline, ...] = ()


@dataclass(frozen=True)
class AccidentFact:
    """An accident counted for the unit. ``liability`` is the investigation's conclusion when there is
    one, else the report's; ``listing_levels`` every level of government that listed it (挂牌督办)."""

    accident_id: UUID
    happened_at: datetime
    grade: AccidentGrade
    deaths: int = 0
    liability: bool = False
    listing_levels: frozenset[SupervisionLevel] = frozenset()

    @property
    def happened_on(self) -> date:
        return business_date(self.happened_at)

    @property
    def fatal(self) -> bool:
        return self.deaths > 0

    @property
    def larger_or_worse(self) -> bool:
        return _SEVERITY.index(self.grade) >= _SEVERITY.index(AccidentGrade.LARGER)

    @property
    def order(self) -> tuple[datetime, str]:
        """Date order; accidents at the same instant in id order (deterministic, input-order free)."""
        return (self.happened_at, str(self.accident_id))


@dataclass(frozen=True)
class WarningFact:
    """A warning already on record for the unit; ``decided_on`` is the day of its confirmation (or dismissal)."""

    warning_id: UUID
    level: WarningLevel
    trigger_key: str
    state: WarningState
    decided_on: date | None = None


@dataclass(frozen=True)
class ReportDue:
    """Hook for "missed report deadline" (未严格履职, line 815): a report the unit owes the office (Annex 1
    monthly by the 22nd, Annex 2 per 旬, Annex 3 once; seed lines 800–803, 893–898), as the reporting
    calendar gives it (``domain.reporting_calendar.ladder_reports_due``)."""

    report: str  # e.g. "annex1"
    period: str  # the cut-off, e.g. "2023-06-22"
    due_on: date
    submitted_on: date | None = None
    ref: UUID | None = None  # the submission, once there is one


@dataclass(frozen=True)
class Campaign:
    start: date
    end: date

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class LadderSettings:
    campaign: Campaign
    plan_due_days: int = 7
    # Quarters are compared year on year only when last year's quarter starts on or after this date
    # (accident records before it are not known to be complete). None: the campaign start.
    accident_records_start: date | None = None

    @property
    def records_start(self) -> date:
        return self.accident_records_start or self.campaign.start


@dataclass(frozen=True)
class UnitFacts:
    unit_id: str
    today: date
    hazards: tuple[MajorHazardFact, ...] = ()
    accidents: tuple[AccidentFact, ...] = ()
    warnings: tuple[WarningFact, ...] = ()
    reports_due: tuple[ReportDue, ...] = ()


@dataclass(frozen=True)
class Proposal:
    """A warning to propose. ``fact_on`` is the business date of the fact that triggers it."""

    unit_id: str
    level: WarningLevel
    trigger: WarningTrigger
    trigger_key: str
    refs: tuple[UUID, ...]
    fact_on: date
    reason_zh: str
    reason_en: str


# ===== the ladder =============================================================================


def ladder(facts: UnitFacts, settings: LadderSettings) -> list[Proposal]:
    """Every warning the unit's facts call for as of ``facts.today`` (already proposed ones included:
    the deterministic id makes them collide), in (fact date, level, key) order."""
    base = [
        *_plan_overdue(facts, settings),
        *_reports_missed(facts),
        *_deadlines_missed(facts),
        *_general_accidents_in_month(facts),
        *_larger_accidents(facts, settings),
        *_quarters_up(facts, settings),
    ]
    proposals = [*base, *_interviews(facts, base)]
    proposals = [p for p in proposals if p.fact_on <= facts.today]
    return sorted(proposals, key=lambda p: (p.fact_on, LEVEL_ORDER.index(p.level), p.trigger_key))


def _proposal(facts: UnitFacts, level: WarningLevel, trigger: WarningTrigger, key: str, refs: Iterable[UUID],
              fact_on: date, zh: str, en: str) -> Proposal:  # fmt: skip
    return Proposal(facts.unit_id, level, trigger, f"{trigger.value}:{key}", tuple(refs), fact_on, zh, en)


def _plan_overdue(facts: UnitFacts, settings: LadderSettings) -> list[Proposal]:
    """提示 (未严格履职, line 815): a major hazard counted for the unit has no rectification plan by the end
    of the ``plan_due_days``-th day after the day it was reported (filed late or not at all). Voided
    hazards count nowhere. Fact date: the first day late."""
    n = settings.plan_due_days
    result = []
    for h in facts.hazards:
        due = h.reported_on + timedelta(days=n)
        if h.voided or (h.plan_filed_on is not None and h.plan_filed_on <= due):
            continue
        result.append(
            _proposal(
                facts, L.PROMPT, T.PLAN_OVERDUE, str(h.hazard_id), [h.hazard_id], due + timedelta(days=1),
                f"重大事故隐患（{h.reported_on.isoformat()} 上报）{n} 日内未制定整改方案（五落实）",
                f"Major hazard reported {h.reported_on.isoformat()} has no rectification plan within {n} days",
            )
        )  # fmt: skip
    return result


def _reports_missed(facts: UnitFacts) -> list[Proposal]:
    """提示 (未严格履职, line 815), hook: a report not submitted by its due date. Fact date: the day after."""
    result = []
    for r in facts.reports_due:
        if r.submitted_on is not None and r.submitted_on <= r.due_on:
            continue
        result.append(
            _proposal(
                facts, L.PROMPT, T.REPORT_MISSED, f"{r.report}:{r.period}", [r.ref] if r.ref else [],
                r.due_on + timedelta(days=1),
                f"{r.report}（{r.period}）未在 {r.due_on.isoformat()} 前报送",
                f"{r.report} ({r.period}) was not submitted by {r.due_on.isoformat()}",
            )
        )  # fmt: skip
    return result


def _deadlines_missed(facts: UnitFacts) -> list[Proposal]:
    """告知 (重大事故隐患整改不到位, line 817): each missed rectification deadline (derived, ``hazard_timeline``) of a
    major hazard counted for the unit — one per hazard and deadline, so a hazard that misses its
    extended deadline too is warned again. Fact date: the day the miss was recorded."""
    result = []
    for h in facts.hazards:
        if h.voided:
            continue
        for m in h.missed_deadlines:
            result.append(
                _proposal(
                    facts, L.NOTICE, T.DEADLINE_MISSED, f"{h.hazard_id}:{m.deadline.isoformat()}", [h.hazard_id],
                    m.missed_on,
                    f"重大事故隐患整改期限 {m.deadline.isoformat()} 已过，逾期未整改",
                    f"Major hazard not rectified by its deadline {m.deadline.isoformat()}",
                )
            )  # fmt: skip
    return result


def _general_accidents_in_month(facts: UnitFacts) -> list[Proposal]:
    """告知 (1个月内发生2起及以上一般生产事故, lines 817–819): a general (一般) accident counted for the unit,
    any liability, that is at least the second such accident within one calendar month: some earlier
    general accident of the unit (date order, then id) happened on or after the day one calendar month
    before it — i.e. their dates are at most one calendar month apart. One notice per such accident
    (a third accident in the month is a new notice), keyed by it. Fact date: its date."""
    generals = sorted((a for a in facts.accidents if a.grade is AccidentGrade.GENERAL), key=lambda a: a.order)
    result = []
    for j, current in enumerate(generals):
        earlier = [a for a in generals[:j] if add_months(a.happened_on, 1) >= current.happened_on]
        if not earlier:
            continue
        count = len(earlier) + 1
        result.append(
            _proposal(
                facts, L.NOTICE, T.GENERAL_ACCIDENTS_IN_MONTH, str(current.accident_id),
                [*(a.accident_id for a in earlier), current.accident_id], current.happened_on,
                f"1个月内发生 {count} 起一般生产安全事故（截至 {current.happened_on.isoformat()}）",
                f"{count} general accidents within one month (up to {current.happened_on.isoformat()})",
            )
        )  # fmt: skip
    return result


def _larger_accidents(facts: UnitFacts, settings: LadderSettings) -> list[Proposal]:
    """告诫 (专项行动期间发生1起较大生产安全事故, line 821): an accident of grade 较大 or worse (a 重大 or 特别重大
    accident is no less) counted for the unit, dated within the campaign (start..end inclusive)."""
    result = []
    for a in facts.accidents:
        if not (a.larger_or_worse and settings.campaign.contains(a.happened_on)):
            continue
        result.append(
            _proposal(
                facts, L.ADMONITION, T.LARGER_ACCIDENT, str(a.accident_id), [a.accident_id], a.happened_on,
                f"专项行动期间发生{a.grade.zh}（{a.happened_on.isoformat()}，死亡 {a.deaths} 人）",
                f"A {a.grade.value} accident during the campaign ({a.happened_on.isoformat()}, {a.deaths} dead)",
            )
        )  # fmt: skip
    return result


def _quarters_up(facts: UnitFacts, settings: LadderSettings) -> list[Proposal]:
    """告诫 (1个季度事故总量同比上升, lines 821–823): the accidents (all grades) counted for the unit in a
    calendar quarter outnumber those of the same quarter of the previous year. Counts only grow, so it
    fires as soon as the quarter's (n+1)-th accident happens, n being last year's count; fact date: that
    accident's date. Compared only when last year's quarter lies within complete records
    (``settings.records_start``), so a ledger without last year's accidents does not warn every unit."""
    by_quarter: dict[tuple[int, int], list[AccidentFact]] = {}
    for a in facts.accidents:
        by_quarter.setdefault((a.happened_on.year, quarter_of(a.happened_on)), []).append(a)
    result = []
    for (year, quarter), accidents in by_quarter.items():
        if quarter_start(year - 1, quarter) < settings.records_start:
            continue
        previous = len(by_quarter.get((year - 1, quarter), []))
        if len(accidents) <= previous:
            continue
        first = sorted(accidents, key=lambda a: a.order)[: previous + 1]
        result.append(
            _proposal(
                facts, L.ADMONITION, T.QUARTER_UP, f"{year}Q{quarter}", [a.accident_id for a in first],
                first[-1].happened_on,
                f"{year}年第{quarter}季度事故已达 {previous + 1} 起，超过上年同期（{previous} 起）",
                f"{year} Q{quarter}: {previous + 1} accidents, more than the same quarter last year ({previous})",
            )
        )  # fmt: skip
    return result


def _interviews(facts: UnitFacts, base: list[Proposal]) -> list[Proposal]:
    """约谈 (多次警示后，依然存在…问题的，提请区政府或区安委会进行约谈, lines 823–827): a 告知 or 告诫 trigger
    whose fact happened while the unit already held ``INTERVIEW_AFTER_WARNINGS`` (2) or more confirmed
    warnings of level 告知 or higher, each confirmed on a day in [fact date − 3 calendar months, fact
    date] (warnings of the same trigger excluded). Proposed besides the 告知/告诫 itself, keyed by it."""
    confirmed = [
        w for w in facts.warnings
        if w.state is WarningState.CONFIRMED and w.decided_on is not None and LEVEL_ORDER.index(w.level) >= 1
    ]  # fmt: skip
    result = []
    for p in base:
        if p.level not in (L.NOTICE, L.ADMONITION):
            continue
        since = add_months(p.fact_on, -INTERVIEW_WINDOW_MONTHS)
        prior = sorted(
            (w for w in confirmed if since <= w.decided_on <= p.fact_on and w.trigger_key != p.trigger_key),  # type: ignore[operator]
            key=lambda w: (w.decided_on, str(w.warning_id)),
        )
        if len(prior) < INTERVIEW_AFTER_WARNINGS:
            continue
        result.append(
            Proposal(
                facts.unit_id, L.INTERVIEW, T.REPEATED_WARNINGS, f"{T.REPEATED_WARNINGS.value}:{p.trigger_key}",
                (*(w.warning_id for w in prior), *p.refs), p.fact_on,
                f"{INTERVIEW_WINDOW_MONTHS}个月内已{len(prior)}次受到告知及以上警示，又出现：{p.reason_zh}",
                f"{len(prior)} confirmed warnings (notice or higher) within {INTERVIEW_WINDOW_MONTHS} months, "
                f"and again: {p.reason_en}",
            )
        )  # fmt: skip
    return result


# ===== the veto flags =========================================================================


@dataclass(frozen=True)
class VetoEntry:
    """One ground of a flag and the accidents behind it (date order)."""

    ground: VetoGround
    accident_ids: tuple[UUID, ...]


@dataclass(frozen=True)
class VetoFlags:
    excellence_veto: tuple[VetoEntry, ...]
    assessment_veto: tuple[VetoEntry, ...]

    @property
    def excellence_vetoed(self) -> bool:
        return bool(self.excellence_veto)

    @property
    def assessment_vetoed(self) -> bool:
        return bool(self.assessment_veto)


def veto_flags(accidents: Iterable[AccidentFact], campaign: Campaign) -> VetoFlags:
    """The unit's flags from its accidents dated within the campaign ("专项行动期间发生", line 846, read as
    governing both sentences of lines 846–854: the annual assessment is of the campaign's work).

    一票否优 excellence_veto (lines 846–850): a general (一般) liability accident (责任事故), or an accident
    listed by the district (被区安委会挂牌督办; listed at district level at any time).

    一票否决 assessment_veto (lines 850–854): an accident of grade 较大 or worse; or two fatal liability
    accidents in a row (连续发生2起亡人责任事故): two consecutive accidents of the unit within the campaign,
    in date order (same instant: id order), both with deaths and liability — each such pair is one
    entry; or an accident listed by the city or the province (被市级以上挂牌督办).

    A unit whose assessment is vetoed loses any excellence rating anyway; the flags are kept apart as
    the plan words them. The result does not depend on the order of ``accidents``.
    """
    during = sorted((a for a in accidents if campaign.contains(a.happened_on)), key=lambda a: a.order)
    excellence: list[VetoEntry] = []
    assessment: list[VetoEntry] = []
    for a in during:
        if a.grade is AccidentGrade.GENERAL and a.liability:
            excellence.append(VetoEntry(VetoGround.GENERAL_LIABILITY_ACCIDENT, (a.accident_id,)))
        if SupervisionLevel.DISTRICT in a.listing_levels:
            excellence.append(VetoEntry(VetoGround.DISTRICT_LISTED_ACCIDENT, (a.accident_id,)))
        if a.larger_or_worse:
            assessment.append(VetoEntry(VetoGround.LARGER_OR_WORSE_ACCIDENT, (a.accident_id,)))
        if a.listing_levels & {SupervisionLevel.CITY, SupervisionLevel.PROVINCE}:
            assessment.append(VetoEntry(VetoGround.CITY_OR_HIGHER_LISTED_ACCIDENT, (a.accident_id,)))
    for first, second in zip(during, during[1:], strict=False):
        if first.fatal and first.liability and second.fatal and second.liability:
            assessment.append(
                VetoEntry(VetoGround.CONSECUTIVE_FATAL_LIABILITY_ACCIDENTS, (first.accident_id, second.accident_id))
            )
    return VetoFlags(tuple(excellence), tuple(assessment))
