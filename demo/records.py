"""The demo's planning records (enterprises, inspections, hazards, cases … as planned, with the ids
the ledger gives them) and the tiny evidence payloads (PNG, JPEG, PDF) its steps attach."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from uuid import UUID

from domain.actor import Actor
from domain.business_time import CHINA_TZ
from domain.enterprise import enterprise_id_for
from domain.glossary import (
    Grade,
    HazardSource,
    HazardState,
    InspectionKind,
    InspectionMethod,
)
from domain.ledger import Receipt

S = HazardState
M, G = Grade.MAJOR, Grade.GENERAL


# ---------------------------------------------------------------------------------------------
# Planning structures
# ---------------------------------------------------------------------------------------------


@dataclass
class _Enterprise:
    index: int
    credit_code: str
    name: str
    sector: str
    jurisdiction: str
    address: str
    high_risk: bool
    principal: Actor
    safety: Actor
    lat: float
    lon: float

    @property
    def id(self) -> UUID:
        return enterprise_id_for(self.credit_code)


@dataclass
class _Inspection:
    key: str
    enterprise: _Enterprise
    recorder: Actor
    team: list[Actor]
    kind: InspectionKind
    method: InspectionMethod
    scope: list[str]
    when: datetime
    led_by_principal: bool = False
    id: UUID | None = None
    findings_done: datetime | None = None  # the last finding: spot-check deficiencies follow it
    signed_at: datetime | None = None  # the last signature


@dataclass
class _Hazard:
    key: str
    enterprise: _Enterprise
    department: str
    grade: Grade
    source: HazardSource
    item: str
    description: str
    criterion: str
    measures: str
    location: str
    t0: datetime
    reporter: Actor
    existed_since: date | None = None
    inspection: _Inspection | None = None
    target: HazardState = S.CLOSED
    flags: set[str] = field(default_factory=set)
    listing_at: datetime | None = None
    listing_number: str = ""
    times: list[tuple[str, datetime]] = field(default_factory=list)  # the planned lifecycle
    id: UUID | None = None


@dataclass
class _Accident:
    key: str
    enterprise: _Enterprise | None
    id: UUID | None = None


@dataclass(frozen=True)
class _Next:
    """A document number (案号, 决定书文号) taken when its step runs, so that each series rises with
    business time whatever order the story was planned in."""

    series: str
    gap: int


@dataclass
class _Case:
    key: str
    series: _Next
    unit: str
    enterprise: _Enterprise
    officer: Actor
    hazards: list[_Hazard]
    accidents: list[_Accident]
    number: str = ""  # 案号, given when the case is opened
    decisions: list[str] = field(default_factory=list)  # decision numbers, as issued
    id: UUID | None = None


@dataclass
class _Record:
    """A publication batch, risk point or outstanding problem of the plan."""

    key: str
    id: UUID | None = None


@dataclass(order=True)
class _Step:
    when: datetime
    seq: int
    label: str = field(compare=False)
    run: Callable[[], Receipt] = field(compare=False, repr=False)


def _at(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=CHINA_TZ)


def _png(rgb: tuple[int, int, int], text: str) -> bytes:
    """A valid 1x1 PNG carrying a UTF-8 description (iTXt)."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    itxt = b"Description\x00\x00\x00\x00\x00" + text.encode("utf-8")
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"iTXt", itxt)
        + chunk(b"IDAT", zlib.compress(b"\x00" + bytes(rgb)))
        + chunk(b"IEND", b"")
    )


def _jpeg(text: str) -> bytes:
    """A JPEG-like payload: SOI, JFIF APP0, a comment segment with the text, EOI."""
    comment = text.encode("utf-8")[:60000]
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return (
        b"\xff\xd8"
        + b"\xff\xe0"
        + struct.pack(">H", len(app0) + 2)
        + app0
        + b"\xff\xfe"
        + struct.pack(">H", len(comment) + 2)
        + comment
        + b"\xff\xd9"
    )


def _pdf(title: str, lines: list[str]) -> bytes:
    body = "\n".join(["%PDF-1.4", f"% {title}", *(f"% {line}" for line in lines), "%%EOF", ""])
    return body.encode("utf-8")
