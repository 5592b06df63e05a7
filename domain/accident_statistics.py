"""Accident statistics (事故统计): counts, deaths, injuries and direct loss per month and year to date,
by sector row, street and grade, each compared with the same period last year (同比) and the month with
the previous one (环比) — what the city's report compares and the 区安委办's monthly bulletin prints.

Pure: the accidents arrive as ``AccidentRecord`` facts already read as of a day and as known at a time
(``projections/accident_queries.py``); only their business date (Beijing) places them in a period.

Periods are business dates, both ends inclusive. The period compared with ``[start, end]`` lies whole
months earlier: the same start, and the end's day of the month clamped to that month's length — or that
month's last day when ``end`` is the last day of its own month, so a complete month is compared with a
complete month (February as of 31 March: 1–28/29 February). A year to date as of 29 February 2024 is
compared with 1 January – 28 February 2023.

A change is the difference and the percentage of last year's figure (2 decimals, half-up), the
percentage undefined ("—", None) when the figure compared with is 0. Direct loss is counted in yuan and
shown in 万元 (2 decimals): the sum of the months' 万元 may differ from the year's in the last cent, the
yuan never do.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from domain.accident import GRADE_ORDER
from domain.business_time import business_date
from domain.figures import Period, rate, wan_yuan
from domain.glossary import AccidentBreakdown, AccidentGrade, AccidentMeasure, AccidentPeriod, Comparison
from domain.inputs import invalid
from domain.reference_data import ReferenceData


@dataclass(frozen=True)
class AccidentRecord:
    """One accident as statistics read it, with what the bulletin lists of it."""

    accident_id: str
    occurred_at: datetime
    grade: AccidentGrade
    sector: str
    jurisdiction: str
    deaths: int
    injuries: int
    direct_loss_yuan: int
    enterprise_name: str = ""
    location: str = ""
    description: str = ""

    @property
    def day(self) -> date:
        return business_date(self.occurred_at)


def place_names(reference: ReferenceData, record: AccidentRecord) -> tuple[str, str]:
    """The record's sector row and street as named in the reference data (their ids once no longer there)."""
    sector = reference.sectors.get(record.sector)
    street = reference.units.get(record.jurisdiction)
    return (sector.name if sector else record.sector), (street.name if street else record.jurisdiction)


@dataclass(frozen=True)
class Totals:
    count: int = 0
    deaths: int = 0
    injuries: int = 0
    direct_loss_yuan: int = 0

    @classmethod
    def of(cls, records: Iterable[AccidentRecord]) -> Totals:
        return sum((cls(1, r.deaths, r.injuries, r.direct_loss_yuan) for r in records), cls())

    def __add__(self, other: Totals) -> Totals:
        return Totals(
            self.count + other.count,
            self.deaths + other.deaths,
            self.injuries + other.injuries,
            self.direct_loss_yuan + other.direct_loss_yuan,
        )

    def raw(self, measure: AccidentMeasure) -> int:
        """The measure in its counting unit (loss in yuan)."""
        return {
            AccidentMeasure.COUNT: self.count,
            AccidentMeasure.DEATHS: self.deaths,
            AccidentMeasure.INJURIES: self.injuries,
            AccidentMeasure.DIRECT_LOSS: self.direct_loss_yuan,
        }[measure]

    def figure(self, measure: AccidentMeasure) -> int | Decimal:
        """The measure as shown (loss in 万元)."""
        return wan_yuan(self.direct_loss_yuan) if measure is AccidentMeasure.DIRECT_LOSS else self.raw(measure)

    def view(self) -> dict[str, Any]:
        return {m.value: self.figure(m) for m in AccidentMeasure} | {"direct_loss_yuan": self.direct_loss_yuan}


