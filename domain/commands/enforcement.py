"""Commands of enforcement cases (执法案件) and publication batches (分批公布): what a person asks, as typed values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from domain.commands.base import Command, RecordCommand
from domain.glossary import BatchKind, LicenceAction, PenaltyTarget
from domain.signatures import SignatureArg


@dataclass(frozen=True, kw_only=True)
class OpenCase(Command):
    """``EnforcementApplication.open_case``."""

    enterprise_id: UUID
    legal_basis: str
    case_number: str
    cited_hazard_ids: Sequence[UUID] = ()
    accident_ids: Sequence[UUID] = ()


@dataclass(frozen=True, kw_only=True)
class DecidePenalty(RecordCommand):
    """``EnforcementApplication.decide_penalty``."""

    case_id: UUID
    target: PenaltyTarget | str
    fine_yuan: int
    decision_number: str
    legal_basis: str
    person_name: str = ""
    other_measures: str = ""
    signature: SignatureArg = None


@dataclass(frozen=True, kw_only=True)
class ImposeDualPenalty(RecordCommand):
    """``EnforcementApplication.impose_dual_penalty``."""

    case_id: UUID
    enterprise_fine_yuan: int
    principal_fine_yuan: int
    decision_number: str
    legal_basis: str
    principal_name: str | None = None
    signature: SignatureArg = None


@dataclass(frozen=True, kw_only=True)
class OrderSuspension(RecordCommand):
    """``EnforcementApplication.order_suspension``."""

    case_id: UUID
    decision_number: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class LiftSuspension(RecordCommand):
    """``EnforcementApplication.lift_suspension``."""

    case_id: UUID
    opinion: str


@dataclass(frozen=True, kw_only=True)
class SuspendOrRevokeLicence(RecordCommand):
    """``EnforcementApplication.suspend_or_revoke_licence``."""

    case_id: UUID
    action: LicenceAction | str
    licence_name: str
    licence_number: str
    decision_number: str


@dataclass(frozen=True, kw_only=True)
class RequestClosure(RecordCommand):
    """``EnforcementApplication.request_closure``."""

    case_id: UUID
    government: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class OrderClosure(RecordCommand):
    """``EnforcementApplication.order_closure``."""

    case_id: UUID
    government: str
    decision_number: str


@dataclass(frozen=True, kw_only=True)
class ApplyIndustryBan(RecordCommand):
    """``EnforcementApplication.apply_industry_ban``."""

    case_id: UUID
    years: int | None
    person_name: str | None = None


@dataclass(frozen=True, kw_only=True)
class TransferToJudiciary(RecordCommand):
    """``EnforcementApplication.transfer_to_judiciary``."""

    case_id: UUID
    persons: Sequence[str]
    suspected_offence: str
    dangerous_operations_crime: bool = False


@dataclass(frozen=True, kw_only=True)
class ApplyJointPunishment(RecordCommand):
    """``EnforcementApplication.apply_joint_punishment``."""

    case_id: UUID
    measures: Sequence[str]


@dataclass(frozen=True, kw_only=True)
class InterviewEnterprise(RecordCommand):
    """``EnforcementApplication.interview_enterprise``."""

    case_id: UUID
    interviewer: str
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class ExposeCase(RecordCommand):
    """``EnforcementApplication.expose_case``."""

    case_id: UUID
    channel: str
    title: str


@dataclass(frozen=True, kw_only=True)
class PublishAsTypical(RecordCommand):
    """``EnforcementApplication.publish_as_typical``."""

    case_id: UUID
    title: str
    dangerous_operations_crime: bool = False


@dataclass(frozen=True, kw_only=True)
class RecommendClosure(RecordCommand):
    """``EnforcementApplication.recommend_closure``."""

    case_id: UUID
    hazard_id: UUID
    other_case_ids: Sequence[UUID] = ()


@dataclass(frozen=True, kw_only=True)
class CloseCase(RecordCommand):
    """``EnforcementApplication.close_case``."""

    case_id: UUID
    reason: str
    open_hazards_reason: str = ""


@dataclass(frozen=True, kw_only=True)
class PublishBatch(Command):
    """``EnforcementApplication.publish_batch``."""

    kind: BatchKind | str
    title: str
    document_number: str
    channel: str
    enterprise_ids: Sequence[UUID]
    case_ids: Sequence[UUID] = ()
