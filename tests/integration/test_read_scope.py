"""Every read is scoped to what the caller may see (issue 12 part 2), on both backends.

Firm A (化工和危化品, 乌龙街道) and firm B (文化和旅游, 洛羊街道). Readers: firm A's principal, an
inspector of an unrelated department (区市场监管局), a street officer of another street (斗南街道), the
区安委办 and an auditor — and, in scope, firm A's sector lead (区应急管理局) and its street (乌龙街道).
In scope: visible; out of scope: 404 (as if absent) or filtered from lists; reports: 403 for enterprises,
a unit's own only for departments and streets.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from app.wiring import Services
from domain.actor import Actor
from domain.glossary import OrgKind, Role
from tests.integration.conftest import ANONYMOUS, INSPECTOR, OFFICE, OTHER_DEPT, Api, Enterprise, credit_code, headers

UNRELATED = headers("scj-qian", "钱进", "inspector", "scj", "department", "区市场监管局")
OTHER_STREET = headers("dounan-sun", "孙丽", "street_officer", "dounan", "street", "斗南街道")
STREET_A = headers("wulong-he", "何静", "street_officer", "wulong", "street", "乌龙街道")
AUDITOR = headers("audit-zheng", "郑审计", "auditor", "audit", "audit_body", "区审计局")
EXPERT = headers("exp-feng", "冯专家", "expert", "experts", "expert_body", "专家组")


@dataclass
class World:
    a: Enterprise
    b: str
    b_principal: dict[str, str]
    hazard_a: str
    hazard_b: str
    evidence: str
    inspection: str
    case: str
    accident: str
    risk_point: str
    problem: str
    accountability: str
    submission_yjj: str
    submission_district: str
    warning: str
    batch: str


def _get(client: TestClient, path: str, who: dict[str, str], **params: Any) -> Any:
    return client.get(f"/api/v1{path}", headers=who, params=params)


@pytest.fixture
def world(api: Api, enterprise: Enterprise, services: Services) -> World:
    b = api.post(
        "/enterprises",
        {"credit_code": credit_code(2), "name": "呈贡洛羊文旅有限公司", "sector": "culture_tourism",
         "jurisdiction": "luoyang", "principal_name": "周华", "high_risk": False},
        OFFICE, status=201,
    )["id"]  # fmt: skip
    hazard = {"grade": "major", "criterion": "第十二条", "description": "报警装置失效"}
    hazard_a = api.post(
        "/hazards", {**hazard, "enterprise_id": enterprise.id, "source": "self_inspection"}, enterprise.principal, 201
    )["id"]
    hazard_b = api.post("/hazards", {**hazard, "enterprise_id": b, "source": "department_inspection"}, OTHER_DEPT, 201)["id"]
    content = b"\x89PNG\r\n\x1a\nphoto"
    evidence = hashlib.sha256(content).hexdigest()
    api.post(
        f"/hazards/{hazard_a}/evidence",
        {
            "file_name": "探头.png",
            "media_type": "image/png",
            "content_base64": base64.b64encode(content).decode(),
            "sha256": evidence,
        },
        enterprise.staff,
    )
    inspection = api.post(
        "/inspections",
        {"enterprise_id": enterprise.id, "kind": "department", "inspectors": [{"user_id": "yjj-zhang", "name": "张伟"}]},
        INSPECTOR, status=201,
    )["id"]  # fmt: skip
    case = api.post(
        "/cases",
        {"enterprise_id": enterprise.id, "case_number": "呈应急立〔2023〕1号", "legal_basis": "《安全生产法》第一百零二条",
         "cited_hazard_ids": [hazard_a]},
        INSPECTOR, status=201,
    )["id"]  # fmt: skip
    accident = api.post(
        "/accidents",
        {"grade": "general", "deaths": 1, "injuries": 0, "direct_loss_yuan": 100_000, "liability": True,
         "description": "物体打击", "enterprise_id": enterprise.id},
        INSPECTOR, status=201,
    )["id"]  # fmt: skip
    risk_point = api.post(
        "/risk-points",
        {"enterprise_id": enterprise.id, "name": "液化烃球罐区", "description": "球罐", "address": "乌龙街道工业园8号",
         "assessed": True, "characteristics": {"accident_types": ["火灾"], "max_casualties": 3,
                                               "max_direct_loss_yuan": 1_000_000, "social_impact": "小"}},
        INSPECTOR, status=201,
    )["id"]  # fmt: skip
    api.post(
        f"/risk-points/{risk_point}/responsibility",
        {"department": "yjj", "department_person": "张伟", "department_phone": "13888000001",
         "principal_name": "李建国", "principal_phone": "13988000002"},
        INSPECTOR,
    )  # fmt: skip
    problem = api.post("/problems", {"description": "小微企业未建立安全管理机构", "sector": "industry_trade"}, INSPECTOR, 201)[
        "id"
    ]
    api.post("/units/yjj/activities", {"kind": "lecture"}, INSPECTOR)
    accountability = api.post(
        "/accountability/cases",
        {"hazard_ids": [hazard_a], "measures": ["诫勉谈话"], "decided_by": "ajb", "summary": "查而不实",
         "persons": [{"user_id": "yjj-zhang", "name": "张伟", "organisation": "区应急管理局", "role": "执法人员"}]},
        OFFICE, status=201,
    )["id"]  # fmt: skip
    today = api.get("/reference")["campaign"]["start"]
    submission_yjj = api.post("/reports/annex2/submissions", {"unit": "yjj", "as_of": today}, INSPECTOR, 201)["id"]
    submission_district = api.post("/reports/annex2/submissions", {"as_of": today}, OFFICE, 201)["id"]
    warning = services.ledger.warnings.propose_warning(
        Actor("ajb-wang", "王主任", Role.COMMITTEE_OFFICE, "ajb", OrgKind.COMMITTEE_OFFICE, "区安委办"), unit_id="yjj", level="prompt", trigger="manual", trigger_key=f"plan:{hazard_a}",
        reason_zh="重大隐患逾期未制定整改方案", reason_en="plan overdue", trigger_refs=[UUID(hazard_a)],
    ).id  # fmt: skip
    batch = api.post(
        "/publication-batches",
        {"kind": "notice", "title": "关于通报一批安全生产违法企业的通报", "document_number": "呈安委办〔2023〕21号",
         "channel": "呈贡区人民政府网站", "enterprise_ids": [enterprise.id], "case_ids": [case]},
        OFFICE, status=201,
    )["id"]  # fmt: skip
    b_principal = headers("b-zhou", "周华", "principal", b, "enterprise", "洛羊文旅")
    return World(
        enterprise, b, b_principal, hazard_a, hazard_b, evidence, inspection, case, accident, risk_point, problem,
        accountability, submission_yjj, submission_district, str(warning), batch,
    )  # fmt: skip


def _readers(w: World) -> dict[str, dict[str, str]]:
    return {"firm A": w.a.principal, "unrelated department": UNRELATED, "other street": OTHER_STREET,
            "区安委办": OFFICE, "auditor": AUDITOR}  # fmt: skip


# ----- the headline case ------------------------------------------------------------------------


def test_an_enterprise_lists_only_its_own_hazards(api: Api, world: World) -> None:
    mine = _get(api.client, "/hazards", world.a.principal).json()
    assert mine["total"] == 1 and [h["id"] for h in mine["items"]] == [world.hazard_a]
    theirs = _get(api.client, "/hazards", world.b_principal).json()
    assert [h["id"] for h in theirs["items"]] == [world.hazard_b]
    # asking for another firm's hazards by filter finds nothing
    assert _get(api.client, "/hazards", world.a.principal, enterprise_id=world.b).json()["total"] == 0
    assert {h["id"] for h in _get(api.client, "/hazards", OFFICE).json()["items"]} == {world.hazard_a, world.hazard_b}


def test_lists_filter_to_the_readers_scope(api: Api, world: World) -> None:
    def hazards(who: dict[str, str]) -> set[str]:
        return {h["id"] for h in _get(api.client, "/hazards", who).json()["items"]}

    def enterprises(who: dict[str, str]) -> set[str]:
        return {e["id"] for e in _get(api.client, "/enterprises", who).json()["items"]}

    both = {world.hazard_a, world.hazard_b}
    assert hazards(OFFICE) == hazards(AUDITOR) == hazards(EXPERT) == both
    assert hazards(INSPECTOR) == hazards(STREET_A) == {world.hazard_a}
    assert hazards(OTHER_DEPT) == {world.hazard_b}
    assert hazards(UNRELATED) == hazards(OTHER_STREET) == set()
    firms = {world.a.id, world.b}
    assert enterprises(OFFICE) == enterprises(AUDITOR) == firms
    assert enterprises(world.a.principal) == enterprises(INSPECTOR) == enterprises(STREET_A) == {world.a.id}
    assert enterprises(OTHER_DEPT) == {world.b}
    assert enterprises(UNRELATED) == enterprises(OTHER_STREET) == set()
    # warnings: a unit's own; an enterprise none
    for who in (world.a.principal, UNRELATED, OTHER_STREET):
        assert all(w["unit_id"] == who["X-Org-Id"] for w in _get(api.client, "/warnings", who).json()["items"])
    assert _get(api.client, "/warnings", world.a.principal).json()["total"] == 0
    recorded = lambda who: [w["id"] for w in _get(api.client, "/warnings", who).json()["items"] if not w["derived"]]  # noqa: E731
    assert recorded(INSPECTOR) == [world.warning]  # besides the ladder's proposals for the unit (reports missed)
    assert recorded(UNRELATED) == []  # only the ladder's proposals for its own unit (checked above)
    assert recorded(AUDITOR) == [world.warning]


def test_the_enterprise_list_and_the_single_read_agree_for_every_role(api: Api, world: World) -> None:
    """One rule (ReadScope.covers_enterprise): a hazard of firm A assigned to an unrelated department makes
    the hazard that department's, not firm A — neither listed nor read, as before only the read said."""
    assigned = {"grade": "general", "description": "货架倾斜", "enterprise_id": world.a.id, "source": "department_inspection",
                "department": "scj"}  # fmt: skip
    hazard = api.post("/hazards", assigned, OFFICE, 201)["id"]
    assert _get(api.client, f"/hazards/{hazard}", UNRELATED).status_code == 200  # the hazard is the department's
    firms = [world.a.id, world.b]
    readers = {**_readers(world), "firm A's staff": world.a.staff, "firm B": world.b_principal, "sector lead": INSPECTOR,
               "firm B's sector lead": OTHER_DEPT, "its street": STREET_A, "expert": EXPERT}  # fmt: skip
    for name, who in readers.items():
        listed = {e["id"] for e in _get(api.client, "/enterprises", who).json()["items"]}
        read = {firm for firm in firms if _get(api.client, f"/enterprises/{firm}", who).status_code == 200}
        assert listed == read, name
    assert _get(api.client, "/enterprises", UNRELATED).json()["items"] == []


