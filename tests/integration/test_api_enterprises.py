"""Enterprises through HTTP."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy.exc
from eventsourcing.persistence import OperationalError
from fastapi.testclient import TestClient

from api.app import create_app
from app.settings import Settings
from app.wiring import build
from tests.integration.conftest import OFFICE, Api, Enterprise, credit_code, reads_as_office


def test_registering_reads_back_with_labels(api: Api, enterprise: Enterprise) -> None:
    record = api.get(f"/enterprises/{enterprise.id}")
    assert (record["credit_code"], record["sector_name"], record["jurisdiction_name"]) == (
        credit_code(1),
        "化工和危化品",
        "乌龙街道",
    )
    assert [e["name"] for e in api.get("/enterprises")["items"]] == ["昆明呈贡示例化工有限公司"]


def test_a_credit_code_registers_once(api: Api, enterprise: Enterprise) -> None:
    body = {
        "credit_code": credit_code(1),
        "name": "另一家",
        "sector": "fire_safety",
        "jurisdiction": "dayu",
        "principal_name": "某",
    }
    assert api.post("/enterprises", body, OFFICE, status=409)["code"] == "enterprise_exists"


def test_bad_credit_codes_and_unknown_reference_data_are_422(api: Api) -> None:
    body = {
        "credit_code": credit_code(2)[:-1] + "X",
        "name": "n",
        "sector": "fire_safety",
        "jurisdiction": "dayu",
        "principal_name": "p",
    }
    problem = api.post("/enterprises", body, OFFICE, status=422)
    assert problem["code"] == "invalid_credit_code" and "校验码" in problem["message_zh"]
    assert (
        api.post("/enterprises", {**body, "credit_code": credit_code(2), "sector": "mars"}, OFFICE, status=422)["code"]
        == "unknown_sector"
    )
    problem = api.post("/enterprises", {**body, "credit_code": credit_code(2), "jurisdiction": "yjj"}, OFFICE, status=422)
    assert problem["code"] == "unknown_jurisdiction"


def test_a_new_principal_is_recorded(api: Api, enterprise: Enterprise) -> None:
    api.post(f"/enterprises/{enterprise.id}/principal", {"principal_name": "王志强"}, OFFICE)
    assert api.get(f"/enterprises/{enterprise.id}")["principal_name"] == "王志强"
    assert [e["type"] for e in api.get(f"/enterprises/{enterprise.id}/events")] == ["EnterpriseRegistered", "PrincipalChanged"]


def test_health_reports_backend_and_projection_lag(db_url: str) -> None:
    """No worker in this process: the read model lags until something catches it up (a GET never does)."""
    services = build(Settings(db_url=db_url, in_process_workers=False))
    with TestClient(create_app(services.settings, services=services)) as client:
        client.event_hooks["request"].append(reads_as_office)  # every read names its reader
        api = Api(client)
        api.post("/enterprises", {"credit_code": credit_code(1), "name": "示例", "sector": "fire_safety",
                                  "jurisdiction": "dayu", "principal_name": "某"}, OFFICE, status=201)  # fmt: skip
        health = api.get("/health")
        assert health["status"] == "ok"
        assert health["database"] == ("postgresql" if db_url.startswith("postgresql") else "sqlite")
        assert health["events"] == 1
        lagging = health["projections"]["records"]
        assert lagging["lag_events"] == 1 and lagging["lag_seconds"] >= 0
        assert api.get("/enterprises")["total"] == 0 and api.get("/health")["projections"]["records"]["lag_events"] == 1
        services.read_models.records.catch_up()  # what the projection worker does
        assert api.get("/health")["projections"]["records"] == {
            "version": 1, "position": 1, "lag_events": 0, "lag_seconds": 0.0, "stalled": None
        }  # fmt: skip
        _metrics(api)


def test_a_read_waits_for_the_position_it_names_and_says_where_it_read(api: Api, enterprise: Enterprise) -> None:
    """Read your writes: the command's position, sent back, is seen by the list (the worker runs in-process)."""
    receipt = api.post(f"/enterprises/{enterprise.id}/principal", {"principal_name": "王五"}, OFFICE)
    r = api.client.get("/api/v1/enterprises", params={"min_position": receipt["position"]}, headers={"X-Min-Position": "0"})
    assert r.status_code == 200 and int(r.headers["X-Read-Position"]) >= receipt["position"]
    assert [e["principal_name"] for e in r.json()["items"]] == ["王五"]


