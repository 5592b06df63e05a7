"""Work logs of reporting units (工作情况台账): one stream per unit, opened by its first activity; the
typed activities of Annex 1 / Annex 2 and the rules of each kind.

Refusals on an existing log go through ``refuse_viewed`` (exact code, nothing appended anywhere);
a refused first activity through ``World.refuse_new`` (the log stays unopened).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.errors import DomainError
from domain.glossary import ActivityKind
from domain.ledger import Ledger
from domain.work_log import AMOUNT_KINDS, ANNEX_CELLS, ENTERPRISE_KINDS, STOCK_KINDS, WorkLog, work_log_id_for

from .support import (
    AUDITOR,
    EXPERT,
    IN_MEMORY,
    INSPECTOR,
    INSPECTOR_2,
    OFFICE,
    OTHER_DEPARTMENT,
    START,
    STREET_OFFICER,
    World,
    refuse_viewed,
)

K = ActivityKind
FLOW_KINDS = [k for k in ActivityKind if k not in STOCK_KINDS]

# The exact labels of the annex forms.
LABELS = {
    K.STUDY_SESSION: "党委政府分别组织专题学习安全生产十五条硬措施",
    K.LEADERSHIP_RESEARCH: "党委政府主要负责同志分别专题研究",
    K.SITE_SUPERVISION: "市、县政府负责同志分别现场督导检查",
    K.LECTURE: "市、县安委会成员单位负责同志分别到企业宣讲",
    K.TIPOFF_REWARD: "举报奖励",
    K.MEDIA_COLUMN: "是否在市级主流媒体播放安全生产专题栏目",
    K.TECHNICAL_INSPECTORS: "市、县本级配备专兼职技术检查员数量",
    K.ASSESSMENT_PATROL: "组织开展考核巡查、督导检查",
    K.GUIDANCE_COUNTY: "帮扶指导重点县",
    K.GUIDANCE_ENTERPRISE: "帮扶指导重点企业",
    K.SUPERVISION_TEAM: "派出督导组",
    K.EXPERT_SERVICE: "组织专家技术服务",
    K.ENTERPRISE_SERVED: "检查服务企业单位",
}


def minimal(world: World, kind: ActivityKind) -> dict[str, Any]:
    """The least a valid activity of this kind carries."""
    values: dict[str, Any] = {"kind": kind}
    if kind in STOCK_KINDS:
        values["value"] = 5
    if kind in AMOUNT_KINDS:
        values["amount_yuan"] = 2_000
    if kind in ENTERPRISE_KINDS:
        values["enterprise_id"] = world.enterprise_id
    return values


def record(world: World, unit: str = "yjj", by=INSPECTOR, **kw):
    return world.app.work_logs.record_activity(by, unit, **kw)


def refuse(world: World, unit: str, code: str, command):
    return refuse_viewed(world, work_log_id_for(unit), code, command, lambda _: world.app.work_logs.work_log(unit))


@pytest.fixture
def opened(world: World) -> UUID:
    """区应急管理局's log, opened by a study session."""
    return record(world, kind=K.STUDY_SESSION, note="专题学习十五条硬措施").id


# ----- the stream ---------------------------------------------------------------------------------


def test_the_log_id_is_derived_from_the_unit_id(world: World):
    assert work_log_id_for("yjj") == work_log_id_for("yjj")
    assert work_log_id_for("yjj") != work_log_id_for("wulong")
    assert WorkLog.create_id("yjj") == work_log_id_for("yjj")
    receipt = record(world, kind=K.LECTURE)
    assert receipt.id == work_log_id_for("yjj")
    assert record(world, kind=K.LECTURE).id == receipt.id
    assert world.app.work_logs.work_log("yjj")["id"] == str(receipt.id)


def test_the_log_id_is_the_same_in_every_deployment_and_version():
    # Pinned: changing the namespace would orphan every stored log.
    assert work_log_id_for("yjj") == UUID("f1849694-35f4-5fc0-a910-5d412deefb92")
    assert Ledger(IN_MEMORY).work_logs.work_log("yjj")["id"] == str(work_log_id_for("yjj"))


