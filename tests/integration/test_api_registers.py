"""Accidents, risk points (4个清单), outstanding problems, unit activities and spot checks through HTTP."""

from __future__ import annotations

from tests.integration.conftest import INSPECTOR, OFFICE, Api, Enterprise, headers

STREET = headers("wulong-he", "何静", "street_officer", "wulong", "street", "乌龙街道")


def test_an_accident_is_reported_listed_and_concluded(api: Api, enterprise: Enterprise) -> None:
    body = {"grade": "general", "deaths": 1, "injuries": 2, "direct_loss_yuan": 1_200_000, "liability": True,
            "description": "仓库叉车作业发生物体打击事故", "enterprise_id": enterprise.id}  # fmt: skip
    accident = api.post("/accidents", body, INSPECTOR, status=201)["id"]
    api.post(
        f"/accidents/{accident}/listing",
        {"level": "district", "supervising_body": "呈贡区安委会", "document_number": "呈安委督〔2023〕8号"},
        OFFICE,
    )
    api.post(
        f"/accidents/{accident}/investigation",
        {"liability": True, "responsible_persons": ["李建国"], "summary": "违章指挥"},
        INSPECTOR,
    )
    record = api.get(f"/accidents/{accident}")
    assert (record["grade"], record["deaths"], record["sector"], record["jurisdiction"]) == (
        "general",
        1,
        "hazardous_chemicals",
        "wulong",
    )
    assert set(record["counts_for"]) == {"yjj", "wulong"}
    problem = api.post("/accidents", {**body, "grade": "general", "deaths": 3}, INSPECTOR, status=422)
    assert problem["code"] == "accident_grade_too_low"


def test_a_risk_point_is_controlled_once_all_four_lists_are_complete(api: Api, enterprise: Enterprise) -> None:
    body = {"enterprise_id": enterprise.id, "name": "液化烃球罐区", "description": "4台1000m³液化石油气球罐",
            "address": "昆明市呈贡区乌龙街道工业园8号", "assessed": True,
            "characteristics": {"accident_types": ["火灾", "爆炸"], "max_casualties": 30, "max_direct_loss_yuan": 50_000_000,
                                "social_impact": "周边道路封闭"}}  # fmt: skip
    point = api.post("/risk-points", body, INSPECTOR, status=201)["id"]
    assert api.get(f"/risk-points/{point}")["controlled"] is False
    api.post(f"/risk-points/{point}/responsibility", {"department": "yjj", "department_person": "张伟", "department_phone": "13888000001",
                                                     "principal_name": "李建国", "principal_phone": "13988000002"}, INSPECTOR)  # fmt: skip
    api.post(
        f"/risk-points/{point}/control-measures",
        {"enterprise_measures": ["可燃气体报警联锁"], "government_measures": ["listed_for_supervision"]},
        INSPECTOR,
    )
    api.post(
        f"/risk-points/{point}/emergency",
        {"measures": ["启动预案"], "supplies": [{"category": "消防", "name": "干粉灭火器", "quantity": 40, "unit": "具"}]},
        INSPECTOR,
    )
    record = api.get(f"/risk-points/{point}")
    assert record["controlled"] is True and record["missing_lists"] == []
    problem = api.post(f"/risk-points/{point}/control-measures", {"government_measures": ["pray"]}, INSPECTOR, status=422)
    assert problem["errors"][0]["field"].startswith("body.government_measures")


def test_an_outstanding_problem_gets_a_root_cause_measure_and_is_rectified(api: Api) -> None:
    problem_id = api.post(
        "/problems", {"description": "小微企业未建立安全管理机构", "sector": "industry_trade"}, INSPECTOR, status=201
    )["id"]
    api.post(f"/problems/{problem_id}/root-cause-measure", {"measure": "建立安全托管服务机制"}, INSPECTOR)
    api.post(f"/problems/{problem_id}/rectification", {"note": "已整改"}, INSPECTOR)
    assert api.get(f"/problems/{problem_id}")["state"] == "rectified"
    again = api.post(f"/problems/{problem_id}/rectification", {"note": "again"}, INSPECTOR, status=409)
    assert again["code"] == "problem_already_rectified"


def test_a_unit_records_its_activities_and_only_its_own(api: Api, enterprise: Enterprise) -> None:
    api.post("/units/yjj/activities", {"kind": "tipoff_reward", "amount_yuan": 5000, "anonymous_amount_yuan": 2000}, INSPECTOR)
    api.post("/units/yjj/activities", {"kind": "enterprise_served", "enterprise_id": enterprise.id}, INSPECTOR)
    log = api.get("/units/yjj/work-log")
    assert [a["kind"] for a in log["activities"]] == ["tipoff_reward", "enterprise_served"]
    assert api.post("/units/wulong/activities", {"kind": "lecture"}, INSPECTOR, status=403)["code"] == "outside_scope"
    problem = api.post(
        "/units/yjj/activities",
        {"kind": "tipoff_reward", "amount_yuan": 100, "anonymous_amount_yuan": 200},
        INSPECTOR,
        status=422,
    )
    assert problem["code"] == "invalid_value"


def test_a_spot_check_records_deficiencies_before_signing(api: Api, enterprise: Enterprise) -> None:
    inspection = api.post(
        "/inspections",
        {"enterprise_id": enterprise.id, "kind": "spot_check", "inspectors": [{"user_id": "yjj-zhang", "name": "张伟"}], "scope": ["自查自改"]},
        INSPECTOR, status=201,
    )["id"]  # fmt: skip
    api.post(
        f"/inspections/{inspection}/deficiencies",
        {"deficiencies": ["principal_not_leading_inspection", "uncertified_special_operations"]},
        INSPECTOR,
    )
    events = api.get(f"/inspections/{inspection}/events")
    assert events[-1]["type"] == "DeficienciesRecorded"
    assert events[-1]["data"]["deficiencies"] == ["principal_not_leading_inspection", "uncertified_special_operations"]
    department = api.post(
        "/inspections", {"enterprise_id": enterprise.id, "kind": "department", "inspectors": [{"user_id": "yjj-zhang", "name": "张伟"}]}, INSPECTOR, status=201
    )["id"]  # fmt: skip
    assert (
        api.post(f"/inspections/{department}/deficiencies", {"deficiencies": []}, INSPECTOR, status=409)["code"]
        == "not_a_spot_check"
    )
