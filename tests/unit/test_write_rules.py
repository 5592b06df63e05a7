"""Every write authorised in the domain (issue 12 part 3): the seven bypasses found over HTTP, as
domain rules — scope from the enterprise's registration, majors closed by regulators only, cited
records in scope, a role bound to its organisation kind, no enterprise verifying its own hazard,
server-held keys only for oneself — and that auditors change nothing."""

from __future__ import annotations

import base64
from dataclasses import replace
from uuid import UUID, uuid4

import pytest

from domain.access import ACTION_ROLES, ROLE_ORG_KINDS, check_role_organisation
from domain.actor import Actor
from domain.commands.accountability import PursueAccountability
from domain.commands.hazards import CloseHazard, ReportHazard, VerifyRectification
from domain.errors import CATALOGUE, DomainError, ErrorKind
from domain.glossary import (
    Assessor,
    Grade,
    HazardSource,
    HazardState,
    InspectionKind,
    InspectionMethod,
    OrgKind,
    Role,
    SignatureMeaning,
)
from domain.signatures import (
    ALGORITHM,
    MODE_SERVER_HELD,
    KeyState,
    PersonalSignature,
    ServerHeldSigner,
    key_id_for,
    key_states,
    new_private_key,
    public_key_bytes,
    signature_problem,
    signing_payload,
)
from domain.signing_key import SigningKey
from domain.values import Person

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
    report_accident,
)

PERSONS = [{"user_id": "yjj-1", "name": "李执法", "organisation": "区应急管理局", "role": "执法人员"}]


def other_enterprise(world: World) -> UUID:
    """区交通运输局's enterprise in 龙城街道 (the standard one is 化工, 乌龙街道, led by 区应急管理局)."""
    return world.app.enterprises.register_enterprise(
        OFFICE,
        credit_code=credit_code("91530114MA6K0009X"),
        name="某运输公司",
        sector="transport",
        jurisdiction="longcheng",
        principal_name="钱总",
    ).id


# ----- 1, 2: a new record's scope is the enterprise's registered sector and territory ----------------


def test_an_inspector_cannot_report_at_another_departments_enterprise_by_naming_their_sector(world: World):
    error = world.refuse_new(
        "scope_not_registered", lambda: world.report(by=OTHER_DEPARTMENT, sector="transport", source=HazardSource.SUPERVISION)
    )
    assert error.details == {"field": "sector", "given": "transport", "registered": "hazardous_chemicals"}
    assert error.kind is ErrorKind.INVALID
    # without naming one, the registered sector applies, and 区交通运输局 is not responsible for it
    world.refuse_new("outside_scope", lambda: world.report(by=OTHER_DEPARTMENT, source=HazardSource.SUPERVISION))


def test_a_street_officer_cannot_report_at_another_streets_enterprise_by_naming_their_territory(world: World):
    error = world.refuse_new("scope_not_registered", lambda: world.report(by=OTHER_STREET, jurisdiction="longcheng"))
    assert error.details["field"] == "jurisdiction"
    world.refuse_new("outside_scope", lambda: world.report(by=OTHER_STREET))


def test_repeating_the_registered_scope_is_accepted(world: World):
    hazard_id = world.report(by=STREET_OFFICER, sector="hazardous_chemicals", jurisdiction="wulong")
    view = world.app.hazards.hazard(hazard_id)
    assert (view["sector"], view["jurisdiction"]) == ("hazardous_chemicals", "wulong")


def test_an_accident_at_another_streets_enterprise_cannot_be_brought_into_scope_by_naming_a_territory(world: World):
    before = world.total_events()
    for actor, values in ((OTHER_STREET, {"jurisdiction": "longcheng"}), (OTHER_DEPARTMENT, {"sector": "transport"})):
        with pytest.raises(DomainError) as refused:
            report_accident(world, by=actor, **values)
        assert refused.value.code in ("outside_scope", "scope_not_registered")
    assert world.total_events() == before
    # whoever is responsible for the enterprise as registered and for the site may name the site's territory
    report_accident(world, by=INSPECTOR, jurisdiction="longcheng")
    with pytest.raises(DomainError) as refused:
        report_accident(world, by=STREET_OFFICER, jurisdiction="longcheng")  # 乌龙街道 is not responsible there
    assert refused.value.code == "outside_scope"


def test_a_risk_point_or_a_problem_cannot_be_brought_into_scope_either(world: World):
    with pytest.raises(DomainError) as refused:
        world.app.risks.register_risk_point(OTHER_DEPARTMENT, enterprise_id=world.enterprise_id, name="储罐区", sector="transport")
    assert refused.value.code == "outside_scope"
    with pytest.raises(DomainError) as refused:
        world.app.risks.identify_problem(
            OTHER_STREET, description="问题", enterprise_id=world.enterprise_id, jurisdiction="longcheng"
        )
    assert refused.value.code == "outside_scope"


