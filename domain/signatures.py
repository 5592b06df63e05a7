"""Personal signatures (个人电子签名) on signed acts, and the pure check an offline verifier runs.

Every signed act — an inspector's signature on an inspection or a finding, a verification, a closure
(销号), a penalty decision, a report submission, a warning confirmation — may carry a
:class:`PersonalSignature`: Ed25519 over the RFC 8785 canonical JSON of what was signed
(:func:`signing_payload`). Keys live in a registry (``domain/signing_key.py``) with validity and
revocation dates; :func:`signature_check` decides, from a stored event and the key states alone
(no I/O), whether its signature holds.

The signed payload (``signing_payload``), exactly — RFC 8785 (JCS) canonical JSON, UTF-8, of::

    {
      "record_id":       "<originator id of the record, canonical lowercase UUID text>",
      "version_seen":    <int: the record's version the signer saw, i.e. before this act (0: a new record)>,
      "meaning":         "<SignatureMeaning value: inspector | verifier | closer | decider | submitter | confirmer>",
      "user_id":         "<Actor.user_id>",
      "name":            "<Actor.name, the printed name>",
      "role":            "<Actor.role value, e.g. inspector>",
      "organisation_id": "<Actor.organisation_id>",
      "time":            "<signed_at in UTC, whole seconds: YYYY-MM-DDTHH:MM:SSZ>",
      "key_id":          "<key id: lowercase hex SHA-256 of the 32 raw public-key bytes, all 64 characters>",
      "attachments":     [<lowercase hex SHA-256 of each attachment, sorted ascending, duplicates kept>]
    }

The time format is the one format: ``2023-06-12T08:30:00Z``. A ``signed_at`` with a fraction of a second
or without a zone cannot be signed (:func:`format_time` raises; the services refuse it with
``signature_time_invalid``).

Attachments, per signed event (what :func:`event_attachments` reads from the event itself):

* ``VerificationPassed``, ``VerificationFailed``, ``HazardClosed``: the event's ``attachments`` field —
  the SHA-256 of every evidence file (佐证材料) attached to the hazard when the act was signed;
* ``ReportSubmitted``: ``[sha256]`` — the digest of the frozen figures the event stores;
* every other signed act (inspection signature, finding, penalty decisions, warning confirmation): ``[]``.

The check (:func:`signature_check`), in this order; the first failure is the reason:

1. the event carries a signature (else ``unsigned``);
2. algorithm ``ed25519`` and mode ``client`` or ``server_held`` (else ``signature_invalid``);
3. the meaning is the act's (:data:`ACT_MEANINGS`; else ``signature_meaning_mismatch``);
4. the key is known (``key_unknown``) and belongs to the signing user (``key_not_signers``);
5. the mode matches the key's custody: ``server_held`` exactly for keys enrolled as server-held
   (``signature_invalid``);
6. ``signed_at`` is a whole-second time with a zone (``signature_time_invalid``), not before the key's
   ``valid_from`` (``key_not_valid_yet``), before ``valid_until`` if any (``key_expired``), before
   ``revoked_at`` if any (``key_revoked``: a signature dated at or after its key's revocation is invalid,
   and a revocation may be back-dated to when the key was compromised);
7. ``signed_at`` is not after the event's recorded time (``timestamp``) plus :data:`CLOCK_SKEW`
   (5 minutes: a signer's device clock may run ahead) — the recorded time, not ``occurred_at``, because
   business time may legitimately be back-dated (field work entered days later) (``signature_time_invalid``);
8. the Ed25519 signature verifies over the recomputed payload (``signature_invalid``).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from domain.errors import DomainError
from domain.glossary import SignatureMeaning

ALGORITHM = "ed25519"
MODE_CLIENT = "client"  # made on the signer's device; the private key never reaches the server
MODE_SERVER_HELD = "server_held"  # convenience mode: the server holds the user's key and signs for them
MODES = (MODE_CLIENT, MODE_SERVER_HELD)
# How far a signature's time may lie after the event's recorded time (a device clock running ahead).
CLOCK_SKEW = timedelta(minutes=5)
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

# The meaning each signed act's signature must carry, by event class name.
ACT_MEANINGS: dict[str, SignatureMeaning] = {
    "InspectionSigned": SignatureMeaning.INSPECTOR,
    "FindingRecorded": SignatureMeaning.INSPECTOR,
    "VerificationPassed": SignatureMeaning.VERIFIER,
    "VerificationFailed": SignatureMeaning.VERIFIER,
    "HazardClosed": SignatureMeaning.CLOSER,
    "PenaltyDecided": SignatureMeaning.DECIDER,
    "DualPenaltyImposed": SignatureMeaning.DECIDER,
    "ReportSubmitted": SignatureMeaning.SUBMITTER,
    "WarningConfirmed": SignatureMeaning.CONFIRMER,
}


@dataclass(frozen=True)
class PersonalSignature:
    """A personal signature as a signed event stores it."""

    key_id: str
    algorithm: str  # "ed25519"
    signed_at: datetime
    meaning: str  # a SignatureMeaning value
    value: str  # base64 of the 64-byte Ed25519 signature
    mode: str  # "client" | "server_held"

    def __post_init__(self) -> None:
        # Vocabulary enums come back from JSON as plain strings; keep plain strings either way.
        object.__setattr__(self, "meaning", str(getattr(self.meaning, "value", self.meaning)))


@dataclass(frozen=True)
class KeyState:
    """One registry key as a verifier needs it (folded from KeyEnrolled / KeyRevoked)."""

    key_id: str
    user_id: str
    name: str
    public_key: bytes  # the 32 raw bytes
    valid_from: datetime
    valid_until: datetime | None = None
    revoked_at: datetime | None = None
    revocation_reason: str = ""
    server_held: bool = False
    enrolled_by: str | None = None  # the user id who enrolled it (None: not known)


@dataclass(frozen=True)
class SignatureCheck:
    ok: bool
    reason_code: str  # "ok", "unsigned", or an error code of domain/errors.py
    reason_en: str
    reason_zh: str


OK = SignatureCheck(True, "ok", "The personal signature is valid", "个人签名有效")
UNSIGNED = SignatureCheck(False, "unsigned", "The event carries no personal signature", "该事件没有个人签名")


@dataclass(frozen=True)
class ServerHeldSigner:
    """Convenience mode: a server-held private key signing on the user's behalf (``mode="server_held"``).

    Passed to a command instead of a :class:`PersonalSignature`; the service computes the exact payload
    of the record as it stands and signs it. Everything it signs is labelled ``server_held``."""

    key_id: str
    private_key: bytes  # 32-byte raw Ed25519 private key
    signed_at: datetime

    def sign(self, payload: bytes) -> str:
        return sign(self.private_key, payload)


# ===== keys and bytes ==============================================================================


def key_id_for(public_key: bytes) -> str:
    """The key id: lowercase hex SHA-256 of the 32 raw public-key bytes (all 64 characters)."""
    import hashlib

    return hashlib.sha256(public_key).hexdigest()


def public_key_bytes(private_key: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(private_key).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def new_private_key() -> bytes:
    """32 fresh random bytes of an Ed25519 private key (tests, server-held keys)."""
    from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

    return Ed25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def sign(private_key: bytes, payload: bytes) -> str:
    """base64 of the Ed25519 signature of ``payload`` (what a client device does)."""
    return base64.b64encode(Ed25519PrivateKey.from_private_bytes(private_key).sign(payload)).decode("ascii")


def format_time(moment: datetime) -> str:
    """The one time format of a signed payload: UTC, whole seconds, ``Z``. Refuses anything else."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("signed_at needs a zone")
    if moment.microsecond:
        raise ValueError("signed_at must be whole seconds")
    try:
        return moment.astimezone(UTC).strftime(TIME_FORMAT)
    except OverflowError:  # 0001-01-01T00:00:00+05:00, 9999-12-31T23:59:59-05:00: no UTC time
        raise ValueError("signed_at is outside the calendar in UTC") from None


