"""How a write request runs: the acting user, If-Match (expected version) and Idempotency-Key.

A retried command with the same key returns the first result and appends nothing; the same key
with a different request is refused.
"""

from __future__ import annotations

import hashlib
import inspect
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import (
    JSON,
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from api.identity import CurrentActor
from api.problems import ApiProblem
from domain.actor import Actor
from domain.errors import DomainError
from domain.ledger import Receipt

metadata = MetaData()

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("user_id", String(128), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("status", Integer, nullable=False),  # 0 while the first request is still running
    Column("body", JSON, nullable=True),
)


@dataclass(frozen=True)
class CommandContext:
    actor: Actor
    expected_version: int | None
    idempotency_key: str | None
    # personal signatures: the server-held signer when the request says `X-Sign-With: server-held` (api/signing.py)
    server_signer: Any = None


def _parse_if_match(raw: str | None) -> int | None:
    if raw is None or not raw.strip():
        return None
    value = raw.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise ApiProblem(
            422,
            "invalid_if_match",
            'If-Match 应为记录版本号，如 "3"',
            'If-Match must be the record version, e.g. "3"',
            value=raw,
        )
    return int(value)


def command_context(
    actor: CurrentActor,
    request: Request,
    if_match: Annotated[str | None, Header(description='Expected version of the record, e.g. "3"')] = None,
    idempotency_key: Annotated[str | None, Header(description="Makes a retried command safe")] = None,
    x_sign_with: Annotated[
        str | None, Header(description="`server-held`: the server signs a signed act with the user's server-held key")
    ] = None,
) -> CommandContext:
    from api.signing import server_signer  # personal signatures

    signer = server_signer(request.app.state.services, actor.user_id, x_sign_with)
    return CommandContext(actor, _parse_if_match(if_match), (idempotency_key or "").strip() or None, signer)


Command = Annotated[CommandContext, Depends(command_context)]


class IdempotencyStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        metadata.create_all(engine)

    def run(
        self,
        ctx: CommandContext,
        request: Request,
        body: BaseModel | None,
        execute: Callable[[], Receipt],
        status: int = 200,
    ) -> JSONResponse:
        if ctx.idempotency_key is None:
            return _receipt_response(execute(), status, request)
        payload = body.model_dump(mode="json") if body is not None else None
        fingerprint = hashlib.sha256(
            json.dumps([request.method, request.url.path, payload], sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()
        key = {"user_id": ctx.actor.user_id, "key": ctx.idempotency_key}
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(idempotency_keys).values(**key, fingerprint=fingerprint, status=0))
        except IntegrityError:
            return self._replay(key, fingerprint)
        try:
            receipt = execute()
        except BaseException:
            # Nothing was appended: free the key so a corrected retry may use it.
            with self.engine.begin() as conn:
                conn.execute(delete(idempotency_keys).where(*_match(key)))
            raise
        response = _receipt_response(receipt, status, request)
        with self.engine.begin() as conn:
            conn.execute(update(idempotency_keys).where(*_match(key)).values(status=status, body=_receipt_body(receipt)))
        return response

    def _replay(self, key: dict[str, str], fingerprint: str) -> JSONResponse:
        with self.engine.connect() as conn:
            row = conn.execute(select(idempotency_keys).where(*_match(key))).mappings().first()
        if row is None or row["fingerprint"] != fingerprint:
            raise DomainError("idempotency_key_reused")
        if row["status"] == 0:
            raise ApiProblem(
                409, "idempotency_in_progress", "相同幂等键的请求正在处理中", "A request with this key is in progress"
            )
        response = JSONResponse(row["body"], status_code=row["status"])
        response.headers["ETag"] = f'"{row["body"]["version"]}"'
        response.headers["Idempotent-Replayed"] = "true"
        return response


def _match(key: dict[str, str]) -> list[Any]:
    return [idempotency_keys.c.user_id == key["user_id"], idempotency_keys.c.key == key["key"]]


def _receipt_body(receipt: Receipt) -> dict[str, Any]:
    return {"id": str(receipt.id), "version": receipt.version}


def _receipt_response(receipt: Receipt, status: int, request: Request) -> JSONResponse:
    response = JSONResponse(_receipt_body(receipt), status_code=status)
    response.headers["ETag"] = f'"{receipt.version}"'
    return response


Act = Callable[[Any, CommandContext, UUID, Any], Receipt]


def add_action(router: APIRouter, id_name: str, path: str, body_class: type[BaseModel], summary: str, act: Act) -> None:
    """Registers ``POST /{<id_name>}/<path>``: one command on one record, with If-Match and
    Idempotency-Key, returning the record's id and new version. ``act(ledger, ctx, record_id, body)``."""
    from api.deps import IdempotencyDep, ServicesDep

    def endpoint(**kwargs: Any) -> JSONResponse:
        ctx: CommandContext = kwargs["ctx"]
        body = kwargs["body"]
        services = kwargs["services"]
        record_id: UUID = kwargs[id_name]
        return kwargs["idem"].run(ctx, kwargs["request"], body, lambda: act(services.ledger, ctx, record_id, body))

    # FastAPI reads the signature: give the path parameter its real name and the body its real class.
    kind = inspect.Parameter.KEYWORD_ONLY
    endpoint.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(id_name, kind, annotation=UUID),
            inspect.Parameter("body", kind, annotation=body_class),
            inspect.Parameter("ctx", kind, annotation=Command),
            inspect.Parameter("request", kind, annotation=Request),
            inspect.Parameter("services", kind, annotation=ServicesDep),
            inspect.Parameter("idem", kind, annotation=IdempotencyDep),
        ]
    )
    endpoint.__name__ = f"{id_name.removesuffix('_id')}_{path}".replace("-", "_").replace("/", "_")
    router.add_api_route(f"/{{{id_name}}}/{path}", endpoint, methods=["POST"], summary=summary, response_model=ReceiptOut)


class ReceiptOut(BaseModel):
    id: UUID
    version: int


def common(ctx: CommandContext, body: Any) -> dict[str, Any]:
    """The keyword arguments every command takes from the request: business time and If-Match."""
    return {"occurred_at": body.occurred_at, "expected_version": ctx.expected_version}
