"""Who is acting: until log-in exists, a trusted proxy (or the developer) states it in headers.

    X-User-Id      required   stable user id
    X-User-Name    required   printed name; UTF-8 or percent-encoded (%E5%BC%A0%E4%B8%89)
    X-User-Role    required   one of domain.glossary.Role (inspector, principal, …)
    X-Org-Id       required   unit id (e.g. yjj), street id, or the enterprise's id
    X-Org-Kind     required   one of domain.glossary.OrgKind
    X-Org-Name     optional   printed name of the organisation

An authenticated identity (a later issue) replaces this one dependency; ``domain/`` only ever sees an
``Actor``.
"""

from __future__ import annotations

import contextlib
from typing import Annotated
from urllib.parse import unquote

from fastapi import Depends, Header

from domain.actor import Actor
from domain.bounds import check_actor
from domain.errors import DomainError
from domain.glossary import OrgKind, Role


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
    role, kind = _text(x_user_role or ""), _text(x_org_kind or "")
    if role not in Role.__members__.values():
        raise DomainError("unauthenticated", reason=f"unknown role {role!r}", reason_zh=f"未知角色 {role}")
    if kind not in OrgKind.__members__.values() or role == Role.SYSTEM:
        raise DomainError("unauthenticated", reason=f"unknown organisation kind {kind!r}", reason_zh=f"未知单位类型 {kind}")
    actor = Actor(
        user_id=_text(x_user_id or ""),
        name=_text(x_user_name or ""),
        role=Role(role),
        organisation_id=_text(x_org_id or ""),
        organisation_kind=OrgKind(kind),
        organisation_name=_text(x_org_name or ""),
    )
    check_actor(actor)  # decoded: %00 is a NUL, refused before any lookup or command (422 invalid_value)
    return actor


CurrentActor = Annotated[Actor, Depends(actor_from_headers)]


async def optional_actor(
    x_user_id: Annotated[str | None, Header(description="the reader, when identified (see X-User-Id)")] = None,
    x_user_name: Annotated[str | None, Header()] = None,
    x_user_role: Annotated[str | None, Header()] = None,
    x_org_id: Annotated[str | None, Header()] = None,
    x_org_kind: Annotated[str | None, Header()] = None,
    x_org_name: Annotated[str | None, Header()] = None,
) -> Actor | None:
    """The reader, when identified: reads need no identity, but some show more to some roles."""
    if not (x_user_id and x_user_id.strip()):
        return None
    return await actor_from_headers(x_user_id, x_user_name, x_user_role, x_org_id, x_org_kind, x_org_name)


OptionalActor = Annotated[Actor | None, Depends(optional_actor)]
