"""Every error leaves the API as application/problem+json with a stable code (RFC 9457), mapped here once."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from adapters.faults import DATABASE_UNAVAILABLE
from app.auth import IdentityProviderUnavailable
from domain.actor import Actor
from domain.errors import DomainError, ErrorKind
from projections.engine import ProjectionStalled

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
PROBLEM_MEDIA_TYPE = "application/problem+json"


class ApiProblem(Exception):
    """A transport-level problem (bad header, unknown route, key in use): not a domain rule."""

    def __init__(self, status: int, code: str, zh: str, en: str, **details: Any) -> None:
        super().__init__(en)
        self.status, self.code, self.zh, self.en, self.details = status, code, zh, en, details


def problem(
    status: int, code: str, zh: str, en: str, instance: str, headers: Mapping[str, str] | None = None, **extra: Any
) -> JSONResponse:
    body = {
        "type": f"/problems/{code}",
        "title": en,
        "status": status,
        "code": code,
        "detail": en,
        "message_zh": zh,
        "message_en": en,
        "instance": instance,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=dict(headers or {}))


def _allowed_methods(request: Request) -> list[str]:
    """Every method the API's contract serves at this path (Starlette names only its first route's)."""
    methods: set[str] = set()
    for template, operations in request.app.openapi()["paths"].items():
        if compile_path(template)[0].match(request.url.path):
            methods.update(method.upper() for method in operations)
    return sorted(methods)


TOKEN_CODES = frozenset({"token_expired", "token_not_yet_valid", "token_invalid", "account_disabled"})


def _challenge(exc: DomainError) -> dict[str, str]:
    """A 401 says how to authenticate (RFC 9110 §11.6.1; RFC 6750 §3 for a refused bearer token)."""
    if exc.kind is not ErrorKind.UNAUTHENTICATED:
        return {}
    bearer = 'Bearer realm="hazard-ledger"'
    if exc.code in TOKEN_CODES:
        bearer += f', error="invalid_token", error_description="{exc.code}"'
    return {"WWW-Authenticate": f'{bearer}, ApiKey realm="hazard-ledger"'}


def retry_later(request: Request, code: str, zh: str, en: str, **extra: Any) -> JSONResponse:
    """503 with Retry-After: something the request needs is unavailable for now (the database, the identity
    provider, a stalled read model); the same request may succeed later."""
    return problem(503, code, zh, en, request.url.path, {"Retry-After": str(RETRY_AFTER_SECONDS)}, **extra)


def _record_refusal(request: Request, exc: DomainError) -> None:
    """A 403 is a security event (who, what, from where, when; app/auth.py): auditors read them. Its record
    failing must not change the answer."""
    actor = getattr(request.state, "resolved_actor", None)
    try:
        request.app.state.services.auth.record(
            "refused",
            actor=actor.user_id if isinstance(actor, Actor) else None,
            client_ip=request.client.host if request.client else None,
            code=exc.code,
            method=request.method,
            path=request.url.path[:255],
        )
    except Exception:  # noqa: BLE001 — e.g. the database went away: the refusal is still answered
        log.exception("could not record the refusal on %s", request.url.path)


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    def _domain(request: Request, exc: DomainError) -> JSONResponse:
        if exc.kind is ErrorKind.FORBIDDEN:
            _record_refusal(request, exc)
        return problem(
            exc.kind.status,
            exc.code,
            exc.message_zh,
            exc.message_en,
            request.url.path,
            _challenge(exc),
            details={k: v for k, v in exc.details.items() if isinstance(v, str | int | float | bool | list)},
        )

    @app.exception_handler(ApiProblem)
    def _api(request: Request, exc: ApiProblem) -> JSONResponse:
        return problem(exc.status, exc.code, exc.zh, exc.en, request.url.path, details=exc.details)

    @app.exception_handler(RequestValidationError)
    def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"], "type": e["type"]} for e in exc.errors()]
        fields = ", ".join(e["field"] for e in errors)
        return problem(
            422,
            "validation_failed",
            f"请求数据无效：{fields}",
            f"Invalid request: {fields}",
            request.url.path,
            errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            return problem(404, "not_found", "资源不存在", "Not found", request.url.path)
        if exc.status_code == 405:
            allow = {"Allow": ", ".join(_allowed_methods(request))}
            return problem(405, "method_not_allowed", "不支持该请求方法", "Method not allowed", request.url.path, allow)
        if exc.status_code == 400:
            # FastAPI could not read the body at all (not UTF-8, …): refused like malformed JSON, as a value.
            errors = [{"field": "body", "message": str(exc.detail), "type": "body_unreadable"}]
            return problem(
                422, "validation_failed", "请求数据无效：body（无法解析请求体）", "Invalid request: body (it cannot be parsed)",
                request.url.path, errors=errors,
            )  # fmt: skip
        return problem(exc.status_code, "http_error", str(exc.detail), str(exc.detail), request.url.path)

    def _unavailable(request: Request, exc: Exception) -> JSONResponse:
        # The database is down or restarting: a clean, retryable answer, never a 500 (the pools reconnect).
        log.warning("database unavailable on %s: %s", request.url.path, exc)
        return retry_later(request, "database_unavailable", "数据库暂时不可用，请稍后重试",
                           "The database is temporarily unavailable; retry shortly")  # fmt: skip

    @app.exception_handler(ProjectionStalled)
    def _stalled(request: Request, exc: ProjectionStalled) -> JSONResponse:
        # A command that freezes figures (a report submission) must not freeze figures behind the log.
        return retry_later(
            request,
            "read_model_stalled",
            "读模型停在无法应用的事件上，已报告运维人员，请稍后重试",
            "A read model is stopped at an event it cannot apply; operators are alerted. Retry later",
            details={name: {"event": s.position, "version": s.version} for name, s in exc.stalls.items()},
        )

    @app.exception_handler(IdentityProviderUnavailable)
    def _provider_down(request: Request, exc: IdentityProviderUnavailable) -> JSONResponse:
        log.warning("identity provider unavailable on %s: %s", request.url.path, exc)
        return retry_later(request, "identity_provider_unavailable", "身份提供方暂时无法访问，请稍后重试",
                           "The identity provider is temporarily unreachable; retry shortly")  # fmt: skip

    for unavailable in DATABASE_UNAVAILABLE:
        app.add_exception_handler(unavailable, _unavailable)

    @app.exception_handler(Exception)
    def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return problem(500, "internal_error", "服务器内部错误", "Internal server error", request.url.path)
