"""The one transaction a command's events are stored in, and what the command pipeline adds to it.

A command saves exactly one record (``LedgerCore._save``). The pipeline (``app/pipeline.py``) opens a
unit of work around it to put its own record in the same database transaction — the idempotency
record — and to learn the log position the events reached (read-your-writes). The domain knows
neither: it passes ``store_with`` to the event store as it is and reads back the position.

A unit of work that ``stages`` (``CommandPipeline.together``, used by the ledger import) keeps the
records its commands change in memory instead — each command still checked by every rule, a later
command reading the record as the earlier ones left it — and stores them all in one transaction at the
end (``LedgerCore.store_staged``), or nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any


@dataclass
class UnitOfWork:
    # keyword arguments for the event store's insert (the SQL recorders in adapters/event_store.py)
    store_with: Mapping[str, Any] = field(default_factory=dict)
    # the notification id of the last event stored, once stored
    position: int | None = None
    # records changed but not stored yet, by id, in the order first changed (None: each command stores its own)
    staged: dict[Any, Any] | None = None
    # staged records new to the store, with the refusal if the store already has one (LedgerCore._create)
    created: dict[Any, tuple[str, dict[str, Any]]] = field(default_factory=dict)


_current: ContextVar[UnitOfWork | None] = ContextVar("unit_of_work", default=None)


def current() -> UnitOfWork | None:
    return _current.get()


@contextmanager
def unit_of_work(store_with: Mapping[str, Any] | None = None, *, stage: bool = False) -> Iterator[UnitOfWork]:
    """Scopes one command, or with ``stage`` several stored together (per thread and task: a context variable)."""
    unit = UnitOfWork(dict(store_with or {}), staged={} if stage else None)
    token = _current.set(unit)
    try:
        yield unit
    finally:
        _current.reset(token)