def test_the_first_activity_opens_the_log(world: World):
    receipt = record(world, kind=K.STUDY_SESSION, count=2, note="党委、政府各一次")
    assert world.types(receipt.id) == ["WorkLogOpened", "ActivityRecorded"]
    assert receipt.version == 2
    opened = world.app.history(receipt.id)[0]
    assert opened["data"] == {"unit_id": "yjj"}
    assert opened["actor"]["user_id"] == INSPECTOR.user_id


def test_later_activities_append_one_event_each(world: World, opened: UUID):
    receipt = world.accept(opened, "ActivityRecorded", lambda: record(world, kind=K.SUPERVISION_TEAM, count=3))
    assert receipt.version == 3


def test_a_unit_with_nothing_recorded_has_an_empty_log(world: World):
    view = world.app.work_logs.work_log("wulong")
    assert view == {
        "id": str(work_log_id_for("wulong")),
        "version": 0,
        "unit_id": "wulong",
        "unit_name": "乌龙街道",
        "activities": [],
        "totals": {},
    }


def test_an_unknown_unit_is_refused(world: World):
    world.refuse_new("unknown_department", lambda: world.app.work_logs.work_log("nowhere"))
    world.refuse_new("unknown_department", lambda: record(world, "nowhere", by=OFFICE, kind=K.LECTURE))


def test_a_concurrent_first_write_conflicts_cleanly(world: World, monkeypatch):
    # Both writers find no log; the first opens it, the second is told to reload and appends nothing.
    monkeypatch.setattr(type(world.app.work_logs), "_existing_work_log", lambda self, unit_id: None)
    record(world, kind=K.LECTURE)
    log_id = work_log_id_for("yjj")
    total = world.total_events()
    with pytest.raises(DomainError) as info:
        record(world, kind=K.STUDY_SESSION, by=INSPECTOR_2)
    assert info.value.code == "version_conflict"
    assert world.types(log_id) == ["WorkLogOpened", "ActivityRecorded"]
    assert world.total_events() == total
    monkeypatch.undo()
    # The retry appends to the log the winner opened.
    assert record(world, kind=K.STUDY_SESSION, by=INSPECTOR_2).version == 3
    assert world.types(log_id) == ["WorkLogOpened", "ActivityRecorded", "ActivityRecorded"]


def test_a_concurrent_append_conflicts_cleanly(world: World, opened: UUID, monkeypatch):
    # Both writers load version 2; the first saves, the second is told to reload.
    stale = world.app.repository.get(opened)
    record(world, kind=K.LECTURE)
    before, total = world.app.history(opened), world.total_events()
    monkeypatch.setattr(type(world.app.work_logs), "_existing_work_log", lambda self, unit_id: stale)
    with pytest.raises(DomainError) as info:
        record(world, kind=K.SUPERVISION_TEAM)
    monkeypatch.undo()
    assert info.value.code == "version_conflict"
    assert world.app.history(opened) == before and world.total_events() == total


def test_expected_versions_of_an_unopened_and_an_opened_log(world: World):
    world.refuse_new("version_conflict", lambda: record(world, kind=K.LECTURE, expected_version=1))
    assert record(world, kind=K.LECTURE, expected_version=0).version == 2
    error = refuse(world, "yjj", "version_conflict", lambda: record(world, kind=K.LECTURE, expected_version=0))
    assert error.details == {"expected": 0, "actual": 2}
    assert record(world, kind=K.LECTURE, expected_version=2).version == 3


# ----- who records ---------------------------------------------------------------------------------


def test_the_units_own_staff_record_its_activities(world: World):
    record(world, "wulong", by=STREET_OFFICER, kind=K.SITE_SUPERVISION)
    assert world.app.work_logs.work_log("wulong")["activities"][0]["recorded_by"] == STREET_OFFICER.user_id


def test_the_committee_office_records_for_any_unit_and_for_itself(world: World):
    record(world, "yjj", by=OFFICE, kind=K.LECTURE)
    record(world, "ajb", by=OFFICE, kind=K.ASSESSMENT_PATROL)
    assert world.app.work_logs.work_log("ajb")["unit_name"] == "区安委办"


def test_another_unit_may_not_record_for_a_unit(world: World, opened: UUID):
    refuse(world, "yjj", "outside_scope", lambda: record(world, by=OTHER_DEPARTMENT, kind=K.LECTURE))
    world.refuse_new("outside_scope", lambda: record(world, "wulong", by=INSPECTOR, kind=K.LECTURE))


