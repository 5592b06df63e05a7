"""Every transition and every rule of the Hazard aggregate (DESIGN §3.1), through the application
service ``Ledger`` on an in-memory store and a fixed clock.

Every refusal is checked with ``World.refuse``: the exact error code, and nothing appended — the
hazard's stored event count, its history, its view and the store's total are all unchanged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.actor import Actor
from domain.business_time import CHINA_TZ, FixedClock, business_date
from domain.errors import DomainError
from domain.glossary import (
    Assessor,
    Grade,
    HazardSource,
    HazardState,
    OrgKind,
    Role,
    Stoppage,
    SupervisionLevel,
)
from domain.hazard import Hazard
from domain.hazard_timeline import HazardStatus, Miss, first_instant_after
from domain.ledger import Ledger
from domain.reference_data import LedgerRules
from domain.values import RectificationPlan

from .support import (
    AUDITOR,
    EXPERT,
    IN_MEMORY,
    INSPECTOR,
    INSPECTOR_2,
    OFFICE,
    OTHER_DEPARTMENT,
    OTHER_STREET,
    START,
    STREET_OFFICER,
    SYSTEM,
    World,
    complete_plan,
    credit_code,
    enterprise_actor,
    listing,
    new_world,
)

S = HazardState

# ===========================================================================================
# The transition matrix: from each state, each action either appends its event or is refused.
# ===========================================================================================

# What the design allows from each state (DESIGN §3.1 diagram and the "flags and parallel tracks").
ALLOWED: dict[HazardState, set[str]] = {
    S.REPORTED: {"report_to_regulator", "file_plan", "attach_evidence", "list_for_supervision", "void"},
    S.RECTIFYING: {
        "report_to_regulator",
        "record_progress",
        "attach_evidence",
        "list_for_supervision",
        "extend_deadline",
        "record_deadline_miss",
        "complete_rectification",
        "void",
    },
    S.PENDING_VERIFICATION: {
        "report_to_regulator",
        "attach_evidence",
        "list_for_supervision",
        "record_deadline_miss",
        "verify",
        "void",
    },
    S.VERIFIED: {"attach_evidence", "lift_supervision", "record_deadline_miss", "close"},
    # a 区安委办 clerk may still state from paper records whether a closed hazard's deadline was missed
    S.CLOSED: {"record_deadline_miss"},
    S.VOIDED: set(),
}

# action -> (event appended, state afterwards or None for "unchanged", command)
Command = Callable[[World, UUID], Any]
ACTIONS: dict[str, tuple[str, HazardState | None, Command]] = {
    "report_to_regulator": (
        "HazardReportedToRegulator",
        None,
        lambda w, h: w.app.hazards.report_to_regulator(w.principal, h),
    ),
    "file_plan": ("RectificationPlanFiled", S.RECTIFYING, lambda w, h: w.file_plan(h)),
    "record_progress": (
        "ProgressRecorded",
        None,
        lambda w, h: w.app.hazards.record_progress(w.principal, h, note="阀门已到货", percent=40),
    ),
    "attach_evidence": (
        "EvidenceAttached",
        None,
        lambda w, h: w.app.hazards.attach_evidence(
            w.principal, h, file_name="现场照片.jpg", media_type="image/jpeg", content=b"\xff\xd8 photo"
        ),
    ),
    "list_for_supervision": ("ListedForSupervision", None, lambda w, h: w.list(h)),
    "lift_supervision": ("SupervisionLifted", None, lambda w, h: w.lift(h)),
    "extend_deadline": (
        "DeadlineExtended",
        None,
        lambda w, h: w.app.hazards.extend_deadline(
            INSPECTOR, h, request_date=w.today(), reason="设备供货延迟", new_deadline=w.days(20), approver="李局长"
        ),
    ),
    "record_deadline_miss": (
        "DeadlineMissRecorded",
        None,
        lambda w, h: w.app.hazards.record_deadline_miss(OFFICE, h, deadline=PLAN_DEADLINE, missed=True, reason="纸质台账记载逾期"),
    ),
    "complete_rectification": ("RectificationCompleted", S.PENDING_VERIFICATION, lambda w, h: w.complete(h)),
    "verify": ("VerificationPassed", S.VERIFIED, lambda w, h: w.verify(h, by=INSPECTOR_2)),
    "close": ("HazardClosed", S.CLOSED, lambda w, h: w.close(h)),
    "void": ("HazardVoided", S.VOIDED, lambda w, h: w.void(h)),
}

MATRIX = [(state, action) for state in ALLOWED for action in ACTIONS]
# The deadline of the plan ``World.hazard_in`` files (ten days after START).
PLAN_DEADLINE = START.date() + timedelta(days=10)


def expected_refusal(state: HazardState, action: str) -> str:
    if state is S.CLOSED:
        return "hazard_closed"
    if state is S.VOIDED:
        return "hazard_voided"
    if action in ("close", "lift_supervision"):
        return "hazard_not_verified"
    return "invalid_transition"


@pytest.mark.parametrize(("state", "action"), MATRIX, ids=[f"{s.value}-{a}" for s, a in MATRIX])
def test_each_action_from_each_state_appends_its_event_or_is_refused(world: World, state: HazardState, action: str):
    # Lifting needs a listing; everything else runs on an unlisted major.
    hazard_id = world.hazard_in(state, Grade.MAJOR, listed=action == "lift_supervision")
    # Eleven days later the plan's ten-day deadline has passed, so a statement about it is in time.
    world.clock.advance(days=11)
    event_type, state_after, command = ACTIONS[action]

    if action in ALLOWED[state]:
        world.accept(hazard_id, event_type, lambda: command(world, hazard_id))
        assert world.state(hazard_id) == (state_after or state).value
    else:
        error = world.refuse(hazard_id, expected_refusal(state, action), lambda: command(world, hazard_id))
        if error.code == "invalid_transition":
            assert error.details["state"] == state.value
            assert error.details["action"] == action
            assert state.zh in error.message_zh


def test_a_reported_hazard_starts_in_reported_with_one_event(world: World, major: UUID):
    view = world.app.hazards.hazard(major)
    assert world.types(major) == ["HazardReported"]
    assert view["state"] == "reported"
    assert view["version"] == 1
    assert view["grade"] == "major"
    assert view["department"] == "yjj"  # the lead department of the sector row
    assert view["jurisdiction"] == "wulong"
    assert view["reported_at"] == START.isoformat()
    assert view["reported_by"]["user_id"] == world.principal.user_id


def test_the_full_life_of_a_listed_major_hazard_is_recorded_event_by_event(world: World, major: UUID):
    app = world.app
    app.hazards.report_to_regulator(world.principal, major)
    world.list(major)
    world.file_plan(major)
    app.hazards.record_progress(world.principal, major, note="开始施工", percent=10)
    app.hazards.attach_evidence(world.principal, major, file_name="a.jpg", media_type="image/jpeg", content=b"a")
    world.clock.advance(days=11)
    # Nobody marks the miss: it is derived from the plan's deadline and the business time.
    assert app.hazards.hazard(major)["overdue"] is True
    app.hazards.extend_deadline(
        INSPECTOR, major, request_date=world.today(), reason="停产检修窗口", new_deadline=world.days(5), approver="李局长"
    )
    world.complete(major)
    world.verify(major, passed=False)
    world.complete(major)
    world.verify(major, passed=True, by=EXPERT)
    world.lift(major)
    world.close(major)

    assert world.types(major) == [
        "HazardReported",
        "HazardReportedToRegulator",
        "ListedForSupervision",
        "RectificationPlanFiled",
        "ProgressRecorded",
        "EvidenceAttached",
        "DeadlineExtended",
        "RectificationCompleted",
        "VerificationFailed",
        "RectificationCompleted",
        "VerificationPassed",
        "SupervisionLifted",
        "HazardClosed",
    ]
    view = app.hazards.hazard(major)
    assert view["state"] == "closed"
    assert view["listed"] is False
    assert view["overdue"] is False
    assert view["rectification_lapsed"] is True  # the first deadline was missed, for good
    assert [m["deadline"] for m in view["missed_deadlines"]] == [(START.date() + timedelta(days=10)).isoformat()]


def test_a_general_hazard_goes_from_report_to_closing_without_listing(world: World, general: UUID):
    world.file_plan(general, funds_yuan=None, contingency_plan="")
    world.complete(general)
    world.verify(general)  # a regulator verifies; the enterprise never verifies its own hazard
    world.accept(general, "HazardClosed", lambda: world.app.hazards.close_hazard(world.principal, general, note="销号"))
    assert world.types(general) == [
        "HazardReported",
        "RectificationPlanFiled",
        "RectificationCompleted",
        "VerificationPassed",
        "HazardClosed",
    ]


# ----- single transitions and their recorded data ---------------------------------------------


def test_filing_a_plan_moves_to_rectifying_and_sets_the_deadline(world: World, major: UUID):
    plan = complete_plan(date(2023, 6, 30), stoppage=Stoppage.PARTIAL, government_coordination=True)
    world.accept(major, "RectificationPlanFiled", lambda: world.app.hazards.file_plan(world.principal, major, plan))
    view = world.app.hazards.hazard(major)
    assert view["state"] == "rectifying"
    assert view["deadline"] == "2023-06-30"
    assert view["plan"]["stoppage"] == "partial"
    assert view["plan"]["funds_yuan"] == 120_000
    assert view["plan"]["government_coordination"] is True


def test_completing_moves_to_pending_verification_and_records_the_claimer(world: World, major: UUID):
    world.file_plan(major)
    world.accept(major, "RectificationCompleted", lambda: world.complete(major, by=world.staff))
    assert world.state(major) == "pending_verification"
    assert world.last(major)["actor"]["user_id"] == world.staff.user_id


def test_a_passed_verification_records_the_opinion_and_assessors(world: World, major: UUID):
    world.file_plan(major)
    world.complete(major)
    world.accept(major, "VerificationPassed", lambda: world.verify(major, by=EXPERT))
    event = world.last(major)
    assert event["data"] == {
        "opinion": "整改到位，同意验收",
        "assessed_by": ["experts", "government"],
        "attachments": [],  # evidence digests a personal signature covers (none attached here)
        "signature": None,  # unsigned: HAZARD_REQUIRE_SIGNATURES is off
    }
    assert event["actor"]["role"] == "expert"
    assert world.state(major) == "verified"


def test_a_failed_verification_returns_the_hazard_to_rectifying_and_completion_can_be_claimed_again(world: World, major: UUID):
    world.file_plan(major)
    world.complete(major)
    world.accept(major, "VerificationFailed", lambda: world.verify(major, passed=False))
    assert world.state(major) == "rectifying"
    world.accept(major, "RectificationCompleted", lambda: world.complete(major))
    assert world.state(major) == "pending_verification"


def test_a_failed_verification_frees_the_claimer_to_be_accepted_by_someone_else(world: World, general: UUID):
    # An inspector fails the verification; the claim is cleared, the same inspector may verify the next one.
    world.file_plan(general)
    world.complete(general, by=world.principal)
    world.verify(general, passed=False)
    world.complete(general, by=world.staff)
    world.accept(general, "VerificationPassed", lambda: world.verify(general))


def test_reporting_to_the_regulator_records_the_time_and_defaults_to_the_department(world: World, major: UUID):
    world.accept(major, "HazardReportedToRegulator", lambda: world.app.hazards.report_to_regulator(world.principal, major))
    assert world.last(major)["data"] == {"regulator": "yjj"}
    assert world.app.hazards.hazard(major)["reported_to_regulator_at"] == START.isoformat()


def test_listing_records_level_document_and_time_limit(world: World, major: UUID):
    signed_at = START - timedelta(hours=1)
    the_listing = listing(date(2023, 8, 31), level=SupervisionLevel.CITY, notice_signed_at=signed_at)
    world.accept(major, "ListedForSupervision", lambda: world.app.hazards.list_for_supervision(INSPECTOR, major, the_listing))
    view = world.app.hazards.hazard(major)
    assert view["listed"] is True
    assert view["listing"]["level"] == "city"
    assert view["listing"]["document_number"] == "呈安委〔2023〕12号"
    assert view["listing"]["time_limit"] == "2023-08-31"
    assert view["listing"]["notice_signed_at"] == signed_at.isoformat()


def test_lifting_supervision_after_verification_unlists_the_hazard(world: World):
    hazard_id = world.hazard_in(S.VERIFIED, listed=True)
    world.accept(hazard_id, "SupervisionLifted", lambda: world.lift(hazard_id))
    assert world.app.hazards.hazard(hazard_id)["listed"] is False
    assert world.last(hazard_id)["data"] == {"reason": "验收合格", "approver": "王安委"}


def test_voiding_states_the_reason(world: World, major: UUID):
    world.accept(major, "HazardVoided", lambda: world.app.hazards.void_hazard(INSPECTOR, major, reason="  重复登记 "))
    assert world.last(major)["data"] == {"reason": "重复登记"}
    assert world.state(major) == "voided"


def test_progress_is_recorded_with_its_percentage(world: World, major: UUID):
    world.file_plan(major)
    world.accept(
        major, "ProgressRecorded", lambda: world.app.hazards.record_progress(world.staff, major, note=" 已完成管线更换 ", percent=80)
    )
    assert world.last(major)["data"] == {"note": "已完成管线更换", "percent": 80}


# ===========================================================================================
# Finished records accept nothing but reads
# ===========================================================================================


@pytest.mark.parametrize("action", [a for a in ACTIONS if a not in ALLOWED[S.CLOSED]])
def test_a_closed_hazard_accepts_nothing(world: World, action: str):
    hazard_id = world.hazard_in(S.CLOSED)
    world.refuse(hazard_id, "hazard_closed", lambda: ACTIONS[action][2](world, hazard_id))
    assert world.app.hazards.hazard(hazard_id)["state"] == "closed"  # reads still work


@pytest.mark.parametrize("action", list(ACTIONS))
def test_a_voided_hazard_accepts_nothing(world: World, action: str):
    hazard_id = world.hazard_in(S.VOIDED)
    world.refuse(hazard_id, "hazard_voided", lambda: ACTIONS[action][2](world, hazard_id))
    assert world.app.hazards.hazard(hazard_id)["state"] == "voided"


# ===========================================================================================
# Verification before closing; listing blocks closing
# ===========================================================================================


def test_closing_before_verification_is_refused(world: World, major: UUID):
    error = world.refuse(major, "hazard_not_verified", lambda: world.close(major))
    assert error.details["action"] == "close"
    assert "销号" in error.message_zh


def test_closing_a_pending_hazard_is_refused_until_it_passes_verification(world: World):
    hazard_id = world.hazard_in(S.PENDING_VERIFICATION)
    world.refuse(hazard_id, "hazard_not_verified", lambda: world.close(hazard_id))
    world.verify(hazard_id)
    world.accept(hazard_id, "HazardClosed", lambda: world.close(hazard_id))


def test_lifting_supervision_before_verification_is_refused(world: World):
    hazard_id = world.hazard_in(S.RECTIFYING, listed=True)
    error = world.refuse(hazard_id, "hazard_not_verified", lambda: world.lift(hazard_id))
    assert error.details["action"] == "lift_supervision"


def test_closing_a_listed_hazard_is_refused(world: World):
    hazard_id = world.hazard_in(S.VERIFIED, listed=True)
    world.refuse(hazard_id, "hazard_listed", lambda: world.close(hazard_id))
    assert world.app.hazards.hazard(hazard_id)["listed"] is True


def test_a_listed_hazard_closes_once_supervision_is_lifted(world: World):
    hazard_id = world.hazard_in(S.VERIFIED, listed=True)
    world.lift(hazard_id)
    world.accept(hazard_id, "HazardClosed", lambda: world.close(hazard_id))


# ===========================================================================================
# The rectification plan (五落实)
# ===========================================================================================

FIVE = ["responsible_person", "measures", "funds_yuan", "deadline", "contingency_plan"]
BLANK: dict[str, Any] = {
    "responsible_person": "  ",
    "measures": "",
    "funds_yuan": None,
    "deadline": None,
    "contingency_plan": " ",
}


@pytest.mark.parametrize("missing", FIVE)
def test_a_major_plan_missing_one_of_the_five_elements_is_refused(world: World, major: UUID, missing: str):
    plan = replace(complete_plan(world.days(10)), **{missing: BLANK[missing]})
    error = world.refuse(major, "plan_incomplete", lambda: world.app.hazards.file_plan(world.principal, major, plan))
    assert error.details["fields"] == [missing]
    assert world.state(major) == "reported"


def test_a_major_plan_missing_everything_names_all_five_elements_in_order(world: World, major: UUID):
    error = world.refuse(major, "plan_incomplete", lambda: world.app.hazards.file_plan(world.principal, major, RectificationPlan()))
    assert error.details["fields"] == FIVE
    assert error.message_zh.endswith("责任人、整改措施、整改资金、整改期限、应急预案")
    assert "funds_yuan" in error.message_en


def test_a_zero_yuan_budget_counts_as_a_stated_fund(world: World, major: UUID):
    world.accept(major, "RectificationPlanFiled", lambda: world.file_plan(major, funds_yuan=0))


def test_a_negative_budget_is_refused(world: World, major: UUID):
    error = world.refuse(major, "invalid_value", lambda: world.file_plan(major, funds_yuan=-1))
    assert error.details["field"] == "funds_yuan"


def test_a_general_plan_needs_a_responsible_person_measures_and_a_deadline_only(world: World, general: UUID):
    plan = RectificationPlan(responsible_person="刘安全员", measures="补齐警示标识", deadline=world.days(3))
    world.accept(general, "RectificationPlanFiled", lambda: world.app.hazards.file_plan(world.principal, general, plan))
    assert world.app.hazards.hazard(general)["deadline"] == world.days(3).isoformat()


@pytest.mark.parametrize("missing", ["responsible_person", "measures", "deadline"])
def test_a_general_plan_missing_a_required_element_is_refused(world: World, general: UUID, missing: str):
    values: dict[str, Any] = {"responsible_person": "刘安全员", "measures": "补齐警示标识", "deadline": world.days(3)}
    values[missing] = BLANK[missing]
    error = world.refuse(
        general, "plan_incomplete", lambda: world.app.hazards.file_plan(world.principal, general, RectificationPlan(**values))
    )
    assert error.details["fields"] == [missing]


def test_an_immediate_rectification_needs_only_a_person_and_measures_and_is_due_today(world: World, general: UUID):
    plan = RectificationPlan(responsible_person="刘安全员", measures="当场清理堵塞的安全出口", immediate=True)
    world.accept(general, "RectificationPlanFiled", lambda: world.app.hazards.file_plan(world.principal, general, plan))
    view = world.app.hazards.hazard(general)
    assert view["deadline"] == "2023-06-01"
    assert view["plan"]["immediate"] is True
    assert view["plan"]["deadline"] == "2023-06-01"  # the event records the derived deadline


@pytest.mark.parametrize("missing", ["responsible_person", "measures"])
def test_an_immediate_rectification_without_a_person_or_measures_is_refused(world: World, general: UUID, missing: str):
    values: dict[str, Any] = {"responsible_person": "刘安全员", "measures": "当场整改", "immediate": True}
    values[missing] = ""
    error = world.refuse(
        general, "plan_incomplete", lambda: world.app.hazards.file_plan(world.principal, general, RectificationPlan(**values))
    )
    assert error.details["fields"] == [missing]


def test_an_immediate_rectification_with_a_past_deadline_is_refused(world: World, general: UUID):
    plan = RectificationPlan(responsible_person="刘", measures="当场整改", immediate=True, deadline=world.days(-1))
    world.refuse(general, "deadline_in_past", lambda: world.app.hazards.file_plan(world.principal, general, plan))


def test_a_major_fixed_on_the_spot_needs_a_responsible_person_and_measures_only(world: World, major: UUID):
    # Deliberate: Annex 2 col. 5 counts majors "with a complete 五落实 plan (or immediate rectification)".
    error = world.refuse(
        major,
        "plan_incomplete",
        lambda: world.app.hazards.file_plan(world.principal, major, RectificationPlan(responsible_person="张厂长", immediate=True)),
    )
    assert error.details["fields"] == ["measures"]
    plan = RectificationPlan(responsible_person="张厂长", measures="当场关闭阀门", immediate=True)
    world.app.hazards.file_plan(world.principal, major, plan)
    hazard = world.app.hazards.hazard(major)
    assert hazard["state"] == "rectifying" and hazard["plan"]["immediate"] is True
    assert hazard["deadline"] == business_date(world.clock.now()).isoformat()


def test_a_plan_with_a_deadline_before_today_is_refused(world: World, major: UUID):
    error = world.refuse(major, "deadline_in_past", lambda: world.file_plan(major, days=-1))
    assert error.details == {"new_deadline": "2023-05-31", "today": "2023-06-01"}


def test_a_plan_due_today_is_accepted(world: World, major: UUID):
    world.accept(major, "RectificationPlanFiled", lambda: world.file_plan(major, days=0))


def test_today_is_the_beijing_date_not_the_utc_date(clock: FixedClock, world: World, major: UUID):
    # 00:30 on 2 June in Beijing is still 1 June in UTC: a deadline of 1 June is already past.
    clock.at = datetime(2023, 6, 2, 0, 30, tzinfo=CHINA_TZ)
    world.refuse(major, "deadline_in_past", lambda: world.app.hazards.file_plan(world.principal, major, complete_plan(date(2023, 6, 1))))
    world.accept(
        major, "RectificationPlanFiled", lambda: world.app.hazards.file_plan(world.principal, major, complete_plan(date(2023, 6, 2)))
    )


def test_a_second_plan_is_refused_as_out_of_order(world: World, major: UUID):
    world.file_plan(major)
    world.refuse(major, "invalid_transition", lambda: world.file_plan(major, days=20))


# ===========================================================================================
# Verification: who may sign
# ===========================================================================================


def test_the_claimer_cannot_verify_their_own_completion(world: World, general: UUID):
    # the same user id under an inspector's hat (header identity lets anyone claim a role)
    world.file_plan(general)
    world.complete(general, by=world.principal)
    disguised = Actor(world.principal.user_id, "张总", Role.INSPECTOR, "yjj", OrgKind.DEPARTMENT, "区应急管理局")
    world.refuse(general, "verifier_is_claimer", lambda: world.verify(general, by=disguised))
    world.refuse(general, "role_not_allowed", lambda: world.verify(general, by=world.principal))


def test_the_claimer_of_a_major_cannot_verify_it_either(world: World, major: UUID):
    world.file_plan(major)
    world.complete(major, by=world.principal)
    disguised = Actor(world.principal.user_id, "张总", Role.INSPECTOR, "yjj", OrgKind.DEPARTMENT, "区应急管理局")
    world.refuse(major, "verifier_is_claimer", lambda: world.verify(major, by=disguised))


def test_an_enterprise_principal_cannot_verify_a_major_hazard(world: World, major: UUID):
    world.file_plan(major)
    world.complete(major, by=world.staff)
    error = world.refuse(major, "role_not_allowed", lambda: world.verify(major, by=world.principal))
    assert error.details["role"] == "principal"


def test_enterprise_staff_may_not_verify_at_all(world: World, general: UUID):
    world.file_plan(general)
    world.complete(general, by=world.principal)
    world.refuse(general, "role_not_allowed", lambda: world.verify(general, by=world.staff))


def test_the_committee_office_may_not_sign_the_verification_of_a_major(world: World, major: UUID):
    world.file_plan(major)
    world.complete(major)
    world.refuse(major, "role_not_allowed", lambda: world.verify(major, by=OFFICE))


@pytest.mark.parametrize("verifier", [INSPECTOR, STREET_OFFICER, EXPERT], ids=["inspector", "street", "expert"])
def test_a_major_is_verified_by_an_inspector_a_street_officer_or_an_expert(world: World, major: UUID, verifier):
    world.file_plan(major)
    world.complete(major)
    world.accept(major, "VerificationPassed", lambda: world.verify(major, by=verifier))
    assert world.app.hazards.hazard(major)["state"] == "verified"


def test_a_verification_without_an_opinion_is_refused(world: World, major: UUID):
    world.file_plan(major)
    world.complete(major)
    error = world.refuse(
        major,
        "invalid_value",
        lambda: world.app.hazards.verify(INSPECTOR, major, passed=True, opinion="  ", assessed_by=[Assessor.EXPERTS]),
    )
    assert error.details["field"] == "opinion"


def test_an_unknown_assessor_is_refused(world: World, major: UUID):
    world.file_plan(major)
    world.complete(major)
    error = world.refuse(
        major,
        "invalid_value",
        lambda: world.app.hazards.verify(INSPECTOR, major, passed=True, opinion="合格", assessed_by=["neighbours"]),
    )  # type: ignore[list-item]
    assert error.details["field"] == "assessed_by"


# ===========================================================================================
# Majors only: reporting to the regulator and listing
# ===========================================================================================


def test_reporting_a_general_hazard_to_the_regulator_is_refused(world: World, general: UUID):
    error = world.refuse(general, "not_major", lambda: world.app.hazards.report_to_regulator(world.principal, general))
    assert error.details["action"] == "report_to_regulator"


def test_listing_a_general_hazard_is_refused(world: World, general: UUID):
    world.refuse(general, "not_major", lambda: world.list(general))


def test_reporting_a_major_twice_is_refused(world: World, major: UUID):
    world.app.hazards.report_to_regulator(world.principal, major)
    world.refuse(major, "already_reported", lambda: world.app.hazards.report_to_regulator(world.principal, major))


def test_listing_a_listed_hazard_is_refused(world: World, major: UUID):
    world.list(major)
    world.refuse(major, "hazard_already_listed", lambda: world.list(major, days=60))


def test_a_verified_hazard_cannot_be_listed(world: World):
    hazard_id = world.hazard_in(S.VERIFIED, listed=True)
    world.lift(hazard_id)
    world.refuse(hazard_id, "invalid_transition", lambda: world.list(hazard_id))


def test_lifting_an_unlisted_hazard_is_refused(world: World, major: UUID):
    world.refuse(major, "hazard_not_listed", lambda: world.lift(major))


def test_lifting_an_unlisted_verified_hazard_is_refused(world: World):
    hazard_id = world.hazard_in(S.VERIFIED)
    world.refuse(hazard_id, "hazard_not_listed", lambda: world.lift(hazard_id))


def test_a_listing_with_a_past_time_limit_is_refused(world: World, major: UUID):
    error = world.refuse(major, "deadline_in_past", lambda: world.list(major, days=-1))
    assert error.details["new_deadline"] == "2023-05-31"


@pytest.mark.parametrize("field", ["supervising_body", "document_number", "issuer"])
def test_a_listing_without_its_document_fields_is_refused(world: World, major: UUID, field: str):
    error = world.refuse(
        major, "invalid_value", lambda: world.app.hazards.list_for_supervision(INSPECTOR, major, listing(world.days(30), **{field: " "}))
    )
    assert error.details["field"] == field


def test_lifting_without_an_approver_is_refused(world: World):
    hazard_id = world.hazard_in(S.VERIFIED, listed=True)
    error = world.refuse(
        hazard_id, "invalid_value", lambda: world.app.hazards.lift_supervision(INSPECTOR, hazard_id, reason="合格", approver=" ")
    )
    assert error.details["field"] == "approver"


# ===========================================================================================
# Deadlines: extension, missed deadline, overdue flag
# ===========================================================================================


def test_an_extension_records_the_previous_and_new_deadline_and_its_approver(world: World, major: UUID):
    world.file_plan(major, days=10)
    world.accept(
        major,
        "DeadlineExtended",
        lambda: world.app.hazards.extend_deadline(
            INSPECTOR, major, request_date=world.days(-2), reason="设备供货延迟", new_deadline=world.days(30), approver="李局长"
        ),
    )
    assert world.last(major)["data"] == {
        "request_date": "2023-05-30",
        "reason": "设备供货延迟",
        "previous_deadline": "2023-06-11",
        "new_deadline": "2023-07-01",
        "approver": "李局长",
    }
    assert world.app.hazards.hazard(major)["deadline"] == "2023-07-01"


def test_an_extension_to_a_date_before_today_is_refused(world: World, major: UUID):
    world.file_plan(major, days=0)
    world.clock.advance(days=3)
    error = world.refuse(
        major,
        "deadline_in_past",
        lambda: world.app.hazards.extend_deadline(
            INSPECTOR, major, request_date=world.today(), reason="r", new_deadline=world.days(-1), approver="a"
        ),
    )
    assert error.details == {"new_deadline": "2023-06-03", "today": "2023-06-04"}


def test_an_extension_requested_after_the_decision_date_is_refused(world: World, major: UUID):
    world.file_plan(major)
    error = world.refuse(
        major,
        "invalid_value",
        lambda: world.app.hazards.extend_deadline(
            INSPECTOR, major, request_date=world.days(1), reason="r", new_deadline=world.days(20), approver="a"
        ),
    )
    assert error.details["field"] == "request_date"


@pytest.mark.parametrize("field", ["reason", "approver"])
def test_an_extension_without_reason_or_approver_is_refused(world: World, major: UUID, field: str):
    world.file_plan(major)
    args = {"reason": "r", "approver": "a", field: "  "}
    error = world.refuse(
        major,
        "invalid_value",
        lambda: world.app.hazards.extend_deadline(INSPECTOR, major, request_date=world.today(), new_deadline=world.days(20), **args),
    )
    assert error.details["field"] == field


def _status(world: World, hazard_id: UUID, at: datetime | None = None) -> HazardStatus:
    """The stored hazard (replayed from its events) as of business time ``at`` (default: now)."""
    return world.app.repository.get(hazard_id).status_at(at or world.clock.now())


def _stated(world: World, hazard_id: UUID, deadline: date, missed: bool, reason: str = "据纸质台账核实", **kw: Any):
    return world.app.hazards.record_deadline_miss(OFFICE, hazard_id, deadline=deadline, missed=missed, reason=reason, **kw)


def test_a_deadline_is_missed_at_the_first_instant_of_the_day_after_it(world: World, major: UUID):
    world.file_plan(major, days=2)  # due 3 June
    world.clock.at = datetime(2023, 6, 3, 23, 59, tzinfo=CHINA_TZ)
    assert world.app.hazards.hazard(major)["overdue"] is False
    before = _status(world, major)
    assert before.misses == () and before.overdue is False and before.lapsed is False
    midnight = datetime(2023, 6, 4, tzinfo=CHINA_TZ)
    assert midnight == first_instant_after(date(2023, 6, 3))
    then = _status(world, major, midnight)
    assert then.overdue is True and then.misses == (Miss(date(2023, 6, 3), midnight),)
    assert then.missed_at == midnight
    world.clock.at = datetime(2023, 6, 4, 0, 1, tzinfo=CHINA_TZ)  # still 3 June in UTC
    view = world.app.hazards.hazard(major)
    assert view["overdue"] is True and view["rectification_lapsed"] is True
    assert view["missed_deadlines"] == [{"deadline": "2023-06-03", "missed_at": midnight.isoformat(), "recorded": False}]
    # derived, never stored
    assert world.types(major) == ["HazardReported", "RectificationPlanFiled"]


def test_a_deadline_is_missed_once_however_long_the_hazard_stays_overdue(world: World, major: UUID):
    world.file_plan(major, days=0)
    later = _status(world, major, START + timedelta(days=90))
    assert later.misses == (Miss(START.date(), first_instant_after(START.date())),)
    assert later.overdue is True and later.deadline == START.date()


def test_completion_ends_the_overdue_but_the_miss_stays(world: World, major: UUID):
    world.file_plan(major, days=0)
    world.clock.advance(days=1)
    world.complete(major)
    view = world.app.hazards.hazard(major)
    assert view["overdue"] is False and view["missed_at"] is None
    assert view["rectification_lapsed"] is True and len(view["missed_deadlines"]) == 1


def test_a_completion_on_the_deadline_day_prevents_the_miss(world: World, major: UUID):
    world.file_plan(major, days=0)
    world.clock.at = datetime(2023, 6, 1, 23, 59, tzinfo=CHINA_TZ)
    world.complete(major)
    world.clock.advance(days=30)
    status = _status(world, major)
    assert status.misses == () and status.lapsed is False and status.state is S.PENDING_VERIFICATION


def test_an_extension_ends_the_overdue_and_the_miss_stays(world: World, major: UUID):
    world.file_plan(major, days=0)
    world.clock.advance(days=1)
    world.app.hazards.extend_deadline(INSPECTOR, major, request_date=world.today(), reason="r", new_deadline=world.days(7), approver="a")
    view = world.app.hazards.hazard(major)
    assert view["overdue"] is False
    assert view["state"] == "rectifying"
    assert view["rectification_lapsed"] is True


def test_an_extension_before_the_deadline_passes_prevents_the_miss(world: World, major: UUID):
    world.file_plan(major, days=0)
    world.app.hazards.extend_deadline(INSPECTOR, major, request_date=world.today(), reason="r", new_deadline=world.days(7), approver="a")
    world.clock.advance(days=3)
    status = _status(world, major)
    assert status.misses == () and status.overdue is False and status.deadline == date(2023, 6, 8)


def test_an_extended_deadline_can_be_missed_again(world: World, major: UUID):
    world.file_plan(major, days=0)
    world.clock.advance(days=1)
    world.app.hazards.extend_deadline(INSPECTOR, major, request_date=world.today(), reason="r", new_deadline=world.days(1), approver="a")
    assert _status(world, major).overdue is False
    world.clock.advance(days=2)
    status = _status(world, major)
    assert [m.deadline for m in status.misses] == [date(2023, 6, 1), date(2023, 6, 3)]
    assert status.overdue is True and status.missed_at == first_instant_after(date(2023, 6, 3))


def test_a_failed_verification_after_the_deadline_misses_it_at_the_failure(world: World, major: UUID):
    world.file_plan(major, days=0)
    world.complete(major)
    world.clock.advance(days=1)
    assert _status(world, major).misses == ()  # waiting for verification is not missing the deadline
    failed_at = world.clock.now()
    world.verify(major, passed=False)
    assert _status(world, major, failed_at - timedelta(seconds=1)).misses == ()
    status = _status(world, major, failed_at)
    assert status.overdue is True and status.misses == (Miss(START.date(), failed_at),)


# ----- the 区安委办's statement about a deadline (record_deadline_miss) ------------------------------


def test_the_office_records_a_deadline_missed_that_the_data_show_met(world: World, major: UUID):
    world.file_plan(major, days=2)  # due 3 June
    world.complete(major)  # in time, by the data
    world.clock.advance(days=5)
    assert world.app.hazards.hazard(major)["rectification_lapsed"] is False
    world.accept(
        major, "DeadlineMissRecorded", lambda: _stated(world, major, date(2023, 6, 3), True, reason="  纸质台账载明未按期完成 ")
    )
    assert world.last(major)["data"] == {"deadline": "2023-06-03", "missed": True, "reason": "纸质台账载明未按期完成"}
    assert world.last(major)["actor"]["role"] == "committee_office"
    view = world.app.hazards.hazard(major)
    midnight = first_instant_after(date(2023, 6, 3))
    assert view["missed_deadlines"] == [{"deadline": "2023-06-03", "missed_at": midnight.isoformat(), "recorded": True}]
    assert view["rectification_lapsed"] is True and view["overdue"] is False  # pending verification
    # the statement counts from the day after the deadline, not before
    assert _status(world, major, midnight - timedelta(seconds=1)).lapsed is False


def test_the_office_states_a_derived_miss_did_not_happen_and_the_latest_statement_counts(world: World, major: UUID):
    hours = world.app.rules.report_to_regulator_hours
    world.app.hazards.report_to_regulator(world.principal, major)
    world.file_plan(major, days=2)  # due 3 June
    world.clock.advance(days=5)
    now = world.clock.now()
    hazard = world.app.repository.get(major)
    assert hazard.status_at(now).overdue is True and hazard.self_report_exempt(hours, now) is False
    world.accept(major, "DeadlineMissRecorded", lambda: _stated(world, major, date(2023, 6, 3), False, reason="延期批复纸质件已核实"))
    hazard = world.app.repository.get(major)
    status = hazard.status_at(now)
    assert status.misses == () and status.overdue is False and status.lapsed is False
    assert hazard.self_report_exempt(hours, now) is True
    assert world.app.hazards.hazard(major)["overdue"] is False
    # a later statement the other way decides again
    world.accept(major, "DeadlineMissRecorded", lambda: _stated(world, major, date(2023, 6, 3), True, reason="复核：确已逾期"))
    status = _status(world, major, now)
    assert status.misses == (Miss(date(2023, 6, 3), first_instant_after(date(2023, 6, 3)), recorded=True),)
    assert status.overdue is True and world.app.repository.get(major).self_report_exempt(hours, now) is False


def test_a_statement_cancels_only_its_own_deadline(world: World, major: UUID):
    world.file_plan(major, days=0)
    world.clock.advance(days=1)
    world.app.hazards.extend_deadline(INSPECTOR, major, request_date=world.today(), reason="r", new_deadline=world.days(1), approver="a")
    world.clock.advance(days=2)
    assert [m.deadline for m in _status(world, major).misses] == [date(2023, 6, 1), date(2023, 6, 3)]
    world.accept(major, "DeadlineMissRecorded", lambda: _stated(world, major, date(2023, 6, 1), False))
    status = _status(world, major)
    assert [m.deadline for m in status.misses] == [date(2023, 6, 3)] and status.overdue is True


def test_a_statement_about_a_date_that_was_never_a_deadline_is_refused(world: World, major: UUID):
    world.file_plan(major, days=2)
    world.clock.advance(days=5)
    error = world.refuse(major, "invalid_value", lambda: _stated(world, major, date(2023, 6, 2), True))
    assert error.details["field"] == "deadline"


def test_a_statement_about_a_superseded_deadline_is_accepted(world: World, major: UUID):
    world.file_plan(major, days=2)  # due 3 June
    world.app.hazards.extend_deadline(INSPECTOR, major, request_date=world.today(), reason="r", new_deadline=world.days(5), approver="a")
    world.clock.advance(days=10)
    world.accept(major, "DeadlineMissRecorded", lambda: _stated(world, major, date(2023, 6, 3), True))
    world.accept(major, "DeadlineMissRecorded", lambda: _stated(world, major, date(2023, 6, 6), False))
    status = _status(world, major)
    assert [(m.deadline, m.recorded) for m in status.misses] == [(date(2023, 6, 3), True)]
    assert status.overdue is False and status.lapsed is True


def test_a_statement_about_a_deadline_not_yet_passed_is_refused(world: World, major: UUID):
    world.file_plan(major, days=2)  # due 3 June
    world.clock.at = datetime(2023, 6, 3, 23, 59, tzinfo=CHINA_TZ)
    error = world.refuse(major, "deadline_not_passed", lambda: _stated(world, major, date(2023, 6, 3), False))
    assert error.details == {"deadline": "2023-06-03"}
    # its business time decides, not when it is entered
    world.clock.at = datetime(2023, 6, 10, tzinfo=CHINA_TZ)
    world.refuse(
        major,
        "deadline_not_passed",
        lambda: _stated(world, major, date(2023, 6, 3), True, occurred_at=datetime(2023, 6, 3, 18, 0, tzinfo=CHINA_TZ)),
    )
    world.clock.at = datetime(2023, 6, 4, 0, 1, tzinfo=CHINA_TZ)
    world.accept(major, "DeadlineMissRecorded", lambda: _stated(world, major, date(2023, 6, 3), False))


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_statement_without_a_reason_is_refused(world: World, major: UUID, reason: str):
    world.file_plan(major, days=2)
    world.clock.advance(days=5)
    error = world.refuse(major, "invalid_value", lambda: _stated(world, major, date(2023, 6, 3), True, reason=reason))
    assert error.details["field"] == "reason"


def test_a_statement_about_a_reported_hazard_is_refused_before_its_date_is_read(world: World, major: UUID):
    world.clock.advance(days=5)
    error = world.refuse(major, "invalid_transition", lambda: _stated(world, major, date(2023, 6, 3), True))
    assert error.details["action"] == "record_deadline_miss"


def test_a_statement_on_a_closed_hazard_is_accepted_and_changes_the_derived_facts(world: World):
    hazard_id = world.hazard_in(S.CLOSED)  # completed, verified and closed on the day of the report
    world.clock.advance(days=30)
    world.accept(hazard_id, "DeadlineMissRecorded", lambda: _stated(world, hazard_id, PLAN_DEADLINE, True))
    assert world.state(hazard_id) == "closed"
    assert _status(world, hazard_id).lapsed is True


# ----- late facts: acts entered late change what is derived -------------------------------------


def test_a_completion_back_dated_before_the_deadline_is_accepted_and_removes_the_miss(world: World, major: UUID):
    world.file_plan(major, days=2)  # due 3 June
    world.clock.advance(days=20)  # the deadline has long passed in wall time
    assert world.app.hazards.hazard(major)["overdue"] is True
    done = datetime(2023, 6, 3, 17, 0, tzinfo=CHINA_TZ)
    world.accept(
        major,
        "RectificationCompleted",
        lambda: world.app.hazards.complete_rectification(world.staff, major, note="已更换", occurred_at=done),
    )
    view = world.app.hazards.hazard(major)
    assert view["overdue"] is False and view["rectification_lapsed"] is False and view["missed_deadlines"] == []
    assert _status(world, major).misses == ()
    # but as of a moment between the deadline and the completion's day... there is none: it was never missed
    assert _status(world, major, datetime(2023, 6, 4, tzinfo=CHINA_TZ)).misses == ()


def _store_legacy_deadline_missed(world: World, hazard_id: UUID, actor: Actor, at: datetime, deadline: date) -> None:
    """What earlier versions stored (their deadline watcher as the system actor, or a clerk): a
    ``DeadlineMissed`` event, triggered through the aggregate's event method and saved as is."""
    hazard = world.app.repository.get(hazard_id)
    hazard._deadline_missed(actor=actor, occurred_at=at, deadline=deadline)
    world.app.hazards.save(hazard)


