"""The one command pipeline: HTTP, the CLI, the demo and imports all send commands through here.

Who acts (the ``Actor``), the version they saw (If-Match), their idempotency key, and the command —
whose handler checks role, scope, signature and rules, then appends (``domain/ledger.py``). The
idempotency record is stored in the same database transaction as the command's events
(``adapters/event_store.py``): after a crash either both exist or neither, so a retry either returns
the first result or runs the command once.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from adapters.event_store import CLAIM
from adapters.idempotency import FirstResult, IdempotencyClaim, IdempotencyStore
from domain.actor import Actor
from domain.commands.base import Command
from domain.errors import DomainError
from domain.ledger import Ledger, Receipt
from domain.unit_of_work import unit_of_work


def fingerprint(method: str, path: str, payload: Any) -> str:
    """What a request asked, for its idempotency record: the same key sent again with another request is
    refused (``idempotency_key_reused``). The API and the pages compute it alike."""
    text = json.dumps([method, path, payload], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class CommandContext:
    actor: Actor
    expected_version: int | None = None  # If-Match
    idempotency_key: str | None = None
    fingerprint: str = ""  # what the request asked; a key reused for another request is refused
    status: int = 200  # what a success answers (201 for a new record), replayed as it was


@dataclass(frozen=True)
class Outcome:
    id: UUID
    version: int
    position: int  # the log position the command reached (or, replayed, a later one)
    status: int
    replayed: bool = False


class Together:
    """The commands of one ``CommandPipeline.together`` block, run as ``actor``."""

    def __init__(self, ledger: Ledger, actor: Actor) -> None:
        self.ledger, self.actor = ledger, actor
        self.discarded = False
        self.stored: Receipt | None = None  # the last record stored, with the log position reached

    def execute(self, command: Command) -> Receipt:
        return self.ledger.execute(self.actor, command)

    def discard(self) -> None:
        """Stores nothing (a dry run)."""
        self.discarded = True


class CommandPipeline:
    def __init__(self, ledger: Ledger, idempotency: IdempotencyStore | None = None) -> None:
        """``idempotency`` None: a ledger without SQL tables (in memory), where no command carries a key."""
        self.ledger = ledger
        self.idempotency = idempotency
        self.committed = threading.Event()  # set after every stored command: wakes this process's workers

    def execute(self, command: Command, ctx: CommandContext) -> Outcome:
        key = ctx.idempotency_key
        if key is not None:
            first = self._first(ctx.actor.user_id, key)
            if first is not None:
                return self._replay(first, ctx)
        claim = IdempotencyClaim(ctx.actor.user_id, key, ctx.fingerprint, ctx.status) if key is not None else None
        try:
            with unit_of_work({CLAIM: claim} if claim else {}) as unit:
                receipt = self.ledger.execute(ctx.actor, command, expected_version=ctx.expected_version)
        except (DomainError, IntegrityError):
            # A concurrent request with the same key may have stored first: then this one is its retry.
            first = self._first(ctx.actor.user_id, key) if key is not None else None
            if first is None:
                raise
            return self._replay(first, ctx)
        self.committed.set()
        position = unit.position if unit.position is not None else self._head()
        return Outcome(receipt.id, receipt.version, position, ctx.status)

    @contextmanager
    def together(self, actor: Actor) -> Iterator[Together]:
        """Commands run through the yielded ``Together`` are checked by every rule as each runs, see what the
        earlier ones changed, and are stored all in ONE transaction when the block ends — or not at all, if it
        raises or calls ``discard``. (The ledger import: a ledger goes in whole or not at all.) No idempotency
        key: what is run together derives its records' ids from its content (``_create`` refuses a second)."""
        with unit_of_work(stage=True) as unit:
            batch = Together(self.ledger, actor)
            yield batch
            if batch.discarded:
                return
            receipt = self.ledger.store_staged(unit)
        if receipt is not None:
            self.committed.set()
            batch.stored = receipt

    def _first(self, user_id: str, key: str) -> FirstResult | None:
        if self.idempotency is None:
            raise ValueError("this pipeline keeps no idempotency records (an in-memory ledger)")
        return self.idempotency.first_result(user_id, key)

    def _replay(self, first: FirstResult, ctx: CommandContext) -> Outcome:
        if first.fingerprint != ctx.fingerprint:
            raise DomainError("idempotency_key_reused")
        if first.body is None:
            # Recorded "in progress" by the code before migrations: whether that command was stored is unknown.
            raise DomainError("idempotency_outcome_unknown")
        # The first result's events are at or before the head: reading at the head sees them.
        return Outcome(UUID(first.body["id"]), int(first.body["version"]), self._head(), first.status, replayed=True)

    def _head(self) -> int:
        return self.ledger.recorder.max_notification_id() or 0
