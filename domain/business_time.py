"""Business time (occurred_at): when a fact happened, as opposed to when it was recorded.

Recording time is the event's ``timestamp``, set by the event store's side. A business time may be
earlier than recording (back-dating, within a configured window: field work is entered later and
past campaigns are imported) but never in the future.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Protocol

from domain.errors import DomainError

# The district's civil time: deadlines and report cut-offs are Beijing dates.
CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock tests can move."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at = self.at + timedelta(**delta)


def first_instant_after(day: date) -> datetime:
    """00:00 Beijing time of the day after ``day``: when a deadline ``day`` is missed, where a period
    ending on ``day`` ends."""
    return datetime.combine(day + timedelta(days=1), time.min, CHINA_TZ)


def business_date(moment: datetime) -> date:
    """The district's calendar date of a moment."""
    return moment.astimezone(CHINA_TZ).date()


def back_dated(occurred_at: datetime, now: datetime) -> bool:
    """An act dated an earlier business day than the day it is recorded: a record of what was already
    done, not a decision being taken now."""
    return business_date(occurred_at) < business_date(now)


def check_occurred_at(occurred_at: datetime | None, now: datetime, backdate_days: int) -> datetime:
    """Returns the business time to record, refusing the future and anything beyond the window."""
    if occurred_at is None:
        return now
    if occurred_at.tzinfo is None:
        # A naive time is read as the district's civil time, as a clerk would type it.
        occurred_at = occurred_at.replace(tzinfo=CHINA_TZ)
    if occurred_at > now:
        raise DomainError("occurred_in_future", occurred_at=occurred_at.isoformat())
    if occurred_at < now - timedelta(days=backdate_days):
        raise DomainError("occurred_too_early", occurred_at=occurred_at.isoformat(), days=backdate_days)
    return occurred_at
