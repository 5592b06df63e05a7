"""The personal signature a client attaches to a signed act (client mode: made on the signer's device)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class PersonalSignatureIn(BaseModel):
    """Ed25519 over the payload of ``GET /api/v1/signing-payload`` (RFC 8785 JSON; see domain/signatures.py).
    The server fills in the meaning of the act and ``mode="client"``, and verifies it before appending."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "key_id": "3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29",
                    "signed_at": "2023-06-12T08:30:00Z",
                    "value": "base64 of the 64-byte Ed25519 signature",
                    "algorithm": "ed25519",
                }
            ]
        },
    )
    key_id: str = Field(min_length=1, description="hex SHA-256 of the raw public key (the registry's key id)")
    signed_at: datetime = Field(description="the time in the signed payload: whole seconds, with its zone")
    value: str = Field(min_length=1, description="base64 of the 64-byte Ed25519 signature")
    algorithm: Literal["ed25519"] = "ed25519"


SIGNATURE = Field(
    default=None,
    description="personal signature (client mode); or send `X-Sign-With: server-held` to have the server sign "
    "with the user's server-held key (convenience mode). Required when HAZARD_REQUIRE_SIGNATURES=1.",
)
