"""The signing-key registry (签名密钥登记) and what a client signs (personal signatures, DESIGN §7).

POST /keys                         the 区安委办 enrols a user's public key (client mode)
POST /keys/server-held             a person has the server make and hold a key for themself (convenience mode)
POST /keys/{key_id}/revocation     revoke (the 区安委办, or the key's owner); may be back-dated
GET  /keys/{key_id}                one key with its validity and revocation
GET  /keys?user_id=…               a user's keys
GET  /signing-payload?…            the exact bytes a client signs for a record, meaning and time
"""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from api.commands import Headers, execute, outcome_response, run_command
from api.deps import ServicesDep
from api.identity import CurrentActor
from api.schemas.records import OCCURRED_AT
from app.signing import CONVENIENCE_NOTICE, CONVENIENCE_NOTICE_ZH
from domain.commands.signing_keys import EnrolKey, RevokeKey
from domain.glossary import SignatureMeaning
from domain.read_scope import ScopedReads
from domain.signatures import key_id_for, new_private_key, public_key_bytes

router = APIRouter(tags=["signatures"])


class KeyIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "user_id": "yjj-zhang",
                    "name": "张伟",
                    "public_key": "base64 of the 32 raw bytes of the Ed25519 public key",
                    "valid_from": "2023-06-01T00:00:00+08:00",
                    "valid_until": "2025-06-01T00:00:00+08:00",
                }
            ]
        },
    )
    user_id: str = Field(min_length=1)
    name: str = Field(min_length=1, description="the printed name of the key's owner")
    public_key: str = Field(description="base64 of the 32 raw bytes of an Ed25519 public key")
    valid_from: datetime | None = Field(default=None, description="default: the enrolment")
    valid_until: datetime | None = Field(default=None, description="exclusive; default: no end")
    occurred_at: datetime | None = OCCURRED_AT


class ServerHeldKeyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    user_id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    occurred_at: datetime | None = OCCURRED_AT


class RevocationIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"revoked_at": "2023-07-01T09:00:00+08:00", "reason": "手机丢失"}]}
    )
    revoked_at: datetime | None = Field(default=None, description="from when the key is invalid (may be back-dated); default now")
    reason: str = Field(min_length=1)
    occurred_at: datetime | None = OCCURRED_AT


@router.post("/keys", status_code=201)
def enrol_key(body: KeyIn, headers: Headers, request: Request, services: ServicesDep) -> JSONResponse:
    """Enrol a user's Ed25519 public key (区安委办). The key id is the hex SHA-256 of the raw public key."""
    outcome = execute(services, headers, request, body, EnrolKey(**body.model_dump()), status=201)
    response = outcome_response(outcome, key_id=services.ledger.repository.get(outcome.id).key_id, mode="client")
    response.headers["Location"] = f"/api/v1/keys/{services.ledger.repository.get(outcome.id).key_id}"
    return response


@router.post("/keys/server-held", status_code=201)
def enrol_server_held_key(body: ServerHeldKeyIn, headers: Headers, request: Request, services: ServicesDep) -> JSONResponse:
    """Convenience mode, for oneself only (`user_id` must be the acting user: `server_held_key_for_another`
    otherwise): the server makes an Ed25519 key for the user, keeps the private key and enrols the public
    key as server-held. **The server can then sign as this user** (`X-Sign-With: server-held`);
    every such signature is labelled `mode="server_held"`."""
    private_key = new_private_key()
    public_key = public_key_bytes(private_key)
    key_id = key_id_for(public_key)

    command = EnrolKey(public_key=base64.b64encode(public_key).decode("ascii"), server_held=True, **body.model_dump())
    outcome = execute(services, headers, request, body, command, status=201)
    if not outcome.replayed:  # a replay enrolled nothing new: the key made above is dropped
        services.server_held_keys.put(key_id, body.user_id.strip(), private_key)
    stored_key_id = services.ledger.repository.get(outcome.id).key_id
    response = outcome_response(
        outcome, key_id=stored_key_id, mode="server_held", notice=CONVENIENCE_NOTICE, notice_zh=CONVENIENCE_NOTICE_ZH
    )
    response.headers["Location"] = f"/api/v1/keys/{stored_key_id}"
    return response


@router.post("/keys/{key_id}/revocation")
def revoke_key(key_id: str, body: RevocationIn, headers: Headers, request: Request, services: ServicesDep) -> JSONResponse:
    """Revoke a key from `revoked_at` (default now; may be back-dated to the compromise, never in the future).
    Signatures dated at or after it are invalid."""
    command = RevokeKey(
        key_id=key_id.strip().lower(), reason=body.reason, revoked_at=body.revoked_at, occurred_at=body.occurred_at
    )
    return run_command(services, headers, request, body, command)


@router.get("/keys/{key_id}")
def get_key(key_id: str, services: ServicesDep, reader: CurrentActor) -> dict[str, Any]:
    """One key: owner, public key, validity, custody (client or server-held), revocation. Any identified
    reader: public keys are there to check signatures."""
    return services.ledger.keys.key(key_id.strip().lower())


@router.get("/keys")
def list_keys(services: ServicesDep, reader: CurrentActor, user_id: Annotated[str, Query(min_length=1)]) -> dict[str, Any]:
    """The keys enrolled for one user, oldest first."""
    return {"user_id": user_id, "items": services.ledger.keys.keys_of(user_id)}


@router.get("/signing-payload")
def signing_payload(
    actor: CurrentActor,
    services: ServicesDep,
    record_id: UUID,
    meaning: SignatureMeaning,
    signed_at: Annotated[datetime, Query(description="the time to sign: whole seconds, with its zone (2023-06-12T08:30:00Z)")],
    key_id: Annotated[str, Query(min_length=1)],
) -> dict[str, Any]:
    """The exact bytes the acting user (X-User-* headers) signs to act on `record_id` now with `meaning` at
    `signed_at`: RFC 8785 canonical JSON of record id, the version seen (the record's current version),
    meaning, signer, time, key id and attachment digests (domain/signatures.py). Sign `payload` (UTF-8)
    — equivalently the bytes of `payload_base64` — with Ed25519 and send the signature with the command."""
    ScopedReads(services.ledger, actor).check_record(record_id)  # a record outside the reader's scope: 404
    found = services.ledger.keys.signing_payload_for(actor, record_id, meaning, signed_at, key_id.strip().lower())
    payload: bytes = found.pop("payload")
    return {
        **found,
        "key_id": key_id.strip().lower(),
        "algorithm": "ed25519",
        "payload": payload.decode("utf-8"),
        "payload_base64": base64.b64encode(payload).decode("ascii"),
        "fields": json.loads(payload),
    }
