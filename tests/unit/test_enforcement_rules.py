"""The enforcement case (执法案件, DESIGN §3.3) and the plan's five enforcement rules, through the
application service ``Ledger`` on an in-memory store and a fixed clock.

Every refusal is checked with ``refuse``: the exact error code, and nothing appended anywhere — the
case's history and view, every cited hazard's history and the store's total are unchanged. Every
accepted case command is checked with ``accept``: exactly one event of its type on the case, and no
cited hazard touched (rule 4: a penalty never rectifies, closes or otherwise changes a hazard).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.utils import resolve_topic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.settings import RULE_VARIABLES, Settings
from domain.aggregate_base import LedgerAggregate, event_classes
from domain.business_time import CHINA_TZ
from domain.enforcement import CitedHazardFacts, EnforcementCase, case_id_for, closure_recommended, penalty_conflicts
from domain.errors import CATALOGUE, DomainError, ErrorKind
from domain.glossary import (
    ACTION_LABELS,
    EVENT_LABELS,
    BatchKind,
    CaseState,
    Grade,
    HazardState,
    LicenceAction,
    PenaltyTarget,
    Role,
)
from domain.publication import PublicationBatch
from domain.reference_data import LedgerRules, load_reference

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
    SYSTEM,
    World,
    credit_code,
    new_world,
)

LEGAL_BASIS = "《中华人民共和国安全生产法》第一百零二条"
PENALTY_BASIS = "《中华人民共和国安全生产法》第一百零二条、第九十五条"
_numbers = iter(range(1, 10**9))


def number(prefix: str = "呈应急罚") -> str:
    """A fresh document number (文号)."""
    return f"{prefix}〔2023〕{next(_numbers)}号"


# ===========================================================================================
# Builders
# ===========================================================================================


def exempt_major(world: World) -> UUID:
    """Rule 1's case: a major the enterprise found itself and reported to the regulator at once."""
    hazard_id = world.report(Grade.MAJOR)
    world.app.hazards.report_to_regulator(world.principal, hazard_id)
    return hazard_id


def late_major(world: World) -> UUID:
    """Self-found, but reported to the regulator after the configured hours."""
    hazard_id = world.report(Grade.MAJOR)
    world.clock.advance(hours=world.app.rules.report_to_regulator_hours + 1)
    world.app.hazards.report_to_regulator(world.principal, hazard_id)
    return hazard_id


def lapsed_major(world: World) -> UUID:
    """Self-found and reported in time, but its rectification deadline passed (still open)."""
    hazard_id = exempt_major(world)
    world.file_plan(hazard_id, days=3)
    world.clock.advance(days=5)  # the deadline passed in business time: nobody marks it
    return hazard_id


def department_major(world: World) -> UUID:
    """Found by a department inspection: never exempt."""
    return world.report(Grade.MAJOR, by=INSPECTOR)


def rectify(world: World, hazard_id: UUID, *, close: bool = False) -> None:
    """Drives a rectifying (or just reported) hazard to verified, or closed."""
    if world.state(hazard_id) == "reported":
        world.file_plan(hazard_id)
    if world.app.hazards.hazard(hazard_id)["overdue"]:
        world.app.hazards.extend_deadline(
            INSPECTOR, hazard_id, request_date=world.today(), reason="延期", new_deadline=world.days(10), approver="李局长"
        )
    world.complete(hazard_id)
    world.verify(hazard_id)
    if close:
        world.close(hazard_id)


def open_case(
    world: World,
    *hazards: UUID,
    accidents: tuple[UUID, ...] = (),
    by: Any = INSPECTOR,
    enterprise_id: UUID | None = None,
) -> UUID:
    return world.app.enforcement.open_case(
        by,
        enterprise_id=enterprise_id or world.enterprise_id,
        legal_basis=LEGAL_BASIS,
        case_number=number("呈应急立"),
        cited_hazard_ids=list(hazards),
        accident_ids=list(accidents),
    ).id


def penalise(world: World, case_id: UUID, target: str = "enterprise", fine: Any = 50_000, by: Any = INSPECTOR, **kw: Any):
    values: dict[str, Any] = {
        "target": target,
        "fine_yuan": fine,
        "decision_number": number(),
        "legal_basis": PENALTY_BASIS,
        "person_name": "刘安全员" if target == "person" else "",
    }
    values.update(kw)
    return world.app.enforcement.decide_penalty(by, case_id, **values)


def dual(
    world: World, case_id: UUID, enterprise_fine: Any = 100_000, principal_fine: Any = 20_000, by: Any = INSPECTOR, **kw: Any
):
    values: dict[str, Any] = {
        "enterprise_fine_yuan": enterprise_fine,
        "principal_fine_yuan": principal_fine,
        "decision_number": number(),
        "legal_basis": PENALTY_BASIS,
    }
    values.update(kw)
    return world.app.enforcement.impose_dual_penalty(by, case_id, **values)


def other_enterprise(world: World, sector: str = "transport", jurisdiction: str = "longcheng") -> UUID:
    return world.app.enterprises.register_enterprise(
        OFFICE,
        credit_code=credit_code("91530114MA6K0007X"),
        name="某运输公司",
        sector=sector,
        jurisdiction=jurisdiction,
        principal_name="钱总",
    ).id


# ===========================================================================================
# Outcomes
# ===========================================================================================


def _hazard_histories(world: World, case_id: UUID) -> dict[str, list[dict[str, Any]]]:
    return {h: world.app.history(UUID(h)) for h in world.app.enforcement.case(case_id)["cited_hazard_ids"]}


def accept(world: World, case_id: UUID, event_type: str, command: Callable[[], Any]) -> dict[str, Any]:
    """One event of ``event_type`` on the case, nothing on any cited hazard; returns its data."""
    hazards = _hazard_histories(world, case_id)
    world.accept(case_id, event_type, command)
    assert _hazard_histories(world, case_id) == hazards
    return world.last(case_id)["data"]


def refuse(world: World, case_id: UUID, code: str, command: Callable[[], Any]) -> DomainError:
    """Refused with ``code``; the case, its hazards and the store are exactly as before."""
    history = world.app.history(case_id)
    view = world.app.enforcement.case(case_id)
    hazards = _hazard_histories(world, case_id)
    total = world.total_events()
    with pytest.raises(DomainError) as info:
        command()
    assert info.value.code == code, f"expected {code}, got {info.value.code}: {info.value}"
    assert world.app.history(case_id) == history
    assert world.app.enforcement.case(case_id) == view
    assert _hazard_histories(world, case_id) == hazards
    assert world.total_events() == total
    return info.value


# ===========================================================================================
# Opening a case
# ===========================================================================================


def test_opening_a_case_records_the_enterprise_the_acting_unit_the_citations_and_the_legal_basis(world: World):
    hazard_id = department_major(world)
    accident = uuid4()
    receipt = world.app.enforcement.open_case(
        INSPECTOR,
        enterprise_id=world.enterprise_id,
        legal_basis=f"  {LEGAL_BASIS} ",
        case_number=" 呈应急立〔2023〕1号 ",
        cited_hazard_ids=[hazard_id],
        accident_ids=[accident],
    )
    assert receipt.version == 1 and receipt.id == case_id_for("呈应急立〔2023〕1号")
    opened = world.last(receipt.id)
    assert opened["type"] == "CaseOpened" and opened["label_zh"] == "立案"
    assert opened["data"] == {
        "enterprise_id": str(world.enterprise_id),
        "department": "yjj",
        "cited_hazard_ids": [str(hazard_id)],
        "accident_ids": [str(accident)],
        "legal_basis": LEGAL_BASIS,
        "case_number": "呈应急立〔2023〕1号",
    }
    view = world.app.enforcement.case(receipt.id)
    assert (view["state"], view["state_zh"], view["department_name"]) == ("open", "办理中", "区应急管理局")
    assert view["total_fines_yuan"] == 0 and view["penalties"] == []
    assert view["opened_by"]["user_id"] == "yjj-1"


@pytest.mark.parametrize(("actor", "department"), [(STREET_OFFICER, "wulong"), (OFFICE, "ajb"), (INSPECTOR_2, "yjj")])
def test_the_case_counts_for_the_unit_that_opened_it(world: World, actor, department):
    case_id = open_case(world, by=actor)
    assert world.app.enforcement.case(case_id)["department"] == department


def test_a_case_may_cite_nothing_or_a_closed_hazard(world: World):
    assert world.app.enforcement.case(open_case(world))["cited_hazard_ids"] == []
    closed = world.hazard_in(HazardState.CLOSED)
    assert world.app.enforcement.case(open_case(world, closed))["cited_hazard_ids"] == [str(closed)]


def test_the_same_case_number_cannot_be_opened_twice(world: World):
    world.app.enforcement.open_case(INSPECTOR, enterprise_id=world.enterprise_id, legal_basis=LEGAL_BASIS, case_number="呈应急立〔2023〕9号")
    error = world.refuse_new(
        "case_exists",
        lambda: world.app.enforcement.open_case(
            STREET_OFFICER, enterprise_id=world.enterprise_id, legal_basis=LEGAL_BASIS, case_number=" 呈应急立〔2023〕9号"
        ),
    )
    assert error.details["case_number"] == "呈应急立〔2023〕9号"
    assert error.kind is ErrorKind.CONFLICT


def test_cited_hazards_must_exist_be_of_the_enterprise_and_not_be_voided(world: World):
    other = other_enterprise(world)
    foreign = world.app.hazards.report_hazard(OFFICE, enterprise_id=other, grade=Grade.GENERAL, source="supervision", description="d").id
    voided = world.hazard_in(HazardState.VOIDED)
    mine = department_major(world)
    for cited in ([uuid4()], [foreign], [voided], [mine, mine]):
        error = world.refuse_new(
            "invalid_value",
            lambda cited=cited: world.app.enforcement.open_case(
                OFFICE, enterprise_id=world.enterprise_id, legal_basis=LEGAL_BASIS, case_number=number(), cited_hazard_ids=cited
            ),
        )
        assert error.details["field"] == "cited_hazard_ids"


