"""The arithmetic of the annex forms and KPIs (DESIGN §5–6): rates, money, periods, and which
reporting unit a record counts for. Pure functions: the projections compute with them, the
exports print with them, and the tests recompute with them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from domain.business_time import CHINA_TZ, first_instant_after
from domain.reference_data import ReferenceData

TWO_PLACES = Decimal("0.01")
DASH = "—"  # shown for a rate whose denominator is 0
CUT_OFF_DAYS = (5, 12, 22)  # Annex 2 旬报: cumulative figures before the 5th, 12th and 22nd


def rate(numerator: int, denominator: int) -> Decimal | None:
    """numerator ÷ denominator × 100, rounded half-up to 2 decimals; None when the denominator is 0."""
    if denominator == 0:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def per_thousand(numerator: int, denominator: int) -> Decimal | None:
    """numerator ÷ denominator × 1000, half-up to 2 decimals (部门每千次检查发现重大事故隐患数)."""
    if denominator == 0:
        return None
    return (Decimal(numerator) * 1000 / Decimal(denominator)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def wan_yuan(yuan: int) -> Decimal:
    """Integer yuan shown in 万元 with 2 decimals, half-up (罚款、举报奖励)."""
    return (Decimal(yuan) / Decimal(10000)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def show(value: Decimal | int | None) -> str:
    """A figure as printed on the form: "—" for an undefined rate, 2 decimals for rates and money."""
    if value is None:
        return DASH
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


@dataclass(frozen=True)
class Period:
    """Business dates [start, end], both inclusive, in the district's calendar."""

    start: date
    end: date

    @property
    def end_moment(self) -> datetime:
        """The first instant after the period (events strictly before it are in)."""
        return first_instant_after(self.end)

    @property
    def start_moment(self) -> datetime:
        return datetime.combine(self.start, time.min, CHINA_TZ)

    def contains(self, moment: datetime) -> bool:
        return self.start_moment <= moment < self.end_moment


def cumulative(campaign_start: date, as_of: date) -> Period:
    """累计: from the campaign start to the cut-off."""
    return Period(campaign_start, as_of)


def month_to_date(campaign_start: date, as_of: date) -> Period:
    """本月: from the 1st of the cut-off's month (not before the campaign start) to the cut-off."""
    return Period(max(campaign_start, as_of.replace(day=1)), as_of)


def latest_cut_off(today: date) -> date:
    """The most recent 5th / 12th / 22nd on or before ``today`` (the 22nd of the previous month early on)."""
    for day in reversed(CUT_OFF_DAYS):
        if today.day >= day:
            return today.replace(day=day)
    previous = today.replace(day=1) - timedelta(days=1)
    return previous.replace(day=CUT_OFF_DAYS[-1])


def units_counting_hazard(reference: ReferenceData, sector: str, jurisdiction: str) -> frozenset[str]:
    """DESIGN §5: a hazard, risk point or problem counts for the unit that leads its sector row (the
    first lead department) and for its street or zone in that territory's own report."""
    return frozenset({reference.lead_unit(sector).id, jurisdiction})


def sector_members(reference: ReferenceData, sector_id: str) -> list[str]:
    """The sectors whose records an Annex 2 row counts: the row itself and its "其中" rows (a subset
    row is never added again into a total)."""
    return [sector_id, *(s.id for s in reference.sectors.values() if s.parent == sector_id)]
