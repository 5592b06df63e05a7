"""Enforcement cases (执法案件) and publication batches (通报/约谈/联合惩戒/停产整顿 一批)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.commands import Command, ReceiptOut, add_action, common
from api.deps import IdempotencyDep, ServicesDep
from api.schemas import enforcement as s
from api.signing import signature_arg  # personal signatures
from domain.glossary import SignatureMeaning

router = APIRouter(prefix="/cases", tags=["enforcement"])
batches = APIRouter(prefix="/publication-batches", tags=["enforcement"])


@router.post("", status_code=201, response_model=ReceiptOut)
def open_case(body: s.CaseIn, ctx: Command, request: Request, services: ServicesDep, idem: IdempotencyDep) -> JSONResponse:
    """Open an enforcement case against an enterprise, citing hazards (and accidents)."""
    fields = body.model_dump(exclude={"occurred_at"})
    return idem.run(ctx, request, body, lambda: services.ledger.enforcement.open_case(ctx.actor, occurred_at=body.occurred_at, **fields), 201)


@router.get("/{case_id}")
def get_case(case_id: UUID, services: ServicesDep) -> dict[str, Any]:
    """One case: decisions, fines, suspension, closure, publication."""
    return services.ledger.enforcement.case(case_id)


@router.get("/{case_id}/events")
def case_events(case_id: UUID, services: ServicesDep) -> list[dict[str, Any]]:
    """The case's full history."""
    services.ledger.enforcement.case(case_id)
    return services.ledger.history(case_id)


def _fields(body: Any) -> dict[str, Any]:
    return body.model_dump(exclude={"occurred_at", "signature"})


# The case's signed acts (处罚决定签名): their commands take the personal signature.
_SIGNED = {"decide_penalty": SignatureMeaning.DECIDER, "impose_dual_penalty": SignatureMeaning.DECIDER}


def _signed(ctx: Any, body: Any, method: str) -> dict[str, Any]:
    return {"signature": signature_arg(ctx, body, _SIGNED[method])} if method in _SIGNED else {}


# One action per enforcement event; the domain refuses with the plan's rule codes (penalty_exempt,
# dual_penalty_required, cited_majors_unverified, cited_hazard_open, …).
for path, body_class, summary, method in (
    ("penalty", s.PenaltyIn, "Decide a penalty (行政处罚) against the enterprise or a person", "decide_penalty"),
    ("dual-penalty", s.DualPenaltyIn, "Impose a dual penalty (一案双罚): enterprise and principal", "impose_dual_penalty"),
    ("suspension", s.SuspensionIn, "Order suspension (责令停产整顿)", "order_suspension"),
    ("suspension-lift", s.SuspensionLiftIn, "Lift the suspension after the resumption check (复产验收)", "lift_suspension"),
    ("licence", s.LicenceIn, "Suspend or revoke a licence (暂扣吊销证照)", "suspend_or_revoke_licence"),
    ("closure-request", s.ClosureRequestIn, "Request closure from the government (提请关闭)", "request_closure"),
    ("closure", s.ClosureIn, "Record the closure order (关闭取缔)", "order_closure"),
    ("industry-ban", s.IndustryBanIn, "Ban the principal from the industry (行业禁入)", "apply_industry_ban"),
    ("judicial-transfer", s.JudicialTransferIn, "Transfer persons to the judiciary (移送司法机关)", "transfer_to_judiciary"),
    ("joint-punishment", s.JointPunishmentIn, "Apply joint punishment (联合惩戒)", "apply_joint_punishment"),
    ("interview", s.InterviewIn, "Interview the enterprise (约谈警示)", "interview_enterprise"),
    ("exposure", s.ExposureIn, "Expose the case in the media (曝光)", "expose_case"),
    ("publication", s.TypicalCaseIn, "Publish as a typical case (典型执法案例)", "publish_as_typical"),
    ("closure-recommendation", s.ClosureRecommendationIn, "Mark a repeat offender for closure", "recommend_closure"),
    ("close", s.CaseCloseIn, "Close the case (结案); no 以罚代管", "close_case"),
):
    add_action(
        router, "case_id", path, body_class, summary,
        lambda ledger, ctx, cid, b, m=method: getattr(ledger, m)(
            ctx.actor, cid, **_fields(b), **_signed(ctx, b, m), **common(ctx, b)
        ),
    )  # fmt: skip


@batches.post("", status_code=201, response_model=ReceiptOut)
def publish_batch(body: s.BatchIn, ctx: Command, request: Request, services: ServicesDep, idem: IdempotencyDep) -> JSONResponse:
    """Publish a batch (通报一批、约谈一批、联合惩戒一批、停产整顿一批) naming enterprises and cases."""
    fields = body.model_dump(exclude={"occurred_at"})
    return idem.run(
        ctx, request, body, lambda: services.ledger.enforcement.publish_batch(ctx.actor, occurred_at=body.occurred_at, **fields), 201
    )


@batches.get("/{batch_id}")
def get_batch(batch_id: UUID, services: ServicesDep) -> dict[str, Any]:
    """One publication batch."""
    return services.ledger.enforcement.batch(batch_id)