@pytest.mark.parametrize("actor", [AUDITOR, EXPERT, "principal"], ids=["auditor", "expert", "principal"])
def test_auditors_experts_and_enterprises_record_no_activities(world: World, opened: UUID, actor):
    who = world.principal if actor == "principal" else actor
    refuse(world, "yjj", "role_not_allowed", lambda: record(world, by=who, kind=K.LECTURE))


# ----- kinds and their rules -----------------------------------------------------------------------


def test_each_kind_has_its_annex_label():
    assert {kind: kind.zh for kind in ActivityKind} == LABELS


def test_each_kind_has_one_annex_cell():
    assert set(ANNEX_CELLS) == set(ActivityKind)
    assert {(c.annex, c.section, c.item) for c in ANNEX_CELLS.values()} == {
        (1, "部门精准严格执法情况", 1),
        (1, "部门精准严格执法情况", 2),
        *((1, "党委政府组织领导情况", n) for n in range(1, 9)),
        (2, "开展督导检查", 13),
        (2, "开展督导检查", 14),
        (2, "开展督导检查", 15),
    }


@pytest.mark.parametrize("kind", list(ActivityKind), ids=lambda k: k.value)
def test_each_kind_is_recorded_with_what_it_needs(world: World, kind: ActivityKind):
    receipt = record(world, **minimal(world, kind), note="  备注 ")
    (activity,) = world.app.work_logs.work_log("yjj")["activities"]
    assert receipt.version == 2
    assert (activity["kind"], activity["kind_zh"], activity["note"]) == (kind.value, LABELS[kind], "备注")
    if kind in STOCK_KINDS:
        assert (activity["count"], activity["value"]) == (None, 5)
    else:
        assert (activity["count"], activity["value"]) == (1, None)  # a count defaults to one


@pytest.mark.parametrize("kind", FLOW_KINDS, ids=lambda k: k.value)
@pytest.mark.parametrize("count", [0, -1, 1.0, True, "2"])
def test_a_count_is_a_whole_number_of_at_least_one(world: World, opened: UUID, kind: ActivityKind, count):
    error = refuse(world, "yjj", "invalid_value", lambda: record(world, **minimal(world, kind), count=count))
    assert error.details["field"] == "count"


@pytest.mark.parametrize("kind", FLOW_KINDS, ids=lambda k: k.value)
def test_only_the_stock_has_a_value(world: World, opened: UUID, kind: ActivityKind):
    error = refuse(world, "yjj", "invalid_value", lambda: record(world, **minimal(world, kind), value=3))
    assert error.details["field"] == "value"


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"value": None}, "value"), ({"value": -1}, "value"), ({"value": 2.0}, "value"), ({"count": 1}, "count")],
)
def test_the_stock_is_a_value_of_zero_or_more_and_no_count(world: World, opened: UUID, changes, field):
    values = {**minimal(world, K.TECHNICAL_INSPECTORS), **changes}
    error = refuse(world, "yjj", "invalid_value", lambda: record(world, **values))
    assert error.details["field"] == field


def test_a_stock_of_zero_is_a_stated_value(world: World):
    record(world, kind=K.TECHNICAL_INSPECTORS, value=0)
    assert world.app.work_logs.work_log("yjj")["totals"]["technical_inspectors"]["value"] == 0


@pytest.mark.parametrize("kind", [k for k in ActivityKind if k not in AMOUNT_KINDS], ids=lambda k: k.value)
@pytest.mark.parametrize("field", ["amount_yuan", "anonymous_amount_yuan"])
def test_only_a_tipoff_reward_carries_amounts(world: World, opened: UUID, kind: ActivityKind, field: str):
    error = refuse(world, "yjj", "invalid_value", lambda: record(world, **minimal(world, kind), **{field: 100}))
    assert error.details["field"] == field


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount_yuan": None}, "amount_yuan"),
        ({"amount_yuan": 0}, "amount_yuan"),
        ({"amount_yuan": 99.5}, "amount_yuan"),
        ({"anonymous_amount_yuan": -1}, "anonymous_amount_yuan"),
        ({"anonymous_amount_yuan": 2_001}, "anonymous_amount_yuan"),
    ],
)
def test_a_reward_states_its_amount_and_an_anonymous_part_within_it(world: World, opened: UUID, changes, field):
    values = {**minimal(world, K.TIPOFF_REWARD), **changes}
    error = refuse(world, "yjj", "invalid_value", lambda: record(world, **values))
    assert error.details["field"] == field


