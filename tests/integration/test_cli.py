"""The `hazard-ledger` command as a user runs it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path
from uuid import UUID

import pytest
from typer.testing import CliRunner

from app.settings import Settings
from app.wiring import build
from cli.main import app
from domain.actor import Actor
from domain.business_time import CHINA_TZ
from domain.credit_code import check_character
from domain.glossary import ActivityKind, Grade, HazardSource, HazardState, OrgKind, Role
from projections.hazard_queries import HazardFilter

OFFICE = Actor("ajb-wang", "王主任", Role.COMMITTEE_OFFICE, "ajb", OrgKind.COMMITTEE_OFFICE, "区安委办")
INSPECTOR = Actor("yjj-zhang", "张伟", Role.INSPECTOR, "yjj", OrgKind.DEPARTMENT, "区应急管理局")
runner = CliRunner(env={"COLUMNS": "240"})


@pytest.fixture
def hazard_id(db_url: str) -> str:
    services = build(Settings(db_url=db_url))
    code = "91530114MA6K00001"
    enterprise = services.ledger.enterprises.register_enterprise(
        OFFICE, credit_code=code + check_character(code), name="呈贡机械制造有限公司", sector="industry_trade",
        jurisdiction="luolong", principal_name="周平",
    )  # fmt: skip
    hazard = services.ledger.hazards.report_hazard(
        INSPECTOR, enterprise_id=enterprise.id, grade=Grade.GENERAL, source=HazardSource.DEPARTMENT_INSPECTION,
        description="粉尘涉爆除尘系统未按规定泄爆",
    )  # fmt: skip
    services.ledger.hazards.void_hazard(OFFICE, hazard.id, reason="重复登记")
    services.close()
    return str(hazard.id)


def test_hazards_show_prints_the_state_and_who_did_what_when(db_url: str, hazard_id: str) -> None:
    result = runner.invoke(app, ["hazards", "show", hazard_id, "--db", db_url])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "粉尘涉爆除尘系统未按规定泄爆" in out and "已作废" in out and "工贸" in out
    assert "隐患登记 HazardReported" in out and "作废 HazardVoided" in out
    assert "张伟（执法人员，区应急管理局）" in out and "王主任（区安委办，区安委办）" in out
    assert "reason=重复登记" in out


def test_hazards_list_filters_by_state(db_url: str, hazard_id: str) -> None:
    voided = runner.invoke(app, ["hazards", "list", "--state", "voided", "--db", db_url])
    assert voided.exit_code == 0 and hazard_id in voided.output and "1 / 1" in voided.output
    reported = runner.invoke(app, ["hazards", "list", "--state", "reported", "--db", db_url])
    assert reported.exit_code == 0 and hazard_id not in reported.output and "0 / 0" in reported.output


def test_hazards_show_explains_unknown_and_malformed_ids(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/h.db"
    assert runner.invoke(app, ["db", "upgrade", "--db", db]).exit_code == 0  # a ledger, empty
    unknown = runner.invoke(app, ["hazards", "show", "6f1c1d9e-2a55-4a4e-9d7b-2f3f6b7a0c11", "--db", db])
    assert unknown.exit_code == 1 and "隐患不存在" in unknown.output and "Hazard not found" in unknown.output
    malformed = runner.invoke(app, ["hazards", "show", "H-1", "--db", db])
    assert malformed.exit_code == 2 and "not a hazard id" in malformed.output


def test_a_bad_database_url_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["hazards", "list", "--db", "mysql://x/y"])
    assert result.exit_code == 2 and "unsupported scheme" in result.output


def test_project_rebuilds_the_read_model(db_url: str, hazard_id: str) -> None:
    result = runner.invoke(app, ["project", "--rebuild", "--once", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert "3 events read in one pass" in result.output and "records: position 3, version 2" in result.output
    again = runner.invoke(app, ["project", "--once", "--only", "records", "--db", db_url])
    assert "0 events read in one pass" in again.output and "records: position 3, version 2" in again.output
    unknown = runner.invoke(app, ["project", "--once", "--only", "annex9", "--db", db_url])
    assert unknown.exit_code == 2 and "unknown projection" in unknown.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_answers_http_on_the_given_port(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "HAZARD_DB_URL": f"sqlite:///{tmp_path}/serve.db"}
    process = subprocess.Popen(
        [sys.executable, "-m", "cli", "serve", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=2) as r:
                    body = r.read().decode()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise AssertionError(process.communicate(timeout=5)[0].decode()) from None
                time.sleep(0.2)
        assert '"status":"ok"' in body and '"database":"sqlite"' in body
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_history_times_are_shown_in_beijing_time(db_url: str, hazard_id: str) -> None:
    services = build(Settings(db_url=db_url))
    first = services.ledger.history(UUID(hazard_id))[0]
    services.close()
    expected = datetime.fromisoformat(first["occurred_at"]).astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")
    result = runner.invoke(app, ["hazards", "show", hazard_id, "--db", db_url])
    assert expected in result.output


def test_demo_loads_a_district_once_and_the_list_shows_it(db_url: str) -> None:
    first = runner.invoke(app, ["demo", "--db", db_url])
    assert first.exit_code == 0, first.output
    assert "家企业 enterprises" in first.output
    # how to log in: the demo's accounts (one per role) with their passwords, the token request, Swagger
    assert "demo-inspector" in first.output and "demo-inspector-2026" in first.output
    assert "/api/v1/auth/token" in first.output and "Authorize" in first.output
    again = runner.invoke(app, ["demo", "--db", db_url])
    assert again.exit_code == 0 and "跳过加载" in again.output
    assert "demo-office" in again.output  # the accounts already there, shown again
    services = build(Settings(db_url=db_url))
    try:
        services.catch_up()
        states = {s.value: services.queries.list(HazardFilter(state=s, limit=1))["total"] for s in HazardState}
    finally:
        services.close()
    assert all(count > 0 for count in states.values()), states
    assert sum(states.values()) >= 100


def test_show_prints_any_record_with_its_history(db_url: str) -> None:
    services = build(Settings(db_url=db_url))
    code = "91530114MA6K00002"
    enterprise = services.ledger.enterprises.register_enterprise(
        OFFICE, credit_code=code + check_character(code), name="呈贡仓储物流有限公司", sector="industry_trade",
        jurisdiction="luolong", principal_name="周平",
    )  # fmt: skip
    case = services.ledger.enforcement.open_case(
        INSPECTOR, enterprise_id=enterprise.id, legal_basis="《安全生产法》第九十九条", case_number="呈应急立〔2023〕77号"
    )
    services.ledger.work_logs.record_activity(INSPECTOR, "yjj", kind=ActivityKind.LECTURE, count=2, note="到企业宣讲")
    services.close()
    shown = runner.invoke(app, ["show", "case", str(case.id), "--db", db_url])
    assert shown.exit_code == 0, shown.output
    assert "执法案件 enforcement case" in shown.output and "呈应急立〔2023〕77号" in shown.output
    assert "CaseOpened" in shown.output and "张伟（执法人员，区应急管理局）" in shown.output
    assert runner.invoke(app, ["show", "planet", str(case.id), "--db", db_url]).exit_code == 2
    missing = runner.invoke(app, ["show", "accident", str(case.id), "--db", db_url])
    assert missing.exit_code == 1 and "Accident not found" in missing.output
    log = runner.invoke(app, ["work-log", "yjj", "--db", db_url])
    assert log.exit_code == 0 and "到企业宣讲" in log.output and "分别到企业宣讲" in log.output


def test_hazards_list_refuses_an_unknown_unit_in_both_languages(db_url: str, hazard_id: str) -> None:
    result = runner.invoke(app, ["hazards", "list", "--unit", "nosuch", "--db", db_url])
    assert result.exit_code == 1, result.output
    assert "未知的单位（部门/街道/开发区）：nosuch / Unknown unit (department, street or zone): nosuch" in result.output


def test_a_register_lists_with_filters_and_refuses_unknown_values(db_url: str, hazard_id: str) -> None:
    code = "91530114MA6K00001"
    listed = runner.invoke(app, ["enterprises", "list", "--credit-code", code + check_character(code), "--db", db_url])
    assert listed.exit_code == 0, listed.output
    assert "生产经营单位台账 enterprises: 1 / 1" in listed.output and "呈贡机械制造有限公司" in listed.output
    elsewhere = runner.invoke(app, ["enterprises", "list", "--jurisdiction", "wulong", "--db", db_url])
    assert elsewhere.exit_code == 0 and "enterprises: 0 / 0" in elsewhere.output
    unknown = runner.invoke(app, ["cases", "list", "--sector", "nosuch", "--db", db_url])
    assert unknown.exit_code == 1 and "未知的行业领域：nosuch / Unknown sector row: nosuch" in unknown.output
    no_state = runner.invoke(app, ["enterprises", "list", "--state", "open", "--db", db_url])  # enterprises have none
    assert no_state.exit_code == 1 and "生产经营单位台账不支持该筛选条件" in no_state.output
