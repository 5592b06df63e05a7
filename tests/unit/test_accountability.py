"""责任倒查、追责问责: who may record it, what it must name, and what it stores."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.errors import DomainError
from domain.glossary import Grade

from .support import AUDITOR, INSPECTOR, OFFICE, OTHER_DEPARTMENT, World

PERSONS = [
    {"user_id": "yjj-1", "name": "李执法", "organisation": "区应急管理局", "role": "执法人员"},
    {"name": "张科长", "organisation": "区应急管理局", "role": "科长"},
]


def pursue(world: World, by=OFFICE, **changes):  # type: ignore[no-untyped-def]
    values = {"hazard_ids": [world.report(Grade.MAJOR)], "persons": PERSONS, "measures": ["诫勉谈话", "通报批评"]}
    values.update(changes)
    return world.app.accountability.pursue_accountability(by, **values)


def test_the_office_records_who_is_held_accountable(world: World) -> None:
    receipt = pursue(world, decided_by="yjj", summary=" 检查走过场 ")
    case = world.app.accountability.accountability_case(receipt.id)
    assert receipt.version == 1 and world.types(receipt.id) == ["AccountabilityPursued"]
    assert case["persons_count"] == 2 and case["persons"][1]["user_id"] is None
    assert case["decided_by"] == "yjj" and case["decided_by_name"] == "区应急管理局" and case["summary"] == "检查走过场"
    assert world.app.history(receipt.id)[0]["label_zh"] == "责任倒查、追责问责"


def test_an_inspector_records_for_their_own_unit_only(world: World) -> None:
    assert world.app.accountability.accountability_case(pursue(world, by=INSPECTOR).id)["decided_by"] == "yjj"
    with pytest.raises(DomainError) as refused:
        pursue(world, by=OTHER_DEPARTMENT, decided_by="yjj")
    assert refused.value.code == "outside_scope"


@pytest.mark.parametrize("who", [AUDITOR, "principal"])
def test_auditors_and_enterprises_cannot_record_it(world: World, who) -> None:  # type: ignore[no-untyped-def]
    actor = world.principal if who == "principal" else who
    before = world.total_events()
    with pytest.raises(DomainError) as refused:
        pursue(world, by=actor)
    assert refused.value.code == "role_not_allowed"
    assert world.total_events() == before + 1  # only the hazard the helper reported


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"persons": []}, "persons"),
        ({"persons": [{"name": "王", "organisation": "", "role": "执法人员"}]}, "persons.organisation"),
        ({"persons": [PERSONS[0], dict(PERSONS[0])]}, "persons"),
        ({"measures": ["  "]}, "measures"),
        ({"hazard_ids": []}, "grounds"),
    ],
)
def test_incomplete_decisions_are_refused(world: World, changes: dict, field: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(DomainError) as refused:
        pursue(world, **changes)
    assert refused.value.code == "invalid_value" and refused.value.details["field"] == field


def test_grounds_must_exist(world: World) -> None:
    with pytest.raises(DomainError) as refused:
        pursue(world, hazard_ids=[], accident_ids=[uuid4()])
    assert refused.value.code == "accident_not_found"
    with pytest.raises(DomainError) as refused:
        world.app.accountability.accountability_case(uuid4())
    assert refused.value.code == "accountability_not_found"
