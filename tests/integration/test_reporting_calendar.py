"""The reporting calendar (报送日历) on both backends: ``GET /reports/calendar`` from the submissions in the
log, the reports' default cut-off and their warnings, the submissions' warnings, and the CLI verb."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import unquote

from typer.testing import CliRunner

from app.wiring import Services
from cli.main import app as cli
from domain.actor import Actor
from domain.business_time import CHINA_TZ, business_date
from domain.figures import latest_cut_off
from domain.glossary import OrgKind, Role
from domain.reporting_calendar import ladder_reports_due

from .conftest import INSPECTOR, OFFICE, Api, headers

YJJ = Actor("yjj-zhang", "张伟", Role.INSPECTOR, "yjj", OrgKind.DEPARTMENT, "区应急管理局")
WULONG = Actor("wulong-sun", "孙属地", Role.STREET_OFFICER, "wulong", OrgKind.STREET, "乌龙街道")
ENTERPRISE = headers("ent-a", "甲", "principal", "00000000-0000-0000-0000-0000000000aa", "enterprise", "甲公司")
B_INSPECTOR = headers("wlj-zhao", "赵敏", "inspector", "wlj", "department", "区文化和旅游局")


def _submit(services: Services, who: Actor, annex: str, as_of: date, on: date) -> str:
    """A submission made (business time) on ``on``: the ledger's own entry, back-dated as an import would be."""
    receipt = services.ledger.reports.submit_report(
        who, annex, who.organisation_id, as_of, {"annex": annex, "rows": []},
        known_at=datetime.now(UTC), occurred_at=datetime.combine(on, time(10), CHINA_TZ),
    )  # fmt: skip
    return str(receipt.id)


def _reports(body: dict, unit: str) -> dict[str, dict]:
    return {r["key"]: r for u in body["units"] if u["unit"] == unit for r in u["reports"]}


def test_the_calendar_says_who_is_late(api: Api, services: Services) -> None:
    on_time = _submit(services, YJJ, "annex2", date(2023, 6, 12), date(2023, 6, 12))
    late = _submit(services, WULONG, "annex1", date(2023, 6, 22), date(2023, 6, 25))
    _submit(services, YJJ, "annex2", date(2023, 6, 10), date(2023, 6, 10))  # not a cut-off: counts for none

    body = api.get("/reports/calendar", as_of="2023-06-30")
    assert body["as_of"] == "2023-06-30" and body["warnings"] == [] and body["unit"] is None
    assert "ajb" not in {u["unit"] for u in body["units"]} and {"yjj", "wulong", "szkfq"} <= {u["unit"] for u in body["units"]}
    yjj = _reports(body, "yjj")
    assert yjj["annex2:2023-06-12"]["status"] == "on_time" and yjj["annex2:2023-06-12"]["submission_id"] == on_time
    assert yjj["annex2:2023-06-12"]["status_zh"] == "按时报送" and yjj["annex2:2023-06-05"]["status"] == "missing"
    assert yjj["annex3:2023-06-12"]["status"] == "missing" and yjj["annex3:2023-06-12"]["title"].startswith("重大风险隐患")
    wulong = _reports(body, "wulong")["annex1:2023-06-22"]
    assert wulong["status"] == "late" and wulong["status_zh"] == "逾期报送" and wulong["submitted_on"] == "2023-06-25"
    assert wulong["submission_id"] == late
    # who is late: late and missing reports, by due date; each is a ReportMissed the day after its due date
    assert {(r["unit"], r["key"]) for r in body["late"]} == {(m["unit"], m["key"]) for m in body["missed"]}
    assert ("wulong", "annex1:2023-06-22") in {(r["unit"], r["key"]) for r in body["late"]}
    assert ("yjj", "annex2:2023-06-12") not in {(r["unit"], r["key"]) for r in body["late"]}
    missed = next(m for m in body["missed"] if (m["unit"], m["key"]) == ("wulong", "annex1:2023-06-22"))
    assert missed["due_on"] == "2023-06-22" and missed["missed_on"] == "2023-06-23"
    assert [p["due_on"] for p in body["paper"]] == ["2023-05-17"]

    # the day itself: not yet due; known_at before the submissions were recorded: none counts
    assert _reports(api.get("/reports/calendar", as_of="2023-06-22", unit="yjj"), "yjj")["annex1:2023-06-22"]["status"] == "not_yet_due"
    before = api.get("/reports/calendar", as_of="2023-06-30", unit="yjj", known_at="2023-07-01T00:00:00+08:00")
    assert _reports(before, "yjj")["annex2:2023-06-12"]["status"] == "missing" and before["known_at"].startswith("2023-07-01")

    # the ladder's input agrees with the missed reports
    due = services.reporting_queries.reports_due("wulong", date(2023, 6, 30))
    facts = services.reporting_queries.submission_facts()
    assert due == ladder_reports_due(services.ledger.reference, "wulong", facts, date(2023, 6, 30))
    assert {f"{r.report}:{r.period}" for r in due if r.submitted_on is None or r.submitted_on > r.due_on} == {
        m["key"] for m in body["missed"] if m["unit"] == "wulong"
    }
    assert services.reporting_queries.reports_due("ajb", date(2023, 6, 30)) == ()


