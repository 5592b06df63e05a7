"""The hazard endpoints through HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime, timedelta

from app.wiring import Services
from domain.business_time import CHINA_TZ
from domain.glossary import HazardState
from projections.hazard_queries import HazardFilter
from tests.integration.conftest import (
    INSPECTOR,
    INSPECTOR_2,
    OFFICE,
    OTHER_DEPT,
    Api,
    Enterprise,
    full_plan,
    future_date,
    headers,
)


def _to_pending(api: Api, enterprise: Enterprise, hazard_id: str) -> None:
    api.post(f"/hazards/{hazard_id}/plan", full_plan(), enterprise.principal)
    api.post(f"/hazards/{hazard_id}/completion", {"note": "已完成"}, enterprise.staff)


def test_a_major_goes_through_its_whole_lifecycle(api: Api, enterprise: Enterprise, major: str) -> None:
    api.post(f"/hazards/{major}/report-to-regulator", {}, enterprise.principal)
    api.post(f"/hazards/{major}/plan", full_plan(stoppage="partial"), enterprise.principal)
    api.post(f"/hazards/{major}/progress", {"note": "探头已采购", "percent": 40}, enterprise.staff)
    api.post(
        f"/hazards/{major}/supervision",
        {
            "level": "district",
            "supervising_body": "呈贡区人民政府",
            "document_number": "呈安委督〔2023〕12号",
            "issuer": "呈贡区安全生产委员会",
            "time_limit": future_date(60),
        },
        INSPECTOR,
    )
    api.post(
        f"/hazards/{major}/deadline-extension",
        {"request_date": future_date(0), "reason": "设备到货延迟", "new_deadline": future_date(45), "approver": "张伟"},
        INSPECTOR,
    )
    api.post(f"/hazards/{major}/completion", {"note": "已完成"}, enterprise.staff)
    api.post(f"/hazards/{major}/verification", {"passed": False, "opinion": "报警联锁未投用"}, INSPECTOR)
    api.post(f"/hazards/{major}/completion", {"note": "联锁已投用"}, enterprise.staff)
    api.post(
        f"/hazards/{major}/verification",
        {"passed": True, "opinion": "整改到位", "assessed_by": ["experts", "government"]},
        INSPECTOR_2,
    )
    api.post(f"/hazards/{major}/supervision/lift", {"reason": "验收合格", "approver": "呈贡区人民政府"}, INSPECTOR)
    receipt = api.post(f"/hazards/{major}/closure", {"note": "销号"}, INSPECTOR)

    hazard = api.get(f"/hazards/{major}")
    assert (hazard["state"], hazard["state_zh"], hazard["listed"]) == ("closed", "已销号", False)
    assert hazard["deadline"] == future_date(45)
    types = [e["type"] for e in api.events(major)]
    assert types == [
        "HazardReported",
        "HazardReportedToRegulator",
        "RectificationPlanFiled",
        "ProgressRecorded",
        "ListedForSupervision",
        "DeadlineExtended",
        "RectificationCompleted",
        "VerificationFailed",
        "RectificationCompleted",
        "VerificationPassed",
        "SupervisionLifted",
        "HazardClosed",
    ]
    assert receipt["version"] == len(types)
    verifier = api.events(major)[9]["actor"]
    assert (verifier["user_id"], verifier["name"], verifier["organisation_id"]) == ("yjj-li", "李娜", "yjj")


def test_closing_before_verification_is_refused_with_its_rule_code(api: Api, enterprise: Enterprise, major: str) -> None:
    problem = api.post(f"/hazards/{major}/closure", {}, INSPECTOR, status=409)
    assert problem["code"] == "hazard_not_verified"
    assert problem["message_zh"] == "隐患尚未验收通过，不能销号"
    assert "cannot close" in problem["message_en"]
    assert len(api.events(major)) == 1


def test_an_incomplete_plan_for_a_major_names_the_missing_elements(api: Api, enterprise: Enterprise, major: str) -> None:
    problem = api.post(
        f"/hazards/{major}/plan", full_plan(funds_yuan=None, contingency_plan=""), enterprise.principal, status=409
    )
    assert problem["code"] == "plan_incomplete"
    assert problem["details"]["fields"] == ["funds_yuan", "contingency_plan"]
    assert "整改资金、应急预案" in problem["message_zh"]
    assert len(api.events(major)) == 1


def test_the_claimer_cannot_verify(api: Api, enterprise: Enterprise) -> None:
    general = api.post(
        "/hazards",
        {"enterprise_id": enterprise.id, "grade": "general", "source": "self_inspection", "description": "消防通道堆放杂物"},
        enterprise.principal,
        status=201,
    )["id"]
    api.post(f"/hazards/{general}/plan", full_plan(), enterprise.principal)
    api.post(f"/hazards/{general}/completion", {}, enterprise.principal)
    # the enterprise never verifies its own hazard; the claimer under an inspector's hat is refused too
    problem = api.post(f"/hazards/{general}/verification", {"passed": True, "opinion": "ok"}, enterprise.principal, status=403)
    assert problem["code"] == "role_not_allowed"
    disguised = headers("ent-li", "李建国", "inspector", "yjj", "department", "区应急管理局")
    problem = api.post(f"/hazards/{general}/verification", {"passed": True, "opinion": "ok"}, disguised, status=409)
    assert problem["code"] == "verifier_is_claimer"
    assert len(api.events(general)) == 3


def test_a_listed_hazard_cannot_close(api: Api, enterprise: Enterprise, major: str) -> None:
    api.post(
        f"/hazards/{major}/supervision",
        {
            "level": "city",
            "supervising_body": "昆明市人民政府",
            "document_number": "昆安委督〔2023〕3号",
            "issuer": "昆明市安委会",
            "time_limit": future_date(60),
        },
        INSPECTOR,
    )
    _to_pending(api, enterprise, major)
    api.post(f"/hazards/{major}/verification", {"passed": True, "opinion": "合格"}, INSPECTOR)
    problem = api.post(f"/hazards/{major}/closure", {}, INSPECTOR, status=409)
    assert problem["code"] == "hazard_listed"
    assert api.get(f"/hazards/{major}")["state"] == "verified"


def test_a_stale_if_match_is_a_version_conflict_and_appends_nothing(api: Api, enterprise: Enterprise, major: str) -> None:
    api.post(f"/hazards/{major}/report-to-regulator", {}, enterprise.principal, **{"If-Match": '"1"'})
    problem = api.post(f"/hazards/{major}/plan", full_plan(), enterprise.principal, status=409, **{"If-Match": '"1"'})
    assert problem["code"] == "version_conflict"
    assert len(api.events(major)) == 2
    assert api.post(f"/hazards/{major}/plan", full_plan(), enterprise.principal, **{"If-Match": '"2"'})["version"] == 3


def test_a_retried_command_with_the_same_key_appends_once(api: Api, enterprise: Enterprise, major: str) -> None:
    key = {"Idempotency-Key": "plan-2023-0001"}
    first = api.post(f"/hazards/{major}/plan", full_plan(), enterprise.principal, **key)
    again = api.client.post(f"/api/v1/hazards/{major}/plan", json=full_plan(), headers={**enterprise.principal, **key})
    assert again.status_code == 200 and again.json() == first
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(api.events(major)) == 2
    reused = api.post(f"/hazards/{major}/progress", {"note": "x"}, enterprise.principal, status=422, **key)
    assert reused["code"] == "idempotency_key_reused"
    assert len(api.events(major)) == 2


def test_a_refused_command_frees_its_idempotency_key(api: Api, enterprise: Enterprise, major: str) -> None:
    key = {"Idempotency-Key": "k-1"}
    api.post(f"/hazards/{major}/completion", {}, enterprise.staff, status=409, **key)
    api.post(f"/hazards/{major}/plan", full_plan(), enterprise.principal, **key)
    assert [e["type"] for e in api.events(major)][-1] == "RectificationPlanFiled"


def test_malformed_body_is_422_naming_the_field(api: Api, major: str, enterprise: Enterprise) -> None:
    problem = api.post(f"/hazards/{major}/progress", {"note": "x", "percent": 140}, enterprise.staff, status=422)
    assert problem["code"] == "validation_failed"
    assert [e["field"] for e in problem["errors"]] == ["body.percent"]
    problem = api.post(f"/hazards/{major}/plan", full_plan(deadline="soon"), enterprise.principal, status=422)
    assert problem["errors"][0]["field"] == "body.deadline"


def test_unknown_hazard_is_404_problem(api: Api) -> None:
    problem = api.get("/hazards/6f1c1d9e-2a55-4a4e-9d7b-2f3f6b7a0c11", status=404)
    assert problem["code"] == "hazard_not_found"
    r = api.client.post("/api/v1/hazards/6f1c1d9e-2a55-4a4e-9d7b-2f3f6b7a0c11/void", json={"reason": "x"}, headers=OFFICE)
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"


def test_writes_without_identity_are_401(api: Api, enterprise: Enterprise) -> None:
    r = api.client.post(
        "/api/v1/hazards", json={"enterprise_id": enterprise.id, "grade": "general", "source": "tip_off", "description": "x"}
    )
    assert r.status_code == 401 and r.json()["code"] == "unauthenticated"


def test_a_department_outside_the_sector_is_refused(api: Api, enterprise: Enterprise, major: str) -> None:
    problem = api.post(f"/hazards/{major}/void", {"reason": "重复"}, OTHER_DEPT, status=403)
    assert problem["code"] == "outside_scope"
    assert len(api.events(major)) == 1


def test_evidence_bytes_are_stored_and_their_digest_recorded(api: Api, enterprise: Enterprise, major: str) -> None:
    content = b"\x89PNG\r\n\x1a\n photo of the new detector"
    digest = hashlib.sha256(content).hexdigest()
    api.post(
        f"/hazards/{major}/evidence",
        {
            "file_name": "探头.png",
            "media_type": "image/png",
            "content_base64": base64.b64encode(content).decode(),
            "sha256": digest,
            "latitude": 24.889,
            "longitude": 102.821,
        },
        enterprise.staff,
    )
    event = api.events(major)[-1]
    assert event["type"] == "EvidenceAttached"
    assert (event["data"]["sha256"], event["data"]["size"]) == (digest, len(content))
    r = api.client.get(f"/api/v1/hazards/{major}/evidence/{digest}")
    assert r.status_code == 200 and r.content == content and r.headers["content-type"] == "image/png"
    assert r.headers["content-disposition"].startswith("inline") and r.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in r.headers["content-security-policy"]
    page = {"file_name": "x.html", "media_type": "text/html", "content_base64": base64.b64encode(b"<script>").decode()}
    refused = api.post(f"/hazards/{major}/evidence", page, enterprise.staff, status=422)
    assert refused["code"] == "invalid_value" and refused["details"]["field"] == "media_type"
    notes = {"file_name": "记录.txt", "media_type": "Text/Plain; charset=utf-8", "content_base64": base64.b64encode(b"ok").decode()}
    api.post(f"/hazards/{major}/evidence", notes, enterprise.staff)
    text_digest = hashlib.sha256(b"ok").hexdigest()
    r = api.client.get(f"/api/v1/hazards/{major}/evidence/{text_digest}")
    assert r.headers["content-disposition"].startswith("attachment") and r.headers["content-type"].startswith("text/plain")
    problem = api.post(
        f"/hazards/{major}/evidence",
        {"file_name": "x.png", "content_base64": base64.b64encode(b"other").decode(), "sha256": digest},
        enterprise.staff,
        status=422,
    )
    assert problem["code"] == "evidence_digest_mismatch"
    assert len(api.events(major)) == 3


def test_the_list_filters_by_state_grade_sector_and_unit(api: Api, enterprise: Enterprise, major: str) -> None:
    general = api.post(
        "/hazards",
        {"enterprise_id": enterprise.id, "grade": "general", "source": "self_inspection", "description": "灭火器过期"},
        enterprise.principal,
        status=201,
    )["id"]
    api.post(f"/hazards/{general}/plan", full_plan(), enterprise.principal)
    assert {h["id"] for h in api.get("/hazards")["items"]} == {major, general}
    assert [h["id"] for h in api.get("/hazards", state="rectifying")["items"]] == [general]
    assert [h["id"] for h in api.get("/hazards", grade="major")["items"]] == [major]
    assert api.get("/hazards", sector="hazardous_chemicals")["total"] == 2
    assert api.get("/hazards", sector="fire_safety")["total"] == 0
    assert api.get("/hazards", unit="yjj")["total"] == 2
    assert api.get("/hazards", unit="wulong")["total"] == 2
    assert api.get("/hazards", unit="wlj")["total"] == 0
    row = api.get("/hazards", state="rectifying")["items"][0]
    assert (row["enterprise_name"], row["state_zh"], row["deadline"]) == ("昆明呈贡示例化工有限公司", "整改中", future_date())
    problem = api.get("/hazards", state="finished", status=422)
    assert problem["errors"][0]["field"] == "query.state"


def test_the_list_says_overdue_as_the_hazard_does_and_a_clerks_statement_decides(api: Api, enterprise: Enterprise) -> None:
    """The hazard list's overdue (a SQL condition over the row) says what the fold says on the hazard's page."""
    now = datetime.now(CHINA_TZ)
    day = lambda n: (now - timedelta(days=n)).date().isoformat()  # noqa: E731
    hazard = api.post("/hazards", {"enterprise_id": enterprise.id, "grade": "major", "source": "self_inspection",
                                   "criterion": "第十二条", "description": "储罐区报警装置失效", "occurred_at": (now - timedelta(days=20)).isoformat()},
                      enterprise.principal, status=201)["id"]  # fmt: skip
    api.post(f"/hazards/{hazard}/plan", full_plan(deadline=day(10), occurred_at=(now - timedelta(days=15)).isoformat()),
             enterprise.principal)  # fmt: skip

    def listed() -> tuple[bool, bool, bool]:
        overdue_ids = {h["id"] for h in api.get("/hazards", overdue="true")["items"]}
        item = next(h for h in api.get("/hazards", enterprise_id=enterprise.id)["items"] if h["id"] == hazard)
        return hazard in overdue_ids, item["overdue"], api.get(f"/hazards/{hazard}")["overdue"]

    assert listed() == (True, True, True)
    api.post(f"/hazards/{hazard}/deadline-miss", {"deadline": day(10), "missed": False, "reason": "据督查记录按期完成"}, OFFICE)
    assert listed() == (False, False, False)


def test_the_list_filters_by_deadline_and_its_tally_adds_up_to_the_list(
    api: Api, enterprise: Enterprise, services: Services
) -> None:
    """``deadline_by`` (我的工作's deadlines near) keeps the hazards due by that day; the overview's tally
    counts with the same conditions as the list, so each figure equals its list's total."""
    soon, later = future_date(3), future_date(30)
    for deadline in (soon, later):
        hazard = api.post("/hazards", {"enterprise_id": enterprise.id, "grade": "general", "source": "self_inspection",
                                       "description": f"期限 {deadline}"}, enterprise.principal, status=201)["id"]  # fmt: skip
        api.post(f"/hazards/{hazard}/plan", full_plan(deadline=deadline), enterprise.principal)
    assert [h["deadline"] for h in api.get("/hazards", deadline_by=future_date(7))["items"]] == [soon]
    assert api.get("/hazards", deadline_by=later)["total"] == 2

    api.post("/hazards", {"enterprise_id": enterprise.id, "grade": "general", "source": "tip_off", "description": "待制定方案"},
             OFFICE, status=201)  # fmt: skip
    assert api.get("/hazards")["total"] == 3  # the read model caught up (read your writes)
    tally = services.queries.tally(HazardFilter())
    assert sum(r["count"] for r in tally) == 3
    by_state = {(r["state"], r["sector"], r["jurisdiction"], r["overdue"], r["listed"]): r["count"] for r in tally}
    assert by_state[("rectifying", "hazardous_chemicals", "wulong", False, False)] == 2
    assert sum(r["count"] for r in services.queries.tally(HazardFilter(state=HazardState.REPORTED))) == 1
