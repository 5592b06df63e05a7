"""Input checks shared by the accident, risk point, outstanding problem and work log aggregates.

Each refusal is an ``invalid_value`` naming the field, in Chinese and English, like the hazard's.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import NoReturn, TypeVar

from domain.errors import DomainError

V = TypeVar("V", bound=StrEnum)


def invalid(field: str, reason: str, reason_zh: str) -> NoReturn:
    raise DomainError("invalid_value", field=field, reason=reason, reason_zh=reason_zh)


def term(vocabulary: type[V], value: object, field: str) -> V:
    """A vocabulary term from an enum member or its code; anything else is refused by name."""
    try:
        return vocabulary(value)
    except ValueError:
        allowed = ", ".join(m.value for m in vocabulary)
        invalid(field, f"{value!r} is not one of {allowed}", f"{value} 不是有效取值（{allowed}）")


def terms_once(vocabulary: type[V], values: Iterable[object], field: str) -> list[V]:
    """Vocabulary terms in the order given; a term named twice is refused."""
    result: list[V] = []
    for value in values:
        member = term(vocabulary, value, field)
        if member in result:
            invalid(field, f"{member.value} is listed twice", f"{getattr(member, 'zh', member.value)} 重复")
        result.append(member)
    return result


def required_text(value: str, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        invalid(field, "required", "必填")
    return value.strip()


def texts(values: Iterable[str], field: str) -> list[str]:
    """A list of free-text items: each trimmed, blanks dropped (a numbered list on the form)."""
    result = []
    for value in values:
        if not isinstance(value, str):
            invalid(field, "items are text", "应为文字")
        if value.strip():
            result.append(value.strip())
    return result


def whole(value: object, field: str, minimum: int) -> int:
    """A whole number (not a bool, not a float) of at least ``minimum``."""
    if type(value) is not int:
        invalid(field, "a whole number", "应为整数")
    if value < minimum:
        invalid(field, f"at least {minimum}", f"不能小于 {minimum}")
    return value


def optional_whole(value: object, field: str, minimum: int) -> int | None:
    return None if value is None else whole(value, field, minimum)
