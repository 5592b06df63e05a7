"""Outstanding problems (突出问题, Annex 2 解决突出问题): identified → root-cause measures (治本措施) →
rectified, once. Every refusal goes through ``refuse_viewed``: exact code, nothing appended anywhere.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID, uuid4

import pytest

from domain.outstanding_problem import OutstandingProblem

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
    identify_problem,
    refuse_viewed,
)


def refuse(world: World, problem_id: UUID, code: str, command):
    return refuse_viewed(world, problem_id, code, command, world.app.risks.problem)


def adopt(world: World, problem_id: UUID, measure: str = "建立特殊作业电子审批", by=INSPECTOR, **kw):
    return world.app.risks.adopt_root_cause_measure(by, problem_id, measure=measure, **kw)


def rectify(world: World, problem_id: UUID, note: str = "已完成整改并复查", by=INSPECTOR, **kw):
    return world.app.risks.rectify_problem(by, problem_id, note=note, **kw)


@pytest.fixture
def problem(world: World) -> UUID:
    return identify_problem(world)


# ----- identification ---------------------------------------------------------------------------


def test_a_department_identifies_a_sector_wide_problem(world: World, problem: UUID):
    view = world.app.risks.problem(problem)
    assert world.types(problem) == ["ProblemIdentified"]
    assert (view["unit_id"], view["unit_name"]) == ("yjj", "区应急管理局")
    assert (view["sector"], view["jurisdiction"], view["enterprise_id"]) == ("hazardous_chemicals", None, None)
    assert view["counts_for"] == ["yjj"]
    assert (view["state"], view["state_zh"]) == ("identified", "待整改")
    assert view["root_cause_measures"] == [] and view["has_root_cause_measure"] is False
    assert view["rectified"] is False and view["rectified_at"] is None
    assert view["identified_at"] == START.isoformat()


def test_a_problem_at_an_enterprise_takes_its_sector_and_territory(world: World):
    problem_id = identify_problem(world, sector=None, enterprise_id=world.enterprise_id)
    view = world.app.risks.problem(problem_id)
    assert (view["sector"], view["jurisdiction"]) == ("hazardous_chemicals", "wulong")
    assert view["enterprise_id"] == str(world.enterprise_id)
    assert view["counts_for"] == ["yjj", "wulong"]


def test_a_street_identifies_a_problem_in_its_own_territory(world: World):
    problem_id = identify_problem(world, by=STREET_OFFICER, sector="self_built_housing", description="自建房违规改建经营")
    view = world.app.risks.problem(problem_id)
    assert (view["unit_id"], view["jurisdiction"]) == ("wulong", "wulong")
    assert view["counts_for"] == ["zjj", "wulong"]


def test_the_committee_office_may_name_the_unit_that_follows_up(world: World):
    problem_id = identify_problem(world, by=OFFICE, unit_id="yjj")
    assert world.app.risks.problem(problem_id)["unit_id"] == "yjj"


def test_a_department_may_not_attribute_a_problem_to_another_unit(world: World):
    world.refuse_new("outside_scope", lambda: identify_problem(world, unit_id="zjj"))


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"unit_id": "nowhere", "by": OFFICE}, "unknown_department"),
        ({"sector": "nowhere"}, "unknown_sector"),
        ({"sector": None}, "invalid_value"),
        ({"description": " "}, "invalid_value"),
        ({"jurisdiction": "atlantis"}, "unknown_jurisdiction"),
        ({"enterprise_id": uuid4()}, "enterprise_not_found"),
    ],
)
def test_invalid_identifications_are_refused(world: World, changes, code):
    world.refuse_new(code, lambda: identify_problem(world, **changes))


@pytest.mark.parametrize("actor", [AUDITOR, EXPERT], ids=lambda a: a.role.value)
def test_auditors_and_experts_do_not_identify_problems(world: World, actor):
    world.refuse_new("role_not_allowed", lambda: identify_problem(world, by=actor))


def test_an_enterprise_does_not_identify_outstanding_problems(world: World):
    world.refuse_new("role_not_allowed", lambda: identify_problem(world, by=world.principal))


@pytest.mark.parametrize(
    ("actor", "changes"),
    [
        (OTHER_DEPARTMENT, {}),
        (OTHER_STREET, {"enterprise_id": None, "jurisdiction": "wulong"}),
    ],
    ids=["department outside its sectors", "street outside its territory"],
)
def test_a_unit_outside_its_sectors_or_territory_is_refused(world: World, actor, changes):
    world.refuse_new("outside_scope", lambda: identify_problem(world, by=actor, **changes))


# ----- root-cause measures and rectification -----------------------------------------------------


def test_root_cause_measures_accumulate(world: World, problem: UUID):
    world.accept(problem, "RootCauseMeasureAdopted", lambda: adopt(world, problem, " 建立特殊作业电子审批 "))
    world.accept(problem, "RootCauseMeasureAdopted", lambda: adopt(world, problem, "纳入年度执法计划", by=INSPECTOR_2))
    view = world.app.risks.problem(problem)
    assert view["root_cause_measures"] == ["建立特殊作业电子审批", "纳入年度执法计划"]
    assert view["has_root_cause_measure"] is True
    assert view["state"] == "identified"


def test_rectifying_records_the_note_and_time(world: World, problem: UUID):
    adopt(world, problem)
    world.clock.advance(days=3)
    world.accept(problem, "ProblemRectified", lambda: rectify(world, problem))
    view = world.app.risks.problem(problem)
    assert (view["state"], view["state_zh"], view["rectified"]) == ("rectified", "已整改", True)
    assert view["rectified_at"] == (START + timedelta(days=3)).isoformat()
    assert view["rectification_note"] == "已完成整改并复查"


def test_a_problem_may_be_rectified_without_a_root_cause_measure(world: World, problem: UUID):
    # Annex 2 counts 其中：落实治本措施 and 已整改 separately, both of 梳理突出问题.
    rectify(world, problem)
    view = world.app.risks.problem(problem)
    assert view["rectified"] is True and view["has_root_cause_measure"] is False


def test_a_problem_is_rectified_once(world: World, problem: UUID):
    rectify(world, problem)
    error = refuse(world, problem, "problem_already_rectified", lambda: rectify(world, problem, "再次整改"))
    assert error.details["action_zh"] == "整改突出问题"


def test_no_measure_is_adopted_after_rectification(world: World, problem: UUID):
    rectify(world, problem)
    error = refuse(world, problem, "problem_already_rectified", lambda: adopt(world, problem))
    assert "落实治本措施" in error.message_zh


@pytest.mark.parametrize(
    "command",
    [lambda w, p: adopt(w, p, " "), lambda w, p: rectify(w, p, "")],
    ids=["blank measure", "blank note"],
)
def test_a_blank_measure_or_note_is_refused(world: World, problem: UUID, command):
    refuse(world, problem, "invalid_value", lambda: command(world, problem))


@pytest.mark.parametrize(
    ("actor", "code"),
    [(OTHER_DEPARTMENT, "outside_scope"), (AUDITOR, "role_not_allowed"), (EXPERT, "role_not_allowed")],
    ids=lambda v: getattr(v, "organisation_id", v),
)
def test_who_may_follow_up_a_problem(world: World, problem: UUID, actor, code: str):
    refuse(world, problem, code, lambda: adopt(world, problem, by=actor))
    refuse(world, problem, code, lambda: rectify(world, problem, by=actor))


def test_the_street_follows_up_a_problem_in_its_territory(world: World):
    problem_id = identify_problem(world, enterprise_id=world.enterprise_id)
    world.accept(problem_id, "RootCauseMeasureAdopted", lambda: adopt(world, problem_id, by=STREET_OFFICER))
    world.accept(problem_id, "ProblemRectified", lambda: rectify(world, problem_id, by=OFFICE))


def test_a_step_dated_before_the_identification_is_refused(world: World):
    problem_id = identify_problem(world, occurred_at=START - timedelta(days=1))
    refuse(world, problem_id, "occurred_out_of_order", lambda: rectify(world, problem_id, occurred_at=START - timedelta(days=2)))


def test_a_stale_expected_version_is_refused(world: World, problem: UUID):
    adopt(world, problem)
    refuse(world, problem, "version_conflict", lambda: rectify(world, problem, expected_version=1))


def test_an_unknown_problem_is_not_found(world: World):
    world.refuse_new("problem_not_found", lambda: world.app.risks.problem(uuid4()))
    world.refuse_new("problem_not_found", lambda: rectify(world, uuid4()))


def test_the_problem_reloads_from_its_events(world: World, problem: UUID):
    adopt(world, problem)
    rectify(world, problem)
    reloaded = world.app.repository.get(problem)
    assert isinstance(reloaded, OutstandingProblem)
    assert reloaded.rectified and reloaded.measures == ["建立特殊作业电子审批"]
    assert world.types(problem) == ["ProblemIdentified", "RootCauseMeasureAdopted", "ProblemRectified"]
