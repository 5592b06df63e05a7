"""Log-in: built-in accounts (password → short-lived signed access token + rotating refresh token), an
external OpenID Connect provider's tokens, API keys for machine clients; lock-out after repeated failures;
every log-in, failure, lock-out, refresh and account or key change recorded as a security event.

The API resolves the acting person in one dependency (``api/identity.py``); this module says whether a
credential is good and who it stands for. Every refusal is a ``DomainError`` of kind unauthenticated.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
import tomllib
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
from prometheus_client import Counter

from adapters.accounts import API_KEY_PREFIX, Account, AccountStore, ApiKey
from app.settings import Settings, SettingsError
from domain.access import ROLE_ORG_KINDS
from domain.actor import Actor
from domain.bounds import check_parameter
from domain.errors import DomainError
from domain.glossary import OrgKind, Role
from domain.identity import PERSON_ROLES, check_account_fields, check_binding, check_password, claimed_actor, throttle_seconds

# Not in the default registry: /metrics (api/routes/health.py) adds it to the registry it builds.
SECURITY_EVENTS = Counter(
    "hazard_ledger_security_events", "Security events (log-ins, failures, lock-outs, refreshes, account and key changes)",
    ["kind"], registry=None,
)  # fmt: skip
LOCAL_ALGORITHM = "HS256"
OIDC_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]
LOCAL_LEEWAY_SECONDS = 5


class IdentityProviderUnavailable(Exception):
    """The OpenID Connect provider's key set cannot be fetched (down, unreachable): the API answers 503 with
    Retry-After, not a 401 that would tell a person their valid token is bad."""


def _invalid(reason: str, reason_zh: str) -> DomainError:
    return DomainError("token_invalid", reason=reason, reason_zh=reason_zh)


def _jwt_error(exc: jwt.PyJWTError) -> DomainError:
    if isinstance(exc, jwt.ExpiredSignatureError):
        return DomainError("token_expired")
    if isinstance(exc, jwt.ImmatureSignatureError):
        return DomainError("token_not_yet_valid")
    if isinstance(exc, jwt.InvalidAudienceError):
        return _invalid("wrong audience", "受众（aud）不符")
    if isinstance(exc, jwt.InvalidIssuerError):
        return _invalid("wrong issuer", "签发方（iss）不符")
    if isinstance(exc, jwt.InvalidSignatureError):
        return _invalid("bad signature", "签名无效")
    if isinstance(exc, jwt.MissingRequiredClaimError):
        return _invalid(f"missing claim {exc.claim}", f"缺少声明 {exc.claim}")
    return _invalid("malformed token", "令牌格式错误")


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "bearer"


# OpenID Connect


def _claim(claims: dict[str, Any], path: str) -> Any:
    """A claim by name; a dotted path reaches into objects (``realm_access.roles``)."""
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _values(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


@dataclass(frozen=True)
class ClaimMapping:
    """How a provider's claims name the acting person (the TOML file of HAZARD_OIDC_MAPPING; README, Log-in)."""

    user_id: str = "sub"
    name: str = "name"
    organisation_id: str = "organisation_id"
    organisation_kind: str = "organisation_kind"
    organisation_name: str = "organisation_name"
    role_claim: str = "roles"
    roles: tuple[tuple[str, Role], ...] = ()  # provider value → ledger role, the first present wins
    scope_claim: str = "scope"
    required_scopes: tuple[str, ...] = ()

    @classmethod
    def load(cls, path: Path) -> ClaimMapping:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SettingsError(f"HAZARD_OIDC_MAPPING {path}: {exc}") from None
        claims, roles, scope = data.get("claims", {}), data.get("roles", {}), data.get("scope", {})
        try:
            mapped = tuple((str(given), Role(role)) for given, role in roles.get("map", {}).items())
        except ValueError as exc:
            raise SettingsError(f"HAZARD_OIDC_MAPPING {path}: {exc}") from None
        if not mapped or any(role not in PERSON_ROLES for _, role in mapped):
            raise SettingsError(f"HAZARD_OIDC_MAPPING {path}: [roles.map] must map provider roles to person roles")
        fields = ("user_id", "name", "organisation_id", "organisation_kind", "organisation_name")
        return cls(
            **{f: str(claims[f]) for f in fields if f in claims},
            role_claim=str(roles.get("claim", "roles")),
            roles=mapped,
            scope_claim=str(scope.get("claim", "scope")),
            required_scopes=tuple(_values(scope.get("required", []))),
        )

    def actor(self, claims: dict[str, Any]) -> Actor:
        granted = set(_values(_claim(claims, self.scope_claim)))
        if missing := [s for s in self.required_scopes if s not in granted]:
            raise _invalid(f"missing scope {' '.join(missing)}", f"缺少授权范围 {' '.join(missing)}")
        held = set(_values(_claim(claims, self.role_claim)))
        role = next((role for given, role in self.roles if given in held), None)
        if role is None:
            raise _invalid("no mapped role", "没有可映射的角色")
        kind = _claim(claims, self.organisation_kind)
        if kind is None and len(ROLE_ORG_KINDS[role]) == 1:
            kind = next(iter(ROLE_ORG_KINDS[role]))
        try:
            return claimed_actor(
                user_id=str(_claim(claims, self.user_id) or ""),
                name=str(_claim(claims, self.name) or ""),
                role=role.value,
                organisation_id=str(_claim(claims, self.organisation_id) or ""),
                organisation_kind=str(kind or ""),
                organisation_name=str(_claim(claims, self.organisation_name) or ""),
            )
        except DomainError as exc:  # the claims name no possible person (e.g. a role at the wrong kind of unit)
            raise _invalid(str(exc.details.get("reason")), str(exc.details.get("reason_zh"))) from None


