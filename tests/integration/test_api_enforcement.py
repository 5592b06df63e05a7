"""Enforcement through HTTP: the plan's five rules as a regulator meets them."""

from __future__ import annotations

from datetime import datetime, timedelta

from app.wiring import Services
from domain.business_time import FixedClock, business_date
from tests.integration.conftest import INSPECTOR, INSPECTOR_2, OFFICE, Api, Enterprise, full_plan


def _major(api: Api, enterprise: Enterprise, source: str = "department_inspection") -> str:
    who = enterprise.principal if source == "self_inspection" else INSPECTOR
    return api.post(  # type: ignore[no-any-return]
        "/hazards",
        {
            "enterprise_id": enterprise.id,
            "grade": "major",
            "source": source,
            "criterion": "第十二条",
            "description": "报警装置失效",
        },
        who,
        status=201,
    )["id"]


def _case(api: Api, enterprise: Enterprise, number: str, hazards: list[str]) -> str:
    return api.post(  # type: ignore[no-any-return]
        "/cases",
        {
            "enterprise_id": enterprise.id,
            "case_number": number,
            "legal_basis": "《安全生产法》第一百零二条",
            "cited_hazard_ids": hazards,
        },
        INSPECTOR,
        status=201,
    )["id"]


def _penalty(fine: int = 50000, number: str = "呈应急罚决〔2023〕1号") -> dict:  # type: ignore[type-arg]
    return {"target": "enterprise", "fine_yuan": fine, "decision_number": number, "legal_basis": "《安全生产法》第一百零二条"}


def _verify(api: Api, enterprise: Enterprise, hazard: str) -> None:
    api.post(f"/hazards/{hazard}/plan", full_plan(), enterprise.principal)
    api.post(f"/hazards/{hazard}/completion", {}, enterprise.staff)
    api.post(f"/hazards/{hazard}/verification", {"passed": True, "opinion": "合格"}, INSPECTOR)


def test_a_self_reported_major_cannot_ground_a_penalty(api: Api, enterprise: Enterprise) -> None:
    hazard = _major(api, enterprise, source="self_inspection")
    api.post(f"/hazards/{hazard}/report-to-regulator", {}, enterprise.principal)
    case = _case(api, enterprise, "呈应急立〔2023〕1号", [hazard])
    problem = api.post(f"/cases/{case}/penalty", _penalty(), INSPECTOR, status=409)
    assert problem["code"] == "penalty_exempt" and "不予行政处罚" in problem["message_zh"]
    assert len(api.get(f"/cases/{case}/events")) == 1


def test_penalty_never_changes_the_hazard_and_fines_are_whole_yuan(api: Api, enterprise: Enterprise) -> None:
    hazard = _major(api, enterprise)
    case = _case(api, enterprise, "呈应急立〔2023〕2号", [hazard])
    api.post(f"/cases/{case}/penalty", _penalty(fine=52000), INSPECTOR)
    assert [e["type"] for e in api.events(hazard)] == ["HazardReported"]
    assert api.get(f"/cases/{case}")["total_fines_yuan"] == 52000
    assert api.post(f"/cases/{case}/penalty", _penalty(fine=-1), INSPECTOR, status=422)["errors"][0]["field"] == "body.fine_yuan"
    assert (
        api.post(f"/cases/{case}/penalty", {**_penalty(), "fine_yuan": 1.5}, INSPECTOR, status=422)["code"] == "validation_failed"
    )