def test_a_case_entered_late_may_cite_a_hazard_voided_after_the_case_s_business_time(world: World):
    """A case is judged by the hazard as of the case's date: voided later (recorded first) is no refusal."""
    opened_on = world.clock.now()
    hazard = world.report(Grade.GENERAL, occurred_at=opened_on - timedelta(hours=2))
    world.clock.advance(days=3)
    world.app.hazards.void_hazard(OFFICE, hazard, reason="重复登记")
    case = world.app.enforcement.open_case(
        OFFICE, enterprise_id=world.enterprise_id, legal_basis=LEGAL_BASIS, case_number=number(),
        cited_hazard_ids=[hazard], occurred_at=opened_on,
    ).id  # fmt: skip
    assert world.app.enforcement.case(case)["cited_hazard_ids"] == [str(hazard)]
    world.refuse_new(  # dated after the voiding: refused as before
        "invalid_value",
        lambda: world.app.enforcement.open_case(
            OFFICE, enterprise_id=world.enterprise_id, legal_basis=LEGAL_BASIS, case_number=number(), cited_hazard_ids=[hazard]
        ),
    )


def test_a_case_needs_its_number_and_legal_basis_and_no_accident_twice(world: World):
    accident = uuid4()
    for field, changes in (
        ("case_number", {"case_number": " "}),
        ("legal_basis", {"legal_basis": ""}),
        ("accident_ids", {"accident_ids": [accident, accident]}),
    ):
        values: dict[str, Any] = {"enterprise_id": world.enterprise_id, "legal_basis": LEGAL_BASIS, "case_number": number()}
        values.update(changes)
        error = world.refuse_new("invalid_value", lambda values=values: world.app.enforcement.open_case(INSPECTOR, **values))
        assert error.details["field"] == field


def test_an_unknown_enterprise_cannot_have_a_case(world: World):
    world.refuse_new("enterprise_not_found", lambda: open_case(world, enterprise_id=uuid4()))


@pytest.mark.parametrize(
    ("actor", "code"),
    [
        (OTHER_DEPARTMENT, "outside_scope"),
        (OTHER_STREET, "outside_scope"),
        (AUDITOR, "role_not_allowed"),
        (EXPERT, "role_not_allowed"),
        (SYSTEM, "role_not_allowed"),
    ],
    ids=["other-department", "other-street", "auditor", "expert", "system"],
)
def test_only_regulators_responsible_for_the_enterprise_open_cases(world: World, actor, code):
    world.refuse_new(code, lambda: open_case(world, by=actor))


def test_an_enterprise_cannot_open_a_case_against_itself(world: World):
    world.refuse_new("role_not_allowed", lambda: open_case(world, by=world.principal))


def test_an_unknown_case_is_not_found(world: World):
    with pytest.raises(DomainError) as info:
        penalise(world, uuid4())
    assert info.value.code == "case_not_found" and info.value.kind is ErrorKind.NOT_FOUND
    with pytest.raises(DomainError) as info:
        world.app.enforcement.case(world.enterprise_id)  # another kind of record is not a case
    assert info.value.code == "case_not_found"


# ===========================================================================================
# Every event's happy path
# ===========================================================================================


def test_a_penalty_on_the_enterprise_records_an_integer_fine_in_yuan(world: World):
    case_id = open_case(world, department_major(world))
    data = accept(
        world, case_id, "PenaltyDecided", lambda: penalise(world, case_id, fine=123_456, other_measures=" 没收违法所得 ")
    )
    assert data["target"] == "enterprise" and data["person_name"] == ""
    assert data["fine_yuan"] == 123_456 and type(data["fine_yuan"]) is int
    assert data["legal_basis"] == PENALTY_BASIS and data["other_measures"] == "没收违法所得"
    stored = list(world.app.repository.event_store.get(case_id))[-1]
    assert type(stored.fine_yuan) is int and stored.fine_yuan == 123_456
    view = world.app.enforcement.case(case_id)
    assert view["total_fines_yuan"] == 123_456 and view["penalty_decisions"] == 1 and view["dual_penalties"] == 0


def test_a_penalty_on_a_named_person_and_a_warning_with_no_fine(world: World):
    case_id = open_case(world, department_major(world))
    data = accept(world, case_id, "PenaltyDecided", lambda: penalise(world, case_id, "person", 8_000, person_name=" 刘安全员 "))
    assert (data["target"], data["person_name"], data["fine_yuan"]) == ("person", "刘安全员", 8_000)
    accept(world, case_id, "PenaltyDecided", lambda: penalise(world, case_id, fine=0, other_measures="警告"))
    assert world.app.enforcement.case(case_id)["total_fines_yuan"] == 8_000
    assert [p["target"] for p in world.app.enforcement.case(case_id)["penalties"]] == ["person", "enterprise"]


def test_a_dual_penalty_hits_the_enterprise_and_its_registered_principal_in_one_event(world: World):
    case_id = open_case(world, lapsed_major(world))
    data = accept(world, case_id, "DualPenaltyImposed", lambda: dual(world, case_id, 300_000, 45_000))
    assert data["principal_name"] == "张总"
    assert (data["enterprise_fine_yuan"], data["principal_fine_yuan"]) == (300_000, 45_000)
    view = world.app.enforcement.case(case_id)
    assert view["total_fines_yuan"] == 345_000 and view["dual_penalties"] == 1 and view["penalty_decisions"] == 1
    assert world.last(case_id)["label_zh"] == "一案双罚"


def test_a_dual_penalty_follows_a_change_of_principal_or_names_one(world: World):
    world.app.enterprises.change_principal(INSPECTOR, world.enterprise_id, "李新总")
    case_id = open_case(world)
    assert accept(world, case_id, "DualPenaltyImposed", lambda: dual(world, case_id))["principal_name"] == "李新总"
    data = accept(world, case_id, "DualPenaltyImposed", lambda: dual(world, case_id, 0, 0, principal_name="王实际控制人"))
    assert data["principal_name"] == "王实际控制人"


def test_a_suspension_is_ordered_and_lifted_once_the_cited_major_is_verified(world: World):
    hazard_id = department_major(world)
    case_id = open_case(world, hazard_id)
    data = accept(
        world,
        case_id,
        "SuspensionOrdered",
        lambda: world.app.enforcement.order_suspension(
            INSPECTOR, case_id, decision_number="呈应急停〔2023〕1号", reason="重大事故隐患未消除"
        ),
    )
    assert data == {"decision_number": "呈应急停〔2023〕1号", "reason": "重大事故隐患未消除"}
    assert world.app.enforcement.case(case_id)["suspended"] is True
    rectify(world, hazard_id)
    data = accept(
        world, case_id, "SuspensionLifted", lambda: world.app.enforcement.lift_suspension(INSPECTOR, case_id, opinion="复产验收合格")
    )
    assert data == {"opinion": "复产验收合格"}
    view = world.app.enforcement.case(case_id)
    assert view["suspended"] is False and view["suspensions_ordered"] == 1
    # A later breach may be suspended again.
    accept(
        world,
        case_id,
        "SuspensionOrdered",
        lambda: world.app.enforcement.order_suspension(INSPECTOR, case_id, decision_number="2", reason="再次"),
    )
    assert world.app.enforcement.case(case_id)["suspensions_ordered"] == 2


def test_a_suspension_lifts_with_general_hazards_still_open(world: World):
    general = world.report(Grade.GENERAL, by=INSPECTOR)
    closed = world.hazard_in(HazardState.CLOSED)
    case_id = open_case(world, general, closed)
    world.app.enforcement.order_suspension(INSPECTOR, case_id, decision_number="1", reason="r")
    accept(world, case_id, "SuspensionLifted", lambda: world.app.enforcement.lift_suspension(INSPECTOR, case_id, opinion="合格"))


def test_a_licence_is_suspended_then_revoked_and_a_revoked_licence_accepts_nothing_more(world: World):
    case_id = open_case(world)

    def act(action: Any, licence: str = "（云）WH安许证字〔2021〕0001号"):
        return lambda: world.app.enforcement.suspend_or_revoke_licence(
            INSPECTOR, case_id, action=action, licence_name="安全生产许可证", licence_number=licence, decision_number=number()
        )

    data = accept(world, case_id, "LicenceSuspendedOrRevoked", act(LicenceAction.SUSPEND))
    assert data["action"] == "suspend" and data["licence_name"] == "安全生产许可证"
    assert accept(world, case_id, "LicenceSuspendedOrRevoked", act("revoke"))["action"] == "revoke"
    error = refuse(world, case_id, "licence_revoked", act(LicenceAction.SUSPEND))
    assert "（云）WH安许证字〔2021〕0001号" in error.message_zh
    refuse(world, case_id, "licence_revoked", act(LicenceAction.REVOKE))
    accept(world, case_id, "LicenceSuspendedOrRevoked", act(LicenceAction.REVOKE, "危险化学品经营许可证 2"))
    assert [a["action"] for a in world.app.enforcement.case(case_id)["licence_actions"]] == ["suspend", "revoke", "revoke"]
    assert LicenceAction.REVOKE.zh == "吊销"


def test_closure_is_requested_then_ordered_and_then_the_principal_is_banned(world: World):
    case_id = open_case(world)
    data = accept(
        world,
        case_id,
        "ClosureRequested",
        lambda: world.app.enforcement.request_closure(INSPECTOR, case_id, government="呈贡区人民政府", reason="屡罚不改"),
    )
    assert data == {"government": "呈贡区人民政府", "reason": "屡罚不改"}
    data = accept(
        world,
        case_id,
        "ClosureOrdered",
        lambda: world.app.enforcement.order_closure(INSPECTOR, case_id, government="呈贡区人民政府", decision_number="呈政发〔2023〕3号"),
    )
    assert data == {"government": "呈贡区人民政府", "decision_number": "呈政发〔2023〕3号"}
    assert accept(world, case_id, "IndustryBanApplied", lambda: world.app.enforcement.apply_industry_ban(INSPECTOR, case_id, years=5)) == {
        "person_name": "张总",
        "years": 5,
    }
    lifelong = accept(
        world,
        case_id,
        "IndustryBanApplied",
        lambda: world.app.enforcement.apply_industry_ban(INSPECTOR, case_id, years=None, person_name="李副总"),
    )
    assert lifelong == {"person_name": "李副总", "years": None}
    view = world.app.enforcement.case(case_id)
    assert view["closure_requested"] and view["closure_ordered"]
    assert view["industry_bans"] == [{"person_name": "张总", "years": 5}, {"person_name": "李副总", "years": None}]