def test_a_stored_system_deadline_missed_neither_counts_nor_blocks_an_earlier_dated_act(world: World, major: UUID):
    world.file_plan(major, days=2)  # due 3 June
    world.clock.advance(days=10)
    watcher_at = datetime(2023, 6, 4, 0, 5, tzinfo=CHINA_TZ)
    _store_legacy_deadline_missed(world, major, SYSTEM, watcher_at, date(2023, 6, 3))
    assert world.types(major)[-1] == "DeadlineMissed"
    hazard = world.app.repository.get(major)  # replayed with the legacy event
    assert hazard.last_occurred_at == START  # the system's event did not move the business order
    done = datetime(2023, 6, 3, 17, 0, tzinfo=CHINA_TZ)  # before the watcher's event
    world.accept(
        major,
        "RectificationCompleted",
        lambda: world.app.hazards.complete_rectification(world.staff, major, note="已更换", occurred_at=done),
    )
    status = _status(world, major)
    assert status.misses == () and status.lapsed is False
    assert world.app.hazards.hazard(major)["missed_deadlines"] == []


def test_a_stored_system_deadline_missed_does_not_count_even_when_nothing_else_is_recorded(world: World, general: UUID):
    # The plan's deadline is not missed by the data (completed in time), the legacy watcher said it was.
    world.file_plan(general, days=2)
    world.complete(general)
    world.clock.advance(days=10)
    _store_legacy_deadline_missed(world, general, SYSTEM, datetime(2023, 6, 4, tzinfo=CHINA_TZ), date(2023, 6, 3))
    assert _status(world, general).misses == ()


