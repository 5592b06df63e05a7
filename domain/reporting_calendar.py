"""The reporting calendar (报送日历): which reports each unit owes the safety committee office (区安委办), by
when, and whether it sent them. Pure: the calendar is reference data (``[reporting]`` in
``domain/reference/district.toml``), the submissions are plain facts (read from the ``ReportSubmitted``
events by ``projections/reporting_queries.py``); nothing here reads a clock or a database.

The source, 呈贡区重大事故隐患专项排查整治2023行动方案 (seeds/chenggong-2023-major-hazard-action-plan.txt):

    801  5.调度通报制度。云南省数字经济开发区管委会，各街道、各有关部门要每月向区安委办报送工作进展情况
         （填报附件 1），每旬报送工作数据（填报附件 2）。
    893  请云南省数字经济开发区管委会，各街道、各有关部门于 2023年 5月 17日前将专项行动方案及动员部署情况
         报送区安委办（区应急局端口），于 6月 12日前报送重大风险隐患“4张清单”，于 2023 年 8 月 12 日前报送
         阶段工作情况、2023 年 12 月 12 日前报送工作总结。
    1036 注：1.… 调度表自 5 月份开始报送，每月 22 日前通过公文交换系统报 5 月以来累计情况。
    1284 … 于每月 5/12/22 日前将本级开展工作的累计数 …  (Annex 2)

The rules, exactly:

* **Who owes.** Every unit whose kind is in ``calendar.owed_by`` (the zone, the streets, the departments:
  “云南省数字经济开发区管委会，各街道、各有关部门”). The 区安委办 receives and compiles the reports (the
  district roll-up) and is not listed; if a district lists ``committee_office``, the office's
  submissions are the district's (``unit`` None).
* **What is due.** A periodic report is due on each of its ``days`` of every month, from the first such
  day on or after ``since`` up to the campaign's end; a one-off report with an annex on its ``due`` day.
  Its period is its cut-off (the submission's ``as_of``) as an ISO date; the key ``"annex2:2023-06-12"``.
  A one-off report without an annex goes on paper: listed (``paper_reports``), never judged.
* **What counts.** A submission of the report's annex, by the unit, whose ``as_of`` is exactly the cut-off
  (a submission for another day counts for none; the API warns the clerk when it is made). As of a
  business date ``as_of`` and a recording time ``known_at``, only submissions made on or before ``as_of``
  (business date) and recorded at or before ``known_at`` (if given) count; of those the first (business
  time, then recording time, then id) is *the* submission. The result never depends on their order.
* **Status** of a report due on D, as of A ≥ D: ``on_time`` if submitted on or before D; ``late`` if
  submitted after D (and by A); ``missing`` if not submitted and D < A; ``not_yet_due`` if not submitted
  and D = A (the day is not over). Reports due after A are not listed.
* **Missed.** A late or missing report is missed (the plan's 提示 is for failing the due date, line 815):
  ``ReportMissed`` with ``missed_on`` = D + 1. ``ladder_reports_due`` gives the warning ladder's
  ``ReportDue`` facts (every report due before A); the ladder's ``_reports_missed`` proposes a 提示 for
  exactly the reports in ``ReportMissed``, on ``missed_on``.
"""

from __future__ import annotations

import calendar as month_calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from domain.bounds import cut_off
from domain.business_time import business_date
from domain.figures import latest_cut_off
from domain.glossary import REPORT_WARNING_MESSAGES, OrgKind, ReportStatus, ReportWarning
from domain.reference_data import Campaign, FixedReport, ReferenceData, ReportingCalendar, Unit
from domain.warning_rules import ReportDue

S = ReportStatus


# ===== facts ==================================================================================


@dataclass(frozen=True)
class SubmissionFact:
    """A ``ReportSubmitted``: its annex, unit (None: the district roll-up), cut-off, business time
    (``occurred_at``) and recording time (the event's ``timestamp``)."""

    submission_id: UUID
    annex: str
    unit: str | None
    as_of: date
    submitted_at: datetime
    recorded_at: datetime

    @property
    def submitted_on(self) -> date:
        return business_date(self.submitted_at)

    @property
    def order(self) -> tuple[datetime, datetime, str]:
        return (self.submitted_at, self.recorded_at, str(self.submission_id))


@dataclass(frozen=True)
class Deadline:
    """One report owed: ``report`` (the annex, or a one-off's name), its period (the cut-off, ISO) and due date."""

    report: str
    annex: str
    title: str
    period: str
    due_on: date

    @property
    def key(self) -> str:
        return f"{self.report}:{self.period}"


@dataclass(frozen=True)
class DueReport:
    """A report a unit owes as of a day, and what became of it."""

    unit_id: str
    deadline: Deadline
    status: ReportStatus
    submitted_on: date | None = None
    submission_id: UUID | None = None

    @property
    def missed(self) -> bool:
        return self.status in (S.LATE, S.MISSING)