def test_persons_are_transferred_to_the_judiciary_for_the_dangerous_operations_crime(world: World):
    case_id = open_case(world, department_major(world))
    data = accept(
        world,
        case_id,
        "TransferredToJudiciary",
        lambda: world.app.enforcement.transfer_to_judiciary(
            INSPECTOR,
            case_id,
            persons=[" 张总 ", "刘安全员"],
            suspected_offence="危险作业罪（刑法第一百三十四条之一）",
            dangerous_operations_crime=True,
        ),
    )
    assert data == {
        "persons": ["张总", "刘安全员"],
        "suspected_offence": "危险作业罪（刑法第一百三十四条之一）",
        "dangerous_operations_crime": True,
    }
    accept(
        world,
        case_id,
        "TransferredToJudiciary",
        lambda: world.app.enforcement.transfer_to_judiciary(INSPECTOR, case_id, persons=["王某"], suspected_offence="重大责任事故罪"),
    )
    view = world.app.enforcement.case(case_id)
    assert view["persons_transferred"] == ["张总", "刘安全员", "王某"] and view["dangerous_operations_crime"] is True


def test_joint_punishment_interview_exposure_and_typical_case_are_each_on_record(world: World):
    case_id = open_case(world, department_major(world))
    assert accept(
        world,
        case_id,
        "JointPunishmentApplied",
        lambda: world.app.enforcement.apply_joint_punishment(INSPECTOR, case_id, measures=["纳入失信名单", " 限制政府采购 "]),
    ) == {"measures": ["纳入失信名单", "限制政府采购"]}
    assert accept(
        world,
        case_id,
        "EnterpriseInterviewed",
        lambda: world.app.enforcement.interview_enterprise(OFFICE, case_id, interviewer="区安委办副主任", note="限期整改"),
    ) == {"interviewer": "区安委办副主任", "note": "限期整改"}
    assert accept(
        world,
        case_id,
        "CaseExposed",
        lambda: world.app.enforcement.expose_case(INSPECTOR, case_id, channel="呈贡区人民政府网", title="曝光一批"),
    ) == {"channel": "呈贡区人民政府网", "title": "曝光一批"}
    assert accept(
        world,
        case_id,
        "CasePublishedAsTypical",
        lambda: world.app.enforcement.publish_as_typical(INSPECTOR, case_id, title="某化工公司危险作业案", dangerous_operations_crime=True),
    ) == {"title": "某化工公司危险作业案", "dangerous_operations_crime": True}
    view = world.app.enforcement.case(case_id)
    assert (view["joint_punishments"], view["interviews"], view["exposures"]) == (1, 1, 1)
    assert view["published_as_typical"] and view["typical_dangerous_operations_crime"]
    refuse(world, case_id, "already_published", lambda: world.app.enforcement.publish_as_typical(INSPECTOR, case_id, title="again"))


def test_a_case_closes_when_its_hazards_are_rectified(world: World):
    hazard_id = department_major(world)
    case_id = open_case(world, hazard_id)
    penalise(world, case_id)
    rectify(world, hazard_id)
    data = accept(world, case_id, "CaseClosed", lambda: world.app.enforcement.close_case(INSPECTOR, case_id, reason="处罚已执行，隐患已整改"))
    assert data == {"reason": "处罚已执行，隐患已整改", "open_hazards_reason": "", "open_hazard_ids": []}
    view = world.app.enforcement.case(case_id)
    assert (view["state"], view["state_zh"], view["close_reason"]) == ("closed", "已结案", "处罚已执行，隐患已整改")
    assert view["closed_at"] == world.clock.now().isoformat()


# ===========================================================================================
# Bad input
# ===========================================================================================


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"fine": -1}, "fine_yuan"),
        ({"fine": 1000.0}, "fine_yuan"),
        ({"fine": 0.5}, "fine_yuan"),
        ({"fine": True}, "fine_yuan"),
        ({"fine": "1000"}, "fine_yuan"),
        ({"target": "principal"}, "target"),
        ({"target": "person", "person_name": " "}, "person_name"),
        ({"target": "enterprise", "person_name": "张总"}, "person_name"),
        ({"decision_number": " "}, "decision_number"),
        ({"legal_basis": ""}, "legal_basis"),
    ],
    ids=["negative", "float", "fraction", "bool", "text", "target", "no-person", "person-on-enterprise", "number", "basis"],
)
def test_a_bad_penalty_is_refused_as_invalid(world: World, changes: dict[str, Any], field: str):
    case_id = open_case(world, department_major(world))
    error = refuse(world, case_id, "invalid_value", lambda: penalise(world, case_id, **changes))
    assert error.details["field"] == field and error.kind is ErrorKind.INVALID


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"enterprise_fine": -100}, "enterprise_fine_yuan"),
        ({"principal_fine": -1}, "principal_fine_yuan"),
        ({"enterprise_fine": 10.5}, "enterprise_fine_yuan"),
        ({"principal_fine": 2e4}, "principal_fine_yuan"),
        ({"principal_name": "  "}, "principal_name"),
        ({"decision_number": ""}, "decision_number"),
        ({"legal_basis": " "}, "legal_basis"),
    ],
)
def test_a_bad_dual_penalty_is_refused_as_invalid(world: World, changes: dict[str, Any], field: str):
    case_id = open_case(world, lapsed_major(world))
    error = refuse(world, case_id, "invalid_value", lambda: dual(world, case_id, **changes))
    assert error.details["field"] == field


def test_a_decision_number_is_used_once_per_case(world: World):
    case_id = open_case(world)
    penalise(world, case_id, decision_number="呈应急罚〔2023〕77号")
    refuse(world, case_id, "duplicate_decision_number", lambda: penalise(world, case_id, decision_number=" 呈应急罚〔2023〕77号"))
    refuse(world, case_id, "duplicate_decision_number", lambda: dual(world, case_id, decision_number="呈应急罚〔2023〕77号"))


@pytest.mark.parametrize(
    ("persons", "offence"),
    [([], "危险作业罪"), (["张总", " "], "危险作业罪"), (["张总", "张总"], "危险作业罪"), (["张总"], " ")],
    ids=["no-persons", "blank-person", "twice", "no-offence"],
)
def test_a_transfer_names_persons_and_the_offence(world: World, persons, offence):
    case_id = open_case(world)
    refuse(
        world,
        case_id,
        "invalid_value",
        lambda: world.app.enforcement.transfer_to_judiciary(INSPECTOR, case_id, persons=persons, suspected_offence=offence),
    )


@pytest.mark.parametrize("years", [0, -3, 2.5, True])
def test_an_industry_ban_lasts_whole_years_or_for_life(world: World, years):
    case_id = open_case(world)
    world.app.enforcement.request_closure(INSPECTOR, case_id, government="区政府", reason="r")
    world.app.enforcement.order_closure(INSPECTOR, case_id, government="区政府", decision_number="1")
    error = refuse(world, case_id, "invalid_value", lambda: world.app.enforcement.apply_industry_ban(INSPECTOR, case_id, years=years))
    assert error.details["field"] == "years"
    refuse(world, case_id, "invalid_value", lambda: world.app.enforcement.apply_industry_ban(INSPECTOR, case_id, years=5, person_name=" "))


def test_required_texts_of_the_other_decisions(world: World):
    case_id = open_case(world)
    app = world.app

    def licence(**changes: str) -> Any:
        values = {"action": "suspend", "licence_name": "证", "licence_number": "1", "decision_number": "1", **changes}
        return app.enforcement.suspend_or_revoke_licence(INSPECTOR, case_id, **values)

    for field, command in (
        ("decision_number", lambda: app.enforcement.order_suspension(INSPECTOR, case_id, decision_number=" ", reason="r")),
        ("reason", lambda: app.enforcement.order_suspension(INSPECTOR, case_id, decision_number="1", reason="")),
        ("action", lambda: licence(action="cancel")),
        ("licence_name", lambda: licence(licence_name="")),
        ("licence_number", lambda: licence(licence_number=" ")),
        ("decision_number", lambda: licence(decision_number="")),
        ("government", lambda: app.enforcement.request_closure(INSPECTOR, case_id, government=" ", reason="r")),
        ("reason", lambda: app.enforcement.request_closure(INSPECTOR, case_id, government="区政府", reason=" ")),
        ("measures", lambda: app.enforcement.apply_joint_punishment(INSPECTOR, case_id, measures=[])),
        ("measures", lambda: app.enforcement.apply_joint_punishment(INSPECTOR, case_id, measures=["a", " "])),
        ("interviewer", lambda: app.enforcement.interview_enterprise(INSPECTOR, case_id, interviewer=" ")),
        ("channel", lambda: app.enforcement.expose_case(INSPECTOR, case_id, channel="", title="t")),
        ("title", lambda: app.enforcement.expose_case(INSPECTOR, case_id, channel="c", title=" ")),
        ("title", lambda: app.enforcement.publish_as_typical(INSPECTOR, case_id, title=" ")),
        ("reason", lambda: app.enforcement.close_case(INSPECTOR, case_id, reason=" ")),
    ):  # fmt: skip
        assert refuse(world, case_id, "invalid_value", command).details["field"] == field
    world.app.enforcement.request_closure(INSPECTOR, case_id, government="区政府", reason="r")
    for field, command in (
        ("government", lambda: app.enforcement.order_closure(INSPECTOR, case_id, government="", decision_number="1")),
        ("decision_number", lambda: app.enforcement.order_closure(INSPECTOR, case_id, government="区政府", decision_number=" ")),
    ):
        assert refuse(world, case_id, "invalid_value", command).details["field"] == field


# ===========================================================================================
# Order of decisions
# ===========================================================================================


def test_a_suspension_cannot_be_ordered_twice_nor_lifted_when_never_ordered(world: World):
    case_id = open_case(world)
    refuse(world, case_id, "no_suspension", lambda: world.app.enforcement.lift_suspension(INSPECTOR, case_id, opinion="合格"))
    world.app.enforcement.order_suspension(INSPECTOR, case_id, decision_number="1", reason="r")
    refuse(
        world,
        case_id,
        "already_suspended",
        lambda: world.app.enforcement.order_suspension(INSPECTOR, case_id, decision_number="2", reason="r"),
    )
    world.app.enforcement.lift_suspension(INSPECTOR, case_id, opinion="合格")
    refuse(world, case_id, "no_suspension", lambda: world.app.enforcement.lift_suspension(INSPECTOR, case_id, opinion="合格"))
    refuse(
        world, case_id, "invalid_value", lambda: world.app.enforcement.order_suspension(INSPECTOR, case_id, decision_number="3", reason=" ")
    )


