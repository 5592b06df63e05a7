"""Commands of accidents (生产安全事故): what a person asks, as typed values."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.commands.base import Command, RecordCommand
from domain.glossary import AccidentGrade, SupervisionLevel


@dataclass(frozen=True, kw_only=True)
class ReportAccident(Command):
    """``AccidentApplication.report_accident``."""

    grade: AccidentGrade
    deaths: int
    injuries: int
    direct_loss_yuan: int
    liability: bool
    description: str
    enterprise_id: UUID | None = None
    sector: str | None = None
    jurisdiction: str | None = None
    location: str = ""


@dataclass(frozen=True, kw_only=True)
class ListAccident(RecordCommand):
    """``AccidentApplication.list_accident``."""

    accident_id: UUID
    level: SupervisionLevel
    supervising_body: str
    document_number: str


@dataclass(frozen=True, kw_only=True)
class ConcludeInvestigation(RecordCommand):
    """``AccidentApplication.conclude_investigation``."""

    accident_id: UUID
    liability: bool
    responsible_persons: list[str]
    summary: str = ""