@dataclass(frozen=True)
class ReportMissed:
    """A report not submitted by its due date (late or not at all): a failed duty (未严格履职)."""

    unit_id: str
    report: str
    period: str
    due_on: date
    missed_on: date

    @property
    def key(self) -> str:
        return f"{self.report}:{self.period}"


@dataclass(frozen=True)
class UnitCalendar:
    unit_id: str
    reports: tuple[DueReport, ...]

    @property
    def overdue(self) -> tuple[DueReport, ...]:
        """Who is late: the reports submitted late or not at all."""
        return tuple(r for r in self.reports if r.missed)


@dataclass(frozen=True)
class CalendarView:
    as_of: date
    known_at: datetime | None
    units: tuple[UnitCalendar, ...]
    missed: tuple[ReportMissed, ...]
    paper: tuple[FixedReport, ...]  # one-off reports on paper due by ``as_of``: listed, not judged


@dataclass(frozen=True)
class CalendarWarning:
    """A date the calendar does not expect: the answer is given, with this warning."""

    code: ReportWarning
    message_zh: str
    message_en: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code.value, "message_zh": self.message_zh, "message_en": self.message_en}


# ===== the calendar ===========================================================================


def deadlines(reporting: ReportingCalendar, campaign: Campaign, until: date) -> list[Deadline]:
    """Every report owed with a due date on or before ``until``, in (due date, report) order; one per key."""
    found: dict[str, Deadline] = {}
    for p in reporting.periodic:
        for day in _monthly(p.days, p.since, min(campaign.end, until)):
            d = Deadline(p.report, p.annex, p.title, day.isoformat(), day)
            found.setdefault(d.key, d)
    for f in reporting.fixed:
        if f.annex is not None and f.due <= until:
            d = Deadline(f.report, f.annex, f.title, f.due.isoformat(), f.due)
            found.setdefault(d.key, d)
    return sorted(found.values(), key=lambda d: (d.due_on, d.report))


def _monthly(days: Sequence[int], since: date, until: date) -> list[date]:
    result = []
    year, month = since.year, since.month
    while date(year, month, 1) <= until:
        last = month_calendar.monthrange(year, month)[1]
        result.extend(d for d in (date(year, month, min(n, last)) for n in days) if since <= d <= until)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result


def cut_offs(reporting: ReportingCalendar, campaign: Campaign, annex: str) -> list[date]:
    """The calendar's cut-off dates of one annex (the ``as_of`` a submission of it should name)."""
    return sorted({d.due_on for d in deadlines(reporting, campaign, campaign.end) if d.annex == annex})


def paper_reports(reporting: ReportingCalendar, until: date) -> tuple[FixedReport, ...]:
    """One-off reports without an annex due on or before ``until`` (on paper: listed, never judged)."""
    return tuple(sorted((f for f in reporting.fixed if f.annex is None and f.due <= until), key=lambda f: (f.due, f.report)))


def owing_units(reference: ReferenceData) -> list[Unit]:
    """The units that owe reports, in reference order."""
    return [u for u in reference.units.values() if u.kind in reference.reporting.owed_by]


def _owner(unit: Unit) -> str | None:
    """Whose submissions are the unit's: the office's are the district roll-up's (``unit`` None)."""
    return None if unit.kind is OrgKind.COMMITTEE_OFFICE else unit.id


def _counted(submissions: Iterable[SubmissionFact], as_of: date, known_at: datetime | None) -> list[SubmissionFact]:
    return sorted(
        (s for s in submissions if s.submitted_on <= as_of and (known_at is None or s.recorded_at <= known_at)),
        key=lambda s: s.order,
    )


def unit_reports(
    unit: Unit, owed: Sequence[Deadline], submissions: Iterable[SubmissionFact], as_of: date, known_at: datetime | None = None
) -> tuple[DueReport, ...]:
    """The unit's reports among ``owed`` due on or before ``as_of``, each with its status."""
    owner = _owner(unit)
    first: dict[tuple[str, date], SubmissionFact] = {}
    for s in _counted(submissions, as_of, known_at):
        if s.unit == owner:
            first.setdefault((s.annex, s.as_of), s)
    result = []
    for d in owed:
        if d.due_on > as_of:
            continue
        s = first.get((d.annex, d.due_on))
        if s is None:
            result.append(DueReport(unit.id, d, S.MISSING if d.due_on < as_of else S.NOT_YET_DUE))
        else:
            status = S.ON_TIME if s.submitted_on <= d.due_on else S.LATE
            result.append(DueReport(unit.id, d, status, s.submitted_on, s.submission_id))
    return tuple(result)


def missed(reports: Iterable[DueReport]) -> tuple[ReportMissed, ...]:
    """The ``ReportMissed`` facts of due reports: each late or missing one, missed the day after its due date."""
    return tuple(
        ReportMissed(r.unit_id, r.deadline.report, r.deadline.period, r.deadline.due_on, r.deadline.due_on + timedelta(days=1))
        for r in reports
        if r.missed
    )