@pytest.mark.parametrize("state", [HazardState.REPORTED, HazardState.RECTIFYING, HazardState.PENDING_VERIFICATION])
def test_a_suspension_is_not_lifted_while_a_cited_major_is_unrectified(world: World, state: HazardState):
    unverified = world.hazard_in(state)
    verified = world.hazard_in(HazardState.VERIFIED)
    case_id = open_case(world, verified, unverified)
    world.app.enforcement.order_suspension(INSPECTOR, case_id, decision_number="1", reason="r")
    error = refuse(
        world, case_id, "cited_majors_unverified", lambda: world.app.enforcement.lift_suspension(INSPECTOR, case_id, opinion="合格")
    )
    assert error.details["hazard_ids"] == str(unverified)
    assert world.state(unverified) == state.value  # the refusal did not touch it either


def test_closure_must_be_requested_before_it_is_ordered_and_ordered_before_a_ban(world: World):
    case_id = open_case(world)
    refuse(
        world,
        case_id,
        "closure_not_requested",
        lambda: world.app.enforcement.order_closure(INSPECTOR, case_id, government="区政府", decision_number="1"),
    )
    refuse(world, case_id, "closure_not_ordered", lambda: world.app.enforcement.apply_industry_ban(INSPECTOR, case_id, years=5))
    world.app.enforcement.request_closure(INSPECTOR, case_id, government="区政府", reason="r")
    refuse(
        world,
        case_id,
        "closure_already_requested",
        lambda: world.app.enforcement.request_closure(INSPECTOR, case_id, government="区政府", reason="r"),
    )
    refuse(world, case_id, "closure_not_ordered", lambda: world.app.enforcement.apply_industry_ban(INSPECTOR, case_id, years=5))
    world.app.enforcement.order_closure(INSPECTOR, case_id, government="区政府", decision_number="1")
    refuse(
        world,
        case_id,
        "closure_already_ordered",
        lambda: world.app.enforcement.order_closure(INSPECTOR, case_id, government="区政府", decision_number="2"),
    )
    accept(world, case_id, "IndustryBanApplied", lambda: world.app.enforcement.apply_industry_ban(INSPECTOR, case_id, years=10))


def test_a_case_event_cannot_predate_the_previous_one(world: World):
    case_id = open_case(world)
    refuse(world, case_id, "occurred_out_of_order", lambda: penalise(world, case_id, occurred_at=START - timedelta(minutes=1)))
    accept(world, case_id, "PenaltyDecided", lambda: penalise(world, case_id, occurred_at=START))


def test_a_stale_version_is_refused(world: World):
    case_id = open_case(world)
    refuse(world, case_id, "version_conflict", lambda: penalise(world, case_id, expected_version=2))
    accept(world, case_id, "PenaltyDecided", lambda: penalise(world, case_id, expected_version=1))


def test_a_business_time_in_the_future_is_refused(world: World):
    case_id = open_case(world)
    refuse(world, case_id, "occurred_in_future", lambda: penalise(world, case_id, occurred_at=START + timedelta(minutes=1)))


# ===========================================================================================
# Access
# ===========================================================================================


def test_the_territory_and_the_committee_office_act_on_a_departments_case(world: World):
    case_id = open_case(world, department_major(world))
    accept(world, case_id, "PenaltyDecided", lambda: penalise(world, case_id, by=STREET_OFFICER))
    accept(world, case_id, "PenaltyDecided", lambda: penalise(world, case_id, by=OFFICE))
    accept(world, case_id, "PenaltyDecided", lambda: penalise(world, case_id, by=INSPECTOR_2))


def test_a_department_that_opened_a_case_may_act_on_it(world: World):
    # The committee office opens a case of a transport enterprise; the transport bureau leads that
    # row, so it may act; the emergency bureau (hazardous chemicals) may not.
    other = other_enterprise(world)
    case_id = open_case(world, enterprise_id=other, by=OFFICE)
    accept(world, case_id, "PenaltyDecided", lambda: penalise(world, case_id, by=OTHER_DEPARTMENT))
    refuse(world, case_id, "outside_scope", lambda: penalise(world, case_id, by=INSPECTOR))


@pytest.mark.parametrize(
    ("actor", "code"),
    [
        (OTHER_DEPARTMENT, "outside_scope"),
        (OTHER_STREET, "outside_scope"),
        (AUDITOR, "role_not_allowed"),
        (EXPERT, "role_not_allowed"),
    ],
    ids=["other-department", "other-street", "auditor", "expert"],
)
def test_others_may_not_decide_on_a_case(world: World, actor, code):
    case_id = open_case(world, department_major(world))
    refuse(world, case_id, code, lambda: penalise(world, case_id, by=actor))
    refuse(world, case_id, code, lambda: dual(world, case_id, by=actor))
    refuse(world, case_id, code, lambda: world.app.enforcement.close_case(actor, case_id, reason="r", open_hazards_reason="r"))


def test_an_enterprise_may_not_act_on_its_own_case(world: World):
    case_id = open_case(world)
    error = refuse(world, case_id, "role_not_allowed", lambda: world.app.enforcement.close_case(world.principal, case_id, reason="r"))
    assert error.details["action_zh"] == "结案"
    refuse(world, case_id, "role_not_allowed", lambda: world.app.enforcement.recommend_closure(world.staff, case_id, hazard_id=uuid4()))


def test_every_enforcement_action_has_roles_and_a_chinese_label():
    from domain.access import ACTION_ROLES

    actions = [
        "open_case", "decide_penalty", "impose_dual_penalty", "order_suspension", "lift_suspension",
        "suspend_or_revoke_licence", "request_closure", "order_closure", "apply_industry_ban",
        "transfer_to_judiciary", "apply_joint_punishment", "interview_enterprise", "expose_case",
        "publish_as_typical", "recommend_closure", "close_case", "publish_batch",
    ]  # fmt: skip
    for action in actions:
        assert ACTION_LABELS[action].strip() and ACTION_ROLES[action]
        assert not ACTION_ROLES[action] & {Role.AUDITOR, Role.PRINCIPAL, Role.ENTERPRISE_STAFF, Role.EXPERT}
    assert ACTION_ROLES["publish_batch"] == {Role.COMMITTEE_OFFICE, Role.INSPECTOR}
    # the detector's recommendation is derived (domain/process_rules.closure_due); only a person records one
    assert Role.SYSTEM not in ACTION_ROLES["recommend_closure"] and Role.SYSTEM not in ACTION_ROLES["close_case"]


# ===========================================================================================
# Nothing is accepted on a closed case
# ===========================================================================================

CASE_COMMANDS: dict[str, Callable[[World, UUID], Any]] = {
    "decide_penalty": lambda w, c: penalise(w, c),
    "impose_dual_penalty": lambda w, c: dual(w, c),
    "order_suspension": lambda w, c: w.app.enforcement.order_suspension(INSPECTOR, c, decision_number="1", reason="r"),
    "lift_suspension": lambda w, c: w.app.enforcement.lift_suspension(INSPECTOR, c, opinion="o"),
    "suspend_or_revoke_licence": lambda w, c: w.app.enforcement.suspend_or_revoke_licence(
        INSPECTOR, c, action="suspend", licence_name="证", licence_number="1", decision_number="1"
    ),
    "request_closure": lambda w, c: w.app.enforcement.request_closure(INSPECTOR, c, government="区政府", reason="r"),
    "order_closure": lambda w, c: w.app.enforcement.order_closure(INSPECTOR, c, government="区政府", decision_number="1"),
    "apply_industry_ban": lambda w, c: w.app.enforcement.apply_industry_ban(INSPECTOR, c, years=5),
    "transfer_to_judiciary": lambda w, c: w.app.enforcement.transfer_to_judiciary(
        INSPECTOR, c, persons=["张总"], suspected_offence="危险作业罪"
    ),
    "apply_joint_punishment": lambda w, c: w.app.enforcement.apply_joint_punishment(INSPECTOR, c, measures=["m"]),
    "interview_enterprise": lambda w, c: w.app.enforcement.interview_enterprise(INSPECTOR, c, interviewer="i"),
    "expose_case": lambda w, c: w.app.enforcement.expose_case(INSPECTOR, c, channel="c", title="t"),
    "publish_as_typical": lambda w, c: w.app.enforcement.publish_as_typical(INSPECTOR, c, title="t"),
    "recommend_closure": lambda w, c: w.app.enforcement.recommend_closure(OFFICE, c, hazard_id=UUID(w.app.enforcement.case(c)["cited_hazard_ids"][0])),
    "close_case": lambda w, c: w.app.enforcement.close_case(INSPECTOR, c, reason="r"),
}


PUBLICATION_COMMANDS = ("expose_case", "publish_as_typical")


@pytest.mark.parametrize("command", [c for c in CASE_COMMANDS if c not in PUBLICATION_COMMANDS])
def test_a_closed_case_accepts_nothing_but_publication(world: World, command: str):
    hazard_id = world.hazard_in(HazardState.CLOSED)
    case_id = open_case(world, hazard_id)
    world.app.enforcement.close_case(INSPECTOR, case_id, reason="结案")
    error = refuse(world, case_id, "case_closed", lambda: CASE_COMMANDS[command](world, case_id))
    assert error.kind is ErrorKind.CONFLICT and "已结案" in error.message_zh


@pytest.mark.parametrize("command", PUBLICATION_COMMANDS)
def test_a_closed_case_can_still_be_exposed_and_published_as_typical(world: World, command: str):
    case_id = open_case(world, world.hazard_in(HazardState.CLOSED))
    world.app.enforcement.close_case(INSPECTOR, case_id, reason="结案")
    before = len(world.app.history(case_id))
    CASE_COMMANDS[command](world, case_id)
    assert len(world.app.history(case_id)) == before + 1


