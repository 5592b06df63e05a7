"""The arithmetic of accident statistics (domain/accident_statistics.py): the months add up to the year to
date, identical years change by nothing, every breakdown adds up to the whole, and compared periods line up."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.accident_statistics import AccidentRecord, Totals, accident_statistics, bulletin_day, compared_end, shifted
from domain.business_time import CHINA_TZ
from domain.errors import DomainError
from domain.figures import Period
from domain.glossary import AccidentBreakdown, AccidentGrade, AccidentMeasure, Comparison
from domain.reference_data import load_reference

REFERENCE = load_reference()
SECTORS = sorted(REFERENCE.sectors)
STREETS = sorted(u.id for u in REFERENCE.jurisdictions)


def _record(n: int, day: date, grade: AccidentGrade, sector: str, street: str, deaths: int, injuries: int, loss: int) -> AccidentRecord:
    moment = datetime.combine(day, time(23, 59), CHINA_TZ)  # late in the Beijing day: still that business date
    return AccidentRecord(str(n), moment, grade, sector, street, deaths, injuries, loss)


records = st.lists(
    st.builds(
        _record,
        st.integers(0, 10**6),
        st.dates(date(2021, 1, 1), date(2024, 12, 31)),
        st.sampled_from(list(AccidentGrade)),
        st.sampled_from([*SECTORS, "retired_sector"]),  # a sector no longer in the reference data still counts
        st.sampled_from(STREETS),
        st.integers(0, 40),
        st.integers(0, 60),
        st.integers(0, 10**9),
    ),
    max_size=40,
)
days = st.dates(date(2022, 1, 1), date(2024, 12, 31))


@settings(max_examples=60, deadline=None)
@given(records, days)
def test_the_months_add_up_to_the_year_to_date_this_year_and_last(accidents: list[AccidentRecord], as_of: date) -> None:
    stats = accident_statistics(accidents, as_of, REFERENCE)
    assert sum((m.totals for m in stats.months), Totals()) == stats.year_to_date.totals
    assert sum((m.last_year for m in stats.months), Totals()) == stats.year_to_date.last_year
    assert stats.months[-1].totals == stats.month.totals and stats.months[-1].last_year == stats.month.last_year
    assert stats.month.totals.count == len(stats.accidents)


@settings(max_examples=60, deadline=None)
@given(records, days)
def test_every_breakdown_adds_up_to_the_whole(accidents: list[AccidentRecord], as_of: date) -> None:
    stats = accident_statistics(accidents, as_of, REFERENCE)
    for breakdown, rows in stats.breakdowns.items():
        top = [r for r in rows if r.parent is None]  # "其中" rows are subsets of their parent row
        for period, whole in (("month", stats.month), ("year_to_date", stats.year_to_date)):
            parts = [getattr(r, period) for r in top]
            assert sum((p.totals for p in parts), Totals()) == whole.totals, (breakdown, period)
            assert sum((p.last_year for p in parts), Totals()) == whole.last_year, (breakdown, period)
    assert {b for b in stats.breakdowns} == set(AccidentBreakdown)


@settings(max_examples=60, deadline=None)
@given(records, st.dates(date(2023, 1, 1), date(2023, 12, 31)))
def test_a_year_repeated_the_next_year_changes_by_nothing(accidents: list[AccidentRecord], as_of: date) -> None:
    """The same accidents on the same days of 2022 and 2023 (2023 has no 29 February): every 同比 is 0."""
    in_2023 = [replace(a, occurred_at=a.occurred_at.replace(year=2023)) for a in accidents if (a.day.month, a.day.day) != (2, 29)]
    both = in_2023 + [replace(a, accident_id=f"{a.accident_id}-2022", occurred_at=a.occurred_at.replace(year=2022)) for a in in_2023]
    stats = accident_statistics(both, as_of, REFERENCE)
    for compared in (stats.month, stats.year_to_date, *stats.months):
        for measure, change in compared.changes()[Comparison.YEAR_ON_YEAR].items():
            assert change.difference == 0, measure
            assert change.percent == (None if compared.last_year.raw(measure) == 0 else Decimal("0.00")), measure


def test_a_change_is_the_difference_and_the_percentage_of_the_figure_compared_with() -> None:
    def at(day: date, deaths: int = 0, loss: int = 0) -> AccidentRecord:
        return _record(day.toordinal(), day, AccidentGrade.GENERAL, "industry_trade", "wulong", deaths, 0, loss)

    stats = accident_statistics([at(date(2022, 6, 1), 2, 30_000), at(date(2023, 6, 2), 3, 10_000), at(date(2023, 5, 9))],
                                date(2023, 6, 30), REFERENCE)  # fmt: skip
    yoy = stats.month.changes()[Comparison.YEAR_ON_YEAR]
    assert (yoy[AccidentMeasure.DEATHS].difference, yoy[AccidentMeasure.DEATHS].percent) == (1, Decimal("50.00"))
    assert (yoy[AccidentMeasure.DIRECT_LOSS].difference, yoy[AccidentMeasure.DIRECT_LOSS].percent) == (Decimal("-2.00"), Decimal("-66.67"))
    mom = stats.month.changes()[Comparison.MONTH_ON_MONTH]
    assert mom[AccidentMeasure.COUNT].percent == Decimal("0.00") and mom[AccidentMeasure.DEATHS].percent is None  # May: none died


@pytest.mark.parametrize(
    ("period", "months_back", "expected"),
    [
        (Period(date(2023, 3, 1), date(2023, 3, 31)), 1, Period(date(2023, 2, 1), date(2023, 2, 28))),  # a whole month
        (Period(date(2023, 3, 1), date(2023, 3, 15)), 1, Period(date(2023, 2, 1), date(2023, 2, 15))),
        (Period(date(2023, 3, 1), date(2023, 3, 30)), 1, Period(date(2023, 2, 1), date(2023, 2, 28))),  # clamped
        (Period(date(2024, 1, 1), date(2024, 2, 29)), 12, Period(date(2023, 1, 1), date(2023, 2, 28))),
        (Period(date(2023, 1, 1), date(2023, 1, 20)), 1, Period(date(2022, 12, 1), date(2022, 12, 20))),
        (Period(date(2023, 2, 1), date(2023, 2, 28)), 12, Period(date(2022, 2, 1), date(2022, 2, 28))),
        (Period(date(2025, 2, 1), date(2025, 2, 28)), 12, Period(date(2024, 2, 1), date(2024, 2, 29))),  # whole February
    ],
)
def test_the_period_compared_with(period: Period, months_back: int, expected: Period) -> None:
    assert shifted(period, months_back) == expected
    assert compared_end(period.end, months_back) == expected.end


def test_an_accident_late_in_a_beijing_day_counts_on_that_day_and_one_after_the_day_not_at_all() -> None:
    day = date(2023, 6, 30)
    late = _record(1, day, AccidentGrade.GENERAL, "industry_trade", "wulong", 1, 0, 0)
    after = _record(2, day + timedelta(days=1), AccidentGrade.GENERAL, "industry_trade", "wulong", 1, 0, 0)
    stats = accident_statistics([late, after], day, REFERENCE)
    assert stats.month.totals.count == 1 and stats.accidents == (late,)


def test_the_bulletins_day_is_the_months_last_or_today() -> None:
    today = date(2023, 7, 12)
    assert bulletin_day("2023-06", today) == date(2023, 6, 30)
    assert bulletin_day("2024-02", date(2024, 5, 1)) == date(2024, 2, 29)
    assert bulletin_day("2023-07", today) == today
    for month in ("2023-08", "2023-13", "2023-6", "June"):
        with pytest.raises(DomainError) as refused:
            bulletin_day(month, today)
        assert refused.value.code == "invalid_value"