def test_a_stored_deadline_missed_by_a_clerk_reads_as_a_statement_and_keeps_the_order(world: World, major: UUID):
    world.file_plan(major, days=2)  # due 3 June
    world.complete(major)  # in time by the data
    world.clock.advance(days=10)
    stated_at = datetime(2023, 6, 5, 9, 0, tzinfo=CHINA_TZ)
    _store_legacy_deadline_missed(world, major, OFFICE, stated_at, date(2023, 6, 3))
    status = _status(world, major)
    assert status.misses == (Miss(date(2023, 6, 3), first_instant_after(date(2023, 6, 3)), recorded=True),)
    # a person's act moves the business order as ever
    world.refuse(
        major,
        "occurred_out_of_order",
        lambda: world.app.hazards.verify(
            INSPECTOR, major, passed=True, opinion="o", assessed_by=[], occurred_at=stated_at - timedelta(hours=1)
        ),
    )


def _hazard_rectifying_without_deadline(world: World) -> Hazard:
    """The service never lets a plan without a deadline through (every plan kind needs or derives one);
    the guard is defensive, so the aggregate is put in that state through its event method directly."""
    hazard = Hazard.report(
        actor=world.principal,
        occurred_at=START,
        enterprise_id=world.enterprise_id,
        sector="hazardous_chemicals",
        jurisdiction="wulong",
        department="yjj",
        grade=Grade.GENERAL,
        source=HazardSource.SELF_INSPECTION,
        criterion="",
        description="d",
    )
    hazard._plan_filed(actor=world.principal, occurred_at=START, plan=RectificationPlan(responsible_person="p"))
    assert hazard.state is S.RECTIFYING and hazard.deadline is None
    return hazard


