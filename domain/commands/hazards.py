"""Commands of the hazard lifecycle (事故隐患): what a person asks, as typed values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from domain.commands.base import Command, RecordCommand
from domain.glossary import Assessor, Grade, HazardSource
from domain.signatures import SignatureArg
from domain.values import RectificationPlan, SupervisionListing


@dataclass(frozen=True, kw_only=True)
class ReportHazard(Command):
    """``HazardApplication.report_hazard``."""

    enterprise_id: UUID
    grade: Grade
    source: HazardSource
    description: str
    criterion: str = ""
    sector: str | None = None
    jurisdiction: str | None = None
    department: str | None = None
    location: str = ""
    existed_since: date | None = None
    inspection_id: UUID | None = None
    record_id: UUID | None = None  # derived from a ledger row (domain/ledger_import.py); None: a new id


@dataclass(frozen=True, kw_only=True)
class ReportToRegulator(RecordCommand):
    """``HazardApplication.report_to_regulator``."""

    hazard_id: UUID
    regulator: str | None = None


@dataclass(frozen=True, kw_only=True)
class FilePlan(RecordCommand):
    """``HazardApplication.file_plan``."""

    hazard_id: UUID
    plan: RectificationPlan


@dataclass(frozen=True, kw_only=True)
class RecordProgress(RecordCommand):
    """``HazardApplication.record_progress``."""

    hazard_id: UUID
    note: str
    percent: int | None = None


@dataclass(frozen=True, kw_only=True)
class AttachEvidence(RecordCommand):
    """``HazardApplication.attach_evidence``."""

    hazard_id: UUID
    file_name: str
    media_type: str
    content: bytes
    sha256: str | None = None
    taken_at: datetime | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True, kw_only=True)
class ListForSupervision(RecordCommand):
    """``HazardApplication.list_for_supervision``."""

    hazard_id: UUID
    listing: SupervisionListing


@dataclass(frozen=True, kw_only=True)
class LiftSupervision(RecordCommand):
    """``HazardApplication.lift_supervision``."""

    hazard_id: UUID
    reason: str
    approver: str


@dataclass(frozen=True, kw_only=True)
class ExtendDeadline(RecordCommand):
    """``HazardApplication.extend_deadline``."""

    hazard_id: UUID
    request_date: date
    reason: str
    new_deadline: date
    approver: str


@dataclass(frozen=True, kw_only=True)
class RequestExtension(RecordCommand):
    """``HazardApplication.request_extension``."""

    hazard_id: UUID
    reason: str
    requested_deadline: date


@dataclass(frozen=True, kw_only=True)
class ApproveExtension(RecordCommand):
    """``HazardApplication.approve_extension``."""

    hazard_id: UUID
    opinion: str
    new_deadline: date


@dataclass(frozen=True, kw_only=True)
class RefuseExtension(RecordCommand):
    """``HazardApplication.refuse_extension``."""

    hazard_id: UUID
    opinion: str


@dataclass(frozen=True, kw_only=True)
class RecordDeadlineMiss(RecordCommand):
    """``HazardApplication.record_deadline_miss``."""

    hazard_id: UUID
    deadline: date
    missed: bool
    reason: str


@dataclass(frozen=True, kw_only=True)
class CompleteRectification(RecordCommand):
    """``HazardApplication.complete_rectification``."""

    hazard_id: UUID
    note: str = ""
    transcribed_from: str = ""  # the ledger row a clerk copies it from (domain/ledger_import.py)


@dataclass(frozen=True, kw_only=True)
class VerifyRectification(RecordCommand):
    """``HazardApplication.verify``."""

    hazard_id: UUID
    passed: bool
    opinion: str
    assessed_by: list[Assessor]
    signature: SignatureArg = None
    transcribed_from: str = ""  # the ledger row a clerk copies it from (domain/ledger_import.py)


@dataclass(frozen=True, kw_only=True)
class CloseHazard(RecordCommand):
    """``HazardApplication.close_hazard``."""

    hazard_id: UUID
    note: str = ""
    signature: SignatureArg = None


@dataclass(frozen=True, kw_only=True)
class VoidHazard(RecordCommand):
    """``HazardApplication.void_hazard``."""

    hazard_id: UUID
    reason: str
