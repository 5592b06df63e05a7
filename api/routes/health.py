"""Liveness and projection lag."""

from typing import Any

from fastapi import APIRouter

from api.deps import ServicesDep

router = APIRouter(tags=["health"])


@router.get("/health")
def health(services: ServicesDep) -> dict[str, Any]:
    """Is the ledger up; how far the read models are behind the event log."""
    recorder = services.ledger.recorder
    last = recorder.max_notification_id() or 0
    runner = services.hazard_list
    return {
        "status": "ok",
        "database": "postgresql" if services.settings.is_postgres else "sqlite",
        "events": last,
        "projections": {runner.projection.name: {"position": runner.position(), "lag_events": runner.lag()}},
    }