# ----- single records: in scope visible, out of scope 404 ----------------------------------------------


def _record_paths(w: World) -> list[str]:
    return [
        f"/hazards/{w.hazard_a}",
        f"/hazards/{w.hazard_a}/events",
        f"/hazards/{w.hazard_a}/evidence/{w.evidence}",
        f"/enterprises/{w.a.id}",
        f"/enterprises/{w.a.id}/events",
        f"/inspections/{w.inspection}",
        f"/inspections/{w.inspection}/events",
        f"/cases/{w.case}",
        f"/cases/{w.case}/events",
        f"/publication-batches/{w.batch}",
        f"/accidents/{w.accident}",
        f"/risk-points/{w.risk_point}",
        f"/accountability/hazards/{w.hazard_a}",
        f"/accountability/cases/{w.accountability}",
    ]


def test_firm_as_records_are_read_in_scope_and_hidden_outside_it(api: Api, world: World) -> None:
    inside = {"firm A": world.a.principal, "firm A's staff": world.a.staff, "sector lead": INSPECTOR, "its street": STREET_A,
              "区安委办": OFFICE, "auditor": AUDITOR, "expert": EXPERT}  # fmt: skip
    outside = {"firm B": world.b_principal, "unrelated department": UNRELATED, "other street": OTHER_STREET}
    for path in _record_paths(world):
        for name, who in inside.items():
            assert _get(api.client, path, who).status_code == 200, (path, name)
        for name, who in outside.items():
            r = _get(api.client, path, who)
            assert r.status_code == 404 and r.json()["code"].endswith("not_found"), (path, name, r.text)
        assert _get(api.client, path, ANONYMOUS).status_code == 401, path


