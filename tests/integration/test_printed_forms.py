"""The annex XLSX files as printed: each is converted to PDF by LibreOffice (Debian's libreoffice-calc-nogui,
headless), the pages counted (poppler's pdfinfo) and read (pdftotext).

What is checked: Annex 1 prints on one A4 portrait page, with its section titles, the 万元 figures beside their
caption and the footer (审核人, 填报联系人, 联系电话, filled from the submission) on that page. Annex 2 prints
on A4 landscape fitted to the width: the reference's sector list takes one page (a measured count, not one
computed from row heights), with its "其中：" rows and footer. Annex 3 prints on A4 landscape fitted to the width:
a 40-row list takes several pages (how many is not predicted: it depends on LibreOffice's fonts), each
page starting with the list titles (the print titles), every row printed once and in order.
Only text that is not wrapped inside a cell is looked for (pdftotext cuts a wrapped label by its neighbours).

Without soffice or pdfinfo the tests are skipped — unless ``CI`` is set, where they fail (the Makefile
installs both)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from adapters.annex_files import annex3_sheet, to_xlsx
from app.wiring import Services
from domain.annex_forms import ANNEX1, ANNEX2_TITLE, ANNEX3, SECTOR_HEADER, SUB_ROW_PREFIX, footer

from .annex_story import AS_OF, Story, build_story
from .conftest import OFFICE

TOOLS = ("soffice", "pdfinfo", "pdftotext")
A4 = (595, 842)  # points, portrait
REVIEWER, PHONE = "李审核", "0871-67480000"


def _tools_or_skip() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not missing:
        return
    message = f"{', '.join(missing)} missing: apt-get install libreoffice-calc-nogui poppler-utils (make .venv/.installed)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def story(services: Services) -> Story:
    _tools_or_skip()  # before the story: no tools, no point in recording it
    return build_story(services)


def printed(body: bytes, folder: Path, name: str) -> Path:
    """The XLSX printed to PDF by LibreOffice (a fresh profile per conversion: no lock shared with others)."""
    xlsx = folder / f"{name}.xlsx"
    xlsx.write_bytes(body)
    profile = folder / f"lo-{uuid.uuid4().hex}"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(xlsx)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    pdf = folder / f"{name}.pdf"
    assert pdf.exists(), f"LibreOffice wrote no {pdf.name}"
    return pdf


def pages(pdf: Path) -> tuple[int, tuple[float, float]]:
    """The page count and the (first) page size in points."""
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True, timeout=60).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", info, re.M)
    return count, (float(size.group(1)), float(size.group(2)))  # type: ignore[union-attr]


def page_text(pdf: Path, page: int) -> str:
    """The text of one page in the order it is drawn, without spaces and line breaks (a wrapped label is cut
    by its neighbours: only unwrapped text is looked for)."""
    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-raw", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return re.sub(r"\s+", "", out)


def _a4(size: tuple[float, float], *, portrait: bool) -> None:
    assert (round(size[0]), round(size[1])) == (A4 if portrait else A4[::-1]), size


def _download(client: TestClient, annex: str, **params: Any) -> bytes:
    r = client.get(f"/api/v1/reports/{annex}.xlsx", params={"as_of": AS_OF.isoformat(), **params}, headers=OFFICE)
    assert r.status_code == 200, r.text
    return r.content


def _submit(client: TestClient, annex: str) -> None:
    body = {"as_of": AS_OF.isoformat(), "reviewer": REVIEWER, "contact_phone": PHONE}
    r = client.post(f"/api/v1/reports/{annex}/submissions", json=body, headers=OFFICE)
    assert r.status_code == 201, r.text


# LibreOffice is slow: the story's files are printed on SQLite only (they are the same on both backends: test_exports.py).
sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@sqlite_only
def test_annex1_prints_on_one_a4_portrait_page_with_its_filled_footer(client: TestClient, story: Story, tmp_path: Path) -> None:
    _submit(client, "annex1")
    pdf = printed(_download(client, "annex1"), tmp_path, "annex1")
    count, size = pages(pdf)
    assert count == 1
    _a4(size, portrait=True)
    text = page_text(pdf, 1)
    assert [section.title in text for section in ANNEX1] == [True] * len(ANNEX1)
    assert "4.24万元" in text and "1.50万元" in text  # each figure of a pair beside its caption (次 | 万元)
    assert re.sub(r"\s+", "", footer(REVIEWER, "王主任", PHONE)) in text  # the footer, filled, on the same page


@sqlite_only
def test_annex2_prints_on_one_a4_landscape_page_with_its_sub_rows_and_footer(
    client: TestClient, story: Story, tmp_path: Path
) -> None:
    pdf = printed(_download(client, "annex2"), tmp_path, "annex2")
    count, size = pages(pdf)
    _a4(size, portrait=False)
    # Fitted to the width, the reference's 37 sector rows take one page (measured; a longer list would take
    # more pages, each with the header rows: the print titles, checked on Annex 3 below).
    assert count == 1
    text = page_text(pdf, 1)
    assert ANNEX2_TITLE in text and SECTOR_HEADER in text
    assert f"{SUB_ROW_PREFIX}房屋市政" in text
    assert re.sub(r"\s+", "", footer()) in text  # nothing submitted: the footer's blanks


def _risk_point(n: int) -> dict[str, Any]:
    return {
        "number": n, "assessed": "是", "name": f"风险点{n:02d}", "enterprise": "示例企业", "sector": "工贸",
        "description": "粉尘涉爆作业场所，除尘系统集中布置" * 2, "address": "昆明市呈贡区乌龙街道联大街552号",
        "characteristics": "可能导致的事故类型：火灾、爆炸；可能造成的人员最大伤亡数：3人", "department": "区应急管理局 张伟",
        "department_phone": "151********", "principal": "李建国", "principal_phone": "138********",
        "enterprise_measures": ["除尘系统定期清灰", "设置泄爆装置"], "government_measures": ["挂牌督办"],
        "emergency_measures": ["立即停机", "疏散人员"],
        "supplies": [{"category": "消防器材", "name": "干粉灭火器", "quantity": 20, "unit": "具"}],
    }  # fmt: skip


def test_annex3_prints_on_a4_landscape_with_the_header_rows_on_every_page(tmp_path: Path) -> None:
    _tools_or_skip()
    points = 40
    sheet = annex3_sheet({"rows": [_risk_point(n) for n in range(1, points + 1)]}, unit_name="区应急管理局", filled_on=AS_OF)
    pdf = printed(to_xlsx(sheet), tmp_path, "annex3")
    count, size = pages(pdf)
    _a4(size, portrait=False)
    assert count > 1
    texts = [page_text(pdf, n) for n in range(1, count + 1)]
    lists = list(dict.fromkeys(c.list_title for c in ANNEX3))
    for text in texts:
        assert [title in text for title in lists] == [True] * len(lists)  # the print titles, on every page
    names = re.findall(r"风险点\d\d", "".join(texts))
    assert names == [f"风险点{n:02d}" for n in range(1, points + 1)]  # every row once, in order
    print(f"Annex 3 with {points} risk points printed on {count} A4 landscape pages")


@sqlite_only
def test_annex3_of_the_story_prints_its_risk_points(client: TestClient, story: Story, tmp_path: Path) -> None:
    pdf = printed(_download(client, "annex3"), tmp_path, "annex3")
    count, size = pages(pdf)
    _a4(size, portrait=False)
    assert count == 1  # two risk points
    assert "液化烃球罐区" in page_text(pdf, 1)