def test_a_closed_case_is_reported_closed_before_the_records_a_command_names_are_read(world: World):
    case_id = open_case(world, world.hazard_in(HazardState.CLOSED))
    world.app.enforcement.close_case(INSPECTOR, case_id, reason="结案")
    refuse(
        world,
        case_id,
        "case_closed",
        lambda: world.app.enforcement.recommend_closure(OFFICE, case_id, hazard_id=uuid4(), other_case_ids=[uuid4()]),
    )


# ===========================================================================================
# Rule 1: the self-report exemption (依法不予行政处罚)
# ===========================================================================================


def test_rule1_a_self_found_major_reported_in_time_cannot_ground_a_penalty(world: World):
    hazard_id = exempt_major(world)
    case_id = open_case(world, hazard_id)
    error = refuse(world, case_id, "penalty_exempt", lambda: penalise(world, case_id))
    assert str(hazard_id) in error.message_en and "依法不予行政处罚" in error.message_zh
    refuse(world, case_id, "penalty_exempt", lambda: penalise(world, case_id, "person", 1_000))
    refuse(world, case_id, "penalty_exempt", lambda: penalise(world, case_id, fine=0))
    refuse(world, case_id, "penalty_exempt", lambda: dual(world, case_id))


def test_rule1_the_exemption_holds_while_rectifying_and_after_verification(world: World):
    rectifying = exempt_major(world)
    world.file_plan(rectifying)
    verified = exempt_major(world)
    rectify(world, verified, close=True)
    case_id = open_case(world, rectifying, verified)
    refuse(world, case_id, "penalty_exempt", lambda: penalise(world, case_id))


def test_rule1_several_exempt_majors_are_still_exempt(world: World):
    case_id = open_case(world, exempt_major(world), exempt_major(world))
    refuse(world, case_id, "penalty_exempt", lambda: dual(world, case_id))


def test_rule1_the_exemption_is_configured_in_hours(world: World):
    hazard_id = world.report(Grade.MAJOR)
    world.clock.advance(hours=world.app.rules.report_to_regulator_hours)  # exactly at the limit: in time
    world.app.hazards.report_to_regulator(world.principal, hazard_id)
    case_id = open_case(world, hazard_id)
    refuse(world, case_id, "penalty_exempt", lambda: penalise(world, case_id))


@pytest.mark.parametrize(
    "ground",
    ["late_report", "never_reported", "department_found", "general", "lapsed_then_rectified"],
)
def test_rule1_no_exemption_for_a_major_reported_late_unreported_not_self_found_general_or_lapsed(world: World, ground: str):
    if ground == "late_report":
        hazard_id = late_major(world)
    elif ground == "never_reported":
        hazard_id = world.report(Grade.MAJOR)
    elif ground == "department_found":
        hazard_id = department_major(world)
    elif ground == "general":
        hazard_id = world.report(Grade.GENERAL)
    else:
        hazard_id = lapsed_major(world)
        rectify(world, hazard_id)
    hazard = world.app.repository.get(hazard_id)
    assert hazard.self_report_exempt(world.app.rules.report_to_regulator_hours, world.clock.now()) is False
    case_id = open_case(world, hazard_id)
    accept(world, case_id, "PenaltyDecided", lambda: penalise(world, case_id))


def test_rule1_a_lapsed_rectification_loses_the_exemption_and_then_needs_a_dual_penalty(world: World):
    case_id = open_case(world, lapsed_major(world))
    refuse(world, case_id, "dual_penalty_required", lambda: penalise(world, case_id))
    accept(world, case_id, "DualPenaltyImposed", lambda: dual(world, case_id))


def test_rule1_one_cited_hazard_that_is_not_exempt_allows_the_penalty(world: World):
    case_id = open_case(world, exempt_major(world), department_major(world))
    accept(world, case_id, "PenaltyDecided", lambda: penalise(world, case_id))
    case_id = open_case(world, exempt_major(world), world.report(Grade.GENERAL))
    accept(world, case_id, "PenaltyDecided", lambda: penalise(world, case_id))


def test_rule1_a_case_citing_an_accident_is_never_exempt(world: World):
    case_id = open_case(world, exempt_major(world), accidents=(uuid4(),))
    refuse(world, case_id, "dual_penalty_required", lambda: penalise(world, case_id))  # rule 2, not rule 1
    accept(world, case_id, "DualPenaltyImposed", lambda: dual(world, case_id))


def test_rule1_a_case_citing_no_hazard_and_no_accident_may_be_penalised(world: World):
    case_id = open_case(world)
    accept(world, case_id, "PenaltyDecided", lambda: penalise(world, case_id))
    accept(world, case_id, "DualPenaltyImposed", lambda: dual(world, case_id))


def test_rule1_the_exemption_is_read_when_the_penalty_is_decided(world: World):
    # Exempt when the case opens; the deadline then passes in business time: the exemption is lost,
    # and the lapsed open major asks for a dual penalty.
    hazard_id = exempt_major(world)
    world.file_plan(hazard_id, days=3)
    case_id = open_case(world, hazard_id)
    refuse(world, case_id, "penalty_exempt", lambda: penalise(world, case_id))
    world.clock.advance(days=5)
    refuse(world, case_id, "dual_penalty_required", lambda: penalise(world, case_id))
    accept(world, case_id, "DualPenaltyImposed", lambda: dual(world, case_id))


def conflicts(world: World, case_id: UUID) -> list[tuple[str, str]]:
    """The case's recorded decisions that rules 1 and 2 refuse, judged with everything known."""
    case = world.app.repository.get(case_id)
    hazards = [world.app.repository.get(h) for h in case.cited_hazard_ids]
    found = penalty_conflicts(
        case.decisions, bool(case.accident_ids), lambda at: [CitedHazardFacts.of(h, world.app.rules, at) for h in hazards]
    )
    return [(c.decision.decision_number, c.error.code) for c in found]


def test_rule1_a_penalty_dated_before_the_deadline_passed_is_judged_on_the_unlapsed_hazard(world: World):
    # Entered twenty days late, when the deadline has long passed: the decision's business time decides.
    hazard_id = exempt_major(world)
    world.file_plan(hazard_id, days=3)  # due 4 June
    case_id = open_case(world, hazard_id)
    world.clock.advance(days=20)
    before_deadline = START + timedelta(days=2)  # 3 June 10:00
    on_deadline_day = datetime(2023, 6, 4, 23, 59, tzinfo=CHINA_TZ)
    hazard = world.app.repository.get(hazard_id)
    assert hazard.status_at(world.clock.now()).lapsed is True
    assert CitedHazardFacts.of(hazard, world.app.rules, before_deadline).rectification_lapsed is False
    assert CitedHazardFacts.of(hazard, world.app.rules, before_deadline).self_report_exempt is True
    assert CitedHazardFacts.of(hazard, world.app.rules, on_deadline_day).self_report_exempt is True
    # decided today, the lapsed major asks for the dual penalty
    refuse(world, case_id, "dual_penalty_required", lambda: penalise(world, case_id))
    # decided on earlier days: history the ledger holds, each judged as of its day in the conflict list
    accept(world, case_id, "PenaltyDecided", lambda: penalise(world, case_id, occurred_at=before_deadline, decision_number="D1"))
    assert conflicts(world, case_id) == [("D1", "penalty_exempt")]
    after = datetime(2023, 6, 5, 0, 0, tzinfo=CHINA_TZ)  # the deadline passed: no exemption, a dual penalty
    accept(world, case_id, "PenaltyDecided", lambda: penalise(world, case_id, occurred_at=after, decision_number="D2"))
    assert conflicts(world, case_id) == [("D1", "penalty_exempt"), ("D2", "dual_penalty_required")]
    accept(world, case_id, "DualPenaltyImposed", lambda: dual(world, case_id, occurred_at=after, decision_number="D3"))
    accept(world, case_id, "PenaltyDecided", lambda: penalise(world, case_id, occurred_at=after, decision_number="D4"))
    # a dual penalty of the same moment counts as imposed; D4 follows it; D2 was decided before it
    assert conflicts(world, case_id) == [("D1", "penalty_exempt")]


def test_rule2_a_single_penalty_dated_before_the_deadline_passed_is_accepted_when_entered_late(world: World):
    hazard_id = department_major(world)  # never exempt
    world.file_plan(hazard_id, days=3)  # due 4 June
    case_id = open_case(world, hazard_id)
    world.clock.advance(days=30)
    refuse(world, case_id, "dual_penalty_required", lambda: penalise(world, case_id))
    data = accept(world, case_id, "PenaltyDecided", lambda: penalise(world, case_id, occurred_at=START + timedelta(days=3)))
    assert data["target"] == "enterprise"
    assert conflicts(world, case_id) == []
    # the next one, dated after the deadline passed, needed the dual penalty: accepted, listed
    accept(world, case_id, "PenaltyDecided", lambda: penalise(world, case_id, occurred_at=START + timedelta(days=4), decision_number="L"))
    assert conflicts(world, case_id) == [("L", "dual_penalty_required")]


def test_rule2_the_accident_rule_refuses_a_back_dated_single_penalty(world: World):
    # a case citing an accident is the case's own fact, not derived: it refuses whenever it is entered
    case_id = open_case(world, exempt_major(world), accidents=(uuid4(),))
    world.clock.advance(days=10)
    refuse(world, case_id, "dual_penalty_required", lambda: penalise(world, case_id, occurred_at=START + timedelta(days=1)))


def test_rule1_a_late_completion_dated_in_time_restores_the_exemption(world: World):
    # The penalty is judged on the hazard as it stood, with every act known when it is decided.
    hazard_id = exempt_major(world)
    world.file_plan(hazard_id, days=3)  # due 4 June
    case_id = open_case(world, hazard_id)
    world.clock.advance(days=10)
    refuse(world, case_id, "dual_penalty_required", lambda: penalise(world, case_id))
    world.app.hazards.complete_rectification(world.staff, hazard_id, note="已更换", occurred_at=START + timedelta(days=3))
    refuse(world, case_id, "penalty_exempt", lambda: penalise(world, case_id))


def test_rule3_the_system_actor_may_not_recommend_closure(world: World):
    hazard_id = department_major(world)
    first, second = _two_penalised_cases(world, hazard_id)
    world.clock.advance(days=120)
    error = refuse(
        world,
        second,
        "role_not_allowed",
        lambda: world.app.enforcement.recommend_closure(SYSTEM, second, hazard_id=hazard_id, other_case_ids=[first]),
    )
    assert error.details["role"] == "system"