def test_the_calendar_is_read_in_the_readers_scope(api: Api, services: Services) -> None:
    own = api.client.get("/api/v1/reports/calendar", params={"as_of": "2023-06-30"}, headers=INSPECTOR)
    assert own.status_code == 200 and [u["unit"] for u in own.json()["units"]] == ["yjj"]
    other = api.client.get("/api/v1/reports/calendar", params={"unit": "wlj"}, headers=INSPECTOR)
    assert other.status_code == 403 and other.json()["code"] == "outside_scope"
    assert api.client.get("/api/v1/reports/calendar", params={"unit": "wlj"}, headers=B_INSPECTOR).status_code == 200
    assert api.client.get("/api/v1/reports/calendar", headers=ENTERPRISE).status_code == 403
    assert api.get("/reports/calendar", status=422, unit="nowhere")["code"] == "unknown_department"
    assert api.get("/reports/calendar", status=422, as_of="2023-02-30")["code"] == "validation_failed"
    # the office owes none: its calendar is empty
    assert api.get("/reports/calendar", unit="ajb", as_of="2023-06-30")["units"] == [{"unit": "ajb", "unit_name": "区安委办",
                                                                                        "reports": [], "overdue": []}]  # fmt: skip
    today = business_date(datetime.now(UTC))
    body = api.get("/reports/calendar", unit="yjj")
    assert body["as_of"] == today.isoformat() and [w["code"] for w in body["warnings"]] == ["outside_campaign"]
    assert len(body["units"][0]["reports"]) == 1 + 8 + 22  # the whole campaign: 4张清单, 8 调度表, 22 统计表


def test_reports_default_to_the_latest_cut_off_and_warn_outside_the_campaign(api: Api, services: Services) -> None:
    today = business_date(datetime.now(UTC))
    for path in ("/reports/annex1", "/reports/annex2", "/kpis"):
        body = api.get(path)
        assert body["as_of"] == latest_cut_off(today).isoformat(), path
        assert [w["code"] for w in body["warnings"]] == ["outside_campaign"] and "专项行动" in body["warnings"][0]["message_zh"]
        assert api.get(path, as_of="2023-06-12")["warnings"] == [], path
    assert api.get("/reports/annex2/lineage", key="majors", as_of="2024-01-05")["warnings"][0]["code"] == "outside_campaign"
    r = api.client.get("/api/v1/reports/annex2.xlsx")
    assert r.status_code == 200 and latest_cut_off(today).isoformat() in unquote(r.headers["content-disposition"])
    warning = r.headers["x-report-warning"]
    assert warning.startswith("outside_campaign; ") and "专项行动" in unquote(warning) and "campaign" in warning
    assert r.headers["warning"].startswith('299 hazard-ledger "outside_campaign')
    inside = api.client.get("/api/v1/reports/annex2.csv", params={"as_of": "2023-06-12"})
    assert inside.status_code == 200 and "x-report-warning" not in inside.headers


def test_a_submission_for_an_odd_day_is_taken_with_a_warning(api: Api, services: Services) -> None:
    odd = api.post("/reports/annex2/submissions", {"unit": "yjj", "as_of": "2023-06-10"}, INSPECTOR, status=201)
    assert [w["code"] for w in odd["warnings"]] == ["not_a_cut_off"] and "2023-06-05, 2023-06-12" in odd["warnings"][0]["message_en"]
    fine = api.post("/reports/annex2/submissions", {"unit": "yjj", "as_of": "2023-06-12"}, INSPECTOR, status=201)
    assert fine["warnings"] == []
    monthly = api.post("/reports/annex1/submissions", {"unit": "yjj", "as_of": "2023-06-12"}, INSPECTOR, status=201)
    assert [w["code"] for w in monthly["warnings"]] == ["not_a_cut_off"]  # 调度表: the 22nd
    today = business_date(datetime.now(UTC))
    late_day = api.post("/reports/annex2/submissions", {"as_of": latest_cut_off(today).isoformat()}, OFFICE, status=201)
    assert [w["code"] for w in late_day["warnings"]] == ["not_a_cut_off", "outside_campaign"]
    # a submission made over HTTP now, for June, is late
    body = api.get("/reports/calendar", unit="yjj", as_of=(today + timedelta(days=0)).isoformat())
    assert _reports(body, "yjj")["annex2:2023-06-12"]["status"] == "late"


def test_the_cli_prints_who_is_late(services: Services, db_url: str) -> None:
    _submit(services, WULONG, "annex1", date(2023, 6, 22), date(2023, 6, 25))
    result = CliRunner().invoke(cli, ["report", "calendar", "--unit", "wulong", "--as-of", "2023-06-30", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert "2023-06-25" in result.output and "逾期报送" in result.output and "未报送" in result.output
    assert "专项行动方案及动员部署情况" in result.output
    everyone = CliRunner().invoke(cli, ["report", "calendar", "--as-of", "2023-06-30", "--db", db_url])
    assert everyone.exit_code == 0 and "斗南街道" in everyone.output
    bad = CliRunner().invoke(cli, ["report", "calendar", "--unit", "nowhere", "--db", db_url])
    assert bad.exit_code == 1 and "nowhere" in bad.output
    assert CliRunner().invoke(cli, ["report", "calendar", "--as-of", "2023-13-01", "--db", db_url]).exit_code == 2
