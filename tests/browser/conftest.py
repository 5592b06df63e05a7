"""Browser tests of the web pages: the real server (``serve --demo`` on a scratch SQLite database) driven
by Debian's Chromium through Playwright.

Playwright's own browser download is unreachable here, so it launches ``/usr/bin/chromium``
(``HAZARD_CHROMIUM`` to use another). Without that browser the tests are skipped — unless ``CI`` is set,
where they fail (as a missing PostgreSQL does with HAZARD_REQUIRE_POSTGRES=1, tests/conftest.py).
``make test`` installs it (the Makefile's set-up).

Fixtures and helpers:

    live_server              the server's base URL (one per test worker, demo district loaded)
    browser                  headless Chromium
    page_as(user_id, size)   a new page of a new context, logged in through /ui/login (demo passwords)
    anonymous_page(size)     a new page, not logged in
    axe(page)                axe-core's serious and critical violations on the page as it is (to assert == [])
    api_as(server, user_id)  an httpx client of the API, logged in as a demo account (bearer token)
    post_ok(api, path, body) a POST that must succeed (200 or 201); its JSON
    screenshot(page, name)   a full-page PNG in test-artifacts/screenshots/<name>.png (gitignored)
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.integration.faults import free_port

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("HAZARD_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "web" / "static" / "vendor" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 375, "height": 812}
# The demo's published passwords (README, Quick start): demo-<role>-2026.
DEMO_ROLES = {
    "demo-principal": "principal", "demo-staff": "enterprise_staff", "demo-inspector": "inspector",
    "demo-street": "street_officer", "demo-office": "committee_office", "demo-expert": "expert",
    "demo-auditor": "auditor", "demo-admin": "admin",
}  # fmt: skip


def demo_password(user_id: str) -> str:
    return f"demo-{DEMO_ROLES[user_id]}-2026"


def _chromium_or_skip() -> None:
    if CHROMIUM.exists():
        return
    message = f"Chromium is needed for the browser tests but {CHROMIUM} is missing (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``hazard-ledger serve --demo`` on a free port and a scratch SQLite database; its base URL."""
    _chromium_or_skip()  # no browser, no point in loading the demo
    workdir = tmp_path_factory.mktemp("web-server")
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "HAZARD_ENV": "development",
        "HAZARD_TOKEN_KEY_FILE": str(workdir / "token-key"),
        "HAZARD_LOG_KEY_FILE": str(workdir / "log-key.pem"),
        "HAZARD_CHECKPOINT_DIR": str(workdir / "checkpoints"),
    }
    command = [sys.executable, "-m", "cli", "serve", "--demo", "--db", f"sqlite:///{workdir}/hazard.db", "--port", str(port)]
    log_path = workdir / "server.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                raise AssertionError(f"the server exited with {process.returncode}:\n{log_path.read_text(errors='replace')}")
            try:
                if httpx.get(f"{url}/api/v1/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"the server did not answer:\n{log_path.read_text(errors='replace')}")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    _chromium_or_skip()
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 — only where the browser is

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def anonymous_page(browser: Any, live_server: str) -> Iterator[Callable[..., Any]]:
    contexts: list[Any] = []

    def open_page(viewport: dict[str, int] = DESKTOP) -> Any:
        # the district's browsers: Chinese (date inputs yyyy/mm/dd) and Beijing time
        context = browser.new_context(base_url=live_server, viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai")
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page_as(anonymous_page: Callable[..., Any]) -> Callable[..., Any]:
    """``page_as("demo-office", DESKTOP)``: a page logged in through the form, on 我的工作."""

    def logged_in(user_id: str, viewport: dict[str, int] = DESKTOP) -> Any:
        page = anonymous_page(viewport)
        page.goto("/ui/login")
        page.get_by_label("用户名").fill(user_id)
        page.get_by_label("密码").fill(demo_password(user_id))
        page.get_by_role("button", name="登录").click()
        page.wait_for_url("**/ui/")
        return page

    return logged_in


def axe(page: Any) -> list[dict[str, Any]]:
    """The page's serious and critical accessibility violations (axe-core, vendored in web/static/vendor)."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate(  # type: ignore[no-any-return]
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations
                .filter(v => v.impact === "serious" || v.impact === "critical")
                .map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(" "))}));
        }"""
    )


def screenshot(page: Any, name: str) -> Path:
    """A full-page PNG at test-artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def no_horizontal_scroll(page: Any) -> bool:
    """The page fits the viewport's width (nothing to scroll sideways on a phone)."""
    return bool(page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"))


def api_as(live_server: str, user_id: str) -> httpx.Client:
    """The API as a demo account: a client with its bearer token (``/api/v1`` relative paths)."""
    token = httpx.post(
        f"{live_server}/api/v1/auth/token", data={"username": user_id, "password": demo_password(user_id)}
    ).json()["access_token"]
    return httpx.Client(base_url=f"{live_server}/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=30)


def post_ok(api: httpx.Client, path: str, body: dict[str, Any]) -> dict[str, Any]:
    answer = api.post(path, json=body)
    assert answer.status_code in (200, 201), answer.text
    return answer.json()  # type: ignore[no-any-return]
