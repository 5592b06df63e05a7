"""Transcodings for every non-JSON type stored in events (dates, value objects, vocabulary enums)."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain.actor import Actor
from domain.risk_point import EmergencySupply, HazardCharacteristics  # risk points
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
    coerces them back in ``__post_init__``.
    """

    def __init__(self, cls: type[Any], name: str) -> None:
        self.type = cls
        self.name = name

    def encode(self, obj: Any) -> dict[str, Any]:
        return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}

    def decode(self, data: dict[str, Any]) -> Any:
        return self.type(**data)


def register_transcodings(transcoder: JSONTranscoder) -> None:
    transcoder.register(DateAsISO())
    for cls, name in (
        (Actor, "actor"),
        (Person, "person"),
        (RectificationPlan, "rectification_plan"),
        (SupervisionListing, "supervision_listing"),
        # risk points (Annex 3)
        (HazardCharacteristics, "hazard_characteristics"),
        (EmergencySupply, "emergency_supply"),
    ):
        transcoder.register(DataclassAsDict(cls, name))