class OidcVerifier:
    """Verifies a provider's tokens against its JWKS: fetched on first use, cached, fetched again when a token
    names an unknown ``kid`` (the provider rotated its keys) — at most once per ``min_refetch_seconds``."""

    def __init__(
        self,
        issuer: str,
        audience: str,
        jwks_url: str,
        mapping: ClaimMapping,
        leeway_seconds: int = 60,
        min_refetch_seconds: float = 10.0,
        timeout_seconds: float = 3.0,
    ) -> None:
        self.issuer, self.audience, self.jwks_url, self.mapping = issuer, audience, jwks_url, mapping
        self.leeway, self.min_refetch_seconds, self.timeout = leeway_seconds, min_refetch_seconds, timeout_seconds
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._lock = threading.Lock()

    def _fetch(self) -> None:
        try:
            with urllib.request.urlopen(self.jwks_url, timeout=self.timeout) as response:  # noqa: S310 (a configured URL)
                keys = jwt.PyJWKSet.from_dict(json.loads(response.read()))
        except OSError as exc:  # refused, timed out, no route: the provider is down, the token may be good
            raise IdentityProviderUnavailable(f"{self.jwks_url}: {exc}") from None
        except (ValueError, jwt.PyJWTError) as exc:
            raise _invalid(f"the provider's key set is malformed ({exc})", "身份提供方的公钥集格式无效") from None
        self._keys = {key.key_id: key for key in keys.keys if key.key_id}
        self._fetched_at = time.monotonic()

    def key(self, kid: str) -> jwt.PyJWK:
        with self._lock:
            if kid not in self._keys and (
                self._fetched_at is None or time.monotonic() - self._fetched_at >= self.min_refetch_seconds
            ):
                self._fetch()
            if kid not in self._keys:
                raise _invalid(f"unknown signing key {kid!r}", "未知的签名密钥")
            return self._keys[kid]

    def actor(self, token: str) -> Actor:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise _jwt_error(exc) from None
        if header.get("alg") not in OIDC_ALGORITHMS or not header.get("kid"):
            raise _invalid("unsupported algorithm or no key id", "不支持的签名算法或缺少密钥标识")
        key = self.key(str(header["kid"]))
        try:
            claims = jwt.decode(
                token,
                key.key,
                algorithms=[header["alg"]],
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.PyJWTError as exc:
            raise _jwt_error(exc) from None
        return self.mapping.actor(claims)


# the authenticator


def load_token_key(path: Path, environment: str) -> bytes:
    """The access tokens' HMAC key: made in development when absent (mode 0600), required in production."""
    if path.exists():
        key = path.read_bytes().strip()
        if len(key) < 32:
            raise SettingsError(f"HAZARD_TOKEN_KEY_FILE {path}: at least 32 bytes")
        return key
    if environment == "production":
        raise SettingsError(f"HAZARD_TOKEN_KEY_FILE {path} is missing: production needs a provisioned signing key")
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32).encode("ascii")
    partial = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    try:
        os.link(partial, path)  # whole or not at all; another process that won the race keeps its key
    except FileExistsError:
        key = path.read_bytes().strip()
    finally:
        partial.unlink()
    return key


