"""Enterprises (生产经营单位): the unified social credit code (GB 32100-2015), registration rules,
scope, and the change of principal (主要负责人)."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.credit_code import ALPHABET, check_character, validate_credit_code
from domain.enterprise import enterprise_id_for
from domain.errors import DomainError
from domain.glossary import Role

from .support import (
    AUDITOR,
    EXPERT,
    INSPECTOR,
    OFFICE,
    OTHER_DEPARTMENT,
    OTHER_STREET,
    STREET_OFFICER,
    World,
    credit_code,
    enterprise_actor,
)

FIRST17 = "91530114MA6K7Y8Q2"
VALID = credit_code(FIRST17)


def register(world: World, actor=INSPECTOR, **kw) -> UUID:
    values = {
        "credit_code": VALID,
        "name": "呈贡某危化品经营公司",
        "sector": "hazardous_chemicals",
        "jurisdiction": "wulong",
        "principal_name": "陈总",
    }
    values.update(kw)
    return world.app.enterprises.register_enterprise(actor, **values).id


def refused_registration(world: World, code: str, **kw) -> DomainError:
    return world.refuse_new(code, lambda: register(world, **kw))


# ----- the credit code --------------------------------------------------------------------------


def test_a_published_example_code_is_valid():
    # The standard's worked example: 91350100M000100Y43.
    assert check_character("91350100M000100Y4") == "3"
    assert validate_credit_code("91350100M000100Y43") == "91350100M000100Y43"


def test_a_code_is_normalised_to_upper_case_and_trimmed():
    assert validate_credit_code(f"  {VALID.lower()} ") == VALID


def test_a_wrong_check_character_is_refused():
    wrong = next(c for c in ALPHABET if c != VALID[-1])
    with pytest.raises(DomainError) as info:
        validate_credit_code(FIRST17 + wrong)
    assert info.value.code == "invalid_credit_code"
    assert info.value.details["reason"] == "check character does not match"
    assert info.value.details["credit_code"] == FIRST17 + wrong


@pytest.mark.parametrize("code", [VALID[:-1], VALID + "0", "", "9153011"], ids=["17", "19", "empty", "short"])
def test_a_code_of_the_wrong_length_is_refused(code: str):
    with pytest.raises(DomainError) as info:
        validate_credit_code(code)
    assert info.value.code == "invalid_credit_code"
    assert info.value.details["reason_zh"] == "应为18位"


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_the_letters_i_o_s_v_z_are_refused(letter: str):
    code = FIRST17[:10] + letter + FIRST17[11:] + "0"
    assert len(code) == 18
    with pytest.raises(DomainError) as info:
        validate_credit_code(code)
    assert info.value.code == "invalid_credit_code"
    assert letter in info.value.details["reason"]


@pytest.mark.parametrize("char", ["-", "中", "*"])
def test_other_non_alphabet_characters_are_refused(char: str):
    with pytest.raises(DomainError) as info:
        validate_credit_code(FIRST17[:5] + char + FIRST17[6:] + "0")
    assert info.value.code == "invalid_credit_code"


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17), st.sampled_from(ALPHABET))
def test_a_code_validates_exactly_when_its_last_character_is_the_check_character(first17: str, last: str):
    check = check_character(first17)
    assert check in ALPHABET
    assert validate_credit_code(first17 + check) == first17 + check
    if last != check:
        with pytest.raises(DomainError) as info:
            validate_credit_code(first17 + last)
        assert info.value.code == "invalid_credit_code"


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17), st.integers(0, 16), st.sampled_from(ALPHABET))
def test_changing_any_single_character_breaks_the_check(first17: str, position: int, replacement: str):
    # The weights are units modulo 31, so a single substitution always changes the check character.
    code = first17 + check_character(first17)
    changed = first17[:position] + replacement + first17[position + 1 :]
    if changed != first17:
        with pytest.raises(DomainError):
            validate_credit_code(changed + code[-1])


# ----- registration ---------------------------------------------------------------------------


def test_registering_an_enterprise_records_it_under_an_id_derived_from_its_code(world: World):
    enterprise_id = register(
        world,
        credit_code=f" {VALID.lower()} ",
        name=" 呈贡某危化品经营公司 ",
        principal_name=" 陈总 ",
        address="乌龙街道1号",
        high_risk=True,
    )
    assert enterprise_id == enterprise_id_for(VALID)
    assert world.types(enterprise_id) == ["EnterpriseRegistered"]
    assert world.app.enterprises.enterprise(enterprise_id) == {
        "id": str(enterprise_id),
        "version": 1,
        "credit_code": VALID,
        "name": "呈贡某危化品经营公司",
        "sector": "hazardous_chemicals",
        "sector_name": "化工和危化品",
        "jurisdiction": "wulong",
        "jurisdiction_name": "乌龙街道",
        "address": "乌龙街道1号",
        "principal_name": "陈总",
        "high_risk": True,
    }


def test_registering_a_code_twice_is_refused(world: World):
    register(world)
    error = refused_registration(world, "enterprise_exists", credit_code=VALID.lower(), name="另一个名字")
    assert error.details == {"credit_code": VALID}
    assert world.app.enterprises.enterprise(enterprise_id_for(VALID))["name"] == "呈贡某危化品经营公司"


def test_an_invalid_code_is_refused_at_registration(world: World):
    refused_registration(world, "invalid_credit_code", credit_code=FIRST17 + ("0" if VALID[-1] != "0" else "1"))


def test_an_unknown_sector_is_refused(world: World):
    error = refused_registration(world, "unknown_sector", actor=OFFICE, sector="space_mining")
    assert error.details == {"sector": "space_mining"}


@pytest.mark.parametrize("jurisdiction", ["atlantis", "yjj"], ids=["unknown", "a-department"])
def test_an_unknown_jurisdiction_is_refused(world: World, jurisdiction: str):
    error = refused_registration(world, "unknown_jurisdiction", actor=OFFICE, jurisdiction=jurisdiction)
    assert error.details == {"jurisdiction": jurisdiction}


def test_the_zone_is_a_jurisdiction(world: World):
    enterprise_id = register(world, actor=OFFICE, jurisdiction="szkfq")
    assert world.app.enterprises.enterprise(enterprise_id)["jurisdiction_name"] == "云南省数字经济开发区管委会"


@pytest.mark.parametrize("field", ["name", "principal_name"])
def test_a_name_and_a_principal_are_required(world: World, field: str):
    error = refused_registration(world, "invalid_value", **{field: "  "})
    assert error.details["field"] == field


@pytest.mark.parametrize("who", ["principal", "auditor", "expert"])
def test_only_regulators_register_enterprises(world: World, who: str):
    actor = {"principal": world.principal, "auditor": AUDITOR, "expert": EXPERT}[who]
    refused_registration(world, "role_not_allowed", actor=actor)


@pytest.mark.parametrize("actor", [OTHER_DEPARTMENT, OTHER_STREET], ids=["department-outside-sector", "other-street"])
def test_a_regulator_registers_only_within_its_scope(world: World, actor):
    refused_registration(world, "outside_scope", actor=actor)


@pytest.mark.parametrize("actor", [INSPECTOR, STREET_OFFICER, OFFICE], ids=["lead-department", "street", "office"])
def test_a_regulator_registers_within_its_scope(world: World, actor):
    enterprise_id = register(world, actor=actor)
    assert world.app.history(enterprise_id)[0]["actor"]["organisation_id"] == actor.organisation_id


# ----- principal change -------------------------------------------------------------------------


def test_the_principal_can_be_changed_by_the_enterprise_principal(world: World):
    eid = world.enterprise_id
    world.accept(eid, "PrincipalChanged", lambda: world.app.enterprises.change_principal(world.principal, eid, " 李新总 "))
    assert world.app.enterprises.enterprise(eid)["principal_name"] == "李新总"
    assert world.last(eid)["data"] == {"principal_name": "李新总"}


@pytest.mark.parametrize("actor", [INSPECTOR, STREET_OFFICER, OFFICE], ids=["lead-department", "street", "office"])
def test_the_principal_can_be_changed_by_a_regulator_in_scope(world: World, actor):
    world.accept(
        world.enterprise_id, "PrincipalChanged", lambda: world.app.enterprises.change_principal(actor, world.enterprise_id, "李新总")
    )


@pytest.mark.parametrize("who", ["staff", "auditor", "expert"])
def test_staff_auditors_and_experts_cannot_change_the_principal(world: World, who: str):
    actor = {"staff": world.staff, "auditor": AUDITOR, "expert": EXPERT}[who]
    world.refuse(
        world.enterprise_id, "role_not_allowed", lambda: world.app.enterprises.change_principal(actor, world.enterprise_id, "李新总")
    )


def test_another_enterprises_principal_cannot_change_ours(world: World):
    other = register(world, actor=OFFICE)
    stranger = enterprise_actor(other, Role.PRINCIPAL, "p2", "陈总", "呈贡某危化品经营公司")
    world.refuse(
        world.enterprise_id, "outside_scope", lambda: world.app.enterprises.change_principal(stranger, world.enterprise_id, "李新总")
    )


@pytest.mark.parametrize("actor", [OTHER_DEPARTMENT, OTHER_STREET], ids=["department-outside-sector", "other-street"])
def test_a_regulator_outside_scope_cannot_change_the_principal(world: World, actor):
    world.refuse(world.enterprise_id, "outside_scope", lambda: world.app.enterprises.change_principal(actor, world.enterprise_id, "李新总"))


def test_an_empty_principal_name_is_refused(world: World):
    error = world.refuse(
        world.enterprise_id, "invalid_value", lambda: world.app.enterprises.change_principal(world.principal, world.enterprise_id, " ")
    )
    assert error.details["field"] == "principal_name"


def test_a_principal_change_on_a_stale_version_is_refused(world: World):
    world.app.enterprises.change_principal(world.principal, world.enterprise_id, "李新总")
    error = world.refuse(
        world.enterprise_id,
        "version_conflict",
        lambda: world.app.enterprises.change_principal(world.principal, world.enterprise_id, "王新总", expected_version=1),
    )
    assert error.details == {"expected": 1, "actual": 2}


def test_changing_the_principal_of_an_unknown_enterprise_is_refused(world: World, major: UUID):
    for unknown in (uuid4(), major):  # a hazard is not an enterprise
        with pytest.raises(DomainError) as info:
            world.app.enterprises.change_principal(OFFICE, unknown, "李新总")
        assert info.value.code == "enterprise_not_found"
