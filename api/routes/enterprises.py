"""Enterprises (生产经营单位)."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.commands import Headers, run_command
from api.deps import Limit, Offset, RecordsRead, ServicesDep
from api.reads import Reads, Scope
from api.schemas.records import EnterpriseIn, PrincipalIn, Receipt
from domain.commands import enterprises as c

router = APIRouter(prefix="/enterprises", tags=["enterprises"])


@router.post("", status_code=201, response_model=Receipt)
def register_enterprise(
    body: EnterpriseIn, headers: Headers, request: Request, services: ServicesDep
) -> JSONResponse:
    """Register an enterprise by its unified social credit code (one record per code)."""
    return run_command(services, headers, request, body, c.RegisterEnterprise(**body.model_dump()), status=201)


@router.get("")
def list_enterprises(
    services: ServicesDep, read_at: RecordsRead, scope: Scope, limit: Limit = 100, offset: Offset = 0
) -> list[dict[str, Any]]:
    """Enterprises, by name (read model): those the reader may see."""
    return services.queries.enterprises(limit, offset, scope)


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
