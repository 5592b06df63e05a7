"""Liveness, projection lag (JSON) and Prometheus metrics."""

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Response
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily

from api.deps import ServicesDep, WorkersDep
from app.auth import SECURITY_EVENTS
from app.wiring import Services
from projections.engine import stalled

router = APIRouter(tags=["health"])
metrics_router = APIRouter(tags=["health"])


def projection_status(services: Services) -> dict[str, dict[str, Any]]:
    status = {}
    stalls = stalled(services.engine, active_only=False)
    for runner in services.read_models:
        name = runner.name
        lag = runner.lag()
        stall = stalls.get(name)
        status[name] = {
            "version": runner.active_version(),
            "position": runner.position(),
            "lag_events": lag.events,
            "lag_seconds": round(lag.seconds, 3),
            # stopped at an event it cannot apply (a bug): which version, which event, the error, since when
            "stalled": None if stall is None else {**asdict(stall), "since": stall.since.isoformat()},
        }
    return status


@router.get("/health")
def health(services: ServicesDep, workers: WorkersDep) -> dict[str, Any]:
    """Is the ledger up; how far each read model is behind the event log (events and seconds) and whether
    it is stopped at an event it cannot apply; each in-process worker alive or not, with its restarts and
    last error; the reports' replica and its lag (``replica``: null when the reports read the primary).
    ``degraded`` when a worker is down or a read model is stopped."""
    running = [] if workers is None else [asdict(status) for status in workers.statuses]
    projections = projection_status(services)
    down = any(not w["alive"] for w in running) or any(p["stalled"] for p in projections.values())
    return {
        "status": "degraded" if down else "ok",
        "workers": running,
        "database": "postgresql" if services.settings.is_postgres else "sqlite",
        "events": services.ledger.recorder.max_notification_id() or 0,
        "projections": projections,
        "replica": None if services.replica is None else {"lag_seconds": services.replica.lag_seconds()},
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
        family = GaugeMetricFamily(
            "hazard_ledger_projection_stalled_at",
            "Event a projection version is stopped at because it cannot apply it (0: not stopped)",
            labels=["projection", "version"],
        )
        for name, values in status.items():
            stall = values["stalled"]
            family.add_metric([name, str(stall["version"] if stall else values["version"])], stall["position"] if stall else 0)
        yield family


@metrics_router.get("/metrics", include_in_schema=False)
def metrics(services: ServicesDep) -> Response:
    """Prometheus text format."""
    registry = CollectorRegistry()
    registry.register(_LedgerCollector(services))  # type: ignore[arg-type]
    registry.register(SECURITY_EVENTS)  # log-ins, failures, lock-outs, refreshes, account and key changes
    return Response(generate_latest(registry), media_type="text/plain; version=0.0.4; charset=utf-8")
