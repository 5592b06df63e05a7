"""The signing-key registry (签名密钥登记) and the check every signed act runs before it appends.

``authorise_signature`` is what the hazard, inspection, enforcement, warning and report commands call
with the record as it stands: it refuses a bad signature with a stable code (``signature_invalid``,
``key_unknown``, ``key_revoked``, ``key_not_valid_yet``, ``key_expired``, ``key_not_signers``,
``signature_meaning_mismatch``, ``signature_stale_version``, ``signature_time_invalid``), and — when
the deployment's rules require signatures (``LedgerRules.require_signatures``, ``HAZARD_REQUIRE_SIGNATURES``) — a
missing one (``signature_required``). It runs the same rules as the offline check
(``domain.signatures.signature_check``), with the ledger's clock standing in for the recorded time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.access import check_role
from domain.actor import Actor
from domain.errors import DomainError
from domain.glossary import SignatureMeaning
from domain.hazard import Hazard
from domain.services.core import LedgerCore, Receipt
from domain.signatures import (
    ALGORITHM,
    MODE_SERVER_HELD,
    KeyState,
    PersonalSignature,
    ServerHeldSigner,
    SignatureArg,
    key_states,
    signature_problem,
    signing_payload,
    verify,
)
from domain.signing_key import SigningKey, signing_key_id_for
from domain.views import plain

# How many earlier versions are tried to tell a stale signature from a wrong one.
_STALE_PROBE = 64


def authorise_signature(
    ledger: LedgerCore,
    actor: Actor,
    *,
    record_id: UUID,
    version_seen: int,
    meaning: SignatureMeaning,
    attachments: list[str],
    signature: SignatureArg,
) -> PersonalSignature | None:
    """The signature to store with a signed act on ``record_id`` (now at ``version_seen``), or a refusal.
    A :class:`ServerHeldSigner` signs here, over exactly this record and version (``mode="server_held"``)."""
    if signature is None:
        if ledger.rules.require_signatures:
            raise DomainError("signature_required", meaning=meaning.value, meaning_zh=meaning.zh)
        return None
    if isinstance(signature, ServerHeldSigner):
        payload = signing_payload(
            record_id, version_seen, meaning, actor, signature.signed_at, signature.key_id, attachments
        )  # the signer's time was checked by whoever built it (whole seconds, with its zone)
        signature = PersonalSignature(
            key_id=signature.key_id,
            algorithm=ALGORITHM,
            signed_at=signature.signed_at,
            meaning=meaning.value,
            value=signature.sign(payload),
            mode=MODE_SERVER_HELD,
        )
    key = key_state(ledger, signature.key_id)
    now = ledger.clock.now()
    problem = signature_problem(
        signature,
        record_id=record_id,
        version_seen=version_seen,
        actor=actor,
        attachments=attachments,
        key=key,
        expected_meaning=meaning,
        recorded_at=now,
    )
    if problem is not None and problem.code == "signature_invalid" and key is not None:
        stale = _signed_version(signature, key, record_id, version_seen, actor, attachments)
        if stale is not None:
            raise DomainError("signature_stale_version", signed_version=stale, current_version=version_seen)
    if problem is not None:
        raise problem
    return signature


def _signed_version(
    signature: PersonalSignature, key: KeyState, record_id: UUID, version_seen: int, actor: Actor, attachments: list[str]
) -> int | None:
    """The earlier version of the record the signature does verify over, if any."""
    try:
        for version in range(version_seen - 1, max(-1, version_seen - 1 - _STALE_PROBE), -1):
            payload = signing_payload(
                record_id, version, signature.meaning, actor, signature.signed_at, signature.key_id, attachments
            )
            if verify(signature, payload, key.public_key):
                return version
    except ValueError:
        return None
    return None


def key_state(ledger: LedgerCore, key_id: str) -> KeyState | None:
    try:
        record = ledger.repository.get(signing_key_id_for(key_id))
    except AggregateNotFoundError:
        return None
    if not isinstance(record, SigningKey) or record.key_id != key_id:
        return None
    return record.state()


class SigningKeyApplication(LedgerCore):
    """Commands and queries of the key registry."""

    def enrol_key(
        self,
        actor: Actor,
        *,
        user_id: str,
        name: str,
        public_key: str,
        valid_from: datetime | None = None,
        valid_until: datetime | None = None,
        server_held: bool = False,
        occurred_at: datetime | None = None,
    ) -> Receipt:
        """Enrols a public key (base64 of the 32 raw bytes) for ``user_id``; the key id is its SHA-256.

        Client mode: the 区安委办 registers a user's public key (the user keeps the private key).
        Server-held mode (the server keeps the private key and signs with it): only the acting person
        themself, for themself (``server_held_key_for_another``, 403) — otherwise whoever enrols a key for
        someone else could sign in that person's name. There is no admin enrolment flow (no admin role).
        Residual limit: with header identity anyone can claim any user id; real log-in closes that."""
        when = self._when(occurred_at)
        if server_held:
            check_role(actor, "enrol_own_server_held_key")
            if user_id.strip() != actor.user_id:
                raise DomainError("server_held_key_for_another", actor=actor.user_id, user_id=user_id.strip())
        else:
            check_role(actor, "enrol_key")
        key = SigningKey.enrol(
            actor=actor,
            occurred_at=when,
            user_id=user_id,
            name=name,
            public_key=public_key,
            valid_from=valid_from,
            valid_until=valid_until,
            server_held=server_held,
        )
        return self._create(key, "key_exists", key_id=key.key_id)

    def revoke_key(
        self,
        actor: Actor,
        key_id: str,
        *,
        reason: str,
        revoked_at: datetime | None = None,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        """Revokes a key from ``revoked_at`` (default now; may be back-dated to the compromise). The 区安委办
        revokes any key; a user may revoke their own."""
        when = self._when(occurred_at)
        key = self._load(SigningKey, signing_key_id_for(key_id), expected_version)
        if actor.user_id != key.user_id:
            check_role(actor, "revoke_key")
        key.revoke(actor, when, revoked_at, reason)
        return self._store(key)

    def key(self, key_id: str) -> dict[str, Any]:
        k = self._load(SigningKey, signing_key_id_for(key_id))
        return {
            "id": str(k.id),
            "version": k.version,
            "key_id": k.key_id,
            "algorithm": ALGORITHM,
            "user_id": k.user_id,
            "name": k.name,
            "public_key": k.public_key,
            "valid_from": plain(k.valid_from),
            "valid_until": plain(k.valid_until),
            "server_held": k.server_held,
            "mode": MODE_SERVER_HELD if k.server_held else "client",
            "enrolled_at": plain(k.enrolled_at),
            "enrolled_by": plain(k.enrolled_by),
            "revoked": k.revoked_at is not None,
            "revoked_at": plain(k.revoked_at),
            "revocation_reason": k.revocation_reason,
            "revoked_by": plain(k.revoked_by),
        }

    def keys_of(self, user_id: str) -> list[dict[str, Any]]:
        """Every key enrolled for ``user_id``, oldest first."""
        return [self.key(state.key_id) for state in self.key_states().values() if state.user_id == user_id]

    def key_states(self) -> dict[str, KeyState]:
        """Every key's state, folded from the SigningKey events of the log (``signatures.key_states``)."""
        topics = [SigningKey.KeyEnrolled.TOPIC, SigningKey.KeyRevoked.TOPIC]  # type: ignore[attr-defined]
        events: list[Any] = []
        start = 1
        while True:
            page = self.recorder.select_notifications(start, 500, topics=topics)
            events.extend(self.mapper.to_domain_event(n) for n in page)
            if len(page) < 500:
                return key_states(events)
            start = page[-1].id + 1

    def signing_payload_for(
        self, actor: Actor, record_id: UUID, meaning: SignatureMeaning | str, signed_at: datetime, key_id: str
    ) -> dict[str, Any]:
        """What a client signs to act on ``record_id`` now: the record's current version and, for a hazard,
        its evidence digests. (A report submission's id and figures are only known when it is submitted:
        sign it with the server-held key, or recompute the payload as ``domain/signatures.py`` says.)"""
        meaning = SignatureMeaning(meaning)
        try:
            record = self.repository.get(record_id)
        except AggregateNotFoundError:
            raise DomainError("record_not_found", id=str(record_id)) from None
        attachments = record.attachments() if isinstance(record, Hazard) else []
        try:
            payload = signing_payload(record_id, record.version, meaning, actor, signed_at, key_id, attachments)
        except ValueError:
            raise DomainError(
                "signature_time_invalid",
                signed_at=str(signed_at),
                reason="a time with its zone, in whole seconds",
                reason_zh="应为带时区、精确到秒的时间",
            ) from None
        return {"record_id": str(record_id), "version_seen": record.version, "meaning": meaning.value, "payload": payload}
