"""Commands of accountability decisions (责任倒查、追责问责): what a person asks, as typed values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from domain.commands.base import Command


@dataclass(frozen=True, kw_only=True)
class PursueAccountability(Command):
    """``AccountabilityApplication.pursue_accountability``."""

    persons: list[Any]
    measures: list[str]
    decided_by: str | None = None
    hazard_ids: list[UUID] | None = None
    accident_ids: list[UUID] | None = None
    inspection_ids: list[UUID] | None = None
    summary: str = ""
