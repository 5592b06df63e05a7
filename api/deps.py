"""Request-scoped access to the assembled services (built once in the app factory's lifespan)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.wiring import Services
from api.commands import IdempotencyStore


def services(request: Request) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]


def idempotency(request: Request) -> IdempotencyStore:
    return request.app.state.services.idempotency  # type: ignore[no-any-return]


ServicesDep = Annotated[Services, Depends(services)]
IdempotencyDep = Annotated[IdempotencyStore, Depends(idempotency)]
