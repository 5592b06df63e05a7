"""The one transaction a command's events are stored in, and what the command pipeline adds to it.

A command saves exactly one record (``LedgerCore._save``). The pipeline (``app/pipeline.py``) opens a
unit of work around it to put its own record in the same database transaction — the idempotency
record — and to learn the log position the events reached (read-your-writes). The domain knows
neither: it passes ``store_with`` to the event store as it is and reads back the position.
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


_current: ContextVar[UnitOfWork | None] = ContextVar("unit_of_work", default=None)


def current() -> UnitOfWork | None:
    return _current.get()


@contextmanager
def unit_of_work(store_with: Mapping[str, Any] | None = None) -> Iterator[UnitOfWork]:
    """Scopes one command (per thread and task: a context variable)."""
    unit = UnitOfWork(dict(store_with or {}))
    token = _current.set(unit)
    try:
        yield unit
    finally:
        _current.reset(token)
