"""What every context's application shares: one event store, the clock, rule settings, loading and
saving records.

Each context's application lives beside it in ``domain/services/``; ``domain/ledger.py`` puts them
together over one store and holds the one map from command to handler.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import ApplicationRecorder, InfrastructureFactory, IntegrityError, Transcoder
from eventsourcing.utils import Environment

from domain.aggregate_base import LedgerAggregate
from domain.business_time import Clock, SystemClock, check_occurred_at
from domain.errors import DomainError
from domain.evidence import EvidenceStore, InMemoryEvidenceStore
from domain.reference_data import LedgerRules, ReferenceData, load_reference
from domain.transcodings import LedgerTranscoder, register_transcodings
from domain.unit_of_work import UnitOfWork
from domain.unit_of_work import current as current_unit_of_work
from domain.views import event_view

_SCAN_PAGE = 500  # notifications per page of a scan of the log by topic
T = TypeVar("T", bound=LedgerAggregate)


@dataclass(frozen=True)
class Receipt:
    """What a command returns: the record's id, its new version and the log position its events reached
    (None when stored outside a unit of work)."""

    id: UUID
    version: int
    position: int | None = None


def replay(aggregate: Any, events: Iterable[Any]) -> Any:
    """The library's projector without its per-event ``isinstance`` check against a runtime Protocol
    (a third of a command's CPU for a record with a few dozen events): our events all mutate."""
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


@dataclass(frozen=True)
class SharedStore:
    """The one event store the contexts' applications share (its factory and recorder)."""

    factory: InfrastructureFactory[Any]
    recorder: ApplicationRecorder


class LedgerCore(Application[UUID]):
    """Loads and saves the ledger's records; every command of every context goes through here."""

    # Fixes the event store's table names (hazardledger_events): never change it.
    name = "HazardLedger"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.name = LedgerCore.name  # every context's application reads and writes the same store

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        shared_store: SharedStore | None = None,
        reference: ReferenceData | None = None,
        rules: LedgerRules | None = None,
        clock: Clock | None = None,
        evidence: EvidenceStore | None = None,
    ) -> None:
        self._shared_store = shared_store
        super().__init__(env)
        self.reference = reference or load_reference()
        self.rules = rules or self.reference.rules
        self.clock = clock or SystemClock()
        self.evidence = evidence or InMemoryEvidenceStore()

    def construct_factory(self, env: Environment) -> InfrastructureFactory[Any]:
        return self._shared_store.factory if self._shared_store else super().construct_factory(env)

    def construct_recorder(self) -> ApplicationRecorder:
        return self._shared_store.recorder if self._shared_store else super().construct_recorder()

    @property
    def shared_store(self) -> SharedStore:
        return SharedStore(self.factory, self.recorder)

    def construct_transcoder(self) -> Transcoder:
        transcoder = LedgerTranscoder()
        self.register_transcodings(transcoder)  # the library's: UUID, Decimal, datetime
        register_transcodings(transcoder)
        return transcoder

    # ----- plumbing ---------------------------------------------------------------------------

    def events_of_type(self, event_class: type[Any]) -> Iterator[Any]:
        """Every stored event of ``event_class`` in log order, decoded (not loaded as a record): a scan of the
        log restricted to its topic, a page at a time."""
        topic = event_class.TOPIC
        start = 1
        while True:
            page = self.recorder.select_notifications(start, _SCAN_PAGE, topics=[topic])
            yield from (self.mapper.to_domain_event(n) for n in page)
            if len(page) < _SCAN_PAGE:
                return
            start = page[-1].id + 1

    def _when(self, occurred_at: datetime | None) -> datetime:
        return check_occurred_at(occurred_at, self.clock.now(), self.rules.backdate_days)

    def _load(self, cls: type[T], record_id: UUID, expected_version: int | None = None) -> T:
        unit = current_unit_of_work()
        record = unit.staged.get(record_id) if unit is not None and unit.staged is not None else None
        try:
            record = record or self.repository.get(record_id, projector_func=replay)
        except AggregateNotFoundError:
            raise DomainError(cls.not_found_code, id=str(record_id)) from None
        if not isinstance(record, cls):
            raise DomainError(cls.not_found_code, id=str(record_id))
        if expected_version is not None and record.version != expected_version:
            raise DomainError("version_conflict", expected=expected_version, actual=record.version)
        return record

    def _save(self, record: LedgerAggregate) -> Receipt:
        """Stores the one record a command changed, in one transaction with what the command's unit of
        work adds (``domain/unit_of_work.py``); raises the store's ``IntegrityError`` on a conflict."""
        unit = current_unit_of_work()
        if unit is not None and unit.staged is not None:
            unit.staged.setdefault(record.id, record)
            return Receipt(record.id, record.version)
        return self._save_all(unit, record)

    def _save_all(self, unit: UnitOfWork | None, *records: LedgerAggregate) -> Receipt:
        recordings = self.save(*records, **(unit.store_with if unit else {}))
        position = max((r.notification.id for r in recordings), default=None)
        if unit is not None:
            unit.position = position
        return Receipt(records[-1].id, records[-1].version, position)

    def store_staged(self, unit: UnitOfWork) -> Receipt | None:
        """Stores every record the staging ``unit`` changed, in one transaction (None: nothing changed);
        a record changed meanwhile by someone else fails the whole (the store's ``IntegrityError``)."""
        records = list((unit.staged or {}).values())
        if not records:
            return None
        try:
            return self._save_all(unit, *records)
        except IntegrityError:
            for record_id, (exists_code, details) in unit.created.items():
                if self._stored(record_id):
                    raise DomainError(exists_code, **details) from None
            raise  # a record changed meanwhile by someone else

    def _store(self, record: LedgerAggregate) -> Receipt:
        try:
            return self._save(record)
        except IntegrityError:
            # Someone else appended to the same record since we loaded it (optimistic concurrency).
            raise DomainError("version_conflict", expected="?", actual="?") from None

    def _create(self, record: LedgerAggregate, exists_code: str, **details: Any) -> Receipt:
        """Stores a new record whose id derives from its natural key (credit code, case number, key id,
        trigger): the store refuses a second one, which is reported as ``exists_code``."""
        unit = current_unit_of_work()
        if unit is not None and unit.staged is not None:
            if record.id in unit.staged:
                raise DomainError(exists_code, **details)
            unit.created[record.id] = (exists_code, details)  # a stored one is refused when the unit stores
        try:
            return self._save(record)
        except IntegrityError:
            if self._stored(record.id):
                raise DomainError(exists_code, **details) from None
            raise  # not the record: something else in the transaction (the pipeline's idempotency record)

    def _stored(self, record_id: UUID) -> bool:
        return bool(list(self.repository.event_store.get(record_id, lte=1)))

    def history(self, record_id: UUID) -> list[dict[str, Any]]:
        """Every event of one record (hazard, inspection or enterprise), oldest first."""
        events = list(self.repository.event_store.get(record_id))
        if not events:
            raise DomainError("record_not_found", id=str(record_id))
        return [event_view(e) for e in events]
