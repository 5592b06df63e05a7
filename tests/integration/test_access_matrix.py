"""The access matrix (issue 12 item 6): every operation of the OpenAPI document × every role × in scope /
out of scope, against ONE table of expected outcomes (``EXPECTED``), on SQLite and PostgreSQL.

A route added without a row fails ``test_every_operation_has_a_row`` (and a row without a route too).

The district: firm A (化工和危化品, 乌龙街道) is in the scope of the roles' "own" units — the inspector of
区应急管理局 (yjj, leads hazardous chemicals), the street officer of 乌龙街道 — and is firm A's own for the
enterprise roles; firm B (文化和旅游, 洛羊街道, led by 区文化和旅游局 wlj) is out of scope for all of them. A cell
"in" acts on / reads a record of A (or the caller's own unit, own user, own key); "out" one of B (or unit
wlj, another user). The district roles (committee_office, expert, auditor) see both.

Outcome classes (one letter, ``in``+``out`` per role):
  o  ok (2xx) — for lists: the in-scope (resp. out-of-scope) record is in the answer
  d  denied (403)          h  hidden (404)          u  unauthenticated (401)
  f  filtered: a 2xx list without the out-of-scope record (or, for "in", without the in-scope one)
  r  refused after authorisation (409/422: the record's state or the rules, not who asks)
  -  n/a: the cell is not run (the row's comment says why)

Commands change state: each (operation, scope) acts on a record made by its factory, and a fresh one is made
after every 2xx so that the next role finds the same state. Reads reuse the records made once per backend.
"""

from __future__ import annotations

import base64
import hashlib
import io
import itertools
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook

from api.app import create_app
from app.settings import Settings
from app.wiring import Services, build
from domain.actor import Actor
from domain.glossary import OrgKind, Role
from domain.signatures import key_id_for, new_private_key, public_key_bytes
from tests.conftest import scratch_postgres
from tests.integration.conftest import OFFICE, credit_code, full_plan, future_date, headers, reads_what_was_written

PREFIX = "/api/v1"
ROLES = ("enterprise_staff", "principal", "inspector", "street_officer", "committee_office", "expert", "auditor", "admin",
         "anonymous")  # fmt: skip

INSPECTOR = headers("yjj-zhang", "张伟", "inspector", "yjj", "department", "区应急管理局")
STREET = headers("wulong-he", "何静", "street_officer", "wulong", "street", "乌龙街道")
EXPERT = headers("exp-feng", "冯专家", "expert", "experts", "expert_body", "专家组")
AUDITOR = headers("audit-zheng", "郑审计", "auditor", "audit", "audit_body", "区审计局")
ADMIN = headers("ajb-admin", "管理员", "admin", "ajb", "committee_office", "区安委办")
B_INSPECTOR = headers("wlj-zhao", "赵敏", "inspector", "wlj", "department", "区文化和旅游局")

