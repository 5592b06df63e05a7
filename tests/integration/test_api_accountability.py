"""The accountability trail through HTTP, on both backends: 谁检查、谁签名、谁负责."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from app.wiring import Services
from domain.business_time import CHINA_TZ
from tests.integration.conftest import INSPECTOR, INSPECTOR_2, OFFICE, Api, Enterprise, full_plan, headers

CRITERION = "《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）》第十二条"


def at(day: str, time: str = "10:00") -> str:
    return f"{day}T{time}:00+08:00"


def inspect(api: Api, enterprise: Enterprise, day: str, who: dict[str, str], team: list[dict[str, str]], scope: list[str],
            kind: str = "department") -> str:  # fmt: skip
    body = {"enterprise_id": enterprise.id, "kind": kind, "inspectors": team, "scope": scope, "occurred_at": at(day, "09:00")}
    return api.post("/inspections", body, who, status=201)["id"]  # type: ignore[no-any-return]


def clean_signed_inspection(api: Api, enterprise: Enterprise, day: str) -> str:
    team = [{"user_id": "yjj-zhang", "name": "张伟"}, {"user_id": "yjj-li", "name": "李娜"}]
    inspection = inspect(api, enterprise, day, INSPECTOR, team, ["储罐区", "特种作业"])
    for item in ("储罐区", "特种作业"):
        finding = {"item": item, "no_major_hazard": True, "note": "未发现重大事故隐患", "occurred_at": at(day, "10:00")}
        api.post(f"/inspections/{inspection}/findings", finding, INSPECTOR)
    api.post(f"/inspections/{inspection}/signatures", {"occurred_at": at(day, "11:00")}, INSPECTOR)
    api.post(f"/inspections/{inspection}/signatures", {"occurred_at": at(day, "11:05")}, INSPECTOR_2)
    return inspection


def report(api: Api, enterprise: Enterprise, day: str, who: dict[str, str] = INSPECTOR, **changes: Any) -> str:
    body = {
        "enterprise_id": enterprise.id, "grade": "major", "source": "department_inspection", "criterion": CRITERION,
        "description": "液化烃储罐区可燃气体检测报警装置失效", "occurred_at": at(day, "10:30"), **changes,
    }  # fmt: skip
    return api.post("/hazards", body, who, status=201)["id"]  # type: ignore[no-any-return]


def found_by_supervision(api: Api, enterprise: Enterprise, day: str, existed_since: str) -> tuple[str, str]:
    """The 区安委办's unannounced visit finds, on the item the clean inspection covered, a hazard that
    existed before it."""
    office = [{"user_id": "ajb-wang", "name": "王主任"}]
    visit = inspect(api, enterprise, day, OFFICE, office, ["储罐区"], kind="supervision_visit")
    hazard = report(api, enterprise, day, OFFICE, source="supervision", inspection_id=visit, existed_since=existed_since)
    api.post(
        f"/inspections/{visit}/findings", {"item": "储罐区", "hazard_ids": [hazard], "occurred_at": at(day, "10:40")}, OFFICE
    )
    api.post(f"/inspections/{visit}/signatures", {"occurred_at": at(day, "11:00")}, OFFICE)
    return visit, hazard


def rectify(api: Api, enterprise: Enterprise, hazard: str, day: str, verifier: dict[str, str] = INSPECTOR_2) -> None:
    api.post(f"/hazards/{hazard}/plan", {**full_plan(), "occurred_at": at(day, "11:00")}, enterprise.principal)
    api.post(f"/hazards/{hazard}/completion", {"note": "已更换探头", "occurred_at": at(day, "14:00")}, enterprise.staff)
    verification = {"passed": True, "opinion": "整改到位", "assessed_by": ["experts"], "occurred_at": at(day, "16:00")}
    api.post(f"/hazards/{hazard}/verification", verification, verifier)


def now() -> str:
    """A recording time between two requests (``known_at``)."""
    return datetime.now(UTC).isoformat()


def plan(api: Api, enterprise: Enterprise, hazard: str, day: str, deadline: str) -> None:
    api.post(f"/hazards/{hazard}/plan", {**full_plan(deadline=deadline), "occurred_at": at(day, "11:00")}, enterprise.principal)


def complete(api: Api, enterprise: Enterprise, hazard: str, day: str) -> None:
    api.post(f"/hazards/{hazard}/completion", {"note": "已更换探头", "occurred_at": at(day, "14:00")}, enterprise.staff)


def verify(api: Api, hazard: str, day: str) -> None:
    body = {"passed": True, "opinion": "整改到位", "assessed_by": ["experts"], "occurred_at": at(day, "16:00")}
    api.post(f"/hazards/{hazard}/verification", body, INSPECTOR_2)


def penalise(api: Api, enterprise: Enterprise, hazard: str, opened: str, decided: str, number: int = 9, dual: bool = False) -> str:
    case = {"enterprise_id": enterprise.id, "case_number": f"呈应急立〔2023〕{number}号", "legal_basis": "《安全生产法》第一百零二条",
            "cited_hazard_ids": [hazard], "occurred_at": at(opened)}  # fmt: skip
    case_id: str = api.post("/cases", case, INSPECTOR, status=201)["id"]
    decision = {"decision_number": f"呈应急罚决〔2023〕{number}号", "legal_basis": "《安全生产法》第一百零二条",
                "occurred_at": at(decided)}  # fmt: skip
    if dual:  # 一案双罚: required once the hazard's rectification lapsed
        api.post(f"/cases/{case_id}/dual-penalty", {**decision, "enterprise_fine_yuan": 200000, "principal_fine_yuan": 30000},
                 INSPECTOR)  # fmt: skip
    else:
        api.post(f"/cases/{case_id}/penalty", {**decision, "target": "enterprise", "fine_yuan": 50000}, INSPECTOR)
    return case_id


def anomalies(api: Api, kind: str, **params: Any) -> list[dict[str, Any]]:
    answer = api.get("/accountability/anomalies", kind=kind, **params)
    assert list(answer["lists"]) == [kind]
    return answer["lists"][kind]["entries"]  # type: ignore[no-any-return]


def user_ids(entry: dict[str, Any]) -> list[str]:
    return [p["user_id"] for p in entry["persons"]]


# ----- inspected but missed ------------------------------------------------------------------------


def test_a_clean_signed_inspection_contradicted_later_lists_both_signers(api: Api, enterprise: Enterprise) -> None:
    clean = clean_signed_inspection(api, enterprise, "2023-06-10")
    visit, hazard = found_by_supervision(api, enterprise, "2023-08-01", existed_since="2023-05-20")
    # a hazard that only appeared after the clean inspection does not contradict it
    found_by_supervision(api, enterprise, "2023-08-02", existed_since="2023-06-11")

    [entry] = anomalies(api, "inspected_but_missed")
    assert entry["hazard"]["id"] == hazard and entry["inspection"]["id"] == clean and entry["hazard_item"] == "储罐区"
    assert user_ids(entry) == ["yjj-zhang", "yjj-li"]
    assert all(p["act"] == "signed_inspection" and p["signature"]["status"] in ("unsigned", "signed_unchecked", "valid")
               for p in entry["persons"])  # fmt: skip
    assert [(e["event_type"], e["record"]["id"]) for e in entry["evidence"]] == [
        ("InspectionConducted", clean), ("FindingRecorded", clean), ("InspectionSigned", clean),
        ("InspectionSigned", clean), ("HazardReported", hazard),
    ]  # fmt: skip
    assert {"kind": "inspection", "id": clean} in entry["records"] and visit not in str(entry["records"])
    # by unit: the signers' department and the hazard's street see it; another street does not
    # as of the day before the visit found the hazard, nothing contradicted the inspection yet
    assert anomalies(api, "inspected_but_missed", as_of="2023-07-31") == []
    assert len(anomalies(api, "inspected_but_missed", as_of="2023-08-01")) == 1
    assert len(anomalies(api, "inspected_but_missed", unit="yjj")) == 1
    assert len(anomalies(api, "inspected_but_missed", unit="wulong")) == 1
    assert anomalies(api, "inspected_but_missed", unit="longcheng") == []
    assert api.get("/accountability/anomalies", status=422, kind="nonsense")["code"] == "unknown_anomaly_kind"


def test_a_self_reported_hazard_matches_any_clean_item(api: Api, enterprise: Enterprise) -> None:
    clean_signed_inspection(api, enterprise, "2023-06-10")
    before = now()
    hazard = report(api, enterprise, "2023-07-01", enterprise.principal, source="self_inspection", existed_since="2023-06-10")
    [entry] = anomalies(api, "inspected_but_missed")
    assert entry["hazard"]["id"] == hazard and entry["hazard_item"] is None and user_ids(entry) == ["yjj-zhang", "yjj-li"]
    assert anomalies(api, "inspected_but_missed", as_of="2023-06-30") == []  # not reported yet then
    assert anomalies(api, "inspected_but_missed", known_at=before) == []  # not recorded yet then


# ----- verified but recurred -----------------------------------------------------------------------


def test_a_verification_followed_by_the_same_clause_within_the_window(api: Api, enterprise: Enterprise) -> None:
    first = report(api, enterprise, "2023-06-01")
    rectify(api, enterprise, first, "2023-06-20")
    report(api, enterprise, "2023-12-28")  # 191 days later: outside the 180-day window
    before = now()
    again = report(api, enterprise, "2023-12-10")  # 173 days later
    report(api, enterprise, "2023-07-01", criterion="第十五条")  # another clause

    assert anomalies(api, "verified_but_recurred", as_of="2023-12-09") == []  # no recurrence yet then
    assert anomalies(api, "verified_but_recurred", as_of="2023-12-31", known_at=before) == []  # not recorded yet then
    assert anomalies(api, "verified_but_recurred", as_of="2023-06-19") == []  # not verified yet then
    [entry] = anomalies(api, "verified_but_recurred", as_of="2023-12-10")
    assert entry["recurrence"]["id"] == again
    [entry] = anomalies(api, "verified_but_recurred")
    assert entry["hazard"]["id"] == first and entry["recurrence"]["id"] == again
    assert entry["recurrence"]["days_after_verification"] == 173
    assert user_ids(entry) == ["yjj-li"] and entry["persons"][0]["act"] == "verified_passed"
    assert [e["event_type"] for e in entry["evidence"]] == ["VerificationPassed", "HazardReported"]


def test_an_accident_after_a_verification_lists_the_verifier(api: Api, enterprise: Enterprise) -> None:
    first = report(api, enterprise, "2023-06-01")
    rectify(api, enterprise, first, "2023-06-20")
    accident = {"enterprise_id": enterprise.id, "grade": "general", "deaths": 0, "injuries": 1, "direct_loss_yuan": 50000,
                "liability": True, "description": "储罐区泄漏致一人中毒", "occurred_at": at("2023-07-15")}  # fmt: skip
    accident_id = api.post("/accidents", accident, INSPECTOR, status=201)["id"]
    [entry] = anomalies(api, "verified_but_recurred")
    assert entry["recurrence"] == {**entry["recurrence"], "kind": "accident", "id": accident_id}
    assert user_ids(entry) == ["yjj-li"]


# ----- penalised but not rectified ----------------------------------------------------------------


def test_a_penalty_and_the_hazard_past_its_deadline_and_not_rectified(api: Api, enterprise: Enterprise) -> None:
    hazard = report(api, enterprise, "2023-06-01")
    plan(api, enterprise, hazard, "2023-06-02", "2023-06-30")
    case_id = penalise(api, enterprise, hazard, "2023-06-05", "2023-06-06")

    answer = api.get("/accountability/anomalies", kind="penalised_but_not_rectified", as_of="2023-06-30")
    assert answer["rules"]["penalised_open_days"] == 0  # no grace period by default
    assert answer["lists"]["penalised_but_not_rectified"]["entries"] == []  # the deadline day: not past it yet
    [entry] = anomalies(api, "penalised_but_not_rectified", as_of="2023-07-01")  # the day after the deadline
    assert entry["hazard"]["id"] == hazard and entry["case_id"] == case_id and entry["days_since_penalty"] == 25
    assert entry["due"] == "2023-06-06" and entry["deadline"] == "2023-06-30" and entry["hazard"]["state"] == "rectifying"
    assert entry["missed_at"] == "2023-06-30T16:00:00+00:00" and entry["missed_deadlines"] == ["2023-06-30"]
    assert user_ids(entry) == ["yjj-zhang"] and entry["persons"][0]["act"] == "decided_penalty"
    assert [e["event_type"] for e in entry["evidence"]] == ["CaseOpened", "PenaltyDecided", "HazardReported"]

    complete(api, enterprise, hazard, "2023-07-05")  # late: the miss stands
    before = now()
    verify(api, hazard, "2023-07-10")
    [entry] = anomalies(api, "penalised_but_not_rectified", as_of="2023-07-08")  # completed, not verified: not rectified
    assert entry["hazard"]["state"] == "pending_verification"
    assert anomalies(api, "penalised_but_not_rectified", as_of="2023-07-10") == []  # verified by then
    assert anomalies(api, "penalised_but_not_rectified", as_of="2023-07-20") == []
    assert len(anomalies(api, "penalised_but_not_rectified", as_of="2023-07-20", known_at=before)) == 1


def test_a_penalty_after_the_deadline_lists_the_hazard_from_the_decision(api: Api, enterprise: Enterprise) -> None:
    hazard = report(api, enterprise, "2023-06-01")
    plan(api, enterprise, hazard, "2023-06-02", "2023-06-10")
    assert len(anomalies(api, "overdue", as_of="2023-06-20")) == 1
    before = now()
    penalise(api, enterprise, hazard, "2023-06-15", "2023-06-21", dual=True)
    assert anomalies(api, "penalised_but_not_rectified", as_of="2023-06-20") == []  # not penalised yet then
    [entry] = anomalies(api, "penalised_but_not_rectified", as_of="2023-06-21")
    assert entry["days_since_penalty"] == 0 and entry["missed_at"] == "2023-06-10T16:00:00+00:00"
    assert entry["persons"][0]["act"] == "imposed_dual_penalty"
    assert anomalies(api, "penalised_but_not_rectified", as_of="2023-06-21", known_at=before) == []
    # a hazard penalised but kept within its deadline is not listed
    kept = report(api, enterprise, "2023-06-01", description="另一项隐患")
    plan(api, enterprise, kept, "2023-06-02", "2023-06-30")
    penalise(api, enterprise, kept, "2023-06-05", "2023-06-06", number=10)
    complete(api, enterprise, kept, "2023-06-29")
    assert [e["hazard"]["id"] for e in anomalies(api, "penalised_but_not_rectified", as_of="2023-07-31")] == [hazard]


# ----- overdue ---------------------------------------------------------------------------------------


def test_overdue_from_the_day_after_the_deadline_as_known_then(api: Api, enterprise: Enterprise) -> None:
    hazard = report(api, enterprise, "2023-06-01")
    plan(api, enterprise, hazard, "2023-06-02", "2023-06-30")
    assert anomalies(api, "overdue", as_of="2023-06-01") == []  # no plan yet
    assert anomalies(api, "overdue", as_of="2023-06-30") == []  # the deadline day
    [entry] = anomalies(api, "overdue", as_of="2023-07-01")
    assert entry["hazard"]["id"] == hazard and entry["deadline"] == "2023-06-30" and entry["days_overdue"] == 1
    assert entry["missed_at"] == "2023-06-30T16:00:00+00:00" and entry["hazard"]["state"] == "rectifying"
    assert [p["act"] for p in entry["persons"]] == ["filed_plan", "named_responsible"]
    assert [e["event_type"] for e in entry["evidence"]] == ["RectificationPlanFiled"]
    assert [e["days_overdue"] for e in anomalies(api, "overdue", as_of="2023-08-15")] == [46]
    assert len(anomalies(api, "overdue", unit="wulong", as_of="2023-07-01")) == 1

    before = now()
    # the completion, dated before the deadline, is entered late: the hazard was never overdue …
    complete(api, enterprise, hazard, "2023-06-28")
    for day in ("2023-06-30", "2023-07-01", "2023-08-15"):
        assert anomalies(api, "overdue", as_of=day) == []
    # … but as known before it was entered, it was
    assert [e["days_overdue"] for e in anomalies(api, "overdue", as_of="2023-07-01", known_at=before)] == [1]
    assert anomalies(api, "overdue", as_of="2023-06-30", known_at=before) == []

    # a 区安委办 clerk's statement (登记（更正）逾期情况) shows in the hazard's chain
    statement = {"deadline": "2023-06-30", "missed": True, "reason": "据督查记录，未在期限内完成", "occurred_at": at("2023-07-05")}
    api.post(f"/hazards/{hazard}/deadline-miss", statement, OFFICE)
    chain = api.get(f"/accountability/hazards/{hazard}")["chain"]
    assert (chain[-1]["act"], chain[-1]["act_zh"], chain[-1]["person"]["user_id"]) == (
        "recorded_deadline_miss", "登记（更正）逾期情况", "ajb-wang",
    )  # fmt: skip
    assert chain[-1]["details"]["missed"] is True and chain[-1]["details"]["deadline"] == "2023-06-30"
    assert anomalies(api, "overdue", as_of="2023-07-06") == []  # awaiting verification: not rectifying, not overdue


# ----- the chain of a hazard and a person's acts ---------------------------------------------------


def test_the_chain_lists_every_person_in_order(api: Api, enterprise: Enterprise) -> None:
    visit, hazard = found_by_supervision(api, enterprise, "2023-08-01", existed_since="2023-07-01")
    rectify(api, enterprise, hazard, "2023-08-10")
    api.post(f"/hazards/{hazard}/closure", {"note": "销号", "occurred_at": at("2023-08-11")}, INSPECTOR)

    chain = api.get(f"/accountability/hazards/{hazard}")
    acts = [(a["act"], a["person"]["user_id"], a["record"]["kind"], a["version_seen"]) for a in chain["chain"]]
    assert acts == [
        ("recorded_inspection", "ajb-wang", "inspection", 0),
        ("inspected", "ajb-wang", "inspection", 0),
        ("reported", "ajb-wang", "hazard", 0),
        ("recorded_finding", "ajb-wang", "inspection", 1),
        ("signed_inspection", "ajb-wang", "inspection", 2),
        ("filed_plan", "ent-li", "hazard", 1),
        ("claimed_completion", "ent-chen", "hazard", 2),
        ("verified_passed", "yjj-li", "hazard", 3),
        ("closed", "yjj-zhang", "hazard", 4),
    ]
    signed = chain["chain"][4]
    assert signed["event_type"] == "InspectionSigned" and signed["signature"]["personal_signature_act"]
    assert signed["signature"]["status"] in ("unsigned", "signed_unchecked", "valid")
    assert signed["person"] == {**signed["person"], "name": "王主任", "role": "committee_office", "organisation_id": "ajb"}
    assert signed["occurred_at"] == "2023-08-01T03:00:00+00:00" and signed["recorded_at"]
    assert [p["user_id"] for p in chain["persons"]] == ["ajb-wang", "ent-li", "ent-chen", "yjj-li", "yjj-zhang"]
    assert chain["inspection_id"] == visit

    person = api.get("/accountability/people/yjj-li")
    assert [a["act"] for a in person["acts"]] == ["verified_passed"] and person["names"] == ["李娜"]
    assert api.get("/accountability/people/nobody", status=404)["code"] == "person_not_found"
    assert api.get("/accountability/hazards/00000000-0000-0000-0000-000000000000", status=404)["code"] == "hazard_not_found"


# ----- AccountabilityPursued: the record, the chain and Annex 1 item 9 ----------------------------


def test_accountability_pursued_feeds_annex1_item_9(api: Api, enterprise: Enterprise, services: Services) -> None:
    clean = clean_signed_inspection(api, enterprise, "2023-06-10")
    _, hazard = found_by_supervision(api, enterprise, "2023-08-01", existed_since="2023-05-20")
    body = {
        "hazard_ids": [hazard], "inspection_ids": [clean], "measures": ["诫勉谈话", "通报批评"], "decided_by": "ajb",
        "persons": [{"user_id": "yjj-zhang", "name": "张伟", "organisation": "区应急管理局", "role": "执法人员"},
                    {"user_id": "yjj-li", "name": "李娜", "organisation": "区应急管理局", "role": "执法人员"}],
        "summary": "明明有问题却查不出", "occurred_at": at("2023-11-20"),
    }  # fmt: skip
    case_id = api.post("/accountability/cases", body, OFFICE, status=201)["id"]
    case = api.get(f"/accountability/cases/{case_id}")
    assert case["persons_count"] == 2 and case["measures"] == ["诫勉谈话", "通报批评"] and case["decided_by_name"] == "区安委办"

    services.catch_up()
    assert _item9(services, None) == 2 and _item9(services, "ajb") == 2 and _item9(services, "yjj") == 0
    assert _item9(services, None, date(2023, 11, 19)) == 0

    chain = api.get(f"/accountability/hazards/{hazard}")
    assert [a["act"] for a in chain["chain"][-3:]] == ["pursued_accountability", "held_accountable", "held_accountable"]
    assert {"id": case_id, "kind": "accountability"} in chain["citing_cases"]
    held = api.get("/accountability/people/yjj-zhang")["held_accountable"]
    assert [(a["record"]["id"], a["details"]["measures"]) for a in held] == [(case_id, ["诫勉谈话", "通报批评"])]

    # refused: an enterprise, no persons, an inspector deciding for another unit, unknown grounds
    principal = enterprise.principal
    assert api.post("/accountability/cases", body, principal, status=403)["code"] == "role_not_allowed"
    assert api.post("/accountability/cases", {**body, "persons": []}, OFFICE, status=422)["code"] == "validation_failed"
    assert api.post("/accountability/cases", body, INSPECTOR, status=403)["code"] == "outside_scope"
    unknown = {**body, "hazard_ids": ["00000000-0000-0000-0000-000000000000"]}
    assert api.post("/accountability/cases", unknown, OFFICE, status=404)["code"] == "hazard_not_found"
    auditor = headers("audit-zheng", "郑审计", "auditor", "audit", "audit_body", "区审计局")
    assert api.post("/accountability/cases", body, auditor, status=403)["code"] == "role_not_allowed"


def _item9(services: Services, unit: str | None, as_of: date = date(2023, 12, 31)) -> int:
    annex = services.annexes.annex1(unit, as_of)
    items = {i["key"]: i for s in annex["sections"] for i in s["items"]}
    return items["accountability_persons"]["figures"]["value"]  # type: ignore[no-any-return]


# ----- the demo district ---------------------------------------------------------------------------


def test_the_demo_district_has_misses_and_an_accountability_decision(services: Services) -> None:
    from demo.loader import load_demo

    summary = load_demo(services.pipeline)
    services.catch_up()
    queries = services.accountability_queries
    lists = queries.anomalies(as_of=date(2023, 12, 31))["lists"]
    missed = lists["inspected_but_missed"]["entries"]
    assert missed and all(e["persons"] for e in missed)
    assert _item9(services, None) == 2
    [case_id] = summary.accountability_ids
    case = services.ledger.accountability.accountability_case(case_id)
    [hazard_id] = case["hazard_ids"]
    [inspection_id] = case["inspection_ids"]
    # the decision names the signers of an inspection the missed list shows for that hazard
    entry = next(e for e in missed if e["hazard"]["id"] == hazard_id and e["inspection"]["id"] == inspection_id)
    assert {p["user_id"] for p in case["persons"]} <= set(user_ids(entry))
    assert datetime.fromisoformat(case["decided_at"]).month >= 11


# ----- signatures: valid until the key is revoked back to before the signing -------------------------


def test_a_signature_whose_key_is_revoked_later_shows_on_the_list(api: Api, enterprise: Enterprise) -> None:
    import base64
    from datetime import timedelta

    from domain.signatures import new_private_key, public_key_bytes, sign

    private = new_private_key()
    key = api.post("/keys", {"user_id": "yjj-zhang", "name": "张伟",
                             "public_key": base64.b64encode(public_key_bytes(private)).decode()}, OFFICE, status=201)  # fmt: skip
    team = [{"user_id": "yjj-zhang", "name": "张伟"}]
    inspection = api.post("/inspections", {"enterprise_id": enterprise.id, "kind": "department", "inspectors": team,
                                           "scope": ["储罐区"]}, INSPECTOR, status=201)["id"]  # fmt: skip
    before = now()
    signed_at = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    params = {"record_id": inspection, "meaning": "inspector", "signed_at": signed_at, "key_id": key["key_id"]}
    found = api.client.get("/api/v1/signing-payload", params=params, headers=INSPECTOR).json()
    signature = {"key_id": key["key_id"], "signed_at": signed_at, "algorithm": "ed25519",
                 "value": sign(private, base64.b64decode(found["payload_base64"]))}  # fmt: skip
    api.post(f"/inspections/{inspection}/signatures", {"signature": signature}, INSPECTOR)

    def signature_of_zhang() -> dict[str, Any]:
        [act] = [a for a in api.get("/accountability/people/yjj-zhang")["signed"] if a["event_type"] == "InspectionSigned"]
        return act["signature"]  # type: ignore[no-any-return]

    assert signature_of_zhang() == {**signature_of_zhang(), "present": True, "status": "valid", "key_id": key["key_id"]}
    assert anomalies(api, "signed_with_revoked_key") == []
    # the key turns out to have been compromised since before the signature
    api.post(f"/keys/{key['key_id']}/revocation", {"reason": "私钥泄露", "revoked_at": signed_at}, OFFICE)
    assert signature_of_zhang()["status"] == "key_revoked"
    today = datetime.fromisoformat(signed_at.replace("Z", "+00:00")).astimezone(CHINA_TZ).date()
    assert anomalies(api, "signed_with_revoked_key", as_of=(today - timedelta(days=1)).isoformat()) == []
    assert anomalies(api, "signed_with_revoked_key", known_at=before) == []  # signed after then
    [entry] = anomalies(api, "signed_with_revoked_key", as_of=today.isoformat())
    [entry] = anomalies(api, "signed_with_revoked_key")
    assert user_ids(entry) == ["yjj-zhang"] and entry["records"] == [{"kind": "inspection", "id": inspection}]