def _field(actor: Any, name: str) -> str:
    value = actor[name] if isinstance(actor, Mapping) else getattr(actor, name)
    return str(getattr(value, "value", value))


def signing_payload(
    record_id: UUID | str,
    version_seen: int,
    meaning: SignatureMeaning | str,
    actor: Any,
    signed_at: datetime,
    key_id: str,
    attachments: Iterable[str],
) -> bytes:
    """The exact bytes a signer signs (see the module docstring). ``actor``: an Actor, or a mapping with
    user_id, name, role and organisation_id."""
    return rfc8785.dumps(
        {
            "record_id": str(UUID(str(record_id))),
            "version_seen": int(version_seen),
            "meaning": str(getattr(meaning, "value", meaning)),
            "user_id": _field(actor, "user_id"),
            "name": _field(actor, "name"),
            "role": _field(actor, "role"),
            "organisation_id": _field(actor, "organisation_id"),
            "time": format_time(signed_at),
            "key_id": key_id,
            "attachments": sorted(a.lower() for a in attachments),
        }
    )


def _signature_bytes(signature: PersonalSignature | str | bytes) -> bytes | None:
    if isinstance(signature, bytes):
        raw = signature
    else:
        text = signature.value if isinstance(signature, PersonalSignature) else signature
        try:
            raw = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError, TypeError):
            return None
    return raw if len(raw) == 64 else None