# fmt: off
# (method, path) -> outcomes of: enterprise_staff principal inspector street_officer committee_office expert
# auditor admin anonymous, each "<in><out>".
EXPECTED: dict[tuple[str, str], str] = {
# columns: ES PR IN SO CO EX AU AD anon
    ("GET", "/accidents"): "of of of of oo oo oo ff uu",
    ("GET", "/accidents/{accident_id}"): "oh oh oh oh oo oo oo hh uu",
    ("GET", "/accountability/anomalies"): "dd dd od od oo oo oo dd uu",
    ("GET", "/accountability/cases/{case_id}"): "oh oh oh oh oo oo oo hh uu",
    ("GET", "/accountability/hazards/{hazard_id}"): "oh oh oh oh oo oo oo hh uu",
    ("GET", "/accountability/people/{user_id}"): "hh hh hh hh oo oo oo hh uu",
    ("GET", "/audit/checkpoints"): "dd dd dd dd oo dd oo dd uu",
    ("GET", "/audit/checkpoints/latest"): "dd dd dd dd hh dd hh dd uu",  # h: no checkpoint is signed yet in this district (404 for the readers allowed)
    ("GET", "/audit/consistency"): "dd dd dd dd oo dd oo dd uu",
    ("GET", "/audit/proofs/{position}"): "dd dd dd dd oo dd oo dd uu",
    ("GET", "/cases"): "of of of of oo oo oo ff uu",
    ("GET", "/cases/{case_id}"): "oh oh oh oh oo oo oo hh uu",
    ("GET", "/cases/{case_id}/events"): "oh oh oh oh oo oo oo hh uu",
    ("GET", "/enterprises"): "of of of of oo oo oo ff uu",
    ("GET", "/enterprises/{enterprise_id}"): "oh oh oh oh oo oo oo hh uu",
    ("GET", "/enterprises/{enterprise_id}/events"): "oh oh oh oh oo oo oo hh uu",
    ("GET", "/hazards"): "of of of of oo oo oo ff uu",
    ("GET", "/hazards/{hazard_id}"): "oh oh oh oh oo oo oo hh uu",
    ("GET", "/hazards/{hazard_id}/events"): "oh oh oh oh oo oo oo hh uu",
    ("GET", "/hazards/{hazard_id}/evidence/{sha256}"): "oh oh oh oh oo oo oo hh uu",
    ("GET", "/health"): "oo oo oo oo oo oo oo oo oo",
    ("GET", "/imports/{import_id}"): "hh hh oh oh oo oo oo hh uu",  # the unit's ledger import: its people, the district
    ("GET", "/inspections"): "of of of of oo oo oo ff uu",
    ("GET", "/inspections/{inspection_id}"): "oh oh oh oh oo oo oo hh uu",
    ("GET", "/inspections/{inspection_id}/events"): "oh oh oh oh oo oo oo hh uu",
    ("GET", "/keys"): "oo oo oo oo oo oo oo oo uu",  # public keys: any identified reader
    ("GET", "/keys/{key_id}"): "oo oo oo oo oo oo oo oo uu",  # public keys: any identified reader
    ("GET", "/kpis"): "dd dd od od oo oo oo dd uu",
    ("GET", "/problems"): "ff ff of ff oo oo oo ff uu",
    ("GET", "/problems/{problem_id}"): "hh hh oh hh oo oo oo hh uu",
    ("GET", "/publication-batches/{batch_id}"): "oh oh oh oh oo oo oo hh uu",
    ("GET", "/reference"): "oo oo oo oo oo oo oo oo oo",
    ("GET", "/reports/accident-bulletin.xlsx"): "dd dd od od oo oo oo dd uu",
    ("GET", "/reports/annex1"): "dd dd od od oo oo oo dd uu",
    ("GET", "/reports/annex2"): "dd dd od od oo oo oo dd uu",
    ("GET", "/reports/annex3"): "dd dd od od oo oo oo dd uu",
    ("GET", "/reports/calendar"): "dd dd od od oo oo oo dd uu",
    ("GET", "/reports/submissions/{submission_id}"): "hh hh oh hh oo oo oo hh uu",
    ("GET", "/reports/{annex}.csv"): "dd dd od od oo oo oo dd uu",
    ("GET", "/reports/{annex}.xlsx"): "dd dd od od oo oo oo dd uu",
    ("GET", "/reports/{annex}/lineage"): "dd dd od od oo oo oo dd uu",
    ("GET", "/reports/{annex}/submissions"): "dd dd od fd fo oo oo dd uu",
    ("GET", "/risk-points"): "of of of of oo oo oo ff uu",
    ("GET", "/risk-points/{risk_point_id}"): "oh oh oh oh oo oo oo hh uu",
    ("GET", "/statistics/accidents"): "dd dd od od oo oo oo dd uu",
    ("GET", "/security-events"): "dd dd dd dd dd dd oo oo uu",  # auditors and the administrator (domain/identity.py SECURITY_READERS)
    ("GET", "/signing-payload"): "oh oh oh oh oo oo oo hh uu",  # admin h: the record is outside what the administrator reads
    ("GET", "/units/{unit_id}/flags"): "hh hh oh oh oo oo oo hh uu",
    ("GET", "/units/{unit_id}/work-log"): "hh hh oh oh oo oo oo hh uu",
    ("GET", "/warnings"): "ff ff of of oo oo oo ff uu",
    ("GET", "/reminders"): "oo oo oo oo oo oo oo dd uu",
    ("GET", "/warnings/{warning_id}"): "hh hh oh oh oo oo oo hh uu",
    ("GET", "/warnings/{warning_id}/events"): "hh hh oh oh oo oo oo hh uu",
    ("POST", "/accidents"): "dd dd od od oo dd dd dd uu",
    ("POST", "/accidents/{accident_id}/investigation"): "dd dd od dd oo dd dd dd uu",
    ("POST", "/accidents/{accident_id}/listing"): "dd dd dd dd oo dd dd dd uu",
    ("POST", "/accountability/cases"): "dd dd od dd oo dd dd dd uu",
    ("POST", "/auth/logout"): "uu uu uu uu uu uu uu uu uu",  # u: an unknown refresh token, whoever asks
    ("POST", "/auth/refresh"): "uu uu uu uu uu uu uu uu uu",  # u: an unknown refresh token, whoever asks
    ("POST", "/auth/token"): "uu uu uu uu uu uu uu uu uu",  # u: a log-in; no identity needed, bad credentials answer 401 whoever asks (tests/integration/test_auth.py)
    ("POST", "/cases"): "dd dd od od oo dd dd dd uu",
    ("POST", "/cases/{case_id}/close"): "dd dd od od oo dd dd dd uu",
    ("POST", "/cases/{case_id}/closure"): "dd dd od od oo dd dd dd uu",
    ("POST", "/cases/{case_id}/closure-recommendation"): "dd dd rd rd rr dd dd dd uu",  # r: a fresh case is no repeat offender (not_repeat_offender): authorisation passed
    ("POST", "/cases/{case_id}/closure-request"): "dd dd od od oo dd dd dd uu",
    ("POST", "/cases/{case_id}/dual-penalty"): "dd dd od od oo dd dd dd uu",
    ("POST", "/cases/{case_id}/exposure"): "dd dd od od oo dd dd dd uu",
    ("POST", "/cases/{case_id}/industry-ban"): "dd dd od od oo dd dd dd uu",
    ("POST", "/cases/{case_id}/interview"): "dd dd od od oo dd dd dd uu",
    ("POST", "/cases/{case_id}/joint-punishment"): "dd dd od od oo dd dd dd uu",
    ("POST", "/cases/{case_id}/judicial-transfer"): "dd dd od od oo dd dd dd uu",
    ("POST", "/cases/{case_id}/licence"): "dd dd od od oo dd dd dd uu",
    ("POST", "/cases/{case_id}/penalty"): "dd dd od od oo dd dd dd uu",
    ("POST", "/cases/{case_id}/publication"): "dd dd od od oo dd dd dd uu",
    ("POST", "/cases/{case_id}/suspension"): "dd dd od od oo dd dd dd uu",
    ("POST", "/cases/{case_id}/suspension-lift"): "dd dd od od oo dd dd dd uu",
    ("POST", "/enterprises"): "dd dd od od oo dd dd dd uu",
    ("POST", "/enterprises/{enterprise_id}/principal"): "dd od od od oo dd dd dd uu",
    ("POST", "/hazards"): "od od od od oo dd dd dd uu",
    ("POST", "/hazards/{hazard_id}/closure"): "dd od od od oo dd dd dd uu",
    ("POST", "/hazards/{hazard_id}/completion"): "od od dd dd dd dd dd dd uu",
    ("POST", "/hazards/{hazard_id}/deadline-extension"): "dd dd od od oo dd dd dd uu",
    ("POST", "/hazards/{hazard_id}/deadline-miss"): "dd dd dd dd oo dd dd dd uu",
    ("POST", "/hazards/{hazard_id}/evidence"): "od od od od oo oo dd dd uu",
    ("POST", "/hazards/{hazard_id}/extension-requests"): "od od dd dd dd dd dd dd uu",
    ("POST", "/hazards/{hazard_id}/extension-requests/approval"): "dd dd od od oo dd dd dd uu",
    ("POST", "/hazards/{hazard_id}/extension-requests/refusal"): "dd dd od od oo dd dd dd uu",
    ("POST", "/hazards/{hazard_id}/plan"): "od od od od oo dd dd dd uu",
    ("POST", "/hazards/{hazard_id}/progress"): "od od od od oo dd dd dd uu",
    ("POST", "/hazards/{hazard_id}/report-to-regulator"): "od od dd dd oo dd dd dd uu",
    ("POST", "/hazards/{hazard_id}/supervision"): "dd dd od od oo dd dd dd uu",
    ("POST", "/hazards/{hazard_id}/supervision/lift"): "dd dd od od oo dd dd dd uu",
    ("POST", "/hazards/{hazard_id}/verification"): "dd dd od od dd oo dd dd uu",
    ("POST", "/hazards/{hazard_id}/void"): "dd dd od od oo dd dd dd uu",
    ("POST", "/imports"): "dd dd od od oo dd dd dd uu",  # a unit's ledger: its own clerks, the 区安委办 any unit's
    ("POST", "/inspections"): "od od od od oo dd dd dd uu",
    ("POST", "/inspections/{inspection_id}/deficiencies"): "dd dd od dd dd dd dd dd uu",  # the conducting unit only (a spot check)
    ("POST", "/inspections/{inspection_id}/findings"): "dd dd od dd dd dd dd dd uu",  # the conducting unit only (not even the 区安委办)
    ("POST", "/inspections/{inspection_id}/signatures"): "dd dd od dd dd dd dd dd uu",  # the inspectors named on it only
    ("POST", "/keys"): "dd dd dd dd oo dd dd dd uu",
    ("POST", "/keys/server-held"): "od od od od od od dd dd uu",
    ("POST", "/keys/{key_id}/revocation"): "od od od od oo od od od uu",
    ("POST", "/problems"): "dd dd od oo oo dd dd dd uu",
    ("POST", "/problems/{problem_id}/rectification"): "dd dd od dd oo dd dd dd uu",
    ("POST", "/problems/{problem_id}/root-cause-measure"): "dd dd od dd oo dd dd dd uu",
    ("POST", "/publication-batches"): "dd dd od dd oo dd dd dd uu",
    ("POST", "/reports/{annex}/submissions"): "dd dd od od od dd dd dd uu",
    ("POST", "/risk-points"): "od od od od oo dd dd dd uu",
    ("POST", "/risk-points/{risk_point_id}/basic-info"): "od od od od oo dd dd dd uu",
    ("POST", "/risk-points/{risk_point_id}/control-measures"): "dd dd od od oo dd dd dd uu",
    ("POST", "/risk-points/{risk_point_id}/emergency"): "od od od od oo dd dd dd uu",
    ("POST", "/risk-points/{risk_point_id}/responsibility"): "dd dd od od oo dd dd dd uu",
    ("POST", "/units/{unit_id}/activities"): "dd dd od od oo dd dd dd uu",
    ("POST", "/warnings/{warning_id}/confirmation"): "dd dd dd dd oo dd dd dd uu",
    ("POST", "/warnings/{warning_id}/dismissal"): "dd dd dd dd oo dd dd dd uu",
    # official documents (文书): the "in" one issued by 区应急管理局 from firm A's major, the "out" one by 区文化和旅游局
    # from firm B's; delivered only by the issuing unit (or the office), received by the addressee or the issuer
    ("POST", "/hazards/{hazard_id}/documents"): "dd dd od od oo dd dd dd uu",
    ("POST", "/cases/{case_id}/documents"): "dd dd rd rd rr dd dd dd uu",  # r: no penalty decided in the case
    ("POST", "/warnings/{warning_id}/documents"): "dd dd dd dd rr dd dd dd uu",  # r: the warning is not confirmed
    ("GET", "/documents"): "of of of of oo oo oo ff uu",
    ("GET", "/documents/{document_id}"): "oh oh oh oh oo oo oo hh uu",
    ("GET", "/documents/{document_id}.pdf"): "oh oh oh oh oo oo oo hh uu",
    ("GET", "/documents/{document_id}.docx"): "oh oh oh oh oo oo oo hh uu",
    ("GET", "/documents/{document_id}/events"): "oh oh oh oh oo oo oo hh uu",
    ("GET", "/documents/{document_id}/verification"): "oh oh oh oh oo oo oo hh uu",
    ("POST", "/documents/{document_id}/delivery"): "dd dd od dd oo dd dd dd uu",
    ("POST", "/documents/{document_id}/receipt"): "od od od dd oo dd dd dd uu",
}
# fmt: on

