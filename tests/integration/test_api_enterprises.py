"""Enterprises through HTTP."""

from __future__ import annotations

from tests.integration.conftest import OFFICE, Api, Enterprise, credit_code


def test_registering_reads_back_with_labels(api: Api, enterprise: Enterprise) -> None:
    record = api.get(f"/enterprises/{enterprise.id}")
    assert (record["credit_code"], record["sector_name"], record["jurisdiction_name"]) == (
        credit_code(1),
        "化工和危化品",
        "乌龙街道",
    )
    assert [e["name"] for e in api.get("/enterprises")] == ["昆明呈贡示例化工有限公司"]


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


def test_health_reports_backend_and_projection_lag(api: Api, enterprise: Enterprise, db_url: str) -> None:
    health = api.get("/health")
    assert health["status"] == "ok"
    assert health["database"] == ("postgresql" if db_url.startswith("postgresql") else "sqlite")
    assert health["events"] == 1
    lagging = health["projections"]["records"]
    assert lagging["lag_events"] == 1 and lagging["lag_seconds"] >= 0
    api.get("/enterprises")  # catches the read model up
    assert api.get("/health")["projections"]["records"] == {"version": 1, "position": 1, "lag_events": 0, "lag_seconds": 0.0}
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
