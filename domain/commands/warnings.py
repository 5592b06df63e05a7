"""Commands of the warning ladder (分级警示): what a person asks, as typed values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from domain.commands.base import Command, RecordCommand
from domain.glossary import WarningLevel, WarningTrigger
from domain.signatures import SignatureArg


@dataclass(frozen=True, kw_only=True)
class ProposeWarning(Command):
    """``WarningApplication.propose_warning``."""

    unit_id: str
    level: WarningLevel | str
    trigger: WarningTrigger | str
    trigger_key: str
    reason_zh: str
    reason_en: str
    trigger_refs: Sequence[UUID] = ()


@dataclass(frozen=True, kw_only=True)
class ConfirmWarning(RecordCommand):
    """``WarningApplication.confirm_warning``."""

    warning_id: UUID
    note: str = ""
    published: bool = False
    signature: SignatureArg = None


@dataclass(frozen=True, kw_only=True)
class DismissWarning(RecordCommand):
    """``WarningApplication.dismiss_warning``."""

    warning_id: UUID
    reason: str