# ===== the backend, once per module =====================================================================


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def matrix_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('matrix')}/hazard.db"
        return
    with scratch_postgres("matrix") as url:
        yield url


@dataclass
class District:
    client: TestClient
    services: Services
    a: str
    b: str
    who: dict[str, dict[str, str]] = field(default_factory=dict)  # role -> headers
    owners: dict[str, dict[str, str]] = field(default_factory=dict)  # "a"/"b" -> principal headers of the firm
    rec: dict[str, dict[str, str]] = field(default_factory=dict)  # "in"/"out" -> kind -> id
    serial: Iterator[int] = field(default_factory=lambda: itertools.count(100))

    # ----- HTTP as the 区安委办 (set-up) ---------------------------------------------------------------

    def post(self, path: str, body: dict[str, Any], who: dict[str, str] = OFFICE) -> Any:
        r = self.client.post(PREFIX + path, json=body, headers=who)
        assert r.status_code in (200, 201), f"set-up {path}: {r.status_code} {r.text}"
        return r.json()

    def firm(self, scope: str) -> str:
        return self.a if scope == "in" else self.b

    def principal(self, scope: str) -> dict[str, str]:
        return self.owners["a" if scope == "in" else "b"]

    # ----- fresh records ---------------------------------------------------------------------------

    def hazard(self, scope: str, state: str = "reported", grade: str = "major", listed: bool = False) -> str:
        firm, owner = self.firm(scope), self.principal(scope)
        if state == "lapsed":  # rectifying under a deadline that passed a month ago (for a clerk's statement)
            hid = self.post("/hazards", {"enterprise_id": firm, "grade": grade, "source": "self_inspection",
                                          "criterion": "第十二条", "description": "报警装置失效",
                                          "occurred_at": days_ago(60)}, owner)["id"]  # fmt: skip
            self.post(f"/hazards/{hid}/plan", {**full_plan(deadline=future_date(-30)), "occurred_at": days_ago(59)})
            return hid  # type: ignore[no-any-return]
        hid = self.post("/hazards", {"enterprise_id": firm, "grade": grade, "source": "self_inspection",
                                      "criterion": "第十二条", "description": "报警装置失效"}, owner)["id"]  # fmt: skip
        if listed:
            self.post(f"/hazards/{hid}/supervision", listing_body())
        if state == "reported":
            return hid
        self.post(f"/hazards/{hid}/plan", full_plan())
        if state == "rectifying":
            return hid
        if state == "extension_requested":
            self.post(f"/hazards/{hid}/extension-requests", {"reason": "设备到货延迟", "requested_deadline": future_date(45)}, owner)
            return hid
        self.post(f"/hazards/{hid}/completion", {"note": "已完成"}, owner)
        if state == "pending_verification":
            return hid
        self.post(f"/hazards/{hid}/verification", {"passed": True, "opinion": "整改到位"}, EXPERT)
        assert state == "verified"
        if listed:
            self.post(f"/hazards/{hid}/supervision/lift", {"reason": "验收合格", "approver": "呈贡区人民政府"})
        return hid

    def case(self, scope: str, *steps: tuple[str, dict[str, Any]], cite: bool = True) -> str:
        cited = [self.rec[scope]["hazard"]] if cite else []
        cid = self.post("/cases", {"enterprise_id": self.firm(scope), "case_number": f"呈应急立〔2023〕{next(self.serial)}号",
                                   "legal_basis": "《安全生产法》第一百零二条", "cited_hazard_ids": cited})["id"]  # fmt: skip
        for step, body in steps:
            self.post(f"/cases/{cid}/{step}", body)
        return cid

    def accident(self, scope: str) -> str:
        return self.post("/accidents", accident_body(self.firm(scope)))["id"]  # type: ignore[no-any-return]

    def risk_point(self, scope: str) -> str:
        return self.post("/risk-points", {"enterprise_id": self.firm(scope), "name": "液化烃球罐区"})["id"]  # type: ignore[no-any-return]

    def problem(self, scope: str) -> str:
        sector = "hazardous_chemicals" if scope == "in" else "culture_tourism"
        return self.post("/problems", {"description": "未建立安全管理机构", "sector": sector})["id"]  # type: ignore[no-any-return]

    def inspection(self, scope: str, by: dict[str, str] = OFFICE, kind: str = "department") -> str:
        return self.post("/inspections", {"enterprise_id": self.firm(scope), "kind": kind,  # type: ignore[no-any-return]
                                          "inspectors": [{"user_id": by["X-User-Id"], "name": "检查员"}]}, by)["id"]  # fmt: skip

    def document(self, scope: str, delivered: bool = False) -> str:
        """A 责令限期整改指令书 from a fresh major of the scope's firm, by the department responsible."""
        by = INSPECTOR if scope == "in" else B_INSPECTOR
        did = self.post(f"/hazards/{self.hazard(scope)}/documents", {"kind": "rectification_order"}, by)["id"]
        if delivered:
            self.post(f"/documents/{did}/delivery", {"method": "in_person", "recipient": "王五"}, by)
        return str(did)

    def warning(self, unit: str) -> str:
        return str(self.services.ledger.warnings.propose_warning(
            self._office(), unit_id=unit, level="prompt", trigger="manual", trigger_key=f"m{next(self.serial)}",
            reason_zh="未按期整改", reason_en="late").id)  # fmt: skip

    def key(self, user_id: str) -> str:
        public = public_key_bytes(new_private_key())
        self.services.ledger.keys.enrol_key(
            self._office(), user_id=user_id, name=user_id, public_key=base64.b64encode(public).decode()
        )
        return key_id_for(public)

    def _office(self) -> Actor:
        return Actor("ajb-wang", "王主任", Role.COMMITTEE_OFFICE, "ajb", OrgKind.COMMITTEE_OFFICE, "区安委办")