# ===========================================================================================
# Rule 2: dual penalty (一案双罚)
# ===========================================================================================


def test_rule2_an_open_major_whose_rectification_lapsed_needs_a_dual_penalty(world: World):
    hazard_id = lapsed_major(world)
    case_id = open_case(world, hazard_id, department_major(world))
    error = refuse(world, case_id, "dual_penalty_required", lambda: penalise(world, case_id))
    assert str(hazard_id) in error.message_zh and "一案双罚" in error.message_zh
    refuse(world, case_id, "dual_penalty_required", lambda: penalise(world, case_id, "person", 5_000))
    accept(world, case_id, "DualPenaltyImposed", lambda: dual(world, case_id))


def test_rule2_an_accident_needs_a_dual_penalty(world: World):
    case_id = open_case(world, accidents=(uuid4(),))
    error = refuse(world, case_id, "dual_penalty_required", lambda: penalise(world, case_id))
    assert "生产安全事故" in error.message_zh
    accept(world, case_id, "DualPenaltyImposed", lambda: dual(world, case_id, 0, 0))


def test_rule2_after_the_dual_penalty_further_single_decisions_are_accepted(world: World):
    case_id = open_case(world, lapsed_major(world), accidents=(uuid4(),))
    dual(world, case_id)
    accept(world, case_id, "PenaltyDecided", lambda: penalise(world, case_id, "person", 3_000, person_name="刘安全员"))


@pytest.mark.parametrize("close", [False, True], ids=["verified", "closed"])
def test_rule2_a_lapsed_major_that_was_rectified_since_is_penalised_singly(world: World, close: bool):
    hazard_id = lapsed_major(world)
    rectify(world, hazard_id, close=close)
    case_id = open_case(world, hazard_id)
    accept(world, case_id, "PenaltyDecided", lambda: penalise(world, case_id))


def test_rule2_an_overdue_general_hazard_does_not_need_a_dual_penalty(world: World):
    hazard_id = world.report(Grade.GENERAL, by=INSPECTOR)
    world.file_plan(hazard_id, days=1)
    world.clock.advance(days=3)
    assert world.app.hazards.hazard(hazard_id)["overdue"] is True
    case_id = open_case(world, hazard_id)
    accept(world, case_id, "PenaltyDecided", lambda: penalise(world, case_id))


def test_rule2_an_open_major_not_lapsed_is_penalised_singly(world: World):
    hazard_id = department_major(world)
    world.file_plan(hazard_id)
    case_id = open_case(world, hazard_id)
    accept(world, case_id, "PenaltyDecided", lambda: penalise(world, case_id))


# ===========================================================================================
# Rule 3: repeat offenders (长期存在并多次受到处罚 → 提请关闭)
# ===========================================================================================


def test_rule3_the_thresholds_are_inclusive_and_configurable():
    rules = LedgerRules()
    assert (rules.repeat_offender_open_days, rules.repeat_offender_penalties) == (90, 2)
    assert closure_recommended(90, 2, rules) is True
    assert closure_recommended(89, 2, rules) is False
    assert closure_recommended(90, 1, rules) is False
    assert closure_recommended(365, 10, rules) is True
    strict = LedgerRules(repeat_offender_open_days=30, repeat_offender_penalties=3)
    assert (
        closure_recommended(30, 3, strict) and not closure_recommended(30, 2, strict) and not closure_recommended(29, 3, strict)
    )


def test_rule3_the_thresholds_are_district_configuration_with_environment_overrides():
    assert load_reference().rules.repeat_offender_open_days == 90
    assert load_reference().rules.repeat_offender_penalties == 2
    assert RULE_VARIABLES["HAZARD_REPEAT_OFFENDER_OPEN_DAYS"] == "repeat_offender_open_days"
    assert RULE_VARIABLES["HAZARD_REPEAT_OFFENDER_PENALTIES"] == "repeat_offender_penalties"
    settings = Settings.from_env({"HAZARD_REPEAT_OFFENDER_OPEN_DAYS": "60", "HAZARD_REPEAT_OFFENDER_PENALTIES": "3"})
    rules = LedgerRules().overridden(settings.rule_overrides)
    assert (rules.repeat_offender_open_days, rules.repeat_offender_penalties) == (60, 3)


def _two_penalised_cases(world: World, hazard_id: UUID) -> tuple[UUID, UUID]:
    first = open_case(world, hazard_id)
    penalise(world, first)
    second = open_case(world, hazard_id)
    penalise(world, second)
    return first, second


@pytest.mark.parametrize(("days", "accepted"), [(89, False), (90, True)])
def test_rule3_a_major_open_for_the_configured_days_and_penalised_twice_marks_the_case(world: World, days: int, accepted: bool):
    hazard_id = department_major(world)
    first, second = _two_penalised_cases(world, hazard_id)
    world.clock.advance(days=days)
    command = lambda: world.app.enforcement.recommend_closure(OFFICE, second, hazard_id=hazard_id, other_case_ids=[first])  # noqa: E731
    if not accepted:
        error = refuse(world, second, "not_repeat_offender", command)
        assert "89 天" in error.message_zh and "≥90 天" in error.message_zh
        return
    data = accept(world, second, "ClosureRecommended", command)
    assert data == {
        "hazard_id": str(hazard_id),
        "open_days": 90,
        "prior_penalties": 2,
        "counted_case_ids": [str(second), str(first)],
    }
    assert world.app.enforcement.case(second)["closure_recommended"] is True
    assert world.app.enforcement.case(first)["closure_recommended"] is False
    refuse(world, second, "already_recommended", command)


def test_rule3_one_penalty_is_not_enough_and_cases_not_named_are_not_counted(world: World):
    hazard_id = department_major(world)
    first, second = _two_penalised_cases(world, hazard_id)
    world.clock.advance(days=120)
    error = refuse(world, second, "not_repeat_offender", lambda: world.app.enforcement.recommend_closure(OFFICE, second, hazard_id=hazard_id))
    assert "已处罚 1 次" in error.message_zh
    accept(
        world,
        first,
        "ClosureRecommended",
        lambda: world.app.enforcement.recommend_closure(INSPECTOR, first, hazard_id=hazard_id, other_case_ids=[second, first]),
    )


def test_rule3_a_dual_penalty_counts_once_and_a_penalty_on_a_person_alone_not_at_all(world: World):
    hazard_id = lapsed_major(world)
    case_id = open_case(world, hazard_id)
    dual(world, case_id)
    penalise(world, case_id, "person", 1_000)
    world.clock.advance(days=120)
    command = lambda: world.app.enforcement.recommend_closure(OFFICE, case_id, hazard_id=hazard_id)  # noqa: E731
    assert "已处罚 1 次" in refuse(world, case_id, "not_repeat_offender", command).message_zh
    penalise(world, case_id, fine=0, other_measures="警告")  # a warning is a penalty too
    assert accept(world, case_id, "ClosureRecommended", command)["prior_penalties"] == 2


def test_rule3_only_an_open_major_cited_by_every_counted_case(world: World):
    general = world.report(Grade.GENERAL, by=INSPECTOR)
    closed = world.hazard_in(HazardState.CLOSED)
    major = department_major(world)
    case_id = open_case(world, general, closed, major)
    penalise(world, case_id)
    penalise(world, case_id)
    elsewhere = open_case(world, department_major(world))
    world.clock.advance(days=200)
    app = world.app
    assert (
        "不是重大事故隐患"
        in refuse(
            world, case_id, "not_repeat_offender", lambda: app.enforcement.recommend_closure(OFFICE, case_id, hazard_id=general)
        ).message_zh
    )
    assert (
        "已整改"
        in refuse(
            world, case_id, "not_repeat_offender", lambda: app.enforcement.recommend_closure(OFFICE, case_id, hazard_id=closed)
        ).message_zh
    )
    error = refuse(world, case_id, "invalid_value", lambda: app.enforcement.recommend_closure(OFFICE, case_id, hazard_id=uuid4()))
    assert error.details["field"] == "hazard_id"
    error = refuse(
        world,
        case_id,
        "invalid_value",
        lambda: app.enforcement.recommend_closure(OFFICE, case_id, hazard_id=major, other_case_ids=[elsewhere]),
    )
    assert error.details["field"] == "other_case_ids"
    error = refuse(
        world, case_id, "invalid_value", lambda: app.enforcement.recommend_closure(OFFICE, case_id, hazard_id=major, other_case_ids=[uuid4()])
    )
    assert error.details["field"] == "other_case_ids"
    accept(world, case_id, "ClosureRecommended", lambda: app.enforcement.recommend_closure(OFFICE, case_id, hazard_id=major))


def test_rule3_open_days_are_counted_from_the_report_date_in_beijing_time(world: World):
    # Reported at 23:30 on 1 June (Beijing); the recommendation 90 calendar days later at 00:30.
    world.clock.at = START.replace(hour=23, minute=30)
    hazard_id = department_major(world)
    first, second = _two_penalised_cases(world, hazard_id)
    world.clock.advance(days=89, hours=1)
    assert world.app.enforcement.recommend_closure(OFFICE, second, hazard_id=hazard_id, other_case_ids=[first]).version == 3
    assert world.last(second)["data"]["open_days"] == 90


def test_rule3_closure_follows_the_recommendation_through_request_order_and_ban(world: World):
    hazard_id = department_major(world)
    first, second = _two_penalised_cases(world, hazard_id)
    world.clock.advance(days=100)
    world.app.enforcement.recommend_closure(OFFICE, second, hazard_id=hazard_id, other_case_ids=[first])
    world.app.enforcement.request_closure(INSPECTOR, second, government="呈贡区人民政府", reason="重大事故隐患长期存在并多次受到处罚")
    world.app.enforcement.order_closure(INSPECTOR, second, government="呈贡区人民政府", decision_number="呈政发〔2023〕9号")
    world.app.enforcement.apply_industry_ban(INSPECTOR, second, years=None)
    world.app.enforcement.transfer_to_judiciary(
        INSPECTOR, second, persons=["张总"], suspected_offence="危险作业罪", dangerous_operations_crime=True
    )
    assert world.types(second)[-6:] == [
        "PenaltyDecided",
        "ClosureRecommended",
        "ClosureRequested",
        "ClosureOrdered",
        "IndustryBanApplied",
        "TransferredToJudiciary",
    ]