def test_extending_a_hazard_without_a_deadline_is_refused(world: World):
    hazard = _hazard_rectifying_without_deadline(world)
    with pytest.raises(DomainError) as info:
        hazard.extend_deadline(INSPECTOR, START, START.date(), "r", date(2023, 7, 1), "a")
    assert info.value.code == "no_deadline"
    assert hazard.deadline is None


def test_a_hazard_without_a_deadline_misses_nothing_and_takes_no_statement(world: World):
    hazard = _hazard_rectifying_without_deadline(world)
    status = hazard.status_at(START + timedelta(days=400))
    assert status.misses == () and status.overdue is False and status.deadline is None
    version = hazard.version
    with pytest.raises(DomainError) as info:
        hazard.record_deadline_miss(OFFICE, START + timedelta(days=1), START.date(), True, "r")
    assert info.value.code == "invalid_value" and info.value.details["field"] == "deadline"
    assert hazard.version == version


@pytest.mark.parametrize("immediate", [False, True])
def test_every_accepted_plan_leaves_a_deadline(world: World, general: UUID, immediate: bool):
    # Why `no_deadline` cannot be reached through the service.
    plan = RectificationPlan(
        responsible_person="p", measures="m", deadline=None if immediate else world.days(1), immediate=immediate
    )
    world.app.hazards.file_plan(world.principal, general, plan)
    assert world.app.hazards.hazard(general)["deadline"] is not None


