"""Request-scoped access to the assembled services (built once in the app factory)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Header, Query, Request, Response
from fastapi.dependencies.utils import get_flat_params
from fastapi.routing import APIRoute

from app.consistency import wait_for
from app.wiring import ReadModels, Services
from app.workers import InProcessWorkers
from domain.bounds import MAX_OFFSET, MAX_PAGE, check_parameter
from projections.engine import ProjectionRunner


async def services(request: Request) -> Services:
    # async: no I/O, so no hop to the thread pool
    return request.app.state.services  # type: ignore[no-any-return]


ServicesDep = Annotated[Services, Depends(services)]


async def bounded_parameters(request: Request) -> None:
    """Every request (a dependency of the app): each path and query parameter its route declares is held to
    the domain's bounds for a parameter (``check_parameter``) before any of it is read or queried."""
    route = request.scope.get("route")
    declared = {param.alias for param in get_flat_params(route.dependant)} if isinstance(route, APIRoute) else set()
    for name, value in (*request.path_params.items(), *request.query_params.multi_items()):
        if name in declared:
            check_parameter(name, value)


async def workers(request: Request) -> InProcessWorkers | None:
    return request.app.state.workers  # type: ignore[no-any-return]


WorkersDep = Annotated[InProcessWorkers | None, Depends(workers)]

REPLICA_LAG_HEADER = "X-Replica-Lag-Seconds"


def replica_lag(services: ServicesDep, response: Response) -> None:
    """A report read from the replica (HAZARD_REPLICA_DB_URL) says how far behind the primary it was
    (``X-Replica-Lag-Seconds``; ``unknown`` when the replica does not answer); without one, no header."""
    if services.replica is not None:
        lag = services.replica.lag_seconds()
        response.headers[REPLICA_LAG_HEADER] = "unknown" if lag is None else f"{lag:.3f}"


def _consistent(pick: Callable[[ReadModels], ProjectionRunner]) -> Any:
    """A read of one read model: waits (bounded) for the position the client names, reports the one read at."""

    def read_position(
        services: ServicesDep,
        response: Response,
        min_position: Annotated[
            int | None,
            Query(ge=0, le=MAX_POSITION, description="wait until the read model has this log position (read your writes)"),
        ] = None,
        x_min_position: Annotated[int | None, Header(ge=0, le=MAX_POSITION, description="the same as `min_position`")] = None,
    ) -> int:
        wanted = [p for p in (min_position, x_min_position) if p is not None]
        head = services.ledger.recorder.max_notification_id
        reached = wait_for(pick(services.read_models), max(wanted) if wanted else None, lambda: head() or 0)
        response.headers[READ_POSITION_HEADER] = str(reached)
        return reached

    return Depends(read_position)


MAX_POSITION = 2**63 - 1
# Paging of every list: bounded by the domain's read limits.
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"rows to return (at most {MAX_PAGE})")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="rows to skip")]
READ_POSITION_HEADER = "X-Read-Position"
RecordsRead = Annotated[int, _consistent(lambda models: models.records)]
ProcessFactsRead = Annotated[int, _consistent(lambda models: models.process_facts)]
AccountabilityRead = Annotated[int, _consistent(lambda models: models.accountability)]
