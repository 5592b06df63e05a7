"""Every value bounded at the boundary (domain/bounds.py, checked in Ledger.execute for every command of
every entry point): a value out of bounds is refused naming the field and the limit; nothing is stored."""

from __future__ import annotations

import dataclasses
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.bounds import COMMAND_TEXT, LONG_TEXT, MAX_YUAN, SHORT_TEXT, TEXT, USER_ID, check_parameter, known_time
from domain.commands.accountability import PursueAccountability
from domain.commands.enforcement import DecidePenalty, OpenCase
from domain.commands.hazards import AttachEvidence, FilePlan, ReportHazard
from domain.commands.inspections import ConductInspection
from domain.errors import DomainError
from domain.glossary import Grade, HazardSource, InspectionKind, InspectionMethod
from domain.values import Person

from .support import INSPECTOR, OFFICE, World, complete_plan


def _refused(world: World, actor, command) -> DomainError:  # type: ignore[no-untyped-def]
    before = world.total_events()
    with pytest.raises(DomainError) as refused:
        world.app.execute(actor, command)
    assert refused.value.code == "invalid_value" and world.total_events() == before
    return refused.value


def _hazard(world: World, **changes: object) -> ReportHazard:
    values: dict[str, object] = {"enterprise_id": world.enterprise_id, "grade": Grade.GENERAL,
                                 "source": HazardSource.SELF_INSPECTION, "description": "消防通道堵塞"}  # fmt: skip
    return ReportHazard(**{**values, **changes})  # type: ignore[arg-type]


def _case(world: World) -> OpenCase:
    return OpenCase(
        enterprise_id=world.enterprise_id, legal_basis="《安全生产法》第一百零二条", case_number="呈应急立〔2023〕7号"
    )


def test_a_fine_beyond_any_real_figure_is_refused_with_its_field_and_limit(world: World) -> None:
    case = world.app.execute(INSPECTOR, OpenCase(enterprise_id=world.enterprise_id, legal_basis="《安全生产法》第一百零二条",
                                                 case_number="呈应急立〔2023〕1号"))  # fmt: skip
    command = DecidePenalty(case_id=case.id, target="enterprise", fine_yuan=10**29, decision_number="呈应急罚〔2023〕1号",
                            legal_basis="《安全生产法》第一百零二条")  # fmt: skip
    error = _refused(world, INSPECTOR, command)
    assert error.details["field"] == "fine_yuan" and error.details["limit"] == MAX_YUAN
    assert "fine_yuan" in error.message_zh and "fine_yuan" in error.message_en


def test_control_characters_are_refused_line_breaks_only_in_long_text(world: World) -> None:
    assert _refused(world, world.principal, _hazard(world, description="a\x00b")).details["field"] == "description"
    world.app.execute(world.principal, _hazard(world, description="第一行\n第二行"))
    assert _refused(world, world.principal, _hazard(world, criterion="条款\n第二行")).details["field"] == "criterion"


def test_lengths_dates_and_nested_values_are_bounded(world: World) -> None:
    hazard = world.report(Grade.GENERAL)
    evidence = AttachEvidence(hazard_id=hazard, file_name="x" * 10_000 + ".jpg", media_type="image/jpeg", content=b"jpeg")
    assert _refused(world, world.principal, evidence).details == {
        "field": "file_name", "reason": f"at most {SHORT_TEXT} characters", "reason_zh": f"不能超过 {SHORT_TEXT} 个字符",
        "limit": SHORT_TEXT,
    }  # fmt: skip
    far = FilePlan(hazard_id=hazard, plan=complete_plan(date(9999, 12, 31)))
    assert _refused(world, world.principal, far).details["field"] == "plan.deadline"
    ancient = _hazard(world, existed_since=date(1, 1, 1))
    assert _refused(world, world.principal, ancient).details["field"] == "existed_since"
    assert _refused(world, world.principal, _hazard(world, description="长" * (LONG_TEXT + 1))).details["limit"] == LONG_TEXT


def test_a_command_s_texts_together_are_bounded(world: World) -> None:
    """Each item of a list within its own limit, and yet megabytes in all: one event must stay small."""
    items = COMMAND_TEXT // LONG_TEXT

    def inspection(scope: list[str]) -> ConductInspection:
        return ConductInspection(enterprise_id=world.enterprise_id, kind=InspectionKind.DEPARTMENT,
                                 method=InspectionMethod.UNANNOUNCED, inspectors=[Person(INSPECTOR.user_id, INSPECTOR.name)],
                                 scope=scope)  # fmt: skip

    error = _refused(world, INSPECTOR, inspection(["检" * LONG_TEXT] * 255))
    # the inspector's id and name count too, so the last whole item does not fit
    assert error.details["field"] == f"scope[{items - 1}]" and error.details["limit"] == COMMAND_TEXT
    world.app.execute(INSPECTOR, inspection(["检" * LONG_TEXT] * (items - 1) + ["检" * (LONG_TEXT - 100)]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=40))
