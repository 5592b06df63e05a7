"""Business time and personal signatures on the acts' forms (web/forms.py, web/pages/acts.py): a plan entered
a day late carries the day it was made (发生时间), one dated in the future is refused in place with the
domain's words; an inspector with a server-held key signs a verification from its form, and the hazard's
accountability chain shows the signature valid."""

from __future__ import annotations

import re
import time
import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest

from domain.accountability_rules import SIGNATURE_LABELS, VALID
from domain.business_time import CHINA_TZ
from domain.glossary import EVENT_LABELS, HazardState
from tests.browser.conftest import DESKTOP, PHONE, api_as, axe, no_horizontal_scroll, screenshot
from web.forms import SIGN_LABEL

pytestmark = pytest.mark.browser
HAZARD_PAGE = re.compile(r"/ui/hazards/([0-9a-f-]{36})\?done=")



def _beijing_now() -> datetime:
    return datetime.now(CHINA_TZ).replace(second=0, microsecond=0, tzinfo=None)


def _reported_two_days_ago(live_server: str) -> str:
    """A general hazard of demo-staff's enterprise, reported through the API as found two days ago."""
    with api_as(live_server, "demo-staff") as api:
        enterprise_id = api.get("/hazards", params={"limit": 1}).json()["items"][0]["enterprise_id"]
        body = {"enterprise_id": enterprise_id, "grade": "general", "source": "self_inspection",
                "description": f"补录测试隐患 {uuid.uuid4().hex[:6]}",
                "occurred_at": (_beijing_now() - timedelta(days=2)).isoformat()}  # fmt: skip
        answer = api.post("/hazards", json=body)
        assert answer.status_code == 201, answer.text
        return str(answer.json()["id"])


def _fill_plan(page: Any, deadline: datetime) -> None:
    page.get_by_label("责任人").fill("李建国")
    page.get_by_label("整改措施").fill("更换过期灭火器")
    page.get_by_label("整改期限").fill(deadline.date().isoformat())