def test_a_reward_may_be_wholly_anonymous(world: World):
    record(world, kind=K.TIPOFF_REWARD, amount_yuan=3_000, anonymous_amount_yuan=3_000)
    (activity,) = world.app.work_logs.work_log("yjj")["activities"]
    assert (activity["amount_yuan"], activity["anonymous_amount_yuan"]) == (3_000, 3_000)


def test_the_anonymous_part_defaults_to_zero(world: World):
    record(world, kind=K.TIPOFF_REWARD, amount_yuan=3_000)
    assert world.app.work_logs.work_log("yjj")["activities"][0]["anonymous_amount_yuan"] == 0


@pytest.mark.parametrize("kind", sorted(ENTERPRISE_KINDS), ids=lambda k: k.value)
def test_guidance_and_service_name_the_enterprise(world: World, kind: ActivityKind):
    error = world.refuse_new("invalid_value", lambda: record(world, kind=kind))
    assert error.details["field"] == "enterprise_id"


def test_an_unknown_enterprise_is_refused(world: World, opened: UUID):
    refuse(world, "yjj", "enterprise_not_found", lambda: record(world, kind=K.ENTERPRISE_SERVED, enterprise_id=uuid4()))


def test_the_stock_names_no_enterprise(world: World, opened: UUID):
    error = refuse(
        world,
        "yjj",
        "invalid_value",
        lambda: record(world, kind=K.TECHNICAL_INSPECTORS, value=3, enterprise_id=world.enterprise_id),
    )
    assert error.details["field"] == "enterprise_id"


def test_other_kinds_may_name_an_enterprise(world: World):
    record(world, kind=K.LECTURE, enterprise_id=world.enterprise_id)
    assert world.app.work_logs.work_log("yjj")["activities"][0]["enterprise_id"] == str(world.enterprise_id)


def test_an_unknown_kind_is_refused(world: World, opened: UUID):
    error = refuse(world, "yjj", "invalid_value", lambda: record(world, kind="karaoke"))
    assert error.details["field"] == "kind"


def test_a_refused_first_activity_leaves_the_log_unopened(world: World):
    world.refuse_new("invalid_value", lambda: record(world, kind=K.TIPOFF_REWARD))
    assert world.app.work_logs.work_log("yjj")["version"] == 0


# ----- business time and totals --------------------------------------------------------------------


def test_a_back_dated_activity_may_follow_a_later_one(world: World, opened: UUID):
    receipt = record(world, kind=K.LECTURE, occurred_at=START - timedelta(days=20))
    assert receipt.version == 3


def test_an_activity_in_the_future_is_refused(world: World, opened: UUID):
    refuse(world, "yjj", "occurred_in_future", lambda: record(world, kind=K.LECTURE, occurred_at=START + timedelta(hours=1)))


def test_the_stock_is_its_latest_value_in_business_time(world: World):
    record(world, kind=K.TECHNICAL_INSPECTORS, value=5, occurred_at=START - timedelta(days=5))
    record(world, kind=K.TECHNICAL_INSPECTORS, value=3, occurred_at=START - timedelta(days=10))  # entered late
    assert world.app.work_logs.work_log("yjj")["totals"]["technical_inspectors"]["value"] == 5
    record(world, kind=K.TECHNICAL_INSPECTORS, value=8)
    assert world.app.work_logs.work_log("yjj")["totals"]["technical_inspectors"] == {
        "records": 3,
        "value": 8,
        "kind_zh": LABELS[K.TECHNICAL_INSPECTORS],
        "annex": 1,
        "section": "党委政府组织领导情况",
        "item": 7,
        "unit": "人",
    }


def test_the_later_recording_wins_between_equal_business_times(world: World):
    record(world, kind=K.TECHNICAL_INSPECTORS, value=5, occurred_at=START - timedelta(days=1))
    record(world, kind=K.TECHNICAL_INSPECTORS, value=6, occurred_at=START - timedelta(days=1))
    assert world.app.work_logs.work_log("yjj")["totals"]["technical_inspectors"]["value"] == 6


