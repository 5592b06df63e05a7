"""Enterprises (生产经营单位)."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from api.commands import Command
from api.deps import IdempotencyDep, ServicesDep
from api.schemas.records import EnterpriseIn, PrincipalIn, Receipt

router = APIRouter(prefix="/enterprises", tags=["enterprises"])


@router.post("", status_code=201, response_model=Receipt)
def register_enterprise(
    body: EnterpriseIn, ctx: Command, request: Request, services: ServicesDep, idem: IdempotencyDep
) -> JSONResponse:
    """Register an enterprise by its unified social credit code (one record per code)."""
    fields = body.model_dump(exclude={"occurred_at"})
    return idem.run(
        ctx,
        request,
        body,
        lambda: services.ledger.enterprises.register_enterprise(ctx.actor, occurred_at=body.occurred_at, **fields),
        status=201,
    )


@router.get("")
def list_enterprises(
    services: ServicesDep, limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0)
) -> list[dict[str, Any]]:
    """Enterprises, by name (read model)."""
    services.catch_up("records")
    return services.queries.enterprises(limit, offset)


@router.get("/{enterprise_id}")
def get_enterprise(enterprise_id: UUID, services: ServicesDep) -> dict[str, Any]:
    """One enterprise, current state."""
    return services.ledger.enterprises.enterprise(enterprise_id)


@router.get("/{enterprise_id}/events")
def enterprise_events(enterprise_id: UUID, services: ServicesDep) -> list[dict[str, Any]]:
    """The enterprise's full history."""
    services.ledger.enterprises.enterprise(enterprise_id)
    return services.ledger.history(enterprise_id)


@router.post("/{enterprise_id}/principal", response_model=Receipt)
def change_principal(
    enterprise_id: UUID, body: PrincipalIn, ctx: Command, request: Request, services: ServicesDep, idem: IdempotencyDep
) -> JSONResponse:
    """Record a new principal (主要负责人)."""
    return idem.run(
        ctx,
        request,
        body,
        lambda: services.ledger.enterprises.change_principal(
            ctx.actor,
            enterprise_id,
            body.principal_name,
            occurred_at=body.occurred_at,
            expected_version=ctx.expected_version,
        ),
    )
