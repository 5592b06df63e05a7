"""Extension on request (申请延期) through HTTP, on SQLite and PostgreSQL: the enterprise asks, the supervising
unit approves or refuses; only an approval moves the deadline, in the record and in the read models."""

from __future__ import annotations

from typing import Any

from tests.integration.conftest import INSPECTOR, OTHER_DEPT, Api, Enterprise, full_plan, future_date

ASK = {"reason": "防爆电机供货延迟，厂家承诺 8 月上旬到货", "requested_deadline": future_date(50)}


def _rectifying(api: Api, enterprise: Enterprise, major: str) -> str:
    api.post(f"/hazards/{major}/plan", full_plan(deadline=future_date(30)), enterprise.principal)
    return major


def _listed_by_deadline(api: Api, hazard_id: str, day: str) -> bool:
    """Whether the hazards list (a read model) finds the hazard due on or before ``day``."""
    return hazard_id in {h["id"] for h in api.get("/hazards", deadline_by=day)["items"]}


def test_the_enterprise_requests_and_the_regulator_approves_and_the_deadline_moves(
    api: Api, enterprise: Enterprise, major: str
) -> None:
    hazard_id = _rectifying(api, enterprise, major)
    api.post(f"/hazards/{hazard_id}/extension-requests", ASK, enterprise.staff)
    hazard = api.get(f"/hazards/{hazard_id}")
    assert hazard["deadline"] == future_date(30)
    assert hazard["extension_request"]["requested_deadline"] == future_date(50)
    assert hazard["extension_request"]["decision_zh"] == "待审批"

    receipt = api.post(
        f"/hazards/{hazard_id}/extension-requests/approval",
        {"opinion": "同意延期，期间落实临时管控措施", "new_deadline": future_date(45)},
        INSPECTOR,
        **{"If-Match": '"3"', "Idempotency-Key": "approve-1"},
    )
    again = api.post(
        f"/hazards/{hazard_id}/extension-requests/approval",
        {"opinion": "同意延期，期间落实临时管控措施", "new_deadline": future_date(45)},
        INSPECTOR,
        **{"Idempotency-Key": "approve-1"},
    )
    assert again == receipt and receipt["version"] == 4

    hazard = api.get(f"/hazards/{hazard_id}")
    assert (hazard["deadline"], hazard["extension_request"], hazard["extensions"]) == (future_date(45), None, 1)
    assert [r["decision"] for r in hazard["extension_requests"]] == ["approved"]
    assert [e["type"] for e in api.events(hazard_id)][-2:] == ["ExtensionRequested", "ExtensionApproved"]
    assert not _listed_by_deadline(api, hazard_id, future_date(40))
    assert _listed_by_deadline(api, hazard_id, future_date(45))


def test_a_refusal_leaves_the_deadline(api: Api, enterprise: Enterprise, major: str) -> None:
    hazard_id = _rectifying(api, enterprise, major)
    api.post(f"/hazards/{hazard_id}/extension-requests", ASK, enterprise.principal)
    api.post(f"/hazards/{hazard_id}/extension-requests/refusal", {"opinion": "延期理由不充分"}, INSPECTOR)
    hazard = api.get(f"/hazards/{hazard_id}")
    assert (hazard["deadline"], hazard["extension_request"], hazard["extensions"]) == (future_date(30), None, 0)
    assert hazard["extension_requests"][0]["decision_zh"] == "不予延期"
    assert _listed_by_deadline(api, hazard_id, future_date(30))


def _problem(api: Api, path: str, body: dict[str, Any], who: dict[str, str], status: int) -> dict[str, Any]:
    problem: dict[str, Any] = api.post(path, body, who, status=status)
    assert problem["message_zh"] and problem["message_en"]
    return problem


def test_limits_roles_and_the_open_request_are_refused_with_their_codes(api: Api, enterprise: Enterprise, major: str) -> None:
    hazard_id = _rectifying(api, enterprise, major)
    requests, approval = f"/hazards/{hazard_id}/extension-requests", f"/hazards/{hazard_id}/extension-requests/approval"
    too_long = {**ASK, "requested_deadline": future_date(61)}
    assert _problem(api, requests, too_long, enterprise.principal, 409)["code"] == "extension_too_long"
    assert _problem(api, approval, {"opinion": "同意", "new_deadline": future_date(40)}, INSPECTOR, 409)["code"] == (
        "no_extension_request"
    )
    assert _problem(api, requests, ASK, INSPECTOR, 403)["code"] == "role_not_allowed"
    api.post(requests, ASK, enterprise.principal)
    assert _problem(api, requests, ASK, enterprise.principal, 409)["code"] == "extension_request_open"
    assert _problem(api, approval, {"opinion": "同意", "new_deadline": future_date(40)}, enterprise.principal, 403)["code"] == (
        "role_not_allowed"
    )
    assert _problem(api, approval, {"opinion": "同意", "new_deadline": future_date(40)}, OTHER_DEPT, 403)["code"] == (
        "outside_scope"
    )
    beyond = _problem(api, approval, {"opinion": "同意", "new_deadline": future_date(55)}, INSPECTOR, 422)
    assert (beyond["code"], beyond["details"]["field"]) == ("invalid_value", "new_deadline")
    api.post(approval, {"opinion": "同意", "new_deadline": future_date(40)}, INSPECTOR)
    limit = _problem(api, requests, {**ASK, "requested_deadline": future_date(60)}, enterprise.principal, 409)
    assert (limit["code"], limit["details"]) == ("extension_limit_reached", {"count": 1, "limit": 1})
    assert len(api.events(hazard_id)) == 4  # reported, plan, request, approval: every refusal appended nothing
