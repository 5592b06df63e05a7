"""A hazard's page and a case's page in a real browser: the 区安委办 clerk's question ("which majors in
化工和危化品 are overdue, and who signed their last inspection?") answered in three clicks; an enterprise
on a phone sees its own hazard's history and photos and cannot fetch another's evidence file."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from domain.accountability_rules import SIGNATURE_LABELS, UNSIGNED
from domain.glossary import EVENT_LABELS, Grade
from tests.browser.conftest import DESKTOP, PHONE, api_as, axe, no_horizontal_scroll, post_ok, screenshot

pytestmark = pytest.mark.browser

CHEMICALS = "hazardous_chemicals"  # 化工和危化品 (domain/reference/sectors.csv)




def _events_with_photos(api: httpx.Client, hazards: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The first hazard (of those given) with a photo attached, and that photo's event data. A PNG: the demo's
    JPEGs are placeholders a browser cannot decode (demo/records.py), its PNGs real (1×1) images."""
    for hazard in hazards:
        for event in api.get(f"/hazards/{hazard['id']}/events").json():
            if event["type"] == "EvidenceAttached" and event["data"]["media_type"] == "image/png":
                return hazard, event["data"]
    raise AssertionError("the demo has no hazard with a photo")


@pytest.fixture(scope="module")
def overdue_chemical_major(live_server: str) -> dict[str, Any]:
    """The demo district has no overdue major in 化工和危化品, so the 区应急管理局's inspector (张伟) records
    one as it happens in the field, entered late: an inspection two months ago that found a major, signed by
    the inspector, its plan's deadline a month past; then a case citing it. Returns the ids and names."""
    inspector = api_as(live_server, "demo-inspector")
    chemicals = inspector.get("/hazards", params={"sector": CHEMICALS, "limit": 100}).json()["items"]
    staff = api_as(live_server, "demo-staff").get("/hazards", params={"limit": 1}).json()["items"][0]["enterprise_id"]
    enterprise_id = next(h["enterprise_id"] for h in chemicals if h["enterprise_id"] != staff)  # not the phone test's
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=60)
    at = lambda minutes: (start + timedelta(minutes=minutes)).isoformat()  # noqa: E731
    me = {"user_id": "demo-inspector", "name": "张伟"}
    inspection = post_ok(inspector, "/inspections", {
        "enterprise_id": enterprise_id, "kind": "department", "method": "unannounced", "inspectors": [me],
        "scope": ["储罐区"], "occurred_at": at(0),
    })["id"]  # fmt: skip
    description = "浏览器测试：液化烃储罐区可燃气体检测报警装置失效"
    hazard = post_ok(inspector, "/hazards", {
        "enterprise_id": enterprise_id, "grade": "major", "source": "department_inspection", "inspection_id": inspection,
        "criterion": "《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）》第十二条",
        "description": description, "location": "2号储罐区", "occurred_at": at(30),
    })["id"]  # fmt: skip
    post_ok(inspector, f"/inspections/{inspection}/findings", {"item": "储罐区", "hazard_ids": [hazard], "occurred_at": at(40)})
    post_ok(inspector, f"/inspections/{inspection}/signatures", {"occurred_at": at(50)})
    post_ok(inspector, f"/hazards/{hazard}/plan", {
        "responsible_person": "李建国", "measures": "更换失效探头并接入DCS报警系统", "funds_yuan": 86000,
        "deadline": (start + timedelta(days=30)).date().isoformat(), "contingency_plan": "储罐区泄漏专项应急预案",
        "occurred_at": at(24 * 60),
    })  # fmt: skip
    case_number = "呈应急立〔浏览器测试〕1号"
    case = post_ok(inspector, "/cases", {
        "enterprise_id": enterprise_id, "case_number": case_number, "legal_basis": "《安全生产法》第一百零二条",
        "cited_hazard_ids": [hazard], "occurred_at": at(2 * 24 * 60),
    })  # fmt: skip
    # Read your writes: the pages read the same read models, once they have these events.
    office = api_as(live_server, "demo-office")
    wait = {"min_position": case["position"]}
    overdue = office.get("/hazards", params={"sector": CHEMICALS, "grade": "major", "overdue": "true", **wait}).json()
    assert [h["id"] for h in overdue["items"]] == [hazard]
    assert office.get(f"/accountability/hazards/{hazard}", params=wait).status_code == 200
    return {"id": hazard, "description": description, "case_id": case["id"], "case_number": case_number, "signer": "张伟"}