# ----- 3: only regulators close a major hazard -------------------------------------------------------


def test_an_enterprise_principal_cannot_close_a_major_hazard(world: World):
    major = world.hazard_in(HazardState.VERIFIED, Grade.MAJOR)
    error = world.refuse(major, "role_not_allowed", lambda: world.app.hazards.close_hazard(world.principal, major, note="销号"))
    assert error.details["action"] == "close a major hazard"
    world.refuse(major, "role_not_allowed", lambda: world.app.hazards.close_hazard(world.staff, major, note="销号"))
    world.accept(major, "HazardClosed", lambda: world.app.hazards.close_hazard(OFFICE, major, note="销号"))


@pytest.mark.parametrize("closer", [INSPECTOR, STREET_OFFICER, OFFICE], ids=lambda a: a.role.value)
def test_government_regulators_close_a_major_within_scope(world: World, closer: Actor):
    major = world.hazard_in(HazardState.VERIFIED, Grade.MAJOR)
    world.accept(major, "HazardClosed", lambda: world.app.hazards.close_hazard(closer, major, note="销号"))


def test_the_principal_may_still_close_a_general_hazard_a_regulator_verified(world: World):
    general = world.hazard_in(HazardState.VERIFIED, Grade.GENERAL)
    world.accept(general, "HazardClosed", lambda: world.app.hazards.close_hazard(world.principal, general, note="销号"))


def test_an_expert_verifies_a_major_but_does_not_close_it(world: World):
    major = world.hazard_in(HazardState.PENDING_VERIFICATION, Grade.MAJOR)
    world.accept(major, "VerificationPassed", lambda: world.verify(major, by=EXPERT))
    world.refuse(major, "role_not_allowed", lambda: world.app.hazards.close_hazard(EXPERT, major, note="销号"))


# ----- 4: accountability cites records within the actor's scope -------------------------------------


def _pursue(world: World, by: Actor, **grounds: list[UUID]):  # type: ignore[no-untyped-def]
    return world.app.accountability.pursue_accountability(by, persons=PERSONS, measures=["诫勉谈话"], **grounds)


def test_an_inspector_cannot_cite_a_hazard_outside_their_scope(world: World):
    hazard_id = world.report(Grade.MAJOR)  # 区应急管理局's
    with pytest.raises(DomainError) as refused:
        _pursue(world, OTHER_DEPARTMENT, hazard_ids=[hazard_id])
    assert refused.value.code == "outside_scope"
    _pursue(world, INSPECTOR, hazard_ids=[hazard_id])
    _pursue(world, OFFICE, hazard_ids=[hazard_id], decided_by="jtj")  # the 区安委办 acts district-wide


def test_an_inspector_cannot_cite_an_accident_or_an_inspection_outside_their_scope(world: World):
    accident_id = report_accident(world)
    inspection_id = world.app.inspections.conduct_inspection(
        INSPECTOR,
        enterprise_id=world.enterprise_id,
        kind=InspectionKind.DEPARTMENT,
        method=InspectionMethod.UNANNOUNCED,
        inspectors=[Person(INSPECTOR.user_id, INSPECTOR.name)],
        scope=["hazardous_chemicals.1"],
    ).id
    before = world.total_events()
    for grounds in ({"accident_ids": [accident_id]}, {"inspection_ids": [inspection_id]}):
        with pytest.raises(DomainError) as refused:
            _pursue(world, OTHER_DEPARTMENT, **grounds)
        assert refused.value.code == "outside_scope"
    assert world.total_events() == before
    _pursue(world, INSPECTOR, accident_ids=[accident_id], inspection_ids=[inspection_id])


def test_one_out_of_scope_citation_refuses_the_whole_decision(world: World):
    mine = world.app.hazards.report_hazard(
        OTHER_DEPARTMENT,
        enterprise_id=other_enterprise(world),
        grade=Grade.GENERAL,
        source=HazardSource.DEPARTMENT_INSPECTION,
        description="车辆制动失灵",
    ).id
    theirs = world.report(Grade.MAJOR)
    with pytest.raises(DomainError) as refused:
        world.app.execute(OTHER_DEPARTMENT, PursueAccountability(persons=PERSONS, measures=["诫勉谈话"], hazard_ids=[mine, theirs]))
    assert refused.value.code == "outside_scope"


# ----- 5: a role is bound to its organisation kind ---------------------------------------------------


def test_every_role_has_its_organisation_kinds():
    assert set(ROLE_ORG_KINDS) == set(Role)
    spec = CATALOGUE["role_organisation_mismatch"]
    assert spec.kind is ErrorKind.FORBIDDEN and "{role_zh}" in spec.zh and "{role}" in spec.en


