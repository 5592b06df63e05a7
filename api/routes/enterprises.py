"""Enterprises (生产经营单位)."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.commands import Headers, run_command
from api.deps import ServicesDep
from api.lists import add_list
from api.reads import Reads
from api.schemas.records import EnterpriseIn, PrincipalIn, Receipt
from domain.commands import enterprises as c
from domain.glossary import Register

router = APIRouter(prefix="/enterprises", tags=["enterprises"])


@router.post("", status_code=201, response_model=Receipt)
def register_enterprise(
    body: EnterpriseIn, headers: Headers, request: Request, services: ServicesDep
) -> JSONResponse:
    """Register an enterprise by its unified social credit code (one record per code)."""
    return run_command(services, headers, request, body, c.RegisterEnterprise(**body.model_dump()), status=201)


add_list(router, Register.ENTERPRISES)  # by name; filters sector, jurisdiction, unit, credit_code, …


@router.get("/{enterprise_id}")
def get_enterprise(enterprise_id: UUID, reads: Reads) -> dict[str, Any]:
    """One enterprise, current state."""
    return reads.enterprise(enterprise_id)


@router.get("/{enterprise_id}/events")
def enterprise_events(enterprise_id: UUID, services: ServicesDep, reads: Reads) -> list[dict[str, Any]]:
    """The enterprise's full history."""
    reads.enterprise(enterprise_id)
    return services.ledger.history(enterprise_id)


@router.post("/{enterprise_id}/principal", response_model=Receipt)
def change_principal(
    enterprise_id: UUID, body: PrincipalIn, headers: Headers, request: Request, services: ServicesDep
) -> JSONResponse:
    """Record a new principal (主要负责人)."""
    command = c.ChangePrincipal(enterprise_id=enterprise_id, principal_name=body.principal_name, occurred_at=body.occurred_at)
    return run_command(services, headers, request, body, command)
