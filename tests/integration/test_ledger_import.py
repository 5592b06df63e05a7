"""Importing a unit's Excel hazard ledger (隐患台账), on SQLite and PostgreSQL: a messy, real-looking workbook
(a title row, a two-row header under merged cells, blank and 合计 rows, dates in five forms, full-width
digits, an enterprise named instead of coded) with one bad row is refused whole, naming the sheet and row;
fixed, it imports with the ledger's dates; imported again, it adds nothing."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from unittest import mock
from uuid import UUID

import pytest
from eventsourcing.persistence import IntegrityError, OperationalError
from fastapi.testclient import TestClient
from openpyxl import Workbook
from typer.testing import CliRunner

from app.ledger_import import import_ledger
from app.wiring import Services
from cli.main import app
from domain.actor import Actor
from domain.business_time import CHINA_TZ
from domain.commands.enterprises import RegisterEnterprise
from domain.errors import DomainError
from domain.glossary import OrgKind, Role
from tests.integration.conftest import INSPECTOR, OFFICE, OTHER_DEPT, credit_code

CLERK = Actor("yjj-zhang", "张伟", Role.INSPECTOR, "yjj", OrgKind.DEPARTMENT, "区应急管理局")
INSPECTOR_ACTOR = Actor("yjj-li", "李娜", Role.INSPECTOR, "yjj", OrgKind.DEPARTMENT, "区应急管理局")
OFFICE_ACTOR = Actor("ajb-wang", "王主任", Role.COMMITTEE_OFFICE, "ajb", OrgKind.COMMITTEE_OFFICE, "区安委办")
FIRM_A = "昆明呈贡示例化工有限公司"
FIRM_B = "呈贡（昆明）燃气储运有限公司"

HEADER_TOP = ["序号", "企业名称", "统一社会信用代码", "隐患描述", "隐患等级", "判定依据", "发现日期", "整改措施",
              "整改责任人", "整改资金（万元）", "整改期限", "应急预案", "整改情况", None, None, "状态"]  # fmt: skip
HEADER_LOW = [None] * 12 + ["整改完成日期", "验收日期", "验收人", None]


def ledger_rows(bad: bool) -> list[list[Any]]:
    """Five hazards of two firms, in every state, dated every way a clerk types a date."""
    return [
        # a general hazard still open: discovered 2023年6月5日, typed with full-width digits
        [1, FIRM_A, None, "储罐区可燃气体报警器失效", "一般", None, "２０２３年６月５日", "更换报警探头", "李建国",
         "0.5", "2023-07-05", None, None, None, None, "整改中"],
        [None] * 16,  # a blank row
        # a major hazard, rectified and verified, closed (已销号); the firm named in half-width brackets
        [2, "呈贡(昆明)燃气储运有限公司", None, "液化气充装间未设置泄漏报警", "重大隐患", "第五条第（三）项",
         "2023.6.12", "加装泄漏报警并联锁", "王强", "8.6", "2023/7/12", "充装间泄漏专项预案",
         datetime(2023, 7, 1, 9, 30), 45117, "专家组 冯工", "已销号"],
        # a general hazard completed, awaiting verification; discovered as an Excel serial number
        [3, None, credit_code(1), "消防通道堆放杂物", "一般", None, 45090, "清理杂物", "陈安全", None, date(2023, 6, 20),
         None, "2023年6月18日", None, None, "已整改"],
        ["小计", None, None, None, None, None, None, None, None, "9.1", None, None, None, None, None, None],
        # the bad row: a date that is no date (or, fixed, 20230701 typed as a number)
        [4, FIRM_A, None, "配电室无绝缘垫", "一般", None, "2023年13月1日" if bad else 20230701, "铺设绝缘垫", "李建国",
         "0.1", "2023-07-10", None, None, None, None, None],
        [5, FIRM_A, None, "安全出口指示灯损坏", "一般", None, date(2023, 6, 5), None, None, None, None, None, None, None,
         None, None],
        ["合计", None, None, None, None, None, None, None, None, "9.6", None, None, None, None, None, None],
        [None, "填表人：张伟", None, None, None, None, None, None, None, None, None, None, None, None, None, None],
    ]  # fmt: skip


def workbook(bad: bool = False, extra: list[list[Any]] | None = None) -> bytes:
    book = Workbook()
    cover = book.active
    cover.title = "填表说明"
    cover["A1"] = "本台账按月更新"
    sheet = book.create_sheet("2023年隐患台账")
    sheet.append(["呈贡区应急管理局 2023 年事故隐患排查治理台账"])  # the title row, merged across
    sheet.merge_cells("A1:P1")
    sheet.append(HEADER_TOP)
    sheet.append(HEADER_LOW)
    for col in "ABCDEFGHIJKLP":  # one header cell over both rows
        sheet.merge_cells(f"{col}2:{col}3")
    sheet.merge_cells("M2:O2")  # 整改情况 over 整改完成日期, 验收日期, 验收人
    for row in ledger_rows(bad) + (extra or []):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def district(services: Services) -> Services:
    for serial, name, sector in ((1, FIRM_A, "hazardous_chemicals"), (2, FIRM_B, "hazardous_chemicals"),
                                 (3, "昆明呈贡示例化工有限公司二分厂", "hazardous_chemicals")):  # fmt: skip
        services.ledger.execute(OFFICE_ACTOR, RegisterEnterprise(
            credit_code=credit_code(serial), name=name, sector=sector, jurisdiction="wulong", principal_name="李建国",
            occurred_at=datetime(2023, 5, 1, tzinfo=CHINA_TZ),
        ))  # fmt: skip
    return services


def hazards(services: Services) -> list[dict[str, Any]]:
    hazard_topic = "hazard-ledger.Hazard.HazardReported"
    ids = {n.originator_id for n in services.ledger.recorder.select_notifications(1, 10_000, topics=[hazard_topic])}
    return sorted((services.ledger.hazards.hazard(i) for i in ids), key=lambda h: h["description"])


def event_count(services: Services) -> int:
    return services.ledger.recorder.max_notification_id() or 0


def refused(services: Services, content: bytes, **kwargs: Any) -> list[dict[str, Any]]:
    with pytest.raises(DomainError) as caught:
        import_ledger(services.pipeline, content, file_name="台账.xlsx", actor=CLERK, **kwargs)
    assert caught.value.code == "ledger_rows_refused"
    return caught.value.details["errors"]  # type: ignore[no-any-return]


def test_a_bad_row_refuses_the_ledger_whole_naming_sheet_and_row(district: Services) -> None:
    before = event_count(district)
    errors = refused(district, workbook(bad=True))
    assert [(e["sheet"], e["row"], e["column"], e["code"]) for e in errors] == [
        ("2023年隐患台账", 9, "发现日期", "ledger_date_invalid")
    ]
    assert "工作表「2023年隐患台账」第 9 行" in errors[0]["message_zh"] and "2023年13月1日" in errors[0]["message_zh"]
    assert "sheet '2023年隐患台账' row 9" in errors[0]["message_en"]
    assert event_count(district) == before  # nothing written, not even the good rows


def test_the_fixed_ledger_imports_with_its_own_dates_and_a_rerun_adds_nothing(district: Services) -> None:
    content = workbook()
    report = import_ledger(district.pipeline, content, file_name="台账.xlsx", actor=CLERK)
    assert (report.counts.rows, report.counts.hazards_new, report.counts.rows_present) == (5, 5, 0)
    assert report.counts.skipped == 4  # the blank row, 小计, 合计, the footer
    assert report.sheets == ("2023年隐患台账",)
    found = {h["description"]: h for h in hazards(district)}
    assert len(found) == 5
    open_one = found["储罐区可燃气体报警器失效"]
    assert (open_one["state"], open_one["reported_at"]) == ("rectifying", "2023-06-05T00:00:00+08:00")
    assert open_one["plan"]["funds_yuan"] == 5000 and open_one["plan"]["deadline"] == "2023-07-05"
    major = found["液化气充装间未设置泄漏报警"]
    assert (major["state"], major["grade"], major["department"]) == ("closed", "major", "yjj")
    assert major["enterprise_id"] == str(district.ledger.ledger_imports.enterprises()[1].id)  # matched by name
    assert [(e["type"], e["occurred_at"][:10]) for e in district.ledger.history(UUID(major["id"]))] == [
        ("HazardReported", "2023-06-12"), ("RectificationPlanFiled", "2023-06-12"),
        ("RectificationCompleted", "2023-07-01"), ("VerificationPassed", "2023-07-10"), ("HazardClosed", "2023-07-10"),
    ]  # fmt: skip
    verification = district.ledger.history(UUID(major["id"]))[3]
    assert verification["actor"]["user_id"] == "yjj-zhang"  # the importer
    assert "第 6 行" in verification["data"]["opinion"] and "冯工" in verification["data"]["opinion"]
    assert found["消防通道堆放杂物"]["state"] == "pending_verification"
    assert found["消防通道堆放杂物"]["reported_at"].startswith("2023-06-13")  # Excel serial 45090
    assert found["配电室无绝缘垫"]["reported_at"].startswith("2023-07-01")  # 20230701 typed as a number
    assert found["安全出口指示灯损坏"]["state"] == "reported"
    record = district.ledger.ledger_imports.ledger_import(report.import_id)
    assert (record["sha256"], record["hazards_new"], record["imported_by"]["user_id"]) == (report.sha256, 5, "yjj-zhang")

    events = event_count(district)
    again = import_ledger(district.pipeline, content, file_name="台账.xlsx", actor=OFFICE_ACTOR, unit="yjj")
    assert again.already_imported and (again.counts.hazards_new, again.counts.acts, again.counts.rows_present) == (0, 0, 5)
    assert event_count(district) == events


def test_a_later_copy_adds_its_new_rows_and_acts_only(district: Services) -> None:
    import_ledger(district.pipeline, workbook(), file_name="台账.xlsx", actor=CLERK)
    later = ledger_rows(bad=False)
    later[3][14] = "2023-06-25"  # 消防通道: now verified
    later[3][13] = "2023-06-25"
    book = workbook(extra=[[6, FIRM_A, None, "新发现：仓库照明线路老化", "一般", None, "2023-08-01", None, None, None,
                            None, None, None, None, None, None]])  # fmt: skip
    report = import_ledger(district.pipeline, book, file_name="台账（8月）.xlsx", actor=CLERK)
    assert (report.counts.hazards_new, report.counts.hazards_advanced, report.counts.rows_present) == (1, 0, 5)
    assert len(hazards(district)) == 6


def test_names_unmatched_or_ambiguous_are_listed_for_the_clerk(district: Services) -> None:
    district.ledger.execute(OFFICE_ACTOR, RegisterEnterprise(
        credit_code=credit_code(4), name="呈贡 (昆明) 燃气储运有限公司", sector="hazardous_chemicals",
        jurisdiction="wulong", principal_name="王强", occurred_at=datetime(2023, 5, 2, tzinfo=CHINA_TZ),
    ))  # a second registration whose name normalises to FIRM_B's  # fmt: skip
    typo = [[7, "昆明呈贡示列化工有限公司", None, "错别字企业", "一般", None, "2023-06-01", None, None, None, None, None,
             None, None, None, None]]  # fmt: skip
    errors = refused(district, workbook(extra=typo))
    codes = {(e["row"], e["code"]) for e in errors}
    assert codes == {(6, "ledger_enterprise_ambiguous"), (13, "ledger_enterprise_unmatched")}
    unmatched = next(e for e in errors if e["code"] == "ledger_enterprise_unmatched")
    assert FIRM_A in unmatched["message_zh"]  # the near name offered


def test_a_rule_of_the_domain_refuses_a_row(district: Services) -> None:
    """A major without the 判定标准 clause: the domain's own rule, reported on the row."""
    row = [[8, FIRM_A, None, "重大但无判定依据", "重大", None, "2023-06-01", None, None, None, None, None, None, None, None,
            None]]  # fmt: skip
    errors = refused(district, workbook(extra=row))
    assert [(e["row"], e["code"]) for e in errors] == [(13, "invalid_value")]