def _metrics(api: Api) -> None:
    metrics = api.client.get("/metrics")
    assert metrics.status_code == 200 and metrics.headers["content-type"].startswith("text/plain")
    assert 'hazard_ledger_projection_lag_events{projection="records"} 0.0' in metrics.text
    assert "hazard_ledger_events 1.0" in metrics.text


def test_openapi_has_every_endpoint_with_examples(api: Api) -> None:
    spec = api.client.get("/openapi.json").json()
    paths = set(spec["paths"])
    for path in (
        "/api/v1/hazards",
        "/api/v1/hazards/{hazard_id}/plan",
        "/api/v1/hazards/{hazard_id}/supervision/lift",
        "/api/v1/inspections/{inspection_id}/signatures",
        "/api/v1/enterprises/{enterprise_id}",
        "/api/v1/health",
    ):
        assert path in paths
    schemas = spec["components"]["schemas"]
    for name in ("HazardIn", "PlanIn", "ListingIn", "VerificationIn", "InspectionIn", "EnterpriseIn"):
        assert schemas[name].get("examples"), name


def test_reads_never_write(db_url: str, tmp_path: Path) -> None:
    """No GET moves a read model, appends an event or makes the checkpoint key: with no worker running,
    every read answers from what the read models hold and says where it read."""
    key = tmp_path / "log-key.pem"
    services = build(Settings(db_url=db_url, in_process_workers=False, log_key_file=key, checkpoint_dir=None))
    with TestClient(create_app(services.settings, services=services)) as client:
        client.event_hooks["request"].append(reads_as_office)  # every read names its reader
        api = Api(client)
        api.post("/enterprises", {"credit_code": credit_code(2), "name": "示例", "sector": "fire_safety",
                                  "jurisdiction": "dayu", "principal_name": "某"}, OFFICE, status=201)  # fmt: skip
        before = [(m.name, m.position()) for m in services.read_models]
        for path in ("/enterprises", "/hazards", "/reports/annex1", "/reports/annex2", "/reports/annex3", "/kpis",
                     "/warnings", "/accountability/anomalies", "/audit/checkpoints", "/health"):  # fmt: skip
            r = client.get(f"/api/v1{path}")
            assert r.status_code == 200, (path, r.text)
        assert [(m.name, m.position()) for m in services.read_models] == before
        assert services.ledger.recorder.max_notification_id() == 1
        assert api.get("/audit/checkpoints")["public_key"] is None and not key.exists()
        assert client.get("/api/v1/hazards").headers["X-Read-Position"] == "0"


def test_a_database_outage_is_a_503_with_retry_after(api: Api, services: Any, monkeypatch: Any) -> None:
    """Down or restarting: a clean, retryable answer with the usual problem body — never a 500."""

    def down(*_: Any, **__: Any) -> Any:
        raise OperationalError("connection refused")

    monkeypatch.setattr(services.pipeline, "execute", down)
    r = api.client.post("/api/v1/enterprises", json={"credit_code": credit_code(3), "name": "某", "sector": "fire_safety",
                        "jurisdiction": "dayu", "principal_name": "某"}, headers=OFFICE)  # fmt: skip
    assert r.status_code == 503 and r.headers["Retry-After"] == "5" and r.json()["code"] == "database_unavailable"
    def gone(*_: Any) -> Any:
        raise sqlalchemy.exc.OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    monkeypatch.setattr(services.registers, "list", gone)
    r = api.client.get("/api/v1/enterprises")
    assert r.status_code == 503 and r.headers["content-type"].startswith("application/problem+json")


def test_a_wrong_method_is_405_with_allow(api: Api) -> None:
    r = api.client.put("/api/v1/enterprises")
    assert r.status_code == 405 and set(r.headers["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}
    assert r.json()["code"] == "method_not_allowed"


def test_health_names_each_in_process_worker(api: Api) -> None:
    health = api.get("/health")
    assert health["status"] == "ok"
    assert {w["name"] for w in health["workers"]} >= {"projections"} and all(w["alive"] for w in health["workers"])