def test_a_lapsed_major_requires_a_dual_penalty(api: Api, enterprise: Enterprise, services: Services) -> None:
    hazard = _major(api, enterprise)
    api.post(
        f"/hazards/{hazard}/plan",
        {"responsible_person": "李建国", "measures": "当场停用", "immediate": True},
        enterprise.principal,
    )
    # The immediate plan's deadline (today) passes: from tomorrow the rectification has lapsed (derived).
    tomorrow = services.ledger.clock.now() + timedelta(days=1)
    services.ledger.clock = FixedClock(tomorrow)
    case = _case(api, enterprise, "呈应急立〔2023〕3号", [hazard])
    assert api.post(f"/cases/{case}/penalty", _penalty(), INSPECTOR, status=409)["code"] == "dual_penalty_required"
    body = {"enterprise_fine_yuan": 200000, "principal_fine_yuan": 30000, "decision_number": "呈应急罚决〔2023〕3号",
            "legal_basis": "《安全生产法》第一百一十三条"}  # fmt: skip
    api.post(f"/cases/{case}/dual-penalty", body, INSPECTOR)
    assert api.get(f"/cases/{case}")["total_fines_yuan"] == 230000
    assert [e["type"] for e in api.get(f"/cases/{case}/events")][-1] == "DualPenaltyImposed"


def test_a_single_penalty_entered_after_its_day_is_accepted_and_listed_until_a_completion_clears_it(
    api: Api, enterprise: Enterprise, services: Services
) -> None:
    # Paper records entered three days late: the plan was due the day of the report; the case opened the
    # next day and a single penalty followed. The completion (dated in time) reaches the ledger last.
    hazard = _major(api, enterprise)
    api.post(f"/hazards/{hazard}/plan", {"responsible_person": "李建国", "measures": "当场停用", "immediate": True}, enterprise.principal)
    reported_at = datetime.fromisoformat(api.events(hazard)[-1]["occurred_at"])
    services.ledger.clock = FixedClock(reported_at + timedelta(days=3))
    opened = (reported_at + timedelta(days=1)).isoformat()
    case = api.post("/cases", {"enterprise_id": enterprise.id, "case_number": "呈应急立〔2023〕9号", "occurred_at": opened,
                               "legal_basis": "《安全生产法》第一百零二条", "cited_hazard_ids": [hazard]}, INSPECTOR, status=201)["id"]  # fmt: skip
    # decided today, the lapsed major asks for the dual penalty; decided two days ago, it is history
    assert api.post(f"/cases/{case}/penalty", _penalty(), INSPECTOR, status=409)["code"] == "dual_penalty_required"
    decided = (reported_at + timedelta(days=2)).isoformat()
    api.post(f"/cases/{case}/penalty", {**_penalty(), "occurred_at": decided}, INSPECTOR)
    [conflict] = api.get(f"/cases/{case}")["rule_conflicts"]
    assert conflict["code"] == "dual_penalty_required" and conflict["decision_number"] == "呈应急罚决〔2023〕1号"
    assert "一案双罚" in conflict["message_zh"] and conflict["hazard_ids"] == [hazard]
    today = business_date(services.ledger.clock.now()).isoformat()  # the queries' own clock is the fixture's
    [entry] = api.get("/accountability/anomalies", kind="penalty_against_rules", as_of=today)["lists"]["penalty_against_rules"]["entries"]
    assert entry["case_id"] == case and entry["persons"][0]["user_id"] == INSPECTOR["X-User-Id"]
    assert [e["event_type"] for e in entry["evidence"]] == ["CaseOpened", "PenaltyDecided"]
    # the completion, dated the day of the plan, was entered last: the rectification never lapsed
    api.post(f"/hazards/{hazard}/completion", {"occurred_at": (reported_at + timedelta(seconds=1)).isoformat()}, enterprise.staff)
    assert api.get(f"/cases/{case}")["rule_conflicts"] == []
    assert api.get("/accountability/anomalies", kind="penalty_against_rules", as_of=today)["lists"]["penalty_against_rules"]["count"] == 0