class Authenticator:
    def __init__(self, settings: Settings, store: AccountStore, now: Callable[[], datetime] | None = None) -> None:
        self.settings, self.store = settings, store
        self.now = now or (lambda: datetime.now(UTC))
        self._key: bytes | None = None  # loaded on first use: a read never makes the key file
        self._key_lock = threading.Lock()
        self.oidc = (
            OidcVerifier(
                settings.oidc_issuer,
                settings.oidc_audience,
                settings.oidc_jwks_url,
                ClaimMapping.load(settings.oidc_mapping),
                settings.oidc_leeway_seconds,
            )
            if settings.oidc_issuer and settings.oidc_mapping is not None
            else None
        )

    def check_ready(self) -> None:
        """An API that relies on log-in refuses to start without a provisioned signing key (the workers,
        which issue no token, do not need it)."""
        if self.settings.environment == "production" and not self.settings.trust_identity_header:
            _ = self.key

    @property
    def key(self) -> bytes:
        with self._key_lock:
            if self._key is None:
                self._key = load_token_key(self.settings.token_key_file, self.settings.environment)
            return self._key

    def record(self, kind: str, *, subject: str | None = None, actor: str | None = None, client_ip: str | None = None,
               **detail: Any) -> None:  # fmt: skip
        self.store.record(kind, self.now(), subject=subject, actor=actor, client_ip=client_ip, **detail)
        SECURITY_EVENTS.labels(kind=kind).inc()

    # log-in with a password
    def login(self, username: str, password: str, client_ip: str | None = None) -> TokenPair:
        check_parameter("username", username)  # a NUL would reach the account table (PostgreSQL refuses it: a 500)
        now = self.now()
        account = self.store.user(username)
        if account is None:
            self.store.password_matches(username, password)  # the same work as for a known name
            self.record("login_failed", subject=username[:128], client_ip=client_ip, reason="unknown_user")
            raise DomainError("bad_credentials")
        if account.locked_until is not None and account.locked_until > now:
            until = account.locked_until.isoformat(timespec="seconds")
            if account.failed_logins:  # a pause after a failure, not yet the lock-out
                self.record("login_throttled", subject=username, client_ip=client_ip, until=until)
                raise DomainError("login_throttled", until=until)
            self.record("login_refused_locked", subject=username, client_ip=client_ip)
            raise DomainError("account_locked", until=until)
        if not self.store.password_matches(username, password):
            failures = self.store.count_failure(username)
            self.record("login_failed", subject=username, client_ip=client_ip, reason="bad_password", failures=failures)
            if failures >= self.settings.lockout_failures:
                until = now + timedelta(minutes=self.settings.lockout_minutes)
                self.store.update_user(username, now, locked_until=until, failed_logins=0)
                self.record("account_locked", subject=username, client_ip=client_ip, until=until.isoformat())
                raise DomainError("account_locked", until=until.isoformat(timespec="seconds"))
            self.store.update_user(username, now, locked_until=now + timedelta(seconds=throttle_seconds(failures)))
            raise DomainError("bad_credentials")
        if account.disabled:
            self.record("login_refused_disabled", subject=username, client_ip=client_ip)
            raise DomainError("account_disabled")
        if account.failed_logins or account.locked_until is not None:
            self.store.update_user(username, now, failed_logins=0, locked_until=None)
        pair = self._issue(account, secrets.token_hex(16), now)
        self.record("login", subject=username, actor=username, client_ip=client_ip)
        return pair

    def _issue(self, account: Account, family: str, now: datetime) -> TokenPair:
        lifetime = timedelta(minutes=self.settings.token_minutes)
        claims = {
            "iss": self.settings.token_issuer,
            "aud": self.settings.token_issuer,
            "sub": account.user_id,
            "iat": now,
            "nbf": now,
            "exp": now + lifetime,
            "jti": secrets.token_hex(8),
        }
        access = jwt.encode(claims, self.key, algorithm=LOCAL_ALGORITHM)
        refresh = self.store.add_refresh(account.user_id, family, now, now + timedelta(days=self.settings.refresh_days))
        return TokenPair(access, refresh, int(lifetime.total_seconds()))

    def refresh(self, token: str, client_ip: str | None = None) -> TokenPair:
        """A new pair for a refresh token, which is then spent; a spent one presented again revokes its family."""
        check_parameter("refresh_token", token)
        now = self.now()
        found = self.store.use_refresh(token, now)
        if found is None:
            self.record("refresh_failed", client_ip=client_ip, reason="unknown")
            raise DomainError("refresh_token_invalid")
        if found.used_at is not None or found.revoked_at is not None:
            self.store.revoke_family(found.family, now)
            reason = "reused" if found.used_at is not None else "revoked"
            self.record("refresh_failed", subject=found.user_id, client_ip=client_ip, reason=reason)
            raise DomainError("refresh_token_invalid")
        if found.expires_at <= now:
            self.record("refresh_failed", subject=found.user_id, client_ip=client_ip, reason="expired")
            raise DomainError("refresh_token_invalid")
        account = self.store.user(found.user_id)
        if account is None or account.disabled:
            self.store.revoke_family(found.family, now)
            self.record("refresh_failed", subject=found.user_id, client_ip=client_ip, reason="disabled")
            raise DomainError("account_disabled")
        pair = self._issue(account, found.family, now)
        self.record("refresh", subject=account.user_id, actor=account.user_id, client_ip=client_ip)
        return pair

    def logout(self, token: str, client_ip: str | None = None) -> None:
        check_parameter("refresh_token", token)
        now = self.now()
        found = self.store.use_refresh(token, now)
        if found is None:
            raise DomainError("refresh_token_invalid")
        self.store.revoke_family(found.family, now)
        self.record("logout", subject=found.user_id, actor=found.user_id, client_ip=client_ip)

    # bearer tokens and API keys
    def bearer_actor(self, token: str, client_ip: str | None = None) -> Actor:
        try:
            issuer = jwt.decode(token, options={"verify_signature": False}).get("iss")
        except jwt.PyJWTError as exc:
            raise _jwt_error(exc) from None
        if self.oidc is not None and issuer == self.oidc.issuer:
            return self.oidc.actor(token)
        if issuer != self.settings.token_issuer:
            raise _invalid("wrong issuer", "签发方（iss）不符")
        try:
            claims = jwt.decode(
                token,
                self.key,
                algorithms=[LOCAL_ALGORITHM],
                audience=self.settings.token_issuer,
                issuer=self.settings.token_issuer,
                leeway=LOCAL_LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "sub"]},
            )
        except jwt.PyJWTError as exc:
            raise _jwt_error(exc) from None
        account = self.store.user(str(claims["sub"]))
        if account is None or account.disabled:
            raise DomainError("account_disabled")
        return actor_of(account)

    def api_key_actor(self, secret: str, client_ip: str | None = None) -> Actor:
        key = self.store.api_key_by_secret(secret) if secret.startswith(API_KEY_PREFIX) else None
        if key is None:
            self.record("api_key_refused", client_ip=client_ip, reason="unknown")
            raise DomainError("api_key_invalid")
        if key.revoked_at is not None:
            self.record("api_key_refused", subject=key.key_id, client_ip=client_ip, reason="revoked")
            raise DomainError("api_key_revoked")
        self.store.api_key_used(key.key_id, self.now(), client_ip)
        return Actor(
            user_id=f"apikey:{key.key_id}",
            name=key.name,
            role=key.role,
            organisation_id=key.organisation_id,
            organisation_kind=key.organisation_kind,
            organisation_name=key.organisation_name,
        )

    # administration (the CLI; admins)
    def add_user(
        self, user_id: str, name: str, role: str, organisation_id: str, organisation_kind: str, organisation_name: str,
        password: str, by: str,
    ) -> Account:  # fmt: skip
        bound_role, kind = check_binding(role, organisation_kind)
        check_account_fields(user_id, organisation_id)
        check_password(password)
        now = self.now()
        account = Account(user_id, name or user_id, bound_role, organisation_id, kind, organisation_name, False, 0, None, now)
        self.store.add_user(account, password, now)
        self.record("user_added", subject=user_id, actor=by, role=bound_role.value, organisation_id=organisation_id)
        return account

    def set_disabled(self, user_id: str, disabled: bool, by: str) -> None:
        now = self.now()
        self.store.update_user(
            user_id, now, disabled=disabled, **({} if disabled else {"failed_logins": 0, "locked_until": None})
        )
        if disabled:
            self.store.revoke_user_tokens(user_id, now)
        self.record("user_disabled" if disabled else "user_enabled", subject=user_id, actor=by)

    def reset_password(self, user_id: str, password: str, by: str) -> None:
        check_password(password)
        now = self.now()
        self.store.update_user(user_id, now, password=password, failed_logins=0, locked_until=None)
        self.store.revoke_user_tokens(user_id, now)
        self.record("password_reset", subject=user_id, actor=by)

    def grant(self, user_id: str, role: str, organisation_id: str, organisation_kind: str, organisation_name: str | None,
              by: str) -> None:  # fmt: skip
        bound_role, kind = check_binding(role, organisation_kind)
        check_account_fields(user_id, organisation_id)
        values: dict[str, Any] = {"role": bound_role.value, "organisation_id": organisation_id, "organisation_kind": kind.value}
        if organisation_name is not None:
            values["organisation_name"] = organisation_name
        now = self.now()
        self.store.update_user(user_id, now, **values)
        self.store.revoke_user_tokens(user_id, now)
        self.record("user_granted", subject=user_id, actor=by, **values)

    def add_api_key(self, name: str, role: str, organisation_id: str, organisation_kind: str, organisation_name: str,
                    by: str) -> tuple[ApiKey, str]:  # fmt: skip
        bound_role, kind = check_binding(role, organisation_kind)
        check_account_fields("apikey", organisation_id)
        key = ApiKey(
            secrets.token_hex(8), name, bound_role, organisation_id, kind, organisation_name, by, self.now(), None, None, None
        )
        secret = self.store.add_api_key(key)
        self.record("api_key_added", subject=key.key_id, actor=by, role=bound_role.value, organisation_id=organisation_id)
        return key, secret

    def revoke_api_key(self, key_id: str, by: str) -> None:
        self.store.revoke_api_key(key_id, self.now())
        self.record("api_key_revoked", subject=key_id, actor=by)


def actor_of(account: Account) -> Actor:
    return Actor(
        user_id=account.user_id,
        name=account.name,
        role=account.role,
        organisation_id=account.organisation_id,
        organisation_kind=OrgKind(account.organisation_kind),
        organisation_name=account.organisation_name,
    )
