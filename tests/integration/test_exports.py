"""The annex forms as files (XLSX and CSV), on both backends: re-read, every label is the form's
(domain/annex_forms.py), every figure the JSON API's, numbers are numbers, phones are masked."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from typer.testing import CliRunner

from app.wiring import Services
from cli.main import app as cli
from domain.annex_forms import (
    ANNEX1,
    ANNEX1_HEADER,
    ANNEX1_NOTE,
    ANNEX1_TITLE,
    ANNEX2,
    ANNEX2_HEADER,
    ANNEX2_NOTE,
    ANNEX2_TITLE,
    ANNEX3,
    ANNEX3_HEADER,
    ANNEX3_TITLE,
    ROW_CUMULATIVE,
    ROW_MONTH,
    SECTOR_HEADER,
    SUB_ROW_PREFIX,
    footer,
)
from domain.figures import DASH

from .annex_story import AS_OF, DEPARTMENT_PHONE, PRINCIPAL_PHONE, Story, build_story
from .conftest import INSPECTOR, headers

EXPERT = headers("exp-feng", "冯专家", "expert", "experts", "expert_body", "专家组")

DATE = "2023年12月22日"


@pytest.fixture
def story(services: Services) -> Story:
    return build_story(services)


def _get(client: TestClient, path: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
    r = client.get(f"/api/v1{path}", params=params, headers=headers or {})
    assert r.status_code == 200, r.text
    return r


def _sheet(body: bytes) -> Any:
    return load_workbook(io.BytesIO(body)).active


def _merged(ws: Any) -> set[str]:
    return {str(r) for r in ws.merged_cells.ranges}


def _assert_figure(cell: Any, value: Any) -> None:
    """A JSON figure and its XLSX cell: ints as int cells, 2-decimal strings as '0.00' numbers, null as —."""
    if value is None:
        assert cell.value == DASH
    elif isinstance(value, bool):
        raise AssertionError("booleans are printed 是/否")
    elif isinstance(value, int):
        assert type(cell.value) is int and cell.value == value, (cell.coordinate, cell.value, value)
    else:
        assert isinstance(cell.value, int | float) and not isinstance(cell.value, bool), (cell.coordinate, cell.value)
        assert Decimal(str(cell.value)) == Decimal(value), (cell.coordinate, cell.value, value)
        assert cell.number_format == "0.00", cell.coordinate


def _printed_label(row: dict[str, Any]) -> str:
    """An Annex 2 row's label as the form prints it: "其中：" before a sub-row (a sector with a parent)."""
    return SUB_ROW_PREFIX + row["label"] if row.get("parent") else row["label"]


# ===== Annex 2 ======================================================================================