# ===========================================================================================
# Rule 4: no 以罚代管
# ===========================================================================================


def test_rule4_a_case_cannot_close_while_a_cited_hazard_is_open_without_a_reason(world: World):
    open_general = world.report(Grade.GENERAL, by=INSPECTOR)
    verified = world.hazard_in(HazardState.VERIFIED)
    case_id = open_case(world, open_general, verified)
    penalise(world, case_id)
    error = refuse(world, case_id, "cited_hazard_open", lambda: world.app.enforcement.close_case(INSPECTOR, case_id, reason="罚款已缴纳"))
    assert error.details["count"] == 1 and "以罚代管" in error.message_zh
    refuse(
        world,
        case_id,
        "cited_hazard_open",
        lambda: world.app.enforcement.close_case(INSPECTOR, case_id, reason="罚款已缴纳", open_hazards_reason="  "),
    )
    data = accept(
        world,
        case_id,
        "CaseClosed",
        lambda: world.app.enforcement.close_case(INSPECTOR, case_id, reason="罚款已缴纳", open_hazards_reason="隐患整改另由挂牌督办跟踪"),
    )
    assert data["open_hazards_reason"] == "隐患整改另由挂牌督办跟踪"
    assert data["open_hazard_ids"] == [str(open_general)]
    assert world.app.enforcement.case(case_id)["open_hazard_ids_at_close"] == [str(open_general)]
    assert world.state(open_general) == "reported"


def test_rule4_a_case_may_close_when_its_hazards_are_voided_or_it_cites_none(world: World):
    hazard_id = department_major(world)
    case_id = open_case(world, hazard_id)
    world.void(hazard_id)
    accept(world, case_id, "CaseClosed", lambda: world.app.enforcement.close_case(INSPECTOR, case_id, reason="立案依据不成立"))
    case_id = open_case(world)
    accept(world, case_id, "CaseClosed", lambda: world.app.enforcement.close_case(INSPECTOR, case_id, reason="结案"))


def test_rule4_no_case_command_changes_any_hazard(world: World):
    # Every command of the case, each checked by ``accept``: the cited hazards' histories are unchanged.
    lapsed, general = lapsed_major(world), world.report(Grade.GENERAL, by=INSPECTOR)
    counts = {h: world.count(h) for h in (lapsed, general)}
    views = {h: world.app.hazards.hazard(h) for h in (lapsed, general)}
    case_id = open_case(world, lapsed, general, accidents=(uuid4(),))
    app = world.app
    accept(world, case_id, "DualPenaltyImposed", lambda: dual(world, case_id))
    accept(world, case_id, "PenaltyDecided", lambda: penalise(world, case_id, "person", 100))
    accept(world, case_id, "SuspensionOrdered", lambda: app.enforcement.order_suspension(INSPECTOR, case_id, decision_number="1", reason="r"))
    accept(world, case_id, "LicenceSuspendedOrRevoked", lambda: CASE_COMMANDS["suspend_or_revoke_licence"](world, case_id))
    accept(world, case_id, "TransferredToJudiciary", lambda: CASE_COMMANDS["transfer_to_judiciary"](world, case_id))
    accept(world, case_id, "JointPunishmentApplied", lambda: CASE_COMMANDS["apply_joint_punishment"](world, case_id))
    accept(world, case_id, "EnterpriseInterviewed", lambda: CASE_COMMANDS["interview_enterprise"](world, case_id))
    accept(world, case_id, "CaseExposed", lambda: CASE_COMMANDS["expose_case"](world, case_id))
    accept(world, case_id, "CasePublishedAsTypical", lambda: CASE_COMMANDS["publish_as_typical"](world, case_id))
    accept(world, case_id, "ClosureRequested", lambda: CASE_COMMANDS["request_closure"](world, case_id))
    accept(world, case_id, "ClosureOrdered", lambda: CASE_COMMANDS["order_closure"](world, case_id))
    accept(world, case_id, "IndustryBanApplied", lambda: CASE_COMMANDS["apply_industry_ban"](world, case_id))
    refuse(world, case_id, "cited_majors_unverified", lambda: app.enforcement.lift_suspension(INSPECTOR, case_id, opinion="o"))
    accept(
        world,
        case_id,
        "CaseClosed",
        lambda: app.enforcement.close_case(INSPECTOR, case_id, reason="已关闭取缔", open_hazards_reason="企业已关闭"),
    )
    assert {h: world.count(h) for h in (lapsed, general)} == counts
    assert {h: world.app.hazards.hazard(h) for h in (lapsed, general)} == views


def test_rule4_a_suspension_in_force_must_be_lifted_before_closing_unless_the_enterprise_was_closed(world: World):
    case_id = open_case(world)
    world.app.enforcement.order_suspension(INSPECTOR, case_id, decision_number="1", reason="r")
    refuse(world, case_id, "suspension_in_force", lambda: world.app.enforcement.close_case(INSPECTOR, case_id, reason="结案"))
    world.app.enforcement.request_closure(INSPECTOR, case_id, government="区政府", reason="r")
    world.app.enforcement.order_closure(INSPECTOR, case_id, government="区政府", decision_number="1")
    accept(world, case_id, "CaseClosed", lambda: world.app.enforcement.close_case(INSPECTOR, case_id, reason="企业已关闭取缔"))


# ===========================================================================================
# Rule 5: publication batches
# ===========================================================================================


def _batch(world: World, by: Any = OFFICE, **changes: Any):
    values: dict[str, Any] = {
        "kind": BatchKind.SUSPENSION,
        "title": "2023年第三批停产整顿企业名单",
        "document_number": "呈安委办〔2023〕21号",
        "channel": "呈贡区人民政府网",
        "enterprise_ids": [world.enterprise_id],
        "case_ids": [],
    }
    values.update(changes)
    return world.app.enforcement.publish_batch(by, **values)


def test_rule5_a_batch_records_what_was_published_where_when_and_by_whom(world: World):
    case_id = open_case(world)
    world.app.enforcement.order_suspension(INSPECTOR, case_id, decision_number="1", reason="r")
    other = other_enterprise(world)
    receipt = _batch(world, enterprise_ids=[world.enterprise_id, other], case_ids=[case_id])
    assert receipt.version == 1
    event = world.last(receipt.id)
    assert (event["type"], event["label_zh"]) == ("BatchPublished", "分批公布")
    assert event["data"] == {
        "kind": "suspension",
        "title": "2023年第三批停产整顿企业名单",
        "document_number": "呈安委办〔2023〕21号",
        "channel": "呈贡区人民政府网",
        "enterprise_ids": [str(world.enterprise_id), str(other)],
        "case_ids": [str(case_id)],
    }
    view = world.app.enforcement.batch(receipt.id)
    assert (view["kind"], view["kind_zh"], view["published_by"]["user_id"]) == ("suspension", "停产整顿", "ajb-1")


def test_rule5_the_four_batch_kinds_carry_the_plans_labels(world: World):
    assert [(k.value, k.zh) for k in BatchKind] == [
        ("notice", "通报"),
        ("interview", "约谈"),
        ("joint_punishment", "联合惩戒"),
        ("suspension", "停产整顿"),
    ]
    for kind in BatchKind:
        assert world.app.enforcement.batch(_batch(world, kind=kind.value, by=INSPECTOR).id)["kind_zh"] == kind.zh


def test_rule5_a_closed_case_may_be_published_in_a_batch(world: World):
    case_id = open_case(world)
    world.app.enforcement.close_case(INSPECTOR, case_id, reason="结案")
    assert world.app.enforcement.batch(_batch(world, kind="notice", case_ids=[case_id]).id)["case_ids"] == [str(case_id)]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "praise"}, "kind"),
        ({"title": " "}, "title"),
        ({"document_number": ""}, "document_number"),
        ({"channel": " "}, "channel"),
        ({"enterprise_ids": []}, "enterprise_ids"),
        ({"enterprise_ids": [uuid4()]}, "enterprise_ids"),
        ({"case_ids": [uuid4()]}, "case_ids"),
    ],
    ids=["kind", "title", "document", "channel", "no-enterprise", "unknown-enterprise", "unknown-case"],
)
def test_rule5_a_bad_batch_is_refused(world: World, changes: dict[str, Any], field: str):
    assert world.refuse_new("invalid_value", lambda: _batch(world, **changes)).details["field"] == field


def test_rule5_batch_lists_are_consistent(world: World):
    other = other_enterprise(world)
    foreign_case = open_case(world, enterprise_id=other, by=OFFICE)
    error = world.refuse_new("invalid_value", lambda: _batch(world, case_ids=[foreign_case]))
    assert error.details["field"] == "case_ids"
    error = world.refuse_new("invalid_value", lambda: _batch(world, enterprise_ids=[world.enterprise_id, world.enterprise_id]))
    assert error.details["field"] == "enterprise_ids"
    mine = open_case(world)
    error = world.refuse_new("invalid_value", lambda: _batch(world, case_ids=[mine, mine]))
    assert error.details["field"] == "case_ids"


def test_rule5_only_the_committee_office_and_inspectors_in_scope_publish(world: World):
    world.refuse_new("role_not_allowed", lambda: _batch(world, by=STREET_OFFICER))
    world.refuse_new("role_not_allowed", lambda: _batch(world, by=AUDITOR))
    world.refuse_new("role_not_allowed", lambda: _batch(world, by=world.principal))
    world.refuse_new("outside_scope", lambda: _batch(world, by=OTHER_DEPARTMENT))
    other = other_enterprise(world)
    world.refuse_new("outside_scope", lambda: _batch(world, by=INSPECTOR, enterprise_ids=[world.enterprise_id, other]))
    assert _batch(world, by=OTHER_DEPARTMENT, enterprise_ids=[other]).version == 1


def test_rule5_an_unknown_batch_is_not_found(world: World):
    with pytest.raises(DomainError) as info:
        world.app.enforcement.batch(uuid4())
    assert info.value.code == "batch_not_found"


# ===========================================================================================
# Event contract: topics, labels, codes, round trips
# ===========================================================================================