@dataclass(frozen=True)
class Change:
    """A figure against the one it is compared with."""

    current: int | Decimal
    previous: int | Decimal
    difference: int | Decimal
    percent: Decimal | None  # None ("—"): the figure compared with is 0

    @classmethod
    def between(cls, measure: AccidentMeasure, now: Totals, before: Totals) -> Change:
        difference = now.raw(measure) - before.raw(measure)
        shown = wan_yuan(difference) if measure is AccidentMeasure.DIRECT_LOSS else difference
        return cls(now.figure(measure), before.figure(measure), shown, rate(difference, before.raw(measure)))

    def view(self) -> dict[str, Any]:
        return {"current": self.current, "previous": self.previous, "difference": self.difference, "percent": self.percent}


def compared_end(end: date, months_back: int) -> date:
    """The end of the period ``months_back`` whole months before one ending on ``end`` (module docstring)."""
    year, month = divmod(end.year * 12 + end.month - 1 - months_back, 12)
    last = calendar.monthrange(year, month + 1)[1]
    whole_month = end.day == calendar.monthrange(end.year, end.month)[1]
    return date(year, month + 1, last if whole_month else min(end.day, last))


def shifted(period: Period, months_back: int) -> Period:
    """The period compared with ``period`` (which starts on the 1st of a month), ``months_back`` months earlier."""
    year, month = divmod(period.start.year * 12 + period.start.month - 1 - months_back, 12)
    return Period(date(year, month + 1, 1), compared_end(period.end, months_back))


@dataclass(frozen=True)
class Compared:
    """A period's totals, those of the same period last year and (for a month) of the previous month."""

    period: Period
    totals: Totals
    last_year: Totals
    previous_month: Totals | None = None

    def changes(self) -> dict[Comparison, dict[AccidentMeasure, Change]]:
        against = {Comparison.YEAR_ON_YEAR: self.last_year, Comparison.MONTH_ON_MONTH: self.previous_month}
        return {c: {m: Change.between(m, self.totals, t) for m in AccidentMeasure} for c, t in against.items() if t is not None}

    def view(self) -> dict[str, Any]:
        last_year = shifted(self.period, 12)
        body: dict[str, Any] = {
            "from": self.period.start.isoformat(), "to": self.period.end.isoformat(), "totals": self.totals.view(),
            "last_year": {"from": last_year.start.isoformat(), "to": last_year.end.isoformat(), "totals": self.last_year.view()},
        }  # fmt: skip
        if self.previous_month is not None:
            before = shifted(self.period, 1)
            body["previous_month"] = {"from": before.start.isoformat(), "to": before.end.isoformat(),
                                      "totals": self.previous_month.view()}  # fmt: skip
        for comparison, changes in self.changes().items():
            body[comparison.value] = {m.value: c.view() for m, c in changes.items()}
        return body


@dataclass(frozen=True)
class BreakdownRow:
    """One row of a breakdown: a sector row ("其中" rows name their ``parent``), a street or a grade."""

    key: str
    label: str
    parent: str | None
    month: Compared
    year_to_date: Compared

    def view(self) -> dict[str, Any]:
        periods = {AccidentPeriod.MONTH.value: self.month.view(), AccidentPeriod.YEAR_TO_DATE.value: self.year_to_date.view()}
        return {"key": self.key, "label": self.label, "parent": self.parent, **periods}


@dataclass(frozen=True)
class AccidentStatistics:
    as_of: date
    month: Compared  # the month to date, with 同比 and 环比
    year_to_date: Compared  # with 同比
    months: tuple[Compared, ...]  # January to the as-of month (that one to date), each with 同比 and 环比
    breakdowns: dict[AccidentBreakdown, tuple[BreakdownRow, ...]]
    accidents: tuple[AccidentRecord, ...]  # the month's, in business order

    def view(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            AccidentPeriod.MONTH.value: self.month.view(),
            AccidentPeriod.YEAR_TO_DATE.value: self.year_to_date.view(),
            "months": [{"month": m.period.start.strftime("%Y-%m"), **m.view()} for m in self.months],
            "breakdowns": {b.value: [r.view() for r in rows] for b, rows in self.breakdowns.items()},
        }


