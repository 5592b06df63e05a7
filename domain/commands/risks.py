"""Commands of risk points (重大安全风险, 4个清单) and outstanding problems (突出问题): what a person asks, as typed values."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.commands.base import Command, RecordCommand
from domain.glossary import GovernmentMeasure
from domain.risk_point import EmergencySupply, HazardCharacteristics


@dataclass(frozen=True, kw_only=True)
class RegisterRiskPoint(Command):
    """``RiskApplication.register_risk_point``."""

    enterprise_id: UUID
    name: str
    description: str = ""
    address: str = ""
    assessed: bool = False
    characteristics: HazardCharacteristics | None = None
    sector: str | None = None
    jurisdiction: str | None = None


@dataclass(frozen=True, kw_only=True)
class ListBasicInfo(RecordCommand):
    """``RiskApplication.list_basic_info``."""

    risk_point_id: UUID
    description: str
    address: str
    assessed: bool
    characteristics: HazardCharacteristics | None


@dataclass(frozen=True, kw_only=True)
class ListResponsibility(RecordCommand):
    """``RiskApplication.list_responsibility``."""

    risk_point_id: UUID
    department: str
    department_person: str
    department_phone: str
    principal_name: str
    principal_phone: str


@dataclass(frozen=True, kw_only=True)
class ListControlMeasures(RecordCommand):
    """``RiskApplication.list_control_measures``."""

    risk_point_id: UUID
    enterprise_measures: list[str]
    government_measures: list[GovernmentMeasure]


@dataclass(frozen=True, kw_only=True)
class ListEmergency(RecordCommand):
    """``RiskApplication.list_emergency``."""

    risk_point_id: UUID
    measures: list[str]
    supplies: list[EmergencySupply]


@dataclass(frozen=True, kw_only=True)
class IdentifyProblem(Command):
    """``RiskApplication.identify_problem``."""

    description: str
    sector: str | None = None
    unit_id: str | None = None
    enterprise_id: UUID | None = None
    jurisdiction: str | None = None


@dataclass(frozen=True, kw_only=True)
class AdoptRootCauseMeasure(RecordCommand):
    """``RiskApplication.adopt_root_cause_measure``."""

    problem_id: UUID
    measure: str


@dataclass(frozen=True, kw_only=True)
class RectifyProblem(RecordCommand):
    """``RiskApplication.rectify_problem``."""

    problem_id: UUID
    note: str
