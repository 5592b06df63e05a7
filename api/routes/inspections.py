"""Inspections (检查记录): 谁检查、谁签名."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.commands import Headers, add_action, run_command
from api.deps import ServicesDep
from api.lists import add_list
from api.reads import Reads
from api.schemas.records import DeficienciesIn, FindingIn, InspectionIn, Receipt, SignatureIn
from api.signing import signature_arg  # personal signatures
from domain.commands import inspections as c
from domain.glossary import Register, SignatureMeaning
from domain.values import Person

router = APIRouter(prefix="/inspections", tags=["inspections"])
add_list(router, Register.INSPECTIONS)


@router.post("", status_code=201, response_model=Receipt)
def conduct_inspection(
    body: InspectionIn, headers: Headers, request: Request, services: ServicesDep
) -> JSONResponse:
    """Record an inspection: the team, the method and the checklist scope."""
    return run_command(
        services,
        headers,
        request,
        body,
        c.ConductInspection(
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
def get_inspection(inspection_id: UUID, reads: Reads) -> dict[str, Any]:
    """One inspection with its findings and who has signed."""
    return reads.inspection(inspection_id)


@router.get("/{inspection_id}/events")
def inspection_events(inspection_id: UUID, services: ServicesDep, reads: Reads) -> list[dict[str, Any]]:
    """The inspection's full history."""
    reads.inspection(inspection_id)
    return services.ledger.history(inspection_id)


@router.post("/{inspection_id}/findings", response_model=Receipt)
def record_finding(
    inspection_id: UUID, body: FindingIn, headers: Headers, request: Request, services: ServicesDep
) -> JSONResponse:
    """Record what was found for one checklist item: hazards, or explicitly none."""
    return run_command(
        services,
        headers,
        request,
        body,
        c.RecordFinding(
            inspection_id=inspection_id,
            item=body.item,
            hazard_ids=body.hazard_ids,
            no_major_hazard=body.no_major_hazard,
            note=body.note,
            occurred_at=body.occurred_at,
            signature=signature_arg(headers.server_signer, body.signature, SignatureMeaning.INSPECTOR),
        ),
    )


@router.post("/{inspection_id}/signatures", response_model=Receipt)
def sign_inspection(
    inspection_id: UUID, body: SignatureIn, headers: Headers, request: Request, services: ServicesDep
) -> JSONResponse:
    """The acting inspector signs the inspection personally (检查人签名)."""
    return run_command(
        services,
        headers,
        request,
        body,
        c.SignInspection(
            inspection_id=inspection_id,
            occurred_at=body.occurred_at,
            signature=signature_arg(headers.server_signer, body.signature, SignatureMeaning.INSPECTOR),
        ),
    )


add_action(
    router, "inspection_id", "deficiencies", DeficienciesIn,
    "Record what a spot check (抽查检查) found of the seven deficiencies of Annex 1 §2",
    lambda ctx, iid, b: c.RecordDeficiencies(inspection_id=iid, deficiencies=b.deficiencies, occurred_at=b.occurred_at),
)  # fmt: skip