def test_firm_bs_hazard_is_hidden_from_firm_a_like_a_missing_one(api: Api, world: World) -> None:
    hidden = _get(api.client, f"/hazards/{world.hazard_b}", world.a.principal)
    missing = _get(api.client, "/hazards/00000000-0000-0000-0000-000000000000", world.a.principal)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["code"] == missing.json()["code"] == "hazard_not_found"
    assert _get(api.client, f"/enterprises/{world.b}", world.a.principal).status_code == 404
    assert _get(api.client, f"/enterprises/{world.b}", OTHER_DEPT).status_code == 200


def test_unit_records_are_read_by_the_unit_and_the_district(api: Api, world: World) -> None:
    unit_paths = (f"/problems/{world.problem}", "/units/yjj/work-log", "/units/yjj/flags", f"/warnings/{world.warning}",
                  f"/warnings/{world.warning}/events")  # fmt: skip
    for path in unit_paths:
        for who in (INSPECTOR, OFFICE, AUDITOR):
            assert _get(api.client, path, who).status_code == 200, path
        for who in (world.a.principal, UNRELATED, OTHER_STREET):
            assert _get(api.client, path, who).status_code == 404, path
        assert _get(api.client, path, ANONYMOUS).status_code == 401, path


def test_a_persons_trail_shows_the_readers_own_organisations_acts(api: Api, world: World) -> None:
    for who in (OFFICE, AUDITOR, INSPECTOR):
        assert _get(api.client, "/accountability/people/yjj-zhang", who).status_code == 200
    for who in (world.a.principal, UNRELATED, OTHER_STREET):
        assert _get(api.client, "/accountability/people/yjj-zhang", who).status_code == 404
    own = _get(api.client, "/accountability/people/ent-li", world.a.principal).json()
    assert own["acts"] and {a["person"]["organisation_id"] for a in own["acts"]} == {world.a.id}


