"""Plain (JSON-ready) views of aggregates and events: what queries return, never aggregates."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from enum import Enum
from typing import Any
from uuid import UUID

from domain.glossary import EVENT_LABELS

# Envelope fields of a stored event; the rest is the event's own payload.
_ENVELOPE = {"originator_id", "originator_version", "timestamp", "originator_topic", "actor", "occurred_at"}


_ALREADY_PLAIN = frozenset({str, int, float, bool})


def plain(value: Any) -> Any:
    """Recursively turns dataclasses, UUIDs, dates, enums and bytes (as hex) into JSON types."""
    if value is None or type(value) in _ALREADY_PLAIN:  # most values: no further checks (rebuilds call this a lot)
        return value
    if isinstance(value, bytes | bytearray):
        return value.hex()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def event_view(domain_event: Any) -> dict[str, Any]:
    """One event as a timeline entry: what, when (business and recorded time), who, and the payload."""
    name = type(domain_event).__name__
    payload = {f.name: plain(getattr(domain_event, f.name)) for f in dataclasses.fields(domain_event) if f.name not in _ENVELOPE}
    return {
        "version": domain_event.originator_version,
        "type": name,
        "label_zh": EVENT_LABELS.get(name, name),
        "occurred_at": plain(domain_event.occurred_at),
        "recorded_at": plain(domain_event.timestamp),
        "actor": plain(domain_event.actor),
        "data": payload,
    }