def test_annex2_xlsx_reproduces_the_form_with_the_json_figures(client: TestClient, story: Story) -> None:
    table = _get(client, "/reports/annex2", as_of=AS_OF.isoformat()).json()
    r = _get(client, "/reports/annex2.xlsx", as_of=AS_OF.isoformat())
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    disposition = r.headers["content-disposition"]
    assert "filename*=UTF-8''" + quote("附件2_统计表_区安委办_2023-12-22.xlsx") in disposition
    assert 'filename="annex2_district_2023-12-22.xlsx"' in disposition
    ws = _sheet(r.content)

    # Title, header line; the two-level header: group over label, 22–24 spanning both rows; units beneath.
    assert ws["A1"].value == "附件2"
    assert ws["A2"].value == ANNEX2_TITLE
    assert ws["A3"].value == ANNEX2_HEADER.format(unit="区安委办", date=DATE)
    merged = _merged(ws)
    assert "A4:A6" in merged and ws["A4"].value == SECTOR_HEADER
    assert {"B4:D4", "E4:I4", "J4:M4", "N4:P4", "Q4:V4", "W4:W5", "X4:X5", "Y4:Y5"} <= merged
    for n, column in enumerate(ANNEX2, start=2):
        if column.group:
            first_of_group = n == 2 or ANNEX2[n - 3].group != column.group
            if first_of_group:
                assert ws.cell(4, n).value == column.group
            assert ws.cell(5, n).value == column.label
        else:
            assert ws.cell(4, n).value == column.label and ws.cell(5, n).value is None
        assert ws.cell(6, n).value == column.unit
    assert [ws.cell(5, n).value for n in range(2, 23)] == [c.label for c in ANNEX2 if c.group]

    # 累计总计, 本月总计, then every sector row in the form's order, with the JSON API's figures.
    rows = table["rows"]
    assert [rows[0]["label"], rows[1]["label"]] == [ROW_CUMULATIVE, ROW_MONTH]
    for offset, row in enumerate(rows):
        r_ = 7 + offset
        assert ws.cell(r_, 1).value == _printed_label(row)
        assert ws.cell(r_, 1).alignment.indent == (2 if row.get("parent") else 0)
        for n, column in enumerate(ANNEX2, start=2):
            _assert_figure(ws.cell(r_, n), row["cells"][column.key])
    last = 7 + len(rows) - 1
    assert ws.cell(last + 1, 1).value == ANNEX2_NOTE and ws.cell(last + 2, 1).value == footer()  # nothing submitted
    assert f"A{last + 1}:Y{last + 1}" in merged

    # The story's figures, where they land.
    by_key = {row["key"]: 7 + i for i, row in enumerate(rows)}
    col = {c.key: 2 + i for i, c in enumerate(ANNEX2)}
    cumulative = by_key["cumulative"]
    assert ws.cell(cumulative, col["majors"]).value == 2  # the voided major counts nowhere
    assert ws.cell(cumulative, col["risks_controlled"]).value == 1
    _assert_figure(ws.cell(cumulative, col["control_rate"]), "50.00")
    _assert_figure(ws.cell(cumulative, col["fines_wan"]), "4.24")  # 12,345 + 30,050 yuan
    assert ws.cell(cumulative, col["problem_rectification_rate"]).value == DASH  # 0 problems
    assert ws.cell(by_key["month"], col["control_rate"]).value == DASH  # no risk point registered in December
    assert ws.cell(by_key["month"], col["majors_planned_listed"]).value == 1
    assert ws.cell(by_key["construction_housing"], 1).value == "其中：房屋市政"
    assert ws.cell(by_key["construction_housing"], 1).alignment.indent == 2
    assert ws.cell(by_key["construction"], col["majors"]).value == 1  # the "其中" row's parent includes it
    assert ws.cell(by_key["hazardous_chemicals"], col["remediation_rate"]).number_format == "0.00"

    # Printable: A4 landscape, fitted to the width; borders around the table, none on the title.
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) == 9
    assert int(ws.page_setup.fitToWidth) == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.cell(cumulative, 2).border.left.style == "thin" and ws["A2"].border.left.style is None
    assert ws.column_dimensions["A"].width > ws.column_dimensions["B"].width > 0


def test_annex2_csv_has_the_bom_and_the_same_rows(client: TestClient, story: Story) -> None:
    table = _get(client, "/reports/annex2", unit="yjj", as_of=AS_OF.isoformat()).json()
    r = _get(client, "/reports/annex2.csv", unit="yjj", as_of=AS_OF.isoformat())
    assert r.headers["content-type"].startswith("text/csv")
    assert "filename*=UTF-8''" + quote("附件2_统计表_区应急管理局_2023-12-22.csv") in r.headers["content-disposition"]
    assert r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][0] == "附件2" and rows[1][0] == ANNEX2_TITLE
    assert rows[2][0] == ANNEX2_HEADER.format(unit="区应急管理局", date=DATE)
    assert rows[3][:4] == [SECTOR_HEADER, "排查重大风险", "", ""]  # a merged group: its value once
    assert rows[3][22:] == ["约谈警示", "联合惩戒", "行刑衔接"]
    assert rows[4][1:] == [c.label if c.group else "" for c in ANNEX2]
    assert rows[5][1:] == [c.unit for c in ANNEX2]
    for offset, row in enumerate(table["rows"]):
        line = rows[6 + offset]
        assert line[0] == _printed_label(row)
        for n, column in enumerate(ANNEX2, start=1):
            value = row["cells"][column.key]
            assert line[n] == (DASH if value is None else str(value)), (row["key"], column.key)
    cumulative = rows[6]
    assert cumulative[[c.key for c in ANNEX2].index("fines_wan") + 1] == "4.24"
    assert rows[6 + len(table["rows"])][0] == ANNEX2_NOTE and rows[-1][0] == footer()
    assert [line[0] for line in rows if line[0].startswith(SUB_ROW_PREFIX)] == [
        SUB_ROW_PREFIX + row["label"] for row in table["rows"] if row.get("parent")
    ]
    assert {len(line) for line in rows} == {1 + len(ANNEX2)}


# ===== Annex 1 ======================================================================================


