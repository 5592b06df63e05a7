"""The accountability trail (谁检查、谁签名、谁负责): accountability decisions (责任倒查、追责问责), each
hazard's chain of people, each person's acts and signatures, and the anomaly lists."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from api.commands import Headers, run_command
from api.deps import AccountabilityRead, ProcessFactsRead, ServicesDep
from api.identity import CurrentActor
from api.reads import Reads
from api.routes.reports import KnownAt
from api.schemas.accountability import AccountabilityIn
from api.schemas.records import Receipt
from app.reports import known
from domain.commands.accountability import PursueAccountability
from domain.read_scope import report_unit
from projections.accountability_queries import KINDS

router = APIRouter(prefix="/accountability", tags=["accountability"])


@router.post("/cases", status_code=201, response_model=Receipt)
def pursue_accountability(
    body: AccountabilityIn, headers: Headers, request: Request, services: ServicesDep
) -> JSONResponse:
    """Record an accountability decision (责任倒查、追责问责): grounds, persons, measures, deciding unit."""
    fields = body.model_dump(exclude={"persons"})
    command = PursueAccountability(persons=[p.model_dump() for p in body.persons], **fields)
    return run_command(services, headers, request, body, command, status=201)


@router.get("/cases/{case_id}")
def get_accountability_case(case_id: UUID, reads: Reads) -> dict[str, Any]:
    """One accountability decision."""
    return reads.accountability_case(case_id)


@router.get("/hazards/{hazard_id}")
def hazard_chain(hazard_id: UUID, services: ServicesDep, read_at: AccountabilityRead, reads: Reads) -> dict[str, Any]:
    """The hazard's chain of people: who inspected and signed, reported, filed, claimed, verified,
    listed/lifted, closed/voided, decided — each with the event, both times, the version they saw
    and the signature."""
    reads.hazard(hazard_id)
    return services.accountability_queries.hazard_chain(str(hazard_id))


@router.get("/people/{user_id}")
def person(user_id: str, services: ServicesDep, read_at: AccountabilityRead, reads: Reads) -> dict[str, Any]:
    """Everything one person did or signed, and the accountability decisions naming them (the district
    and the person see every act; others the acts done for their own organisation)."""
    return services.accountability_queries.person(user_id, reads.person_organisations(user_id))


@router.get("/anomalies")
def anomalies(
    services: ServicesDep, read_at: AccountabilityRead, facts_at: ProcessFactsRead, actor: CurrentActor,
    kind: Annotated[str | None, Query(description=f"one list: {', '.join(KINDS)} (default: all)")] = None,
    unit: Annotated[str | None, Query(description="a unit (department, street, zone): its hazards or its people")] = None,
    as_of: Annotated[
        date | None, Query(description="business date (Beijing): acts dated by the end of that day count (default: today)")
    ] = None,
    known_at: KnownAt = None,
) -> dict[str, Any]:
    """The lists: inspected but missed, verified but recurred, penalised but not rectified, overdue,
    signed with a revoked key, penalty decisions against rules 1 and 2 (entered after their day) — each
    entry naming persons, records and the events as evidence. Every
    list is as of ``as_of`` and as known at ``known_at`` (only acts recorded by then)."""
    return services.accountability_queries.anomalies(kind, report_unit(actor, unit), as_of, known(known_at))