# ===========================================================================================
# Business time (occurred_at)
# ===========================================================================================


def test_a_command_in_the_future_is_refused(world: World, major: UUID):
    error = world.refuse(
        major,
        "occurred_in_future",
        lambda: world.app.hazards.file_plan(
            world.principal, major, complete_plan(world.days(10)), occurred_at=START + timedelta(seconds=1)
        ),
    )
    assert error.details["occurred_at"] == (START + timedelta(seconds=1)).isoformat()


def test_a_command_at_exactly_now_is_accepted(world: World, major: UUID):
    world.accept(
        major,
        "RectificationPlanFiled",
        lambda: world.app.hazards.file_plan(world.principal, major, complete_plan(world.days(10)), occurred_at=START),
    )


def test_a_naive_time_is_read_as_beijing_time(world: World, major: UUID):
    naive_now = START.replace(tzinfo=None)
    world.refuse(
        major,
        "occurred_in_future",
        lambda: world.app.hazards.record_progress(world.principal, major, note="n", occurred_at=naive_now + timedelta(minutes=1)),
    )
    world.accept(
        major,
        "EvidenceAttached",
        lambda: world.app.hazards.attach_evidence(
            world.principal, major, file_name="f", media_type="text/plain", content=b"x", occurred_at=naive_now
        ),
    )
    assert world.last(major)["occurred_at"] == START.isoformat()


