"""Commands of reporting units' work logs (工作记录): what a person asks, as typed values."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.commands.base import RecordCommand
from domain.glossary import ActivityKind


@dataclass(frozen=True, kw_only=True)
class RecordActivity(RecordCommand):
    """``WorkLogApplication.record_activity``."""

    unit_id: str
    kind: ActivityKind
    count: int | None = None
    value: int | None = None
    amount_yuan: int | None = None
    anonymous_amount_yuan: int | None = None
    enterprise_id: UUID | None = None
    note: str = ""
    sector: str | None = None