def bulletin_day(month: str, today: date) -> date:
    """The day a monthly bulletin of ``month`` (``2023-06``) is as of: the month's last day, or today
    during the month itself; a month to come has no bulletin."""
    try:
        first = date.fromisoformat(f"{month}-01") if len(month) == 7 else None
    except ValueError:
        first = None
    if first is None:
        invalid("month", f"{month!r} is not a month YYYY-MM", f"{month} 不是有效的月份（YYYY-MM）")
    if first > today:
        invalid("month", f"{month} is still to come", f"{month} 尚未开始")
    return min(today, date(first.year, first.month, calendar.monthrange(first.year, first.month)[1]))


def month_of(as_of: date) -> Period:
    return Period(as_of.replace(day=1), as_of)


def year_to_date(as_of: date) -> Period:
    return Period(as_of.replace(month=1, day=1), as_of)


def accident_statistics(records: Iterable[AccidentRecord], as_of: date, reference: ReferenceData) -> AccidentStatistics:
    """The statistics as of ``as_of`` of the accidents given (those after it are left out)."""
    known = [r for r in records if r.day <= as_of]

    def compare(period: Period, chosen: list[AccidentRecord], with_previous_month: bool) -> Compared:
        def total(p: Period) -> Totals:
            return Totals.of(r for r in chosen if p.start <= r.day <= p.end)

        previous = total(shifted(period, 1)) if with_previous_month else None
        return Compared(period, total(period), total(shifted(period, 12)), previous)

    def row(key: str, label: str, parent: str | None, keep: Callable[[AccidentRecord], bool]) -> BreakdownRow:
        chosen = [r for r in known if keep(r)]
        return BreakdownRow(
            key, label, parent, compare(month_of(as_of), chosen, True), compare(year_to_date(as_of), chosen, False)
        )

    months = tuple(compare(_month(as_of.year, m, as_of), known, True) for m in range(1, as_of.month + 1))
    month = month_of(as_of)
    return AccidentStatistics(
        as_of=as_of,
        month=compare(month, known, True),
        year_to_date=compare(year_to_date(as_of), known, False),
        months=months,
        breakdowns={
            AccidentBreakdown.SECTOR: _listed(
                [row(s.id, s.name, s.parent, lambda r, s=s.id: r.sector == s or _parent(reference, r.sector) == s)
                 for s in reference.sectors.values()]
                + [row(k, k, None, lambda r, k=k: r.sector == k) for k in _unknown([r.sector for r in known], reference.sectors)]
            ),  # fmt: skip
            AccidentBreakdown.STREET: _listed(
                [row(u.id, u.name, None, lambda r, u=u.id: r.jurisdiction == u) for u in reference.jurisdictions]
                + [row(k, k, None, lambda r, k=k: r.jurisdiction == k)
                   for k in _unknown([r.jurisdiction for r in known], {u.id for u in reference.jurisdictions})]
            ),  # fmt: skip
            AccidentBreakdown.GRADE: _listed([row(g.value, g.zh, None, lambda r, g=g: r.grade is g) for g in GRADE_ORDER]),
        },
        accidents=tuple(sorted((r for r in known if month.start <= r.day), key=lambda r: (r.occurred_at, r.accident_id))),
    )


def _month(year: int, month: int, as_of: date) -> Period:
    """A month of the year, up to ``as_of`` at most."""
    return Period(date(year, month, 1), min(as_of, date(year, month, calendar.monthrange(year, month)[1])))


def _parent(reference: ReferenceData, sector: str) -> str | None:
    found = reference.sectors.get(sector)
    return found.parent if found else None


def _unknown(places: Iterable[str], known: Iterable[str]) -> list[str]:
    """Places no longer in the reference data: each a row of its own, so the rows still add up."""
    return sorted(set(places) - set(known))


def _listed(rows: list[BreakdownRow]) -> tuple[BreakdownRow, ...]:
    """The rows with an accident in either compared period (the others are all zeros)."""
    return tuple(
        r for r in rows
        if any(t.count for t in (r.year_to_date.totals, r.year_to_date.last_year, r.month.previous_month or Totals()))
    )  # fmt: skip
