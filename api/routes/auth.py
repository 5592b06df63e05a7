"""Log-in with a built-in account (OAuth2 password flow), refresh, log-out; the security events.

``POST /auth/token`` answers a short-lived signed access token (``Authorization: Bearer …``) and an opaque
refresh token; ``POST /auth/refresh`` spends a refresh token for a new pair (a spent one presented again
revokes the whole log-in); ``POST /auth/logout`` revokes the log-in's refresh tokens.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response

from api.deps import Limit, Offset, ServicesDep
from api.identity import CurrentActor, client_ip
from domain.errors import DomainError
from domain.identity import SECURITY_READERS

router = APIRouter(tags=["log-in"])


@router.post("/auth/token", summary="Log in: a user name and password for an access token and a refresh token")
def token(
    request: Request,
    services: ServicesDep,
    username: Annotated[str, Form(min_length=1, max_length=128)],
    password: Annotated[str, Form(min_length=1, max_length=1024)],
) -> dict[str, Any]:
    return asdict(services.auth.login(username, password, client_ip(request)))


@router.post("/auth/refresh", summary="A new token pair for a refresh token (which is spent)")
def refresh(
    request: Request, services: ServicesDep, refresh_token: Annotated[str, Form(min_length=1, max_length=256)]
) -> dict[str, Any]:
    return asdict(services.auth.refresh(refresh_token, client_ip(request)))


@router.post("/auth/logout", status_code=204, summary="Revoke a log-in's refresh tokens")
def logout(
    request: Request, services: ServicesDep, refresh_token: Annotated[str, Form(min_length=1, max_length=256)]
) -> Response:
    services.auth.logout(refresh_token, client_ip(request))
    return Response(status_code=204)


@router.get("/security-events", summary="Log-ins, failures, lock-outs, refreshes, account and key changes (auditors, admins)")
def security_events(actor: CurrentActor, services: ServicesDep, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    if actor.role not in SECURITY_READERS:
        raise DomainError("role_not_allowed", role=actor.role.value, role_zh=actor.role.zh, action="read security events",
                          action_zh="查阅安全事件")  # fmt: skip
    total, items = services.auth.store.security_events(limit, offset)
    return {"total": total, "limit": limit, "offset": offset, "items": items}