def days_ago(days: int) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).isoformat()


def listing_body() -> dict[str, Any]:
    return {"level": "district", "supervising_body": "区安委办", "document_number": "呈安委办督〔2023〕1号",
            "issuer": "王主任", "time_limit": future_date(60)}  # fmt: skip


def accident_body(firm: str) -> dict[str, Any]:
    return {"grade": "general", "deaths": 1, "injuries": 0, "direct_loss_yuan": 100_000, "liability": True,
            "description": "物体打击", "enterprise_id": firm}  # fmt: skip


@pytest.fixture(scope="module")
def district(matrix_db: str) -> Iterator[District]:
    services = build(Settings(db_url=matrix_db))
    with TestClient(create_app(services.settings, services=services)) as client:
        reads_what_was_written(client, services)
        a = client.post(PREFIX + "/enterprises", headers=OFFICE, json={
            "credit_code": credit_code(1), "name": "昆明呈贡示例化工有限公司", "sector": "hazardous_chemicals",
            "jurisdiction": "wulong", "principal_name": "李建国", "high_risk": True}).json()["id"]  # fmt: skip
        b = client.post(PREFIX + "/enterprises", headers=OFFICE, json={
            "credit_code": credit_code(2), "name": "呈贡洛羊文旅有限公司", "sector": "culture_tourism",
            "jurisdiction": "luoyang", "principal_name": "周华", "high_risk": False}).json()["id"]  # fmt: skip
        d = District(client, services, a, b)
        d.owners = {"a": headers("ent-li", "李建国", "principal", a, "enterprise", "示例化工"),
                    "b": headers("b-zhou", "周华", "principal", b, "enterprise", "洛羊文旅")}  # fmt: skip
        d.who = {
            "enterprise_staff": headers("ent-chen", "陈安全", "enterprise_staff", a, "enterprise", "示例化工"),
            "principal": d.owners["a"], "inspector": INSPECTOR, "street_officer": STREET, "committee_office": OFFICE,
            "expert": EXPERT, "auditor": AUDITOR, "admin": ADMIN, "anonymous": {"X-Anonymous": "1"},
        }  # fmt: skip
        for scope in ("in", "out"):
            r: dict[str, str] = {}
            d.rec[scope] = r
            r["enterprise"] = d.firm(scope)
            r["hazard"] = d.hazard(scope)
            content = f"evidence {scope}".encode()
            r["sha256"] = hashlib.sha256(content).hexdigest()
            d.post(f"/hazards/{r['hazard']}/evidence", {"file_name": "a.txt", "media_type": "text/plain",
                   "content_base64": base64.b64encode(content).decode(), "sha256": r["sha256"]}, d.principal(scope))  # fmt: skip
            r["case"] = d.case(scope)
            r["inspection"] = d.inspection(scope)
            r["accident"] = d.accident(scope)
            r["risk_point"] = d.risk_point(scope)
            r["problem"] = d.problem(scope)
            r["batch"] = d.post("/publication-batches", {"kind": "notice", "title": "通报", "document_number": f"呈安委办〔2023〕{scope}号",
                                "channel": "区政府网站", "enterprise_ids": [d.firm(scope)], "case_ids": [r["case"]]})["id"]  # fmt: skip
            r["accountability"] = d.post("/accountability/cases", {
                "hazard_ids": [r["hazard"]], "measures": ["诫勉谈话"], "decided_by": "ajb", "summary": "查而不实",
                "persons": [{"user_id": "p-" + scope, "name": "张三", "organisation": "区应急管理局", "role": "执法人员"}]})["id"]  # fmt: skip
        d.rec["in"]["person"], d.rec["out"]["person"] = "p-in", "p-out"
        today = client.get(PREFIX + "/reference").json()["campaign"]["start"]
        d.rec["today"] = {"d": today}
        d.rec["in"]["submission"] = d.post("/reports/annex2/submissions", {"unit": "yjj", "as_of": today}, INSPECTOR)["id"]
        d.rec["out"]["submission"] = d.post("/reports/annex2/submissions", {"unit": "wlj", "as_of": today}, B_INSPECTOR)["id"]
        d.rec["in"]["warning"], d.rec["out"]["warning"] = d.warning("yjj"), d.warning("wlj")
        d.rec["in"]["street_warning"] = d.warning("wulong")
        yield d
    services.close()


# ===== the operations ===================================================================================


def operations(db: str) -> set[tuple[str, str]]:
    app = create_app(Settings(db_url=f"sqlite:///{db}"))
    return {(m.upper(), p.removeprefix(PREFIX)) for p, item in app.openapi()["paths"].items() for m in item}


def test_every_operation_has_a_row(tmp_path: Any) -> None:
    ops = operations(f"{tmp_path}/hazard.db")
    missing = sorted(ops - EXPECTED.keys())
    stale = sorted(EXPECTED.keys() - ops)
    assert not missing and not stale, f"operations without a row: {missing}; rows without an operation: {stale}"
    bad = {k: v for k, v in EXPECTED.items() if len(v.split()) != len(ROLES) or any(len(t) != 2 for t in v.split())}
    assert not bad, f"rows not of {len(ROLES)} two-letter cells: {bad}"
    assert TARGETS.keys() == EXPECTED.keys(), f"operations without a request: {sorted(EXPECTED.keys() - TARGETS.keys())}"


# ===== what each cell sends =============================================================================


@dataclass
class Call:
    path: str
    body: dict[str, Any] | None = None
    params: dict[str, Any] | None = None
    marker: str | None = None  # a list: the id whose presence makes the cell "o" (absence "f")
    form: dict[str, str] | None = None
    files: dict[str, tuple[str, bytes, str]] | None = None  # a multipart upload (with ``form``)


class Cell:
    """The records one cell acts on: shared while they stay valid, made afresh after a 2xx consumed them."""

    def __init__(self, d: District, scope: str, role: str) -> None:
        self.d, self.scope, self.role = d, scope, role
        self.touched: list[tuple[str, ...]] = []

    @property
    def r(self) -> dict[str, str]:
        return self.d.rec[self.scope]

    @property
    def firm(self) -> str:
        return self.d.firm(self.scope)

    @property
    def unit(self) -> str:
        """The caller's own unit (in scope), or 区文化和旅游局 (out)."""
        unit_roles = ("inspector", "street_officer", "committee_office", "admin")
        own = self.d.who[self.role]["X-Org-Id"] if self.role in unit_roles else "yjj"
        return own if self.scope == "in" else "wlj"

    @property
    def user(self) -> str:
        own = self.d.who[self.role].get("X-User-Id", "nobody")
        return own if self.scope == "in" else "someone-else"

    def fresh(self, kind: str, make: Callable[[], str], *variant: str) -> str:
        key = (kind, self.scope, *variant)
        self.touched.append(key)
        if key not in CACHE.setdefault(id(self.d), {}):
            CACHE[id(self.d)][key] = make()
        return CACHE[id(self.d)][key]

    def hazard(self, state: str = "reported", grade: str = "major", listed: bool = False) -> str:
        return self.fresh("hazard", lambda: self.d.hazard(self.scope, state, grade, listed), state, grade, str(listed))

    def case(self, *steps: tuple[str, dict[str, Any]], cite: bool = True) -> str:
        return self.fresh("case", lambda: self.d.case(self.scope, *steps, cite=cite), *(s for s, _ in steps), str(cite))

    def inspection(self, kind: str = "department") -> str:
        """An inspection by the department responsible (区应急管理局 for firm A, 区文化和旅游局 for B)."""
        by = INSPECTOR if self.scope == "in" else B_INSPECTOR
        return self.fresh("inspection", lambda: self.d.inspection(self.scope, by, kind), kind)