def test_annex1_xlsx_is_the_forms_grid_of_two_items_a_row_on_one_portrait_page(client: TestClient, story: Story) -> None:
    table = _get(client, "/reports/annex1", unit="yjj", as_of=AS_OF.isoformat()).json()
    r = _get(client, "/reports/annex1.xlsx", unit="yjj", as_of=AS_OF.isoformat())
    assert "filename*=UTF-8''" + quote("附件1_调度表_区应急管理局_2023-12-22.xlsx") in r.headers["content-disposition"]
    ws = _sheet(r.content)
    assert ws["A2"].value == ANNEX1_TITLE
    assert ws["A3"].value == ANNEX1_HEADER.format(unit="区应急管理局", date=DATE)
    assert [ws.cell(4, n).value for n in range(1, 9)] == ["序号", "项目", "数量", "单位"] * 2
    figures = {item["key"]: item["figures"] for section in table["sections"] for item in section["items"]}
    merged = _merged(ws)
    row = 5
    for section in ANNEX1:
        assert ws.cell(row, 1).value == section.title and f"A{row}:H{row}" in merged
        row += 1
        for pair in (section.items[i : i + 2] for i in range(0, len(section.items), 2)):
            depth = max(len(item.figures) for item in pair)
            for col, item in zip((1, 5), pair, strict=False):
                assert (ws.cell(row, col).value, ws.cell(row, col + 1).value) == (item.number, item.label)
                for line, (name, caption) in enumerate(zip(item.figures, item.figure_captions, strict=True)):
                    value = figures[item.key][name]
                    if item.key == "media_column":
                        assert ws.cell(row, col + 2).value == ("是" if value else "否")
                    else:
                        _assert_figure(ws.cell(row + line, col + 2), value)
                    assert ws.cell(row + line, col + 3).value == caption  # each figure with its unit or caption
                if depth == 2:  # the item spans the two lines of its neighbour's pair of figures
                    letters = "ABCDEFGH"[col - 1 : col + (1 if len(item.figures) == 2 else 3)]
                    assert {f"{x}{row}:{x}{row + 1}" for x in letters} <= merged
            row += depth
    assert ws.cell(row, 1).value == ANNEX1_NOTE and ws.cell(row + 1, 1).value == footer()

    # The story: two penalties (次) and 4.24 万元, one under the other; a tip-off reward of 1.50 (0.85 anonymous).
    cells = {ws.cell(n, c).value: (n, c) for n in range(5, row) for c in (2, 6)}
    n, c = cells["行政处罚"]
    assert (ws.cell(n, c + 1).value, ws.cell(n, c + 2).value, ws.cell(n + 1, c + 2).value) == (2, "次", "万元")
    _assert_figure(ws.cell(n + 1, c + 1), "4.24")
    n, c = cells["举报奖励（万元），其中匿名举报查实奖励（万元）"]
    _assert_figure(ws.cell(n, c + 1), "1.50")
    _assert_figure(ws.cell(n + 1, c + 1), "0.85")
    assert ws.cell(n + 1, c + 2).value == "其中匿名举报查实奖励（万元）"
    n, c = cells["是否在市级主流媒体播放安全生产专题栏目"]
    assert ws.cell(n, c + 1).value == "是"
    n, c = cells["企业自查发现重大事故隐患中已完成整改的"]
    assert ws.cell(n, c + 1).value == 1

    # Printable on one A4 portrait page, the footer on it (tests/integration/test_printed_forms.py prints it).
    assert ws.page_setup.orientation == "portrait" and int(ws.page_setup.paperSize) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (int(ws.page_setup.fitToWidth), int(ws.page_setup.fitToHeight)) == (1, 1)
    assert ws.print_area == f"'附件1'!$A$1:$H${row + 1}" and ws.print_title_rows == "$4:$4"


# ===== Annex 3 ======================================================================================


