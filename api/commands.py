"""Commands over HTTP: the request's actor, If-Match, Idempotency-Key and signing mode, handed to the one
command pipeline (``app/pipeline.py``). A response carries the record's id, its new version and the
log position the command reached (``X-Log-Position``): a read that sends it back (``min_position``)
sees the write.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from api.deps import ServicesDep
from api.identity import CurrentActor
from api.problems import ApiProblem
from api.schemas.records import Receipt
from api.signing import server_signer
from app.pipeline import CommandContext, Outcome, fingerprint
from app.wiring import Services
from domain.actor import Actor
from domain.bounds import SHORT_TEXT
from domain.commands.base import Command
from domain.signatures import ServerHeldSigner

POSITION_HEADER = "X-Log-Position"


@dataclass(frozen=True)
class CommandHeaders:
    """What a write request says besides its body."""

    actor: Actor
    expected_version: int | None
    idempotency_key: str | None
    # personal signatures: the server-held signer when the request says `X-Sign-With: server-held` (api/signing.py)
    server_signer: ServerHeldSigner | None = None


def _parse_if_match(raw: str | None) -> int | None:
    if raw is None or not raw.strip():
        return None
    value = raw.strip().removeprefix("W/").strip('"')
    if not value.isdigit() or len(value) > 18:  # a version, not a number of any size
        raise ApiProblem(
            422,
            "invalid_if_match",
            'If-Match 应为记录版本号，如 "3"',
            'If-Match must be the record version, e.g. "3"',
            value=raw,
        )
    return int(value)


async def command_headers(
    actor: CurrentActor,
    services: ServicesDep,
    if_match: Annotated[str | None, Header(description='Expected version of the record, e.g. "3"')] = None,
    idempotency_key: Annotated[str | None, Header(description="Makes a retried command safe")] = None,
    x_sign_with: Annotated[
        str | None, Header(description="`server-held`: the server signs a signed act with the user's server-held key")
    ] = None,
) -> CommandHeaders:
    key = (idempotency_key or "").strip() or None
    if key is not None and (len(key) > SHORT_TEXT or not key.isprintable()):
        raise ApiProblem(
            422, "invalid_idempotency_key", f"Idempotency-Key 应为不超过 {SHORT_TEXT} 个可打印字符",
            f"Idempotency-Key must be at most {SHORT_TEXT} printable characters", limit=SHORT_TEXT,
        )  # fmt: skip
    # Pure header parsing stays on the event loop; only the server-held key lookup reads the database.
    signer = await run_in_threadpool(server_signer, services, actor.user_id, x_sign_with) if x_sign_with else None
    return CommandHeaders(actor, _parse_if_match(if_match), key, signer)


Headers = Annotated[CommandHeaders, Depends(command_headers)]


def run_command(
    services: Services, headers: CommandHeaders, request: Request, body: BaseModel | None, command: Command, status: int = 200
) -> JSONResponse:
    """Runs ``command`` through the pipeline and answers its outcome (a replay as the first answer)."""
    return outcome_response(execute(services, headers, request, body, command, status))


def execute(
    services: Services, headers: CommandHeaders, request: Request, body: BaseModel | None, command: Command, status: int = 200
) -> Outcome:
    payload = body.model_dump(mode="json") if body is not None else None
    asked = fingerprint(request.method, request.url.path, payload)
    ctx = CommandContext(headers.actor, headers.expected_version, headers.idempotency_key, asked, status)
    return services.pipeline.execute(command, ctx)


def outcome_response(outcome: Outcome, **extra: Any) -> JSONResponse:
    body = {"id": str(outcome.id), "version": outcome.version, "position": outcome.position, **extra}
    response = JSONResponse(body, status_code=outcome.status)
    response.headers["ETag"] = f'"{outcome.version}"'
    response.headers[POSITION_HEADER] = str(outcome.position)
    if outcome.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


ToCommand = Callable[[CommandHeaders, UUID, Any], Command]


def add_action(
    router: APIRouter, id_name: str, path: str, body_class: type[BaseModel], summary: str, to_command: ToCommand
) -> None:
    """Registers ``POST /{<id_name>}/<path>``: one command on one record, built by
    ``to_command(headers, record_id, body)``, with If-Match and Idempotency-Key."""

    def endpoint(**kwargs: Any) -> JSONResponse:
        headers: CommandHeaders = kwargs["headers"]
        body = kwargs["body"]
        command = to_command(headers, kwargs[id_name], body)
        return run_command(kwargs["services"], headers, kwargs["request"], body, command)

    # FastAPI reads the signature: give the path parameter its real name and the body its real class.
    kind = inspect.Parameter.KEYWORD_ONLY
    endpoint.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(id_name, kind, annotation=UUID),
            inspect.Parameter("body", kind, annotation=body_class),
            inspect.Parameter("headers", kind, annotation=Headers),
            inspect.Parameter("request", kind, annotation=Request),
            inspect.Parameter("services", kind, annotation=ServicesDep),
        ]
    )
    endpoint.__name__ = f"{id_name.removesuffix('_id')}_{path}".replace("-", "_").replace("/", "_")
    router.add_api_route(f"/{{{id_name}}}/{path}", endpoint, methods=["POST"], summary=summary, response_model=Receipt)

