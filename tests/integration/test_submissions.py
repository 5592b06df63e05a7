"""A submitted report is frozen (DESIGN §4), on both backends: its figures and SHA-256 never change; a
later back-dated event that changes the cut-off's figures shows up as a restatement, cell by cell."""

from __future__ import annotations

import csv
import hashlib
import io
from typing import Any

import pytest
import rfc8785
from openpyxl import load_workbook

from app.wiring import Services
from domain.annex_forms import ANNEX3_HEADER, footer
from domain.glossary import Assessor

from .annex_story import AS_OF, BUILDING, DEPARTMENT_PHONE, PRINCIPAL_PHONE, Story, at, build_story, principal_of
from .conftest import INSPECTOR, OFFICE, Api, headers

STREET = headers("wulong-sun", "孙属地", "street_officer", "wulong", "street", "乌龙街道")
AUDITOR = headers("audit-zheng", "郑审计", "auditor", "audit", "audit_body", "区审计局")
# reads the district, without the right to personal phones
EXPERT = headers("exp-feng", "冯专家", "expert", "experts", "expert_body", "专家组")


@pytest.fixture
def story(services: Services) -> Story:
    return build_story(services)


def _submit(api: Api, annex: str, who: dict[str, str], status: int = 201, **body: Any) -> Any:
    return api.post(f"/reports/{annex}/submissions", {"as_of": AS_OF.isoformat(), **body}, who, status=status)


def _sha256(figures: dict[str, Any]) -> str:
    return hashlib.sha256(rfc8785.dumps(figures)).hexdigest()


def _verify_back_dated(services: Services, story: Story) -> None:
    """The December major is completed and verified on 15 December — recorded only now."""
    ledger = services.ledger
    ledger.hazards.complete_rectification(principal_of(story.housing, "曾勇洋"), story.listed_major, occurred_at=at(12, 14))
    ledger.hazards.verify(
        BUILDING, story.listed_major, passed=True, opinion="验收合格", assessed_by=[Assessor.GOVERNMENT], occurred_at=at(12, 15)
    )


def test_a_restatement_shows_exactly_the_changed_cells_and_the_frozen_figures_never_change(
    api: Api, services: Services, story: Story
) -> None:
    receipt = _submit(api, "annex2", OFFICE, note="12月22日旬报")
    assert receipt["version"] == 1 and receipt["sequence"] == 1 and len(receipt["sha256"]) == 64
    first = api.get(f"/reports/submissions/{receipt['id']}")
    assert first["annex"] == "annex2" and first["unit"] is None and first["as_of"] == AS_OF.isoformat()
    assert first["submitted_by"]["user_id"] == "ajb-wang" and first["note"] == "12月22日旬报"
    assert first["sha256"] == receipt["sha256"] == _sha256(first["figures"]) and first["sha256_verified"]
    assert first["restatement"]["restated"] is False and first["restatement"]["changes"] == []
    # The frozen figures are the table's: ints as ints, 2-decimal strings, null for an undefined rate.
    table = api.get("/reports/annex2", as_of=AS_OF.isoformat())
    assert [(r["key"], r["cells"]) for r in first["figures"]["rows"]] == [(r["key"], r["cells"]) for r in table["rows"]]
    cumulative = first["figures"]["rows"][0]["cells"]
    assert cumulative["majors"] == 2 and cumulative["fines_wan"] == "4.24" and cumulative["problem_rectification_rate"] is None

    _verify_back_dated(services, story)

    later = api.get(f"/reports/submissions/{receipt['id']}")
    assert later["figures"] == first["figures"] and later["sha256"] == first["sha256"] and later["sha256_verified"]
    restatement = later["restatement"]
    assert restatement["restated"] is True
    changes = {(c["row"], c["key"]): (c["submitted"], c["now"]) for c in restatement["changes"]}
    # The listed major of the 房屋市政 row ("其中" of 建设项目), found in December: 累计, 本月, the row and its parent.
    assert changes == {
        ("cumulative", "majors_rectified"): (1, 2),
        ("cumulative", "remediation_rate"): ("50.00", "100.00"),
        ("month", "majors_rectified"): (0, 1),
        ("month", "remediation_rate"): ("0.00", "100.00"),
        ("construction", "majors_rectified"): (0, 1),
        ("construction", "remediation_rate"): ("0.00", "100.00"),
        ("construction_housing", "majors_rectified"): (0, 1),
        ("construction_housing", "remediation_rate"): ("0.00", "100.00"),
    }
    labelled = {(c["row"], c["key"]): (c["row_label"], c["label"]) for c in restatement["changes"]}
    assert labelled[("construction_housing", "majors_rectified")] == ("房屋市政", "已完成治理")
    assert labelled[("month", "remediation_rate")] == ("本月总计", "治理率")

    # A resubmission is a new record (sequence 2) that supersedes the first; the first stays as it was.
    second = _submit(api, "annex2", OFFICE, note="更正")
    assert second["id"] != receipt["id"] and second["sequence"] == 2 and second["sha256"] != receipt["sha256"]
    resubmitted = api.get(f"/reports/submissions/{second['id']}")
    assert resubmitted["supersedes"] == receipt["id"] and resubmitted["restatement"]["restated"] is False
    assert api.get(f"/reports/submissions/{receipt['id']}")["sha256"] == receipt["sha256"]
    listed = api.get("/reports/annex2/submissions", unit="district", as_of=AS_OF.isoformat())["items"]
    assert [s["id"] for s in listed] == [second["id"], receipt["id"]] and "figures" not in listed[0]