def test_a_dry_run_checks_everything_and_stores_nothing(district: Services) -> None:
    before = event_count(district)
    report = import_ledger(district.pipeline, workbook(), file_name="台账.xlsx", actor=CLERK, dry_run=True)
    assert report.dry_run and report.counts.hazards_new == 5 and report.position is None
    assert event_count(district) == before


def test_a_failure_while_storing_leaves_nothing_and_a_rerun_imports_all(district: Services) -> None:
    """The rows' events and the import's record go in one transaction: if it fails, no hazard is in."""
    before = event_count(district)
    recorder = district.ledger.recorder
    failing = mock.patch.object(type(recorder), "insert_events", side_effect=OperationalError("connection lost"))
    with failing, pytest.raises(OperationalError):
        import_ledger(district.pipeline, workbook(), file_name="台账.xlsx", actor=CLERK)
    assert event_count(district) == before and hazards(district) == []
    report = import_ledger(district.pipeline, workbook(), file_name="台账.xlsx", actor=CLERK)
    assert report.counts.hazards_new == 5 and len(hazards(district)) == 5


def test_only_the_units_clerks_or_the_office_import(district: Services) -> None:
    other = Actor("wlj-zhao", "赵敏", Role.INSPECTOR, "wlj", OrgKind.DEPARTMENT, "区文化和旅游局")
    with pytest.raises(DomainError) as caught:
        import_ledger(district.pipeline, workbook(), file_name="台账.xlsx", actor=other, unit="yjj")
    assert caught.value.code == "outside_scope"
    principal = Actor("ent-li", "李建国", Role.PRINCIPAL, "x", OrgKind.ENTERPRISE, "示例化工")
    with pytest.raises(DomainError) as caught:
        import_ledger(district.pipeline, workbook(), file_name="台账.xlsx", actor=principal, unit="yjj")
    assert caught.value.code == "role_not_allowed"


