"""The acts' forms in a real browser (web/forms.py, web/pages/acts.py): an enterprise on a phone reports a
hazard with a photo, files its plan and claims completion, an inspector verifies it; a stale form, a refusal
and a double submit; only the acts a role may do are offered; the forms accessible (axe)."""

from __future__ import annotations

import hashlib
import re
import struct
import uuid
import zlib
from datetime import date, timedelta
from typing import Any

import pytest

from domain.glossary import HazardState
from tests.browser.conftest import DESKTOP, PHONE, api_as, axe, no_horizontal_scroll, screenshot

pytestmark = pytest.mark.browser
HAZARD_PAGE = re.compile(r"/ui/hazards/([0-9a-f-]{36})\?done=")


def _png() -> bytes:
    """A 2×2 red PNG, made here (no file in the repository)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")



def _new_hazard(live_server: str) -> str:
    """A general hazard of demo-staff's enterprise, reported through the API."""
    with api_as(live_server, "demo-staff") as api:
        enterprise_id = api.get("/hazards", params={"limit": 1}).json()["items"][0]["enterprise_id"]
        body = {"enterprise_id": enterprise_id, "grade": "general", "source": "self_inspection",
                "description": f"表单测试隐患 {uuid.uuid4().hex[:6]}"}  # fmt: skip
        return str(api.post("/hazards", json=body).json()["id"])


def _state(page: Any) -> str:
    return str(page.locator(".facts div", has_text="状态").locator("dd").inner_text())


def _act(page: Any, label: str) -> None:
    page.locator(".acts").get_by_role("link", name=label, exact=True).click()
    page.wait_for_url(re.compile(r"/acts/"))


def test_an_enterprise_reports_plans_and_completes_on_a_phone_and_an_inspector_verifies(page_as: Any, live_server: str) -> None:
    page = page_as("demo-staff", PHONE)
    page.goto("/ui/hazards")
    _act(page, "登记隐患")
    page.get_by_label("隐患等级").select_option("general")
    page.get_by_label("隐患来源").select_option("self_inspection")
    description = f"配电室灭火器过期 {uuid.uuid4().hex[:6]}"
    page.get_by_label("隐患描述").fill(description)
    page.get_by_label("隐患部位").fill("1号配电室")
    photo = _png()
    page.get_by_label("现场照片").set_input_files({"name": "现场.png", "mimeType": "image/png", "buffer": photo})
    assert page.get_by_label("现场照片").get_attribute("capture") == "environment"
    assert axe(page) == []
    assert no_horizontal_scroll(page)
    screenshot(page, "form-report-375x812")
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(HAZARD_PAGE)
    hazard_id = HAZARD_PAGE.search(page.url).group(1)  # type: ignore[union-attr]
    assert "已提交：登记隐患" in page.get_by_role("status").inner_text()
    assert page.get_by_role("heading", level=1).inner_text() == description
    with api_as(live_server, "demo-staff") as api:  # the photo stored as the API stores evidence
        digest = hashlib.sha256(photo).hexdigest()
        assert api.get(f"/hazards/{hazard_id}").json()["evidence"] == [digest]
        assert api.get(f"/hazards/{hazard_id}/evidence/{digest}").content == photo

    offered = page.locator(".acts").get_by_role("link").all_inner_texts()
    assert "制定整改方案" in offered and "申报整改完成" not in offered and "验收" not in offered  # role and state
    _act(page, "制定整改方案")
    page.get_by_label("责任人").fill("李建国")
    page.get_by_label("整改措施").fill("更换过期灭火器并建立月检台账")
    page.get_by_label("整改资金（元）").fill("3000")
    page.get_by_label("整改期限").fill((date.today() + timedelta(days=30)).isoformat())
    page.get_by_label("应急预案").fill("配电室火灾现场处置方案")
    assert axe(page) == []
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(HAZARD_PAGE)
    assert _state(page) == HazardState.RECTIFYING.zh

    _act(page, "申报整改完成")
    page.get_by_label("说明").fill("已更换全部灭火器")
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(HAZARD_PAGE)
    assert _state(page).startswith(HazardState.PENDING_VERIFICATION.zh)

    inspector = page_as("demo-inspector", DESKTOP)
    inspector.goto(f"/ui/hazards/{hazard_id}")
    assert "申报整改完成" not in inspector.locator(".acts").inner_text()
    _act(inspector, "验收")
    inspector.get_by_label("通过", exact=True).check()
    inspector.get_by_label("验收意见").fill("灭火器已全部更换，同意通过验收")
    inspector.get_by_label("政府").check()
    assert axe(inspector) == []
    screenshot(inspector, "form-verification-1366x768")
    inspector.get_by_role("button", name="提交").click()
    inspector.wait_for_url(HAZARD_PAGE)
    assert _state(inspector).startswith(HazardState.VERIFIED.zh)
    assert "验收" in inspector.locator(".timeline").inner_text()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_stale_form_is_refused_in_place(page_as: Any, live_server: str, viewport: dict[str, int]) -> None:
    hazard_id = _new_hazard(live_server)
    first, second = page_as("demo-staff", viewport), page_as("demo-principal", viewport)
    for page in (first, second):
        page.goto(f"/ui/hazards/{hazard_id}/acts/plan")
    deadline = (date.today() + timedelta(days=20)).isoformat()
    for page, person in ((first, "王丽"), (second, "李建国")):
        page.get_by_label("责任人").fill(person)
        page.get_by_label("整改措施").fill(f"{person}的整改措施")
        page.get_by_label("整改期限").fill(deadline)
    first.get_by_role("button", name="提交").click()
    first.wait_for_url(HAZARD_PAGE)

    second.get_by_role("button", name="提交").click()  # made from version 1, the hazard is now at 2
    alert = second.get_by_role("alert")
    assert "已被他人修改" in alert.inner_text() and "期望版本 1" in alert.inner_text()
    assert second.get_by_label("责任人").input_value() == "李建国"  # what was typed is kept
    assert axe(second) == []
    assert no_horizontal_scroll(second)
    screenshot(second, f"form-stale-{viewport['width']}x{viewport['height']}")
    with api_as(live_server, "demo-staff") as api:
        assert api.get(f"/hazards/{hazard_id}").json()["plan"]["responsible_person"] == "王丽"  # not overwritten


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_refused_act_and_a_wrong_field_are_shown_in_place(page_as: Any, live_server: str, viewport: dict[str, int]) -> None:
    hazard_id = _new_hazard(live_server)
    page = page_as("demo-staff", viewport)
    page.goto(f"/ui/hazards/{hazard_id}/acts/plan")
    page.get_by_label("整改资金（元）").fill("三千")
    page.get_by_role("button", name="提交").click()
    funds = page.get_by_label("整改资金（元）")
    assert funds.get_attribute("aria-invalid") == "true"
    error_id = funds.get_attribute("aria-describedby")
    assert error_id and "整数" in page.locator(f"#{error_id}").inner_text()
    assert funds.input_value() == "三千"

    funds.fill("")
    page.get_by_label("整改措施").fill("更换过期灭火器")
    page.get_by_role("button", name="提交").click()  # a general hazard's plan lacks its responsible person and deadline
    assert "五落实" in page.get_by_role("alert").inner_text() and "责任人" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("责任人").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("整改措施").input_value() == "更换过期灭火器"
    assert axe(page) == []
    assert no_horizontal_scroll(page)
    screenshot(page, f"form-refused-{viewport['width']}x{viewport['height']}")


