"""Every write authorised in the domain, over HTTP (issue 12 part 3): the seven bypasses found against
main, each refused now, on both backends."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from app.wiring import Services
from domain.signatures import signature_check
from tests.integration.conftest import (
    INSPECTOR,
    INSPECTOR_2,
    OFFICE,
    OTHER_DEPT,
    Api,
    Enterprise,
    full_plan,
    headers,
)

WULONG = headers("wulong-sun", "孙属地", "street_officer", "wulong", "street", "乌龙街道")
LONGCHENG = headers("longcheng-zhou", "周属地", "street_officer", "longcheng", "street", "龙城街道")


def _hazard(enterprise: Enterprise, **changes: Any) -> dict[str, Any]:
    return {
        "enterprise_id": enterprise.id,
        "grade": "general",
        "source": "department_inspection",
        "description": "消防通道堆放杂物",
        **changes,
    }


def _count(services: Services) -> int:
    return services.ledger.recorder.max_notification_id() or 0


def _verified_major(api: Api, enterprise: Enterprise, major: str) -> None:
    api.post(f"/hazards/{major}/plan", full_plan(), enterprise.principal)
    api.post(f"/hazards/{major}/completion", {"note": "已完成"}, enterprise.staff)
    api.post(f"/hazards/{major}/verification", {"passed": True, "opinion": "整改到位"}, INSPECTOR_2)


def test_1_an_inspector_cannot_report_at_another_departments_enterprise_by_choosing_the_sector(
    api: Api, enterprise: Enterprise, services: Services
) -> None:
    before = _count(services)
    problem = api.post("/hazards", _hazard(enterprise, sector="culture_tourism"), OTHER_DEPT, status=422)
    assert problem["code"] == "scope_not_registered" and problem["details"]["registered"] == "hazardous_chemicals"
    assert api.post("/hazards", _hazard(enterprise), OTHER_DEPT, status=403)["code"] == "outside_scope"
    assert _count(services) == before
    api.post("/hazards", _hazard(enterprise, sector="hazardous_chemicals"), INSPECTOR, status=201)


def test_2_a_street_officer_cannot_report_at_another_streets_enterprise_by_choosing_the_territory(
    api: Api, enterprise: Enterprise, services: Services
) -> None:
    before = _count(services)
    problem = api.post("/hazards", _hazard(enterprise, jurisdiction="longcheng"), LONGCHENG, status=422)
    assert problem["code"] == "scope_not_registered" and problem["details"]["field"] == "jurisdiction"
    assert api.post("/hazards", _hazard(enterprise), LONGCHENG, status=403)["code"] == "outside_scope"
    accident = {"enterprise_id": enterprise.id, "grade": "general", "deaths": 0, "injuries": 1, "direct_loss_yuan": 50000,
                "liability": False, "description": "装卸作业中物体打击致一人受伤"}  # fmt: skip
    assert api.post("/accidents", {**accident, "jurisdiction": "longcheng"}, LONGCHENG, status=403)["code"] == "outside_scope"
    problem = api.post("/accidents", {**accident, "sector": "culture_tourism"}, OTHER_DEPT, status=422)
    assert problem["code"] == "scope_not_registered"
    assert _count(services) == before
    api.post("/hazards", _hazard(enterprise), WULONG, status=201)
    api.post("/accidents", accident, WULONG, status=201)


def test_3_an_enterprise_principal_cannot_close_a_major(api: Api, enterprise: Enterprise, major: str) -> None:
    _verified_major(api, enterprise, major)
    problem = api.post(f"/hazards/{major}/closure", {}, enterprise.principal, status=403)
    assert problem["code"] == "role_not_allowed" and problem["details"]["action"] == "close a major hazard"
    assert len(api.events(major)) == 4
    api.post(f"/hazards/{major}/closure", {}, WULONG)
    assert api.events(major)[-1]["type"] == "HazardClosed"


def test_3_the_principal_closes_a_general_hazard_a_regulator_verified(api: Api, enterprise: Enterprise) -> None:
    general = api.post("/hazards", _hazard(enterprise, source="self_inspection"), enterprise.staff, status=201)["id"]
    api.post(f"/hazards/{general}/plan", full_plan(), enterprise.principal)
    api.post(f"/hazards/{general}/completion", {}, enterprise.staff)
    api.post(f"/hazards/{general}/verification", {"passed": True, "opinion": "整改到位"}, INSPECTOR)
    api.post(f"/hazards/{general}/closure", {}, enterprise.principal)


def test_4_accountability_cites_only_records_within_scope(api: Api, enterprise: Enterprise, major: str, services: Services) -> None:
    body = {"hazard_ids": [major], "measures": ["诫勉谈话"],
            "persons": [{"user_id": "yjj-zhang", "name": "张伟", "organisation": "区应急管理局", "role": "执法人员"}]}  # fmt: skip
    before = _count(services)
    assert api.post("/accountability/cases", body, OTHER_DEPT, status=403)["code"] == "outside_scope"
    assert _count(services) == before
    api.post("/accountability/cases", body, INSPECTOR, status=201)


def test_5_a_role_claimed_from_another_kind_of_organisation_is_refused(
    api: Api, enterprise: Enterprise, major: str, services: Services
) -> None:
    _verified_major(api, enterprise, major)
    fake_office = headers("ent-x", "假安委办", "committee_office", enterprise.id, "enterprise", "示例化工")
    before = _count(services)
    problem = api.post(f"/hazards/{major}/closure", {}, fake_office, status=403)
    assert problem["code"] == "role_organisation_mismatch"
    assert "区安委办" in problem["message_zh"] and "enterprise" in problem["message_en"]
    fake_inspector = headers("wulong-x", "某人", "inspector", "wulong", "street", "乌龙街道")
    assert api.post("/hazards", _hazard(enterprise), fake_inspector, status=403)["code"] == "role_organisation_mismatch"
    assert _count(services) == before


def test_6_another_user_id_does_not_let_the_claiming_enterprise_verify(api: Api, enterprise: Enterprise) -> None:
    general = api.post("/hazards", _hazard(enterprise, source="self_inspection"), enterprise.principal, status=201)["id"]
    api.post(f"/hazards/{general}/plan", full_plan(), enterprise.principal)
    api.post(f"/hazards/{general}/completion", {}, enterprise.staff)
    verification = {"passed": True, "opinion": "同意"}
    another_id = headers("ent-someone", "李建国", "principal", enterprise.id, "enterprise", "示例化工")
    assert api.post(f"/hazards/{general}/verification", verification, another_id, status=403)["code"] == "role_not_allowed"
    disguised = headers("ent-chen", "陈安全", "inspector", "yjj", "department", "区应急管理局")
    assert api.post(f"/hazards/{general}/verification", verification, disguised, status=409)["code"] == "verifier_is_claimer"
    assert len(api.events(general)) == 3
    api.post(f"/hazards/{general}/verification", verification, INSPECTOR)


def test_7_no_server_held_key_for_another_person_and_no_forged_personal_signature(
    api: Api, enterprise: Enterprise, major: str, services: Services
) -> None:
    """The forged chain: the 区安委办 had the server make a key for 张伟, then a verification "signed by 张伟"
    with it showed `valid`. Now the key is refused, and so is the signed verification."""
    api.post(f"/hazards/{major}/plan", full_plan(), enterprise.principal)
    api.post(f"/hazards/{major}/completion", {"note": "已完成"}, enterprise.staff)
    problem = api.post("/keys/server-held", {"user_id": "yjj-zhang", "name": "张伟"}, OFFICE, status=403)
    assert problem["code"] == "server_held_key_for_another"
    assert api.get("/keys", user_id="yjj-zhang")["items"] == []
    verification = {"passed": True, "opinion": "整改到位"}
    sign = {"X-Sign-With": "server-held"}
    assert api.post(f"/hazards/{major}/verification", verification, INSPECTOR, status=409, **sign)["code"] == "no_server_held_key"
    assert len(api.events(major)) == 3
    # 张伟 makes his own, and signs with it: the signer is the actor, the key is his
    api.post("/keys/server-held", {"user_id": "yjj-zhang", "name": "张伟"}, INSPECTOR, status=201)
    api.post(f"/hazards/{major}/verification", verification, INSPECTOR, **sign)
    event = list(services.ledger.repository.event_store.get(UUID(major)))[-1]
    assert event.actor.user_id == "yjj-zhang" and signature_check(event, services.ledger.keys.key_states()).ok
    # an auditor makes no key, even for themself
    auditor = headers("audit-zheng", "郑审计", "auditor", "audit", "audit_body", "区审计局")
    body = {"user_id": "audit-zheng", "name": "郑审计"}
    assert api.post("/keys/server-held", body, auditor, status=403)["code"] == "role_not_allowed"