def test_a_plan_entered_late_carries_the_time_it_was_made(page_as: Any, live_server: str) -> None:
    hazard_id = _reported_two_days_ago(live_server)
    made = (_beijing_now() - timedelta(days=1)).replace(hour=9, minute=30)  # yesterday 09:30, Beijing
    page = page_as("demo-staff", PHONE)
    zone = "() => [navigator.language, Intl.DateTimeFormat().resolvedOptions().timeZone]"
    assert page.evaluate(zone) == ["zh-CN", "Asia/Shanghai"]  # the district's browser (tests/browser/conftest.py)
    page.goto(f"/ui/hazards/{hazard_id}/acts/plan")
    when = page.get_by_label("发生时间")
    assert when.get_attribute("type") == "datetime-local"
    assert when.input_value() == ""  # empty is now
    _fill_plan(page, made + timedelta(days=30))
    when.fill(made.strftime("%Y-%m-%dT%H:%M"))
    assert axe(page) == []
    assert no_horizontal_scroll(page)
    screenshot(page, "form-plan-backdated-375x812")
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(HAZARD_PAGE)
    assert page.locator(".facts div", has_text="状态").locator("dd").inner_text() == HazardState.RECTIFYING.zh

    stamp = made.strftime("%Y-%m-%d %H:%M")
    filed = page.locator(".timeline li").filter(has_text=EVENT_LABELS["RectificationPlanFiled"])
    assert filed.count() == 1
    assert f"发生：{stamp}" in filed.inner_text()  # the business time, not the recording's
    assert f"记录：{stamp}" not in filed.inner_text()
    with api_as(live_server, "demo-staff") as api:
        events = api.get(f"/hazards/{hazard_id}/events").json()
    plan = next(e for e in events if e["type"] == "RectificationPlanFiled")
    assert datetime.fromisoformat(plan["occurred_at"]) == made.replace(tzinfo=CHINA_TZ)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_an_act_dated_in_the_future_is_refused_in_place(page_as: Any, live_server: str, viewport: dict[str, int]) -> None:
    hazard_id = _reported_two_days_ago(live_server)
    page = page_as("demo-staff", viewport)
    page.goto(f"/ui/hazards/{hazard_id}/acts/plan")
    tomorrow = (_beijing_now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    _fill_plan(page, _beijing_now() + timedelta(days=30))
    page.get_by_label("发生时间").fill(tomorrow)
    page.get_by_role("button", name="提交").click()

    assert "晚于当前时间" in page.get_by_role("alert").inner_text()  # domain/errors.py: occurred_in_future
    when = page.get_by_label("发生时间")
    assert when.get_attribute("aria-invalid") == "true"
    assert "晚于当前时间" in page.locator(f"#{when.get_attribute('aria-describedby').split()[-1]}").inner_text()
    assert when.input_value() == tomorrow  # what was typed is kept
    assert page.get_by_label("责任人").input_value() == "李建国"
    assert axe(page) == []
    assert no_horizontal_scroll(page)
    screenshot(page, f"form-future-{viewport['width']}x{viewport['height']}")
    with api_as(live_server, "demo-staff") as api:
        assert [e["type"] for e in api.get(f"/hazards/{hazard_id}/events").json()] == ["HazardReported"]


def test_an_inspector_signs_a_verification_with_the_server_held_key(page_as: Any, live_server: str) -> None:
    hazard_id = _reported_two_days_ago(live_server)
    with api_as(live_server, "demo-staff") as staff:
        plan = {"responsible_person": "李建国", "measures": "更换", "deadline": (_beijing_now() + timedelta(days=9)).date().isoformat()}
        assert staff.post(f"/hazards/{hazard_id}/plan", json=plan).status_code == 200
        assert staff.post(f"/hazards/{hazard_id}/completion", json={"note": "已完成"}).status_code == 200
    with api_as(live_server, "demo-inspector") as inspector:  # the inspector's own server-held key (api/routes/keys.py)
        keys = inspector.get("/keys", params={"user_id": "demo-inspector"}).json()["items"]
        if not any(k["mode"] == "server_held" and not k["revoked"] for k in keys):
            enrolled = inspector.post("/keys/server-held", json={"user_id": "demo-inspector", "name": "演示检查员"})
            assert enrolled.status_code == 201, enrolled.text

    page = page_as("demo-inspector", DESKTOP)
    page.goto(f"/ui/hazards/{hazard_id}/acts/verification")
    sign = page.get_by_label(SIGN_LABEL)
    assert not sign.is_checked()  # signing on the person's behalf is their choice each time
    page.get_by_label("通过", exact=True).check()
    page.get_by_label("验收意见").fill("整改到位，同意通过验收")  # no assessor ticked: none (was a 500)
    sign.check()
    assert axe(page) == []
    screenshot(page, "form-verification-signed-1366x768")
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(HAZARD_PAGE)

    verified = page.locator("section[aria-labelledby='chain-title'] tbody tr").filter(has_text=EVENT_LABELS["VerificationPassed"])
    deadline = time.monotonic() + 15
    while verified.count() == 0 and time.monotonic() < deadline:  # the chain's read model follows the write
        time.sleep(0.3)
        page.reload()
    assert verified.count() == 1
    assert verified.locator("td[data-label='电子签名']").inner_text() == SIGNATURE_LABELS[VALID]
    with api_as(live_server, "demo-inspector") as inspector:
        event = next(e for e in inspector.get(f"/hazards/{hazard_id}/events").json() if e["type"] == "VerificationPassed")
    assert event["data"]["signature"]["mode"] == "server_held"
    assert axe(page) == []


def test_only_a_signed_act_offers_to_sign(page_as: Any, live_server: str) -> None:
    """A plan is no signed act: its form has no signature box."""
    hazard_id = _reported_two_days_ago(live_server)
    page = page_as("demo-staff", DESKTOP)
    page.goto(f"/ui/hazards/{hazard_id}/acts/plan")
    assert page.get_by_text("个人签名").count() == 0