CACHE: dict[int, dict[tuple[str, ...], str]] = {}

T = Callable[[Cell], Call]
SUSPEND = ("suspension", {"decision_number": "呈应急停〔2023〕1号", "reason": "无法保证安全"})
CLOSE_REQ = ("closure-request", {"government": "呈贡区人民政府", "reason": "多次处罚仍未整改"})
CLOSURE = ("closure", {"government": "呈贡区人民政府", "decision_number": "呈政关〔2023〕1号"})


def _rp(c: Cell) -> str:
    return c.fresh("risk_point", lambda: c.d.risk_point(c.scope))


def _key(c: Cell) -> str:
    return c.fresh("key", lambda: c.d.key(c.user), c.user)


TARGETS: dict[tuple[str, str], T] = {
    ("GET", "/health"): lambda c: Call("/health"),
    ("GET", "/reference"): lambda c: Call("/reference"),
    ("POST", "/enterprises"): lambda c: Call("/enterprises", {
        "credit_code": credit_code(next(c.d.serial)), "name": f"企业{next(c.d.serial)}",
        "sector": "hazardous_chemicals" if c.scope == "in" else "culture_tourism",
        "jurisdiction": "wulong" if c.scope == "in" else "luoyang", "principal_name": "王五", "high_risk": False}),
    ("GET", "/enterprises"): lambda c: Call("/enterprises", marker=c.firm),
    ("GET", "/enterprises/{enterprise_id}"): lambda c: Call(f"/enterprises/{c.firm}"),
    ("GET", "/enterprises/{enterprise_id}/events"): lambda c: Call(f"/enterprises/{c.firm}/events"),
    ("POST", "/enterprises/{enterprise_id}/principal"): lambda c: Call(f"/enterprises/{c.firm}/principal", {"principal_name": "李建国"}),
    ("POST", "/inspections"): lambda c: Call("/inspections", {
        "enterprise_id": c.firm, "kind": "self_inspection" if c.role in ("principal", "enterprise_staff") else "department",
        "inspectors": [{"user_id": "yjj-zhang", "name": "张伟"}]}),
    ("GET", "/inspections"): lambda c: Call("/inspections", marker=c.r["inspection"]),
    ("GET", "/inspections/{inspection_id}"): lambda c: Call(f"/inspections/{c.r['inspection']}"),
    ("GET", "/inspections/{inspection_id}/events"): lambda c: Call(f"/inspections/{c.r['inspection']}/events"),
    ("POST", "/inspections/{inspection_id}/findings"): lambda c: Call(
        f"/inspections/{c.inspection()}/findings", {"item": "储罐区", "hazard_ids": [], "no_major_hazard": True}),
    ("POST", "/inspections/{inspection_id}/signatures"): lambda c: Call(
        f"/inspections/{c.inspection()}/signatures", {}),
    ("POST", "/inspections/{inspection_id}/deficiencies"): lambda c: Call(
        f"/inspections/{c.inspection('spot_check')}/deficiencies", {"deficiencies": []}),
    ("POST", "/hazards"): lambda c: Call("/hazards", {
        "enterprise_id": c.firm, "grade": "general", "criterion": "第十二条", "description": "报警装置失效",
        "source": "self_inspection" if c.role in ("principal", "enterprise_staff") else "department_inspection"}),
    ("GET", "/hazards"): lambda c: Call("/hazards", marker=c.r["hazard"]),
    ("GET", "/hazards/{hazard_id}"): lambda c: Call(f"/hazards/{c.r['hazard']}"),
    ("GET", "/hazards/{hazard_id}/events"): lambda c: Call(f"/hazards/{c.r['hazard']}/events"),
    ("GET", "/hazards/{hazard_id}/evidence/{sha256}"): lambda c: Call(f"/hazards/{c.r['hazard']}/evidence/{c.r['sha256']}"),
    ("POST", "/hazards/{hazard_id}/report-to-regulator"): lambda c: Call(f"/hazards/{c.hazard()}/report-to-regulator", {}),
    ("POST", "/hazards/{hazard_id}/plan"): lambda c: Call(f"/hazards/{c.hazard()}/plan", full_plan()),
    ("POST", "/hazards/{hazard_id}/progress"): lambda c: Call(f"/hazards/{c.hazard('rectifying')}/progress", {"note": "探头已采购", "percent": 40}),
    ("POST", "/hazards/{hazard_id}/evidence"): lambda c: Call(f"/hazards/{c.r['hazard']}/evidence", {
        "file_name": "b.txt", "media_type": "text/plain", "content_base64": base64.b64encode(f"e{next(c.d.serial)}".encode()).decode()}),
    ("POST", "/hazards/{hazard_id}/supervision"): lambda c: Call(f"/hazards/{c.hazard()}/supervision", listing_body()),
    ("POST", "/hazards/{hazard_id}/supervision/lift"): lambda c: Call(
        f"/hazards/{c.fresh('listed', lambda: _verified_listed(c))}/supervision/lift",
        {"reason": "验收合格", "approver": "呈贡区人民政府"}),
    ("POST", "/hazards/{hazard_id}/completion"): lambda c: Call(f"/hazards/{c.hazard('rectifying')}/completion", {"note": "已完成"}),
    ("POST", "/hazards/{hazard_id}/verification"): lambda c: Call(
        f"/hazards/{c.hazard('pending_verification')}/verification", {"passed": True, "opinion": "整改到位"}),
    ("POST", "/hazards/{hazard_id}/closure"): lambda c: Call(f"/hazards/{c.hazard('verified', 'general')}/closure", {}),
    ("POST", "/hazards/{hazard_id}/deadline-miss"): lambda c: Call(f"/hazards/{c.hazard('lapsed')}/deadline-miss", {
        "deadline": future_date(-30), "missed": True, "reason": "据督查记录，未在期限内完成"}),
    ("POST", "/hazards/{hazard_id}/deadline-extension"): lambda c: Call(f"/hazards/{c.hazard('rectifying')}/deadline-extension", {
        "request_date": datetime.now(UTC).date().isoformat(), "reason": "设备到货延迟", "new_deadline": future_date(60), "approver": "王主任"}),
    ("POST", "/hazards/{hazard_id}/void"): lambda c: Call(f"/hazards/{c.hazard()}/void", {"reason": "重复"}),
    ("POST", "/hazards/{hazard_id}/extension-requests"): lambda c: Call(f"/hazards/{c.hazard('rectifying')}/extension-requests", {
        "reason": "设备到货延迟", "requested_deadline": future_date(45)}),
    ("POST", "/hazards/{hazard_id}/extension-requests/approval"): lambda c: Call(
        f"/hazards/{c.hazard('extension_requested')}/extension-requests/approval", {"opinion": "同意延期", "new_deadline": future_date(40)}),
    ("POST", "/hazards/{hazard_id}/extension-requests/refusal"): lambda c: Call(
        f"/hazards/{c.hazard('extension_requested')}/extension-requests/refusal", {"opinion": "理由不充分"}),
    ("GET", "/reports/annex1"): lambda c: Call("/reports/annex1", params={"unit": c.unit}),
    ("GET", "/reports/annex2"): lambda c: Call("/reports/annex2", params={"unit": c.unit}),
    ("GET", "/reports/annex3"): lambda c: Call("/reports/annex3", params={"unit": c.unit}),
    ("GET", "/reports/calendar"): lambda c: Call("/reports/calendar", params={"unit": c.unit}),
    ("GET", "/kpis"): lambda c: Call("/kpis", params={"unit": c.unit}),
    ("GET", "/statistics/accidents"): lambda c: Call("/statistics/accidents", params={"unit": c.unit}),
    ("GET", "/reports/accident-bulletin.xlsx"): lambda c: Call("/reports/accident-bulletin.xlsx", params={"unit": c.unit, "month": "2023-06"}),
    ("GET", "/reports/{annex}/lineage"): lambda c: Call("/reports/annex2/lineage", params={"unit": c.unit, "key": "majors_rectified"}),
    ("POST", "/cases"): lambda c: Call("/cases", {"enterprise_id": c.firm, "case_number": f"呈应急立〔2023〕{next(c.d.serial)}号",
                                                 "legal_basis": "《安全生产法》第一百零二条"}),
    ("GET", "/cases"): lambda c: Call("/cases", marker=c.r["case"]),
    ("GET", "/cases/{case_id}"): lambda c: Call(f"/cases/{c.r['case']}"),
    ("GET", "/cases/{case_id}/events"): lambda c: Call(f"/cases/{c.r['case']}/events"),
    ("POST", "/cases/{case_id}/penalty"): lambda c: Call(f"/cases/{c.case()}/penalty", {
        "target": "enterprise", "fine_yuan": 50000, "decision_number": "呈应急罚〔2023〕1号", "legal_basis": "第一百零二条"}),
    ("POST", "/cases/{case_id}/dual-penalty"): lambda c: Call(f"/cases/{c.case()}/dual-penalty", {
        "enterprise_fine_yuan": 50000, "principal_fine_yuan": 10000, "decision_number": "呈应急罚〔2023〕2号", "legal_basis": "第九十五条"}),
    ("POST", "/cases/{case_id}/suspension"): lambda c: Call(f"/cases/{c.case()}/suspension", SUSPEND[1]),
    ("POST", "/cases/{case_id}/suspension-lift"): lambda c: Call(f"/cases/{c.case(SUSPEND, cite=False)}/suspension-lift", {"opinion": "复产"}),
    ("POST", "/cases/{case_id}/licence"): lambda c: Call(f"/cases/{c.case()}/licence", {
        "action": "suspend", "licence_name": "安全生产许可证", "licence_number": "（云）WH安许证字〔2023〕1号", "decision_number": "呈应急〔2023〕3号"}),
    ("POST", "/cases/{case_id}/closure-request"): lambda c: Call(f"/cases/{c.case()}/closure-request", CLOSE_REQ[1]),
    ("POST", "/cases/{case_id}/closure"): lambda c: Call(f"/cases/{c.case(CLOSE_REQ)}/closure", {
        "government": "呈贡区人民政府", "decision_number": "呈政关〔2023〕1号"}),
    ("POST", "/cases/{case_id}/industry-ban"): lambda c: Call(f"/cases/{c.case(CLOSE_REQ, CLOSURE)}/industry-ban", {"years": 5}),
    ("POST", "/cases/{case_id}/judicial-transfer"): lambda c: Call(f"/cases/{c.case()}/judicial-transfer", {
        "persons": ["李建国"], "suspected_offence": "危险作业罪"}),
    ("POST", "/cases/{case_id}/joint-punishment"): lambda c: Call(f"/cases/{c.case()}/joint-punishment", {"measures": ["限制招投标"]}),
    ("POST", "/cases/{case_id}/interview"): lambda c: Call(f"/cases/{c.case()}/interview", {"interviewer": "王主任"}),
    ("POST", "/cases/{case_id}/exposure"): lambda c: Call(f"/cases/{c.case()}/exposure", {"channel": "区政府网站", "title": "曝光"}),
    ("POST", "/cases/{case_id}/publication"): lambda c: Call(f"/cases/{c.case()}/publication", {"title": "典型案例", "dangerous_operations_crime": False}),
    ("POST", "/cases/{case_id}/closure-recommendation"): lambda c: Call(f"/cases/{c.case()}/closure-recommendation", {"hazard_id": c.r["hazard"]}),
    ("POST", "/cases/{case_id}/close"): lambda c: Call(f"/cases/{c.case(cite=False)}/close", {"reason": "已执行"}),
    ("POST", "/publication-batches"): lambda c: Call("/publication-batches", {
        "kind": "notice", "title": "通报", "document_number": f"呈安委办〔2023〕{next(c.d.serial)}号", "channel": "区政府网站",
        "enterprise_ids": [c.firm], "case_ids": [c.r["case"]]}),
    ("GET", "/publication-batches/{batch_id}"): lambda c: Call(f"/publication-batches/{c.r['batch']}"),
    ("POST", "/accidents"): lambda c: Call("/accidents", accident_body(c.firm)),
    ("GET", "/accidents"): lambda c: Call("/accidents", marker=c.r["accident"]),
    ("GET", "/accidents/{accident_id}"): lambda c: Call(f"/accidents/{c.r['accident']}"),
    ("POST", "/accidents/{accident_id}/listing"): lambda c: Call(
        f"/accidents/{c.fresh('accident', lambda: c.d.accident(c.scope))}/listing",
        {"level": "district", "supervising_body": "区安委办", "document_number": "呈安委办督〔2023〕9号"}),
    ("POST", "/accidents/{accident_id}/investigation"): lambda c: Call(
        f"/accidents/{c.fresh('accident', lambda: c.d.accident(c.scope))}/investigation", {"liability": True, "summary": "违章作业", "responsible_persons": ["李建国"]}),
    ("POST", "/risk-points"): lambda c: Call("/risk-points", {"enterprise_id": c.firm, "name": "罐区"}),
    ("GET", "/risk-points"): lambda c: Call("/risk-points", marker=c.r["risk_point"]),
    ("GET", "/risk-points/{risk_point_id}"): lambda c: Call(f"/risk-points/{c.r['risk_point']}"),
    ("POST", "/risk-points/{risk_point_id}/basic-info"): lambda c: Call(f"/risk-points/{_rp(c)}/basic-info", {}),
    ("POST", "/risk-points/{risk_point_id}/responsibility"): lambda c: Call(f"/risk-points/{_rp(c)}/responsibility", {
        "department": "yjj", "department_person": "张伟", "department_phone": "13888000001", "principal_name": "李建国",
        "principal_phone": "13988000002"}),
    ("POST", "/risk-points/{risk_point_id}/control-measures"): lambda c: Call(f"/risk-points/{_rp(c)}/control-measures", {"enterprise_measures": ["双人巡检"]}),
    ("POST", "/risk-points/{risk_point_id}/emergency"): lambda c: Call(f"/risk-points/{_rp(c)}/emergency", {"measures": ["疏散"]}),
    ("POST", "/problems"): lambda c: Call("/problems", {
        "description": "未建立安全管理机构", "sector": "hazardous_chemicals" if c.scope == "in" else "culture_tourism"}),
    ("GET", "/problems"): lambda c: Call("/problems", marker=c.r["problem"]),
    ("GET", "/problems/{problem_id}"): lambda c: Call(f"/problems/{c.r['problem']}"),
    ("POST", "/problems/{problem_id}/root-cause-measure"): lambda c: Call(
        f"/problems/{c.fresh('problem', lambda: c.d.problem(c.scope))}/root-cause-measure", {"measure": "建立托管机制"}),
    ("POST", "/problems/{problem_id}/rectification"): lambda c: Call(
        f"/problems/{c.fresh('problem', lambda: c.d.problem(c.scope))}/rectification", {"note": "已整改"}),
    ("POST", "/units/{unit_id}/activities"): lambda c: Call(f"/units/{c.unit}/activities", {"kind": "lecture"}),
    ("GET", "/units/{unit_id}/work-log"): lambda c: Call(f"/units/{c.unit}/work-log"),
    ("GET", "/warnings"): lambda c: Call("/warnings", marker=_warning(c)),
    ("GET", "/reminders"): lambda c: Call("/reminders"),
    ("GET", "/warnings/{warning_id}"): lambda c: Call(f"/warnings/{_warning(c)}"),
    ("GET", "/warnings/{warning_id}/events"): lambda c: Call(f"/warnings/{_warning(c)}/events"),
    ("POST", "/warnings/{warning_id}/confirmation"): lambda c: Call(
        f"/warnings/{_fresh_warning(c)}/confirmation", {}),
    ("POST", "/warnings/{warning_id}/dismissal"): lambda c: Call(
        f"/warnings/{_fresh_warning(c)}/dismissal", {"reason": "已核实"}),
    ("GET", "/units/{unit_id}/flags"): lambda c: Call(f"/units/{c.unit}/flags"),
    ("POST", "/hazards/{hazard_id}/documents"): lambda c: Call(f"/hazards/{c.hazard()}/documents", {"kind": "rectification_order"}),
    ("POST", "/cases/{case_id}/documents"): lambda c: Call(f"/cases/{c.case()}/documents", {"kind": "penalty_summary"}),
    ("POST", "/warnings/{warning_id}/documents"): lambda c: Call(f"/warnings/{_warning(c)}/documents", {"kind": "prompt_letter"}),
    ("GET", "/documents"): lambda c: Call("/documents", marker=_document(c)),
    ("GET", "/documents/{document_id}"): lambda c: Call(f"/documents/{_document(c)}"),
    ("GET", "/documents/{document_id}.pdf"): lambda c: Call(f"/documents/{_document(c)}.pdf"),
    ("GET", "/documents/{document_id}.docx"): lambda c: Call(f"/documents/{_document(c)}.docx"),
    ("GET", "/documents/{document_id}/events"): lambda c: Call(f"/documents/{_document(c)}/events"),
    ("GET", "/documents/{document_id}/verification"): lambda c: Call(f"/documents/{_document(c)}/verification"),
    ("POST", "/documents/{document_id}/delivery"): lambda c: Call(
        f"/documents/{_document(c)}/delivery", {"method": "post", "recipient": "王五"}),
    ("POST", "/documents/{document_id}/receipt"): lambda c: Call(
        f"/documents/{_document(c, delivered=True)}/receipt", {"received_by": "王五"}),
    ("GET", "/reports/{annex}.xlsx"): lambda c: Call("/reports/annex2.xlsx", params={"unit": c.unit}),
    ("GET", "/reports/{annex}.csv"): lambda c: Call("/reports/annex2.csv", params={"unit": c.unit}),
    ("POST", "/reports/{annex}/submissions"): lambda c: Call("/reports/annex2/submissions", {
        "unit": c.unit, "as_of": (datetime.fromisoformat(c.d.rec["today"]["d"]) + timedelta(days=next(c.d.serial) % 300)).date().isoformat()}),
    ("GET", "/reports/{annex}/submissions"): lambda c: Call("/reports/annex2/submissions", params={"unit": c.unit}, marker=c.r["submission"]),
    ("GET", "/reports/submissions/{submission_id}"): lambda c: Call(f"/reports/submissions/{c.r['submission']}"),
    ("POST", "/accountability/cases"): lambda c: Call("/accountability/cases", {
        "hazard_ids": [c.r["hazard"]], "measures": ["诫勉谈话"], "summary": "查而不实",
        "decided_by": c.d.who[c.role].get("X-Org-Id", "ajb"),
        "persons": [{"user_id": "p-x", "name": "张三", "organisation": "区应急管理局", "role": "执法人员"}]}),
    ("GET", "/accountability/cases/{case_id}"): lambda c: Call(f"/accountability/cases/{c.r['accountability']}"),
    ("GET", "/accountability/hazards/{hazard_id}"): lambda c: Call(f"/accountability/hazards/{c.r['hazard']}"),
    ("GET", "/accountability/people/{user_id}"): lambda c: Call(f"/accountability/people/{c.r['person']}", marker=c.r["accountability"]),
    ("GET", "/accountability/anomalies"): lambda c: Call("/accountability/anomalies", params={"unit": c.unit}),
    ("GET", "/audit/checkpoints"): lambda c: Call("/audit/checkpoints"),
    ("GET", "/audit/checkpoints/latest"): lambda c: Call("/audit/checkpoints/latest"),
    ("GET", "/audit/proofs/{position}"): lambda c: Call("/audit/proofs/1"),
    ("GET", "/audit/consistency"): lambda c: Call("/audit/consistency", params={"first": 1}),
    ("POST", "/keys"): lambda c: Call("/keys", {"user_id": c.user, "name": "某人",
                                               "public_key": base64.b64encode(public_key_bytes(new_private_key())).decode()}),
    ("GET", "/keys"): lambda c: Call("/keys", params={"user_id": c.user}, marker=_key(c)),
    ("POST", "/keys/server-held"): lambda c: Call("/keys/server-held", {"user_id": c.user, "name": "某人"}),
    ("POST", "/keys/{key_id}/revocation"): lambda c: Call(f"/keys/{_key(c)}/revocation", {"reason": "手机丢失"}),
    ("GET", "/keys/{key_id}"): lambda c: Call(f"/keys/{_key(c)}"),
    ("GET", "/signing-payload"): lambda c: Call("/signing-payload", params={
        "record_id": c.r["hazard"], "meaning": "verifier", "signed_at": "2023-06-12T08:30:00Z", "key_id": _key(c)}),
    ("POST", "/auth/token"): lambda c: Call("/auth/token", form={"username": "nobody", "password": "wrong"}),
    ("POST", "/auth/refresh"): lambda c: Call("/auth/refresh", form={"refresh_token": "x" * 40}),
    ("POST", "/auth/logout"): lambda c: Call("/auth/logout", form={"refresh_token": "x" * 40}),
    ("GET", "/security-events"): lambda c: Call("/security-events"),
    ("POST", "/imports"): lambda c: Call("/imports", form={"unit": c.unit}, files=_ledger_file(c.scope == "in")),
    ("GET", "/imports/{import_id}"): lambda c: Call(f"/imports/{_ledger_import(c)}"),
}  # fmt: skip


