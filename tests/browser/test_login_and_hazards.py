"""The pages in a real browser: log-in, the hazard list and a hazard's page, as a clerk on a desktop and as
an enterprise's staff on a phone; each page accessible (axe: no serious or critical violation)."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from domain.glossary import HazardState
from tests.browser.conftest import DESKTOP, PHONE, axe, demo_password, no_horizontal_scroll, screenshot

pytestmark = pytest.mark.browser


def _api_hazards(live_server: str, user_id: str) -> list[dict[str, Any]]:
    token = httpx.post(
        f"{live_server}/api/v1/auth/token", data={"username": user_id, "password": demo_password(user_id)}
    ).json()["access_token"]
    answer = httpx.get(f"{live_server}/api/v1/hazards", params={"limit": 500}, headers={"Authorization": f"Bearer {token}"})
    return answer.json()["items"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_login_page_is_accessible_and_refuses_a_wrong_password(anonymous_page: Any, viewport: dict[str, int]) -> None:
    page = anonymous_page(viewport)
    page.goto("/ui/hazards")  # no session: to the log-in form, the page asked for kept
    assert re.search(r"/ui/login\?next=/ui/hazards$", page.url)
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert axe(page) == []
    assert no_horizontal_scroll(page)
    screenshot(page, f"login-{viewport['width']}x{viewport['height']}")

    page.get_by_label("用户名").fill("demo-expert")  # an account no other test logs in with (a failure throttles it)
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    assert "用户名或密码错误" in page.get_by_role("alert").inner_text()
    assert axe(page) == []


def test_a_clerk_filters_the_hazards_and_opens_one(page_as: Any) -> None:
    page = page_as("demo-office", DESKTOP)
    header = page.locator("header")
    assert "区安委办" in header.inner_text() and "事故隐患台账" in header.inner_text()
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="隐患").click()
    page.wait_for_url("**/ui/hazards")
    everything = int(re.search(r"共 (\d+) 条", page.locator("#results-count").inner_text()).group(1))  # type: ignore[union-attr]
    assert everything > 20  # the demo district: more than one page
    assert page.locator("#hazard-rows tr").count() == 20
    assert axe(page) == []
    screenshot(page, "hazards-office-1366x768")

    rectifying = HazardState.RECTIFYING
    page.get_by_label("状态").select_option(rectifying.value)  # htmx swaps the results, the address follows
    page.wait_for_url(re.compile(r"state=rectifying"))
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    states = page.locator("#hazard-rows td[data-label='状态']").all_inner_texts()
    assert states and all(s.startswith(rectifying.zh) for s in states)
    filtered = int(re.search(r"共 (\d+) 条", page.locator("#results-count").inner_text()).group(1))  # type: ignore[union-attr]
    assert 0 < filtered < everything

    page.get_by_label("仅重大事故隐患").check()
    page.wait_for_url(re.compile(r"major=1"))
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    grades = page.locator("#hazard-rows td[data-label='等级']").all_inner_texts()
    assert all(g == "重大事故隐患" for g in grades)

    first = page.locator("#hazard-rows a").first
    description = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/ui/hazards/[0-9a-f-]{36}$"))
    assert page.get_by_role("heading", level=1).inner_text() == description
    assert page.locator(".timeline li").count() >= 2  # reported, and at least the act that made it rectifying
    assert "隐患登记" in page.locator(".timeline").inner_text()
    assert axe(page) == []
    screenshot(page, "hazard-office-1366x768")


def test_an_enterprise_sees_only_its_own_hazards_on_a_phone(page_as: Any, live_server: str) -> None:
    own = _api_hazards(live_server, "demo-staff")
    others = [h for h in _api_hazards(live_server, "demo-office") if h["enterprise_id"] != own[0]["enterprise_id"]]
    assert own and others

    page = page_as("demo-staff", PHONE)
    nav = page.get_by_role("navigation", name="主导航")
    # no reports or audit for an enterprise; the documents addressed to it
    assert nav.get_by_role("link").all_inner_texts() == ["我的工作", "隐患", "文书"]
    nav.get_by_role("link", name="隐患").click()
    page.wait_for_url("**/ui/hazards")
    assert f"共 {len(own)} 条" in page.locator("#results-count").inner_text()
    enterprises = set(page.locator("#hazard-rows td[data-label='企业']").all_inner_texts())
    assert enterprises == {own[0]["enterprise_name"]}
    assert no_horizontal_scroll(page)
    assert axe(page) == []
    screenshot(page, "hazards-staff-375x812")

    page.locator("#hazard-rows a").first.click()
    page.wait_for_url(re.compile(r"/ui/hazards/[0-9a-f-]{36}$"))
    assert no_horizontal_scroll(page)
    assert axe(page) == []
    screenshot(page, "hazard-staff-375x812")

    # Another enterprise's hazard: refused as if it did not exist (domain/read_scope.py: nothing leaks).
    response = page.goto(f"/ui/hazards/{others[0]['id']}")
    assert response is not None and response.status == 404
    assert "隐患不存在" in page.get_by_role("alert").inner_text()
    assert others[0]["description"] not in page.content()
    assert axe(page) == []
    screenshot(page, "hazard-refused-staff-375x812")


def test_log_out_ends_the_session(page_as: Any) -> None:
    page = page_as("demo-inspector", DESKTOP)
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url("**/ui/login")
    page.goto("/ui/hazards")
    assert "/ui/login?next=" in page.url


def test_a_form_without_the_session_token_is_refused(live_server: str) -> None:
    """CSRF: a POST without the form's token (another site's form) changes nothing."""
    with httpx.Client(base_url=live_server) as client:
        client.get("/ui/login")  # the token cookie, but not the field
        answer = client.post("/ui/login", data={"username": "demo-office", "password": demo_password("demo-office")})
        assert answer.status_code == 403
        assert "hl_access" not in answer.cookies


def test_the_stylesheet_and_scripts_are_fetched_once_then_kept(page_as: Any, live_server: str) -> None:
    """Pages name web/static's files by content version; the browser keeps them (``immutable``) and asks the
    server for none of them on the next pages (web/static_files.py). An address without the current version
    is revalidated instead."""
    page = page_as("demo-office", DESKTOP)  # 我的工作: the stylesheet and htmx are in the browser's cache now
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    responses: dict[str, tuple[str, bool]] = {}  # request id → (static file, from the disk cache)
    from_cache: set[str] = set()  # request ids served from the memory cache
    cdp.on("Network.responseReceived", lambda e: responses.__setitem__(e["requestId"], (e["response"]["url"], e["response"].get("fromDiskCache", False))))
    cdp.on("Network.requestServedFromCache", lambda e: from_cache.add(e["requestId"]))
    for path in ("/ui/hazards", "/ui/annexes/2", "/ui/hazards"):
        page.goto(path, wait_until="load")
    static = {rid: hit for rid, hit in responses.items() if "/ui/static/" in hit[0]}
    assert len(static) >= 6  # the stylesheet and htmx of each of the three pages
    asked_the_server = [url for rid, (url, disk) in static.items() if not disk and rid not in from_cache]
    assert asked_the_server == []
    assert page.locator("link[rel=stylesheet]").get_attribute("href").startswith("/ui/static/app.css?v=")

    versioned = page.locator("script[src*='htmx']").get_attribute("src")
    kept = httpx.get(live_server + versioned)
    assert kept.status_code == 200 and kept.headers["cache-control"] == "public, max-age=31536000, immutable"
    for other in ("/ui/static/vendor/htmx.min.js", "/ui/static/vendor/htmx.min.js?v=000000000000"):
        assert httpx.get(live_server + other).headers["cache-control"] == "no-cache"