def verify(signature: PersonalSignature | str | bytes, payload: bytes, public_key_bytes: bytes) -> bool:
    """Whether ``signature`` (a PersonalSignature, its base64 value or the 64 raw bytes) is an Ed25519
    signature of ``payload`` by the 32-byte public key. Never raises on bad input: False."""
    if isinstance(signature, PersonalSignature) and signature.algorithm != ALGORITHM:
        return False
    raw = _signature_bytes(signature)
    if raw is None:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(bytes(public_key_bytes)).verify(raw, bytes(payload))
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


# ===== the check ===================================================================================


def event_attachments(event: Any) -> list[str]:
    """The attachment digests a signed event names (see the module docstring)."""
    if type(event).__name__ == "ReportSubmitted":
        return [event.sha256]
    return list(getattr(event, "attachments", None) or [])


def is_signed_act(event: Any) -> bool:
    """Whether the event's class is a signed act (it may still carry ``signature=None``)."""
    return type(event).__name__ in ACT_MEANINGS


def signature_problem(
    signature: PersonalSignature,
    *,
    record_id: UUID | str,
    version_seen: int,
    actor: Any,
    attachments: Iterable[str],
    key: KeyState | None,
    expected_meaning: SignatureMeaning | str | None,
    recorded_at: datetime | None,
) -> DomainError | None:
    """Why ``signature`` does not hold for this act, as a DomainError with a stable code; None if it does.
    ``recorded_at``: the event's recorded time (the service passes its clock's now)."""
    sig = signature
    if sig.algorithm != ALGORITHM:
        return _invalid(f"unsupported algorithm {sig.algorithm!r}", f"不支持的算法 {sig.algorithm}")
    if sig.mode not in MODES:
        return _invalid(f"unknown mode {sig.mode!r}", f"未知的签名方式 {sig.mode}")
    if expected_meaning is not None:
        expected = SignatureMeaning(expected_meaning)
        if sig.meaning != expected.value:
            return DomainError("signature_meaning_mismatch", expected=expected.value, expected_zh=expected.zh, given=sig.meaning)
    if key is None:
        return DomainError("key_unknown", key_id=sig.key_id)
    user_id = _field(actor, "user_id")
    if key.user_id != user_id:
        return DomainError("key_not_signers", key_id=sig.key_id, user_id=user_id)
    if key.server_held and key.enrolled_by is not None and key.enrolled_by != key.user_id:
        # the server signs with a key someone else had made for this user: not the person's signature
        return _invalid(
            "the server-held key was enrolled by someone other than its owner",
            "服务器保管的签名密钥不是由本人创建的",
        )
    if (sig.mode == MODE_SERVER_HELD) != key.server_held:
        return _invalid(
            "the signature's mode does not match the key's custody (server-held or not)",
            "签名方式与密钥的保管方式（是否由服务器保管）不符",
        )
    signed_at = sig.signed_at
    try:
        shown = format_time(signed_at)
    except (ValueError, AttributeError, TypeError):
        return DomainError(
            "signature_time_invalid",
            signed_at=str(signed_at),
            reason="a time with its zone, in whole seconds",
            reason_zh="应为带时区、精确到秒的时间",
        )
    if signed_at < key.valid_from:
        return DomainError("key_not_valid_yet", key_id=key.key_id, valid_from=_show(key.valid_from), signed_at=shown)
    if key.valid_until is not None and signed_at >= key.valid_until:
        return DomainError("key_expired", key_id=key.key_id, valid_until=_show(key.valid_until), signed_at=shown)
    if key.revoked_at is not None and signed_at >= key.revoked_at:
        return DomainError("key_revoked", key_id=key.key_id, revoked_at=_show(key.revoked_at), signed_at=shown)
    if recorded_at is not None and signed_at > recorded_at + CLOCK_SKEW:
        return DomainError(
            "signature_time_invalid",
            signed_at=shown,
            reason=f"after the record was stored ({_show(recorded_at)})",
            reason_zh=f"晚于记录保存时间（{_show(recorded_at)}）",
        )
    payload = signing_payload(record_id, version_seen, sig.meaning, actor, signed_at, sig.key_id, attachments)
    if not verify(sig, payload, key.public_key):
        return _invalid("it does not verify over the record, version and signer", "与记录、版本或签名人不符，验证失败")
    return None


