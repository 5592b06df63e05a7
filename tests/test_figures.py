"""The annex arithmetic, checked against exact rational arithmetic."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from domain.business_time import CHINA_TZ
from domain.figures import (
    cumulative,
    latest_cut_off,
    month_to_date,
    per_thousand,
    rate,
    sector_members,
    show,
    units_counting_hazard,
    wan_yuan,
)
from domain.reference_data import load_reference


def _half_up(value: Fraction) -> Decimal:
    """Reference rounding: half-up at the second decimal, in exact arithmetic."""
    scaled = value * 100
    whole = scaled.numerator // scaled.denominator
    if (scaled - whole) * 2 >= 1:
        whole += 1
    return Decimal(whole) / 100


@given(st.integers(0, 10**6), st.integers(1, 10**6))
def test_rate_is_exact_half_up(numerator: int, denominator: int) -> None:
    assert rate(numerator, denominator) == _half_up(Fraction(numerator * 100, denominator))


@given(st.integers(0, 10**6), st.integers(1, 10**6))
def test_per_thousand_is_exact_half_up(numerator: int, denominator: int) -> None:
    assert per_thousand(numerator, denominator) == _half_up(Fraction(numerator * 1000, denominator))


@given(st.integers(0, 10**12))
def test_wan_yuan_is_exact_half_up(yuan: int) -> None:
    assert wan_yuan(yuan) == _half_up(Fraction(yuan, 10000))


def test_worked_examples() -> None:
    assert rate(2, 3) == Decimal("66.67")
    assert rate(1, 8) == Decimal("12.50")
    assert rate(1, 200) == Decimal("0.50")
    assert rate(1, 0) is None and show(rate(1, 0)) == "—"
    assert show(rate(593, 603)) == "98.34"  # the city's reported 动态整改率
    assert wan_yuan(125) == Decimal("0.01") and wan_yuan(124) == Decimal("0.01") and wan_yuan(49) == Decimal("0.00")
    assert wan_yuan(50) == Decimal("0.01")  # 0.005 万元 rounds half-up
    assert show(wan_yuan(1_234_567)) == "123.46"
    assert per_thousand(3, 1200) == Decimal("2.50")


@given(st.dates(date(2023, 1, 1), date(2030, 12, 31)))
def test_latest_cut_off_is_the_last_5th_12th_or_22nd(today: date) -> None:
    cut = latest_cut_off(today)
    assert cut.day in (5, 12, 22) and cut <= today
    assert all((cut + timedelta(days=d)).day not in (5, 12, 22) for d in range(1, (today - cut).days + 1))


def test_periods() -> None:
    start = date(2023, 5, 1)
    assert month_to_date(start, date(2023, 7, 12)).start == date(2023, 7, 1)
    assert month_to_date(start, date(2023, 5, 12)).start == start
    period = cumulative(start, date(2023, 7, 12))
    assert period.contains(datetime(2023, 7, 12, 23, 59, tzinfo=CHINA_TZ))
    assert not period.contains(datetime(2023, 7, 13, 0, 0, tzinfo=CHINA_TZ))
    assert not period.contains(datetime(2023, 4, 30, 23, 59, tzinfo=CHINA_TZ))


def test_which_units_a_record_counts_for() -> None:
    reference = load_reference()
    assert units_counting_hazard(reference, "hazardous_chemicals", "wulong") == {"yjj", "wulong"}
    assert units_counting_hazard(reference, "transport", "dayu") == {"jtj", "dayu"}  # first lead only
    assert sector_members(reference, "construction") == [
        "construction", "construction_housing", "construction_highway", "construction_railway", "construction_metro",
        "construction_water", "construction_power",
    ]  # fmt: skip
    assert sector_members(reference, "hydropower") == ["hydropower", "hydropower_large", "hydropower_small"]
    assert sector_members(reference, "fire_safety") == ["fire_safety"]
