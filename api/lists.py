"""The list operation of a register (GET /cases, /inspections, /accidents, /risk-points, /problems,
/enterprises): one route builder over ``projections.registers``, each register offering the filters it has.

No ``from __future__ import annotations`` here: the parameters' types name each register's states and sort
keys, so they are built when the route is, not read back from strings.
"""

import inspect
from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query

from api.deps import Limit, Offset, RecordsRead, ServicesDep
from api.reads import Scope
from domain.glossary import Register
from projections.registers import REGISTERS, RegisterFilter


def add_list(router: APIRouter, register: Register) -> None:
    """``GET`` on the router's collection: the register's records the reader may see, filtered, sorted, paged."""
    spec = REGISTERS[register]
    states = Literal[tuple(state.value for state in (spec.state.before, spec.state.after))] if spec.state else str  # type: ignore[valid-type]
    sorts = Literal[tuple(spec.sort_keys())]  # type: ignore[valid-type]

    def list_register(
        services: ServicesDep,
        read_at: RecordsRead,
        scope: Scope,
        unit: Annotated[str | None, Query(description="a department (assigned, or leading the sector) or a street/zone")] = None,
        sector: Annotated[str | None, Query(description="sector row id; a parent row includes its 其中 rows")] = None,
        jurisdiction: Annotated[str | None, Query(description="street or zone id (属地)")] = None,
        state: Annotated[states | None, Query()] = None,
        date_from: Annotated[date | None, Query(alias="from", description="business date on or after (Beijing)")] = None,
        date_to: Annotated[date | None, Query(alias="to", description="business date on or before (Beijing)")] = None,
        enterprise_id: UUID | None = None,
        credit_code: Annotated[str | None, Query(description="the enterprise's unified social credit code")] = None,
        sort: Annotated[sorts | None, Query(description=f"default {spec.default_sort}; '-' descending")] = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        found = RegisterFilter(
            unit=unit, sector=sector, jurisdiction=jurisdiction, state=state, date_from=date_from, date_to=date_to,
            enterprise_id=str(enterprise_id) if enterprise_id else None, credit_code=credit_code, sort=sort,
            limit=limit, offset=offset, scope=scope,
        )  # fmt: skip
        return services.registers.list(register, found)

    # A register without a state or a business date does not offer those filters at all.
    absent = ({"state"} if spec.state is None else set()) | ({"date_from", "date_to"} if spec.date is None else set())
    signature = inspect.signature(list_register)
    list_register.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[p for p in signature.parameters.values() if p.name not in absent]
    )
    router.add_api_route(
        "",
        list_register,
        methods=["GET"],
        summary=f"List the {register.value.replace('_', ' ')} ({register.zh})",
        description="Filtered to what the reader may see (as the single-record reads are), sorted, paged; "
        "an unknown unit, sector or street is refused (422 unknown_unit, unknown_sector, unknown_jurisdiction).",
        name=f"list_{register.value}",
    )