def test_back_dating_within_the_window_is_accepted_and_beyond_it_refused(world: World):
    window = timedelta(days=world.app.rules.backdate_days)
    assert world.app.rules.backdate_days == 3650  # the documented default
    too_early = START - window - timedelta(seconds=1)
    error = world.refuse_new("occurred_too_early", lambda: world.report(Grade.GENERAL, occurred_at=too_early))
    assert error.details == {"occurred_at": too_early.isoformat(), "days": 3650}
    hazard_id = world.report(Grade.GENERAL, occurred_at=START - window)
    assert world.app.hazards.hazard(hazard_id)["reported_at"] == (START - window).isoformat()


def test_the_back_dating_window_is_configuration(world: World):
    app = Ledger(IN_MEMORY, clock=FixedClock(START), rules=LedgerRules(backdate_days=7))
    enterprise_id = app.enterprises.register_enterprise(
        OFFICE,
        credit_code=credit_code("91530114MA6K0002X"),
        name="n",
        sector="hazardous_chemicals",
        jurisdiction="wulong",
        principal_name="p",
    )
    with pytest.raises(DomainError) as info:
        app.hazards.report_hazard(
            OFFICE,
            enterprise_id=enterprise_id,
            grade=Grade.GENERAL,
            source=HazardSource.TIP_OFF,
            description="d",
            occurred_at=START - timedelta(days=8),
        )
    assert info.value.code == "occurred_too_early"
    assert info.value.details["days"] == 7
    assert app.recorder.max_notification_id() == 1


def test_a_back_dated_event_before_the_previous_one_is_refused(world: World, major: UUID):
    world.app.hazards.file_plan(world.principal, major, complete_plan(world.days(10)), occurred_at=START)
    earlier = START - timedelta(hours=2)
    error = world.refuse(
        major, "occurred_out_of_order", lambda: world.app.hazards.record_progress(world.principal, major, note="n", occurred_at=earlier)
    )
    assert error.details == {"occurred_at": earlier.isoformat(), "previous": START.isoformat()}


def test_a_back_dated_event_after_the_previous_one_is_accepted(world: World):
    hazard_id = world.report(occurred_at=START - timedelta(days=5))
    world.accept(
        hazard_id,
        "HazardReportedToRegulator",
        lambda: world.app.hazards.report_to_regulator(world.principal, hazard_id, occurred_at=START - timedelta(days=4)),
    )
    world.accept(
        hazard_id,
        "RectificationPlanFiled",
        lambda: world.app.hazards.file_plan(
            world.principal, hazard_id, complete_plan(world.days(10)), occurred_at=START - timedelta(days=4)
        ),
    )


def test_business_dates_of_back_dated_commands_use_the_day_they_happened(world: World):
    # A plan back-dated to 25 May may carry a deadline of 28 May although "today" is 1 June.
    hazard_id = world.report(occurred_at=START - timedelta(days=10))
    world.accept(
        hazard_id,
        "RectificationPlanFiled",
        lambda: world.app.hazards.file_plan(
            world.principal, hazard_id, complete_plan(date(2023, 5, 28)), occurred_at=START - timedelta(days=7)
        ),
    )


# ===========================================================================================
# Optimistic concurrency
# ===========================================================================================


def test_a_stale_expected_version_is_refused(world: World, major: UUID):
    world.file_plan(major)  # version 2
    error = world.refuse(
        major, "version_conflict", lambda: world.app.hazards.record_progress(world.principal, major, note="n", expected_version=1)
    )
    assert error.details == {"expected": 1, "actual": 2}


def test_the_current_expected_version_is_accepted(world: World, major: UUID):
    world.file_plan(major)
    receipt = world.accept(
        major, "ProgressRecorded", lambda: world.app.hazards.record_progress(world.principal, major, note="n", expected_version=2)
    )
    assert receipt.version == 3


def test_a_concurrent_append_to_the_same_hazard_is_refused(world: World, major: UUID, monkeypatch):
    # Both writers load version 1; the first saves, the second is told to reload.
    stale = world.app.repository.get(major)
    world.file_plan(major)
    monkeypatch.setattr(world.app.repository, "get", lambda *args, **kwargs: stale)
    total = world.total_events()
    with pytest.raises(DomainError) as info:
        world.app.hazards.void_hazard(INSPECTOR, major, reason="重复")
    monkeypatch.undo()
    assert info.value.code == "version_conflict"
    assert world.types(major) == ["HazardReported", "RectificationPlanFiled"]
    assert world.total_events() == total


# ===========================================================================================
# Evidence (佐证材料)
# ===========================================================================================


def test_evidence_bytes_are_stored_and_retrievable_by_digest(world: World, major: UUID):
    content = "整改后现场照片".encode() + bytes(range(256))
    digest = hashlib.sha256(content).hexdigest()
    taken = START - timedelta(hours=3)
    world.accept(
        major,
        "EvidenceAttached",
        lambda: world.app.hazards.attach_evidence(
            world.principal,
            major,
            file_name=" 照片.jpg ",
            media_type="image/jpeg",
            content=content,
            sha256=digest.upper(),
            taken_at=taken,
            latitude=24.89,
            longitude=102.87,
        ),
    )
    assert world.last(major)["data"] == {
        "file_name": "照片.jpg",
        "media_type": "image/jpeg",
        "sha256": digest,
        "size": len(content),
        "taken_at": taken.isoformat(),
        "latitude": 24.89,
        "longitude": 102.87,
    }
    assert world.app.hazards.hazard(major)["evidence"] == [digest]
    assert world.app.hazards.evidence_content(major, digest) == ("image/jpeg", content)


def test_evidence_whose_digest_does_not_match_its_bytes_is_refused(world: World, major: UUID):
    world.refuse(
        major,
        "evidence_digest_mismatch",
        lambda: world.app.hazards.attach_evidence(
            world.principal,
            major,
            file_name="f",
            media_type="text/plain",
            content=b"abc",
            sha256=hashlib.sha256(b"abd").hexdigest(),
        ),
    )
    assert world.app.hazards.evidence.get(hashlib.sha256(b"abc").hexdigest()) is None  # bytes not kept either


def test_evidence_larger_than_the_limit_is_refused_and_the_limit_itself_accepted():
    world = new_world(rules=LedgerRules(evidence_max_bytes=16))
    hazard_id = world.report()
    error = world.refuse(
        hazard_id,
        "evidence_too_large",
        lambda: world.app.hazards.attach_evidence(
            world.principal, hazard_id, file_name="f", media_type="application/octet-stream", content=b"x" * 17
        ),
    )
    assert error.details == {"limit": 16}
    world.accept(
        hazard_id,
        "EvidenceAttached",
        lambda: world.app.hazards.attach_evidence(
            world.principal, hazard_id, file_name="f", media_type="application/octet-stream", content=b"x" * 16
        ),
    )