def test_suspension_lifts_only_after_the_cited_majors_are_verified(api: Api, enterprise: Enterprise) -> None:
    hazard = _major(api, enterprise)
    case = _case(api, enterprise, "呈应急立〔2023〕4号", [hazard])
    api.post(f"/cases/{case}/suspension", {"decision_number": "呈应急停〔2023〕1号", "reason": "无法保证安全"}, INSPECTOR)
    problem = api.post(f"/cases/{case}/suspension-lift", {"opinion": "复产"}, INSPECTOR, status=409)
    assert problem["code"] == "cited_majors_unverified"
    _verify(api, enterprise, hazard)
    api.post(f"/cases/{case}/suspension-lift", {"opinion": "复产验收合格"}, INSPECTOR_2)
    assert [e["type"] for e in api.get(f"/cases/{case}/events")][-2:] == ["SuspensionOrdered", "SuspensionLifted"]


def test_no_penalty_instead_of_rectification(api: Api, enterprise: Enterprise) -> None:
    hazard = _major(api, enterprise)
    case = _case(api, enterprise, "呈应急立〔2023〕5号", [hazard])
    api.post(f"/cases/{case}/penalty", _penalty(), INSPECTOR)
    assert api.post(f"/cases/{case}/close", {"reason": "已执行"}, INSPECTOR, status=409)["code"] == "cited_hazard_open"
    api.post(f"/cases/{case}/close", {"reason": "已执行", "open_hazards_reason": "隐患整改另案督办"}, INSPECTOR)
    assert api.post(f"/cases/{case}/penalty", _penalty(number="x"), INSPECTOR, status=409)["code"] == "case_closed"
    api.post(f"/cases/{case}/publication", {"title": "典型案例", "dangerous_operations_crime": False}, OFFICE)


def test_closure_ban_and_judicial_transfer_follow_in_order(api: Api, enterprise: Enterprise) -> None:
    case = _case(api, enterprise, "呈应急立〔2023〕6号", [_major(api, enterprise)])
    assert api.post(f"/cases/{case}/industry-ban", {"years": 5}, INSPECTOR, status=409)["code"] == "closure_not_ordered"
    assert (
        api.post(f"/cases/{case}/closure", {"government": "呈贡区人民政府", "decision_number": "d"}, INSPECTOR, status=409)[
            "code"
        ]
        == "closure_not_requested"
    )
    api.post(f"/cases/{case}/closure-request", {"government": "呈贡区人民政府", "reason": "多次处罚仍未整改"}, INSPECTOR)
    api.post(f"/cases/{case}/closure", {"government": "呈贡区人民政府", "decision_number": "呈政关〔2023〕1号"}, INSPECTOR)
    api.post(f"/cases/{case}/industry-ban", {"years": 5}, INSPECTOR)
    problem = api.post(
        f"/cases/{case}/judicial-transfer", {"persons": [], "suspected_offence": "危险作业罪"}, INSPECTOR, status=422
    )
    assert problem["errors"][0]["field"] == "body.persons"
    api.post(
        f"/cases/{case}/judicial-transfer",
        {"persons": ["李建国"], "suspected_offence": "危险作业罪", "dangerous_operations_crime": True}, INSPECTOR,
    )  # fmt: skip
    types = [e["type"] for e in api.get(f"/cases/{case}/events")]
    assert types[-4:] == ["ClosureRequested", "ClosureOrdered", "IndustryBanApplied", "TransferredToJudiciary"]


def test_publication_batches_name_their_enterprises(api: Api, enterprise: Enterprise) -> None:
    body = {"kind": "joint_punishment", "title": "联合惩戒一批", "document_number": "呈安委办〔2023〕9号",
            "channel": "呈贡区人民政府网站", "enterprise_ids": [enterprise.id]}  # fmt: skip
    batch = api.post("/publication-batches", body, OFFICE, status=201)["id"]
    record = api.get(f"/publication-batches/{batch}")
    assert record["kind"] == "joint_punishment" and record["enterprise_ids"] == [enterprise.id]
    assert api.post("/publication-batches", {**body, "kind": "praise"}, OFFICE, status=422)["errors"][0]["field"] == "body.kind"
