"""Inspections through HTTP: 谁检查、谁签名 — the team, findings (including explicit clean ones), signatures."""

from __future__ import annotations

from tests.integration.conftest import INSPECTOR, INSPECTOR_2, OTHER_DEPT, Api, Enterprise


def _inspection(api: Api, enterprise: Enterprise) -> str:
    return api.post(  # type: ignore[no-any-return]
        "/inspections",
        {
            "enterprise_id": enterprise.id,
            "kind": "department",
            "method": "unannounced",
            "inspectors": [{"user_id": "yjj-zhang", "name": "张伟"}, {"user_id": "yjj-li", "name": "李娜"}],
            "scope": ["储罐区", "特种作业人员持证"],
        },
        INSPECTOR,
        status=201,
    )["id"]


def test_an_inspection_records_findings_and_each_inspector_signs(api: Api, enterprise: Enterprise) -> None:
    inspection = _inspection(api, enterprise)
    hazard = api.post(
        "/hazards",
        {
            "enterprise_id": enterprise.id,
            "grade": "major",
            "source": "department_inspection",
            "criterion": "第十二条",
            "description": "储罐区报警器失效",
            "inspection_id": inspection,
        },
        INSPECTOR,
        status=201,
    )["id"]
    api.post(f"/inspections/{inspection}/findings", {"item": "储罐区", "hazard_ids": [hazard]}, INSPECTOR)
    api.post(f"/inspections/{inspection}/findings", {"item": "特种作业人员持证", "no_major_hazard": True}, INSPECTOR)
    api.post(f"/inspections/{inspection}/signatures", {}, INSPECTOR)
    api.post(f"/inspections/{inspection}/signatures", {}, INSPECTOR_2)

    record = api.get(f"/inspections/{inspection}")
    assert record["signed_by"] == ["yjj-zhang", "yjj-li"] and record["fully_signed"] is True
    assert record["findings"] == [
        {"item": "储罐区", "hazard_ids": [hazard], "no_major_hazard": False},
        {"item": "特种作业人员持证", "hazard_ids": [], "no_major_hazard": True},
    ]
    events = api.get(f"/inspections/{inspection}/events")
    assert [e["type"] for e in events] == [
        "InspectionConducted",
        "FindingRecorded",
        "FindingRecorded",
        "InspectionSigned",
        "InspectionSigned",
    ]
    assert events[4]["actor"]["name"] == "李娜" and events[4]["data"]["meaning"] == "inspector"
    assert api.get(f"/hazards/{hazard}")["inspection_id"] == inspection


def test_signing_rules(api: Api, enterprise: Enterprise) -> None:
    inspection = _inspection(api, enterprise)
    stranger = {**INSPECTOR, "X-User-Id": "yjj-wu", "X-User-Name": "Wu"}
    assert api.post(f"/inspections/{inspection}/signatures", {}, stranger, status=403)["code"] == "not_an_inspector"
    api.post(f"/inspections/{inspection}/signatures", {}, INSPECTOR)
    assert api.post(f"/inspections/{inspection}/signatures", {}, INSPECTOR, status=409)["code"] == "already_signed"
    problem = api.post(f"/inspections/{inspection}/findings", {"item": "储罐区", "no_major_hazard": True}, INSPECTOR, status=409)
    assert problem["code"] == "inspection_signed"
    assert len(api.get(f"/inspections/{inspection}/events")) == 2


def test_a_finding_must_say_something_and_stay_in_scope(api: Api, enterprise: Enterprise) -> None:
    inspection = _inspection(api, enterprise)
    assert api.post(f"/inspections/{inspection}/findings", {"item": "储罐区"}, INSPECTOR, status=422)["code"] == "finding_empty"
    problem = api.post(f"/inspections/{inspection}/findings", {"item": "食堂", "no_major_hazard": True}, INSPECTOR, status=422)
    assert problem["code"] == "finding_item_out_of_scope"


def test_only_the_inspecting_department_records_findings(api: Api, enterprise: Enterprise) -> None:
    inspection = _inspection(api, enterprise)
    problem = api.post(f"/inspections/{inspection}/findings", {"item": "储罐区", "no_major_hazard": True}, OTHER_DEPT, status=403)
    assert problem["code"] == "outside_scope"


def test_a_self_inspection_is_led_by_the_principal_and_recorded_by_the_enterprise(api: Api, enterprise: Enterprise) -> None:
    body = {
        "enterprise_id": enterprise.id,
        "kind": "self_inspection",
        "led_by_principal": True,
        "inspectors": [{"user_id": "ent-li", "name": "李建国"}],
        "scope": ["全厂"],
    }
    inspection = api.post("/inspections", body, enterprise.principal, status=201)["id"]
    assert api.get(f"/inspections/{inspection}")["led_by_principal"] is True
    assert api.post("/inspections", body, INSPECTOR, status=422)["code"] == "invalid_value"
