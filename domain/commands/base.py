"""What every command is: a frozen value naming what a person asks, and when it happened.

A command carries only what the person asks; who asks (the ``Actor``), the version they saw
(If-Match) and the transaction's extras (the idempotency record) come with it through the pipeline
(``app/pipeline.py``). ``domain/ledger.py`` holds the one map from command type to handler.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any


@dataclass(frozen=True, kw_only=True)
class Command:
    """A request to create a record (its id derives from the request or is new)."""

    # business time: when it happened (DESIGN §3); None means now
    occurred_at: datetime | None = None

    def arguments(self) -> dict[str, Any]:
        """The handler's keyword arguments: the fields as they are (nested values stay typed)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True, kw_only=True)
class RecordCommand(Command):
    """A request to act on an existing record: the pipeline passes the version the person saw."""
