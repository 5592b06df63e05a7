"""Personal signatures at the HTTP edge: client-made signatures from the request body, and the
server-held convenience mode.

Client mode (the default, and the one that proves a person signed): the request body carries
``signature`` {key_id, signed_at, value, algorithm}; the server adds the act's meaning and
``mode="client"`` and the domain verifies it against the key registry before appending.

Server-held mode (``X-Sign-With: server-held``): an explicitly labelled convenience — the server keeps a
per-user Ed25519 private key (table ``server_held_keys``, raw bytes: encryption at rest is not done here)
and signs on the user's behalf with ``mode="server_held"`` (``app/signing.py``, shared with the pages).
**The server can sign as that user**; every such signature says so, and the key is enrolled as
``server_held`` so a verifier can tell.
"""

from __future__ import annotations

from api.problems import ApiProblem
from api.schemas.signatures import PersonalSignatureIn
from app.signing import NO_KEY_EN, NO_KEY_ZH, server_held_signer
from app.wiring import Services
from domain.glossary import SignatureMeaning
from domain.signatures import ALGORITHM, MODE_CLIENT, PersonalSignature, ServerHeldSigner

SERVER_HELD = "server-held"


def server_signer(services: Services, user_id: str, sign_with: str | None) -> ServerHeldSigner | None:
    """The signer for ``X-Sign-With: server-held`` (``app.signing.server_held_signer``), or None without the header."""
    if sign_with is None or not sign_with.strip():
        return None
    if sign_with.strip().lower() != SERVER_HELD:
        raise ApiProblem(
            422, "invalid_sign_with", "X-Sign-With 只能为 server-held", "X-Sign-With must be server-held", value=sign_with
        )
    signer = server_held_signer(services.server_held_keys, user_id)
    if signer is None:
        raise ApiProblem(409, "no_server_held_key", NO_KEY_ZH, NO_KEY_EN, user_id=user_id)
    return signer


def signature_arg(
    signer: ServerHeldSigner | None, given: PersonalSignatureIn | None, meaning: SignatureMeaning
) -> PersonalSignature | ServerHeldSigner | None:
    """What a signed act's command gets: the server-held signer (``X-Sign-With``), the client's signature
    from the body, or None."""
    if signer is not None and given is not None:
        raise ApiProblem(
            422,
            "two_signatures",
            "请求同时带有客户端签名和 X-Sign-With: server-held，只能二选一",
            "The request carries both a client signature and X-Sign-With: server-held; choose one",
        )
    if signer is not None:
        return signer
    if given is None:
        return None
    return PersonalSignature(
        key_id=given.key_id.strip().lower(),
        algorithm=given.algorithm or ALGORITHM,
        signed_at=given.signed_at,
        meaning=meaning.value,
        value=given.value.strip(),
        mode=MODE_CLIENT,
    )