EXPECTED_EVENTS = {
    EnforcementCase: {
        "CaseOpened",
        "PenaltyDecided",
        "DualPenaltyImposed",
        "SuspensionOrdered",
        "SuspensionLifted",
        "LicenceSuspendedOrRevoked",
        "ClosureRequested",
        "ClosureOrdered",
        "IndustryBanApplied",
        "TransferredToJudiciary",
        "JointPunishmentApplied",
        "EnterpriseInterviewed",
        "CaseExposed",
        "CasePublishedAsTypical",
        "ClosureRecommended",
        "CaseClosed",
    },
    PublicationBatch: {"BatchPublished"},
}


@pytest.mark.parametrize("aggregate", list(EXPECTED_EVENTS), ids=lambda a: a.__name__)
def test_the_aggregates_have_the_events_of_the_design_under_stable_topics_with_labels(aggregate):
    assert set(event_classes(aggregate)) == EXPECTED_EVENTS[aggregate]
    assert f"hazard-ledger.{aggregate.__name__}" == aggregate.TOPIC and resolve_topic(aggregate.TOPIC) is aggregate
    for name, cls in event_classes(aggregate).items():
        assert f"hazard-ledger.{aggregate.__name__}.{name}" == cls.TOPIC and resolve_topic(cls.TOPIC) is cls
        fields = {f.name for f in dataclasses.fields(cls)}
        assert {"actor", "occurred_at"} <= fields and issubclass(cls, LedgerAggregate.Event)
        assert EVENT_LABELS[name].strip()


def test_the_not_found_codes_and_rule_codes_are_catalogued_and_bilingual():
    assert EnforcementCase.not_found_code == "case_not_found" and PublicationBatch.not_found_code == "batch_not_found"
    rule_codes = {
        "penalty_exempt", "dual_penalty_required", "not_repeat_offender", "already_recommended", "cited_hazard_open",
        "cited_majors_unverified", "case_closed", "no_suspension", "already_suspended", "closure_not_requested",
        "closure_not_ordered", "suspension_in_force", "case_exists", "duplicate_decision_number",
    }  # fmt: skip
    for code in rule_codes:
        assert CATALOGUE[code].kind is ErrorKind.CONFLICT
        assert CATALOGUE[code].zh.strip() and CATALOGUE[code].en.strip()
    assert CATALOGUE["case_not_found"].kind is ErrorKind.NOT_FOUND
    assert CATALOGUE["batch_not_found"].kind is ErrorKind.NOT_FOUND


def test_the_enforcement_vocabularies_have_chinese_labels():
    assert [m.zh for m in CaseState] == ["办理中", "已结案"]
    assert [m.zh for m in PenaltyTarget] == ["生产经营单位", "个人"]
    assert [m.zh for m in LicenceAction] == ["暂扣", "吊销"]


def test_every_stored_case_and_batch_event_round_trips_through_the_mapper(world: World):
    records = _every_case_event(world)
    seen: set[str] = set()
    mapper = world.app.mapper
    for record_id in records:
        for stored in world.app.recorder.select_events(record_id):
            event = mapper.to_domain_event(stored)
            again = mapper.to_stored_event(event)
            assert (again.topic, again.state) == (stored.topic, stored.state)
            assert mapper.to_domain_event(again) == event
            seen.add(type(event).__name__)
    assert seen == set().union(*EXPECTED_EVENTS.values())


def _every_case_event(world: World) -> list[UUID]:
    """One case holding every case event (the suspension lifted after its major is verified, the
    repeat-offender mark after two penalties and 90 days), and a batch."""
    hazard_id = department_major(world)
    case_id = open_case(world, hazard_id, accidents=(uuid4(),))
    app = world.app
    dual(world, case_id)
    penalise(world, case_id)
    app.enforcement.order_suspension(INSPECTOR, case_id, decision_number="1", reason="r")
    world.clock.advance(days=90)
    app.enforcement.recommend_closure(OFFICE, case_id, hazard_id=hazard_id)
    rectify(world, hazard_id)
    app.enforcement.lift_suspension(INSPECTOR, case_id, opinion="复产验收合格")
    for name in (
        "suspend_or_revoke_licence", "request_closure", "order_closure", "apply_industry_ban", "transfer_to_judiciary",
        "apply_joint_punishment", "interview_enterprise", "expose_case", "publish_as_typical", "close_case",
    ):  # fmt: skip
        CASE_COMMANDS[name](world, case_id)
    return [case_id, _batch(world, case_ids=[case_id]).id]


def test_a_case_reloads_to_the_same_state_after_every_event(world: World):
    hazard = CitedHazardFacts(uuid4(), major=True, open=True, self_report_exempt=False, rectification_lapsed=True)
    done = dataclasses.replace(hazard, open=False)
    rules = LedgerRules()
    now = START
    case = EnforcementCase.open(
        actor=INSPECTOR,
        occurred_at=now,
        enterprise_id=world.enterprise_id,
        department="yjj",
        cited_hazard_ids=[hazard.hazard_id],
        accident_ids=[uuid4()],
        legal_basis=LEGAL_BASIS,
        case_number="呈应急立〔2023〕500号",
    )
    steps: list[Callable[[Any], None]] = [
        lambda t: case.impose_dual_penalty(INSPECTOR, t, [hazard], 100, "张总", 10, "d1", PENALTY_BASIS),
        lambda t: case.decide_penalty(INSPECTOR, t, [hazard], PenaltyTarget.PERSON, 5, "d2", PENALTY_BASIS, "刘"),
        lambda t: case.order_suspension(INSPECTOR, t, "s1", "r"),
        lambda t: case.recommend_closure(OFFICE, t, hazard, 120, 2, [uuid4()], rules),
        lambda t: case.lift_suspension(INSPECTOR, t, [done], "合格"),
        lambda t: case.suspend_or_revoke_licence(INSPECTOR, t, LicenceAction.REVOKE, "证", "n1", "d3"),
        lambda t: case.request_closure(INSPECTOR, t, "区政府", "r"),
        lambda t: case.order_closure(INSPECTOR, t, "区政府", "d4"),
        lambda t: case.apply_industry_ban(INSPECTOR, t, "张总", None),
        lambda t: case.transfer_to_judiciary(INSPECTOR, t, ["张总"], "危险作业罪", True),
        lambda t: case.apply_joint_punishment(INSPECTOR, t, ["m"]),
        lambda t: case.interview_enterprise(OFFICE, t, "i", "n"),
        lambda t: case.expose(INSPECTOR, t, "c", "t"),
        lambda t: case.publish_as_typical(INSPECTOR, t, "t", True),
        lambda t: case.close(INSPECTOR, t, [done], "结案"),
    ]

    def check() -> None:
        world.app.hazards.save(case)
        reloaded = world.app.repository.get(case.id)
        state = {k: v for k, v in vars(case).items() if k != "_pending_events"}
        assert {k: v for k, v in vars(reloaded).items() if k != "_pending_events"} == state

    check()
    for step in steps:
        now += timedelta(hours=1)
        step(now)
        check()
    assert case.version == len(steps) + 1 and world.app.repository.get(case.id).state is CaseState.CLOSED
    assert world.app.repository.get(case.id).total_fines_yuan == 115


def test_the_aggregate_needs_the_facts_of_exactly_the_cited_hazards(world: World):
    case_id = open_case(world, department_major(world))
    case = world.app.repository.get(case_id)
    with pytest.raises(DomainError) as info:
        case.decide_penalty(INSPECTOR, START, [], "enterprise", 1, "d", PENALTY_BASIS)
    assert info.value.code == "invalid_value" and info.value.details["field"] == "hazards"


# ===========================================================================================
# Property: fines add up, refusals change nothing
# ===========================================================================================

fines = st.one_of(
    st.integers(min_value=0, max_value=5_000_000),
    st.integers(min_value=-1_000, max_value=-1),
    st.floats(min_value=0, max_value=1e6, allow_nan=False),
    st.just(0),
)
decisions = st.one_of(
    st.tuples(st.just("single"), st.sampled_from(["enterprise", "person"]), fines),
    st.tuples(st.just("dual"), fines, fines),
)


def _valid_fine(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ground=st.sampled_from(["none", "exempt", "lapsed", "accident", "department"]), sequence=st.lists(decisions, max_size=8))
def test_property_total_fines_equal_the_accepted_decisions_and_refusals_change_nothing(
    ground: str, sequence: list[tuple[Any, ...]]
):
    world = new_world()
    hazards: tuple[UUID, ...] = ()
    accidents: tuple[UUID, ...] = ()
    if ground == "exempt":
        hazards = (exempt_major(world),)
    elif ground == "lapsed":
        hazards = (lapsed_major(world),)
    elif ground == "department":
        hazards = (department_major(world),)
    elif ground == "accident":
        accidents = (uuid4(),)
    case_id = open_case(world, *hazards, accidents=accidents)
    hazard_counts = {h: world.count(h) for h in hazards}

    expected_total = 0
    has_dual = False
    for kind, first, second in sequence:
        before_total, before_case = world.total_events(), world.app.enforcement.case(case_id)
        if kind == "single":
            valid = _valid_fine(second)
            command: Callable[[], Any] = lambda f=first, s=second: penalise(world, case_id, f, s)  # noqa: E731
            expected_code = (
                "invalid_value" if not valid
                else "penalty_exempt" if ground == "exempt"
                else "dual_penalty_required" if ground in ("lapsed", "accident") and not has_dual
                else None
            )  # fmt: skip
            amount = second
        else:
            valid = _valid_fine(first) and _valid_fine(second)
            command = lambda f=first, s=second: dual(world, case_id, f, s)  # noqa: E731
            expected_code = "invalid_value" if not valid else "penalty_exempt" if ground == "exempt" else None
            amount = first + second if valid else 0
        if expected_code is None:
            command()
            expected_total += amount
            has_dual = has_dual or kind == "dual"
            assert world.total_events() == before_total + 1
        else:
            with pytest.raises(DomainError) as info:
                command()
            assert info.value.code == expected_code
            assert world.total_events() == before_total
            assert world.app.enforcement.case(case_id) == before_case
        view = world.app.enforcement.case(case_id)
        assert view["total_fines_yuan"] == expected_total
        assert type(view["total_fines_yuan"]) is int
        assert view["total_fines_yuan"] == sum(p["fine_yuan"] + p["principal_fine_yuan"] for p in view["penalties"])
    assert {h: world.count(h) for h in hazards} == hazard_counts
