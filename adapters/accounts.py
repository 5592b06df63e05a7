"""Built-in accounts, refresh tokens, API keys and security events (tables of migration 0004_auth).

Passwords are hashed with argon2id (argon2-cffi); refresh tokens and API keys are high-entropy random
secrets, stored as their SHA-256 only: the database never holds a usable credential.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from domain.errors import DomainError
from domain.glossary import OrgKind, Role

metadata = MetaData()
WHEN = DateTime(timezone=True)

users = Table(
    "users",
    metadata,
    Column("user_id", String(128), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("role", String(32), nullable=False),
    Column("organisation_id", String(64), nullable=False),
    Column("organisation_kind", String(32), nullable=False),
    Column("organisation_name", String(200), nullable=False, default=""),
    Column("password_hash", String(255), nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", WHEN, nullable=True),
    Column("created_at", WHEN, nullable=False),
    Column("updated_at", WHEN, nullable=False),
)
refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", String(128), nullable=False),
    Column("family", String(32), nullable=False),  # every rotation of one log-in: reuse revokes them all
    Column("issued_at", WHEN, nullable=False),
    Column("expires_at", WHEN, nullable=False),
    Column("used_at", WHEN, nullable=True),
    Column("revoked_at", WHEN, nullable=True),
)
api_keys = Table(
    "api_keys",
    metadata,
    Column("key_id", String(32), primary_key=True),
    Column("secret_hash", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("role", String(32), nullable=False),
    Column("organisation_id", String(64), nullable=False),
    Column("organisation_kind", String(32), nullable=False),
    Column("organisation_name", String(200), nullable=False, default=""),
    Column("created_by", String(128), nullable=False),
    Column("created_at", WHEN, nullable=False),
    Column("revoked_at", WHEN, nullable=True),
    Column("last_used_at", WHEN, nullable=True),
    Column("last_used_ip", String(64), nullable=True),
)
security_events = Table(
    "security_events",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("at", WHEN, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("subject", String(128), nullable=True),
    Column("actor", String(128), nullable=True),
    Column("client_ip", String(64), nullable=True),
    Column("detail", JSON, nullable=True),
)

API_KEY_PREFIX = "hlk_"
LAST_USE_EVERY = timedelta(minutes=1)
_HASHER = PasswordHasher()
# verified when the user name is unknown, so a wrong name costs the same time as a wrong password
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


def sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _aware(at: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes (stored as UTC)
    if at is None or at.tzinfo is not None:
        return at
    return at.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Account:
    user_id: str
    name: str
    role: Role
    organisation_id: str
    organisation_kind: OrgKind
    organisation_name: str
    disabled: bool
    failed_logins: int
    locked_until: datetime | None
    created_at: datetime

    @classmethod
    def of(cls, row: Any) -> Account:
        return cls(
            user_id=row.user_id,
            name=row.name,
            role=Role(row.role),
            organisation_id=row.organisation_id,
            organisation_kind=OrgKind(row.organisation_kind),
            organisation_name=row.organisation_name,
            disabled=bool(row.disabled),
            failed_logins=row.failed_logins,
            locked_until=_aware(row.locked_until),
            created_at=_aware(row.created_at),  # type: ignore[arg-type]
        )


@dataclass(frozen=True)
class ApiKey:
    key_id: str
    name: str
    role: Role
    organisation_id: str
    organisation_kind: OrgKind
    organisation_name: str
    created_by: str
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None
    last_used_ip: str | None

    @classmethod
    def of(cls, row: Any) -> ApiKey:
        return cls(
            key_id=row.key_id,
            name=row.name,
            role=Role(row.role),
            organisation_id=row.organisation_id,
            organisation_kind=OrgKind(row.organisation_kind),
            organisation_name=row.organisation_name,
            created_by=row.created_by,
            created_at=_aware(row.created_at),  # type: ignore[arg-type]
            revoked_at=_aware(row.revoked_at),
            last_used_at=_aware(row.last_used_at),
            last_used_ip=row.last_used_ip,
        )


@dataclass(frozen=True)
class RefreshToken:
    user_id: str
    family: str
    expires_at: datetime
    used_at: datetime | None
    revoked_at: datetime | None


class AccountStore:
    """The rows behind log-in. Rules (lock-out, rotation, scoping) live in ``app/auth.py``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # accounts
    def add_user(self, account: Account, password: str, now: datetime) -> None:
        values = {k: v for k, v in account.__dict__.items() if k != "locked_until"}
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(users).values(**values, password_hash=_HASHER.hash(password), updated_at=now))
        except IntegrityError:
            raise DomainError("account_exists", user_id=account.user_id) from None

    def user(self, user_id: str) -> Account | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.user_id == user_id)).first()
        return None if row is None else Account.of(row)

    def require_user(self, user_id: str) -> Account:
        account = self.user(user_id)
        if account is None:
            raise DomainError("account_not_found", user_id=user_id)
        return account

    def users(self) -> list[Account]:
        with self.engine.connect() as conn:
            return [Account.of(row) for row in conn.execute(select(users).order_by(users.c.user_id))]

    def update_user(self, user_id: str, now: datetime, **values: Any) -> None:
        if "password" in values:
            values["password_hash"] = _HASHER.hash(values.pop("password"))
        with self.engine.begin() as conn:
            done = conn.execute(update(users).where(users.c.user_id == user_id).values(**values, updated_at=now)).rowcount
        if not done:
            raise DomainError("account_not_found", user_id=user_id)

    def password_matches(self, user_id: str, password: str) -> bool:
        with self.engine.connect() as conn:
            stored = conn.execute(select(users.c.password_hash).where(users.c.user_id == user_id)).scalar_one_or_none()
        try:
            return _HASHER.verify(stored or _DUMMY_HASH, password) and stored is not None
        except (VerificationError, InvalidHashError):
            return False

    def count_failure(self, user_id: str) -> int:
        """One more failed log-in; the account's count after it (atomic on both backends)."""
        with self.engine.begin() as conn:
            conn.execute(update(users).where(users.c.user_id == user_id).values(failed_logins=users.c.failed_logins + 1))
            return int(conn.execute(select(users.c.failed_logins).where(users.c.user_id == user_id)).scalar_one())

    # refresh tokens
    def add_refresh(self, user_id: str, family: str, now: datetime, expires_at: datetime) -> str:
        token = secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            conn.execute(
                insert(refresh_tokens).values(
                    token_hash=sha256(token), user_id=user_id, family=family, issued_at=now, expires_at=expires_at
                )
            )
        return token

    def use_refresh(self, token: str, now: datetime) -> RefreshToken | None:
        """Marks the token used (once: a second use finds it used) and answers it as it was before."""
        digest = sha256(token)
        with self.engine.begin() as conn:
            row = conn.execute(select(refresh_tokens).where(refresh_tokens.c.token_hash == digest)).first()
            if row is None:
                return None
            spent = conn.execute(
                update(refresh_tokens)
                .where(refresh_tokens.c.token_hash == digest, refresh_tokens.c.used_at.is_(None))
                .values(used_at=now)
            ).rowcount
        # two requests racing with one token: only the one whose update marked it finds it unused
        used_at = _aware(row.used_at) or (None if spent else now)
        return RefreshToken(row.user_id, row.family, _aware(row.expires_at), used_at, _aware(row.revoked_at))  # type: ignore[arg-type]

    def revoke_family(self, family: str, now: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(refresh_tokens)
                .where(refresh_tokens.c.family == family, refresh_tokens.c.revoked_at.is_(None))
                .values(revoked_at=now)
            )

    def revoke_user_tokens(self, user_id: str, now: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(refresh_tokens)
                .where(refresh_tokens.c.user_id == user_id, refresh_tokens.c.revoked_at.is_(None))
                .values(revoked_at=now)
            )

    # API keys
    def add_api_key(self, key: ApiKey) -> str:
        """Stores the key; answers its secret, the only time it is known."""
        secret = f"{API_KEY_PREFIX}{key.key_id}_{secrets.token_urlsafe(32)}"
        values = {k: v for k, v in key.__dict__.items() if k not in ("revoked_at", "last_used_at", "last_used_ip")}
        with self.engine.begin() as conn:
            conn.execute(insert(api_keys).values(**values, secret_hash=sha256(secret)))
        return secret

    def api_key_by_secret(self, secret: str) -> ApiKey | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(api_keys).where(api_keys.c.secret_hash == sha256(secret))).first()
        return None if row is None else ApiKey.of(row)

    def api_keys(self) -> list[ApiKey]:
        with self.engine.connect() as conn:
            return [ApiKey.of(row) for row in conn.execute(select(api_keys).order_by(api_keys.c.created_at, api_keys.c.key_id))]

    def revoke_api_key(self, key_id: str, now: datetime) -> None:
        with self.engine.begin() as conn:
            found = conn.execute(select(api_keys.c.key_id).where(api_keys.c.key_id == key_id)).first()
            if found is None:
                raise DomainError("api_key_not_found", key_id=key_id)
            conn.execute(
                update(api_keys).where(api_keys.c.key_id == key_id, api_keys.c.revoked_at.is_(None)).values(revoked_at=now)
            )

    def api_key_used(self, key_id: str, now: datetime, client_ip: str | None) -> None:
        """Records the key's last use: at most once a minute per key (a busy client writes no row per request)."""
        with self.engine.begin() as conn:
            conn.execute(
                update(api_keys)
                .where(
                    api_keys.c.key_id == key_id,
                    or_(api_keys.c.last_used_at.is_(None), api_keys.c.last_used_at < now - LAST_USE_EVERY),
                )
                .values(last_used_at=now, last_used_ip=client_ip and client_ip[:64])
            )

    # security events
    def record(
        self,
        kind: str,
        now: datetime,
        *,
        subject: str | None = None,
        actor: str | None = None,
        client_ip: str | None = None,
        **detail: Any,
    ) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                insert(security_events).values(
                    at=now,
                    kind=kind,
                    subject=subject and subject[:128],
                    actor=actor and actor[:128],
                    client_ip=client_ip and client_ip[:64],
                    detail=detail or None,
                )
            )

    def security_events(self, limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
        """The newest first."""
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(security_events)).scalar_one()
            rows = conn.execute(
                select(security_events).order_by(security_events.c.id.desc()).limit(limit).offset(offset)
            ).mappings()
            items = [{**row, "at": _aware(row["at"]).isoformat()} for row in rows]  # type: ignore[union-attr]
        return int(total), items
