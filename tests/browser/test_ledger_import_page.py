"""导入台账 in a real browser: a department's clerk uploads the unit's Excel ledger from the page; a bad row
refuses the whole file with its sheet and row named and nothing written; the fixed file is checked (只检查),
then imported, its hazards appearing with the ledger's own dates; the page is accessible (axe); an enterprise
is refused the page."""

from __future__ import annotations

import io
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import Workbook

from domain.business_time import CHINA_TZ
from tests.browser.conftest import DESKTOP, PHONE, api_as, axe, screenshot

pytestmark = pytest.mark.browser
SHEET = "隐患台账"



def _ledger(path: Path, firm: str, description: str, discovered: str) -> Path:
    """A unit's ledger as typed: a title row, a header, the hazard row, a 合计 row."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(["区应急管理局 隐患排查治理台账"])
    sheet.merge_cells("A1:H1")
    sheet.append(["序号", "企业名称", "隐患描述", "隐患等级", "发现日期", "整改措施", "整改责任人", "整改期限"])
    sheet.append([1, firm, description, "一般", discovered, "立即整改", "李建国", "2023年7月30日"])
    sheet.append(["合计", None, None, None, None, None, None, None])
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())
    return path


def _hazards(api: httpx.Client, description: str, expected: int = 0) -> list[dict[str, Any]]:
    """The hazards with this description, once the read side shows ``expected`` of them (it follows the log)."""
    for _ in range(50):
        items = api.get("/hazards", params={"q": description, "limit": 50}).json()["items"]
        found = [h for h in items if h["description"] == description]
        if len(found) >= expected:
            return found
        time.sleep(0.2)
    return found


def test_a_clerk_imports_the_units_ledger_from_the_page(page_as: Any, live_server: str, tmp_path: Path) -> None:
    api = api_as(live_server, "demo-inspector")
    firm = api.get("/enterprises", params={"sector": "hazardous_chemicals", "limit": 1}).json()["items"][0]["name"]
    description = "导入测试：危化品仓库温湿度计损坏"
    page = page_as("demo-inspector", DESKTOP)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="导入台账").click()
    page.wait_for_url("**/ui/imports")
    assert axe(page) == []

    page.get_by_label("台账文件（.xlsx）").set_input_files(str(_ledger(tmp_path / "bad.xlsx", firm, description, "2023年13月1日")))
    page.get_by_role("button", name="导入").click()
    assert "未写入任何数据" in page.get_by_role("alert").inner_text()
    refused = page.locator("table.data tbody tr")
    assert refused.count() == 1
    assert refused.locator("td").nth(0).inner_text() == SHEET and refused.locator("td").nth(1).inner_text() == "3"
    assert _hazards(api, description) == []  # nothing written
    assert axe(page) == []

    fixed = _ledger(tmp_path / "fixed.xlsx", firm, description, "2023年6月5日")
    page.get_by_label("台账文件（.xlsx）").set_input_files(str(fixed))
    page.get_by_role("button", name="只检查").click()
    assert "检查通过（未写入）" in page.locator("#import-report").inner_text()
    assert _hazards(api, description) == []

    page.get_by_label("台账文件（.xlsx）").set_input_files(str(fixed))
    page.get_by_role("button", name="导入").click()
    report = page.locator("#import-report")
    assert "已导入" in report.inner_text() and page.locator("#report-new").inner_text() == "1"
    screenshot(page, "ledger-import-1366x768")
    [hazard] = _hazards(api, description, expected=1)
    reported = datetime.fromisoformat(hazard["reported_at"]).astimezone(CHINA_TZ)
    assert reported.date() == date(2023, 6, 5)  # the ledger's date is the business time (Beijing)

    page.get_by_label("台账文件（.xlsx）").set_input_files(str(fixed))  # the same file again: nothing new
    page.get_by_role("button", name="导入").click()
    assert "已导入过" in page.locator("#import-report").inner_text()
    assert len(_hazards(api, description, expected=1)) == 1


def test_an_enterprise_has_no_import_page(page_as: Any) -> None:
    page = page_as("demo-staff", PHONE)
    assert page.get_by_role("navigation", name="主导航").get_by_role("link", name="导入台账").count() == 0
    answer = page.goto("/ui/imports")
    assert answer is not None and answer.status == 403
