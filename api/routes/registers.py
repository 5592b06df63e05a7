"""Accidents (生产安全事故), risk points with their four lists (4个清单), outstanding problems (突出问题)
and the activities of reporting units (Annex 1 / Annex 2 work items)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.commands import Headers, add_action, run_command
from api.deps import ServicesDep
from api.lists import add_list
from api.reads import Reads
from api.schemas import registers as s
from api.schemas.records import Receipt
from domain.commands import accidents as accident_commands
from domain.commands import risks as risk_commands
from domain.commands import work_logs as work_log_commands
from domain.commands.base import Command
from domain.glossary import Register
from domain.risk_point import EmergencySupply, HazardCharacteristics

accidents = APIRouter(prefix="/accidents", tags=["accidents"])
risk_points = APIRouter(prefix="/risk-points", tags=["risk points"])
problems = APIRouter(prefix="/problems", tags=["outstanding problems"])
units = APIRouter(prefix="/units", tags=["reporting units"])
for _router, _register in ((accidents, Register.ACCIDENTS), (risk_points, Register.RISK_POINTS), (problems, Register.PROBLEMS)):
    add_list(_router, _register)


def _fields(body: Any) -> dict[str, Any]:
    """The command's fields, with nested bodies as the domain's value objects."""
    fields = dict(body)
    if fields.get("characteristics") is not None:
        c = fields["characteristics"]
        fields["characteristics"] = HazardCharacteristics(
            accident_types=tuple(c.accident_types), max_casualties=c.max_casualties,
            max_direct_loss_yuan=c.max_direct_loss_yuan, social_impact=c.social_impact,
        )  # fmt: skip
    if "supplies" in fields:
        fields["supplies"] = [EmergencySupply(**supply.model_dump()) for supply in fields["supplies"]]
    return fields


def _create(command: type[Command], body: Any, headers: Headers, request: Request, services: ServicesDep) -> JSONResponse:
    return run_command(services, headers, request, body, command(**_fields(body)), 201)


def _actions(router: APIRouter, id_name: str, table: tuple[tuple[str, type, str, type[Command]], ...]) -> None:
    for path, body_class, summary, command in table:
        add_action(
            router, id_name, path, body_class, summary,
            lambda _, rid, b, command=command: command(**{id_name: rid}, **_fields(b)),
        )  # fmt: skip


# ----- accidents -----------------------------------------------------------------------------


@accidents.post("", status_code=201, response_model=Receipt)
def report_accident(body: s.AccidentIn, headers: Headers, request: Request, services: ServicesDep) -> JSONResponse:
    """Report an accident: grade, casualties, direct loss, liability."""
    return _create(accident_commands.ReportAccident, body, headers, request, services)


@accidents.get("/{accident_id}")
def get_accident(accident_id: UUID, reads: Reads) -> dict[str, Any]:
    """One accident, with the units it counts for."""
    return reads.accident(accident_id)


_actions(accidents, "accident_id", (
    ("listing", s.AccidentListingIn, "List the accident for supervision (挂牌督办) by a government level",
     accident_commands.ListAccident),
    ("investigation", s.InvestigationIn, "Record the investigation's conclusion (liability, persons)",
     accident_commands.ConcludeInvestigation),
))  # fmt: skip


# ----- risk points ---------------------------------------------------------------------------


@risk_points.post("", status_code=201, response_model=Receipt)
def register_risk_point(body: s.RiskPointIn, headers: Headers, request: Request, services: ServicesDep) -> JSONResponse:
    """Register a major risk point (重大安全风险, Annex 3) with its basic information."""
    return _create(risk_commands.RegisterRiskPoint, body, headers, request, services)


@risk_points.get("/{risk_point_id}")
def get_risk_point(risk_point_id: UUID, reads: Reads) -> dict[str, Any]:
    """One risk point: its four lists, whether it is controlled, what is missing."""
    return reads.risk_point(risk_point_id)


_actions(risk_points, "risk_point_id", (
    ("basic-info", s.BasicInfoIn, "File list 一: basic information (重大风险基础信息清单)", risk_commands.ListBasicInfo),
    ("responsibility", s.ResponsibilityIn, "File list 二: responsibility (责任分工信息清单)", risk_commands.ListResponsibility),
    ("control-measures", s.ControlMeasuresIn, "File list 三: control measures (防控措施清单)", risk_commands.ListControlMeasures),
    ("emergency", s.EmergencyIn, "File list 四: emergency response (应急处置清单)", risk_commands.ListEmergency),
))  # fmt: skip


# ----- outstanding problems ------------------------------------------------------------------


@problems.post("", status_code=201, response_model=Receipt)
def identify_problem(body: s.ProblemIn, headers: Headers, request: Request, services: ServicesDep) -> JSONResponse:
    """Identify an outstanding problem (梳理突出问题)."""
    return _create(risk_commands.IdentifyProblem, body, headers, request, services)


@problems.get("/{problem_id}")
def get_problem(problem_id: UUID, reads: Reads) -> dict[str, Any]:
    """One outstanding problem."""
    return reads.problem(problem_id)


_actions(problems, "problem_id", (
    ("root-cause-measure", s.RootCauseIn, "Adopt a root-cause measure (治本措施)", risk_commands.AdoptRootCauseMeasure),
    ("rectification", s.ProblemRectificationIn, "Record the problem rectified (已整改)", risk_commands.RectifyProblem),
))  # fmt: skip


# ----- reporting units -----------------------------------------------------------------------


@units.post("/{unit_id}/activities", response_model=Receipt)
def record_activity(unit_id: str, body: s.ActivityIn, headers: Headers, request: Request, services: ServicesDep) -> JSONResponse:
    """Record a typed activity of the unit (study sessions, supervision teams, expert services, rewards, …)."""
    command = work_log_commands.RecordActivity(unit_id=unit_id, **_fields(body))
    return run_command(services, headers, request, body, command)


@units.get("/{unit_id}/work-log")
def work_log(unit_id: str, reads: Reads) -> dict[str, Any]:
    """The unit's recorded activities (the unit itself and the district)."""
    return reads.work_log(unit_id)
