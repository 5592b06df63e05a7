"""Hazards (事故隐患): report, act on the lifecycle, list, read the history."""

from __future__ import annotations

import base64
import binascii
from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from api.commands import Headers, add_action, run_command
from api.deps import Limit, Offset, RecordsRead, ServicesDep
from api.reads import Reads, Scope
from api.schemas.records import (
    ClosureIn,
    CompletionIn,
    DeadlineMissIn,
    EvidenceIn,
    ExtensionApprovalIn,
    ExtensionIn,
    ExtensionRefusalIn,
    ExtensionRequestIn,
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
from app.record_reads import evidence_file
from domain.commands import hazards as c
from domain.errors import DomainError
from domain.evidence import EVIDENCE_MEDIA_TYPES
from domain.glossary import Grade, HazardSource, HazardState, SignatureMeaning
from domain.values import RectificationPlan, SupervisionListing
from projections.hazard_queries import HazardFilter

router = APIRouter(prefix="/hazards", tags=["hazards"])


@router.post("", status_code=201, response_model=Receipt)
def report_hazard(body: HazardIn, headers: Headers, request: Request, services: ServicesDep) -> JSONResponse:
    """Report a hazard found by the enterprise itself, an inspection, supervision, a tip-off or an accident investigation."""
    return run_command(services, headers, request, body, c.ReportHazard(**body.model_dump()), status=201)


@router.get("")
def list_hazards(
    services: ServicesDep,
    read_at: RecordsRead,
    scope: Scope,
    state: HazardState | None = None,
    sector: str | None = Query(None, description="sector row id; a parent row includes its 其中 rows"),
    unit: str | None = Query(None, description="department (responsible or sector lead) or street/zone id"),
    grade: Grade | None = None,
    source: HazardSource | None = None,
    enterprise_id: UUID | None = None,
    overdue: bool | None = None,
    listed: bool | None = None,
    deadline_by: Annotated[date | None, Query(description="rectification deadline on or before this business date")] = None,
    q: str | None = Query(None, description="words in the description or the enterprise's name (case-insensitive)"),
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Hazards with filters, newest first (read model, caught up before reading); only those the reader may see."""
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
            deadline_by=deadline_by,
            text=q,
            limit=limit,
            offset=offset,
            scope=scope,
        )
    )


@router.get("/{hazard_id}")
def get_hazard(hazard_id: UUID, reads: Reads, response: Response) -> dict[str, Any]:
    """One hazard's current state (ETag = version, for If-Match)."""
    hazard = reads.hazard(hazard_id)
    response.headers["ETag"] = f'"{hazard["version"]}"'
    return hazard


@router.get("/{hazard_id}/events")
def hazard_events(hazard_id: UUID, services: ServicesDep, reads: Reads) -> list[dict[str, Any]]:
    """The hazard's full history: every event with who, business time and recorded time."""
    reads.hazard(hazard_id)
    return services.ledger.history(hazard_id)


@router.get(
    "/{hazard_id}/evidence/{sha256}",
    response_class=Response,
    responses={
        200: {
            "description": "The file's bytes, as the media type it was attached with",
            "content": {kind: {"schema": {"type": "string", "format": "binary"}} for kind in sorted(EVIDENCE_MEDIA_TYPES)},
        }
    },
)
def evidence_content(hazard_id: UUID, sha256: str, services: ServicesDep, reads: Reads) -> Response:
    """The bytes of an attached evidence file: photos and PDFs shown inline, anything else downloaded; never
    sniffed or run by the browser (nosniff, a sandboxing CSP)."""
    served = evidence_file(services, reads, hazard_id, sha256)
    return Response(served.content, media_type=served.media_type, headers=served.headers)


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
    lambda ctx, hid, b: c.ReportToRegulator(hazard_id=hid, regulator=b.regulator, occurred_at=b.occurred_at),
)
add_action(
    router,
    "hazard_id",
    "plan",
    PlanIn,
    "File the rectification plan (五落实)",
    lambda ctx, hid, b: c.FilePlan(
        hazard_id=hid, plan=RectificationPlan(**b.model_dump(exclude={"occurred_at"})), occurred_at=b.occurred_at
    ),
)
add_action(
    router,
    "hazard_id",
    "progress",
    ProgressIn,
    "Record rectification progress",
    lambda ctx, hid, b: c.RecordProgress(hazard_id=hid, note=b.note, percent=b.percent, occurred_at=b.occurred_at),
)
add_action(
    router,
    "hazard_id",
    "evidence",
    EvidenceIn,
    "Attach evidence (bytes stored; SHA-256 in the event)",
    lambda ctx, hid, b: c.AttachEvidence(
        hazard_id=hid,
        file_name=b.file_name,
        media_type=b.media_type,
        content=_decode_base64(b.content_base64),
        sha256=b.sha256,
        taken_at=b.taken_at,
        latitude=b.latitude,
        longitude=b.longitude,
        occurred_at=b.occurred_at,
    ),
)
add_action(
    router,
    "hazard_id",
    "supervision",
    ListingIn,
    "List a major hazard for supervision (挂牌督办)",
    lambda ctx, hid, b: c.ListForSupervision(
        hazard_id=hid, listing=SupervisionListing(**b.model_dump(exclude={"occurred_at"})), occurred_at=b.occurred_at
    ),
)
add_action(
    router,
    "hazard_id",
    "supervision/lift",
    LiftIn,
    "Lift the listing (摘牌), after verification",
    lambda ctx, hid, b: c.LiftSupervision(hazard_id=hid, reason=b.reason, approver=b.approver, occurred_at=b.occurred_at),
)
add_action(
    router,
    "hazard_id",
    "completion",
    CompletionIn,
    "Claim the rectification complete (enterprise)",
    lambda ctx, hid, b: c.CompleteRectification(hazard_id=hid, note=b.note, occurred_at=b.occurred_at),
)
add_action(
    router,
    "hazard_id",
    "verification",
    VerificationIn,
    "Verify the rectification (验收), pass or fail; not by the claimer",
    lambda ctx, hid, b: c.VerifyRectification(
        hazard_id=hid,
        passed=b.passed,
        opinion=b.opinion,
        assessed_by=b.assessed_by,
        signature=signature_arg(ctx.server_signer, b.signature, SignatureMeaning.VERIFIER),
        occurred_at=b.occurred_at,
    ),
)
add_action(
    router,
    "hazard_id",
    "closure",
    ClosureIn,
    "Close the hazard (销号), after verification and delisting",
    lambda ctx, hid, b: c.CloseHazard(
        hazard_id=hid,
        note=b.note,
        signature=signature_arg(ctx.server_signer, b.signature, SignatureMeaning.CLOSER),
        occurred_at=b.occurred_at,
    ),
)
add_action(
    router,
    "hazard_id",
    "deadline-extension",
    ExtensionIn,
    "Record an approved deadline extension",
    lambda ctx, hid, b: c.ExtendDeadline(
        hazard_id=hid,
        request_date=b.request_date,
        reason=b.reason,
        new_deadline=b.new_deadline,
        approver=b.approver,
        occurred_at=b.occurred_at,
    ),
)
add_action(
    router,
    "hazard_id",
    "extension-requests",
    ExtensionRequestIn,
    "Request an extension of the rectification deadline (申请延期; the enterprise)",
    lambda ctx, hid, b: c.RequestExtension(
        hazard_id=hid, reason=b.reason, requested_deadline=b.requested_deadline, occurred_at=b.occurred_at
    ),
)
add_action(
    router,
    "hazard_id",
    "extension-requests/approval",
    ExtensionApprovalIn,
    "Approve the open extension request (批准延期; the supervising unit): the approved deadline is in force from now",
    lambda ctx, hid, b: c.ApproveExtension(
        hazard_id=hid, opinion=b.opinion, new_deadline=b.new_deadline, occurred_at=b.occurred_at
    ),
)
add_action(
    router,
    "hazard_id",
    "extension-requests/refusal",
    ExtensionRefusalIn,
    "Refuse the open extension request (不予延期; the supervising unit): the deadline stays",
    lambda ctx, hid, b: c.RefuseExtension(hazard_id=hid, opinion=b.opinion, occurred_at=b.occurred_at),
)
add_action(
    router,
    "hazard_id",
    "deadline-miss",
    DeadlineMissIn,
    "Record or correct whether a deadline was missed (区安委办, from paper records), with the reason",
    lambda ctx, hid, b: c.RecordDeadlineMiss(
        hazard_id=hid, deadline=b.deadline, missed=b.missed, reason=b.reason, occurred_at=b.occurred_at
    ),
)
add_action(
    router,
    "hazard_id",
    "void",
    VoidIn,
    "Void the record (作废), with the reason",
    lambda ctx, hid, b: c.VoidHazard(hazard_id=hid, reason=b.reason, occurred_at=b.occurred_at),
)