def test_totals_sum_counts_and_amounts_and_count_distinct_enterprises(world: World):
    record(world, kind=K.SUPERVISION_TEAM, count=2)
    record(world, kind=K.SUPERVISION_TEAM, count=3)
    record(world, kind=K.TIPOFF_REWARD, count=2, amount_yuan=10_000, anonymous_amount_yuan=4_000)
    record(world, kind=K.TIPOFF_REWARD, amount_yuan=5_000)
    record(world, kind=K.ENTERPRISE_SERVED, enterprise_id=world.enterprise_id)
    record(world, kind=K.ENTERPRISE_SERVED, enterprise_id=world.enterprise_id, count=2)
    record(world, kind=K.GUIDANCE_ENTERPRISE, enterprise_id=world.enterprise_id, count=2)
    totals = world.app.work_logs.work_log("yjj")["totals"]
    assert totals["supervision_team"]["count"] == 5
    assert (totals["tipoff_reward"]["amount_yuan"], totals["tipoff_reward"]["anonymous_amount_yuan"]) == (15_000, 4_000)
    assert totals["tipoff_reward"]["count"] == 3
    assert (totals["enterprise_served"]["records"], totals["enterprise_served"]["enterprises"]) == (2, 1)  # 家: distinct
    assert totals["guidance_enterprise"]["count"] == 2  # 家次: visits
    assert [t for t in totals] == ["tipoff_reward", "guidance_enterprise", "supervision_team", "enterprise_served"]


def test_the_log_reloads_from_its_events(world: World):
    record(world, kind=K.TIPOFF_REWARD, amount_yuan=10_000, anonymous_amount_yuan=4_000)
    record(world, kind=K.ENTERPRISE_SERVED, enterprise_id=world.enterprise_id)
    reloaded = world.app.repository.get(work_log_id_for("yjj"))
    assert isinstance(reloaded, WorkLog) and reloaded.unit_id == "yjj"
    assert [a["kind"] for a in reloaded.activities] == [K.TIPOFF_REWARD, K.ENTERPRISE_SERVED]
    served = [e for e in world.app.repository.event_store.get(reloaded.id) if getattr(e, "kind", None) == "enterprise_served"]
    assert served[0].enterprise_id == world.enterprise_id and isinstance(served[0].enterprise_id, UUID)


# ----- sector rows (Annex 2 columns 13–15 have a row per sector) -------------------------------------


def test_an_activity_may_name_its_sector_row(world: World):
    record(world, kind=K.SUPERVISION_TEAM, count=2, sector="fireworks")
    assert world.app.work_logs.work_log("yjj")["activities"][0]["sector"] == "fireworks"


def test_a_unit_wide_activity_has_no_sector_row(world: World):
    record(world, kind=K.STUDY_SESSION)
    assert world.app.work_logs.work_log("yjj")["activities"][0]["sector"] is None


def test_the_sector_row_defaults_to_the_enterprises(world: World):
    record(world, kind=K.ENTERPRISE_SERVED, enterprise_id=world.enterprise_id)
    record(world, kind=K.GUIDANCE_ENTERPRISE, enterprise_id=world.enterprise_id, sector="aging_installations")
    assert [a["sector"] for a in world.app.work_logs.work_log("yjj")["activities"]] == ["hazardous_chemicals", "aging_installations"]


def test_an_unknown_sector_row_is_refused(world: World, opened: UUID):
    refuse(world, "yjj", "unknown_sector", lambda: record(world, kind=K.EXPERT_SERVICE, sector="nowhere"))


def test_the_stock_has_no_sector_row(world: World, opened: UUID):
    error = refuse(world, "yjj", "invalid_value", lambda: record(world, kind=K.TECHNICAL_INSPECTORS, value=3, sector="fireworks"))
    assert error.details["field"] == "sector"


def test_an_unknown_kind_naming_an_enterprise_is_refused_by_name(world: World, opened: UUID):
    error = refuse(world, "yjj", "invalid_value", lambda: record(world, kind="karaoke", enterprise_id=world.enterprise_id))
    assert error.details["field"] == "kind"
