"""Values that used to be stored and then broke the read side (issue 11) are refused at the boundary, and
the largest values still accepted are applied by every read model, on both backends."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi.testclient import TestClient

from api.app import create_app
from app.settings import Settings
from app.wiring import Services, build
from domain.bounds import LONG_TEXT, MAX_COUNT, MAX_YUAN
from tests.integration.conftest import INSPECTOR, Api, Enterprise


def _case(api: Api, enterprise: Enterprise) -> str:
    body = {"enterprise_id": enterprise.id, "case_number": "呈应急立〔2023〕9号", "legal_basis": "《安全生产法》第一百零二条"}
    return api.post("/cases", body, INSPECTOR, status=201)["id"]  # type: ignore[no-any-return]


def _penalty(fine: int) -> dict[str, object]:
    return {"target": "enterprise", "fine_yuan": fine, "decision_number": "呈应急罚〔2023〕9号", "legal_basis": "《安全生产法》"}


def test_values_that_broke_projections_are_refused_with_field_and_limit(api: Api, enterprise: Enterprise) -> None:
    case = _case(api, enterprise)
    refused = api.post(f"/cases/{case}/penalty", _penalty(10**29), INSPECTOR, status=422)
    assert refused["code"] == "invalid_value" and refused["details"]["field"] == "fine_yuan"
    assert refused["details"]["limit"] == MAX_YUAN and refused["message_zh"] and refused["message_en"]
    nul = {"enterprise_id": enterprise.id, "grade": "general", "source": "self_inspection", "description": "通道\x00堵塞"}
    assert api.post("/hazards", nul, enterprise.principal, status=422)["details"]["field"] == "description"
    accident = {"enterprise_id": enterprise.id, "grade": "general", "deaths": 10**19, "injuries": 0,
                "occurred_at": "2023-06-01T08:00:00+08:00", "description": "x"}  # fmt: skip
    assert api.post("/accidents", accident, INSPECTOR, status=422)["code"] in ("invalid_value", "validation_failed")


def test_the_largest_accepted_values_are_applied_by_every_read_model(
    api: Api, enterprise: Enterprise, services: Services
) -> None:
    case = _case(api, enterprise)
    api.post(f"/cases/{case}/penalty", _penalty(MAX_YUAN), INSPECTOR)
    long_text = {"enterprise_id": enterprise.id, "grade": "general", "source": "self_inspection",
                 "description": "隐" * LONG_TEXT, "location": "储罐区\n东侧"}  # fmt: skip
    api.post("/hazards", long_text, enterprise.principal, status=201)
    activity = {"kind": "lecture", "count": MAX_COUNT, "note": "宣讲"}
    api.post("/units/yjj/activities", activity, INSPECTOR)
    services.catch_up()
    assert all(model.lag().events == 0 for model in services.read_models)
    assert api.get(f"/cases/{case}")["total_fines_yuan"] == MAX_YUAN
    assert api.get("/reports/annex2")["rows"] and api.get("/reports/annex1")["sections"]
    assert api.get("/health")["status"] == "ok"


def test_reads_and_headers_are_bounded(api: Api, enterprise: Enterprise) -> None:
    for path, field in (("/hazards?offset=10000000000000000000000000", "offset"), ("/enterprises?limit=5000", "limit")):
        r = api.client.get(f"/api/v1{path}")
        assert r.status_code == 422 and r.json()["code"] == "validation_failed" and field in r.text
    for path in ("/reports/annex2?as_of=9999-12-31", "/kpis?as_of=2500-01-01", "/reports/annex1.xlsx?as_of=1800-01-01"):
        r = api.client.get(f"/api/v1{path}")
        assert r.status_code == 422 and r.json()["details"]["field"] == "as_of", path
    long_key = {"Idempotency-Key": "k" * 300}
    r = api.client.post(
        f"/api/v1/enterprises/{enterprise.id}/principal", json={"principal_name": "王"}, headers={**INSPECTOR, **long_key}
    )
    assert r.status_code == 422 and r.json()["code"] == "invalid_idempotency_key"
    huge = {"If-Match": '"' + "9" * 5000 + '"'}
    r = api.client.post(
        f"/api/v1/enterprises/{enterprise.id}/principal", json={"principal_name": "王"}, headers={**INSPECTOR, **huge}
    )
    assert r.status_code == 422 and r.json()["code"] == "invalid_if_match"


def test_a_body_over_the_limit_is_refused_while_it_is_read(db_url: str) -> None:
    services = build(Settings(db_url=db_url, in_process_workers=False, max_body_bytes=4096))
    with TestClient(create_app(services.settings, services=services)) as client:
        declared = client.post(
            "/api/v1/enterprises", content=b"x" * 50_000, headers={**INSPECTOR, "Content-Type": "application/json"}
        )
        assert declared.status_code == 413 and declared.json()["code"] == "body_too_large"

        def chunks() -> Iterator[bytes]:
            for _ in range(100):
                yield b"y" * 1024

        streamed = client.post("/api/v1/enterprises", content=chunks(), headers={**INSPECTOR, "Content-Type": "application/json"})
        assert streamed.status_code == 413 and streamed.json()["details"]["limit"] == 4096
        assert services.ledger.recorder.max_notification_id() is None
