"""Who is acting: one dependency resolves the ``Actor`` from whichever credential the request carries.

In this order:

    Authorization: Bearer <jwt>   an access token of ``POST /api/v1/auth/token`` (built-in accounts), or a
                                  token of the configured OpenID Connect provider (told apart by ``iss``)
    Authorization: ApiKey <key>   an API key of a machine client (``hazard-ledger api-keys add``)
    X-API-Key: <key>              the same
    X-User-* / X-Org-* headers    only where trusted: development by default; production only with
                                  HAZARD_TRUST_IDENTITY_HEADER=1 behind a proxy that authenticates users

    X-User-Id      required   stable user id
    X-User-Name    required   printed name; UTF-8 or percent-encoded (%E5%BC%A0%E4%B8%89)
    X-User-Role    required   one of domain.glossary.Role (inspector, principal, …)
    X-Org-Id       required   unit id (e.g. yjj), street id, or the enterprise's id
    X-Org-Kind     required   one of domain.glossary.OrgKind, the one the role belongs to (domain/identity.py)
    X-Org-Name     optional   printed name of the organisation

A bad credential is a 401 (``WWW-Authenticate``; codes in domain/errors.py), never a fallback to the next
way. ``domain/`` only ever sees an ``Actor``.
"""

from __future__ import annotations

import contextlib
from typing import Annotated
from urllib.parse import unquote

from fastapi import Depends, Header, Request
from fastapi.security import APIKeyHeader, OAuth2PasswordBearer
from starlette.concurrency import run_in_threadpool

from app.auth import Authenticator
from domain.actor import Actor
from domain.bounds import check_actor
from domain.errors import DomainError
from domain.identity import claimed_actor

# Declared for the OpenAPI contract (its security schemes and the docs' Authorize button); the request is read below.
_bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)
_api_key = APIKeyHeader(name="X-API-Key", auto_error=False)


def _text(raw: str) -> str:
    # Starlette decodes header bytes as latin-1; a client sending UTF-8 gets it back here.
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        raw = raw.encode("latin-1").decode("utf-8")
    return unquote(raw).strip()


async def actor_from_headers(
    x_user_id: Annotated[str | None, Header()] = None,
    x_user_name: Annotated[str | None, Header()] = None,
    x_user_role: Annotated[str | None, Header()] = None,
    x_org_id: Annotated[str | None, Header()] = None,
    x_org_kind: Annotated[str | None, Header()] = None,
    x_org_name: Annotated[str | None, Header()] = None,
) -> Actor:
    """The actor the X-User-* headers state (whether they are trusted is ``resolve_actor``'s question)."""
    given = {
        "X-User-Id": x_user_id,
        "X-User-Name": x_user_name,
        "X-User-Role": x_user_role,
        "X-Org-Id": x_org_id,
        "X-Org-Kind": x_org_kind,
    }
    missing = [name for name, value in given.items() if not (value and value.strip())]
    if missing:
        raise DomainError("unauthenticated", reason=f"missing {', '.join(missing)}", reason_zh=f"缺少 {', '.join(missing)}")
    actor = claimed_actor(
        user_id=_text(x_user_id or ""),
        name=_text(x_user_name or ""),
        role=_text(x_user_role or ""),
        organisation_id=_text(x_org_id or ""),
        organisation_kind=_text(x_org_kind or ""),
        organisation_name=_text(x_org_name or ""),
    )
    check_actor(actor)  # decoded: %00 is a NUL, refused before any lookup or command (422 invalid_value)
    return actor


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


async def _header_actor(request: Request) -> Actor:
    names = ("x_user_id", "x_user_name", "x_user_role", "x_org_id", "x_org_kind", "x_org_name")
    return await actor_from_headers(**{name: request.headers.get(name.replace("_", "-")) for name in names})


def _credential(request: Request) -> tuple[str, str] | None:
    """("bearer" | "apikey", the credential) the request carries, if any."""
    if authorization := request.headers.get("authorization"):
        scheme, _, value = authorization.strip().partition(" ")
        if scheme.lower() not in ("bearer", "apikey") or not value.strip():
            raise DomainError("token_invalid", reason="unsupported Authorization scheme", reason_zh="不支持的 Authorization 方案")
        return scheme.lower(), value.strip()
    if key := request.headers.get("x-api-key"):
        return "apikey", key.strip()
    return None


_RESOLVED = "resolved_actor"
_UNRESOLVED = object()


async def resolve_actor(request: Request) -> Actor | None:
    """The acting person, or None when the request carries no identity at all (once per request)."""
    resolved = getattr(request.state, _RESOLVED, _UNRESOLVED)
    if resolved is _UNRESOLVED:
        resolved = await _resolve(request)
        setattr(request.state, _RESOLVED, resolved)
    return resolved  # type: ignore[no-any-return]


async def _resolve(request: Request) -> Actor | None:
    services = request.app.state.services
    auth: Authenticator = services.auth
    credential = _credential(request)
    if credential is not None:
        scheme, value = credential
        # the database is read (account, key): off the event loop
        check = auth.bearer_actor if scheme == "bearer" else auth.api_key_actor
        return await run_in_threadpool(check, value, client_ip(request))
    if request.headers.get("x-user-id") is not None:
        if not services.settings.trust_identity_header:
            raise DomainError("identity_headers_refused")
        return await _header_actor(request)
    return None


async def current_actor(
    request: Request,
    _token: Annotated[str | None, Depends(_bearer)],
    _key: Annotated[str | None, Depends(_api_key)],
    x_user_id: Annotated[str | None, Header()] = None,
    x_user_name: Annotated[str | None, Header()] = None,
    x_user_role: Annotated[str | None, Header()] = None,
    x_org_id: Annotated[str | None, Header()] = None,
    x_org_kind: Annotated[str | None, Header()] = None,
    x_org_name: Annotated[str | None, Header()] = None,
) -> Actor:
    """Every command's actor: a request without any identity is a 401 (in every environment)."""
    actor = await resolve_actor(request)
    if actor is not None:
        return actor
    if not request.app.state.services.settings.trust_identity_header:
        raise DomainError("unauthenticated", reason="log in first", reason_zh="请先登录")
    return await _header_actor(request)  # names the missing headers


CurrentActor = Annotated[Actor, Depends(current_actor)]


async def optional_actor(
    request: Request,
    _token: Annotated[str | None, Depends(_bearer)],
    _key: Annotated[str | None, Depends(_api_key)],
    x_user_id: Annotated[str | None, Header(description="the reader, when identified (see X-User-Id)")] = None,
) -> Actor | None:
    """The reader, when identified: reads need no identity, but some show more to some roles. A credential
    that is sent must be good. (The parameters declare the ways in for the OpenAPI contract.)"""
    return await resolve_actor(request)


OptionalActor = Annotated[Actor | None, Depends(optional_actor)]


async def credentials_checked(request: Request) -> None:
    """Every request (the app's dependency): a credential that is sent must be good, whatever the route reads.
    Not on log-in's own routes, where a client may still send its expired token beside a refresh token."""
    if not request.url.path.startswith("/api/v1/auth/"):
        await resolve_actor(request)
