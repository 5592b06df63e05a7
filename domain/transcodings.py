"""Transcodings for every non-JSON type stored in events (dates, value objects, vocabulary enums),
and the ledger's transcoder: the library's JSON format, parsed faster."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import orjson
from eventsourcing.persistence import JSONTranscoder, Transcoding, TranscodingNotRegisteredError

from domain.actor import Actor
from domain.risk_point import EmergencySupply, HazardCharacteristics  # risk points
from domain.signatures import PersonalSignature  # personal signatures on signed acts
from domain.values import Person, RectificationPlan, SupervisionListing


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class DataclassAsDict(Transcoding):
    """One transcoding per frozen dataclass: fields go out as a dict and come back as the class.

    Vocabulary enums are ``StrEnum`` values, which JSON writes as their string; each dataclass
    coerces them back in ``__post_init__``. ``shared``: the same few values recur in most events
    (the acting people), so equal ones decode to one shared (frozen, hence safe) object.
    """

    def __init__(self, cls: type[Any], name: str, shared: bool = False) -> None:
        self.type = cls
        self.name = name
        self.shared: dict[tuple[Any, ...], Any] | None = {} if shared else None

    def encode(self, obj: Any) -> dict[str, Any]:
        return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}

    def decode(self, data: dict[str, Any]) -> Any:
        if self.shared is None:
            return self.type(**data)
        key = tuple(data.items())
        found = self.shared.get(key)
        if found is None:
            if len(self.shared) > 10_000:
                self.shared.clear()
            found = self.shared[key] = self.type(**data)
        return found


class LedgerTranscoder(JSONTranscoder):
    """The library's JSON format (``{"_type_": name, "_data_": …}`` for registered types), written
    by the library's encoder and parsed with orjson: reading the log is what rebuilds and audits do
    most, and the standard parser with a per-object hook was their bottleneck."""

    def decode(self, data: bytes) -> Any:
        value = orjson.loads(data)
        return self._revive(value) if type(value) in _CONTAINERS else value

    def _revive(self, value: Any) -> Any:
        # Only containers can hold a marker: scalars are returned without a call (most values are scalars).
        if type(value) is list:
            return [self._revive(v) if type(v) in _CONTAINERS else v for v in value]
        if "_type_" in value and "_data_" in value and len(value) == 2:
            try:
                transcoding = self.names[value["_type_"]]
            except KeyError:
                raise TranscodingNotRegisteredError(f"no transcoding named {value['_type_']!r}") from None
            data = value["_data_"]
            return transcoding.decode(self._revive(data) if type(data) in _CONTAINERS else data)
        return {k: self._revive(v) if type(v) in _CONTAINERS else v for k, v in value.items()}


_CONTAINERS = (dict, list)


def register_transcodings(transcoder: JSONTranscoder) -> None:
    transcoder.register(DateAsISO())
    transcoder.register(DataclassAsDict(Actor, "actor", shared=True))
    transcoder.register(DataclassAsDict(Person, "person", shared=True))
    for cls, name in (
        (RectificationPlan, "rectification_plan"),
        (SupervisionListing, "supervision_listing"),
        # risk points (Annex 3)
        (HazardCharacteristics, "hazard_characteristics"),
        (EmergencySupply, "emergency_supply"),
        # personal signatures on signed acts (domain/signatures.py)
        (PersonalSignature, "personal_signature"),
    ):
        transcoder.register(DataclassAsDict(cls, name))