def test_a_unit_submits_its_own_report_only(api: Api, story: Story) -> None:
    own = _submit(api, "annex1", INSPECTOR, unit="yjj")
    assert api.get(f"/reports/submissions/{own['id']}")["submitted_by"]["organisation_id"] == "yjj"
    for who, unit in ((INSPECTOR, "zjj"), (INSPECTOR, None), (OFFICE, "yjj"), (STREET, "yjj")):
        problem = _submit(api, "annex1", who, status=403, unit=unit)
        assert problem["code"] == "outside_scope"
    assert _submit(api, "annex1", STREET, unit="wulong")["sequence"] == 1
    assert _submit(api, "annex1", AUDITOR, status=403)["code"] == "role_not_allowed"
    assert _submit(api, "annex1", OFFICE, status=404, unit="nowhere")["code"] == "unit_not_found"
    assert api.post("/reports/annex1/submissions", {"as_of": AS_OF.isoformat()}, {}, status=401)["code"] == "unauthenticated"
    assert [s["unit"] for s in api.get("/reports/annex1/submissions")["items"]] == ["wulong", "yjj"]
    assert [s["unit"] for s in api.get("/reports/annex1/submissions", unit="yjj")["items"]] == ["yjj"]
    assert api.get("/reports/annex2/submissions")["items"] == []


def test_unknown_annexes_cut_offs_and_submissions_are_problems(api: Api, story: Story) -> None:
    assert _submit(api, "annex9", OFFICE, status=404)["code"] == "unknown_annex"
    assert api.get("/reports/annex9/submissions", status=404)["code"] == "unknown_annex"
    assert api.get("/reports/submissions/00000000-0000-0000-0000-000000000001", status=404)["code"] == "submission_not_found"
    assert api.get("/reports/submissions/not-a-uuid", status=422)["code"] == "validation_failed"
    future = api.post("/reports/annex2/submissions", {"as_of": "2999-01-01"}, OFFICE, status=422)
    assert future["code"] == "invalid_value" and future["details"]["field"] == "as_of"
    assert api.post("/reports/annex2/submissions", {"as_of": "2023-04-30"}, OFFICE, status=422)["code"] == "invalid_value"
    assert api.post("/reports/annex2/submissions", {}, OFFICE, status=422)["code"] == "validation_failed"


def test_a_retried_submission_returns_the_first(api: Api, story: Story) -> None:
    first = api.client.post(
        "/api/v1/reports/annex2/submissions", json={"as_of": AS_OF.isoformat()}, headers={**OFFICE, "Idempotency-Key": "k1"}
    )
    again = api.client.post(
        "/api/v1/reports/annex2/submissions", json={"as_of": AS_OF.isoformat()}, headers={**OFFICE, "Idempotency-Key": "k1"}
    )
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert first.headers["Location"] == f"/api/v1/reports/submissions/{first.json()['id']}"
    assert len(api.get("/reports/annex2/submissions")["items"]) == 1


