"""domain/identity.py: a role belongs to its kind of organisation, for every way an actor arrives."""

from __future__ import annotations

import pytest

from domain.access import ACTION_ROLES, ROLE_ORG_KINDS
from domain.errors import DomainError
from domain.glossary import OrgKind, Role
from domain.identity import PERSON_ROLES, check_binding, claimed_actor


@pytest.mark.parametrize(
    ("role", "kind"),
    [
        ("inspector", "department"),
        ("street_officer", "street"),
        ("street_officer", "zone"),
        ("principal", "enterprise"),
        ("enterprise_staff", "enterprise"),
        ("committee_office", "committee_office"),
        ("expert", "expert_body"),
        ("auditor", "audit_body"),
        ("admin", "committee_office"),
    ],
)
def test_a_role_at_its_kind_of_organisation(role: str, kind: str) -> None:
    assert check_binding(role, kind) == (Role(role), OrgKind(kind))


@pytest.mark.parametrize(("role", "kind"), [("inspector", "street"), ("principal", "department"), ("admin", "department"),
                                            ("auditor", "committee_office"), ("system", "system")])  # fmt: skip
def test_a_role_elsewhere_is_refused(role: str, kind: str) -> None:
    with pytest.raises(DomainError) as refused:
        check_binding(role, kind)
    assert refused.value.code in ("role_organisation_mismatch", "invalid_value") and refused.value.message_zh


def test_every_person_role_is_bound_and_admins_act_on_no_record() -> None:
    assert set(PERSON_ROLES) == set(ROLE_ORG_KINDS) - {Role.SYSTEM} == set(Role) - {Role.SYSTEM}
    assert Role.ADMIN.zh == "系统管理员"
    assert all(Role.ADMIN not in roles for roles in ACTION_ROLES.values())


def test_claims_that_name_no_possible_person_are_refused() -> None:
    with pytest.raises(DomainError) as refused:
        claimed_actor(user_id="u", name="n", role="nobody", organisation_id="yjj", organisation_kind="department")
    assert refused.value.code == "unauthenticated"
    with pytest.raises(DomainError) as refused:  # a role from another kind of organisation: the one rule, 403
        claimed_actor(user_id="u", name="n", role="inspector", organisation_id="wulong", organisation_kind="street")
    assert refused.value.code == "role_organisation_mismatch"
    actor = claimed_actor(user_id="u", name="", role="inspector", organisation_id="yjj", organisation_kind="department")
    assert actor.name == "u" and actor.role is Role.INSPECTOR
