"""Commands and queries of official documents (文书): issue a numbered document from a record's events,
record its delivery (送达) and receipt (签收), render it again and verify it against the stored SHA-256.

The PDF and DOCX files are made by a renderer the edge wires in (``adapters/documents.py`` via
``app/wiring.py``): the domain decides what a document says (``domain/document.py``), never how it looks.
"""

from __future__ import annotations

import hashlib
import random
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from domain.access import check_role, check_scope
from domain.actor import Actor
from domain.business_time import business_date
from domain.document import (
    KIND_SOURCE,
    Document,
    DocumentContent,
    DocumentNumbering,
    SourceKind,
    document_content,
    document_number,
    issuable_kinds,
    may_issue,
    numbering_id_for,
    series_of,
)
from domain.enforcement import EnforcementCase
from domain.enterprise import Enterprise
from domain.errors import DomainError
from domain.glossary import DeliveryMethod, DocumentKind, OrgKind, Role
from domain.hazard import Hazard
from domain.inputs import term
from domain.services.core import LedgerCore, Receipt
from domain.unit_of_work import current as current_unit_of_work
from domain.unit_warning import UnitWarning
from domain.views import plain

# How often an issue tries when another issue took the same number first (then it is refused clearly), and
# how long it waits before trying again: a random time below a bound that doubles from NUMBER_BACKOFF up to
# NUMBER_BACKOFF_MAX seconds. Issuers who collided would collide again if they all retried at once (each
# renders its PDF between taking the number and storing it); the jitter spreads them out.
NUMBER_ATTEMPTS = 12
NUMBER_BACKOFF = 0.01
NUMBER_BACKOFF_MAX = 0.5


def number_backoff(attempt: int) -> float:
    """The wait before the try after ``attempt`` (0: the first) failed to store its number."""
    return random.uniform(0, min(NUMBER_BACKOFF_MAX, NUMBER_BACKOFF * 2**attempt))


# Issuers of one series in this process take turns (a number is taken, its PDF rendered and both stored under
# the series' lock): they never collide with each other, only with another process's, which the retries cover.
_SERIES_LOCKS: dict[UUID, threading.RLock] = {}
_SERIES_LOCKS_GUARD = threading.Lock()


def _series_lock(numbering_id: UUID) -> threading.RLock:
    with _SERIES_LOCKS_GUARD:
        return _SERIES_LOCKS.setdefault(numbering_id, threading.RLock())


class DocumentRenderer(Protocol):
    """Makes the files of a document (wired by ``app/wiring.py``): the same arguments give the same PDF bytes."""

    def pdf(self, content: DocumentContent, *, number: str, issuing_unit: str, issued_at: datetime) -> bytes: ...

    def docx(self, content: DocumentContent, *, number: str, issuing_unit: str, issued_at: datetime) -> bytes: ...