def calendar_as_of(
    reference: ReferenceData,
    submissions: Iterable[SubmissionFact],
    as_of: date,
    known_at: datetime | None = None,
    unit_id: str | None = None,
) -> CalendarView:
    """Every owing unit's (or only ``unit_id``'s; none for a unit that owes none) due reports as of ``as_of``,
    counting the submissions recorded by ``known_at``; the missed ones; the paper reports due."""
    facts = list(submissions)
    owed = deadlines(reference.reporting, reference.campaign, as_of)
    units = owing_units(reference) if unit_id is None else [reference.unit(unit_id)]
    calendars = tuple(
        UnitCalendar(u.id, unit_reports(u, owed, facts, as_of, known_at) if u.kind in reference.reporting.owed_by else ())
        for u in units
    )
    missed_facts = tuple(m for c in calendars for m in missed(c.reports))
    return CalendarView(as_of, known_at, calendars, missed_facts, paper_reports(reference.reporting, as_of))


def owes_reports(reference: ReferenceData, unit_id: str) -> bool:
    return reference.unit(unit_id).kind in reference.reporting.owed_by


def ladder_reports_due(
    reference: ReferenceData, unit_id: str, submissions: Iterable[SubmissionFact], as_of: date, known_at: datetime | None = None
) -> tuple[ReportDue, ...]:
    """The warning ladder's input (``domain.warning_rules.ReportDue``) for a unit as of ``as_of``: every
    report it owes due before ``as_of`` (a report due that day is not judged yet), with the first
    counted submission's date and id. A unit that owes no report has none. ``_reports_missed`` proposes
    a 提示 for exactly this unit's ``ReportMissed`` facts (key ``report:period``, fact date ``missed_on``)."""
    unit = reference.unit(unit_id)
    if unit.kind not in reference.reporting.owed_by:
        return ()
    owed = deadlines(reference.reporting, reference.campaign, as_of)
    return tuple(
        ReportDue(r.deadline.report, r.deadline.period, r.deadline.due_on, r.submitted_on, r.submission_id)
        for r in unit_reports(unit, owed, submissions, as_of, known_at)
        if r.deadline.due_on < as_of
    )


# ===== the default cut-off and the warnings ===================================================


def default_cut_off(today: date) -> date:
    """A report's default ``as_of``: the latest cut-off (5th / 12th / 22nd) on or before today."""
    return latest_cut_off(today)


def report_day(as_of: date | None, today: date) -> date:
    """The cut-off a report is read as of: the one asked for, or the latest (today when today is one)."""
    return cut_off(default_cut_off(today) if as_of is None else as_of, today)


def next_due_day(reference: ReferenceData, today: date) -> date | None:
    """The next day, today or later, on which some report falls due (None once the calendar has ended)."""
    owed = deadlines(reference.reporting, reference.campaign, date.max)
    return min((d.due_on for d in owed if d.due_on >= today), default=None)


def _warning(code: ReportWarning, **params: str) -> CalendarWarning:
    zh, en = REPORT_WARNING_MESSAGES[code]
    return CalendarWarning(code, zh.format(**params), en.format(**params))


def campaign_warning(day: date, campaign: Campaign) -> CalendarWarning | None:
    """A warning (not an error) when ``day`` lies outside the campaign (start..end, inclusive)."""
    if campaign.start <= day <= campaign.end:
        return None
    start, end = campaign.start.isoformat(), campaign.end.isoformat()
    return _warning(ReportWarning.OUTSIDE_CAMPAIGN, day=day.isoformat(), start=start, end=end)


def cut_off_warning(reporting: ReportingCalendar, campaign: Campaign, annex: str, day: date) -> CalendarWarning | None:
    """A warning when ``day`` is not one of the calendar's cut-offs of ``annex`` (a submission for it
    counts for no due report). An annex the calendar never asks for is not warned about."""
    days = cut_offs(reporting, campaign, annex)
    if not days or day in days:
        return None
    shown = ", ".join(d.isoformat() for d in _around(days, day))
    return _warning(ReportWarning.NOT_A_CUT_OFF, day=day.isoformat(), annex=annex, cut_offs=shown)


def _around(days: Sequence[date], day: date) -> list[date]:
    """The cut-offs nearest ``day`` (the one before and the one after), to name in a message."""
    before = [d for d in days if d < day][-1:]
    after = [d for d in days if d > day][:1]
    return [*before, *after]


def report_warnings(reference: ReferenceData, day: date) -> list[CalendarWarning]:
    """The warnings of a report read for ``day``."""
    return [w for w in (campaign_warning(day, reference.campaign),) if w]


def submission_warnings(reference: ReferenceData, annex: str, day: date) -> list[CalendarWarning]:
    """The warnings of a submission of ``annex`` for the cut-off ``day``."""
    found = (cut_off_warning(reference.reporting, reference.campaign, annex, day), campaign_warning(day, reference.campaign))
    return [w for w in found if w]
