"""我的工作's duties (domain/my_work.py): each is the work of the roles that may take its step."""

from __future__ import annotations

from datetime import date

from domain.access import ACTION_ROLES
from domain.actor import Actor
from domain.glossary import Duty, Grade, HazardState, OrgKind, Role
from domain.my_work import duties, grade_for, near_until, waiting_state

ORG_KIND = {Role.PRINCIPAL: OrgKind.ENTERPRISE, Role.ENTERPRISE_STAFF: OrgKind.ENTERPRISE, Role.INSPECTOR: OrgKind.DEPARTMENT,
            Role.STREET_OFFICER: OrgKind.STREET, Role.COMMITTEE_OFFICE: OrgKind.COMMITTEE_OFFICE,
            Role.EXPERT: OrgKind.EXPERT_BODY, Role.AUDITOR: OrgKind.AUDIT_BODY, Role.ADMIN: OrgKind.COMMITTEE_OFFICE}  # fmt: skip


def person(role: Role) -> Actor:
    return Actor("u", "某人", role, "org", ORG_KIND[role])


def test_each_role_gets_the_work_it_may_do() -> None:
    assert duties(person(Role.ENTERPRISE_STAFF)) == [Duty.PLAN_DUE, Duty.DEADLINE_NEAR, Duty.DEADLINE_MISSED, Duty.SELF_REPORT_DUE]
    assert Duty.AWAITING_CLOSURE in duties(person(Role.PRINCIPAL))  # a principal closes a general hazard
    office = duties(person(Role.COMMITTEE_OFFICE))
    assert Duty.WARNING_TO_CONFIRM in office and Duty.PLAN_DUE not in office  # plans are the enterprise's to file
    assert duties(person(Role.EXPERT)) == [Duty.AWAITING_VERIFICATION]
    assert duties(person(Role.AUDITOR)) == duties(person(Role.ADMIN)) == []


def test_no_one_is_shown_work_they_may_not_do() -> None:
    for role in ORG_KIND:
        for duty in duties(person(role)):
            assert duty is not Duty.WARNING_TO_CONFIRM or role in ACTION_ROLES["confirm_warning"]
            assert duty is not Duty.AWAITING_VERIFICATION or role in ACTION_ROLES["verify"]


def test_majors_wait_only_for_those_who_may_verify_or_close_them() -> None:
    assert grade_for(Duty.AWAITING_VERIFICATION, person(Role.COMMITTEE_OFFICE)) is Grade.GENERAL
    assert grade_for(Duty.AWAITING_VERIFICATION, person(Role.INSPECTOR)) is None
    assert grade_for(Duty.AWAITING_CLOSURE, person(Role.PRINCIPAL)) is Grade.GENERAL
    assert grade_for(Duty.AWAITING_CLOSURE, person(Role.COMMITTEE_OFFICE)) is None


def test_a_duty_waits_in_the_state_its_step_starts_from() -> None:
    assert waiting_state(Duty.PLAN_DUE) is HazardState.REPORTED
    assert waiting_state(Duty.AWAITING_VERIFICATION) is HazardState.PENDING_VERIFICATION
    assert waiting_state(Duty.LISTING_TO_LIFT) is HazardState.VERIFIED
    assert near_until(date(2023, 12, 28)) == date(2024, 1, 4)
