"""`hazard-ledger accountability hazard|anomalies` as an auditor runs them."""

from __future__ import annotations

from datetime import datetime

from typer.testing import CliRunner

from app.settings import Settings
from app.wiring import build
from cli.main import app
from domain.actor import Actor
from domain.business_time import CHINA_TZ
from domain.credit_code import check_character
from domain.glossary import Grade, HazardSource, InspectionKind, InspectionMethod, OrgKind, Role
from domain.values import Person

OFFICE = Actor("ajb-wang", "王主任", Role.COMMITTEE_OFFICE, "ajb", OrgKind.COMMITTEE_OFFICE, "区安委办")
ZHANG = Actor("yjj-zhang", "张伟", Role.INSPECTOR, "yjj", OrgKind.DEPARTMENT, "区应急管理局")
LI = Actor("yjj-li", "李娜", Role.INSPECTOR, "yjj", OrgKind.DEPARTMENT, "区应急管理局")
runner = CliRunner(env={"COLUMNS": "240"})


def _at(month: int, day: int, hour: int) -> datetime:
    return datetime(2023, month, day, hour, tzinfo=CHINA_TZ)


def test_the_chain_and_the_missed_list_on_the_command_line(db_url: str) -> None:
    services = build(Settings(db_url=db_url))
    ledger = services.ledger
    code = "91530114MA6K00002"
    enterprise = ledger.enterprises.register_enterprise(
        OFFICE, credit_code=code + check_character(code), name="呈贡精细化工有限公司", sector="hazardous_chemicals",
        jurisdiction="wulong", principal_name="周平", occurred_at=_at(5, 10, 9),
    ).id  # fmt: skip
    clean = ledger.inspections.conduct_inspection(
        ZHANG, enterprise_id=enterprise, kind=InspectionKind.DEPARTMENT, method=InspectionMethod.ROUTINE,
        inspectors=[Person("yjj-zhang", "张伟"), Person("yjj-li", "李娜")], scope=["储罐区"], occurred_at=_at(6, 10, 9),
    ).id  # fmt: skip
    ledger.inspections.record_finding(ZHANG, clean, item="储罐区", hazard_ids=[], no_major_hazard=True, occurred_at=_at(6, 10, 10))
    ledger.inspections.sign_inspection(ZHANG, clean, occurred_at=_at(6, 10, 11))
    ledger.inspections.sign_inspection(LI, clean, occurred_at=_at(6, 10, 12))
    hazard = ledger.hazards.report_hazard(
        OFFICE, enterprise_id=enterprise, grade=Grade.MAJOR, source=HazardSource.SUPERVISION, criterion="第十二条",
        description="储罐区可燃气体报警仪失效", existed_since=_at(5, 20, 0).date(), occurred_at=_at(8, 1, 10),
    ).id  # fmt: skip
    services.close()

    chain = runner.invoke(app, ["accountability", "hazard", str(hazard), "--db", db_url])
    assert chain.exit_code == 0, chain.output
    assert "登记隐患 HazardReported" in chain.output and "王主任（区安委办，区安委办）" in chain.output

    missed = runner.invoke(app, ["accountability", "anomalies", "--kind", "inspected_but_missed", "--db", db_url])
    assert missed.exit_code == 0, missed.output
    assert "inspected_but_missed: 1" in missed.output
    assert all(text in missed.output for text in ("张伟", "yjj-zhang", "李娜", "yjj-li", "InspectionSigned", "HazardReported"))
    # as of the day before the report, and as known before anything was recorded: nothing yet
    before = runner.invoke(app, ["accountability", "anomalies", "--kind", "inspected_but_missed", "--as-of", "2023-07-31",
                                 "--db", db_url])  # fmt: skip
    assert before.exit_code == 0 and "inspected_but_missed: 0" in before.output, before.output
    unknown_then = runner.invoke(app, ["accountability", "anomalies", "--kind", "inspected_but_missed",
                                       "--known-at", "2020-01-01T00:00:00+08:00", "--db", db_url])  # fmt: skip
    assert unknown_then.exit_code == 0 and "inspected_but_missed: 0" in unknown_then.output, unknown_then.output
    assert runner.invoke(app, ["accountability", "anomalies", "--known-at", "yesterday", "--db", db_url]).exit_code == 2

    unknown = runner.invoke(app, ["accountability", "anomalies", "--kind", "nonsense", "--db", db_url])
    assert unknown.exit_code == 1 and "unknown_anomaly_kind" not in unknown.output and "未知的异常清单" in unknown.output
    assert runner.invoke(app, ["accountability", "hazard", "not-an-id", "--db", db_url]).exit_code == 2
