"""Inspections (检查记录): 谁检查、谁签名."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.commands import Command, add_action, common
from api.deps import IdempotencyDep, ServicesDep
from api.schemas.records import DeficienciesIn, FindingIn, InspectionIn, Receipt, SignatureIn
from api.signing import signature_arg  # personal signatures
from domain.glossary import SignatureMeaning
from domain.values import Person

router = APIRouter(prefix="/inspections", tags=["inspections"])


@router.post("", status_code=201, response_model=Receipt)
def conduct_inspection(
    body: InspectionIn, ctx: Command, request: Request, services: ServicesDep, idem: IdempotencyDep
) -> JSONResponse:
    """Record an inspection: the team, the method and the checklist scope."""
    return idem.run(
        ctx,
        request,
        body,
        lambda: services.ledger.inspections.conduct_inspection(
            ctx.actor,
            enterprise_id=body.enterprise_id,
            kind=body.kind,
            method=body.method,
            inspectors=[Person(p.user_id, p.name) for p in body.inspectors],
            scope=body.scope,
            led_by_principal=body.led_by_principal,
            occurred_at=body.occurred_at,
        ),
        status=201,
    )


@router.get("/{inspection_id}")
def get_inspection(inspection_id: UUID, services: ServicesDep) -> dict[str, Any]:
    """One inspection with its findings and who has signed."""
    return services.ledger.inspections.inspection(inspection_id)


@router.get("/{inspection_id}/events")
def inspection_events(inspection_id: UUID, services: ServicesDep) -> list[dict[str, Any]]:
    """The inspection's full history."""
    services.ledger.inspections.inspection(inspection_id)
    return services.ledger.history(inspection_id)


@router.post("/{inspection_id}/findings", response_model=Receipt)
def record_finding(
    inspection_id: UUID, body: FindingIn, ctx: Command, request: Request, services: ServicesDep, idem: IdempotencyDep
) -> JSONResponse:
    """Record what was found for one checklist item: hazards, or explicitly none."""
    return idem.run(
        ctx,
        request,
        body,
        lambda: services.ledger.inspections.record_finding(
            ctx.actor,
            inspection_id,
            item=body.item,
            hazard_ids=body.hazard_ids,
            no_major_hazard=body.no_major_hazard,
            note=body.note,
            occurred_at=body.occurred_at,
            expected_version=ctx.expected_version,
            signature=signature_arg(ctx, body, SignatureMeaning.INSPECTOR),
        ),
    )


@router.post("/{inspection_id}/signatures", response_model=Receipt)
def sign_inspection(
    inspection_id: UUID, body: SignatureIn, ctx: Command, request: Request, services: ServicesDep, idem: IdempotencyDep
) -> JSONResponse:
    """The acting inspector signs the inspection personally (检查人签名)."""
    return idem.run(
        ctx,
        request,
        body,
        lambda: services.ledger.inspections.sign_inspection(
            ctx.actor,
            inspection_id,
            occurred_at=body.occurred_at,
            expected_version=ctx.expected_version,
            signature=signature_arg(ctx, body, SignatureMeaning.INSPECTOR),
        ),
    )


add_action(
    router, "inspection_id", "deficiencies", DeficienciesIn,
    "Record what a spot check (抽查检查) found of the seven deficiencies of Annex 1 §2",
    lambda ledger, ctx, iid, b: ledger.inspections.record_deficiencies(ctx.actor, iid, deficiencies=b.deficiencies, **common(ctx, b)),
)  # fmt: skip
