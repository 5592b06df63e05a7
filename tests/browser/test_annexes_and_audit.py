"""附表 and 审计 in a real browser: the clerk reads Annex 2 at a cut-off, drills into a figure (its records
are as many as the figure says) and downloads the XLSX; an enterprise is refused both areas; the auditor
reads the anomaly lists and the checkpoint page with the offline verification; each page accessible."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from domain.accountability_rules import ANOMALY_LABELS
from domain.annex_forms import ANNEX1_TITLE, ANNEX2_TITLE, annex2_column
from tests.browser.conftest import DESKTOP, PHONE, axe, no_horizontal_scroll, screenshot
from web.pages.audit import VERIFY_COMMANDS

pytestmark = pytest.mark.browser
README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_clerk_drills_into_an_annex_2_figure_and_downloads_the_form(page_as: Any) -> None:
    page = page_as("demo-office", DESKTOP)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="附表").click()
    page.wait_for_url("**/ui/annexes/1")
    page.get_by_role("navigation", name="附表").get_by_role("link", name="附件2").click()
    page.get_by_label("截止日期").select_option("2023-12-22")
    page.get_by_role("button", name="查看").click()
    page.wait_for_url("**as_of=2023-12-22*")
    assert ANNEX2_TITLE in page.get_by_role("heading", level=1).inner_text()
    assert page.get_by_role("status").count() == 0  # a day inside the campaign: no warning

    # 累计总计 × 发现重大隐患: a count, so its records are exactly as many as the figure.
    majors = annex2_column("majors").number
    cell = page.locator("table.form tbody tr").first.locator("td").nth(majors - 1).get_by_role("link")
    figure = int(cell.inner_text())
    assert figure > 0
    cell.click()
    page.wait_for_url("**/ui/annexes/2/cell?*")
    assert page.locator("#cell-figure").inner_text() == str(figure)
    assert int(page.locator(".record-count").inner_text()) == figure
    assert page.locator("table.records tbody tr").count() == figure
    assert page.locator("table.records a[href^='/ui/hazards/']").count() == figure
    assert axe(page) == []

    page.get_by_role("link", name="返回附件2").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 XLSX").click()
    body = Path(download.value.path()).read_bytes()
    sheet = load_workbook(io.BytesIO(body)).active
    assert ANNEX2_TITLE in [c.value for row in sheet.iter_rows(max_row=5) for c in row]
    assert download.value.suggested_filename.endswith("_2023-12-22.xlsx")


def test_a_new_cut_off_swaps_the_form_in_place_and_back_asks_the_ledger_again(page_as: Any) -> None:
    """The cut-off form changes the table without a new page (htmx): the tabs, downloads and drill-down links
    follow the new cut-off, the address is the page's own (reload and Back work), and no copy of the page is
    kept in the tab's storage."""
    page = page_as("demo-office", DESKTOP)
    page.goto("/ui/annexes/2?as_of=2023-12-22")
    page.evaluate("window.__samePage = true")
    page.get_by_label("截止日期").select_option("2023-11-22")
    page.wait_for_url("**as_of=2023-11-22*")
    expect_caption = page.locator("#form-caption")
    expect_caption.filter(has_text="2023-11-22").wait_for()
    assert page.evaluate("window.__samePage") is True  # swapped in place: the same document
    assert "as_of=2023-11-22" in page.get_by_role("link", name="下载 XLSX").get_attribute("href")
    assert "as_of=2023-11-22" in page.get_by_role("navigation", name="附表").get_by_role("link", name="附件3").get_attribute("href")
    figures = page.locator("table.form tbody td a")
    assert figures.count() > 0
    assert all("as_of=2023-11-22" in (h or "") for h in figures.evaluate_all("els => els.map(e => e.getAttribute('href'))"))
    assert page.evaluate("sessionStorage.getItem('htmx-history-cache')") is None

    page.go_back()
    page.wait_for_url("**as_of=2023-12-22*")
    expect_caption.filter(has_text="2023-12-22").wait_for()


