"""Server-held personal signatures (convenience mode), shared by the HTTP API (``X-Sign-With: server-held``,
``api/signing.py``) and the pages (the 使用服务器托管密钥签名 box of a signed act's form, ``web/pages/acts.py``).

The server keeps a per-user Ed25519 private key (``services.server_held_keys``) and signs on the user's
behalf with ``mode="server_held"``. **The server can sign as that user**; every such signature says so, and
the key is enrolled as ``server_held`` so a verifier can tell. Whether the key is valid (enrolled, not
revoked, the signer's own) is the domain's to decide when the act runs.
"""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.server_held_keys import ServerHeldKeyStore
from domain.signatures import ServerHeldSigner

CONVENIENCE_NOTICE = "convenience mode: the server can sign as this user"
CONVENIENCE_NOTICE_ZH = "便捷模式：服务器保管该用户的私钥，可以代其签名"
NO_KEY_ZH = "该用户没有由服务器保管的签名密钥"
NO_KEY_EN = "This user has no server-held signing key"


def has_server_held_key(keys: ServerHeldKeyStore, user_id: str) -> bool:
    return keys.latest_for(user_id) is not None


def server_held_signer(keys: ServerHeldKeyStore, user_id: str) -> ServerHeldSigner | None:
    """The signer of the user's latest server-held key, signing now; None when the user has none."""
    found = keys.latest_for(user_id)
    if found is None:
        return None
    key_id, private_key = found
    return ServerHeldSigner(key_id, private_key, datetime.now(UTC).replace(microsecond=0))