def test_evidence_of_another_hazard_is_not_served(world: World, major: UUID, general: UUID):
    world.app.hazards.attach_evidence(world.principal, major, file_name="f", media_type="text/plain", content=b"secret")
    digest = hashlib.sha256(b"secret").hexdigest()
    with pytest.raises(DomainError) as info:
        world.app.hazards.evidence_content(general, digest)
    assert info.value.code == "evidence_not_found"
    assert info.value.details == {"sha256": digest}


def test_evidence_without_a_file_name_is_refused(world: World, major: UUID):
    error = world.refuse(
        major,
        "invalid_value",
        lambda: world.app.hazards.attach_evidence(world.principal, major, file_name=" ", media_type="text/plain", content=b"x"),
    )
    assert error.details["field"] == "file_name"


@pytest.mark.parametrize(("lat", "lon"), [(24.9, None), (None, 102.8), (91.0, 102.8), (24.9, 181.0)])
def test_evidence_with_a_half_or_out_of_range_position_is_refused(world: World, major: UUID, lat, lon):
    error = world.refuse(
        major,
        "invalid_value",
        lambda: world.app.hazards.attach_evidence(
            world.principal, major, file_name="f", media_type="text/plain", content=b"x", latitude=lat, longitude=lon
        ),
    )
    assert error.details["field"] == "latitude"


# ===========================================================================================
# Reporting a hazard
# ===========================================================================================


def test_a_hazard_without_a_description_is_refused(world: World):
    error = world.refuse_new("invalid_value", lambda: world.report(description="  "))
    assert error.details["field"] == "description"


def test_a_major_hazard_must_name_its_criterion_clause(world: World):
    error = world.refuse_new("invalid_value", lambda: world.report(Grade.MAJOR, criterion=" "))
    assert error.details["field"] == "criterion"


def test_a_general_hazard_needs_no_criterion(world: World):
    hazard_id = world.report(Grade.GENERAL, criterion="")
    assert world.app.hazards.hazard(hazard_id)["criterion"] == ""


def test_a_hazard_cannot_have_existed_since_after_its_report(world: World):
    error = world.refuse_new("invalid_value", lambda: world.report(existed_since=date(2023, 6, 2)))
    assert error.details["field"] == "existed_since"
    hazard_id = world.report(existed_since=date(2023, 6, 1))
    assert world.app.hazards.hazard(hazard_id)["existed_since"] == "2023-06-01"


@pytest.mark.parametrize("source", [s for s in HazardSource if s is not HazardSource.SELF_INSPECTION])
def test_an_enterprise_reports_only_its_own_findings(world: World, source: HazardSource):
    error = world.refuse_new("invalid_value", lambda: world.report(source=source))
    assert error.details["field"] == "source"


def test_a_regulator_may_report_a_hazard_found_on_a_tip_off(world: World):
    hazard_id = world.report(Grade.MAJOR, by=INSPECTOR, source=HazardSource.TIP_OFF)
    view = world.app.hazards.hazard(hazard_id)
    assert (view["source"], view["reported_by"]["organisation_id"]) == ("tip_off", "yjj")


def test_a_hazard_of_an_unknown_enterprise_is_refused(world: World):
    world.refuse_new("enterprise_not_found", lambda: world.report(enterprise_id=uuid4()))


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("sector", "space_mining", "unknown_sector"),
        ("jurisdiction", "yjj", "unknown_jurisdiction"),  # a department is not a territory
        ("department", "wulong", "unknown_department"),  # a street is not a department
    ],
)
def test_a_hazard_with_unknown_reference_data_is_refused(world: World, field: str, value: str, code: str):
    world.refuse_new(code, lambda: world.report(by=OFFICE, source=HazardSource.SUPERVISION, **{field: value}))


def test_commands_on_an_unknown_hazard_are_refused(world: World):
    error = world.refuse_new("hazard_not_found", lambda: world.app.hazards.record_progress(world.principal, uuid4(), note="n"))
    assert "id" in error.details


def test_an_enterprise_id_is_not_a_hazard(world: World):
    with pytest.raises(DomainError) as info:
        world.app.hazards.hazard(world.enterprise_id)
    assert info.value.code == "hazard_not_found"


# ===========================================================================================
# Input checks of the other commands
# ===========================================================================================


def test_progress_without_a_note_is_refused(world: World, major: UUID):
    world.file_plan(major)
    error = world.refuse(major, "invalid_value", lambda: world.app.hazards.record_progress(world.principal, major, note=" "))
    assert error.details["field"] == "note"


@pytest.mark.parametrize("percent", [-1, 101])
def test_progress_outside_0_to_100_percent_is_refused(world: World, major: UUID, percent: int):
    world.file_plan(major)
    error = world.refuse(
        major, "invalid_value", lambda: world.app.hazards.record_progress(world.principal, major, note="n", percent=percent)
    )
    assert error.details["field"] == "percent"


@pytest.mark.parametrize("percent", [0, 100, None])
def test_progress_at_the_bounds_is_accepted(world: World, major: UUID, percent):
    world.file_plan(major)
    world.accept(major, "ProgressRecorded", lambda: world.app.hazards.record_progress(world.principal, major, note="n", percent=percent))


def test_voiding_without_a_reason_is_refused(world: World, major: UUID):
    error = world.refuse(major, "invalid_value", lambda: world.app.hazards.void_hazard(INSPECTOR, major, reason=" "))
    assert error.details["field"] == "reason"


# ===========================================================================================
# Access: roles and scope
# ===========================================================================================

ROLE_REFUSALS = [
    ("report_to_regulator", INSPECTOR),
    ("file_plan", EXPERT),
    ("record_progress", EXPERT),
    ("list_for_supervision", "principal"),
    ("list_for_supervision", EXPERT),
    ("lift_supervision", "principal"),
    ("extend_deadline", "principal"),
    ("record_deadline_miss", INSPECTOR),
    ("record_deadline_miss", "principal"),
    ("record_deadline_miss", STREET_OFFICER),
    ("record_deadline_miss", SYSTEM),
    ("complete_rectification", INSPECTOR),
    ("complete_rectification", OFFICE),
    ("verify", "staff"),
    ("close", "staff"),
    ("close", EXPERT),
    ("void", "principal"),
    ("void", EXPERT),
]

ROLE_COMMANDS: dict[str, Callable[[World, UUID, Any], Any]] = {
    "report_to_regulator": lambda w, h, a: w.app.hazards.report_to_regulator(a, h),
    "file_plan": lambda w, h, a: w.app.hazards.file_plan(a, h, complete_plan(w.days(10))),
    "record_progress": lambda w, h, a: w.app.hazards.record_progress(a, h, note="n"),
    "attach_evidence": lambda w, h, a: w.app.hazards.attach_evidence(a, h, file_name="f", media_type="text/plain", content=b"x"),
    "list_for_supervision": lambda w, h, a: w.app.hazards.list_for_supervision(a, h, listing(w.days(30))),
    "lift_supervision": lambda w, h, a: w.app.hazards.lift_supervision(a, h, reason="r", approver="a"),
    "extend_deadline": lambda w, h, a: w.app.hazards.extend_deadline(
        a, h, request_date=w.today(), reason="r", new_deadline=w.days(30), approver="a"
    ),
    "record_deadline_miss": lambda w, h, a: w.app.hazards.record_deadline_miss(
        a, h, deadline=w.days(10), missed=True, reason="r"
    ),
    "complete_rectification": lambda w, h, a: w.app.hazards.complete_rectification(a, h),
    "verify": lambda w, h, a: w.app.hazards.verify(a, h, passed=True, opinion="o", assessed_by=[]),
    "close": lambda w, h, a: w.app.hazards.close_hazard(a, h),
    "void": lambda w, h, a: w.app.hazards.void_hazard(a, h, reason="r"),
}


def _resolve(world: World, who: Any):
    return {"principal": world.principal, "staff": world.staff}.get(who, who) if isinstance(who, str) else who


@pytest.mark.parametrize(
    ("action", "who"), ROLE_REFUSALS, ids=[f"{a}-{w if isinstance(w, str) else w.role.value}" for a, w in ROLE_REFUSALS]
)
def test_a_role_not_entitled_to_an_action_is_refused(world: World, action: str, who: Any):
    actor = _resolve(world, who)
    hazard_id = world.hazard_in(S.RECTIFYING)
    error = world.refuse(hazard_id, "role_not_allowed", lambda: ROLE_COMMANDS[action](world, hazard_id, actor))
    assert error.details["role"] == actor.role.value


@pytest.mark.parametrize("action", list(ROLE_COMMANDS))
def test_an_auditor_changes_nothing(world: World, major: UUID, action: str):
    world.refuse(major, "role_not_allowed", lambda: ROLE_COMMANDS[action](world, major, AUDITOR))


def test_an_auditor_may_not_report_a_hazard(world: World):
    world.refuse_new("role_not_allowed", lambda: world.report(by=AUDITOR, source=HazardSource.SUPERVISION))


def _other_enterprise(world: World, sector: str = "transport", jurisdiction: str = "longcheng") -> UUID:
    return world.app.enterprises.register_enterprise(
        OFFICE,
        credit_code=credit_code("91530114MA6K0003X"),
        name="某运输公司",
        sector=sector,
        jurisdiction=jurisdiction,
        principal_name="钱总",
    ).id