def test_annex_1_is_the_forms_grid_and_each_figure_of_a_pair_opens_its_records(page_as: Any) -> None:
    page = page_as("demo-office", DESKTOP)
    page.goto("/ui/annexes/1?as_of=2023-12-22")
    head = page.locator("table.form thead th").all_inner_texts()
    assert head == ["序号", "项目", "数量", "单位"] * 2  # two items a row, as printed
    assert page.locator("table.form tbody th[scope='row']", has_text="一案双罚").count() == 1
    fines = page.locator("table.form a[href*='key=penalties'][href*='figure=fines_wan']")
    figure = fines.inner_text()
    fines.click()
    page.wait_for_url("**/ui/annexes/1/cell?*")
    # the item's label and the figure's caption name it (not the label of the item beside it in the row)
    assert page.get_by_role("heading", level=1).inner_text() == "行政处罚 · 万元"
    assert page.locator("#cell-figure").inner_text() == figure
    assert axe(page) == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_annexes_1_and_2_fit_their_frames_and_are_accessible(page_as: Any, viewport: dict[str, int]) -> None:
    page = page_as("demo-office", viewport)
    size = f"{viewport['width']}x{viewport['height']}"
    page.goto("/ui/annexes/1")  # the default cut-off: the latest, today outside the 2023 campaign — warned
    assert ANNEX1_TITLE in page.get_by_role("heading", level=1).inner_text()
    assert "不在专项行动期间" in page.get_by_role("status").inner_text()
    for n in ("1", "2"):
        page.goto(f"/ui/annexes/{n}?as_of=2023-12-22")
        assert page.locator("table.form caption").is_visible()
        assert no_horizontal_scroll(page)
        assert axe(page) == []
        screenshot(page, f"annex{n}-office-{size}")


@pytest.mark.parametrize("path", ["/ui/annexes/2", "/ui/annexes/2.xlsx", "/ui/audit", "/ui/audit/checkpoint"])
def test_an_enterprise_is_refused_annexes_and_audit(page_as: Any, path: str) -> None:
    page = page_as("demo-staff", PHONE)
    nav = page.get_by_role("navigation", name="主导航").inner_text()
    assert "附表" not in nav and "审计" not in nav
    answer = page.goto(path)
    assert answer.status == 403
    assert page.get_by_role("alert").is_visible()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_auditor_reads_the_anomalies_and_the_checkpoint_with_the_offline_verification(
    page_as: Any, viewport: dict[str, int]
) -> None:
    page = page_as("demo-auditor", viewport)
    size = f"{viewport['width']}x{viewport['height']}"
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="审计").click()
    page.wait_for_url("**/ui/audit")
    assert page.locator("section.anomaly-list").count() == len(ANOMALY_LABELS)  # every list, each in its section
    assert sum(int(n) for n in page.locator(".anomaly-count").all_inner_texts()) > 0
    assert no_horizontal_scroll(page)
    assert axe(page) == []
    screenshot(page, f"audit-anomalies-{size}")

    page.get_by_role("link", name="检查点与离线核验").click()
    page.wait_for_url("**/ui/audit/checkpoint")
    text = page.locator("main").inner_text()
    readme = README.read_text(encoding="utf-8")
    for command in VERIFY_COMMANDS:
        assert command in text and command in readme  # the README's exact commands
    assert no_horizontal_scroll(page)
    assert axe(page) == []
    screenshot(page, f"audit-checkpoint-{size}")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_auditor_opens_a_person_and_a_hazards_chain_from_an_anomaly(page_as: Any, viewport: dict[str, int]) -> None:
    page = page_as("demo-auditor", viewport)
    size = f"{viewport['width']}x{viewport['height']}"
    page.goto("/ui/audit")
    person = page.locator("article.anomaly a[href^='/ui/audit/people/']").first
    name = person.inner_text()
    person.click()
    page.wait_for_url(re.compile(r"/ui/audit/people/[^/?]+$"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("人员履职记录：")
    assert name in page.get_by_role("heading", level=1).inner_text()
    rows = page.locator("table.acts tbody tr")
    counted = page.locator(".facts div", has_text="行为").locator("dd").inner_text()
    assert rows.count() > 0 and counted == f"{rows.count()} 项"  # every act of theirs, one row each
    who = rows.locator("td[data-label='人员']").all_inner_texts()
    assert all(name in w for w in who)  # their acts, nobody else's
    assert no_horizontal_scroll(page)
    assert axe(page) == []
    screenshot(page, f"audit-person-{size}")

    chain = page.locator("table.acts a[href^='/ui/audit/hazards/']").first
    hazard_id = chain.get_attribute("href").rsplit("/", 1)[1]
    chain.click()
    page.wait_for_url(f"**/ui/audit/hazards/{hazard_id}")
    assert page.get_by_role("heading", level=1).inner_text().startswith("责任链：")
    acts = page.locator("table.acts tbody tr")
    assert acts.count() > 0
    records = acts.locator("td[data-label='记录']").all_inner_texts()
    hazards = [r for r in records if r.startswith("隐患")]  # its inspections and cases are in the chain too
    assert hazards and all(hazard_id in r for r in hazards)  # the hazard's own chain, no other hazard's
    assert name in page.locator("main").inner_text()  # the person we came from is in it
    assert page.get_by_role("link", name="隐患页面").get_attribute("href") == f"/ui/hazards/{hazard_id}"
    assert no_horizontal_scroll(page)
    assert axe(page) == []
    screenshot(page, f"audit-chain-{size}")