def test_annex3_xlsx_prints_the_four_lists_with_phones_masked_unless_the_reader_may_see_them(
    client: TestClient, story: Story
) -> None:
    table = _get(client, "/reports/annex3").json()
    # an expert reads the district's tables without the right to personal phones
    anonymous = _sheet(_get(client, "/reports/annex3.xlsx", EXPERT, as_of=AS_OF.isoformat()).content)
    assert anonymous["A2"].value == ANNEX3_TITLE
    assert anonymous["A3"].value == ANNEX3_HEADER.format(unit="区安委办", contact="", date=DATE)
    merged = _merged(anonymous)
    assert {"A4:A5", "B4:H4", "I4:J4", "K4:L4", "M4:N4"} <= merged
    assert [anonymous.cell(4, n).value for n in (2, 9, 11, 13)] == list(dict.fromkeys(c.list_title for c in ANNEX3))
    assert [anonymous.cell(5, n).value for n in range(2, 2 + len(ANNEX3))] == [c.label for c in ANNEX3]

    col = {c.key: 2 + i for i, c in enumerate(ANNEX3)}
    assert [anonymous.cell(6 + i, 1).value for i in range(len(table["rows"]))] == [1, 2]
    point = 6 + next(i for i, row in enumerate(table["rows"]) if row["id"] == str(story.controlled_point))
    assert anonymous.cell(point, col["name"]).value == "液化烃球罐区"
    assert anonymous.cell(point, col["assessed"]).value == "是"
    assert anonymous.cell(point, col["department"]).value == "区应急管理局 张伟 151********"
    assert anonymous.cell(point, col["principal"]).value == "李建国 138********"
    assert anonymous.cell(point, col["enterprise_measures"]).value == "1. 球罐区设置可燃气体报警\n2. 罐区24小时巡检"
    assert anonymous.cell(point, col["enterprise_measures"]).alignment.wrap_text
    assert anonymous.cell(point, col["government_measures"]).value == "挂牌督办、减员减人"
    assert anonymous.cell(point, col["emergency_measures"]).value == "1. 立即切断物料\n2. 疏散下风向人员"
    assert anonymous.cell(point, col["supplies"]).value == "1 消防器材 干粉灭火器 20具\n2 个体防护 正压式空气呼吸器 4套"
    assert "5000.00万元" in anonymous.cell(point, col["characteristics"]).value
    assert DEPARTMENT_PHONE not in r_text(anonymous) and PRINCIPAL_PHONE not in r_text(anonymous)

    auditor = headers("audit-zheng", "郑审计", "auditor", "audit", "audit_body", "区审计局")
    for who in (INSPECTOR, auditor):
        shown = _sheet(_get(client, "/reports/annex3.xlsx", who).content)
        assert shown.cell(point, col["department"]).value == f"区应急管理局 张伟 {DEPARTMENT_PHONE}"
        assert shown.cell(point, col["principal"]).value == f"李建国 {PRINCIPAL_PHONE}"
    enterprise_staff = headers("ent-chen", "陈安全", "enterprise_staff", str(story.chemicals), "enterprise", "示例化工")
    assert client.get("/api/v1/reports/annex3.xlsx", headers=enterprise_staff).status_code == 403  # no report for a firm
    csv_text = _get(client, "/reports/annex3.csv", EXPERT).content.decode("utf-8-sig")
    assert "151********" in csv_text and DEPARTMENT_PHONE not in csv_text
    assert list(csv.reader(io.StringIO(csv_text)))[4][1:] == [c.label for c in ANNEX3]


def r_text(ws: Any) -> str:
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)


def test_an_unknown_annex_is_a_problem(client: TestClient) -> None:
    r = client.get("/api/v1/reports/annex9.xlsx")
    assert r.status_code == 404 and r.json()["code"] == "unknown_annex"
    assert r.headers["content-type"].startswith("application/problem+json")


def test_known_at_exports_the_figures_as_they_were_known(client: TestClient, services: Services, story: Story) -> None:
    before = _get(client, "/reports/annex2.csv", as_of=AS_OF.isoformat(), known_at="2000-01-01T00:00:00Z").content
    lines = list(csv.reader(io.StringIO(before.decode("utf-8-sig"))))
    assert lines[6][0] == ROW_CUMULATIVE and set(lines[6][1:]) <= {"0", "0.00", DASH}


# ===== the CLI =======================================================================================


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json"])
def test_the_cli_writes_the_report_to_a_file(db_url: str, story: Story, tmp_path: Any, fmt: str) -> None:
    out = tmp_path / f"annex2.{fmt}"
    args = ["report", "annex2", "--unit", "yjj", "--as-of", AS_OF.isoformat(), "--format", fmt, "--out", str(out)]
    result = CliRunner().invoke(cli, [*args, "--db", db_url])
    assert result.exit_code == 0, result.output
    body = out.read_bytes()
    if fmt == "xlsx":
        ws = _sheet(body)
        assert ws["A2"].value == ANNEX2_TITLE and ws["A3"].value == ANNEX2_HEADER.format(unit="区应急管理局", date=DATE)
    elif fmt == "csv":
        assert body.startswith(b"\xef\xbb\xbf") and ANNEX2_TITLE in body.decode("utf-8-sig")
    else:
        table = json.loads(body)
        assert table["unit"] == "yjj" and table["rows"][0]["cells"]["fines_wan"] == "4.24"


def test_the_cli_refuses_an_unknown_annex(services: Services, db_url: str, tmp_path: Any) -> None:
    result = CliRunner().invoke(cli, ["report", "annex7", "--out", str(tmp_path / "x.xlsx"), "--db", db_url])
    assert result.exit_code == 1 and "annex7" in result.output