def test_the_clerk_finds_an_overdue_chemical_major_and_its_signer_in_three_clicks(
    page_as: Any, overdue_chemical_major: dict[str, Any]
) -> None:
    page = page_as("demo-office", DESKTOP)
    clicks = 0

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="隐患").click()
    clicks += 1
    page.wait_for_url("**/ui/hazards")
    quick = page.get_by_role("navigation", name=f"逾期{Grade.MAJOR.zh}")
    quick.get_by_role("link", name=re.compile("^化工和危化品")).click()
    clicks += 1
    page.wait_for_url(re.compile(rf"sector={CHEMICALS}&major=1&overdue=1"))
    assert page.get_by_label("行业领域").input_value() == CHEMICALS  # the form shows the filter applied
    assert page.locator("#hazard-rows tr").count() == 1
    row = page.locator("#hazard-rows tr").first
    assert "逾期" in row.locator("td[data-label='状态']").inner_text()
    assert axe(page) == []
    screenshot(page, "hazards-overdue-chemicals-office-1366x768")

    row.get_by_role("link", name=overdue_chemical_major["description"]).click()
    clicks += 1
    page.wait_for_url(f"**/ui/hazards/{overdue_chemical_major['id']}")
    assert clicks <= 3

    facts = page.locator("section[aria-labelledby='facts-title']")
    assert "化工和危化品" in facts.inner_text() and "逾期（自" in facts.inner_text()
    signed = page.locator("section[aria-labelledby='chain-title'] tbody tr").filter(has_text=EVENT_LABELS["InspectionSigned"])
    assert signed.count() == 1
    assert overdue_chemical_major["signer"] in signed.locator("td[data-label='人员']").inner_text()
    assert signed.locator("td[data-label='电子签名']").inner_text() == SIGNATURE_LABELS[UNSIGNED]
    assert "李建国" in page.locator("section[aria-labelledby='plan-title']").inner_text()  # 五落实: 责任人
    assert axe(page) == []
    screenshot(page, "hazard-chain-office-1366x768")

    # The case citing it: its page, and back to the hazard.
    page.get_by_role("link", name=overdue_chemical_major["case_number"]).click()
    page.wait_for_url(f"**/ui/cases/{overdue_chemical_major['case_id']}")
    assert page.get_by_role("heading", level=1).inner_text().endswith(overdue_chemical_major["case_number"])
    assert page.get_by_role("link", name=overdue_chemical_major["description"]).count() == 1
    assert EVENT_LABELS["CaseOpened"] in page.locator(".timeline").inner_text()
    assert axe(page) == []
    screenshot(page, "case-office-1366x768")


def test_the_case_page_fits_a_phone(page_as: Any, overdue_chemical_major: dict[str, Any]) -> None:
    page = page_as("demo-inspector", PHONE)
    page.goto(f"/ui/cases/{overdue_chemical_major['case_id']}")
    assert no_horizontal_scroll(page)
    assert axe(page) == []
    screenshot(page, "case-inspector-375x812")


def test_an_enterprise_sees_its_hazard_with_history_and_photos_on_a_phone(page_as: Any, live_server: str) -> None:
    staff = api_as(live_server, "demo-staff")
    hazard, photo = _events_with_photos(staff, staff.get("/hazards", params={"limit": 100}).json()["items"])
    events = staff.get(f"/hazards/{hazard['id']}/events").json()

    page = page_as("demo-staff", PHONE)
    page.goto(f"/ui/hazards/{hazard['id']}")
    timeline = page.get_by_role("list").filter(has=page.locator(".event-title")).first
    assert timeline.evaluate("node => node.tagName") == "OL"
    assert timeline.locator("> li").count() == len(events)
    occurred = timeline.locator("time").evaluate_all("nodes => nodes.filter((_, i) => i % 2 === 0).map(n => n.dateTime)")
    assert occurred == sorted(occurred, key=datetime.fromisoformat)  # business order
    image = page.get_by_role("img", name=f"佐证照片：{photo['file_name']}")
    image.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert no_horizontal_scroll(page)
    assert axe(page) == []
    screenshot(page, "hazard-staff-photos-375x812")


def test_an_enterprise_cannot_fetch_another_enterprises_evidence(
    page_as: Any, live_server: str
) -> None:
    office = api_as(live_server, "demo-office")
    own = api_as(live_server, "demo-staff").get("/hazards", params={"limit": 1}).json()["items"][0]["enterprise_id"]
    others = [h for h in office.get("/hazards", params={"limit": 200}).json()["items"] if h["enterprise_id"] != own]
    hazard, photo = _events_with_photos(office, others)
    url = f"/ui/hazards/{hazard['id']}/evidence/{photo['sha256']}"

    clerk = page_as("demo-office", DESKTOP)
    shown = clerk.request.get(url)
    assert shown.status == 200 and shown.headers["content-type"] == photo["media_type"]
    assert shown.headers["x-content-type-options"] == "nosniff"  # the API's serving rules (app/record_reads.py)

    enterprise = page_as("demo-staff", PHONE)
    refused = enterprise.request.get(url)
    assert refused.status == 404
    assert photo["file_name"] not in refused.text()
