"""Values that used to be stored and then broke the read side (issue 11) are refused at the boundary, and
the largest values still accepted are applied by every read model, on both backends."""

from __future__ import annotations

from app.wiring import Services
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


def test_the_largest_accepted_values_are_applied_by_every_read_model(api: Api, enterprise: Enterprise, services: Services) -> None:
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