def _ledger_file(firm_a: bool) -> dict[str, tuple[str, bytes, str]]:
    """A one-row hazard ledger (隐患台账) of firm A (or B), as a unit uploads it."""
    book = Workbook()
    book.active.append(["统一社会信用代码", "隐患描述", "隐患等级", "发现日期"])
    book.active.append([credit_code(1 if firm_a else 2), "消防通道堆放杂物", "一般", "2023-06-01"])
    out = io.BytesIO()
    book.save(out)
    return {"file": ("台账.xlsx", out.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}


def _ledger_import(c: Cell) -> str:
    """An import of the cell's unit's ledger, by the 区安委办."""

    def make() -> str:
        r = c.d.client.post(PREFIX + "/imports", data={"unit": c.unit}, files=_ledger_file(True), headers=OFFICE)
        assert r.status_code in (200, 201), r.text
        return str(r.json()["id"])

    return c.fresh("import", make, c.unit)


def _fresh_warning(c: Cell) -> str:
    unit = "wlj" if c.scope == "out" else "wulong" if c.role == "street_officer" else "yjj"
    return c.fresh("warning", lambda: c.d.warning(unit), unit)


def _document(c: Cell, delivered: bool = False) -> str:
    return c.fresh("document", lambda: c.d.document(c.scope, delivered), str(delivered))


def _warning(c: Cell) -> str:
    if c.scope == "in" and c.role == "street_officer":
        return c.d.rec["in"]["street_warning"]
    return c.r["warning"]


def _verified_listed(c: Cell) -> str:
    """A major hazard listed for supervision and verified: its listing may be lifted."""
    hid = c.d.hazard(c.scope, "pending_verification", listed=True)
    c.d.post(f"/hazards/{hid}/verification", {"passed": True, "opinion": "整改到位"}, EXPERT)
    return hid


def outcome(status: int, text: str, marker: str | None) -> str:
    if 200 <= status < 300:
        return "o" if marker is None or marker in text else "f"
    return {401: "u", 403: "d", 404: "h", 409: "r", 422: "r"}.get(status, f"?{status}")


def run_cell(d: District, op: tuple[str, str], role: str, scope: str) -> tuple[str, str]:
    cell = Cell(d, scope, role)
    call = TARGETS[op](cell)
    who = d.who[role]
    method = op[0]
    if call.form is not None:
        r = d.client.request(method, PREFIX + call.path, data=call.form, files=call.files, headers=who)
    else:
        r = d.client.request(method, PREFIX + call.path, json=call.body, params=call.params, headers=who)
    got = outcome(r.status_code, r.text, call.marker)
    if got == "o" and method == "POST":  # the records it acted on are consumed: the next cell gets fresh ones
        for key in cell.touched:
            CACHE[id(d)].pop(key, None)
    return got, r.text[:160]


def test_the_matrix(district: District) -> None:
    started = time.monotonic()
    wrong: list[str] = []
    observed: dict[tuple[str, str], str] = {}
    only = os.environ.get("MATRIX_ONLY")  # debugging: the operations whose path contains this, every answer printed
    for op in sorted(TARGETS, key=lambda o: (o[0] == "POST", o[1])):  # reads first, on the untouched records
        if only and only not in f"{op[0]} {op[1]}":
            continue
        row = EXPECTED.get(op, " ".join(["??"] * len(ROLES))).split()
        cells = []
        for i, role in enumerate(ROLES):
            pair = ""
            for j, scope in enumerate(("in", "out")):
                want = row[i][j] if i < len(row) else "?"
                if want == "-":
                    pair += "-"
                    continue
                got, text = run_cell(district, op, role, scope)
                pair += got
                if only:
                    print(op, role, scope, got, text)
                if got != want:
                    wrong.append(f"{op[0]} {op[1]} {role} {scope}: expected {want}, got {got}: {text}")
            cells.append(pair)
        observed[op] = " ".join(cells)
    elapsed = time.monotonic() - started
    print(f"\nmatrix: {len(observed)} operations in {elapsed:.1f} s")
    for op, cells in observed.items():
        print(f'    ("{op[0]}", "{op[1]}"): "{cells}",')
    assert not wrong, f"{len(wrong)} cells differ from EXPECTED:\n" + "\n".join(wrong)


# ===== the headlines, as plain tests ====================================================================

# Writes that are not acts on a record: logging in, and a person revoking their own signing key.
NOT_RECORD_WRITES = {("POST", "/auth/token"), ("POST", "/auth/refresh"), ("POST", "/auth/logout"),
                     ("POST", "/keys/{key_id}/revocation")}  # fmt: skip
# Reads that are not of a record: the service's health, the reference data, public keys, the security log.
NOT_RECORD_READS = {("GET", "/health"), ("GET", "/reference"), ("GET", "/keys"), ("GET", "/keys/{key_id}"),
                    ("GET", "/security-events")}  # fmt: skip


def test_an_enterprise_lists_only_its_own_hazards(district: District) -> None:
    for who, firm in ((district.who["principal"], district.a), (district.who["enterprise_staff"], district.a),
                      (district.owners["b"], district.b)):  # fmt: skip
        listed = district.client.get(PREFIX + "/hazards", headers=who, params={"limit": 500}).json()
        assert listed["items"] and {h["enterprise_id"] for h in listed["items"]} == {firm}
    other = district.client.get(PREFIX + "/hazards", headers=district.who["principal"], params={"enterprise_id": district.b})
    assert other.json()["total"] == 0


def test_an_auditor_is_denied_every_write(district: District) -> None:
    writes = sorted(op for op in TARGETS if op[0] != "GET" and op not in NOT_RECORD_WRITES)
    got = {(op, scope): run_cell(district, op, "auditor", scope)[0] for op in writes for scope in ("in", "out")}
    assert {k: v for k, v in got.items() if v != "d"} == {}
    # their own key they may revoke (a compromise), another's not
    assert EXPECTED[("POST", "/keys/{key_id}/revocation")].split()[ROLES.index("auditor")] == "od"


def test_the_administrator_is_denied_every_record_write_and_read(district: District) -> None:
    ops = sorted(op for op in TARGETS if op not in NOT_RECORD_WRITES | NOT_RECORD_READS)
    got = {(op, scope): run_cell(district, op, "admin", scope)[0] for op in ops for scope in ("in", "out")}
    registers = ("/cases", "/inspections", "/accidents", "/risk-points", "/problems", "/enterprises")
    lists = {("GET", "/hazards"), ("GET", "/warnings"), ("GET", "/documents"), *(("GET", path) for path in registers)}
    assert {k: v for k, v in got.items() if v not in ("d", "h") and not (k[0] in lists and v == "f")} == {}
    for path in ("/hazards", "/warnings", "/documents", *registers):
        assert district.client.get(PREFIX + path, headers=ADMIN).json()["total"] == 0
