"""The bounds every value of every command is held to (issue 11): checked once, in ``Ledger.execute``,
before any handler runs, whichever entry point sent the command (HTTP, CLI, demo, import).

A value outside them is refused as ``invalid_value`` naming the field and the limit (422), and nothing
is stored: no value a person sends can break a projection, overflow a column or poison a text.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any
from uuid import UUID

from domain.errors import DomainError

# Money in yuan: fines, funds, losses (一万亿元: far above any real figure, far below the 2^53 of JSON numbers).
MAX_YUAN = 10**12
# Counts (deaths, injuries, activities, years): plainly human-sized.
MAX_COUNT = 1_000_000
# Texts: identifiers and codes; ordinary fields; the long free-text fields (descriptions, measures, notes).
SHORT_TEXT = 255
TEXT = 2_000
LONG_TEXT = 20_000
LONG_FIELDS = frozenset({
    "description", "measures", "note", "opinion", "summary", "reason", "contingency_plan", "other_measures",
    "legal_basis", "open_hazards_reason", "reason_zh", "reason_en", "investigation_summary", "scope", "location",
    "enterprise_measures", "responsible_persons", "address", "title",
})  # fmt: skip
SHORT_FIELDS = frozenset({
    "user_id", "key_id", "unit_id", "unit", "sector", "jurisdiction", "department", "credit_code", "media_type",
    "file_name", "decision_number", "case_number", "document_number", "licence_number", "department_phone",
    "principal_phone", "sha256", "trigger_key", "item", "annex", "regulator", "decided_by", "organisation_id",
})  # fmt: skip
# Line breaks and tabs only in the long free-text fields; no other control character anywhere.
_LINE_BREAKS = frozenset("\n\r\t")
# Dates: none before the People's Republic; none more than ten years ahead (deadlines, validity).
EARLIEST = date(1949, 10, 1)
YEARS_AHEAD = 10
_NOT_CHECKED = frozenset({"figures", "public_key", "content", "signature"})  # system-made, or checked by their own rules


def check_bounds(command: Any, today: date) -> None:
    """Refuses the first value of ``command`` (a dataclass, walked into its nested values) out of bounds."""
    latest = today + timedelta(days=365 * YEARS_AHEAD)
    for field in dataclasses.fields(command):
        if field.name not in _NOT_CHECKED:
            _check(field.name, field.name, getattr(command, field.name), latest)


def check_actor(actor: Any) -> None:
    """Who acts, as an entry point states it (HTTP headers, percent-decoded; the CLI's options): ids and names
    held to the bounds of texts, so no identity can carry a control character into an event or a read model."""
    for field in dataclasses.fields(actor):
        _check(field.name, f"actor.{field.name}", getattr(actor, field.name), date.max)


def _check(name: str, path: str, value: Any, latest: date) -> None:
    if value is None or isinstance(value, bool | Enum | UUID):
        return
    if isinstance(value, int):
        limit = MAX_YUAN if name.endswith("_yuan") else MAX_COUNT
        if not -limit <= value <= limit:
            _refuse(path, f"at most {limit} in size", f"绝对值不能超过 {limit}", limit)
    elif isinstance(value, float):
        if not math.isfinite(value) or abs(value) > 180:
            _refuse(path, "a finite coordinate", "应为有效坐标", 180)
    elif isinstance(value, str):
        _check_text(name, path, value)
    elif isinstance(value, datetime):
        if not EARLIEST <= value.date() <= latest:
            _refuse(path, f"between {EARLIEST} and {latest}", f"应在 {EARLIEST} 至 {latest} 之间", str(latest))
    elif isinstance(value, date):
        if not EARLIEST <= value <= latest:
            _refuse(path, f"between {EARLIEST} and {latest}", f"应在 {EARLIEST} 至 {latest} 之间", str(latest))
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            _check(field.name, f"{path}.{field.name}", getattr(value, field.name), latest)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _check(str(key), f"{path}.{key}", item, latest)
    elif isinstance(value, list | tuple | set | frozenset):
        if len(value) > SHORT_TEXT:
            _refuse(path, f"at most {SHORT_TEXT} items", f"不能超过 {SHORT_TEXT} 项", SHORT_TEXT)
        for i, item in enumerate(value):
            _check(name, f"{path}[{i}]", item, latest)


def _check_text(name: str, path: str, value: str) -> None:
    limit = LONG_TEXT if name in LONG_FIELDS else SHORT_TEXT if name in SHORT_FIELDS else TEXT
    if len(value) > limit:
        _refuse(path, f"at most {limit} characters", f"不能超过 {limit} 个字符", limit)
    _check_controls(path, value, _LINE_BREAKS if name in LONG_FIELDS else frozenset())


def _check_controls(path: str, value: str, allowed: frozenset[str]) -> None:
    for ch in value:
        if (ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 or ch in "\u2028\u2029") and ch not in allowed:
            _refuse(path, f"no control character (U+{ord(ch):04X})", f"不能含控制字符（U+{ord(ch):04X}）", 0)


def _refuse(field: str, reason: str, reason_zh: str, limit: int | str) -> None:
    raise DomainError("invalid_value", field=field, reason=reason, reason_zh=reason_zh, limit=limit)


# ----- reads -------------------------------------------------------------------------------------------

MAX_PAGE = 1_000  # rows one list request may ask for
MAX_OFFSET = 10_000_000  # rows a list request may skip (beyond any ledger's size; a bigint everywhere)
CUT_OFF_DAYS_AHEAD = 366  # a report's cut-off: at most a year ahead (its cost grows with the months it spans)


def cut_off(as_of: date | None, today: date) -> date:
    """A report's cut-off (default today), refused outside [1949-10-01, today + a year]."""
    day = today if as_of is None else as_of
    latest = today + timedelta(days=CUT_OFF_DAYS_AHEAD)
    if not EARLIEST <= day <= latest:
        _refuse("as_of", f"between {EARLIEST} and {latest}", f"应在 {EARLIEST} 至 {latest} 之间", str(latest))
    return day


def known_time(known_at: datetime | None, today: date) -> datetime | None:
    """A report's system time (``known_at``, default now), refused outside [1949-10-01, today + a year] as
    given — before any conversion of its zone, which overflows at the ends of the calendar."""
    latest = today + timedelta(days=CUT_OFF_DAYS_AHEAD)
    if known_at is not None and not EARLIEST <= known_at.date() <= latest:
        _refuse("known_at", f"between {EARLIEST} and {latest}", f"应在 {EARLIEST} 至 {latest} 之间", str(latest))
    return known_at


def check_parameter(name: str, value: str) -> None:
    """A query or path parameter as sent (an id, a code, a unit, a date): at most ``SHORT_TEXT`` characters and
    no control character — PostgreSQL refuses a NUL in a text, and no request may answer 500 for it."""
    if len(value) > SHORT_TEXT:
        _refuse(name, f"at most {SHORT_TEXT} characters", f"不能超过 {SHORT_TEXT} 个字符", SHORT_TEXT)
    _check_controls(name, value, frozenset())
