"""The API's contract: every status an operation can answer, and the problem+json body of every error, in
OpenAPI — derived here, once, from what each route is made of (``api/problems.py`` maps the errors).

Every operation can answer 401 (a credential sent is checked on every route, ``api/identity.py``), 413 (a
body over the limit: the limit is on every request, whatever its method), 500 (a bug) and 503 (database
unavailable, with Retry-After). Besides:

    request parameters or a body   422 validation_failed (and the domain's invalid_value, field and limit)
    reads who asks (identity)      403 (the role or organisation may not)
    a command (api/commands.py)    401, 403 (role, scope), 404 (a record it names), 409 (a rule, the record's
                                   state, a stale If-Match), 422 (If-Match, Idempotency-Key, X-Sign-With)
    a path parameter naming one    404 (the record, unit, annex or key it names; not a number, e.g. a leaf)

and what a route raises itself (``EXTRA``). A method a path does not serve answers 405 with Allow: it is
no operation's answer, so it is declared once, as the reusable response ``MethodNotAllowed``.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from api.problems import PROBLEM_MEDIA_TYPE, RETRY_AFTER_SECONDS
from api.schemas.problems import Problem

REF = "#/components/schemas/{model}"

DESCRIPTIONS = {
    400: "The request is outside what the resource has (e.g. a Merkle position beyond the log)",
    401: "No identity where one is needed, or a credential (token, API key, X-User-* headers) that is refused",
    403: "The acting user's role or organisation may not do this",
    404: "A record, unit, report or key named by the request does not exist",
    409: "A rule or the record's state refuses the command, or If-Match names a version no longer current",
    413: "The request body is over the limit (HAZARD_MAX_BODY_BYTES)",
    422: "A value is missing, malformed or out of bounds: the field, the limit, and messages in Chinese and English",
    500: "Unexpected error (internal_error): a bug, logged",
    503: "The database is unavailable (database_unavailable): retry after Retry-After seconds",
}

# What a route raises itself, beyond what it is made of (by method and path as OpenAPI names them).
EXTRA: dict[tuple[str, str], set[int]] = {
    ("get", "/api/v1/audit/proofs/{position}"): {400},  # audit_out_of_range
    ("get", "/api/v1/audit/consistency"): {400},  # audit_out_of_range
    ("get", "/api/v1/audit/checkpoints/latest"): {404},  # no_checkpoint
    ("get", "/api/v1/signing-payload"): {404},  # record_not_found
    ("post", "/api/v1/imports"): {409},  # a record the import would add was added meanwhile; no_server_held_key
}


def _parameters(operation: dict[str, Any], where: str) -> set[str]:
    return {p["name"].lower() for p in operation.get("parameters", []) if p["in"] == where}


def statuses(method: str, path: str, operation: dict[str, Any]) -> set[int]:
    """The error statuses an operation can answer, from what it is made of: its parameters (the command
    headers of ``api/commands.py``, path parameters) and body."""
    headers = _parameters(operation, "header")
    # 401: a credential sent is checked on every route; 413: the body limit (api/body_limit.py) is on every request
    found = {401, 413, 500, 503} | EXTRA.get((method, path), set())
    if operation.get("parameters") or "requestBody" in operation:
        found.add(422)
    if "x-user-id" in headers:  # reads who asks (api/identity.py): a role or scope may be refused
        found.add(403)
    if "idempotency-key" in headers:  # a command (api/commands.py command_headers)
        found |= {403, 404, 409, 422}
    if any(p["in"] == "path" and p.get("schema", {}).get("type") != "integer" for p in operation.get("parameters", [])):
        found.add(404)  # a path naming a record, unit, annex or key; a number (a Merkle leaf) is a value: 400
    return found


def _problem_response(status: int) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": DESCRIPTIONS.get(status, "Error"),
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": REF.format(model="Problem")}}},
    }
    if status == 503:
        response["headers"] = {
            "Retry-After": {"description": f"seconds to wait ({RETRY_AFTER_SECONDS})", "schema": {"type": "integer"}}
        }
    return response


def _with_problems(doc: dict[str, Any]) -> dict[str, Any]:
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):  # FastAPI's 422 body: never sent (it is problem+json)
        schemas.pop(name, None)
    problem = Problem.model_json_schema(ref_template=REF)
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem
    doc["components"]["responses"] = {
        "MethodNotAllowed": {
            **_problem_response(405),
            "description": "The path does not serve this method (method_not_allowed); Allow names those it serves",
            "headers": {"Allow": {"description": "the methods the path serves", "schema": {"type": "string"}}},
        }
    }
    for path, operations in doc.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status in statuses(method, path, operation):
                responses[str(status)] = _problem_response(status)
            operation["responses"] = dict(sorted(responses.items()))
    return doc


def install(app: FastAPI) -> None:
    """``app.openapi()`` answers the contract: FastAPI's document with every error declared."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _with_problems(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