def test_an_enterprise_may_not_act_on_another_enterprises_hazard(world: World, major: UUID):
    stranger = enterprise_actor(_other_enterprise(world), Role.PRINCIPAL, "other-principal", "钱总", "某运输公司")
    error = world.refuse(major, "outside_scope", lambda: world.app.hazards.record_progress(stranger, major, note="n"))
    assert error.details["organisation"] == "某运输公司"
    world.refuse(major, "outside_scope", lambda: world.app.hazards.report_to_regulator(stranger, major))


def test_an_enterprise_may_not_report_a_hazard_of_another_enterprise(world: World):
    other = _other_enterprise(world)
    world.refuse_new("outside_scope", lambda: world.report(enterprise_id=other))


def test_a_department_that_does_not_lead_the_sector_is_outside_scope(world: World, major: UUID):
    world.refuse(major, "outside_scope", lambda: world.app.hazards.list_for_supervision(OTHER_DEPARTMENT, major, listing(world.days(30))))
    world.refuse(major, "outside_scope", lambda: world.app.hazards.void_hazard(OTHER_DEPARTMENT, major, reason="r"))


def test_a_department_that_does_not_lead_the_sector_may_not_report_there(world: World):
    world.refuse_new("outside_scope", lambda: world.report(by=OTHER_DEPARTMENT))


def test_a_department_cannot_bring_a_hazard_into_its_scope_by_naming_itself_responsible(world: World):
    world.refuse_new("outside_scope", lambda: world.report(by=OTHER_DEPARTMENT, department="jtj"))


def test_a_lead_department_of_the_parent_row_may_act_on_a_sub_row(world: World):
    # 房屋市政 is a "其中" row of 建设项目, which 区交通运输局 co-leads.
    builder = _other_enterprise(world, sector="construction_housing", jurisdiction="wulong")
    hazard_id = world.report(by=OTHER_DEPARTMENT, enterprise_id=builder)
    assert world.app.hazards.hazard(hazard_id)["department"] == "zjj"
    world.accept(
        hazard_id,
        "ListedForSupervision",
        lambda: world.app.hazards.list_for_supervision(OTHER_DEPARTMENT, hazard_id, listing(world.days(30))),
    )


def test_a_street_acts_within_its_territory(world: World, major: UUID):
    world.accept(
        major, "ListedForSupervision", lambda: world.app.hazards.list_for_supervision(STREET_OFFICER, major, listing(world.days(30)))
    )


def test_a_street_outside_its_territory_is_outside_scope(world: World, major: UUID):
    error = world.refuse(
        major, "outside_scope", lambda: world.app.hazards.list_for_supervision(OTHER_STREET, major, listing(world.days(30)))
    )
    assert error.details["organisation"] == "龙城街道"


def test_a_street_may_not_report_a_hazard_outside_its_territory(world: World):
    world.refuse_new("outside_scope", lambda: world.report(by=OTHER_STREET))


def test_the_committee_office_may_act_anywhere(world: World):
    other = _other_enterprise(world, sector="transport", jurisdiction="majinpu")
    hazard_id = world.app.hazards.report_hazard(
        OFFICE,
        enterprise_id=other,
        grade=Grade.MAJOR,
        source=HazardSource.SUPERVISION,
        criterion="道路运输 第三条",
        description="车辆超载",
    ).id
    world.accept(hazard_id, "HazardReportedToRegulator", lambda: world.app.hazards.report_to_regulator(OFFICE, hazard_id))
    world.accept(
        hazard_id, "ListedForSupervision", lambda: world.app.hazards.list_for_supervision(OFFICE, hazard_id, listing(world.days(30)))
    )
    world.accept(
        hazard_id, "RectificationPlanFiled", lambda: world.app.hazards.file_plan(OFFICE, hazard_id, complete_plan(world.days(0)))
    )
    world.clock.advance(days=1)
    world.accept(
        hazard_id,
        "DeadlineMissRecorded",
        lambda: world.app.hazards.record_deadline_miss(OFFICE, hazard_id, deadline=START.date(), missed=True, reason="r"),
    )
    world.accept(
        hazard_id,
        "DeadlineExtended",
        lambda: world.app.hazards.extend_deadline(
            OFFICE, hazard_id, request_date=world.today(), reason="r", new_deadline=world.days(9), approver="a"
        ),
    )
    world.accept(hazard_id, "HazardVoided", lambda: world.app.hazards.void_hazard(OFFICE, hazard_id, reason="误报"))
    # and in the standard enterprise's sector and street too
    mine = world.report()
    world.accept(mine, "ListedForSupervision", lambda: world.app.hazards.list_for_supervision(OFFICE, mine, listing(world.days(30))))


def test_an_expert_may_attach_evidence_and_verify_anywhere(world: World):
    other = _other_enterprise(world)
    hazard_id = world.app.hazards.report_hazard(
        OFFICE, enterprise_id=other, grade=Grade.MAJOR, source=HazardSource.SUPERVISION, criterion="c", description="d"
    ).id
    world.app.hazards.file_plan(OFFICE, hazard_id, complete_plan(world.days(3)))
    world.accept(
        hazard_id,
        "EvidenceAttached",
        lambda: world.app.hazards.attach_evidence(
            EXPERT, hazard_id, file_name="检测报告.pdf", media_type="application/pdf", content=b"%PDF"
        ),
    )
    other_principal = enterprise_actor(other, Role.PRINCIPAL, "other-principal", "钱总")
    world.app.hazards.complete_rectification(other_principal, hazard_id)
    world.accept(hazard_id, "VerificationPassed", lambda: world.verify(hazard_id, by=EXPERT))


def test_role_is_checked_before_the_record_is_loaded(world: World):
    with pytest.raises(DomainError) as info:
        world.app.hazards.void_hazard(AUDITOR, uuid4(), reason="r")
    assert info.value.code == "role_not_allowed"
    assert "审计人员" in info.value.message_zh


def test_a_self_found_major_reported_in_time_is_exempt_until_its_rectification_lapses(world: World, major: UUID):
    hours = world.app.rules.report_to_regulator_hours
    world.clock.advance(hours=hours - 1)
    world.app.hazards.report_to_regulator(world.principal, major)
    reported = world.clock.now()
    hazard = world.app.repository.get(major)
    assert hazard.self_report_exempt(hours, reported) is True
    # as of a moment before it was reported to the regulator, it was not (yet) exempt
    assert hazard.self_report_exempt(hours, reported - timedelta(minutes=1)) is False
    world.file_plan(major, days=3)
    deadline = world.days(3)
    world.clock.advance(days=5)
    world.app.hazards.extend_deadline(
        INSPECTOR, major, request_date=world.today(), reason="设备延期", new_deadline=world.days(9),
        approver="张伟",
    )  # fmt: skip
    hazard = world.app.repository.get(major)
    now = world.clock.now()
    assert hazard.status_at(now).overdue is False and hazard.status_at(now).lapsed is True
    assert hazard.self_report_exempt(hours, now) is False
    # judged as of a business time: exempt up to the last instant of the deadline day, not after
    assert hazard.self_report_exempt(hours, first_instant_after(deadline) - timedelta(microseconds=1)) is True
    assert hazard.self_report_exempt(hours, first_instant_after(deadline)) is False


def test_a_major_reported_late_is_not_exempt(world: World, major: UUID):
    hours = world.app.rules.report_to_regulator_hours
    world.clock.advance(hours=hours + 1)
    world.app.hazards.report_to_regulator(world.principal, major)
    hazard = world.app.repository.get(major)
    assert hazard.self_report_exempt(hours, world.clock.now()) is False
    assert hazard.self_report_exempt(hours, world.clock.now() + timedelta(days=30)) is False


def test_the_read_models_steps_fold_like_the_aggregate_and_skip_the_systems_legacy_event(world: World, major: UUID):
    from domain.hazard_timeline import steps_of
    from projections.hazard_steps import row_status, steps_of_row, with_step

    world.file_plan(major, days=2)  # due 3 June
    world.clock.advance(days=10)
    _store_legacy_deadline_missed(world, major, SYSTEM, datetime(2023, 6, 4, 0, 5, tzinfo=CHINA_TZ), date(2023, 6, 3))
    world.app.hazards.complete_rectification(world.staff, major, note="已更换", occurred_at=datetime(2023, 6, 3, 17, tzinfo=CHINA_TZ))
    world.accept(major, "DeadlineMissRecorded", lambda: _stated(world, major, date(2023, 6, 3), True, reason="复核"))
    events = list(world.app.repository.event_store.get(major))
    row: dict[str, Any] = {"steps": None}
    for e in events:
        row["steps"] = with_step(row["steps"], e)
    assert len(row["steps"]) == len(events) - 1  # the system's DeadlineMissed is no step
    assert steps_of_row(row["steps"]) == steps_of(events)
    for moment in (START, datetime(2023, 6, 4, tzinfo=CHINA_TZ), world.clock.now()):
        expected = world.app.repository.get(major).status_at(moment)
        assert row_status(row, moment) == expected
    # as known before the clerk's statement was recorded, the completion in time means no miss
    statement_recorded = events[-1].timestamp
    assert row_status(row, world.clock.now(), statement_recorded - timedelta(microseconds=1)).misses == ()
    assert [m.recorded for m in row_status(row, world.clock.now()).misses] == [True]
