"""Commands of the signing-key registry (签名密钥登记): what a person asks, as typed values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.commands.base import Command, RecordCommand


@dataclass(frozen=True, kw_only=True)
class EnrolKey(Command):
    """``SigningKeyApplication.enrol_key``."""

    user_id: str
    name: str
    public_key: str
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    server_held: bool = False


@dataclass(frozen=True, kw_only=True)
class RevokeKey(RecordCommand):
    """``SigningKeyApplication.revoke_key``."""

    key_id: str
    reason: str
    revoked_at: datetime | None = None
