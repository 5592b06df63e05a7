"""Accident statistics and the monthly accident bulletin through the API and the CLI, on both backends:
accidents reported in 2022 and 2023, read as of days in June 2023, as known at a recording time, and within
a street officer's territory; the bulletin re-read with openpyxl."""

from __future__ import annotations

import io
import time
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from typer.testing import CliRunner

from app.wiring import Services
from cli.main import app as cli
from domain.figures import DASH

from .conftest import OFFICE, Api, Enterprise, headers

LUOYANG = headers("luoyang-sun", "孙丽", "street_officer", "luoyang", "street", "洛羊街道")


def _accident(api: Api, when: str, **body: Any) -> str:
    values = {"grade": "general", "deaths": 0, "injuries": 0, "direct_loss_yuan": 0, "liability": True,
              "description": f"事故 {when}", "occurred_at": f"{when}T10:00:00+08:00", **body}  # fmt: skip
    return api.post("/accidents", values, OFFICE, status=201)["id"]  # type: ignore[no-any-return]


@pytest.fixture
def known_before_last(api: Api, enterprise: Enterprise) -> str:
    """Five accidents (2022: two, 2023: three); returns a recording time before the last one was recorded."""
    road = {"sector": "transport", "jurisdiction": "luoyang"}
    _accident(api, "2022-06-10", enterprise_id=enterprise.id, deaths=1, direct_loss_yuan=500_000)
    _accident(api, "2022-03-05", **road, injuries=2, direct_loss_yuan=100_000)
    _accident(api, "2023-02-08", enterprise_id=enterprise.id, injuries=1, direct_loss_yuan=50_000)
    _accident(api, "2023-06-12", enterprise_id=enterprise.id, grade="larger", deaths=3, injuries=1,
              direct_loss_yuan=12_000_000, location="储罐区", description="储罐检修动火作业中发生闪爆")  # fmt: skip
    time.sleep(0.01)
    between = datetime.now(UTC).isoformat()
    time.sleep(0.01)
    _accident(api, "2023-06-20", **road, deaths=1, injuries=2, direct_loss_yuan=300_000, description="货车侧翻")
    return between


def _figures(block: dict[str, Any]) -> tuple[int, int, int, Decimal]:
    t = block["totals"]
    return t["count"], t["deaths"], t["injuries"], Decimal(str(t["direct_loss_wan"]))


def _percent(change: dict[str, Any]) -> Decimal | None:
    return None if change["percent"] is None else Decimal(str(change["percent"]))


def test_counts_deaths_and_their_changes_as_of_a_day(api: Api, known_before_last: str) -> None:
    s = api.get("/statistics/accidents", as_of="2023-06-30")
    month, ytd = s["month"], s["year_to_date"]
    assert _figures(month) == (2, 4, 3, Decimal("1230.00"))
    assert _figures(month["last_year"]) == (1, 1, 0, Decimal("50.00"))
    assert month["year_on_year"]["count"]["difference"] == 1 and _percent(month["year_on_year"]["count"]) == Decimal("100.00")
    assert _percent(month["year_on_year"]["deaths"]) == Decimal("300.00")
    assert month["year_on_year"]["injuries"]["percent"] is None  # last June: nobody injured ("—")
    assert _figures(month["previous_month"]) == (0, 0, 0, Decimal("0.00")) and month["month_on_month"]["count"]["percent"] is None
    assert _figures(ytd) == (3, 4, 4, Decimal("1235.00")) and _figures(ytd["last_year"]) == (2, 1, 2, Decimal("60.00"))
    assert _percent(ytd["year_on_year"]["count"]) == Decimal("50.00")
    assert [m["totals"]["count"] for m in s["months"]] == [0, 1, 0, 0, 0, 2]
    assert {r["key"]: r["year_to_date"]["totals"]["count"] for r in s["breakdowns"]["street"]} == {"wulong": 2, "luoyang": 1}
    assert {r["key"]: r["month"]["totals"]["deaths"] for r in s["breakdowns"]["grade"]} == {"general": 1, "larger": 3}
    assert [a["description"] for a in s["accidents"]] == ["储罐检修动火作业中发生闪爆", "货车侧翻"]
    assert s["labels"]["year_on_year"] == "同比" and s["labels"]["direct_loss_wan"] == "直接经济损失（万元）"


