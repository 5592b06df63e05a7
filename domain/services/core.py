"""The ledger's plumbing: one event store, the clock, rule settings, loading and saving records.

Each area's commands live beside it in ``domain/services/``; ``domain/ledger.py`` puts them together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, Transcoder

from domain.aggregate_base import LedgerAggregate
from domain.business_time import Clock, SystemClock, check_occurred_at
from domain.errors import DomainError
from domain.evidence import EvidenceStore, InMemoryEvidenceStore
from domain.reference_data import LedgerRules, ReferenceData, load_reference
from domain.transcodings import LedgerTranscoder, register_transcodings
from domain.views import event_view

T = TypeVar("T", bound=LedgerAggregate)


@dataclass(frozen=True)
class Receipt:
    """What a command returns: the record's id and its new version."""

    id: UUID
    version: int


class LedgerCore(Application[UUID]):
    """Loads and saves the ledger's records; every command of every area goes through here."""

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        reference: ReferenceData | None = None,
        rules: LedgerRules | None = None,
        clock: Clock | None = None,
        evidence: EvidenceStore | None = None,
    ) -> None:
        super().__init__(env)
        self.reference = reference or load_reference()
        self.rules = rules or self.reference.rules
        self.clock = clock or SystemClock()
        self.evidence = evidence or InMemoryEvidenceStore()

    def construct_transcoder(self) -> Transcoder:
        transcoder = LedgerTranscoder()
        self.register_transcodings(transcoder)  # the library's: UUID, Decimal, datetime
        register_transcodings(transcoder)
        return transcoder

    # ----- plumbing ---------------------------------------------------------------------------

    def _when(self, occurred_at: datetime | None) -> datetime:
        return check_occurred_at(occurred_at, self.clock.now(), self.rules.backdate_days)

    def _load(self, cls: type[T], record_id: UUID, expected_version: int | None = None) -> T:
        try:
            record = self.repository.get(record_id)
        except AggregateNotFoundError:
            raise DomainError(cls.not_found_code, id=str(record_id)) from None
        if not isinstance(record, cls):
            raise DomainError(cls.not_found_code, id=str(record_id))
        if expected_version is not None and record.version != expected_version:
            raise DomainError("version_conflict", expected=expected_version, actual=record.version)
        return record

    def _store(self, *records: LedgerAggregate) -> None:
        try:
            self.save(*records)
        except IntegrityError:
            # Someone else appended to the same record since we loaded it (optimistic concurrency).
            raise DomainError("version_conflict", expected="?", actual="?") from None

    def history(self, record_id: UUID) -> list[dict[str, Any]]:
        """Every event of one record (hazard, inspection or enterprise), oldest first."""
        events = list(self.repository.event_store.get(record_id))
        if not events:
            raise DomainError("record_not_found", id=str(record_id))
        return [event_view(e) for e in events]
