"""Liveness, projection lag (JSON) and Prometheus metrics."""

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Response
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily

from api.deps import ServicesDep, WorkersDep
from app.wiring import Services

router = APIRouter(tags=["health"])
metrics_router = APIRouter(tags=["health"])


def projection_status(services: Services) -> dict[str, dict[str, Any]]:
    status = {}
    for runner in services.read_models:
        name = runner.name
        lag = runner.lag()
        status[name] = {
            "version": runner.active_version(),
            "position": runner.position(),
            "lag_events": lag.events,
            "lag_seconds": round(lag.seconds, 3),
        }
    return status


@router.get("/health")
def health(services: ServicesDep, workers: WorkersDep) -> dict[str, Any]:
    """Is the ledger up; how far each read model is behind the event log (events and seconds); each
    in-process worker alive or not, with its restarts and last error (``degraded`` when one is down)."""
    running = [] if workers is None else [asdict(status) for status in workers.statuses]
    return {
        "status": "degraded" if any(not w["alive"] for w in running) else "ok",
        "workers": running,
        "database": "postgresql" if services.settings.is_postgres else "sqlite",
        "events": services.ledger.recorder.max_notification_id() or 0,
        "projections": projection_status(services),
    }


class _LedgerCollector:
    def __init__(self, services: Services) -> None:
        self.services = services

    def collect(self):  # type: ignore[no-untyped-def]
        events = GaugeMetricFamily("hazard_ledger_events", "Events recorded (highest notification id)")
        events.add_metric([], self.services.ledger.recorder.max_notification_id() or 0)
        yield events
        status = projection_status(self.services)
        for key, help_text in (
            ("position", "Last event applied to the projection"),
            ("lag_events", "Events recorded but not yet projected"),
            ("lag_seconds", "Seconds since the oldest unprojected event was recorded"),
            ("version", "Active blue/green version of the projection"),
        ):
            family = GaugeMetricFamily(f"hazard_ledger_projection_{key}", help_text, labels=["projection"])
            for name, values in status.items():
                family.add_metric([name], values[key])
            yield family


@metrics_router.get("/metrics", include_in_schema=False)
def metrics(services: ServicesDep) -> Response:
    """Prometheus text format."""
    registry = CollectorRegistry()
    registry.register(_LedgerCollector(services))  # type: ignore[arg-type]
    return Response(generate_latest(registry), media_type="text/plain; version=0.0.4; charset=utf-8")