@pytest.mark.parametrize(("role", "kind"), [(r, k) for r in Role for k in OrgKind if k not in ROLE_ORG_KINDS[r]])
def test_a_role_claimed_from_another_kind_of_organisation_is_refused(role: Role, kind: OrgKind):
    with pytest.raises(DomainError) as refused:
        check_role_organisation(Actor("u-1", "某人", role, "org-1", kind))
    assert refused.value.code == "role_organisation_mismatch"
    assert refused.value.details["role"] == role.value and refused.value.details["organisation_kind"] == kind.value


def test_a_committee_office_claimed_from_an_enterprise_acts_nowhere(world: World):
    fake = Actor("ent-x", "假安委办", Role.COMMITTEE_OFFICE, str(world.enterprise_id), OrgKind.ENTERPRISE, "某化工有限公司")
    major = world.hazard_in(HazardState.VERIFIED, Grade.MAJOR)
    error = world.refuse(major, "role_organisation_mismatch", lambda: world.app.execute(fake, CloseHazard(hazard_id=major)))
    assert "区安委办" in error.message_zh and "enterprise" in error.message_en
    command = ReportHazard(
        enterprise_id=world.enterprise_id, grade=Grade.GENERAL, source=HazardSource.SUPERVISION, description="x"
    )
    world.refuse_new("role_organisation_mismatch", lambda: world.app.execute(fake, command))
    # a service called directly is held to it too (check_role)
    world.refuse(major, "role_organisation_mismatch", lambda: world.app.hazards.close_hazard(fake, major))


def test_matching_kinds_act_as_before(world: World):
    zone_officer = Actor("zone-1", "开发区专干", Role.STREET_OFFICER, "zone", OrgKind.ZONE, "开发区管委会")
    check_role_organisation(zone_officer)
    for actor in (OFFICE, INSPECTOR, STREET_OFFICER, EXPERT, AUDITOR, world.principal, world.staff):
        check_role_organisation(actor)


# ----- 6: who claimed completion, or their organisation, never verifies -------------------------------


def test_another_account_of_the_claiming_enterprise_cannot_verify(world: World):
    general = world.hazard_in(HazardState.PENDING_VERIFICATION, Grade.GENERAL)  # claimed by the staff
    other_account = replace(world.principal, user_id="ent-someone-else")
    world.refuse(general, "role_not_allowed", lambda: world.verify(general, by=world.principal))
    world.refuse(
        general,
        "role_not_allowed",
        lambda: world.app.execute(
            other_account, VerifyRectification(hazard_id=general, passed=True, opinion="同意", assessed_by=[Assessor.ENTERPRISE])
        ),
    )
    world.accept(general, "VerificationPassed", lambda: world.verify(general))


def test_the_aggregate_refuses_a_verifier_of_the_claimers_organisation(world: World):
    # the aggregate's own rule, whatever role lists allow: same person, same organisation, or the enterprise
    general = world.hazard_in(HazardState.PENDING_VERIFICATION, Grade.GENERAL)
    hazard = world.app.repository.get(general)
    now = world.clock.now()
    with pytest.raises(DomainError) as refused:
        hazard.verify(world.principal, now, True, "同意", [Assessor.ENTERPRISE])
    assert refused.value.code == "verifier_of_claimer_organisation"
    same_org_expert = Actor("x-1", "某专家", Role.EXPERT, str(world.enterprise_id), OrgKind.EXPERT_BODY)
    with pytest.raises(DomainError) as refused:
        hazard.verify(same_org_expert, now, True, "同意", [Assessor.EXPERTS])
    assert refused.value.code == "verifier_of_claimer_organisation"
    disguised = Actor(world.staff.user_id, "刘安全员", Role.INSPECTOR, "yjj", OrgKind.DEPARTMENT, "区应急管理局")
    with pytest.raises(DomainError) as refused:
        hazard.verify(disguised, now, True, "同意", [Assessor.GOVERNMENT])
    assert refused.value.code == "verifier_is_claimer"


# ----- 7: server-held keys only for oneself; a signature only with one's own key ---------------------


def _public() -> str:
    return base64.b64encode(public_key_bytes(new_private_key())).decode()


def test_the_committee_office_cannot_create_a_server_held_key_for_someone_else(world: World):
    with pytest.raises(DomainError) as refused:
        world.app.keys.enrol_key(OFFICE, user_id=INSPECTOR.user_id, name=INSPECTOR.name, public_key=_public(), server_held=True)
    assert refused.value.code == "server_held_key_for_another"
    assert refused.value.kind is ErrorKind.FORBIDDEN
    assert world.app.keys.keys_of(INSPECTOR.user_id) == []


