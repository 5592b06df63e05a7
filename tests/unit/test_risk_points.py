"""Major risk points (重大安全风险, Annex 3 "4个清单"): registration, the four lists, replacement by
listing again, and the completeness rule behind Annex 2 已落实“4个清单”管控措施.

Every refusal goes through ``refuse_viewed``: exact code, nothing appended anywhere.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID, uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.glossary import GovernmentMeasure, RiskList, Role
from domain.risk_point import EmergencySupply, HazardCharacteristics, RiskPoint

from .support import (
    AUDITOR,
    INSPECTOR,
    OFFICE,
    OTHER_DEPARTMENT,
    OTHER_STREET,
    START,
    STREET_OFFICER,
    World,
    credit_code,
    emergency_supplies,
    enterprise_actor,
    fill_four_lists,
    hazard_characteristics,
    new_world,
    refuse_viewed,
    register_risk_point,
)

ALL_LISTS = ["basic_info", "responsibility", "control_measures", "emergency"]


def refuse(world: World, risk_point_id: UUID, code: str, command):
    return refuse_viewed(world, risk_point_id, code, command, world.app.risks.risk_point)


def responsibility(world: World, risk_point_id: UUID, by=INSPECTOR, **changes):
    values = {
        "department": "yjj",
        "department_person": "李执法",
        "department_phone": "0871-67481234",
        "principal_name": "张总",
        "principal_phone": "18512345678",
    }
    values.update(changes)
    return world.app.risks.list_responsibility(by, risk_point_id, **values)


def control(world: World, risk_point_id: UUID, by=INSPECTOR, **changes):
    values = {"enterprise_measures": ["每班巡检两次"], "government_measures": [GovernmentMeasure.ISOLATE_HAZARD_SOURCE]}
    values.update(changes)
    return world.app.risks.list_control_measures(by, risk_point_id, **values)


def emergency(world: World, risk_point_id: UUID, by=INSPECTOR, **changes):
    values = {"measures": ["启动泄漏专项应急预案"], "supplies": emergency_supplies()}
    values.update(changes)
    return world.app.risks.list_emergency(by, risk_point_id, **values)


@pytest.fixture
def risk_point(world: World) -> UUID:
    return register_risk_point(world)


# ----- registration (list 一) -------------------------------------------------------------------------


def test_a_registered_risk_point_shows_list_one_and_what_is_missing(world: World, risk_point: UUID):
    view = world.app.risks.risk_point(risk_point)
    assert world.types(risk_point) == ["RiskPointRegistered"]
    assert view["enterprise_id"] == str(world.enterprise_id)
    assert (view["sector"], view["jurisdiction"]) == ("hazardous_chemicals", "wulong")
    assert view["counts_for"] == ["yjj", "wulong"]
    assert view["basic_info"] == {
        "assessed": True,
        "name": "液氨储罐区",
        "description": "液氨储罐泄漏可能引发中毒和爆炸",
        "address": "昆明市呈贡区乌龙街道化工园区1号",
        "characteristics": {
            "accident_types": ["火灾", "爆炸", "中毒和窒息"],
            "max_casualties": 12,
            "max_direct_loss_yuan": 30_000_000,
            "social_impact": "可能对区域社会、经济产生较大影响",
        },
    }
    assert view["controlled"] is False
    assert view["missing_lists"] == ["responsibility", "control_measures", "emergency"]
    assert view["missing_lists_zh"] == ["责任分工信息清单", "防控措施清单", "应急处置清单"]
    assert view["lists_filed"] == ["basic_info"]


def test_a_risk_point_may_be_registered_by_name_and_completed_later(world: World):
    risk_point_id = register_risk_point(world, description="", address="", assessed=False, characteristics=None)
    view = world.app.risks.risk_point(risk_point_id)
    assert view["missing_columns"]["basic_info"] == [
        "description",
        "address",
        "accident_types",
        "max_casualties",
        "max_direct_loss_yuan",
        "social_impact",
    ]
    assert view["missing_columns_zh"]["重大风险基础信息清单"][:2] == ["风险描述", "风险详细地址"]
    world.accept(
        risk_point_id,
        "BasicInfoListed",
        lambda: world.app.risks.list_basic_info(
            INSPECTOR,
            risk_point_id,
            description=" 液氨泄漏 ",
            address="乌龙街道化工园区1号",
            assessed=True,
            characteristics=hazard_characteristics(accident_types=["中毒和窒息", " ", "火灾"]),
        ),
    )
    view = world.app.risks.risk_point(risk_point_id)
    assert "basic_info" not in view["missing_lists"]
    assert view["basic_info"]["description"] == "液氨泄漏"
    assert view["basic_info"]["characteristics"]["accident_types"] == ["中毒和窒息", "火灾"]
    assert view["basic_info"]["name"] == "液氨储罐区"  # identity stays as registered


def test_zero_casualties_and_zero_loss_are_stated_values(world: World):
    risk_point_id = register_risk_point(world, characteristics=hazard_characteristics(max_casualties=0, max_direct_loss_yuan=0))
    assert "basic_info" not in world.app.risks.risk_point(risk_point_id)["missing_lists"]


def test_a_site_elsewhere_counts_in_its_own_territory(world: World):
    risk_point_id = register_risk_point(world, by=OFFICE, jurisdiction="qidian")
    assert world.app.risks.risk_point(risk_point_id)["counts_for"] == ["yjj", "qidian"]


def test_the_enterprise_may_register_its_own_risk_point(world: World):
    risk_point_id = register_risk_point(world, by=world.principal)
    assert world.app.risks.risk_point(risk_point_id)["registered_by"]["role"] == "principal"


def test_an_enterprise_may_not_register_for_another(world: World):
    stranger = enterprise_actor(uuid4(), Role.PRINCIPAL, "p2", "钱总", "某物流公司")
    world.refuse_new("outside_scope", lambda: register_risk_point(world, by=stranger))


@pytest.mark.parametrize("actor", [OTHER_DEPARTMENT, OTHER_STREET], ids=lambda a: a.organisation_id)
def test_a_regulator_outside_the_sector_or_territory_is_refused(world: World, actor):
    world.refuse_new("outside_scope", lambda: register_risk_point(world, by=actor))


def test_auditors_do_not_register_risk_points(world: World):
    world.refuse_new("role_not_allowed", lambda: register_risk_point(world, by=AUDITOR))


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"name": " "}, "invalid_value", "name"),
        ({"assessed": "是"}, "invalid_value", "assessed"),
        ({"characteristics": hazard_characteristics(max_casualties=-1)}, "invalid_value", "max_casualties"),
        ({"characteristics": hazard_characteristics(max_direct_loss_yuan=1.5)}, "invalid_value", "max_direct_loss_yuan"),
        ({"characteristics": {"accident_types": ["火灾"]}}, "invalid_value", "characteristics"),
        ({"enterprise_id": uuid4()}, "enterprise_not_found", None),
        ({"sector": "nowhere"}, "unknown_sector", None),
        ({"jurisdiction": "nowhere"}, "unknown_jurisdiction", None),
    ],
)
def test_invalid_registrations_are_refused(world: World, changes, code, field):
    error = world.refuse_new(code, lambda: register_risk_point(world, by=OFFICE, **changes))
    if field:
        assert error.details["field"] == field


# ----- the four lists ---------------------------------------------------------------------------------


def test_filling_the_four_lists_controls_the_risk_point(world: World, risk_point: UUID):
    world.accept(risk_point, "ResponsibilityListed", lambda: responsibility(world, risk_point))
    assert world.app.risks.risk_point(risk_point)["missing_lists"] == ["control_measures", "emergency"]
    world.accept(risk_point, "ControlMeasuresListed", lambda: control(world, risk_point))
    assert world.app.risks.risk_point(risk_point)["controlled"] is False
    world.accept(risk_point, "EmergencyListed", lambda: emergency(world, risk_point))
    view = world.app.risks.risk_point(risk_point)
    assert view["controlled"] is True
    assert view["missing_lists"] == [] and view["missing_columns"] == {}
    assert view["lists_filed"] == ALL_LISTS


def test_the_lists_are_shown_as_filed_with_phone_numbers_in_full(world: World, risk_point: UUID):
    fill_four_lists(world, risk_point)
    view = world.app.risks.risk_point(risk_point)
    assert view["responsibility"] == {
        "department": "yjj",
        "department_name": "区应急管理局",
        "department_person": "李执法",
        "department_phone": "0871-67481234",
        "principal_name": "张总",
        "principal_phone": "18512345678",
    }
    assert view["control_measures"]["government_measures"] == ["listed_for_supervision", "isolate_hazard_source"]
    assert view["control_measures"]["government_measures_zh"] == ["挂牌督办", "隔离危险源"]
    assert view["emergency"]["supplies"][0] == {"category": "消防器材", "name": "干粉灭火器", "quantity": 40, "unit": "具"}


def test_the_government_measures_are_exactly_the_forms_eight():
    assert [m.zh for m in GovernmentMeasure] == [
        "挂牌督办",
        "隔离危险源",
        "减员减人",
        "畅通疏散",
        "整治拆除",
        "淘汰关闭",
        "停产停业",
        "市场禁入",
    ]


def test_the_lists_are_named_as_on_the_form():
    labels = ["重大风险基础信息清单", "责任分工信息清单", "防控措施清单", "应急处置清单"]
    assert [risk_list.zh for risk_list in RiskList] == labels


def test_listing_again_replaces_the_list_and_keeps_the_history(world: World, risk_point: UUID):
    fill_four_lists(world, risk_point)
    world.accept(
        risk_point,
        "ControlMeasuresListed",
        lambda: control(world, risk_point, enterprise_measures=["停用2号储罐"], government_measures=[]),
    )
    view = world.app.risks.risk_point(risk_point)
    assert view["control_measures"]["enterprise_measures"] == ["停用2号储罐"]
    assert view["controlled"] is False  # list 三 now lacks a government measure
    assert view["missing_columns"] == {"control_measures": ["government_measures"]}
    assert world.types(risk_point).count("ControlMeasuresListed") == 2
    world.accept(risk_point, "ControlMeasuresListed", lambda: control(world, risk_point, government_measures=["market_ban"]))
    assert world.app.risks.risk_point(risk_point)["controlled"] is True


@pytest.mark.parametrize(
    ("command", "missing"),
    [
        (lambda w, r: responsibility(w, r, department_phone=""), {"responsibility": ["department_phone"]}),
        (
            lambda w, r: responsibility(w, r, department="", principal_name=" "),
            {"responsibility": ["department", "principal_name"]},
        ),
        (lambda w, r: control(w, r, enterprise_measures=[" "]), {"control_measures": ["enterprise_measures"]}),
        (lambda w, r: emergency(w, r, supplies=[]), {"emergency": ["supplies"]}),
        (lambda w, r: emergency(w, r, measures=[]), {"emergency": ["emergency_measures"]}),
    ],
)
def test_an_incomplete_list_is_accepted_and_says_what_is_missing(world: World, risk_point: UUID, command, missing):
    fill_four_lists(world, risk_point)
    command(world, risk_point)
    view = world.app.risks.risk_point(risk_point)
    assert view["controlled"] is False
    assert view["missing_columns"] == missing


def test_an_unknown_department_is_refused(world: World, risk_point: UUID):
    refuse(world, risk_point, "unknown_department", lambda: responsibility(world, risk_point, department="nope"))


@pytest.mark.parametrize("field", ["department_phone", "principal_phone"])
@pytest.mark.parametrize("phone", ["电话", "12", "185-abc-1234"])
def test_a_phone_that_is_no_phone_number_is_refused(world: World, risk_point: UUID, field: str, phone: str):
    error = refuse(world, risk_point, "invalid_value", lambda: responsibility(world, risk_point, **{field: phone}))
    assert error.details["field"] == field


@pytest.mark.parametrize("phone", ["18512345678", "0871-67481234", "+86 185 1234 5678", "(0871)67481234"])
def test_common_phone_formats_are_accepted(world: World, risk_point: UUID, phone: str):
    responsibility(world, risk_point, principal_phone=phone)
    assert world.app.risks.risk_point(risk_point)["responsibility"]["principal_phone"] == phone


@pytest.mark.parametrize(
    "command",
    [
        lambda w, r: responsibility(
            w, r, department="", department_person="", department_phone="", principal_name="", principal_phone=""
        ),
        lambda w, r: control(w, r, enterprise_measures=[], government_measures=[]),
        lambda w, r: emergency(w, r, measures=[" "], supplies=[]),
    ],
    ids=["responsibility", "control_measures", "emergency"],
)
def test_an_empty_list_is_refused(world: World, risk_point: UUID, command):
    refuse(world, risk_point, "invalid_value", lambda: command(world, risk_point))


@pytest.mark.parametrize(
    "measures",
    [["curfew"], ["market_ban", "market_ban"], [GovernmentMeasure.MARKET_BAN, "market_ban"]],
)
def test_unknown_or_repeated_government_measures_are_refused(world: World, risk_point: UUID, measures):
    error = refuse(world, risk_point, "invalid_value", lambda: control(world, risk_point, government_measures=measures))
    assert error.details["field"] == "government_measures"


@pytest.mark.parametrize(
    ("supply", "field"),
    [
        (EmergencySupply(category=" ", name="灭火器", quantity=1, unit="具"), "supplies.category"),
        (EmergencySupply(category="消防器材", name="", quantity=1, unit="具"), "supplies.name"),
        (EmergencySupply(category="消防器材", name="灭火器", quantity=0, unit="具"), "supplies.quantity"),
        (EmergencySupply(category="消防器材", name="灭火器", quantity=2.5, unit="具"), "supplies.quantity"),  # type: ignore[arg-type]
        (EmergencySupply(category="消防器材", name="灭火器", quantity=1, unit=""), "supplies.unit"),
    ],
)
def test_an_emergency_supply_names_category_name_quantity_and_unit(world: World, risk_point: UUID, supply, field):
    error = refuse(world, risk_point, "invalid_value", lambda: emergency(world, risk_point, supplies=[supply]))
    assert error.details["field"] == field


@pytest.mark.parametrize(
    ("actor", "command", "code"),
    [
        ("principal", responsibility, "role_not_allowed"),
        ("principal", control, "role_not_allowed"),
        (OTHER_DEPARTMENT, emergency, "outside_scope"),
        (OTHER_STREET, responsibility, "outside_scope"),
        (AUDITOR, emergency, "role_not_allowed"),
    ],
)
def test_who_may_fill_which_list(world: World, risk_point: UUID, actor, command, code):
    who = world.principal if actor == "principal" else actor
    refuse(world, risk_point, code, lambda: command(world, risk_point, by=who))


@pytest.mark.parametrize("actor", ["principal", STREET_OFFICER, OFFICE], ids=["principal", "street", "office"])
def test_the_enterprise_the_street_and_the_office_may_file_the_emergency_list(world: World, risk_point: UUID, actor):
    who = world.principal if actor == "principal" else actor
    world.accept(risk_point, "EmergencyListed", lambda: emergency(world, risk_point, by=who))


def test_a_list_dated_before_the_registration_is_refused(world: World):
    risk_point_id = register_risk_point(world, occurred_at=START - timedelta(days=1))
    refuse(
        world,
        risk_point_id,
        "occurred_out_of_order",
        lambda: control(world, risk_point_id, occurred_at=START - timedelta(days=2)),
    )


def test_a_stale_expected_version_is_refused(world: World, risk_point: UUID):
    control(world, risk_point)
    refuse(world, risk_point, "version_conflict", lambda: emergency(world, risk_point, expected_version=1))


def test_an_unknown_risk_point_is_not_found(world: World):
    world.refuse_new("risk_point_not_found", lambda: world.app.risks.risk_point(uuid4()))
    world.refuse_new("risk_point_not_found", lambda: control(world, uuid4()))


def test_value_objects_come_back_as_their_types(world: World, risk_point: UUID):
    fill_four_lists(world, risk_point)
    events = {type(e).__name__: e for e in world.app.repository.event_store.get(risk_point)}
    characteristics = events["RiskPointRegistered"].characteristics
    assert isinstance(characteristics, HazardCharacteristics)
    assert characteristics.accident_types == ("火灾", "爆炸", "中毒和窒息")
    assert all(isinstance(s, EmergencySupply) for s in events["EmergencyListed"].supplies)
    assert events["ControlMeasuresListed"].government_measures == ["listed_for_supervision", "isolate_hazard_source"]
    reloaded = world.app.repository.get(risk_point)
    assert isinstance(reloaded, RiskPoint) and reloaded.controlled
    assert reloaded.government_measures == [GovernmentMeasure.LISTED_FOR_SUPERVISION, GovernmentMeasure.ISOLATE_HAZARD_SOURCE]


# ----- the completeness rule (property) ----------------------------------------------------------------

# For each list: not filed, filed incomplete (one column left empty), or filed complete. List 一 is
# filed at registration; "not filed" there means registered by name only.
FILLINGS = st.sampled_from(["absent", "partial", "complete"])


def _file(world: World, risk_point_id: UUID, risk_list: str, filling: str, partial_column: int) -> None:
    if filling == "absent":
        return
    app = world.app
    if risk_list == "basic_info":
        characteristics = hazard_characteristics()
        if filling == "partial":
            characteristics = [
                hazard_characteristics(accident_types=()),
                hazard_characteristics(max_casualties=None),
                hazard_characteristics(max_direct_loss_yuan=None),
                hazard_characteristics(social_impact=""),
            ][partial_column % 4]
        app.risks.list_basic_info(
            INSPECTOR, risk_point_id, description="泄漏", address="1号", assessed=True, characteristics=characteristics
        )
    elif risk_list == "responsibility":
        blank = ["department", "department_person", "department_phone", "principal_name", "principal_phone"][partial_column % 5]
        responsibility(world, risk_point_id, **({blank: ""} if filling == "partial" else {}))
    elif risk_list == "control_measures":
        blank = ["enterprise_measures", "government_measures"][partial_column % 2]
        control(world, risk_point_id, **({blank: []} if filling == "partial" else {}))
    else:
        blank = ["measures", "supplies"][partial_column % 2]
        emergency(world, risk_point_id, **({blank: []} if filling == "partial" else {}))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    fillings=st.fixed_dictionaries({name: FILLINGS for name in ALL_LISTS}),
    partial_column=st.integers(min_value=0, max_value=9),
    order=st.permutations(ALL_LISTS),
    refile=st.booleans(),
)
def test_controlled_iff_all_four_lists_are_complete(fillings, partial_column, order, refile):
    world = new_world()
    risk_point_id = register_risk_point(world, description="", address="", assessed=False, characteristics=None)
    for risk_list in order:
        if refile and fillings[risk_list] != "absent":
            _file(world, risk_point_id, risk_list, "complete", 0)  # an earlier complete list, then replaced
        _file(world, risk_point_id, risk_list, fillings[risk_list], partial_column)
    view = world.app.risks.risk_point(risk_point_id)
    incomplete = [name for name in ALL_LISTS if fillings[name] != "complete"]
    assert view["controlled"] is (not incomplete)
    assert view["missing_lists"] == incomplete
    aggregate = world.app.repository.get(risk_point_id)
    assert aggregate.controlled is (not incomplete)
    assert [m.value for m in aggregate.missing_lists()] == incomplete


def test_a_second_enterprise_risk_point_is_scoped_to_its_own_enterprise():
    world = new_world()
    other = world.app.enterprises.register_enterprise(
        OFFICE,
        credit_code=credit_code("91530114MA6K0002X"),
        name="某物流公司",
        sector="commerce_logistics",
        jurisdiction="dayu",
        principal_name="钱总",
    ).id
    risk_point_id = register_risk_point(world, by=OFFICE, enterprise_id=other)
    view = world.app.risks.risk_point(risk_point_id)
    assert (view["sector"], view["jurisdiction"], view["counts_for"]) == ("commerce_logistics", "dayu", ["swj", "dayu"])
    refuse(world, risk_point_id, "outside_scope", lambda: emergency(world, risk_point_id, by=world.principal))
