"""Signed checkpoints in the C2SP style (signed-note.md, tlog-checkpoint.md), Ed25519.

A checkpoint note::

    <origin>
    <tree size>
    <base64 root hash>
    time <RFC 3339 UTC>               (an extension line: when the checkpoint was made)

    — <key name> <base64(4-byte key hash || 64-byte Ed25519 signature)>

The signature is over the body: the text up to and including the newline before the blank line. The
key hash is the first 4 bytes of SHA-256(key name || 0x0A || 0x01 || 32-byte public key) (0x01: the
Ed25519 algorithm). A verifier key is written ``<name>+<key hash hex>+<base64(0x01 || public key)>``.

The log's signing key is NOT in the event store: it is a PEM file (HAZARD_LOG_KEY_FILE, default
``var/log-key.pem``, mode 0600), generated on first use. In production keep it in an HSM or a secret
store and mount it read-only; whoever can read it can sign checkpoints for any history.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ED25519 = b"\x01"
DASH = "\u2014"  # "—"


class NoteError(ValueError):
    """A malformed note or verifier key."""


class SigningKeyMissing(NoteError):
    """The checkpoint signing key is not where the settings say, and may not be generated (production)."""


def key_hash(name: str, public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + public_key).digest()[:4]


def _check_name(name: str) -> None:
    if not name or any(c.isspace() for c in name) or "+" in name:
        raise NoteError(f"a key name has no spaces and no '+': {name!r}")


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@dataclass(frozen=True)
class VerifierKey:
    name: str
    public_key: bytes  # 32 bytes

    @property
    def hash(self) -> bytes:
        return key_hash(self.name, self.public_key)

    def __str__(self) -> str:
        return f"{self.name}+{self.hash.hex()}+{base64.b64encode(ED25519 + self.public_key).decode()}"

    @classmethod
    def parse(cls, vkey: str) -> VerifierKey:
        try:
            name, hash_hex, b64 = vkey.strip().split("+", 2)
            raw = base64.b64decode(b64, validate=True)
        except ValueError as exc:
            raise NoteError(f"not a verifier key (name+hash+base64): {vkey!r}") from exc
        if len(raw) != 33 or raw[:1] != ED25519:
            raise NoteError("only Ed25519 verifier keys (algorithm 0x01) are supported")
        key = cls(name, raw[1:])
        if key.hash.hex() != hash_hex.lower():
            raise NoteError("the verifier key's hash does not match its name and public key")
        return key

    def verify(self, message: bytes, signature: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
            return True
        except InvalidSignature:
            return False


class Signer:
    def __init__(self, name: str, private_key: Ed25519PrivateKey) -> None:
        _check_name(name)
        self.name = name
        self.private_key = private_key
        self.verifier = VerifierKey(name, _raw_public(private_key.public_key()))

    @classmethod
    def from_file(cls, name: str, path: Path, create: bool = True) -> Signer:
        """Loads the key, or generates and stores it (mode 0600) on first use."""
        path = Path(path)
        if not path.exists():
            if not create:
                raise SigningKeyMissing(f"no checkpoint signing key at {path} (production provisions it: README, Docker)")
            path.parent.mkdir(parents=True, exist_ok=True)
            key = Ed25519PrivateKey.generate()
            pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(pem)
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(loaded, Ed25519PrivateKey):
            raise NoteError(f"{path} does not hold an Ed25519 private key")
        return cls(name, loaded)

    def sign(self, body: str) -> str:
        """The signed note: body, blank line, one signature line."""
        if not body.endswith("\n"):
            raise NoteError("a note body ends with a newline")
        signature = self.private_key.sign(body.encode())
        blob = base64.b64encode(self.verifier.hash + signature).decode()
        return f"{body}\n{DASH} {self.name} {blob}\n"


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    time: datetime | None = None
    note: str = ""  # the signed note text it was parsed from

    def body(self) -> str:
        lines = [self.origin, str(self.size), base64.b64encode(self.root).decode()]
        if self.time is not None:
            lines.append("time " + self.time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
        return "\n".join(lines) + "\n"


def sign_checkpoint(signer: Signer, origin: str, size: int, root: bytes, at: datetime | None = None) -> Checkpoint:
    at = (at or datetime.now(UTC)).replace(microsecond=0)
    unsigned = Checkpoint(origin, size, root, at)
    return Checkpoint(origin, size, root, at, signer.sign(unsigned.body()))


def split_note(note: str) -> tuple[str, list[tuple[str, bytes]]]:
    """(body, [(key name, key hash || signature)]) of a signed note; raises NoteError if malformed."""
    body, sep, rest = note.partition("\n\n")
    if not sep or not body:
        raise NoteError("a signed note is a body, a blank line and signature lines")
    body += "\n"
    signatures = []
    for line in rest.split("\n"):
        if not line:
            continue
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != DASH:
            raise NoteError(f"not a signature line: {line!r}")
        try:
            blob = base64.b64decode(parts[2], validate=True)
        except ValueError as exc:
            raise NoteError(f"bad base64 in signature line: {line!r}") from exc
        if len(blob) < 5:
            raise NoteError("a signature is a 4-byte key hash and the signature")
        signatures.append((parts[1], blob))
    if not signatures:
        raise NoteError("the note has no signature")
    return body, signatures


def parse_checkpoint(note: str) -> Checkpoint:
    """Parses a checkpoint note (signatures NOT verified: see ``verify_checkpoint``)."""
    body, _ = split_note(note)
    lines = body[:-1].split("\n")
    if len(lines) < 3:
        raise NoteError("a checkpoint body has an origin, a tree size and a root hash")
    origin, size_text, root_text = lines[:3]
    if not size_text.isdigit() or (size_text != "0" and size_text.startswith("0")):
        raise NoteError(f"bad tree size {size_text!r}")
    try:
        root = base64.b64decode(root_text, validate=True)
    except ValueError as exc:
        raise NoteError("bad base64 root hash") from exc
    if len(root) != 32:
        raise NoteError("the root hash is not 32 bytes")
    at = None
    for extension in lines[3:]:
        if extension.startswith("time "):
            try:
                at = datetime.fromisoformat(extension[5:].replace("Z", "+00:00"))
            except ValueError as exc:
                raise NoteError(f"bad time line {extension!r}") from exc
    return Checkpoint(origin, int(size_text), root, at, note)


def verify_note(note: str, key: VerifierKey) -> bool:
    """True if the note carries a valid signature by ``key`` (C2SP: lines by other keys are ignored)."""
    try:
        body, signatures = split_note(note)
    except NoteError:
        return False
    return any(name == key.name and blob[:4] == key.hash and key.verify(body.encode(), blob[4:]) for name, blob in signatures)


def verify_checkpoint(note: str, key: VerifierKey) -> Checkpoint:
    """Parses and verifies a checkpoint; raises NoteError if the signature (by ``key``) is missing or bad."""
    checkpoint = parse_checkpoint(note)
    if not verify_note(note, key):
        raise NoteError(f"no valid signature by {key.name} on the checkpoint of size {checkpoint.size}")
    return checkpoint
