"""Inspection records (检查记录, DESIGN §3.2): who inspected, what was found, who signed.

Every refusal goes through ``World.refuse``: exact code, nothing appended anywhere.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID, uuid4

import pytest

from domain.errors import DomainError
from domain.glossary import Grade, HazardSource, InspectionKind, InspectionMethod, OrgKind, Role
from domain.values import Person

from .support import (
    AUDITOR,
    EXPERT,
    INSPECTOR,
    INSPECTOR_2,
    OFFICE,
    OTHER_DEPARTMENT,
    OTHER_STREET,
    START,
    STREET_OFFICER,
    World,
    credit_code,
    enterprise_actor,
    regulator,
)

TEAM = [Person(INSPECTOR.user_id, INSPECTOR.name), Person("yjj-3", "孙执法")]
SCOPE = ["储罐区", "装卸作业", "特殊作业管理"]
THIRD = regulator("yjj-3", "孙执法", Role.INSPECTOR, "yjj", OrgKind.DEPARTMENT, "区应急管理局")


def conduct(world: World, actor=INSPECTOR, *, kind=InspectionKind.DEPARTMENT, inspectors=None, scope=None, **kw) -> UUID:
    return world.app.inspections.conduct_inspection(
        actor,
        enterprise_id=kw.pop("enterprise_id", world.enterprise_id),
        kind=kind,
        method=kw.pop("method", InspectionMethod.UNANNOUNCED),
        inspectors=TEAM if inspectors is None else inspectors,
        scope=SCOPE if scope is None else scope,
        **kw,
    ).id


def found_by(world: World, inspection_id: UUID, actor=INSPECTOR, **kw) -> UUID:
    """A major hazard reported as found by the given inspection."""
    return world.report(Grade.MAJOR, by=actor, source=HazardSource.DEPARTMENT_INSPECTION, inspection_id=inspection_id, **kw)


@pytest.fixture
def inspection(world: World) -> UUID:
    """A department inspection (四不两直) of the standard enterprise by a two-person team of 区应急管理局."""
    return conduct(world)


# ----- conducting -----------------------------------------------------------------------------


def test_a_department_inspection_records_its_team_method_and_scope(world: World):
    inspection_id = conduct(world, scope=[" 储罐区 ", "", "装卸作业"])
    view = world.app.inspections.inspection(inspection_id)
    assert world.types(inspection_id) == ["InspectionConducted"]
    assert view["organisation_id"] == "yjj"
    assert view["enterprise_id"] == str(world.enterprise_id)
    assert (view["kind"], view["method"]) == ("department", "unannounced")
    assert view["inspectors"] == [{"user_id": "yjj-1", "name": "李执法"}, {"user_id": "yjj-3", "name": "孙执法"}]
    assert view["scope"] == ["储罐区", "装卸作业"]  # blanks dropped, items trimmed
    assert view["findings"] == [] and view["signed_by"] == []
    assert view["fully_signed"] is False


def test_an_enterprise_self_inspection_led_by_the_principal_is_recorded_by_the_enterprise(world: World):
    team = [Person(world.principal.user_id, "张总"), Person(world.staff.user_id, "刘安全员")]
    inspection_id = conduct(
        world,
        world.principal,
        kind=InspectionKind.SELF_INSPECTION,
        inspectors=team,
        led_by_principal=True,
        method=InspectionMethod.ROUTINE,
    )
    view = world.app.inspections.inspection(inspection_id)
    assert view["kind"] == "self_inspection"
    assert view["led_by_principal"] is True
    assert view["organisation_id"] == str(world.enterprise_id)


def test_a_self_inspection_recorded_by_a_regulator_is_refused(world: World):
    error = world.refuse_new("invalid_value", lambda: conduct(world, INSPECTOR, kind=InspectionKind.SELF_INSPECTION))
    assert error.details["field"] == "kind"


@pytest.mark.parametrize("kind", [k for k in InspectionKind if k is not InspectionKind.SELF_INSPECTION])
def test_an_enterprise_records_only_self_inspections(world: World, kind: InspectionKind):
    error = world.refuse_new(
        "invalid_value", lambda: conduct(world, world.principal, kind=kind, inspectors=[Person(world.principal.user_id, "张总")])
    )
    assert error.details["field"] == "kind"


@pytest.mark.parametrize("team", [[], [Person("yjj-1", "李执法"), Person("yjj-1", "李执法")]], ids=["empty", "twice"])
def test_an_inspection_names_each_inspector_once(world: World, team):
    error = world.refuse_new("invalid_value", lambda: conduct(world, inspectors=team))
    assert error.details["field"] == "inspectors"


@pytest.mark.parametrize("actor", [OTHER_DEPARTMENT, OTHER_STREET], ids=["department-outside-sector", "other-street"])
def test_an_inspection_outside_the_inspectors_scope_is_refused(world: World, actor):
    world.refuse_new("outside_scope", lambda: conduct(world, actor, inspectors=[Person(actor.user_id, actor.name)]))


def test_an_enterprise_may_not_self_inspect_another_enterprise(world: World):
    other = world.app.enterprises.register_enterprise(
        OFFICE,
        credit_code=credit_code("91530114MA6K0009X"),
        name="另一家",
        sector="hazardous_chemicals",
        jurisdiction="wulong",
        principal_name="钱总",
    ).id
    stranger = enterprise_actor(other, Role.PRINCIPAL, "p2", "钱总", "另一家")
    world.refuse_new(
        "outside_scope", lambda: conduct(world, stranger, kind=InspectionKind.SELF_INSPECTION, inspectors=[Person("p2", "钱总")])
    )


@pytest.mark.parametrize("actor", [STREET_OFFICER, OFFICE], ids=["street", "committee-office"])
def test_the_street_and_the_committee_office_may_inspect(world: World, actor):
    inspection_id = conduct(world, actor, kind=InspectionKind.SUPERVISION_VISIT, inspectors=[Person(actor.user_id, actor.name)])
    assert world.app.inspections.inspection(inspection_id)["organisation_id"] == actor.organisation_id


@pytest.mark.parametrize("actor", [AUDITOR, EXPERT], ids=["auditor", "expert"])
def test_auditors_and_experts_do_not_record_inspections(world: World, actor):
    world.refuse_new("role_not_allowed", lambda: conduct(world, actor, inspectors=[Person(actor.user_id, actor.name)]))


def test_an_inspection_of_an_unknown_enterprise_is_refused(world: World):
    world.refuse_new("enterprise_not_found", lambda: conduct(world, enterprise_id=uuid4()))


def test_an_unknown_inspection_is_not_found(world: World, major: UUID):
    for unknown in (uuid4(), major):  # a hazard's id is not an inspection
        with pytest.raises(DomainError) as info:
            world.app.inspections.inspection(unknown)
        assert info.value.code == "inspection_not_found"


# ----- findings -------------------------------------------------------------------------------


def test_a_finding_names_the_hazards_the_inspection_found(world: World, inspection: UUID):
    hazard_id = found_by(world, inspection)
    assert world.app.hazards.hazard(hazard_id)["inspection_id"] == str(inspection)
    world.accept(
        inspection,
        "FindingRecorded",
        lambda: world.app.inspections.record_finding(INSPECTOR, inspection, item="储罐区", hazard_ids=[hazard_id], note=" 报警仪失效 "),
    )
    assert world.app.inspections.inspection(inspection)["findings"] == [
        {"item": "储罐区", "hazard_ids": [str(hazard_id)], "no_major_hazard": False}
    ]
    assert world.last(inspection)["data"]["note"] == "报警仪失效"


def test_a_clean_finding_states_no_major_hazard_explicitly(world: World, inspection: UUID):
    world.accept(
        inspection,
        "FindingRecorded",
        lambda: world.app.inspections.record_finding(INSPECTOR, inspection, item="装卸作业", hazard_ids=[], no_major_hazard=True),
    )
    assert world.app.inspections.inspection(inspection)["findings"] == [{"item": "装卸作业", "hazard_ids": [], "no_major_hazard": True}]


def test_a_finding_with_neither_hazards_nor_a_clean_statement_is_refused(world: World, inspection: UUID):
    world.refuse(
        inspection, "finding_empty", lambda: world.app.inspections.record_finding(INSPECTOR, inspection, item="储罐区", hazard_ids=[])
    )


def test_a_finding_with_both_hazards_and_a_clean_statement_is_refused(world: World, inspection: UUID):
    hazard_id = found_by(world, inspection)
    world.refuse(
        inspection,
        "finding_empty",
        lambda: world.app.inspections.record_finding(INSPECTOR, inspection, item="储罐区", hazard_ids=[hazard_id], no_major_hazard=True),
    )


def test_a_finding_on_an_item_outside_the_checklist_is_refused(world: World, inspection: UUID):
    error = world.refuse(
        inspection,
        "finding_item_out_of_scope",
        lambda: world.app.inspections.record_finding(INSPECTOR, inspection, item="消防通道", hazard_ids=[], no_major_hazard=True),
    )
    assert error.details == {"item": "消防通道"}


def test_an_inspection_without_a_checklist_accepts_any_item(world: World):
    inspection_id = conduct(world, scope=[])
    world.accept(
        inspection_id,
        "FindingRecorded",
        lambda: world.app.inspections.record_finding(INSPECTOR, inspection_id, item="任意检查项", hazard_ids=[], no_major_hazard=True),
    )


def test_a_finding_naming_a_hazard_not_found_by_this_inspection_is_refused(world: World, inspection: UUID, major: UUID):
    error = world.refuse(
        inspection,
        "finding_hazard_mismatch",
        lambda: world.app.inspections.record_finding(INSPECTOR, inspection, item="储罐区", hazard_ids=[major]),
    )
    assert error.details == {"hazard_id": str(major)}


def test_a_finding_naming_a_hazard_of_another_inspection_is_refused(world: World, inspection: UUID):
    other = conduct(world)
    hazard_id = found_by(world, other)
    world.refuse(
        inspection,
        "finding_hazard_mismatch",
        lambda: world.app.inspections.record_finding(INSPECTOR, inspection, item="储罐区", hazard_ids=[hazard_id]),
    )


def test_a_finding_naming_an_unknown_hazard_is_refused(world: World, inspection: UUID):
    world.refuse(
        inspection,
        "hazard_not_found",
        lambda: world.app.inspections.record_finding(INSPECTOR, inspection, item="储罐区", hazard_ids=[uuid4()]),
    )


@pytest.mark.parametrize("who", ["street", "principal", "office"])
def test_only_the_inspecting_organisation_records_its_findings(world: World, inspection: UUID, who: str):
    actor = {"street": STREET_OFFICER, "principal": world.principal, "office": OFFICE}[who]
    world.refuse(
        inspection,
        "outside_scope",
        lambda: world.app.inspections.record_finding(actor, inspection, item="储罐区", hazard_ids=[], no_major_hazard=True),
    )


def test_another_inspector_of_the_same_department_may_record_a_finding(world: World, inspection: UUID):
    world.accept(
        inspection,
        "FindingRecorded",
        lambda: world.app.inspections.record_finding(INSPECTOR_2, inspection, item="储罐区", hazard_ids=[], no_major_hazard=True),
    )


def test_a_finding_on_a_stale_version_is_refused(world: World, inspection: UUID):
    world.app.inspections.record_finding(INSPECTOR, inspection, item="储罐区", hazard_ids=[], no_major_hazard=True)
    error = world.refuse(
        inspection,
        "version_conflict",
        lambda: world.app.inspections.record_finding(
            INSPECTOR, inspection, item="装卸作业", hazard_ids=[], no_major_hazard=True, expected_version=1
        ),
    )
    assert error.details == {"expected": 1, "actual": 2}


# ----- signing ----------------------------------------------------------------------------------


def test_each_inspector_signs_personally(world: World, inspection: UUID):
    world.accept(inspection, "InspectionSigned", lambda: world.app.inspections.sign_inspection(INSPECTOR, inspection))
    event = world.last(inspection)
    assert event["actor"]["user_id"] == INSPECTOR.user_id
    assert event["data"] == {"meaning": "inspector", "signature": None}  # no personal signature given
    view = world.app.inspections.inspection(inspection)
    assert view["signed_by"] == [INSPECTOR.user_id]
    assert view["fully_signed"] is False


def test_an_inspection_is_fully_signed_once_every_inspector_signed(world: World, inspection: UUID):
    world.app.inspections.sign_inspection(THIRD, inspection)
    assert world.app.inspections.inspection(inspection)["fully_signed"] is False
    world.app.inspections.sign_inspection(INSPECTOR, inspection)
    view = world.app.inspections.inspection(inspection)
    assert view["signed_by"] == ["yjj-3", "yjj-1"]
    assert view["fully_signed"] is True
    assert world.types(inspection) == ["InspectionConducted", "InspectionSigned", "InspectionSigned"]


def test_a_self_inspection_is_signed_by_the_enterprise_people_on_it(world: World):
    team = [Person(world.principal.user_id, "张总"), Person(world.staff.user_id, "刘安全员")]
    inspection_id = conduct(world, world.principal, kind=InspectionKind.SELF_INSPECTION, inspectors=team, led_by_principal=True)
    world.app.inspections.sign_inspection(world.principal, inspection_id)
    world.app.inspections.sign_inspection(world.staff, inspection_id)
    assert world.app.inspections.inspection(inspection_id)["fully_signed"] is True


def test_someone_not_on_the_team_cannot_sign(world: World, inspection: UUID):
    error = world.refuse(inspection, "not_an_inspector", lambda: world.app.inspections.sign_inspection(INSPECTOR_2, inspection))
    assert error.details == {"name": INSPECTOR_2.name}
    assert error.kind.value == "forbidden"


def test_signing_twice_is_refused(world: World, inspection: UUID):
    world.app.inspections.sign_inspection(INSPECTOR, inspection)
    error = world.refuse(inspection, "already_signed", lambda: world.app.inspections.sign_inspection(INSPECTOR, inspection))
    assert error.details == {"name": INSPECTOR.name}


def test_an_auditor_cannot_sign_even_if_named(world: World):
    inspection_id = conduct(world, inspectors=[Person(AUDITOR.user_id, AUDITOR.name)])
    world.refuse(inspection_id, "role_not_allowed", lambda: world.app.inspections.sign_inspection(AUDITOR, inspection_id))


def test_a_signature_back_dated_before_the_inspection_is_refused(world: World, inspection: UUID):
    world.refuse(
        inspection,
        "occurred_out_of_order",
        lambda: world.app.inspections.sign_inspection(INSPECTOR, inspection, occurred_at=START - timedelta(minutes=1)),
    )


def test_no_finding_is_recorded_after_the_first_signature(world: World, inspection: UUID):
    world.app.inspections.record_finding(INSPECTOR, inspection, item="储罐区", hazard_ids=[], no_major_hazard=True)
    world.app.inspections.sign_inspection(INSPECTOR, inspection)
    world.refuse(
        inspection,
        "inspection_signed",
        lambda: world.app.inspections.record_finding(INSPECTOR, inspection, item="装卸作业", hazard_ids=[], no_major_hazard=True),
    )
    assert world.app.inspections.inspection(inspection)["fully_signed"] is False  # frozen although one signature is missing


def test_no_hazard_may_reference_a_signed_inspection(world: World, inspection: UUID):
    world.app.inspections.sign_inspection(THIRD, inspection)
    world.refuse_new("inspection_signed", lambda: found_by(world, inspection))


def test_a_hazard_cannot_reference_an_inspection_of_another_enterprise(world: World):
    other = world.app.enterprises.register_enterprise(
        INSPECTOR,
        credit_code=credit_code("91530114MA6K0008X"),
        name="另一家",
        sector="hazardous_chemicals",
        jurisdiction="wulong",
        principal_name="钱总",
    ).id
    inspection_id = conduct(world, enterprise_id=other)
    error = world.refuse_new("invalid_value", lambda: found_by(world, inspection_id))
    assert error.details["field"] == "inspection_id"


def test_a_hazard_cannot_reference_an_unknown_inspection(world: World):
    world.refuse_new("inspection_not_found", lambda: found_by(world, uuid4()))


def test_signing_an_unknown_inspection_is_refused(world: World):
    world.refuse_new("inspection_not_found", lambda: world.app.inspections.sign_inspection(INSPECTOR, uuid4()))


def test_vocabulary_codes_given_as_plain_strings_mean_the_same(world: World):
    """Python callers may pass codes; a self-inspection given as "self_inspection" is still one."""
    inspection = world.app.inspections.conduct_inspection(
        world.principal, enterprise_id=world.enterprise_id, kind="self_inspection", method="routine",  # type: ignore[arg-type]
        inspectors=[Person(world.principal.user_id, world.principal.name)], scope=["全厂"], led_by_principal=True,
    )  # fmt: skip
    assert world.app.inspections.inspection(inspection.id)["kind"] == "self_inspection"
    with pytest.raises(DomainError) as refused:
        world.app.inspections.conduct_inspection(
            world.principal, enterprise_id=world.enterprise_id, kind="picnic", method="routine",  # type: ignore[arg-type]
            inspectors=[Person(world.principal.user_id, world.principal.name)], scope=[],
        )  # fmt: skip
    assert refused.value.code == "invalid_value" and refused.value.details["field"] == "kind"
