"""The rules of reading a unit's hazard ledger (domain/ledger_import.py): cells in every form clerks type them
(hypothesis), the header under title rows and merged cells, the rows that are no hazards, enterprise names."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.pipeline import CommandPipeline
from domain.commands.hazards import FilePlan, ReportHazard, VoidHazard
from domain.errors import DomainError
from domain.glossary import Assessor, Grade, HazardSource, HazardState
from domain.ledger_import import (
    CellError,
    EnterpriseIndex,
    RegisteredEnterprise,
    RowError,
    RowKind,
    Stage,
    find_header,
    ledger_hazard_id,
    load_mapping,
    parse_amount,
    parse_date,
    parse_grade,
    parse_status,
    read_row,
    row_kind,
)
from tests.unit.support import INSPECTOR, START, World, complete_plan

FULL_WIDTH = str.maketrans("0123456789./-", "０１２３４５６７８９．／－")
MAPPING = load_mapping()
dates = st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31))


def full_width(text: str) -> str:
    return text.translate(FULL_WIDTH)


@given(day=dates, wide=st.booleans(), spaced=st.booleans())
def test_every_typed_form_of_a_date_reads_as_that_date(day: date, wide: bool, spaced: bool) -> None:
    y, m, d = day.year, day.month, day.day
    gap = " " if spaced else ""
    forms = [f"{y}年{gap}{m}月{gap}{d}日", f"{y}.{m}.{d}", day.isoformat(), f"{y}/{m}/{d}", f"{y}-{m:02d}-{d:02d} 08:30",
             f"{y}{m:02d}{d:02d}"]  # fmt: skip
    for form in forms:
        assert parse_date(full_width(form) if wide else form) == day, form


@given(day=dates)
def test_cells_holding_dates_as_values_read_as_those_dates(day: date) -> None:
    serial = (day - date(1899, 12, 30)).days  # what Excel stores for a date cell formatted as a number
    assert parse_date(serial) == day
    assert parse_date(float(serial)) == day
    assert parse_date(str(serial)) == day
    assert parse_date(datetime.combine(day, time(9, 30))) == day
    assert parse_date(day) == day
    assert parse_date(int(day.strftime("%Y%m%d"))) == day  # 20230605 typed as a number


@given(text=st.text(alphabet=st.characters(blacklist_categories=("Nd",)), min_size=1).filter(lambda t: t.strip()))
def test_text_without_digits_is_no_date(text: str) -> None:
    with pytest.raises(CellError) as caught:
        parse_date(text)
    assert caught.value.code == "ledger_date_invalid"


@pytest.mark.parametrize("value", ["2023年13月1日", "2023.2.30", "20231301", 0, -3, 1.5, 3_000_000, True, "昨天"])
def test_impossible_dates_are_refused(value: object) -> None:
    with pytest.raises(CellError):
        parse_date(value)


@pytest.mark.parametrize("value", [None, "", "  "])
def test_a_blank_date_is_none(value: object) -> None:
    assert parse_date(value) is None


@given(yuan=st.integers(min_value=0, max_value=10**12), wide=st.booleans())
def test_amounts_read_in_whole_yuan_in_every_form(yuan: int, wide: bool) -> None:
    forms = [str(yuan), f"{yuan}元", f"{yuan:,}", f"{yuan:,}元"]
    for form in forms:
        assert parse_amount(full_width(form) if wide else form) == yuan, form
    assert parse_amount(yuan) == yuan
    wan = Decimal(yuan) / 10000
    assert parse_amount(f"{wan}万") == yuan and parse_amount(f"{wan}万元") == yuan
    assert parse_amount(str(wan), scale=10000) == yuan  # a 整改资金（万元） column


@pytest.mark.parametrize("value", ["一万", "-5", "abc", "1e999999", "NaN"])
def test_what_is_no_amount_is_refused(value: str) -> None:
    with pytest.raises(CellError) as caught:
        parse_amount(value)
    assert caught.value.code == "ledger_amount_invalid"


@pytest.mark.parametrize("value", [None, "", "无", "-", "/"])
def test_no_amount_is_none(value: object) -> None:
    assert parse_amount(value) is None


def test_grade_words() -> None:
    assert [parse_grade(v) for v in ("重大", "重大隐患", "重大事故隐患", "一般", "一般隐患", " 一 般 ", None)] == [
        Grade.MAJOR, Grade.MAJOR, Grade.MAJOR, Grade.GENERAL, Grade.GENERAL, Grade.GENERAL, None]  # fmt: skip
    with pytest.raises(CellError):
        parse_grade("较大")


def test_status_words() -> None:
    said = {w: parse_status(w) for w in ("已销号", "已闭环", "已验收", "验收合格", "已整改", "整改完成", "待验收", "整改中",
                                         "未整改", "未销号", "是", "否")}  # fmt: skip
    assert said == {"已销号": Stage.CLOSED, "已闭环": Stage.CLOSED, "已验收": Stage.VERIFIED, "验收合格": Stage.VERIFIED,
                    "已整改": Stage.COMPLETED, "整改完成": Stage.COMPLETED, "待验收": Stage.COMPLETED,
                    "整改中": Stage.RECTIFYING, "未整改": Stage.RECTIFYING, "未销号": Stage.RECTIFYING,
                    "是": Stage.COMPLETED, "否": Stage.RECTIFYING}  # fmt: skip
    with pytest.raises(CellError):
        parse_status("不知道")


TOP = ["序号", "企业名称", "隐患描述", "隐患等级", "发现日期", "整改情况", "整改情况", "状态"]
LOW = ["序号", "企业名称", "隐患描述", "隐患等级", "发现日期", "整改完成日期", "验收日期", "状态"]  # merged cells filled


@given(titles=st.integers(min_value=0, max_value=6), two_rows=st.booleans())
def test_the_header_is_found_under_title_rows_and_merged_cells(titles: int, two_rows: bool) -> None:
    grid = [["某某局 2023 年隐患排查治理台账"] * 8 for _ in range(titles)]
    grid += [TOP, LOW] if two_rows else [LOW]
    grid += [[1, "甲公司", "无报警", "一般", "2023-06-01", None, None, "整改中"]]
    header = find_header(grid, MAPPING)
    assert header is not None and header.last_row == titles + (2 if two_rows else 1)
    assert header.columns["completed"][0] == 5 and header.columns["verified"][0] == 6 and header.columns["status"][0] == 7


def test_a_bracketed_unit_in_a_header_scales_amounts() -> None:
    header = find_header([["企业名称", "隐患描述", "发现日期", "整改资金（万元）", "整改期限（日期）"]], MAPPING)
    assert header is not None
    assert header.columns["funds"] == (3, 10000) and header.columns["deadline"] == (4, 1)


def test_no_header_in_a_cover_sheet() -> None:
    assert find_header([["本台账按月更新"], ["填表说明：…"]], MAPPING) is None


@pytest.mark.parametrize(("cells", "kind"), [
    ({"description": None, "enterprise_name": " "}, RowKind.BLANK),
    ({"serial": "合计", "funds": 96000}, RowKind.SUBTOTAL),
    ({"serial": "小计（化工）", "description": None}, RowKind.SUBTOTAL),
    ({"enterprise_name": "填表人：张伟"}, RowKind.OTHER),
    ({"description": "隐患描述", "enterprise_name": "企业名称"}, RowKind.OTHER),
    ({"description": "无报警", "enterprise_name": "甲公司"}, RowKind.HAZARD),
    ({"discovered": "2023-06-01"}, RowKind.HAZARD),
])  # fmt: skip
def test_which_rows_are_hazards(cells: dict[str, object], kind: RowKind) -> None:
    assert row_kind(cells, MAPPING) is kind


def row(**cells: object) -> dict[str, object]:
    return {"enterprise_name": "甲公司", "description": "无报警", "grade": "一般", "discovered": "2023-06-01", **cells}


@pytest.mark.parametrize(("cells", "code"), [
    (row(status="已销号", completed="2023-06-05"), "ledger_status_without_date"),  # a closure needs its verification
    (row(status="已整改"), "ledger_status_without_date"),
    (row(status="整改中", completed="2023-06-05"), "ledger_status_contradicts_dates"),
    (row(description=""), "ledger_value_missing"),
    (row(grade="较大"), "ledger_grade_invalid"),
    (row(enterprise_name=None), "ledger_value_missing"),
    (row(completed="2023-06-05", verifier="冯工"), "ledger_value_missing"),  # 验收人 without 验收日期
])  # fmt: skip
def test_a_row_that_contradicts_itself_is_refused_with_its_column(cells: dict[str, object], code: str) -> None:
    with pytest.raises(RowError) as caught:
        read_row("台账", 7, cells, {})
    assert (caught.value.sheet, caught.value.row, caught.value.error.code) == ("台账", 7, code)
    assert caught.value.view()["message_zh"].startswith("工作表「台账」第 7 行：")


def test_a_rows_stage_comes_from_its_dates_and_status() -> None:
    assert read_row("s", 1, row(), {}).stage is Stage.REPORTED
    assert read_row("s", 1, row(completed="2023-06-05"), {}).stage is Stage.COMPLETED
    assert read_row("s", 1, row(status="已销号", completed="2023-06-05", verified="2023-06-06"), {}).stage is Stage.CLOSED
    assert read_row("s", 1, row(completed="2023-06-05", verified="2023-06-06"), {}).stage is Stage.VERIFIED


def test_text_is_stored_as_the_ledger_typed_it_and_codes_are_read_folded() -> None:
    """Full-width punctuation is the norm in the district's writing: kept; a credit code typed in full-width
    forms is read as the code it is."""
    read = read_row("s", 1, row(description="储罐区：报警器失效（甲类）", criterion="第五条第（三）项",
                                credit_code="９１５３０１１４ＭＡ６Ｋ００００１Ｘ"), {})  # fmt: skip
    assert read.description == "储罐区：报警器失效（甲类）" and read.criterion == "第五条第（三）项"
    assert read.credit_code == "91530114MA6K00001X"


def registered(name: str, serial: int = 1) -> RegisteredEnterprise:
    return RegisteredEnterprise(uuid4(), f"91530114MA6K{serial:05d}X", name)


@given(spaces=st.lists(st.integers(min_value=0, max_value=8), min_size=1, max_size=3), wide_brackets=st.booleans())
def test_an_enterprise_name_matches_through_spaces_and_full_width_brackets(spaces: list[int], wide_brackets: bool) -> None:
    firm = registered("呈贡（昆明）燃气储运有限公司")
    index = EnterpriseIndex([firm, registered("昆明呈贡示例化工有限公司", 2)])
    typed = "呈贡(昆明)燃气储运有限公司"
    if wide_brackets:
        typed = typed.replace("(", "（").replace(")", "）")
    for at in spaces:  # spaces and full-width spaces typed anywhere
        typed = typed[:at] + " \u3000"[at % 2] + typed[at:]
    found = index.find(read_row("s", 3, row(enterprise_name=typed), {}))
    assert found is firm


def test_an_ambiguous_or_unknown_enterprise_lists_candidates() -> None:
    a, b = registered("甲 化工有限公司", 1), registered("甲化工有限公司", 2)
    index = EnterpriseIndex([a, b, registered("乙物流有限公司", 3)])
    with pytest.raises(RowError) as caught:
        index.find(read_row("s", 3, row(enterprise_name="甲化工有限公司"), {}))
    assert caught.value.error.code == "ledger_enterprise_ambiguous"
    assert {c["credit_code"] for c in caught.value.error.details["candidate_list"]} == {a.credit_code, b.credit_code}
    with pytest.raises(RowError) as caught:
        index.find(read_row("s", 3, row(enterprise_name="甲化工公司"), {}))
    assert caught.value.error.code == "ledger_enterprise_unmatched"
    assert "乙物流" not in caught.value.error.details["candidates"] and "甲化工有限公司" in caught.value.error.details["candidates"]
    with pytest.raises(RowError) as caught:
        index.find(read_row("s", 3, row(credit_code="91530114MA6K99999X"), {}))
    assert caught.value.error.code == "ledger_enterprise_unknown_code"


def test_a_rows_hazard_id_is_its_unit_firm_day_and_description() -> None:
    firm, day = uuid4(), date(2023, 6, 1)
    same = ledger_hazard_id("yjj", firm, day, "储罐区 无报警")
    assert same == ledger_hazard_id("yjj", firm, day, "储罐区\u3000无报警 ")  # spaces are no difference
    assert same != ledger_hazard_id("wlj", firm, day, "储罐区无报警")  # another unit's ledger: its own hazard
    assert same != ledger_hazard_id("yjj", firm, day + timedelta(days=1), "储罐区无报警")


def test_a_mapping_file_is_checked() -> None:
    assert load_mapping('[columns]\ndescription = ["问题"]').columns["description"] == ("问题",)
    for bad in ("[columns]\nnosuch = ['x']", "[columns]\ndescription = 3", "header_min_fields = 'x'", "not toml ="):
        with pytest.raises(DomainError) as caught:
            load_mapping(bad)
        assert caught.value.code == "ledger_mapping_invalid"


# ----- transcribed acts and commands stored together (an in-memory ledger) ---------------------------


def test_a_clerk_transcribes_the_enterprises_claim_and_the_verification_from_a_ledger(world: World) -> None:
    hazard_id = world.hazard_in(HazardState.RECTIFYING)
    hazards = world.app.hazards
    with pytest.raises(DomainError) as caught:  # the enterprise's act, not the clerk's own
        hazards.complete_rectification(INSPECTOR, hazard_id, note="整改完成")
    assert caught.value.code == "role_not_allowed"
    where = "隐患台账「台账」第 7 行"
    hazards.complete_rectification(INSPECTOR, hazard_id, note="整改完成", transcribed_from=where)
    hazards.verify(INSPECTOR, hazard_id, passed=True, opinion="验收合格", assessed_by=[Assessor.GOVERNMENT],
                   transcribed_from=where)  # the same clerk copies the verification: they claimed nothing  # fmt: skip
    assert world.state(hazard_id) == "verified"
    assert [e["data"].get("note") or e["data"].get("opinion") for e in world.app.history(hazard_id)[-2:]] == [
        f"整改完成（{where}）", f"验收合格（{where}）"]  # fmt: skip


def test_only_an_importer_transcribes(world: World) -> None:
    hazard_id = world.hazard_in(HazardState.PENDING_VERIFICATION)
    with pytest.raises(DomainError) as caught:
        world.app.hazards.verify(world.principal, hazard_id, passed=True, opinion="合格", assessed_by=[Assessor.ENTERPRISE],
                                 transcribed_from="隐患台账「台账」第 7 行")  # fmt: skip
    assert (caught.value.code, caught.value.details["action_zh"]) == ("role_not_allowed", "导入隐患台账")


def test_commands_run_together_see_each_other_and_are_stored_at_once_or_not_at_all(world: World) -> None:
    pipeline = CommandPipeline(world.app)
    hazard_id = ledger_hazard_id("yjj", world.enterprise_id, date(2023, 5, 20), "无报警")
    report = ReportHazard(enterprise_id=world.enterprise_id, grade=Grade.GENERAL, source=HazardSource.DEPARTMENT_INSPECTION,
                          description="无报警", record_id=hazard_id, occurred_at=START - timedelta(days=3))  # fmt: skip
    plan = FilePlan(hazard_id=hazard_id, plan=complete_plan(world.days(5)), occurred_at=START - timedelta(days=3))
    before = world.total_events()
    with pytest.raises(RuntimeError), pipeline.together(INSPECTOR) as batch:
        batch.execute(report)
        batch.execute(plan)  # reads the hazard the report left in memory
        raise RuntimeError("a later row fails")
    assert world.total_events() == before
    with pipeline.together(INSPECTOR) as batch:
        batch.execute(report)
        batch.execute(plan)
        assert world.total_events() == before  # nothing yet
    assert world.total_events() == before + 2 and batch.stored is not None and batch.stored.id == hazard_id
    with pytest.raises(DomainError) as caught, pipeline.together(INSPECTOR) as batch:
        batch.execute(report)  # the same derived id: one hazard per ledger row, refused when stored
        batch.execute(report)  # or at once, twice in one unit
    assert caught.value.code == "hazard_exists"
    with pytest.raises(DomainError) as caught, pipeline.together(INSPECTOR) as batch:
        batch.execute(report)
    assert caught.value.code == "hazard_exists" and world.total_events() == before + 2
    with pipeline.together(INSPECTOR) as batch:
        batch.execute(VoidHazard(hazard_id=hazard_id, reason="重复"))
        batch.discard()
    assert world.state(hazard_id) == "rectifying" and batch.stored is None
