"""Enforcement cases (执法案件) and publication batches (通报/约谈/联合惩戒/停产整顿 一批)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.commands import CommandHeaders, Headers, add_action, run_command
from api.deps import ProcessFactsRead, ServicesDep
from api.lists import add_list
from api.reads import Reads
from api.schemas import enforcement as s
from api.schemas.records import Receipt
from api.signing import signature_arg  # personal signatures
from app.record_reads import case_view
from domain.commands import enforcement as c
from domain.commands.base import Command
from domain.glossary import Register, SignatureMeaning

router = APIRouter(prefix="/cases", tags=["enforcement"])
batches = APIRouter(prefix="/publication-batches", tags=["enforcement"])
add_list(router, Register.CASES)


@router.post("", status_code=201, response_model=Receipt)
def open_case(body: s.CaseIn, headers: Headers, request: Request, services: ServicesDep) -> JSONResponse:
    """Open an enforcement case against an enterprise, citing hazards (and accidents)."""
    return run_command(services, headers, request, body, c.OpenCase(**body.model_dump()), 201)


@router.get("/{case_id}")
def get_case(case_id: UUID, reads: Reads, services: ServicesDep, read_at: ProcessFactsRead) -> dict[str, Any]:
    """One case: decisions, fines, suspension, closure, publication; the repeat-offender detector's
    closure recommendation (derived as of today, dated the day its conditions first held) when no
    regulator marked the case by hand; ``rule_conflicts``: decisions entered after their day that rules
    1 and 2 refuse, judged as of their day with everything recorded."""
    return case_view(services, reads, case_id)


@router.get("/{case_id}/events")
def case_events(case_id: UUID, services: ServicesDep, reads: Reads) -> list[dict[str, Any]]:
    """The case's full history."""
    reads.case(case_id)
    return services.ledger.history(case_id)


def _fields(body: Any) -> dict[str, Any]:
    return body.model_dump(exclude={"signature"})


# The case's signed acts (处罚决定签名): their commands take the personal signature.
_SIGNED: dict[type[Command], SignatureMeaning] = {
    c.DecidePenalty: SignatureMeaning.DECIDER,
    c.ImposeDualPenalty: SignatureMeaning.DECIDER,
}


def _signed(headers: CommandHeaders, body: Any, command: type[Command]) -> dict[str, Any]:
    return {"signature": signature_arg(headers.server_signer, body.signature, _SIGNED[command])} if command in _SIGNED else {}


# One action per enforcement event; the domain refuses with the plan's rule codes (penalty_exempt,
# dual_penalty_required, cited_majors_unverified, cited_hazard_open, …).
for path, body_class, summary, command in (
    ("penalty", s.PenaltyIn, "Decide a penalty (行政处罚) against the enterprise or a person", c.DecidePenalty),
    ("dual-penalty", s.DualPenaltyIn, "Impose a dual penalty (一案双罚): enterprise and principal", c.ImposeDualPenalty),
    ("suspension", s.SuspensionIn, "Order suspension (责令停产整顿)", c.OrderSuspension),
    ("suspension-lift", s.SuspensionLiftIn, "Lift the suspension after the resumption check (复产验收)", c.LiftSuspension),
    ("licence", s.LicenceIn, "Suspend or revoke a licence (暂扣吊销证照)", c.SuspendOrRevokeLicence),
    ("closure-request", s.ClosureRequestIn, "Request closure from the government (提请关闭)", c.RequestClosure),
    ("closure", s.ClosureIn, "Record the closure order (关闭取缔)", c.OrderClosure),
    ("industry-ban", s.IndustryBanIn, "Ban the principal from the industry (行业禁入)", c.ApplyIndustryBan),
    ("judicial-transfer", s.JudicialTransferIn, "Transfer persons to the judiciary (移送司法机关)", c.TransferToJudiciary),
    ("joint-punishment", s.JointPunishmentIn, "Apply joint punishment (联合惩戒)", c.ApplyJointPunishment),
    ("interview", s.InterviewIn, "Interview the enterprise (约谈警示)", c.InterviewEnterprise),
    ("exposure", s.ExposureIn, "Expose the case in the media (曝光)", c.ExposeCase),
    ("publication", s.TypicalCaseIn, "Publish as a typical case (典型执法案例)", c.PublishAsTypical),
    ("closure-recommendation", s.ClosureRecommendationIn, "Mark a repeat offender for closure", c.RecommendClosure),
    ("close", s.CaseCloseIn, "Close the case (结案); no 以罚代管", c.CloseCase),
):
    add_action(
        router, "case_id", path, body_class, summary,
        lambda headers, cid, b, command=command: command(case_id=cid, **_fields(b), **_signed(headers, b, command)),
    )  # fmt: skip


@batches.post("", status_code=201, response_model=Receipt)
def publish_batch(body: s.BatchIn, headers: Headers, request: Request, services: ServicesDep) -> JSONResponse:
    """Publish a batch (通报一批、约谈一批、联合惩戒一批、停产整顿一批) naming enterprises and cases."""
    return run_command(services, headers, request, body, c.PublishBatch(**body.model_dump()), 201)


@batches.get("/{batch_id}")
def get_batch(batch_id: UUID, reads: Reads) -> dict[str, Any]:
    """One publication batch."""
    return reads.batch(batch_id)
