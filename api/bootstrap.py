"""Assembles the application from settings: the one place that wires persistence to the domain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, create_engine, event

from api.commands import IdempotencyStore
from api.evidence_store import SqlEvidenceStore
from api.settings import Settings
from audit.log import AuditLog, MerkleLogProjection  # the Merkle log of the event store (audit/)
from domain.business_time import Clock
from domain.ledger import HazardLedger
from domain.reference_data import load_reference
from projections.accountability import AccountabilityProjection  # accountability trail (谁检查、谁签名、谁负责)
from projections.annex_reports import AnnexQueries
from projections.engine import ProjectionRunner, listen_wait, polling_wait
from projections.hazard_queries import HazardQueries
from projections.process_facts import ProcessFactsProjection  # process managers, warnings
from projections.records import RecordsProjection


@dataclass
class Services:
    settings: Settings
    ledger: HazardLedger
    engine: Engine
    runners: dict[str, ProjectionRunner]
    queries: HazardQueries
    idempotency: IdempotencyStore
    annexes: AnnexQueries

    @property
    def records(self) -> ProjectionRunner:
        return self.runners["records"]

    def catch_up(self, *names: str) -> int:
        """Brings the named read models (default: all) up to the last recorded event: read-your-writes
        for a request, which names only what it reads (the audit log need not advance for a list)."""
        return sum(runner.catch_up() for name, runner in self.runners.items() if not names or name in names)

    def wake_on_new_events(self) -> Callable[[float], None]:
        """How a live worker waits: PostgreSQL NOTIFY, or polling on SQLite."""
        if self.settings.is_postgres:
            return listen_wait(self.settings.psycopg_conninfo(), self.ledger.recorder.channel_name)  # type: ignore[attr-defined]
        return polling_wait(0.2)

    @property
    def audit(self) -> AuditLog:
        """Signed checkpoints and proofs over the Merkle log (audit/log.py)."""
        if "_audit" not in self.__dict__:
            self.__dict__["_audit"] = AuditLog(
                self.engine, self.runners["merkle_log"], self.settings.log_origin,
                self.settings.log_key_file, self.settings.checkpoint_dir,
            )  # fmt: skip
        return self.__dict__["_audit"]  # type: ignore[no-any-return]

    def close(self) -> None:
        if "_audit" in self.__dict__:
            self.__dict__["_audit"].close()
        self.ledger.close()
        self.engine.dispose()


def create_read_engine(settings: Settings) -> Engine:
    if settings.is_postgres:
        return create_engine(settings.sqlalchemy_url(), pool_pre_ping=True)
    engine = create_engine(settings.sqlalchemy_url(), connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute("PRAGMA busy_timeout=30000")

    return engine


def build(settings: Settings, clock: Clock | None = None) -> Services:
    sqlite_path = settings.sqlite_path()
    if sqlite_path is not None:
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    reference = load_reference(settings.reference_path)
    rules = reference.rules.overridden(settings.rule_overrides)
    engine = create_read_engine(settings)
    ledger = HazardLedger(
        env=settings.eventsourcing_env(),
        reference=reference,
        rules=rules,
        clock=clock,
        evidence=SqlEvidenceStore(engine),
    )
    ledger.require_signatures = settings.require_signatures  # personal signatures (HAZARD_REQUIRE_SIGNATURES)
    runners = {
        projection.name: ProjectionRunner(engine, ledger.recorder, ledger.mapper, projection)
        for projection in (RecordsProjection(reference.campaign.start), ProcessFactsProjection(), AccountabilityProjection())
    }
    runners["merkle_log"] = ProjectionRunner(engine, ledger.recorder, ledger.mapper, MerkleLogProjection())  # audit/log.py
    for runner in runners.values():
        runner.create_tables()
    queries = HazardQueries(engine, reference, runners["records"].tables)
    annexes = AnnexQueries(engine, reference, runners["records"].tables)
    return Services(settings, ledger, engine, runners, queries, IdempotencyStore(engine), annexes)
