"""Assembles the product from settings: the one place that wires persistence to the domain.

Every member of :class:`Services` is declared and typed; the read models are typed fields of
:class:`ReadModels`. Built in the app factory, the CLI and the tests — never at import time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, create_engine, event

from adapters.accounts import AccountStore
from adapters.documents import DocumentRenderer
from adapters.evidence_store import SqlEvidenceStore
from adapters.idempotency import IdempotencyStore
from adapters.migrations import upgrade
from adapters.replica import Replica
from adapters.server_held_keys import ServerHeldKeyStore
from app.auth import Authenticator
from app.pipeline import CommandPipeline
from app.settings import Settings
from audit.log import AuditLog, MerkleLogProjection  # the Merkle log of the event store (audit/)
from domain.business_time import Clock, business_date
from domain.ledger import Ledger
from domain.reference_data import load_reference
from domain.warning_rules import Proposal
from projections.accident_queries import AccidentQueries  # accident statistics (事故统计)
from projections.accountability import AccountabilityProjection  # accountability trail (谁检查、谁签名、谁负责)
from projections.accountability_queries import AccountabilityQueries
from projections.annex_reports import AnnexQueries
from projections.engine import ProjectionRunner, ProjectionStalled, catch_up_together, listen_wait, polling_wait, stalled
from projections.hazard_queries import HazardQueries
from projections.process_facts import ProcessFactsProjection  # derived facts: warnings, closures
from projections.process_queries import AsOf, ProcessQueries
from projections.records import RecordsProjection
from projections.registers import RegisterQueries
from projections.reporting_queries import ReportingQueries  # the reporting calendar (报送日历)


@dataclass(frozen=True)
class ReadModels:
    """The projections over the event log, each with its runner."""

    records: ProjectionRunner  # hazard lists, registers, annex figures
    process_facts: ProjectionRunner  # what the derived facts (warning ladder, repeat offenders) are computed from
    accountability: ProjectionRunner  # 谁检查、谁签名、谁负责
    merkle_log: ProjectionRunner  # the audit log's tree (audit/log.py)

    def __iter__(self) -> Iterator[ProjectionRunner]:
        return iter((self.records, self.process_facts, self.accountability, self.merkle_log))


@dataclass(frozen=True)
class Services:
    settings: Settings
    ledger: Ledger
    engine: Engine
    read_models: ReadModels
    queries: HazardQueries
    registers: RegisterQueries  # the registers' lists (cases, inspections, accidents, …, enterprises)
    annexes: AnnexQueries  # on the replica when there is one
    process_queries: ProcessQueries  # the derived facts: warning ladder, repeat offenders
    accident_statistics: AccidentQueries  # 事故统计 and the monthly accident bulletin (on the replica when there is one)
    accountability_queries: AccountabilityQueries  # 谁检查、谁签名、谁负责
    reporting_queries: ReportingQueries  # the reporting calendar (报送日历): submissions as facts
    idempotency: IdempotencyStore
    server_held_keys: ServerHeldKeyStore
    audit: AuditLog  # signed checkpoints and proofs over the Merkle log
    pipeline: CommandPipeline  # every command of every entry point
    auth: Authenticator  # log-in: accounts, tokens, OpenID Connect, API keys, security events
    replica: Replica | None = None  # HAZARD_REPLICA_DB_URL: what the reports read from, and its lag

    def catch_up(self) -> int:
        """Brings every read model up to the last recorded event (workers, the CLI and tests; a GET never
        does: it waits for a position instead, ``app/consistency.py``). Raises ``ProjectionStalled`` when
        a read model is stopped at an event it cannot apply: what it would show is behind the log."""
        applied = catch_up_together(list(self.read_models))
        if stalls := stalled(self.engine):
            raise ProjectionStalled(stalls)
        return applied

    def wake_on_new_events(self) -> Callable[[float], None]:
        """How a live worker waits: PostgreSQL NOTIFY, or polling on SQLite."""
        if self.settings.is_postgres:
            return listen_wait(self.settings.psycopg_conninfo(), self.ledger.recorder.channel_name)  # type: ignore[attr-defined]
        return polling_wait(0.2)

    def close(self) -> None:
        self.audit.close()
        self.ledger.close()
        self.engine.dispose()
        if self.replica is not None:
            self.replica.engine.dispose()


def _postgres_engine(url: str, settings: Settings) -> Engine:
    # the URL carries connect_timeout (app/settings.py); pool_timeout bounds the wait for a free connection
    return create_engine(url, pool_pre_ping=True, pool_timeout=settings.db_pool_timeout)


def create_read_engine(settings: Settings) -> Engine:
    if settings.is_postgres:
        return _postgres_engine(settings.sqlalchemy_url(), settings)
    engine = create_engine(settings.sqlalchemy_url(), connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute("PRAGMA busy_timeout=30000")

    return engine


def _event_loader(ledger: Ledger) -> Callable[[str, int], Any]:
    def load_event(record_id: str, version: int) -> Any:
        return next(iter(ledger.repository.event_store.get(UUID(record_id), gt=version - 1, lte=version)), None)

    return load_event


# The event store library retries every read and write of its PostgreSQL recorder on a connection error:
# 10 attempts, 0.2 s apart (eventsourcing/postgres.py, @retry), each waiting for a pooled connection.
LIBRARY_ATTEMPTS, LIBRARY_RETRY_WAIT = 10, 0.2


def _bound_event_store_waits(ledger: Ledger, settings: Settings) -> None:
    """How long a command waits for the event store's pool (the library has no setting for either).

    SQLite has one writer at a time: a command waits its turn as long as SQLite waits for its file lock
    (SQLITE_LOCK_TIMEOUT, 30 s), not the pool's fixed 5 s, which failed writers queued behind another.

    PostgreSQL: the pool would open connections without a connect_timeout (libpq then waits for ever on a
    hung server) and let each of the library's attempts wait 30 s for a connection (a command on a dead
    database: 5 minutes). Its connections gain the connect_timeout, and each attempt waits its share of
    HAZARD_DB_POOL_TIMEOUT, so a command waits about that long in all before its 503. The pool reads both
    at every use."""
    pool = ledger.recorder.datastore.pool  # type: ignore[attr-defined]
    if not settings.is_postgres:
        pool.pool_timeout = float(pool.lock_timeout or pool.pool_timeout)
        return
    pool.kwargs = {**(pool.kwargs or {}), "connect_timeout": settings.connect_timeout()}
    pool.timeout = max(0.1, settings.db_pool_timeout / LIBRARY_ATTEMPTS - LIBRARY_RETRY_WAIT)


@dataclass(frozen=True)
class LadderProposalsOfReadModel:
    """The ladder's proposals for a decision (``domain/services/warnings.LadderProposals``): judged from
    every recorded act, so the read model is caught up first (a command, not a GET)."""

    runner: ProjectionRunner
    queries: ProcessQueries

    def proposal(self, warning_id: UUID, at: datetime) -> Proposal | None:
        catch_up_together([self.runner])
        if stalls := stalled(self.runner.engine):
            raise ProjectionStalled(stalls)
        return self.queries.proposal(warning_id, AsOf(business_date(at)))


def build(settings: Settings, clock: Clock | None = None) -> Services:
    sqlite_path = settings.sqlite_path()
    if sqlite_path is not None:
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    upgrade(settings.sqlalchemy_url())  # every fixed table (adapters/migrations/); read-model versions: the runners
    reference = load_reference(settings.reference_path)
    rules = replace(reference.rules.overridden(settings.rule_overrides), require_signatures=settings.require_signatures)
    engine = create_read_engine(settings)
    ledger = Ledger(
        env=settings.eventsourcing_env(), reference=reference, rules=rules, clock=clock, evidence=SqlEvidenceStore(engine)
    )
    _bound_event_store_waits(ledger, settings)

    def runner(projection: object) -> ProjectionRunner:
        return ProjectionRunner(engine, ledger.recorder, ledger.mapper, projection)  # type: ignore[arg-type]

    read_models = ReadModels(
        records=runner(RecordsProjection(reference.campaign.start)),
        process_facts=runner(ProcessFactsProjection()),
        accountability=runner(AccountabilityProjection()),
        merkle_log=runner(MerkleLogProjection()),
    )
    for model in read_models:
        model.create_tables()
    idempotency = IdempotencyStore(engine)
    process_queries = ProcessQueries(engine, reference, rules, read_models.process_facts.tables)
    ledger.warnings.proposals = LadderProposalsOfReadModel(read_models.process_facts, process_queries)
    ledger.documents.renderer = DocumentRenderer()  # official documents' PDF and DOCX (adapters/documents.py)
    replica_url = settings.replica_sqlalchemy_url()
    replica = None if replica_url is None else Replica(_postgres_engine(replica_url, settings))
    # Reports tolerate a replica's lag (a cut-off day, the lag shown); commands and lists read the primary.
    report_engine = engine if replica is None else replica.engine
    reporting_queries = ReportingQueries(ledger.reports.submitted_events, reference)
    process_queries.reports_due = lambda as_of: reporting_queries.all_reports_due(as_of.day, as_of.known_at)
    return Services(
        settings=settings,
        ledger=ledger,
        engine=engine,
        read_models=read_models,
        queries=HazardQueries(engine, reference, read_models.records.tables, ledger.clock),
        registers=RegisterQueries(engine, reference, read_models.records.tables),
        annexes=AnnexQueries(report_engine, reference, read_models.records.tables),
        process_queries=process_queries,
        accident_statistics=AccidentQueries(
            report_engine, reference, read_models.process_facts.tables, read_models.records.tables
        ),
        accountability_queries=AccountabilityQueries(
            engine,
            reference,
            rules,
            read_models.accountability.tables,
            _event_loader(ledger),
            ledger.clock,
            ledger.keys.key_states,
            process_queries.penalty_conflicts,
        ),
        reporting_queries=reporting_queries,
        idempotency=idempotency,
        server_held_keys=ServerHeldKeyStore(engine),
        audit=AuditLog(
            engine, read_models.merkle_log, settings.log_origin, settings.log_key_file, settings.checkpoint_dir,
            create_key=settings.may_generate_keys,
        ),  # fmt: skip
        pipeline=CommandPipeline(ledger, idempotency),
        auth=Authenticator(settings, AccountStore(engine)),
        replica=replica,
    )
