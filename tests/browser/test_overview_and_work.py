"""我的工作 and 总览 in a real browser: the clerk's waiting work opens its hazard; the overview's KPI
charts are drawn and every figure leads to a list of as many hazards; an enterprise on a phone sees its
own plan due; both pages accessible (axe: no serious or critical violation)."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from domain.glossary import Duty, HazardState, Kpi
from tests.browser.conftest import DESKTOP, PHONE, axe, demo_password, no_horizontal_scroll, screenshot

pytestmark = pytest.mark.browser


def _total(page: Any, href: str) -> int:
    """The hazard list's total at ``href``, read with the page's session."""
    html = page.request.get(href).text()
    return int(re.search(r"共 (\d+) 条", html).group(1))  # type: ignore[union-attr]


def test_the_clerk_sees_the_work_waiting_and_opens_it(page_as: Any) -> None:
    page = page_as("demo-office", DESKTOP)
    assert page.get_by_role("heading", level=1).inner_text() == "我的工作"
    missed = page.locator(f"[data-duty='{Duty.DEADLINE_MISSED.value}']")
    assert Duty.DEADLINE_MISSED.zh in missed.get_by_role("heading").inner_text()
    warnings = page.locator(f"[data-duty='{Duty.WARNING_TO_CONFIRM.value}']")
    assert warnings.locator("li").count() > 0  # the demo's ladder proposes warnings, shown with their reasons
    assert Duty.PLAN_DUE.value not in page.content()  # plans are the enterprises' to file
    assert axe(page) == []
    screenshot(page, "work-office-1366x768")

    # "查看全部": the hazard list with the same filters counts what the section counts.
    shown = int(missed.locator(".badge").inner_text())
    assert shown > 0 and _total(page, missed.get_by_role("link", name=re.compile("查看全部")).get_attribute("href")) == shown
    first = missed.locator(".work-items a").first
    description = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/ui/hazards/[0-9a-f-]{36}$"))
    assert page.get_by_role("heading", level=1).inner_text() == description
    assert "逾期" in page.locator(".facts").first.inner_text()  # 基本情况


def test_the_overview_draws_the_kpis_and_each_figure_leads_to_its_hazards(page_as: Any) -> None:
    page = page_as("demo-office", DESKTOP)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="总览").click()
    page.wait_for_url("**/ui/overview")
    for kpi in Kpi:
        assert kpi.zh in page.locator(f"#kpi-{kpi.value} figcaption").inner_text()
    page.wait_for_function("() => document.querySelectorAll('.chart[data-ready=true]').length === 3")
    assert page.locator(".chart svg").count() == 3
    label = page.locator(f"[data-kpi='{Kpi.DYNAMIC_RECTIFICATION_RATE.value}']").get_attribute("aria-label")
    assert label.startswith(Kpi.DYNAMIC_RECTIFICATION_RATE.zh) and "2023-05" in label  # the charts' text alternative
    assert axe(page) == []
    screenshot(page, "overview-office-1366x768")

    # Every figure equals the total of the list it links to (the tally and the list share their conditions).
    figures = page.locator("main a[href^='/ui/hazards']")
    links = {figures.nth(i).get_attribute("href"): int(figures.nth(i).inner_text().split()[0]) for i in range(figures.count())}
    assert len(links) > 50
    wrong = {href: (n, _total(page, href)) for href, n in links.items() if _total(page, href) != n}
    assert wrong == {}

    # Following one: the rectifying hazards of a sector, in the browser.
    link = page.locator("#by-sector a[href*='state=rectifying']").first
    figure = int(link.inner_text())
    link.click()
    page.wait_for_url(re.compile(r"/ui/hazards\?.*state=rectifying"))
    assert f"共 {figure} 条" in page.locator("#results-count").inner_text()
    states = page.locator("#hazard-rows td[data-label='状态']").all_inner_texts()
    assert len(states) == figure and all(s.startswith(HazardState.RECTIFYING.zh) for s in states)

    # Another cut-off: the KPIs as of then (the picker's date is kept).
    page.goto("/ui/overview?as_of=2023-09-30")
    assert page.get_by_label("统计截至").input_value() == "2023-09-30"
    page.wait_for_function("() => document.querySelectorAll('.chart[data-ready=true]').length === 3")
    assert "2023-10" not in page.locator(f"[data-kpi='{Kpi.SELF_FOUND_RATE.value}']").get_attribute("aria-label")


@pytest.mark.parametrize("kpi", list(Kpi), ids=[k.value for k in Kpi])
def test_a_kpi_figure_opens_the_records_behind_it(page_as: Any, live_server: str, kpi: Kpi) -> None:
    day = "2023-12-22"  # inside the campaign: what other tests add today counts in none of these figures
    page = page_as("demo-office", DESKTOP)
    page.goto(f"/ui/overview?as_of={day}")
    figure = page.locator(f"#kpi-{kpi.value} a.kpi-value")
    shown = figure.inner_text().split("，")[0].strip()
    figure.click()
    page.wait_for_url(re.compile(rf"/ui/annexes/kpi/cell\?key={kpi.value}&as_of={day}$"))
    assert page.get_by_role("heading", level=1).inner_text() == kpi.zh
    assert page.locator("#cell-figure").inner_text() == shown

    token = httpx.post(
        f"{live_server}/api/v1/auth/token", data={"username": "demo-office", "password": demo_password("demo-office")}
    ).json()["access_token"]
    lineage = httpx.get(
        f"{live_server}/api/v1/reports/kpi/lineage", params={"key": kpi.value, "as_of": day},
        headers={"Authorization": f"Bearer {token}"},
    ).json()  # fmt: skip
    counts = [len(rows) for rows in lineage["parts"].values()]
    assert len(counts) == 2 and counts[1] > 0  # a rate: its numerator's records and its denominator's
    headings = page.locator("main section h2").all_inner_texts()
    assert "（分子）" in headings[0] and "（分母）" in headings[1]
    assert [int(n) for n in page.locator(".record-count").all_inner_texts()] == counts
    sections = page.locator("main section")
    assert [sections.nth(i).locator("table.records tbody tr").count() for i in range(2)] == counts
    assert axe(page) == []
    screenshot(page, f"overview-kpi-{kpi.value}-1366x768")
    page.get_by_role("link", name="返回总览").click()
    page.wait_for_url(f"**/ui/overview?as_of={day}")


def test_the_overview_on_a_phone_scrolls_its_tables_not_the_page(page_as: Any) -> None:
    page = page_as("demo-inspector", PHONE)
    page.goto("/ui/overview")
    page.wait_for_function("() => document.querySelectorAll('.chart[data-ready=true]').length === 3")
    assert no_horizontal_scroll(page)
    assert axe(page) == []
    screenshot(page, "overview-inspector-375x812")


def test_an_enterprise_sees_its_own_plan_due_on_a_phone(page_as: Any, live_server: str) -> None:
    # The demo's enterprise has filed all its plans: it reports a new hazard, whose plan is then due.
    token = httpx.post(
        f"{live_server}/api/v1/auth/token", data={"username": "demo-principal", "password": demo_password("demo-principal")}
    ).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    enterprise_id = httpx.get(f"{live_server}/api/v1/hazards", headers=auth).json()["items"][0]["enterprise_id"]
    body = {"enterprise_id": enterprise_id, "grade": "general", "source": "self_inspection", "description": "灭火器压力不足待更换"}
    assert httpx.post(f"{live_server}/api/v1/hazards", json=body, headers=auth).status_code == 201

    page = page_as("demo-staff", PHONE)
    plans = page.locator(f"[data-duty='{Duty.PLAN_DUE.value}']")
    if "灭火器压力不足待更换" not in plans.inner_text():  # the read model follows the write: look again
        page.reload()
    assert "灭火器压力不足待更换" in plans.inner_text()
    assert Duty.WARNING_TO_CONFIRM.value not in page.content()
    assert no_horizontal_scroll(page)
    assert axe(page) == []
    screenshot(page, "work-staff-375x812")
    plans.get_by_role("link", name="灭火器压力不足待更换").click()
    page.wait_for_url(re.compile(r"/ui/hazards/[0-9a-f-]{36}$"))
    assert page.get_by_role("heading", level=1).inner_text() == "灭火器压力不足待更换"
    assert no_horizontal_scroll(page)

    nav = page.get_by_role("navigation", name="主导航")
    assert "总览" not in nav.inner_text()  # an enterprise reads no report
    assert page.goto("/ui/overview").status == 403
