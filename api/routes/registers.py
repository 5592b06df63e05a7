"""Accidents (生产安全事故), risk points with their four lists (4个清单), outstanding problems (突出问题)
and the activities of reporting units (Annex 1 / Annex 2 work items)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.commands import Command, ReceiptOut, add_action, common
from api.deps import IdempotencyDep, ServicesDep
from api.schemas import registers as s
from domain.risk_point import EmergencySupply, HazardCharacteristics

accidents = APIRouter(prefix="/accidents", tags=["accidents"])
risk_points = APIRouter(prefix="/risk-points", tags=["risk points"])
problems = APIRouter(prefix="/problems", tags=["outstanding problems"])
units = APIRouter(prefix="/units", tags=["reporting units"])


def _fields(body: Any) -> dict[str, Any]:
    """The command's keyword arguments, with nested bodies as the domain's value objects."""
    fields = {name: getattr(body, name) for name in type(body).model_fields if name != "occurred_at"}
    if fields.get("characteristics") is not None:
        c = fields["characteristics"]
        fields["characteristics"] = HazardCharacteristics(
            accident_types=tuple(c.accident_types), max_casualties=c.max_casualties,
            max_direct_loss_yuan=c.max_direct_loss_yuan, social_impact=c.social_impact,
        )  # fmt: skip
    if "supplies" in fields:
        fields["supplies"] = [EmergencySupply(**supply.model_dump()) for supply in fields["supplies"]]
    return fields


def _create(method: str, body: Any, ctx: Any, request: Request, services: Any, idem: Any) -> JSONResponse:
    act = getattr(services.ledger, method)
    return idem.run(ctx, request, body, lambda: act(ctx.actor, occurred_at=body.occurred_at, **_fields(body)), 201)


def _actions(router: APIRouter, id_name: str, table: tuple[tuple[str, type, str, str], ...]) -> None:
    for path, body_class, summary, method in table:
        add_action(
            router, id_name, path, body_class, summary,
            lambda ledger, ctx, rid, b, m=method: getattr(ledger, m)(ctx.actor, rid, **_fields(b), **common(ctx, b)),
        )  # fmt: skip


# ----- accidents -----------------------------------------------------------------------------


@accidents.post("", status_code=201, response_model=ReceiptOut)
def report_accident(
    body: s.AccidentIn, ctx: Command, request: Request, services: ServicesDep, idem: IdempotencyDep
) -> JSONResponse:
    """Report an accident: grade, casualties, direct loss, liability."""
    return _create("report_accident", body, ctx, request, services, idem)


@accidents.get("/{accident_id}")
def get_accident(accident_id: UUID, services: ServicesDep) -> dict[str, Any]:
    """One accident, with the units it counts for."""
    return services.ledger.accidents.accident(accident_id)


_actions(accidents, "accident_id", (
    ("listing", s.AccidentListingIn, "List the accident for supervision (挂牌督办) by a government level", "list_accident"),
    ("investigation", s.InvestigationIn, "Record the investigation's conclusion (liability, persons)", "conclude_investigation"),
))  # fmt: skip


# ----- risk points ---------------------------------------------------------------------------


@risk_points.post("", status_code=201, response_model=ReceiptOut)
def register_risk_point(
    body: s.RiskPointIn, ctx: Command, request: Request, services: ServicesDep, idem: IdempotencyDep
) -> JSONResponse:
    """Register a major risk point (重大安全风险, Annex 3) with its basic information."""
    return _create("register_risk_point", body, ctx, request, services, idem)


@risk_points.get("/{risk_point_id}")
def get_risk_point(risk_point_id: UUID, services: ServicesDep) -> dict[str, Any]:
    """One risk point: its four lists, whether it is controlled, what is missing."""
    return services.ledger.risks.risk_point(risk_point_id)


_actions(risk_points, "risk_point_id", (
    ("basic-info", s.BasicInfoIn, "File list 一: basic information (重大风险基础信息清单)", "list_basic_info"),
    ("responsibility", s.ResponsibilityIn, "File list 二: responsibility (责任分工信息清单)", "list_responsibility"),
    ("control-measures", s.ControlMeasuresIn, "File list 三: control measures (防控措施清单)", "list_control_measures"),
    ("emergency", s.EmergencyIn, "File list 四: emergency response (应急处置清单)", "list_emergency"),
))  # fmt: skip


# ----- outstanding problems ------------------------------------------------------------------


@problems.post("", status_code=201, response_model=ReceiptOut)
def identify_problem(
    body: s.ProblemIn, ctx: Command, request: Request, services: ServicesDep, idem: IdempotencyDep
) -> JSONResponse:
    """Identify an outstanding problem (梳理突出问题)."""
    return _create("identify_problem", body, ctx, request, services, idem)


@problems.get("/{problem_id}")
def get_problem(problem_id: UUID, services: ServicesDep) -> dict[str, Any]:
    """One outstanding problem."""
    return services.ledger.risks.problem(problem_id)


_actions(problems, "problem_id", (
    ("root-cause-measure", s.RootCauseIn, "Adopt a root-cause measure (治本措施)", "adopt_root_cause_measure"),
    ("rectification", s.ProblemRectificationIn, "Record the problem rectified (已整改)", "rectify_problem"),
))  # fmt: skip


# ----- reporting units -----------------------------------------------------------------------


@units.post("/{unit_id}/activities", response_model=ReceiptOut)
def record_activity(
    unit_id: str, body: s.ActivityIn, ctx: Command, request: Request, services: ServicesDep, idem: IdempotencyDep
) -> JSONResponse:
    """Record a typed activity of the unit (study sessions, supervision teams, expert services, rewards, …)."""
    return idem.run(
        ctx, request, body,
        lambda: services.ledger.work_logs.record_activity(ctx.actor, unit_id, **_fields(body), **common(ctx, body)),
    )  # fmt: skip


@units.get("/{unit_id}/work-log")
def work_log(unit_id: str, services: ServicesDep) -> dict[str, Any]:
    """The unit's recorded activities."""
    return services.ledger.work_logs.work_log(unit_id)