@pytest.fixture
def api_client(client: TestClient, district: Services) -> Iterator[TestClient]:
    yield client


def upload(client: TestClient, content: bytes, who: dict[str, str], **form: str) -> Any:
    files = {"file": ("台账.xlsx", content, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}
    return client.post("/api/v1/imports", files=files, data=form, headers=who)


def test_the_api_upload_refuses_then_imports_and_reports(api_client: TestClient) -> None:
    bad = upload(api_client, workbook(bad=True), INSPECTOR)
    assert bad.status_code == 422 and bad.json()["code"] == "ledger_rows_refused"
    assert bad.json()["details"]["errors"][0]["row"] == 9
    assert upload(api_client, workbook(), OTHER_DEPT, unit="yjj").status_code == 403
    content = workbook()
    good = upload(api_client, content, INSPECTOR)
    assert good.status_code == 201, good.text
    body = good.json()
    assert body["hazards_new"] == 5 and body["unit"] == "yjj"
    record = api_client.get(f"/api/v1/imports/{body['id']}", headers=INSPECTOR)
    assert record.status_code == 200 and record.json()["sha256"] == body["sha256"]
    assert api_client.get(f"/api/v1/imports/{body['id']}", headers=OTHER_DEPT).status_code == 404
    assert api_client.get(f"/api/v1/imports/{body['id']}", headers=OFFICE).status_code == 200
    again = upload(api_client, content, OFFICE, unit="yjj")
    assert again.status_code == 200 and again.json()["already_imported"] is True
    listed = api_client.get("/api/v1/hazards", params={"unit": "yjj"}, headers=INSPECTOR).json()
    assert listed["total"] == 5  # the read models took the import in (and passed over its record)


def test_the_command_line_prints_each_refused_row_then_imports(district: Services, tmp_path: Path) -> None:
    db = district.settings.db_url
    clerk = ["--user", "yjj-zhang", "--name", "张伟", "--role", "inspector", "--org", "yjj", "--db", db]
    bad, good = tmp_path / "bad.xlsx", tmp_path / "台账.xlsx"
    bad.write_bytes(workbook(bad=True))
    good.write_bytes(workbook())
    runner = CliRunner()
    refused_run = runner.invoke(app, ["import", str(bad), *clerk])
    assert refused_run.exit_code == 1, refused_run.output
    assert "第 9 行" in refused_run.output and "2023年13月1日" in refused_run.output and "nothing was written" in refused_run.output
    dry = runner.invoke(app, ["import", str(good), "--dry-run", *clerk])
    assert dry.exit_code == 0 and "dry run" in dry.output and hazards(district) == []
    done = runner.invoke(app, ["import", str(good), *clerk])
    assert done.exit_code == 0, done.output
    assert "新增 5 new" in done.output and len(hazards(district)) == 5
    again = runner.invoke(app, ["import", str(good), *clerk])
    assert again.exit_code == 0 and "already imported" in again.output
    missing = runner.invoke(app, ["import", str(tmp_path / "nosuch.xlsx"), *clerk])
    assert missing.exit_code == 2 and "nosuch.xlsx" in missing.output


def test_a_units_mapping_file_names_its_own_columns(district: Services, tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["单位", "问题", "级别", "查出日期"])
    book.active.append([FIRM_A, "储罐区无防雷检测", "一般", "2023/6/7"])
    out = io.BytesIO()
    book.save(out)
    mapping = '[columns]\nenterprise_name = ["单位"]\ndescription = ["问题"]\ngrade = ["级别"]\ndiscovered = ["查出日期"]\n'
    with pytest.raises(DomainError) as caught:
        import_ledger(district.pipeline, out.getvalue(), file_name="x.xlsx", actor=CLERK)
    assert caught.value.code == "ledger_no_header"
    report = import_ledger(district.pipeline, out.getvalue(), file_name="x.xlsx", actor=CLERK, mapping_text=mapping)
    assert report.counts.hazards_new == 1
    with pytest.raises(DomainError) as caught:
        import_ledger(district.pipeline, out.getvalue(), file_name="x.xlsx", actor=CLERK, mapping_text="[columns]\nnosuch = [1]")
    assert caught.value.code == "ledger_mapping_invalid"


def test_a_conflict_in_the_middle_of_the_store_rolls_back_the_rows_stored_before_it(district: Services) -> None:
    """The later copy's new row is inserted before the row that advances a hazard someone changed meanwhile:
    the store fails on the second and the first is not left behind either (one transaction)."""
    import_ledger(district.pipeline, workbook(), file_name="台账.xlsx", actor=CLERK)
    book = Workbook()
    book.active.append([*HEADER_TOP[:12], "整改完成日期"])
    book.active.append([1, FIRM_A, None, "新发现：仓库照明线路老化", "一般", None, "2023-08-01", "更换线路", "李建国", None,
                        "2023-08-20", None, None])  # fmt: skip
    book.active.append([2, FIRM_A, None, "储罐区可燃气体报警器失效", "一般", None, "２０２３年６月５日", "更换报警探头", "李建国",
                        "0.5", "2023-07-05", None, "2023-07-01"])  # now completed  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    advanced = next(h for h in hazards(district) if h["description"] == "储罐区可燃气体报警器失效")
    store = district.ledger.store_staged

    def after_a_concurrent_change(unit: Any) -> Any:
        def progress() -> None:  # another request: its own thread, outside the import's unit of work
            district.ledger.hazards.record_progress(INSPECTOR_ACTOR, UUID(advanced["id"]), note="探头已到货", percent=60,
                                                    occurred_at=datetime(2023, 6, 20, tzinfo=CHINA_TZ))  # fmt: skip

        other = threading.Thread(target=progress)
        other.start()
        other.join()
        return store(unit)

    before = event_count(district)
    with mock.patch.object(district.ledger, "store_staged", after_a_concurrent_change), pytest.raises(IntegrityError):
        import_ledger(district.pipeline, out.getvalue(), file_name="台账（8月）.xlsx", actor=CLERK)
    assert event_count(district) == before + 1  # the concurrent progress note only
    assert "新发现：仓库照明线路老化" not in {h["description"] for h in hazards(district)}
    report = import_ledger(district.pipeline, out.getvalue(), file_name="台账（8月）.xlsx", actor=CLERK)  # a re-run
    assert (report.counts.hazards_new, report.counts.hazards_advanced) == (1, 1)