def signature_check(event: Any, keys: Mapping[str, KeyState]) -> SignatureCheck:
    """THE check of a stored signed event: recomputes the payload from the event's own fields (record id =
    originator_id, version_seen = originator_version - 1, the actor, the signature's fields, the
    attachments of :func:`event_attachments`) and checks it against the key state ``keys[key_id]``.
    Pure and fast: no I/O."""
    sig = getattr(event, "signature", None)
    if sig is None:
        return UNSIGNED
    problem = signature_problem(
        sig,
        record_id=event.originator_id,
        version_seen=event.originator_version - 1,
        actor=event.actor,
        attachments=event_attachments(event),
        key=keys.get(sig.key_id),
        expected_meaning=ACT_MEANINGS.get(type(event).__name__),
        recorded_at=getattr(event, "timestamp", None),
    )
    if problem is None:
        return OK
    return SignatureCheck(False, problem.code, problem.message_en, problem.message_zh)


# ===== the registry, folded ========================================================================


def key_states(events: Iterable[Any]) -> dict[str, KeyState]:
    """Folds decoded SigningKey events (``KeyEnrolled``, ``KeyRevoked``; any other event is skipped), in
    log order, into the key states by key id: what :func:`signature_check` needs. Pure."""
    by_record: dict[Any, str] = {}
    states: dict[str, KeyState] = {}
    for e in events:
        name = type(e).__name__
        if name == "KeyEnrolled" and hasattr(e, "public_key"):
            state = KeyState(
                key_id=e.key_id,
                user_id=e.user_id,
                name=e.name,
                public_key=base64.b64decode(e.public_key),
                valid_from=e.valid_from,
                valid_until=e.valid_until,
                server_held=bool(getattr(e, "server_held", False)),
                enrolled_by=_field(getattr(e, "actor", None), "user_id") if getattr(e, "actor", None) is not None else None,
            )
            by_record[e.originator_id] = e.key_id
            states[e.key_id] = state
        elif name == "KeyRevoked" and e.originator_id in by_record:
            key_id = by_record[e.originator_id]
            states[key_id] = replace(states[key_id], revoked_at=e.revoked_at, revocation_reason=e.reason)
    return states


def _show(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _invalid(reason: str, reason_zh: str) -> DomainError:
    return DomainError("signature_invalid", reason=reason, reason_zh=reason_zh)


# ===== evolving the signed events (class_version 2) ================================================


def upcast_unsigned_v1_v2(state: dict[str, Any]) -> None:
    """A signed act stored before signatures existed (class_version 1) carries no signature."""
    state.setdefault("signature", None)


def upcast_unsigned_with_attachments_v1_v2(state: dict[str, Any]) -> None:
    """A hazard act stored before signatures existed: no signature, and no attachment list recorded."""
    state.setdefault("attachments", [])
    state.setdefault("signature", None)


# What a signed act's command carries: a client's signature, the server-held signer, or none.
SignatureArg = PersonalSignature | ServerHeldSigner | None