@pytest.mark.parametrize("owner", [INSPECTOR, STREET_OFFICER, OFFICE, EXPERT, "principal"], ids=str)
def test_a_person_creates_their_own_server_held_key(world: World, owner):  # type: ignore[no-untyped-def]
    actor = world.principal if owner == "principal" else owner
    world.app.keys.enrol_key(actor, user_id=actor.user_id, name=actor.name, public_key=_public(), server_held=True)
    assert [k["server_held"] for k in world.app.keys.keys_of(actor.user_id)] == [True]


def test_auditors_create_no_key_and_only_the_office_registers_client_keys(world: World):
    for actor, server_held in ((AUDITOR, True), (INSPECTOR, False)):
        with pytest.raises(DomainError) as refused:
            world.app.keys.enrol_key(actor, user_id=actor.user_id, name=actor.name, public_key=_public(), server_held=server_held)
        assert refused.value.code == "role_not_allowed"


def test_a_server_held_key_someone_else_enrolled_never_signs_valid(world: World):
    """The forged chain as stored before this rule: the 区安委办 enrolled a server-held key for the
    inspector, the server signed a verification in the inspector's name. The offline check says invalid,
    and the command with it is refused."""
    private = new_private_key()
    key_id = key_id_for(public_key_bytes(private))
    major = world.hazard_in(HazardState.PENDING_VERIFICATION, Grade.MAJOR)
    # enrol as the 区安委办 could before this rule: the service refuses it now, so build the aggregate directly
    key = SigningKey.enrol(
        actor=OFFICE,
        occurred_at=world.clock.now(),
        user_id=INSPECTOR.user_id,
        name=INSPECTOR.name,
        public_key=base64.b64encode(public_key_bytes(private)).decode(),
        server_held=True,
    )
    world.app.keys._store(key)
    signer = ServerHeldSigner(key_id, private, world.clock.now().replace(microsecond=0))
    with pytest.raises(DomainError) as refused:
        world.app.hazards.verify(
            INSPECTOR, major, passed=True, opinion="同意", assessed_by=[Assessor.GOVERNMENT], signature=signer
        )
    assert refused.value.code == "signature_invalid"
    events = list(world.app.keys.repository.event_store.get(key.id))
    states = key_states(events)
    assert states[key_id].enrolled_by == OFFICE.user_id
    # a signature made with such a key before is not shown valid by the offline check either
    forged_key = states[key_id]
    assert signature_problem_for(forged_key) == "signature_invalid"
    assert signature_problem_for(replace(forged_key, enrolled_by=INSPECTOR.user_id)) is None


def signature_problem_for(key: KeyState) -> str | None:
    """The offline check's verdict on a server-held signature by the inspector with ``key``."""
    private = new_private_key()
    key = replace(key, public_key=public_key_bytes(private), key_id=key_id_for(public_key_bytes(private)))
    signer = ServerHeldSigner(key.key_id, private, key.valid_from)
    record_id = uuid4()
    payload = signing_payload(record_id, 3, SignatureMeaning.VERIFIER, INSPECTOR, signer.signed_at, key.key_id, [])
    signature = PersonalSignature(
        key_id=key.key_id, algorithm=ALGORITHM, signed_at=signer.signed_at, meaning="verifier", value=signer.sign(payload),
        mode=MODE_SERVER_HELD,
    )  # fmt: skip
    problem = signature_problem(
        signature, record_id=record_id, version_seen=3, actor=INSPECTOR, attachments=[], key=key,
        expected_meaning=SignatureMeaning.VERIFIER, recorded_at=None,
    )  # fmt: skip
    return None if problem is None else problem.code


# ----- auditors change nothing; enterprises only their own ----------------------------------------


def test_no_write_action_admits_an_auditor():
    assert all(Role.AUDITOR not in roles for roles in ACTION_ROLES.values())


def test_an_enterprise_changes_only_its_own_records(world: World):
    other = other_enterprise(world)
    stranger = Actor("ent-other", "钱总", Role.PRINCIPAL, str(other), OrgKind.ENTERPRISE, "某运输公司")
    major = world.hazard_in(HazardState.RECTIFYING, Grade.MAJOR)
    world.refuse(major, "outside_scope", lambda: world.app.hazards.record_progress(stranger, major, note="n"))
    world.refuse(major, "outside_scope", lambda: world.app.hazards.complete_rectification(stranger, major))
    world.refuse_new("outside_scope", lambda: world.report(by=stranger))
    with pytest.raises(DomainError) as refused:
        world.app.risks.register_risk_point(stranger, enterprise_id=world.enterprise_id, name="储罐区")
    assert refused.value.code == "outside_scope"