class DocumentApplication(LedgerCore):
    renderer: DocumentRenderer | None = None

    def _renderer(self) -> DocumentRenderer:
        if self.renderer is None:
            raise RuntimeError("no document renderer is wired (app/wiring.py sets adapters.documents)")
        return self.renderer

    # ----- commands ---------------------------------------------------------------------------

    def issue_document(
        self,
        actor: Actor,
        *,
        kind: DocumentKind | str,
        record_id: UUID,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        """出具文书: ``kind`` from the record as it is now (its events up to its current version; with
        ``expected_version``, If-Match, only the version the person saw), numbered in the next number of the
        issuing unit's series for the kind and the year; the number and the ``DocumentIssued`` event are
        stored in one transaction."""
        when = self._when(occurred_at)
        check_role(actor, "issue_document")
        kind = term(DocumentKind, kind, "kind")
        if not may_issue(actor.role, kind):
            raise DomainError(
                "role_not_allowed", role=actor.role.value, role_zh=actor.role.zh,
                action=f"issue a {kind.value}", action_zh=f"出具{kind.zh}",
            )  # fmt: skip
        unit = self.reference.unit(actor.organisation_id)
        source_kind = KIND_SOURCE[kind]
        version, addressee, addressee_id = self._source(actor, source_kind, record_id, expected_version)
        events = list(self.repository.event_store.get(record_id, lte=version))
        content = document_content(kind, events, addressee)
        series, year = series_of(unit, kind), business_date(when).year
        renderer = self._renderer()
        for attempt in range(NUMBER_ATTEMPTS):
            with _series_lock(numbering_id_for(unit.id, kind, year)):
                numbering, stored = self._numbering(actor, when, unit.id, kind, year, series)
                sequence = numbering.assign(actor, when)
                number = document_number(series, year, sequence)
                pdf = renderer.pdf(content, number=number, issuing_unit=unit.name, issued_at=when)
                document = Document(
                    actor=actor, occurred_at=when, kind=kind.value, number=number, series=series, year=year,
                    sequence=sequence, numbering_id=numbering.id, issuing_unit=unit.id, issuing_unit_name=unit.name,
                    source_kind=source_kind, source_id=record_id, source_version=version, addressee=addressee,
                    addressee_id=addressee_id, sha256=hashlib.sha256(pdf).hexdigest(),
                )  # fmt: skip
                try:
                    return self._save_together(document, numbering)
                except IntegrityError:
                    if self._numbering_version(numbering.id) == stored:
                        raise  # not the number: something else in the transaction (the pipeline's idempotency record)
            time.sleep(number_backoff(attempt))  # another process took it: wait a little, outside the turn
        raise DomainError("document_number_conflict", series=f"{series}〔{year}〕")

    def deliver_document(
        self,
        actor: Actor,
        document_id: UUID,
        *,
        method: DeliveryMethod | str,
        recipient: str,
        note: str = "",
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        """送达: the issuing unit (or the 区安委办) records how and to whom the document was delivered."""
        when = self._when(occurred_at)
        check_role(actor, "deliver_document")
        document = self._load(Document, document_id, expected_version)
        self._check_issuer_side(actor, document)
        document.deliver(actor, when, term(DeliveryMethod, method, "method"), recipient, note)
        return self._store(document)

    def receive_document(
        self,
        actor: Actor,
        document_id: UUID,
        *,
        received_by: str,
        note: str = "",
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        """签收: the addressee signs for it (or the issuing unit records the paper receipt)."""
        when = self._when(occurred_at)
        check_role(actor, "receive_document")
        document = self._load(Document, document_id, expected_version)
        if actor.is_enterprise:
            if actor.organisation_id != document.addressee_id:
                raise DomainError("document_not_addressee", addressee=document.addressee)
        elif actor.organisation_id != document.addressee_id:
            self._check_issuer_side(actor, document, receipt=True)
        document.receive(actor, when, received_by, note)
        return self._store(document)

    # ----- plumbing ---------------------------------------------------------------------------

    def _check_issuer_side(self, actor: Actor, document: Document, receipt: bool = False) -> None:
        if actor.organisation_id == document.issuing_unit or actor.role is Role.COMMITTEE_OFFICE:
            return
        if receipt:
            raise DomainError("document_not_addressee", addressee=document.addressee)
        raise DomainError("outside_scope", organisation=actor.organisation_name or actor.organisation_id)

    def _source(self, actor: Actor, source_kind: str, record_id: UUID, expected: int | None) -> tuple[int, str, str]:
        """The source record's version (``expected``: refused if it moved on), the addressee's name and id;
        refuses an actor outside its scope."""
        if source_kind == SourceKind.HAZARD:
            hazard = self._load(Hazard, record_id, expected)
            check_scope(actor, self.reference, enterprise_id=hazard.enterprise_id, sector=hazard.sector,
                        jurisdiction=hazard.jurisdiction, department=hazard.department)  # fmt: skip
            enterprise = self._load(Enterprise, hazard.enterprise_id)
            return hazard.version, enterprise.name, str(enterprise.id)
        if source_kind == SourceKind.CASE:
            case = self._load(EnforcementCase, record_id, expected)
            enterprise = self._load(Enterprise, case.enterprise_id)
            check_scope(actor, self.reference, enterprise_id=enterprise.id, sector=enterprise.sector,
                        jurisdiction=enterprise.jurisdiction, department=case.department)  # fmt: skip
            return case.version, enterprise.name, str(enterprise.id)
        warning = self._load(UnitWarning, record_id, expected)
        addressed = self.reference.unit(warning.unit_id)
        if actor.organisation_kind is not OrgKind.COMMITTEE_OFFICE:
            raise DomainError("outside_scope", organisation=actor.organisation_name or actor.organisation_id)
        return warning.version, addressed.name, addressed.id

    def _numbering(
        self, actor: Actor, when: datetime, unit_id: str, kind: DocumentKind, year: int, series: str
    ) -> tuple[DocumentNumbering, int]:
        """The series' stream and its stored version (0: opened now, stored with the first number)."""
        try:
            numbering = self._load(DocumentNumbering, numbering_id_for(unit_id, kind, year))
            return numbering, numbering.version
        except DomainError:
            opened = DocumentNumbering(actor=actor, occurred_at=when, unit_id=unit_id, kind=kind.value, year=year, series=series)
            return opened, 0

    def _numbering_version(self, numbering_id: UUID) -> int:
        last = list(self.repository.event_store.get(numbering_id, desc=True, limit=1))
        return last[0].originator_version if last else 0

    def _save_together(self, *records: Any) -> Receipt:
        """Stores the document and its numbering stream in one transaction (with the unit of work's extras); the
        document first: the idempotency record names the first record stored (``adapters/idempotency.py``)."""
        unit = current_unit_of_work()
        recordings = self.save(*records, **(unit.store_with if unit else {}))
        position = max((r.notification.id for r in recordings), default=None)
        if unit is not None:
            unit.position = position
        return Receipt(records[0].id, records[0].version, position)

    # ----- reads ------------------------------------------------------------------------------

    def document(self, document_id: UUID) -> dict[str, Any]:
        d = self._load(Document, document_id)
        return {
            "id": str(d.id),
            "version": d.version,
            "kind": d.kind.value,
            "kind_zh": d.kind.zh,
            "number": d.number,
            "series": d.series,
            "year": d.year,
            "sequence": d.sequence,
            "issuing_unit": d.issuing_unit,
            "issuing_unit_name": d.issuing_unit_name,
            "source_kind": d.source_kind,
            "source_id": str(d.source_id),
            "source_version": d.source_version,
            "addressee": d.addressee,
            "addressee_id": d.addressee_id,
            "sha256": d.sha256,
            "issued_at": plain(d.issued_at),
            "issued_by": plain(d.issued_by),
            "deliveries": [
                {
                    "method": x.method.value, "method_zh": x.method.zh, "recipient": x.recipient,
                    "delivered_at": plain(x.delivered_at), "delivered_by": plain(x.delivered_by), "note": x.note,
                }  # fmt: skip
                for x in d.deliveries
            ],
            "received": d.received_at is not None,
            "received_by": d.received_by,
            "received_at": plain(d.received_at),
            "receipt_recorded_by": plain(d.receipt_recorded_by),
        }

    def issuable(self, actor: Actor, record_id: UUID) -> list[DocumentKind]:
        """The kinds ``actor`` may issue now from the record (``domain.document.issuable_kinds``)."""
        return issuable_kinds(actor.role, list(self.repository.event_store.get(record_id)))

    def issued_events(self) -> Iterator[Any]:
        """Every ``DocumentIssued`` event in log order, decoded: a scan of the log restricted to that topic."""
        return self.events_of_type(Document.DocumentIssued)

    def documents(
        self, *, record_id: UUID | None = None, kind: DocumentKind | None = None, unit: str | None = None
    ) -> list[dict[str, Any]]:
        """Issued documents, oldest first, filtered by source record, kind and issuing unit."""
        rows = []
        for e in self.issued_events():
            if record_id is not None and e.source_id != record_id:
                continue
            if kind is not None and e.kind != kind.value:
                continue
            if unit is not None and e.issuing_unit != unit:
                continue
            rows.append({
                "id": str(e.originator_id), "kind": e.kind, "kind_zh": DocumentKind(e.kind).zh, "number": e.number,
                "issuing_unit": e.issuing_unit, "issuing_unit_name": e.issuing_unit_name, "source_kind": e.source_kind,
                "source_id": str(e.source_id), "source_version": e.source_version, "addressee": e.addressee,
                "addressee_id": e.addressee_id, "issued_at": plain(e.occurred_at), "sha256": e.sha256,
            })  # fmt: skip
        return rows

    def render(self, document_id: UUID, fmt: str) -> tuple[Document, bytes]:
        """The document's file (``pdf`` or ``docx``), rendered again from the source record's events up to
        the version it was issued from."""
        d = self._load(Document, document_id)
        events = list(self.repository.event_store.get(d.source_id, lte=d.source_version))
        content = document_content(d.kind, events, d.addressee)
        make = self._renderer().pdf if fmt == "pdf" else self._renderer().docx
        return d, make(content, number=d.number, issuing_unit=d.issuing_unit_name, issued_at=d.issued_at)

    def verify(self, document_id: UUID) -> dict[str, Any]:
        """Re-renders the PDF from the stored events and compares its SHA-256 with the one issued."""
        d, pdf = self.render(document_id, "pdf")
        again = hashlib.sha256(pdf).hexdigest()
        return {"id": str(d.id), "number": d.number, "sha256": d.sha256, "rendered_sha256": again, "verified": again == d.sha256}