def test_an_accident_after_the_day_or_recorded_after_known_at_is_left_out(api: Api, known_before_last: str) -> None:
    assert _figures(api.get("/statistics/accidents", as_of="2023-06-15")["month"]) == (1, 3, 1, Decimal("1200.00"))
    assert _figures(api.get("/statistics/accidents", as_of="2023-06-11")["month"]) == (0, 0, 0, Decimal("0.00"))
    known = api.get("/statistics/accidents", as_of="2023-06-30", known_at=known_before_last)
    assert _figures(known["month"]) == (1, 3, 1, Decimal("1200.00")) and known["known_at"] is not None


def test_a_street_officer_reads_their_street_only(api: Api, known_before_last: str) -> None:
    r = api.client.get("/api/v1/statistics/accidents", params={"as_of": "2023-06-30"}, headers=LUOYANG)
    assert r.status_code == 200, r.text
    assert r.json()["unit"] == "luoyang" and _figures(r.json()["year_to_date"]) == (1, 1, 2, Decimal("30.00"))
    assert [a["description"] for a in r.json()["accidents"]] == ["货车侧翻"]
    other = api.client.get("/api/v1/statistics/accidents", params={"unit": "wulong"}, headers=LUOYANG)
    assert other.status_code == 403 and other.json()["code"] == "outside_scope"
    bulletin = api.client.get("/api/v1/reports/accident-bulletin.xlsx", params={"month": "2023-06", "unit": "wulong"}, headers=LUOYANG)
    assert bulletin.status_code == 403


def _rows(ws: Any) -> list[list[Any]]:
    return [[c.value for c in row] for row in ws.iter_rows()]


def _row_of(rows: list[list[Any]], label: str, after: int = 0) -> list[Any]:
    return next(r for r in rows[after:] if r[0] == label)


def test_the_bulletin_prints_the_months_accidents_and_the_jsons_totals(api: Api, client: TestClient, known_before_last: str) -> None:
    s = api.get("/statistics/accidents", as_of="2023-06-30")
    r = client.get("/api/v1/reports/accident-bulletin.xlsx", params={"month": "2023-06"})
    assert r.status_code == 200, r.text
    assert "filename*=UTF-8''" in r.headers["content-disposition"]
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = _rows(ws)
    assert rows[0][0] == "2023年6月生产安全事故情况通报" and "2023年6月30日" in rows[1][0]
    listed = [row for row in rows if isinstance(row[0], int)]
    assert [row[9] for row in listed] == ["储罐检修动火作业中发生闪爆", "货车侧翻"]
    assert listed[0][2] == "昆明呈贡示例化工有限公司，储罐区" and listed[0][5] == "较大事故" and listed[1][4] == "洛羊街道"
    total = _row_of(rows, "合计")
    month = s["month"]["totals"]
    assert total[5] == f"{month['count']}起" and total[6:9] == [month["deaths"], month["injuries"], float(month["direct_loss_wan"])]
    summary = _row_of(rows, "本月")
    assert summary[2::2] == [month["count"], month["deaths"], month["injuries"], float(month["direct_loss_wan"])]
    ytd_row = _row_of(rows, "本年累计")
    assert ytd_row[2] == s["year_to_date"]["totals"]["count"]
    injuries_percent = _row_of(rows, "同比增减幅度（%）")
    assert injuries_percent[6] == DASH  # last June nobody was injured
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) == 9
    assert int(ws.page_setup.fitToWidth) == 1 and ws.sheet_properties.pageSetUpPr.fitToPage


def test_a_month_to_come_or_malformed_has_no_bulletin(client: TestClient) -> None:
    for month in ("2999-01", "2023-13", "June"):
        r = client.get("/api/v1/reports/accident-bulletin.xlsx", params={"month": month})
        assert r.status_code == 422 and r.json()["code"] == "invalid_value", month


def test_the_cli_prints_the_statistics_and_writes_the_bulletin(
    services: Services, known_before_last: str, db_url: str, tmp_path: Any
) -> None:
    printed = CliRunner().invoke(cli, ["report", "accidents", "--as-of", "2023-06-30", "--unit", "luoyang", "--db", db_url])
    assert printed.exit_code == 0, printed.output
    assert "本年累计" in printed.output and "同比" in printed.output and "2023-06" in printed.output
    out = tmp_path / "bulletin.xlsx"
    written = CliRunner().invoke(cli, ["report", "bulletin", "--month", "2023-06", "--out", str(out), "--db", db_url])
    assert written.exit_code == 0, written.output
    assert load_workbook(out).active["A1"].value == "2023年6月生产安全事故情况通报"