def test_an_annex3_submission_freezes_the_lists_and_masks_phones_for_readers_without_the_right(
    api: Api, services: Services, story: Story
) -> None:
    receipt = _submit(api, "annex3", OFFICE)
    masked = api.client.get(f"/api/v1/reports/submissions/{receipt['id']}", headers=EXPERT).json()
    cells = {row["label"]: row["cells"] for row in masked["figures"]["rows"]}
    assert masked["phones_masked"] and cells["液化烃球罐区"]["department_phone"] == "151********"
    assert masked["sha256_verified"]  # the hash is over what was submitted, phones included
    shown = api.client.get(f"/api/v1/reports/submissions/{receipt['id']}", headers=AUDITOR).json()
    shown_cells = {row["label"]: row["cells"] for row in shown["figures"]["rows"]}
    assert shown_cells["液化烃球罐区"]["principal_phone"] == PRINCIPAL_PHONE
    assert shown_cells["液化烃球罐区"]["department_phone"] == DEPARTMENT_PHONE
    assert _sha256(shown["figures"]) == receipt["sha256"]

    # The building site's risk point gets its responsibility list afterwards: a restatement of that row.
    services.ledger.risks.list_responsibility(
        BUILDING, story.partial_point, department="zjj", department_person="孙建", department_phone="13912345678",
        principal_name="曾勇洋", principal_phone="13698765432",
    )  # fmt: skip
    changes = api.client.get(f"/api/v1/reports/submissions/{receipt['id']}", headers=EXPERT).json()["restatement"]["changes"]
    assert {(c["row"], c["key"]) for c in changes} == {
        (str(story.partial_point), key) for key in ("department", "department_phone", "principal", "principal_phone")
    }
    phone = next(c for c in changes if c["key"] == "principal_phone")
    assert phone["submitted"] == "" and phone["now"] == "136********" and phone["label"] == "生产经营单位主要负责人和电话"


def test_the_forms_print_the_reviewer_submitter_and_phone_of_the_units_latest_submission(api: Api, story: Story) -> None:
    def printed(annex: str, fmt: str, **params: str) -> list[str]:
        r = api.client.get(f"/api/v1/reports/{annex}.{fmt}", params={"as_of": AS_OF.isoformat(), **params}, headers=OFFICE)
        assert r.status_code == 200, r.text
        if fmt == "csv":
            return [line[0] for line in csv.reader(io.StringIO(r.content.decode("utf-8-sig")))]
        return [row[0] for row in load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True)]

    assert printed("annex2", "xlsx")[-1] == footer()  # none submitted: blanks
    _submit(api, "annex2", OFFICE, reviewer="李审核", contact_phone="0871-67480000")
    _submit(api, "annex2", OFFICE, reviewer="赵审核", contact_phone="0871-67480001")  # a resubmission: the latest counts
    filled = footer("赵审核", "王主任", "0871-67480001")
    assert printed("annex2", "xlsx")[-1] == printed("annex2", "csv")[-1] == filled
    assert printed("annex1", "xlsx")[-1] == footer()  # another annex's submission fills nothing
    assert printed("annex2", "xlsx", unit="yjj")[-1] == footer()  # nor another unit's form
    assert printed("annex2", "xlsx", as_of="2023-12-12")[-1] == footer()  # nor another cut-off's
    assert printed("annex2", "xlsx", known_at="2023-12-23T00:00:00+08:00")[-1] == footer()  # known later than that
    _submit(api, "annex3", OFFICE, contact_phone="0871-67480002")
    assert printed("annex3", "xlsx")[2] == ANNEX3_HEADER.format(unit="区安委办", contact="王主任 0871-67480002", date="2023年12月22日")
    listed = api.get("/reports/annex2/submissions", unit="district")["items"]
    assert [(s["reviewer"], s["contact_phone"]) for s in listed] == [("赵审核", "0871-67480001"), ("李审核", "0871-67480000")]
    too_long = _submit(api, "annex2", OFFICE, status=422, reviewer="审" * 51)
    assert too_long["code"] == "validation_failed"