def test_phones_are_masked_for_readers_without_the_right(api: Api, world: World) -> None:
    masked = _get(api.client, f"/risk-points/{world.risk_point}", world.a.principal).json()["responsibility"]
    assert masked["department_phone"] == "138********" and masked["principal_phone"] == "139********"
    shown = _get(api.client, f"/risk-points/{world.risk_point}", INSPECTOR).json()["responsibility"]
    assert shown["department_phone"] == "13888000001"


# ----- reports, submissions, the audit log -----------------------------------------------------------


REPORTS = ["/reports/annex1", "/reports/annex2", "/reports/annex3", "/kpis", "/reports/annex2.csv", "/reports/annex1.xlsx",
           "/reports/calendar"]  # fmt: skip


def test_reports_are_per_unit_and_none_for_enterprises(api: Api, world: World) -> None:
    lineage = ("/reports/annex2/lineage", {"key": "majors"})
    for path, params in [*((p, {}) for p in REPORTS), lineage]:
        assert _get(api.client, path, world.a.principal, **params).status_code == 403, path
        assert _get(api.client, path, ANONYMOUS, **params).status_code == 401, path
        for who in (OFFICE, AUDITOR):
            assert _get(api.client, path, who, **params).status_code == 200, path
            assert _get(api.client, path, who, unit="yjj", **params).status_code == 200, path
        # a unit: its own tables (omitted means its own), not another unit's nor the district's
        assert _get(api.client, path, UNRELATED, **params).status_code == 200, path
        assert _get(api.client, path, INSPECTOR, unit="yjj", **params).status_code == 200, path
        r = _get(api.client, path, UNRELATED, unit="yjj", **params)
        assert r.status_code == 403 and r.json()["code"] == "outside_scope", path
        assert _get(api.client, path, OTHER_STREET, unit="wulong", **params).status_code == 403, path
    anomalies = "/accountability/anomalies"
    assert _get(api.client, anomalies, world.a.principal).status_code == 403
    assert _get(api.client, anomalies, UNRELATED).json()["unit"] == "scj"
    assert _get(api.client, anomalies, UNRELATED, unit="yjj").status_code == 403
    assert _get(api.client, anomalies, OFFICE).json()["unit"] is None


