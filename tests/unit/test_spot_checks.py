"""Spot checks of enterprise self-inspection (抽查检查, Annex 1 section 2): which of the seven
deficiencies a spot check found, or an explicit "none found"; only on spot checks, before the first
signature, each deficiency once. Every refusal goes through ``World.refuse``.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID, uuid4

import pytest

from domain.glossary import InspectionKind, InspectionMethod, SpotCheckDeficiency
from domain.values import Person

from .support import (
    AUDITOR,
    INSPECTOR,
    INSPECTOR_2,
    OFFICE,
    OTHER_STREET,
    START,
    STREET_OFFICER,
    World,
)

D = SpotCheckDeficiency
TEAM = [Person(INSPECTOR.user_id, INSPECTOR.name), Person(INSPECTOR_2.user_id, INSPECTOR_2.name)]

# Annex 1 section 2, rows 2–8, in the form's order.
ROWS = [
    "企业主要负责人未按要求亲自研究排查整治工作",
    "企业主要负责人未带队检查",
    "企业未制定分管负责人职责清单",
    "企业未依法建立安全管理机构和配足安全管理人员",
    "电焊等特种作业岗位人员无证上岗作业",
    "外包外租安全管理混乱",
    "未按规定开展应急演练、员工不熟悉逃生出口",
]


def conduct(world: World, kind: InspectionKind = InspectionKind.SPOT_CHECK, by=INSPECTOR, **kw) -> UUID:
    return world.app.inspections.conduct_inspection(
        by,
        enterprise_id=world.enterprise_id,
        kind=kind,
        method=InspectionMethod.UNANNOUNCED,
        inspectors=kw.pop("inspectors", TEAM),
        scope=kw.pop("scope", ["特殊作业管理"]),
        **kw,
    ).id


def record(world: World, inspection_id: UUID, deficiencies, by=INSPECTOR, **kw):
    return world.app.inspections.record_deficiencies(by, inspection_id, deficiencies=deficiencies, **kw)


@pytest.fixture
def spot_check(world: World) -> UUID:
    return conduct(world)


def test_the_seven_deficiencies_carry_the_forms_labels_in_order():
    assert [d.zh for d in SpotCheckDeficiency] == ROWS


def test_a_spot_check_records_the_deficiencies_found(world: World, spot_check: UUID):
    world.accept(
        spot_check,
        "DeficienciesRecorded",
        lambda: record(world, spot_check, [D.PRINCIPAL_NOT_LEADING_INSPECTION, "uncertified_special_operations"]),
    )
    view = world.app.inspections.inspection(spot_check)
    assert view["deficiencies"] == ["principal_not_leading_inspection", "uncertified_special_operations"]
    assert view["deficiencies_zh"] == ["企业主要负责人未带队检查", "电焊等特种作业岗位人员无证上岗作业"]
    assert view["no_deficiency_found"] is False


def test_further_deficiencies_accumulate_before_signing(world: World, spot_check: UUID):
    record(world, spot_check, [D.NO_DEPUTY_DUTY_LIST])
    world.accept(
        spot_check, "DeficienciesRecorded", lambda: record(world, spot_check, [D.OUTSOURCING_LEASING_DISORDER], by=INSPECTOR_2)
    )
    assert world.app.inspections.inspection(spot_check)["deficiencies"] == ["no_deputy_duty_list", "outsourcing_leasing_disorder"]


def test_all_seven_may_be_found_at_once(world: World, spot_check: UUID):
    record(world, spot_check, list(SpotCheckDeficiency))
    assert world.app.inspections.inspection(spot_check)["deficiencies_zh"] == ROWS


def test_an_empty_list_states_that_none_was_found(world: World, spot_check: UUID):
    world.accept(spot_check, "DeficienciesRecorded", lambda: record(world, spot_check, []))
    view = world.app.inspections.inspection(spot_check)
    assert view["deficiencies"] == [] and view["no_deficiency_found"] is True
    assert world.last(spot_check)["data"] == {"deficiencies": []}


def test_a_spot_check_without_any_statement_states_nothing(world: World, spot_check: UUID):
    view = world.app.inspections.inspection(spot_check)
    assert view["deficiencies"] == [] and view["no_deficiency_found"] is False


@pytest.mark.parametrize("kind", [InspectionKind.DEPARTMENT, InspectionKind.SUPERVISION_VISIT], ids=lambda k: k.value)
def test_only_a_spot_check_records_deficiencies(world: World, kind: InspectionKind):
    inspection_id = conduct(world, kind)
    error = world.refuse(inspection_id, "not_a_spot_check", lambda: record(world, inspection_id, [D.NO_DEPUTY_DUTY_LIST]))
    assert error.details["kind"] == kind.value
    assert kind.zh in error.message_zh
    world.refuse(inspection_id, "not_a_spot_check", lambda: record(world, inspection_id, []))


def test_nothing_is_recorded_after_the_first_signature(world: World, spot_check: UUID):
    record(world, spot_check, [D.NO_DEPUTY_DUTY_LIST])
    world.app.inspections.sign_inspection(INSPECTOR, spot_check)
    world.refuse(spot_check, "inspection_signed", lambda: record(world, spot_check, [D.OUTSOURCING_LEASING_DISORDER]))
    world.refuse(spot_check, "inspection_signed", lambda: record(world, spot_check, []))


def test_a_signed_spot_check_with_nothing_recorded_stays_silent(world: World, spot_check: UUID):
    world.app.inspections.sign_inspection(INSPECTOR, spot_check)
    world.refuse(spot_check, "inspection_signed", lambda: record(world, spot_check, []))


def test_a_deficiency_is_recorded_once_per_inspection(world: World, spot_check: UUID):
    record(world, spot_check, [D.NO_DEPUTY_DUTY_LIST, D.NO_DRILLS_OR_EXITS_UNKNOWN])
    error = world.refuse(
        spot_check,
        "deficiency_already_recorded",
        lambda: record(world, spot_check, [D.PRINCIPAL_NOT_STUDYING, D.NO_DRILLS_OR_EXITS_UNKNOWN]),
    )
    assert error.details["deficiency"] == "no_drills_or_exits_unknown"
    assert "未按规定开展应急演练、员工不熟悉逃生出口" in error.message_zh


def test_a_deficiency_named_twice_in_one_statement_is_refused(world: World, spot_check: UUID):
    error = world.refuse(
        spot_check, "invalid_value", lambda: record(world, spot_check, [D.NO_DEPUTY_DUTY_LIST, "no_deputy_duty_list"])
    )
    assert error.details["field"] == "deficiencies"


def test_an_unknown_deficiency_is_refused(world: World, spot_check: UUID):
    world.refuse(spot_check, "invalid_value", lambda: record(world, spot_check, ["messy_desk"]))


@pytest.mark.parametrize(
    ("first", "then"),
    [([D.NO_DEPUTY_DUTY_LIST], []), ([], [D.NO_DEPUTY_DUTY_LIST]), ([], [])],
    ids=["none found after a deficiency", "a deficiency after none found", "none found twice"],
)
def test_none_found_and_deficiencies_exclude_each_other(world: World, spot_check: UUID, first, then):
    record(world, spot_check, first)
    error = world.refuse(spot_check, "deficiencies_contradiction", lambda: record(world, spot_check, then))
    assert ("未发现问题" if not first else "企业未制定分管负责人职责清单") in error.message_zh


@pytest.mark.parametrize(
    ("actor", "code"), [(OTHER_STREET, "outside_scope"), (OFFICE, "outside_scope"), (AUDITOR, "role_not_allowed")]
)
def test_only_the_inspecting_organisation_records_deficiencies(world: World, spot_check: UUID, actor, code: str):
    world.refuse(spot_check, code, lambda: record(world, spot_check, [D.NO_DEPUTY_DUTY_LIST], by=actor))


def test_an_enterprise_does_not_record_deficiencies_about_itself(world: World, spot_check: UUID):
    world.refuse(spot_check, "role_not_allowed", lambda: record(world, spot_check, [], by=world.principal))


def test_a_street_records_the_deficiencies_of_its_own_spot_check(world: World):
    inspection_id = conduct(world, by=STREET_OFFICER, inspectors=[Person(STREET_OFFICER.user_id, STREET_OFFICER.name)])
    world.accept(
        inspection_id, "DeficienciesRecorded", lambda: record(world, inspection_id, [D.PRINCIPAL_NOT_STUDYING], by=STREET_OFFICER)
    )


def test_a_statement_dated_before_the_inspection_is_refused(world: World):
    inspection_id = conduct(world, occurred_at=START - timedelta(days=1))
    world.refuse(
        inspection_id,
        "occurred_out_of_order",
        lambda: record(world, inspection_id, [D.NO_DEPUTY_DUTY_LIST], occurred_at=START - timedelta(days=2)),
    )


def test_a_stale_expected_version_is_refused(world: World, spot_check: UUID):
    record(world, spot_check, [D.NO_DEPUTY_DUTY_LIST])
    world.refuse(
        spot_check, "version_conflict", lambda: record(world, spot_check, [D.OUTSOURCING_LEASING_DISORDER], expected_version=1)
    )


def test_an_unknown_inspection_is_not_found(world: World):
    world.refuse_new("inspection_not_found", lambda: record(world, uuid4(), []))


def test_deficiencies_sit_beside_findings_and_signatures(world: World, spot_check: UUID):
    record(world, spot_check, [D.UNCERTIFIED_SPECIAL_OPERATIONS])
    world.app.inspections.record_finding(INSPECTOR, spot_check, item="特殊作业管理", hazard_ids=[], no_major_hazard=True)
    world.app.inspections.sign_inspection(INSPECTOR, spot_check)
    world.app.inspections.sign_inspection(INSPECTOR_2, spot_check)
    assert world.types(spot_check) == [
        "InspectionConducted",
        "DeficienciesRecorded",
        "FindingRecorded",
        "InspectionSigned",
        "InspectionSigned",
    ]
    view = world.app.inspections.inspection(spot_check)
    assert view["fully_signed"] is True and view["deficiencies"] == ["uncertified_special_operations"]


def test_the_statement_reloads_from_its_events(world: World, spot_check: UUID):
    record(world, spot_check, [D.OUTSOURCING_LEASING_DISORDER])
    reloaded = world.app.repository.get(spot_check)
    assert reloaded.deficiencies == [D.OUTSOURCING_LEASING_DISORDER]
    assert type(reloaded.deficiencies[0]) is SpotCheckDeficiency
    clean = conduct(world)
    record(world, clean, [])
    assert world.app.repository.get(clean).no_deficiency_found is True
