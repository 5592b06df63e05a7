"""Settings, read once from the environment (documented in README.md, section Configuration)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

# Rule thresholds that may be overridden per deployment: environment name → LedgerRules field.
RULE_VARIABLES = {
    "HAZARD_REPORT_TO_REGULATOR_HOURS": "report_to_regulator_hours",
    "HAZARD_RESUMPTION_REVIEW_DAYS": "resumption_review_days",
    "HAZARD_BACKDATE_DAYS": "backdate_days",
    "HAZARD_EVIDENCE_MAX_BYTES": "evidence_max_bytes",
    # enforcement
    "HAZARD_REPEAT_OFFENDER_OPEN_DAYS": "repeat_offender_open_days",
    "HAZARD_REPEAT_OFFENDER_PENALTIES": "repeat_offender_penalties",
    # warnings
    "HAZARD_PLAN_DUE_DAYS": "plan_due_days",
    # accountability
    "HAZARD_RECURRENCE_WINDOW_DAYS": "recurrence_window_days",
    "HAZARD_PENALISED_OPEN_DAYS": "penalised_open_days",
    # extension on request
    "HAZARD_EXTENSION_MAX_COUNT": "extension_max_count",
    "HAZARD_EXTENSION_MAX_DAYS": "extension_max_days",
}
DEFAULT_DB_URL = "sqlite:///var/hazard.db"


class SettingsError(ValueError):
    """A setting is missing, malformed or unsafe for the environment."""


@dataclass(frozen=True)
class Settings:
    db_url: str = DEFAULT_DB_URL
    # PostgreSQL's password kept out of the URL (a secret file, e.g. /run/secrets/db_password): any character
    # works, none needs escaping, and the URL can be logged
    db_password_file: Path | None = None
    # reports (annexes, KPIs, accident statistics) may read from a streaming replica; unset: the primary
    replica_db_url: str | None = None
    environment: str = "development"
    reference_path: Path | None = None
    trust_identity_header: bool = True
    rule_overrides: dict[str, str] = field(default_factory=dict)
    # personal signatures: every signed act must carry one (HAZARD_REQUIRE_SIGNATURES)
    require_signatures: bool = False
    # Merkle log checkpoints (audit/): the signing key lives OUTSIDE the event store (production: an HSM
    # or a secret store mounted read-only); notes go to a directory to be shipped off the database host.
    log_origin: str = "hazard-ledger"
    log_key_file: Path = Path("var/log-key.pem")
    checkpoint_dir: Path = Path("var/checkpoints")
    checkpoint_every_minutes: float = 10.0
    # a worker process (project, checkpoint-worker) proves it is alive here for `hazard-ledger health --worker`
    heartbeat_dir: Path = Path("var/heartbeat")
    # one machine: the API process also runs the projection follower and the checkpoint signer
    # (HAZARD_IN_PROCESS_WORKERS); a deployment with worker processes of their own (compose) sets 0
    in_process_workers: bool = True
    # records kept in memory per context after a command (the library's aggregate cache): a later command
    # reads only the events stored since, from any process (fast-forward); 0 turns it off
    aggregate_cache: int = 10000
    # the largest request body (evidence arrives base64-encoded: 20 MiB of bytes is ≈ 27 MiB of body)
    max_body_bytes: int = 32 * 1024 * 1024
    # PostgreSQL down or hung: a request waits at most this long for a new connection (libpq's
    # connect_timeout, whole seconds, at least 2) or for a free one from a pool, then answers 503
    db_connect_timeout: int = 3
    db_pool_timeout: float = 5.0
    # log-in (app/auth.py, README section Log-in): access tokens signed with a key kept outside the database
    # (HAZARD_TOKEN_KEY_FILE; generated there in development when absent, required in production)
    token_minutes: float = 15.0
    refresh_days: float = 7.0
    token_key_file: Path = Path("var/token-key")
    token_issuer: str = "hazard-ledger"
    lockout_failures: int = 5  # failed log-ins in a row that lock an account …
    lockout_minutes: float = 15.0  # … for this long
    # an external OpenID Connect provider (Keycloak-like): all four or none
    oidc_issuer: str = ""
    oidc_audience: str = ""
    oidc_jwks_url: str = ""
    oidc_mapping: Path | None = None
    oidc_leeway_seconds: int = 60  # allowed clock skew for exp / nbf / iat

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> Settings:
        env = dict(os.environ if environ is None else environ)
        environment = env.get("HAZARD_ENV", "development")
        trust = env.get("HAZARD_TRUST_IDENTITY_HEADER", "1" if environment == "development" else "0")
        settings = cls(
            db_url=env.get("HAZARD_DB_URL", DEFAULT_DB_URL),
            db_password_file=Path(env["HAZARD_DB_PASSWORD_FILE"]) if env.get("HAZARD_DB_PASSWORD_FILE") else None,
            replica_db_url=env.get("HAZARD_REPLICA_DB_URL") or None,
            environment=environment,
            reference_path=Path(env["HAZARD_REFERENCE"]) if env.get("HAZARD_REFERENCE") else None,
            trust_identity_header=trust.lower() in ("1", "true", "yes"),
            rule_overrides={rule: env[name] for name, rule in RULE_VARIABLES.items() if name in env},
            require_signatures=env.get("HAZARD_REQUIRE_SIGNATURES", "1" if environment == "production" else "0").lower()
            in ("1", "true", "yes"),
            log_origin=env.get("HAZARD_LOG_ORIGIN", "hazard-ledger"),
            log_key_file=Path(env.get("HAZARD_LOG_KEY_FILE", "var/log-key.pem")),
            checkpoint_dir=Path(env.get("HAZARD_CHECKPOINT_DIR", "var/checkpoints")),
            checkpoint_every_minutes=float(env.get("HAZARD_CHECKPOINT_EVERY_MINUTES", "10")),
            heartbeat_dir=Path(env.get("HAZARD_HEARTBEAT_DIR", "var/heartbeat")),
            in_process_workers=env.get("HAZARD_IN_PROCESS_WORKERS", "1").lower() in ("1", "true", "yes"),
            aggregate_cache=int(env.get("HAZARD_AGGREGATE_CACHE", "10000")),
            max_body_bytes=int(env.get("HAZARD_MAX_BODY_BYTES", str(32 * 1024 * 1024))),
            db_connect_timeout=int(env.get("HAZARD_DB_CONNECT_TIMEOUT", "3")),
            db_pool_timeout=float(env.get("HAZARD_DB_POOL_TIMEOUT", "5")),
            token_minutes=float(env.get("HAZARD_TOKEN_MINUTES", "15")),
            refresh_days=float(env.get("HAZARD_REFRESH_DAYS", "7")),
            token_key_file=Path(env.get("HAZARD_TOKEN_KEY_FILE", "var/token-key")),
            token_issuer=env.get("HAZARD_TOKEN_ISSUER", "hazard-ledger"),
            lockout_failures=int(env.get("HAZARD_LOCKOUT_FAILURES", "5")),
            lockout_minutes=float(env.get("HAZARD_LOCKOUT_MINUTES", "15")),
            oidc_issuer=env.get("HAZARD_OIDC_ISSUER", ""),
            oidc_audience=env.get("HAZARD_OIDC_AUDIENCE", ""),
            oidc_jwks_url=env.get("HAZARD_OIDC_JWKS_URL", ""),
            oidc_mapping=Path(env["HAZARD_OIDC_MAPPING"]) if env.get("HAZARD_OIDC_MAPPING") else None,
            oidc_leeway_seconds=int(env.get("HAZARD_OIDC_LEEWAY_SECONDS", "60")),
        )
        settings = cls(**{**settings.__dict__, **{k: v for k, v in overrides.items() if v is not None}})
        settings.check()
        return settings

    def check(self) -> None:
        if self.environment not in ("development", "production"):
            raise SettingsError(f"HAZARD_ENV must be development or production, not {self.environment!r}")
        # Production trusts the X-User-* headers only when HAZARD_TRUST_IDENTITY_HEADER=1 says an authenticating
        # proxy sets them; otherwise every request logs in (token, OIDC token or API key) or is refused.
        oidc = (self.oidc_issuer, self.oidc_audience, self.oidc_jwks_url, self.oidc_mapping)
        if any(oidc) and not all(oidc):
            raise SettingsError(
                "OpenID Connect needs HAZARD_OIDC_ISSUER, HAZARD_OIDC_AUDIENCE, HAZARD_OIDC_JWKS_URL "
                "and HAZARD_OIDC_MAPPING together"
            )
        if self.token_minutes <= 0 or self.refresh_days <= 0 or self.lockout_failures < 1 or self.lockout_minutes <= 0:
            raise SettingsError(
                "HAZARD_TOKEN_MINUTES, HAZARD_REFRESH_DAYS, HAZARD_LOCKOUT_MINUTES must be above 0, "
                "HAZARD_LOCKOUT_FAILURES at least 1"
            )
        if self.db_connect_timeout < 2 or self.db_pool_timeout <= 0:
            raise SettingsError("HAZARD_DB_CONNECT_TIMEOUT must be at least 2 seconds, HAZARD_DB_POOL_TIMEOUT above 0")
        self.eventsourcing_env()  # validates the URL
        if self.replica_db_url is not None and not _is_postgres(self.replica_db_url):
            raise SettingsError("HAZARD_REPLICA_DB_URL: a replica is a PostgreSQL URL (postgresql://user@host/dbname)")
        if self.db_password_file is not None:
            if not self.is_postgres:
                raise SettingsError("HAZARD_DB_PASSWORD_FILE is for PostgreSQL (HAZARD_DB_URL is not a postgresql:// URL)")
            if any(urlsplit(url).password for url in (self.db_url, self.replica_db_url) if url):
                raise SettingsError("HAZARD_DB_PASSWORD_FILE is set: the database URLs must not carry a password too")
            self.db_password()  # readable now, not at the first connection

    @property
    def may_generate_keys(self) -> bool:
        """Development makes a missing signing key on first use; production refuses (keys are provisioned)."""
        return self.environment != "production"

    def db_password(self) -> str | None:
        """The PostgreSQL password of HAZARD_DB_PASSWORD_FILE (its trailing newline dropped, as PostgreSQL's
        image does with POSTGRES_PASSWORD_FILE), or None when the URL carries it (or none is needed)."""
        if self.db_password_file is None:
            return None
        try:
            return self.db_password_file.read_text("utf-8").rstrip("\r\n")
        except OSError as exc:
            raise SettingsError(f"HAZARD_DB_PASSWORD_FILE: cannot read {self.db_password_file}: {exc.strerror}") from None

    @property
    def is_postgres(self) -> bool:
        return _is_postgres(self.db_url)

    def eventsourcing_env(self) -> dict[str, str]:
        """Maps HAZARD_DB_URL (and the aggregate cache) onto the eventsourcing library's settings."""
        cache = {"AGGREGATE_CACHE_MAXSIZE": str(self.aggregate_cache)} if self.aggregate_cache > 0 else {}
        return {**self._persistence_env(), **cache}

    def _persistence_env(self) -> dict[str, str]:
        try:
            parts = urlsplit(self.db_url)
            port = parts.port
        except ValueError as exc:  # a bad port, an unclosed [IPv6] bracket
            raise SettingsError(f"HAZARD_DB_URL is not a valid URL: {exc}") from None
        if parts.scheme == "sqlite":
            path = unquote(parts.path[1:]) if parts.path.startswith("/") else unquote(parts.path)
            if not path or path == ":memory:":
                raise SettingsError("HAZARD_DB_URL: an SQLite ledger needs a file, e.g. sqlite:///var/hazard.db")
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "APPLICATION_RECORDER_TOPIC": "adapters.event_store:LedgerSQLiteRecorder",
                "SQLITE_DBNAME": path,
                "SQLITE_LOCK_TIMEOUT": "30",
                "CREATE_TABLE": "false",  # the event table is made by the migrations (adapters/migrations/)
            }
        if self.is_postgres:
            if not parts.path.strip("/"):
                raise SettingsError("HAZARD_DB_URL: name the PostgreSQL database, e.g. postgresql://hazard@localhost/hazard")
            return {
                "PERSISTENCE_MODULE": "eventsourcing.postgres",
                "APPLICATION_RECORDER_TOPIC": "adapters.event_store:LedgerPostgresRecorder",
                "POSTGRES_DBNAME": unquote(parts.path.strip("/")),
                "POSTGRES_HOST": parts.hostname or "localhost",
                "POSTGRES_PORT": str(port or 5432),
                "POSTGRES_USER": unquote(parts.username or "postgres"),
                "POSTGRES_PASSWORD": self.db_password() or unquote(parts.password or ""),
                # each pooled connection is checked before use: after an outage the pool heals instead of
                # handing out connections the server closed (its timeouts are set in app/wiring.py)
                "POSTGRES_PRE_PING": "y",
                "CREATE_TABLE": "false",  # the event table is made by the migrations (adapters/migrations/)
            }
        raise SettingsError(f"HAZARD_DB_URL: unsupported scheme {parts.scheme!r} (sqlite or postgresql)")

    def sqlalchemy_url(self) -> str:
        """The same database, for the read models (SQLAlchemy Core)."""
        if self.is_postgres:
            return "postgresql+psycopg://" + self._bounded_connect(self.db_url).split("://", 1)[1]
        return self.db_url

    def replica_sqlalchemy_url(self) -> str | None:
        """The replica the reports read from (HAZARD_REPLICA_DB_URL), with the primary's password."""
        if self.replica_db_url is None:
            return None
        return "postgresql+psycopg://" + self._bounded_connect(self.replica_db_url).split("://", 1)[1]

    def psycopg_conninfo(self) -> str:
        """The same PostgreSQL database, for psycopg (e.g. LISTEN for live projections)."""
        return "postgresql://" + self._bounded_connect(self.db_url).split("://", 1)[1]

    def _bounded_connect(self, url: str) -> str:
        """The URL with the password file's password (percent-encoded: '@', ':', '/', '%' and '#' stay part of
        it) and a connect_timeout (unless it names one): libpq's default is to wait for ever."""
        parts = urlsplit(url)
        password = self.db_password()
        if password is not None:
            userinfo, _, host = parts.netloc.rpartition("@")
            parts = parts._replace(netloc=f"{userinfo or 'postgres'}:{quote(password, safe='')}@{host}")
        query = parse_qsl(parts.query)
        if any(name == "connect_timeout" for name, _ in query):
            return parts.geturl()
        return parts._replace(query=urlencode([*query, ("connect_timeout", str(self.db_connect_timeout))])).geturl()

    def connect_timeout(self) -> int:
        """The connect_timeout every PostgreSQL connection is opened with."""
        named = dict(parse_qsl(urlsplit(self._bounded_connect(self.db_url)).query))["connect_timeout"]
        return int(named)

    def sqlite_path(self) -> Path | None:
        env = self.eventsourcing_env()
        return Path(env["SQLITE_DBNAME"]) if "SQLITE_DBNAME" in env else None


def _is_postgres(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://", "postgresql+psycopg://"))