def test_submissions_follow_the_scope_of_their_unit(api: Api, world: World) -> None:
    listing = "/reports/annex2/submissions"
    assert {s["id"] for s in _get(api.client, listing, OFFICE).json()["items"]} == {
        world.submission_yjj,
        world.submission_district,
    }
    assert {s["id"] for s in _get(api.client, listing, AUDITOR).json()["items"]} == {
        world.submission_yjj,
        world.submission_district,
    }
    assert [s["id"] for s in _get(api.client, listing, INSPECTOR).json()["items"]] == [world.submission_yjj]
    assert _get(api.client, listing, UNRELATED).json()["items"] == []
    assert _get(api.client, listing, INSPECTOR, unit="district").status_code == 403
    assert _get(api.client, listing, world.a.principal).status_code == 403
    one = f"/reports/submissions/{world.submission_yjj}"
    for who in (OFFICE, AUDITOR, INSPECTOR):
        assert _get(api.client, one, who).status_code == 200
    for who in (world.a.principal, UNRELATED, OTHER_STREET):
        assert _get(api.client, one, who).status_code == 404
    assert _get(api.client, f"/reports/submissions/{world.submission_district}", INSPECTOR).status_code == 404
    assert _get(api.client, one, ANONYMOUS).status_code == 401


def test_the_audit_log_is_for_the_office_and_auditors(api: Api, world: World) -> None:
    for path in ("/audit/checkpoints", "/audit/checkpoints/latest", "/audit/proofs/0", "/audit/consistency?first=1"):
        for who in (world.a.principal, INSPECTOR, UNRELATED, OTHER_STREET, EXPERT):
            r = _get(api.client, path, who)
            assert r.status_code == 403 and r.json()["code"] == "role_not_allowed", (path, r.text)
        for who in (OFFICE, AUDITOR):
            assert _get(api.client, path, who).status_code != 403, path
        assert _get(api.client, path, ANONYMOUS).status_code == 401


def test_every_record_read_needs_an_identity_and_the_open_ones_stay_open(api: Api, world: World) -> None:
    for path in ("/hazards", "/enterprises", "/warnings", "/keys?user_id=yjj-zhang", f"/publication-batches/{world.case}"):
        assert _get(api.client, path, ANONYMOUS).status_code == 401, path
    assert _get(api.client, "/keys", UNRELATED, user_id="yjj-zhang").status_code == 200
    for path in ("/api/v1/health", "/api/v1/reference", "/openapi.json", "/docs", "/metrics"):
        assert api.client.get(path, headers=ANONYMOUS).status_code == 200, path
    assert "hazard" not in api.client.get("/metrics", headers=ANONYMOUS).text.replace("hazard_ledger", "")


