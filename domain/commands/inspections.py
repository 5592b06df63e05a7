"""Commands of inspections (检查记录): what a person asks, as typed values."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.commands.base import Command, RecordCommand
from domain.glossary import InspectionKind, InspectionMethod, SpotCheckDeficiency
from domain.signatures import SignatureArg
from domain.values import Person


@dataclass(frozen=True, kw_only=True)
class ConductInspection(Command):
    """``InspectionApplication.conduct_inspection``."""

    enterprise_id: UUID
    kind: InspectionKind
    method: InspectionMethod
    inspectors: list[Person]
    scope: list[str]
    led_by_principal: bool = False


@dataclass(frozen=True, kw_only=True)
class RecordFinding(RecordCommand):
    """``InspectionApplication.record_finding``."""

    inspection_id: UUID
    item: str
    hazard_ids: list[UUID]
    no_major_hazard: bool = False
    note: str = ""
    signature: SignatureArg = None


@dataclass(frozen=True, kw_only=True)
class RecordDeficiencies(RecordCommand):
    """``InspectionApplication.record_deficiencies``."""

    inspection_id: UUID
    deficiencies: list[SpotCheckDeficiency]


@dataclass(frozen=True, kw_only=True)
class SignInspection(RecordCommand):
    """``InspectionApplication.sign_inspection``."""

    inspection_id: UUID
    signature: SignatureArg = None
