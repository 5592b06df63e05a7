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
    "key_id", "unit_id", "unit", "sector", "jurisdiction", "department", "credit_code", "media_type",
    "file_name", "decision_number", "case_number", "document_number", "licence_number", "department_phone",
    "principal_phone", "sha256", "trigger_key", "item", "annex", "regulator", "decided_by",
})  # fmt: skip
# All the texts of one command together: one event stays small (its insert is quick, its row modest).
COMMAND_TEXT = 100_000
# A person's user id (who acts, people held accountable, inspectors, key holders): the width of every user_id
# column (the accountability trail, idempotency records, server-held keys).
USER_ID = 128
# An organisation's id (a unit of the reference data, or an enterprise's id): its columns' width.
ORGANISATION_ID = 64
_ID_LIMITS = {"user_id": USER_ID, "organisation_id": ORGANISATION_ID}
# Line breaks and tabs only in the long free-text fields; no other control character anywhere, and no lone
# surrogate (half of a UTF-16 pair: it cannot be encoded to store the event).
_LINE_BREAKS = frozenset("\n\r\t")
# Dates: none before the People's Republic; none more than ten years ahead (deadlines, validity).
EARLIEST = date(1949, 10, 1)
YEARS_AHEAD = 10
_NOT_CHECKED = frozenset({"figures", "public_key", "content", "signature"})  # system-made, or checked by their own rules


@dataclasses.dataclass
class _Walk:
    latest: date  # the last date allowed
    text_left: int = COMMAND_TEXT  # characters the command's texts may still use


def check_bounds(command: Any, today: date) -> None:
    """Refuses the first value of ``command`` (a dataclass, walked into its nested values) out of bounds."""
    walk = _Walk(today + timedelta(days=365 * YEARS_AHEAD))
    for field in dataclasses.fields(command):
        if field.name not in _NOT_CHECKED:
            _check(field.name, field.name, getattr(command, field.name), walk)


def check_actor(actor: Any) -> None:
    """Who acts, as the request's identity headers name them (stored with every event, and in the read
    models' user and organisation columns): held to the same rules as the command's texts."""
    for name in ("user_id", "name", "organisation_id", "organisation_name"):
        _check_text(name, f"actor.{name}", getattr(actor, name))


def _check(name: str, path: str, value: Any, walk: _Walk) -> None:
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
        walk.text_left -= len(value)
        if walk.text_left < 0:
            _refuse(path, f"the command's texts at most {COMMAND_TEXT} characters together",
                    f"全部文字合计不能超过 {COMMAND_TEXT} 个字符", COMMAND_TEXT)  # fmt: skip
    elif isinstance(value, datetime):
        _check_date(path, value.date(), walk.latest)
    elif isinstance(value, date):
        _check_date(path, value, walk.latest)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            _check(field.name, f"{path}.{field.name}", getattr(value, field.name), walk)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _check(str(key), f"{path}.{key}", item, walk)
    elif isinstance(value, list | tuple | set | frozenset):
        if len(value) > SHORT_TEXT:
            _refuse(path, f"at most {SHORT_TEXT} items", f"不能超过 {SHORT_TEXT} 项", SHORT_TEXT)
        for i, item in enumerate(value):
            _check(name, f"{path}[{i}]", item, walk)


def _check_date(path: str, value: date, latest: date) -> None:
    if not EARLIEST <= value <= latest:
        _refuse(path, f"between {EARLIEST} and {latest}", f"应在 {EARLIEST} 至 {latest} 之间", str(latest))


def text_limit(name: str) -> int:
    """The most characters a text field called ``name`` may hold."""
    if name in _ID_LIMITS:
        return _ID_LIMITS[name]
    return LONG_TEXT if name in LONG_FIELDS else SHORT_TEXT if name in SHORT_FIELDS else TEXT


def _check_text(name: str, path: str, value: str) -> None:
    limit = text_limit(name)
    if len(value) > limit:
        _refuse(path, f"at most {limit} characters", f"不能超过 {limit} 个字符", limit)
    _check_controls(path, value, _LINE_BREAKS if name in LONG_FIELDS else frozenset())


def _check_controls(path: str, value: str, allowed: frozenset[str]) -> None:
    for ch in value:
        code = ord(ch)
        if (code < 32 or 0x7F <= code < 0xA0 or ch in "\u2028\u2029") and ch not in allowed:
            _refuse(path, f"no control character (U+{code:04X})", f"不能含控制字符（U+{code:04X}）", 0)
        if 0xD800 <= code <= 0xDFFF:  # half of a UTF-16 pair (JSON's "\ud800"): no UTF-8 can store it
            _refuse(path, f"no lone surrogate (U+{code:04X})", f"不能含无效的 Unicode 代理字符（U+{code:04X}）", 0)


def _refuse(field: str, reason: str, reason_zh: str, limit: int | str) -> None:
    raise DomainError("invalid_value", field=field, reason=reason, reason_zh=reason_zh, limit=limit)


# ----- reads -------------------------------------------------------------------------------------------

MAX_PAGE = 1_000  # rows one list request may ask for
MAX_OFFSET = 10_000_000  # rows a list request may skip (beyond any ledger's size; a bigint everywhere)
CUT_OFF_DAYS_AHEAD = 366  # a report's cut-off: at most a year ahead (its cost grows with the months it spans)


def cut_off(as_of: date | None, today: date) -> date:
    """A report's cut-off (default today), refused outside [1949-10-01, today + a year]."""
    day = today if as_of is None else as_of
    _check_date("as_of", day, today + timedelta(days=CUT_OFF_DAYS_AHEAD))
    return day


def known_time(known_at: datetime | None, today: date) -> datetime | None:
    """A report's system time (``known_at``, default now), refused outside [1949-10-01, today + a year] as
    given — before any conversion of its zone, which overflows at the ends of the calendar."""
    if known_at is not None:
        _check_date("known_at", known_at.date(), today + timedelta(days=CUT_OFF_DAYS_AHEAD))
    return known_at


def check_parameter(name: str, value: str) -> None:
    """A query or path parameter as sent (an id, a code, a unit, a date): at most ``SHORT_TEXT`` characters and
    no control character — PostgreSQL refuses a NUL in a text, and no request may answer 500 for it."""
    if len(value) > SHORT_TEXT:
        _refuse(name, f"at most {SHORT_TEXT} characters", f"不能超过 {SHORT_TEXT} 个字符", SHORT_TEXT)
    _check_controls(name, value, frozenset())