# Every GET route of the API, and how it is scoped: a new route fails here until it is placed.
SCOPED = {
    "/api/v1/hazards", "/api/v1/hazards/{hazard_id}", "/api/v1/hazards/{hazard_id}/events",
    "/api/v1/hazards/{hazard_id}/evidence/{sha256}", "/api/v1/enterprises", "/api/v1/enterprises/{enterprise_id}",
    "/api/v1/enterprises/{enterprise_id}/events", "/api/v1/inspections/{inspection_id}",
    "/api/v1/inspections/{inspection_id}/events", "/api/v1/cases/{case_id}", "/api/v1/cases/{case_id}/events",
    "/api/v1/publication-batches/{batch_id}", "/api/v1/accidents/{accident_id}", "/api/v1/risk-points/{risk_point_id}",
    "/api/v1/problems/{problem_id}", "/api/v1/cases", "/api/v1/inspections", "/api/v1/accidents", "/api/v1/risk-points",
    "/api/v1/problems", "/api/v1/units/{unit_id}/work-log", "/api/v1/units/{unit_id}/flags",
    "/api/v1/warnings", "/api/v1/warnings/{warning_id}", "/api/v1/warnings/{warning_id}/events", "/api/v1/reminders",
    "/api/v1/accountability/cases/{case_id}", "/api/v1/accountability/hazards/{hazard_id}",
    "/api/v1/accountability/people/{user_id}", "/api/v1/accountability/anomalies",
    "/api/v1/reports/annex1", "/api/v1/reports/annex2", "/api/v1/reports/annex3", "/api/v1/kpis",
    "/api/v1/reports/{annex}/lineage", "/api/v1/reports/{annex}.xlsx", "/api/v1/reports/{annex}.csv",
    "/api/v1/reports/{annex}/submissions", "/api/v1/reports/submissions/{submission_id}", "/api/v1/reports/calendar",
    "/api/v1/statistics/accidents", "/api/v1/reports/accident-bulletin.xlsx",
    "/api/v1/audit/checkpoints", "/api/v1/audit/checkpoints/latest", "/api/v1/audit/proofs/{position}",
    "/api/v1/audit/consistency", "/api/v1/keys", "/api/v1/keys/{key_id}", "/api/v1/signing-payload",
    "/api/v1/security-events",  # auditors and administrators (domain/identity.py SECURITY_READERS)
    # ScopedReads.document: whoever reads the source record, the issuing unit, the addressee
    "/api/v1/documents", "/api/v1/documents/{document_id}", "/api/v1/documents/{document_id}.pdf",
    "/api/v1/documents/{document_id}.docx", "/api/v1/documents/{document_id}/events",
    "/api/v1/documents/{document_id}/verification",
    "/api/v1/imports/{import_id}",  # ScopedReads.ledger_import: the unit whose ledger it is, and the district roles
}  # fmt: skip
OPEN = {"/api/v1/health", "/api/v1/reference", "/metrics", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc", "/"}
# The web pages (web/): each names its reader from the session cookie (web.session.page_actor), but the log-in form.
PAGES_OPEN = {"/ui/login"}


def test_every_get_route_is_scoped_or_deliberately_open(services: Services) -> None:
    from fastapi.routing import APIRoute  # noqa: PLC0415

    from api.app import create_app  # noqa: PLC0415

    app = create_app(services.settings, services=services)
    # each path's GET route (a path may also have a POST, declared before or after it)
    routes = {path: r for path, r in _flatten(app.routes) if "GET" in (getattr(r, "methods", None) or set())}
    gets = set(routes)
    pages = {path for path in gets if path.startswith("/ui/")}
    for path in pages - PAGES_OPEN:
        names = {getattr(d.call, "__name__", "") for d in _dependencies(routes[path].dependant)}
        assert "page_actor" in names, (path, names)
    gets -= pages
    assert gets - SCOPED - OPEN == set()
    assert gets >= SCOPED
    for path in SCOPED:
        route = routes[path]
        assert isinstance(route, APIRoute)
        calls = [d.call for d in _dependencies(route.dependant) if d.call is not None]
        names = {getattr(call, "__name__", type(call).__name__) for call in calls}
        assert "current_actor" in names, (path, names)  # every scoped read names its reader (token, key or headers)


def _flatten(routes: Any, prefix: str = "") -> Any:
    """The app's routes with their full paths (included routers opened)."""
    for route in routes:
        if hasattr(route, "original_router"):
            yield from _flatten(route.original_router.routes, prefix + route.include_context.prefix)
        elif hasattr(route, "path"):
            yield prefix + route.path, route


def _dependencies(dependant: Any) -> list[Any]:
    found = []
    for d in dependant.dependencies:
        found.append(d)
        found.extend(_dependencies(d))
    return found


def test_a_signing_payload_is_for_records_in_the_readers_scope(api: Api, world: World) -> None:
    params = {"record_id": world.hazard_a, "meaning": "verifier", "signed_at": "2023-06-12T08:30:00Z", "key_id": "k1"}
    assert _get(api.client, "/signing-payload", INSPECTOR, **params).json()["record_id"] == world.hazard_a
    for who in (UNRELATED, OTHER_STREET, world.b_principal):
        r = _get(api.client, "/signing-payload", who, **params)
        assert r.status_code == 404 and r.json()["code"] == "record_not_found", r.text