def test_only_the_acts_a_role_may_do_are_offered(page_as: Any, live_server: str) -> None:
    hazard_id = _new_hazard(live_server)
    auditor = page_as("demo-auditor", DESKTOP)
    auditor.goto(f"/ui/hazards/{hazard_id}")
    assert auditor.locator(".acts").count() == 0
    response = auditor.goto(f"/ui/hazards/{hazard_id}/acts/plan")  # the domain refuses the role (403)
    assert response is not None and response.status == 403
    assert "不能制定整改方案" in auditor.get_by_role("alert").inner_text()


def test_a_double_submit_appends_once(page_as: Any, live_server: str) -> None:
    hazard_id = _new_hazard(live_server)
    page = page_as("demo-staff", DESKTOP)
    page.goto(f"/ui/hazards/{hazard_id}/acts/plan")
    form = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page.content()))
    data = {**form, "responsible_person": "王丽", "measures": "更换", "deadline": (date.today() + timedelta(days=9)).isoformat()}
    # the same rendered form sent twice (a double click, a resend): the session's cookies, the form's key
    answers = [page.request.post(f"/ui/hazards/{hazard_id}/acts/plan", form=data, max_redirects=0) for _ in range(2)]
    assert [a.status for a in answers] == [303, 303]  # the second is the first's replay, not a version conflict
    with api_as(live_server, "demo-staff") as api:
        events = api.get(f"/hazards/{hazard_id}/events").json()
    assert [e["type"] for e in events] == ["HazardReported", "RectificationPlanFiled"]


def test_an_inspector_opens_a_case_from_a_hazard_and_decides_a_penalty(page_as: Any, live_server: str) -> None:
    hazard_id = _new_hazard(live_server)
    page = page_as("demo-inspector", PHONE)
    page.goto(f"/ui/hazards/{hazard_id}")
    _act(page, "立案")
    case_number = f"呈应急罚〔2026〕{uuid.uuid4().hex[:4]}号"
    page.get_by_label("案号").fill(case_number)
    page.get_by_label("法律依据").fill("《安全生产法》第一百零二条")
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(re.compile(r"/ui/cases/[0-9a-f-]{36}\?done=open-case"))
    assert case_number in page.get_by_role("heading", level=1).inner_text()

    _act(page, "作出行政处罚决定")
    page.get_by_label("处罚对象").select_option("enterprise")
    page.get_by_label("罚款（元）").fill("5000")
    page.get_by_label("处罚决定书文号").fill(f"{case_number}-决")
    page.get_by_label("法律依据").fill("《安全生产法》第一百零二条")
    assert axe(page) == []
    assert no_horizontal_scroll(page)
    screenshot(page, "form-penalty-375x812")
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(re.compile(r"/ui/cases/[0-9a-f-]{36}\?done=penalty"))
    assert "罚款 5,000 元" in page.locator(".facts").inner_text()
