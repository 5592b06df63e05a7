"""The body of every error (RFC 9457 application/problem+json), as ``api/problems.py`` writes it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class FieldError(BaseModel):
    """One refused part of the request (a ``validation_failed`` problem lists them)."""

    model_config = ConfigDict(extra="allow")
    field: str = Field(description="where: body.deadline, query.limit, header.x-min-position, …")
    message: str
    type: str = Field(description="the kind of refusal, e.g. missing, string_too_long, int_parsing")


class Problem(BaseModel):
    """An error: a stable ``code``, its messages in Chinese and English, and what it is about."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "type": "/problems/invalid_value",
                    "title": "Invalid value for deadline: between 1949-10-01 and 2036-12-01",
                    "status": 422,
                    "code": "invalid_value",
                    "detail": "Invalid value for deadline: between 1949-10-01 and 2036-12-01",
                    "message_zh": "deadline 的值无效：应在 1949-10-01 至 2036-12-01 之间",
                    "message_en": "Invalid value for deadline: between 1949-10-01 and 2036-12-01",
                    "instance": "/api/v1/hazards/0b6e…/plan",
                    "details": {"field": "deadline", "limit": "2036-12-01"},
                }
            ]
        },
    )
    type: str = Field(description="/problems/<code>")
    title: str
    status: int = Field(ge=400, le=599)
    code: str = Field(description="stable, for programs: version_conflict, invalid_value, hazard_not_found, …")
    detail: str
    message_zh: str
    message_en: str
    instance: str = Field(description="the request path")
    details: dict[str, Any] | None = Field(default=None, description="the values behind the message (field, limit, id, …)")
    errors: list[FieldError] | None = Field(default=None, description="validation_failed: each refused part")
