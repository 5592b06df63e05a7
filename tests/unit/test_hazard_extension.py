"""Extension on request (申请延期): the enterprise asks, the supervising unit approves or refuses; only an
approval moves the deadline, within the district's limits (domain/hazard_extension.py)."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.settings import Settings
from domain.access import check_role
from domain.business_time import first_instant_after
from domain.errors import DomainError
from domain.glossary import HazardState
from domain.hazard import offered
from domain.reference_data import LedgerRules, load_reference

from .support import (
    EXPERT,
    INSPECTOR,
    OFFICE,
    OTHER_DEPARTMENT,
    OTHER_STREET,
    START,
    STREET_OFFICER,
    World,
    enterprise_actor,
    new_world,
)

S = HazardState


def _rectifying(world: World, days: int = 10) -> UUID:
    """A major under a plan due ``days`` from today."""
    hazard_id = world.report()
    world.file_plan(hazard_id, days=days)
    return hazard_id


def _request(world: World, hazard_id: UUID, days: int = 20, by=None):
    return world.app.hazards.request_extension(
        by or world.principal, hazard_id, reason="防爆电机供货延迟", requested_deadline=world.days(days)
    )


def _approve(world: World, hazard_id: UUID, days: int = 20, by=INSPECTOR):
    return world.app.hazards.approve_extension(by, hazard_id, opinion="同意延期，落实临时管控措施", new_deadline=world.days(days))


def _refuse(world: World, hazard_id: UUID, by=INSPECTOR):
    return world.app.hazards.refuse_extension(by, hazard_id, opinion="理由不充分")


# ----- the request and its decision ---------------------------------------------------------------


def test_the_enterprise_requests_with_reasons_and_a_date_and_the_deadline_stays_until_a_decision(world: World):
    hazard_id = _rectifying(world)
    world.clock.advance(days=2)
    world.accept(hazard_id, "ExtensionRequested", lambda: _request(world, hazard_id, days=18, by=world.staff))
    assert world.last(hazard_id)["data"] == {
        "request_number": 1,
        "reason": "防爆电机供货延迟",
        "requested_deadline": "2023-06-21",
        "deadline": "2023-06-11",
    }
    view = world.app.hazards.hazard(hazard_id)
    assert view["deadline"] == "2023-06-11"
    request = view["extension_request"]
    assert (request["number"], request["decision"], request["decision_zh"]) == (1, "pending", "待审批")
    assert request["requested_at"] == (START + timedelta(days=2)).isoformat()
    assert request["requested_by"]["user_id"] == world.staff.user_id
    assert view["extension_requests"] == [request]


def test_an_approval_moves_the_deadline_to_the_approved_date_and_closes_the_request(world: World):
    hazard_id = _rectifying(world)
    _request(world, hazard_id, days=25)
    world.clock.advance(days=1)
    world.accept(hazard_id, "ExtensionApproved", lambda: _approve(world, hazard_id, days=19))  # less than asked
    # the decision carries what the 延期审批意见书 needs: the request it decides, the deadlines, the opinion
    assert world.last(hazard_id)["data"] == {
        "request_number": 1,
        "request_date": "2023-06-01",
        "reason": "防爆电机供货延迟",
        "requested_deadline": "2023-06-26",
        "previous_deadline": "2023-06-11",
        "new_deadline": "2023-06-21",
        "opinion": "同意延期，落实临时管控措施",
    }
    view = world.app.hazards.hazard(hazard_id)
    assert view["deadline"] == "2023-06-21"
    assert view["extension_request"] is None
    (decided,) = view["extension_requests"]
    assert (decided["decision"], decided["decision_zh"], decided["new_deadline"]) == ("approved", "批准延期", "2023-06-21")
    assert decided["decided_by"]["user_id"] == INSPECTOR.user_id
    assert (view["extensions"], view["extensions_left"]) == (1, 0)


def test_a_refusal_keeps_the_deadline_and_the_hazard_falls_overdue_after_it(world: World):
    hazard_id = _rectifying(world)
    _request(world, hazard_id)
    world.accept(hazard_id, "ExtensionRefused", lambda: _refuse(world, hazard_id))
    assert world.last(hazard_id)["data"]["deadline"] == "2023-06-11"
    world.clock.advance(days=11)
    view = world.app.hazards.hazard(hazard_id)
    assert (view["deadline"], view["overdue"], view["extension_request"]) == ("2023-06-11", True, None)
    assert view["extension_requests"][0]["decision"] == "refused"
    assert view["extensions"] == 0
    # a refused request uses nothing of the limit: the enterprise may ask again
    world.accept(hazard_id, "ExtensionRequested", lambda: _request(world, hazard_id, days=10))


def test_overdue_and_misses_are_computed_against_the_approved_deadline(world: World):
    hazard_id = _rectifying(world, days=10)  # due 11 June
    _request(world, hazard_id, days=20)
    _approve(world, hazard_id, days=20)  # due 21 June
    stored = world.app.repository.get(hazard_id)
    old_deadline, new_deadline = world.days(10), world.days(20)
    assert not stored.status_at(first_instant_after(old_deadline)).overdue  # the first deadline never lapsed
    assert not stored.status_at(first_instant_after(new_deadline) - timedelta(seconds=1)).overdue
    missed = stored.status_at(first_instant_after(new_deadline))
    assert missed.overdue and missed.deadline == new_deadline
    assert [m.deadline for m in missed.misses] == [new_deadline]


def test_an_approval_after_the_deadline_passed_does_not_undo_the_miss(world: World):
    hazard_id = _rectifying(world, days=2)
    _request(world, hazard_id, days=15)
    world.clock.advance(days=5)  # the deadline passed while the request waited
    _approve(world, hazard_id, days=10)
    view = world.app.hazards.hazard(hazard_id)
    assert (view["deadline"], view["overdue"], view["rectification_lapsed"]) == ("2023-06-16", False, True)


# ----- who may, and in which state ----------------------------------------------------------------


@pytest.mark.parametrize("who", [INSPECTOR, STREET_OFFICER, OFFICE, EXPERT], ids=lambda a: a.role.value)
def test_only_the_enterprise_requests(world: World, who):
    hazard_id = _rectifying(world)
    world.refuse(hazard_id, "role_not_allowed", lambda: _request(world, hazard_id, by=who))


def test_another_enterprise_cannot_request(world: World):
    hazard_id = _rectifying(world)
    stranger = enterprise_actor(UUID(int=7), world.principal.role, "other-1", "外企")
    world.refuse(hazard_id, "outside_scope", lambda: _request(world, hazard_id, by=stranger))


@pytest.mark.parametrize("decide", [_approve, _refuse], ids=["approve", "refuse"])
@pytest.mark.parametrize("who", ["principal", "staff", EXPERT], ids=["principal", "staff", "expert"])
def test_the_enterprise_and_experts_cannot_decide(world: World, decide, who):
    hazard_id = _rectifying(world)
    _request(world, hazard_id)
    actor = getattr(world, who) if isinstance(who, str) else who
    world.refuse(hazard_id, "role_not_allowed", lambda: decide(world, hazard_id, by=actor))


@pytest.mark.parametrize("decide", [_approve, _refuse], ids=["approve", "refuse"])
@pytest.mark.parametrize("who", [OTHER_DEPARTMENT, OTHER_STREET], ids=["other-department", "other-street"])
def test_a_unit_outside_the_hazards_scope_cannot_decide(world: World, decide, who):
    hazard_id = _rectifying(world)
    _request(world, hazard_id)
    world.refuse(hazard_id, "outside_scope", lambda: decide(world, hazard_id, by=who))


@pytest.mark.parametrize("decider", [INSPECTOR, STREET_OFFICER, OFFICE], ids=lambda a: a.role.value)
def test_whoever_may_extend_decides(world: World, decider):
    for action in ("extend_deadline", "approve_extension", "refuse_extension"):
        check_role(decider, action)
    hazard_id = _rectifying(world)
    _request(world, hazard_id)
    world.accept(hazard_id, "ExtensionApproved", lambda: _approve(world, hazard_id, by=decider))


@pytest.mark.parametrize("state", [S.REPORTED, S.PENDING_VERIFICATION, S.VERIFIED])
def test_a_request_is_made_only_while_rectifying(world: World, state: HazardState):
    hazard_id = world.hazard_in(state)
    world.refuse(hazard_id, "invalid_transition", lambda: _request(world, hazard_id))


@pytest.mark.parametrize("decide", [_approve, _refuse], ids=["approve", "refuse"])
def test_a_decision_needs_an_open_request(world: World, decide):
    hazard_id = _rectifying(world)
    world.refuse(hazard_id, "no_extension_request", lambda: decide(world, hazard_id))
    _request(world, hazard_id)
    _refuse(world, hazard_id)
    world.refuse(hazard_id, "no_extension_request", lambda: decide(world, hazard_id))


def test_one_request_at_a_time(world: World):
    hazard_id = _rectifying(world)
    _request(world, hazard_id)
    error = world.refuse(hazard_id, "extension_request_open", lambda: _request(world, hazard_id, days=15))
    assert error.details == {"requested_at": "2023-06-01"}


def test_a_request_still_open_when_completion_is_claimed_waits_for_rectifying_again(world: World):
    hazard_id = _rectifying(world)
    _request(world, hazard_id)
    world.complete(hazard_id)
    world.refuse(hazard_id, "invalid_transition", lambda: _approve(world, hazard_id))
    world.verify(hazard_id, passed=False)
    world.accept(hazard_id, "ExtensionRefused", lambda: _refuse(world, hazard_id))


# ----- the dates asked and approved ---------------------------------------------------------------


def test_an_approval_gives_at_most_the_date_asked(world: World):
    hazard_id = _rectifying(world)
    _request(world, hazard_id, days=20)
    error = world.refuse(hazard_id, "invalid_value", lambda: _approve(world, hazard_id, days=21))
    assert error.details["field"] == "new_deadline"


@pytest.mark.parametrize("days", [5, 10])
def test_a_new_date_must_be_after_the_deadline_in_force(world: World, days: int):
    hazard_id = _rectifying(world, days=10)
    error = world.refuse(hazard_id, "invalid_value", lambda: _request(world, hazard_id, days=days))
    assert error.details["field"] == "requested_deadline"
    _request(world, hazard_id, days=20)
    error = world.refuse(hazard_id, "invalid_value", lambda: _approve(world, hazard_id, days=days))
    assert error.details["field"] == "new_deadline"


def test_a_request_for_a_date_already_past_is_refused(world: World):
    hazard_id = _rectifying(world, days=1)
    world.clock.advance(days=5)
    error = world.refuse(hazard_id, "deadline_in_past", lambda: _request(world, hazard_id, days=-2))
    assert error.details == {"new_deadline": "2023-06-04", "today": "2023-06-06"}


def test_reasons_and_opinions_are_required(world: World):
    hazard_id = _rectifying(world)
    blank = world.refuse(
        hazard_id,
        "invalid_value",
        lambda: world.app.hazards.request_extension(world.principal, hazard_id, reason=" ", requested_deadline=world.days(20)),
    )
    assert blank.details["field"] == "reason"
    _request(world, hazard_id)
    for decide in (
        lambda: world.app.hazards.approve_extension(INSPECTOR, hazard_id, opinion="", new_deadline=world.days(20)),
        lambda: world.app.hazards.refuse_extension(INSPECTOR, hazard_id, opinion="  "),
    ):
        assert world.refuse(hazard_id, "invalid_value", decide).details["field"] == "opinion"


# ----- the district's limits ----------------------------------------------------------------------


def test_the_district_allows_one_extension_of_at_most_thirty_days():
    rules = load_reference().rules
    assert (rules.extension_max_count, rules.extension_max_days) == (1, 30)
    assert (LedgerRules().extension_max_count, LedgerRules().extension_max_days) == (1, 30)


def test_the_limits_are_overridden_like_every_rule():
    settings = Settings.from_env({"HAZARD_EXTENSION_MAX_COUNT": "3", "HAZARD_EXTENSION_MAX_DAYS": "60"})
    rules = LedgerRules().overridden(settings.rule_overrides)
    assert (rules.extension_max_count, rules.extension_max_days) == (3, 60)


def test_a_request_beyond_the_count_is_refused_and_a_paper_decision_counts(world: World):
    approved = _rectifying(world)
    _request(world, approved)
    _approve(world, approved)
    error = world.refuse(approved, "extension_limit_reached", lambda: _request(world, approved, days=25))
    assert error.details == {"count": 1, "limit": 1}
    assert "达到本区规定的上限（1 次）" in error.message_zh
    on_paper = _rectifying(world)
    world.app.hazards.extend_deadline(
        INSPECTOR, on_paper, request_date=world.today(), reason="纸质审批", new_deadline=world.days(15), approver="李局长"
    )
    world.refuse(on_paper, "extension_limit_reached", lambda: _request(world, on_paper, days=25))


def test_a_request_longer_than_the_limit_is_refused(world: World):
    hazard_id = _rectifying(world, days=10)
    error = world.refuse(hazard_id, "extension_too_long", lambda: _request(world, hazard_id, days=41))
    assert error.details == {"days": 31, "limit": 30, "deadline": "2023-06-11", "new_deadline": "2023-07-12"}
    world.accept(hazard_id, "ExtensionRequested", lambda: _request(world, hazard_id, days=40))


def test_an_approval_beyond_the_limits_is_refused(world: World):
    hazard_id = _rectifying(world)
    _request(world, hazard_id, days=20)
    # a paper decision recorded while the request waited uses the district's one extension
    world.app.hazards.extend_deadline(
        INSPECTOR, hazard_id, request_date=world.today(), reason="纸质审批", new_deadline=world.days(12), approver="李局长"
    )
    world.refuse(hazard_id, "extension_limit_reached", lambda: _approve(world, hazard_id, days=20))
    world.accept(hazard_id, "ExtensionRefused", lambda: _refuse(world, hazard_id))


def test_an_approval_longer_than_the_limit_is_refused():
    world = new_world(rules=LedgerRules(extension_max_count=2, extension_max_days=10))
    hazard_id = _rectifying(world, days=10)
    _request(world, hazard_id, days=20)
    world.app.hazards.extend_deadline(
        INSPECTOR, hazard_id, request_date=world.today(), reason="纸质审批", new_deadline=world.days(8), approver="李局长"
    )  # the deadline in force moved earlier: 20 days is now 12 past it
    error = world.refuse(hazard_id, "extension_too_long", lambda: _approve(world, hazard_id, days=20))
    assert (error.details["days"], error.details["limit"]) == (12, 10)
    world.accept(hazard_id, "ExtensionApproved", lambda: _approve(world, hazard_id, days=18))


# ----- what the pages offer -----------------------------------------------------------------------


def test_the_pages_offer_a_request_while_none_is_open_and_a_decision_while_one_is():
    for state in S:
        for requested in (False, True):
            assert offered("request_extension", state, requested) is (state is S.RECTIFYING and not requested)
            for decision in ("approve_extension", "refuse_extension"):
                assert offered(decision, state, requested) is (state is S.RECTIFYING and requested)
            assert offered("file_plan", state, requested) is (state is S.REPORTED)


# ----- property: the deadline in force is the last approved date ----------------------------------

_STEP = st.one_of(
    st.tuples(st.just("request"), st.integers(-3, 25)),  # days past the deadline in force
    st.tuples(st.just("approve"), st.integers(0, 25)),  # days short of the date asked
    st.tuples(st.just("refuse"), st.just(0)),
    st.tuples(st.just("wait"), st.integers(1, 8)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(_STEP, max_size=12), max_count=st.integers(0, 3), max_days=st.integers(1, 20))
def test_any_requests_and_decisions_leave_the_last_approved_date_in_force(steps, max_count: int, max_days: int):
    world = new_world(rules=LedgerRules(extension_max_count=max_count, extension_max_days=max_days))
    hazard_id = _rectifying(world, days=5)
    deadline, asked, approvals = world.days(5), None, 0
    for kind, n in steps:
        try:
            if kind == "request":
                _request(world, hazard_id, days=(deadline - world.today()).days + n)
                asked = deadline + timedelta(days=n)
            elif kind == "approve":
                new = (asked or deadline) - timedelta(days=n)
                _approve(world, hazard_id, days=(new - world.today()).days)
                deadline, asked, approvals = new, None, approvals + 1
            elif kind == "refuse":
                _refuse(world, hazard_id)
                asked = None
            else:
                world.clock.advance(days=n)
        except DomainError as refused:
            assert refused.code in {
                "invalid_value", "deadline_in_past", "extension_request_open", "no_extension_request",
                "extension_limit_reached", "extension_too_long",
            }  # fmt: skip
        view = world.app.hazards.hazard(hazard_id)
        stored = world.app.repository.get(hazard_id)
        assert view["deadline"] == deadline.isoformat()
        assert stored.status_at(world.clock.now()).deadline == deadline  # the fold agrees
        assert (view["extension_request"] is not None) is (asked is not None)
        assert view["extensions"] == approvals <= max_count