def test_any_text_is_either_refused_or_stored_as_given(world: World, text: str) -> None:
    """Whatever characters a person types, the ledger stores them exactly or refuses with invalid_value."""
    try:
        receipt = world.app.execute(world.principal, _hazard(world, description=text))
    except DomainError as error:
        assert error.code == "invalid_value"
        return
    assert isinstance(receipt.id, UUID)
    assert world.app.hazards.hazard(receipt.id)["description"] == text.strip()  # the hazard trims its text


def test_a_lone_surrogate_is_refused_before_it_can_fail_the_event_store(world: World) -> None:
    """JSON may carry half a UTF-16 pair ("\\ud800"), which no UTF-8 store can encode: it used to be accepted
    by the bounds and then fail while the event was being stored (a 500, not a 422)."""
    case = world.app.execute(INSPECTOR, OpenCase(enterprise_id=world.enterprise_id, legal_basis="《安全生产法》第一百零二条",
                                                 case_number="呈应急立〔2023〕2号"))  # fmt: skip
    penalty = DecidePenalty(case_id=case.id, target="enterprise", fine_yuan=0, decision_number="呈应急罚〔2023〕2号",
                            legal_basis="《安全生产法》", other_measures="a\udfffb")  # fmt: skip
    error = _refused(world, INSPECTOR, penalty)
    assert error.details["field"] == "other_measures" and "U+DFFF" in error.details["reason"]
    assert _refused(world, world.principal, _hazard(world, description="\ud800")).details["field"] == "description"
    world.app.execute(world.principal, _hazard(world, description="完整的一对 😀 \U0010ffff"))  # a whole pair is a character


def test_a_user_id_is_bounded_by_the_width_of_the_user_id_columns(world: World) -> None:
    """The bounds let 255 characters through where the accountability trail keeps 128 (as the idempotency
    and key tables do): a team member's 129-character user id failed the PostgreSQL projection."""
    team = [Person(user_id="u" * (USER_ID + 1), name="李执法")]
    inspection = ConductInspection(enterprise_id=world.enterprise_id, kind=InspectionKind.DEPARTMENT,
                                   method=InspectionMethod.ROUTINE, inspectors=team, scope=["储罐区"])  # fmt: skip
    error = _refused(world, INSPECTOR, inspection)
    assert error.details["field"] == "inspectors[0].user_id" and error.details["limit"] == USER_ID
    person = {"user_id": "u" * (USER_ID + 1), "name": "张三", "organisation": "区应急管理局", "role": "科长"}
    accountability = PursueAccountability(persons=[person], measures=["诫勉谈话"])
    assert _refused(world, OFFICE, accountability).details["field"] == "persons[0].user_id"
    world.app.execute(INSPECTOR, replace(inspection, inspectors=[Person(user_id="u" * USER_ID, name="李执法")]))


def test_who_acts_is_held_to_the_same_rules(world: World) -> None:
    """The actor comes from the identity headers and is stored with every event and in the read models'
    user and organisation columns (128 and 64 wide): its ids, names and organisation are bounded too."""
    for changes, field in (({"user_id": "u" * (USER_ID + 1)}, "actor.user_id"), ({"organisation_id": "y" * 65}, "actor.organisation_id"),
                           ({"name": "张\x00三"}, "actor.name"), ({"organisation_name": "局\ud800"}, "actor.organisation_name")):  # fmt: skip
        assert _refused(world, replace(INSPECTOR, **changes), _case(world)).details["field"] == field
    world.app.execute(replace(INSPECTOR, user_id="u" * USER_ID, name="李" * TEXT), _case(world))


@pytest.mark.parametrize(("value", "limit"), [("a\x00b", 0), ("\u2028", 0), ("x" * (SHORT_TEXT + 1), SHORT_TEXT)])
def test_a_parameter_is_an_identifier_without_control_characters(value: str, limit: int) -> None:
    with pytest.raises(DomainError) as refused:
        check_parameter("unit", value)
    assert refused.value.code == "invalid_value"
    assert (refused.value.details["field"], refused.value.details["limit"]) == ("unit", limit)
    check_parameter("unit", "x" * SHORT_TEXT)
    check_parameter("unit", "区应急管理局")


def test_the_actor_of_every_command_is_bounded_like_any_text(world: World) -> None:
    # Whatever the entry point (HTTP headers percent-decoded, the CLI), an identity cannot carry a NUL into an event.
    for changes, field in (({"user_id": "yjj\x00zhang"}, "actor.user_id"), ({"name": "张\x1b伟"}, "actor.name"),
                           ({"organisation_id": "y" * (SHORT_TEXT + 1)}, "actor.organisation_id")):  # fmt: skip
        refused = _refused(world, dataclasses.replace(INSPECTOR, **changes), _hazard(world))
        assert refused.details["field"] == field


def test_a_reports_known_at_is_bounded_as_given_before_its_zone_is_converted() -> None:
    today = date(2023, 12, 22)
    for moment in (datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5))), datetime(9999, 12, 31, tzinfo=timezone(-timedelta(hours=5)))):
        with pytest.raises(DomainError) as refused:
            known_time(moment, today)
        assert refused.value.details["field"] == "known_at"
    assert known_time(None, today) is None
    assert known_time(datetime(2023, 12, 1, tzinfo=UTC), today) == datetime(2023, 12, 1, tzinfo=UTC)
