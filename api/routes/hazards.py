"""Hazards (事故隐患): report, act on the lifecycle, list, read the history."""

from __future__ import annotations

import base64
import binascii
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from api.commands import Command, add_action, common
from api.deps import IdempotencyDep, ServicesDep
from api.schemas.records import (
    ClosureIn,
    CompletionIn,
    EvidenceIn,
    ExtensionIn,
    HazardIn,
    LiftIn,
    ListingIn,
    PlanIn,
    ProgressIn,
    Receipt,
    RegulatorReportIn,
    VerificationIn,
    VoidIn,
)
from api.signing import signature_arg  # personal signatures
from domain.errors import DomainError
from domain.glossary import Grade, HazardSource, HazardState, SignatureMeaning
from domain.values import RectificationPlan, SupervisionListing
from projections.hazard_queries import HazardFilter

router = APIRouter(prefix="/hazards", tags=["hazards"])


@router.post("", status_code=201, response_model=Receipt)
def report_hazard(body: HazardIn, ctx: Command, request: Request, services: ServicesDep, idem: IdempotencyDep) -> JSONResponse:
    """Report a hazard found by the enterprise itself, an inspection, supervision, a tip-off or an accident investigation."""
    fields = body.model_dump(exclude={"occurred_at"})
    return idem.run(
        ctx,
        request,
        body,
        lambda: services.ledger.hazards.report_hazard(ctx.actor, occurred_at=body.occurred_at, **fields),
        status=201,
    )


@router.get("")
def list_hazards(
    services: ServicesDep,
    state: HazardState | None = None,
    sector: str | None = Query(None, description="sector row id; a parent row includes its 其中 rows"),
    unit: str | None = Query(None, description="department (responsible or sector lead) or street/zone id"),
    grade: Grade | None = None,
    source: HazardSource | None = None,
    enterprise_id: UUID | None = None,
    overdue: bool | None = None,
    listed: bool | None = None,
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0),
) -> dict[str, Any]:
    """Hazards with filters, newest first (read model, caught up before reading)."""
    services.catch_up("records")
    return services.queries.list(
        HazardFilter(
            state=state,
            sector=sector,
            unit=unit,
            grade=grade,
            source=source,
            enterprise_id=str(enterprise_id) if enterprise_id else None,
            overdue=overdue,
            listed=listed,
            limit=limit,
            offset=offset,
        )
    )


@router.get("/{hazard_id}")
def get_hazard(hazard_id: UUID, services: ServicesDep, response: Response) -> dict[str, Any]:
    """One hazard's current state (ETag = version, for If-Match)."""
    hazard = services.ledger.hazards.hazard(hazard_id)
    response.headers["ETag"] = f'"{hazard["version"]}"'
    return hazard


@router.get("/{hazard_id}/events")
def hazard_events(hazard_id: UUID, services: ServicesDep) -> list[dict[str, Any]]:
    """The hazard's full history: every event with who, business time and recorded time."""
    services.ledger.hazards.hazard(hazard_id)
    return services.ledger.history(hazard_id)


@router.get("/{hazard_id}/evidence/{sha256}")
def evidence_content(hazard_id: UUID, sha256: str, services: ServicesDep) -> Response:
    """The bytes of an attached evidence file."""
    media_type, content = services.ledger.hazards.evidence_content(hazard_id, sha256)
    return Response(content, media_type=media_type)


def _decode_base64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise DomainError(
            "invalid_value", field="content_base64", reason="not valid base64", reason_zh="不是有效的 base64"
        ) from None


add_action(
    router,
    "hazard_id",
    "report-to-regulator",
    RegulatorReportIn,
    "Report a major hazard to the regulator (向监管部门报告)",
    lambda ledger, ctx, hid, b: ledger.hazards.report_to_regulator(ctx.actor, hid, regulator=b.regulator, **common(ctx, b)),
)
add_action(
    router,
    "hazard_id",
    "plan",
    PlanIn,
    "File the rectification plan (五落实)",
    lambda ledger, ctx, hid, b: ledger.hazards.file_plan(
        ctx.actor, hid, RectificationPlan(**b.model_dump(exclude={"occurred_at"})), **common(ctx, b)
    ),
)
add_action(
    router,
    "hazard_id",
    "progress",
    ProgressIn,
    "Record rectification progress",
    lambda ledger, ctx, hid, b: ledger.hazards.record_progress(ctx.actor, hid, note=b.note, percent=b.percent, **common(ctx, b)),
)
add_action(
    router,
    "hazard_id",
    "evidence",
    EvidenceIn,
    "Attach evidence (bytes stored; SHA-256 in the event)",
    lambda ledger, ctx, hid, b: ledger.hazards.attach_evidence(
        ctx.actor,
        hid,
        file_name=b.file_name,
        media_type=b.media_type,
        content=_decode_base64(b.content_base64),
        sha256=b.sha256,
        taken_at=b.taken_at,
        latitude=b.latitude,
        longitude=b.longitude,
        **common(ctx, b),
    ),
)
add_action(
    router,
    "hazard_id",
    "supervision",
    ListingIn,
    "List a major hazard for supervision (挂牌督办)",
    lambda ledger, ctx, hid, b: ledger.hazards.list_for_supervision(
        ctx.actor, hid, SupervisionListing(**b.model_dump(exclude={"occurred_at"})), **common(ctx, b)
    ),
)
add_action(
    router,
    "hazard_id",
    "supervision/lift",
    LiftIn,
    "Lift the listing (摘牌), after verification",
    lambda ledger, ctx, hid, b: ledger.hazards.lift_supervision(ctx.actor, hid, reason=b.reason, approver=b.approver, **common(ctx, b)),
)
add_action(
    router,
    "hazard_id",
    "completion",
    CompletionIn,
    "Claim the rectification complete (enterprise)",
    lambda ledger, ctx, hid, b: ledger.hazards.complete_rectification(ctx.actor, hid, note=b.note, **common(ctx, b)),
)
add_action(
    router,
    "hazard_id",
    "verification",
    VerificationIn,
    "Verify the rectification (验收), pass or fail; not by the claimer",
    lambda ledger, ctx, hid, b: ledger.hazards.verify(
        ctx.actor,
        hid,
        passed=b.passed,
        opinion=b.opinion,
        assessed_by=b.assessed_by,
        signature=signature_arg(ctx, b, SignatureMeaning.VERIFIER),
        **common(ctx, b),
    ),
)
add_action(
    router,
    "hazard_id",
    "closure",
    ClosureIn,
    "Close the hazard (销号), after verification and delisting",
    lambda ledger, ctx, hid, b: ledger.hazards.close_hazard(
        ctx.actor, hid, note=b.note, signature=signature_arg(ctx, b, SignatureMeaning.CLOSER), **common(ctx, b)
    ),
)
add_action(
    router,
    "hazard_id",
    "deadline-extension",
    ExtensionIn,
    "Record an approved deadline extension",
    lambda ledger, ctx, hid, b: ledger.hazards.extend_deadline(
        ctx.actor,
        hid,
        request_date=b.request_date,
        reason=b.reason,
        new_deadline=b.new_deadline,
        approver=b.approver,
        **common(ctx, b),
    ),
)
add_action(
    router,
    "hazard_id",
    "void",
    VoidIn,
    "Void the record (作废), with the reason",
    lambda ledger, ctx, hid, b: ledger.hazards.void_hazard(ctx.actor, hid, reason=b.reason, **common(ctx, b)),
)
