"""Personal signatures on signed acts and the key registry (DESIGN §7): the canonical payload, Ed25519
sign/verify, every refusal code, revocation, the offline check of stored events, and v1 events (stored
before signatures existed) still loading."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import CATALOGUE, DomainError
from domain.glossary import ACTION_LABELS, EVENT_LABELS, Grade, HazardState, SignatureMeaning
from domain.hazard import Hazard
from domain.inspection import Inspection
from domain.signatures import (
    ACT_MEANINGS,
    CLOCK_SKEW,
    KeyState,
    PersonalSignature,
    ServerHeldSigner,
    key_id_for,
    key_states,
    new_private_key,
    public_key_bytes,
    sign,
    signature_check,
    signing_payload,
    verify,
)
from domain.signing_key import SigningKey, signing_key_id_for
from domain.values import Person

from .support import INSPECTOR, INSPECTOR_2, OFFICE, START, World

M = SignatureMeaning
RECORD = UUID("0b5e3f0e-6a43-4c4e-9a36-2a2f4f1e0c11")
SIGNED_AT = datetime(2023, 6, 1, 2, 0, tzinfo=UTC)  # = START (10:00 Beijing)


# ===== helpers ========================================================================================


def enrol(world: World, actor: Any = INSPECTOR, **kw: Any) -> tuple[bytes, str]:
    """Enrols a fresh key for ``actor`` (the 区安委办 registers a client key; a server-held key is made by its
    owner for themself); returns (private key, key id)."""
    private = new_private_key()
    public = base64.b64encode(public_key_bytes(private)).decode()
    enroller = actor if kw.get("server_held") else OFFICE
    world.app.keys.enrol_key(enroller, user_id=actor.user_id, name=actor.name, public_key=public, **kw)
    return private, key_id_for(public_key_bytes(private))


def client_signature(
    world: World,
    actor: Any,
    private: bytes,
    key_id: str,
    record_id: UUID,
    meaning: SignatureMeaning,
    *,
    signed_at: datetime | None = None,
    version: int | None = None,
    attachments: list[str] | None = None,
) -> PersonalSignature:
    """What a client device makes: the payload of the record as it stands (or of ``version``), signed."""
    signed_at = signed_at or world.clock.now()
    if version is None and attachments is None:
        payload = world.app.keys.signing_payload_for(actor, record_id, meaning, signed_at, key_id)["payload"]
    else:
        current = world.app.repository.get(record_id)
        payload = signing_payload(
            record_id,
            current.version if version is None else version,
            meaning,
            actor,
            signed_at,
            key_id,
            attachments if attachments is not None else [],
        )
    return PersonalSignature(key_id, "ed25519", signed_at, meaning.value, sign(private, payload), "client")


def inspection(world: World, *inspectors: Any) -> UUID:
    people = [Person(a.user_id, a.name) for a in (inspectors or (INSPECTOR,))]
    return world.app.inspections.conduct_inspection(
        INSPECTOR, enterprise_id=world.enterprise_id, kind="department", method="routine", inspectors=people, scope=[]
    ).id


def refused(code: str, command: Any) -> DomainError:
    with pytest.raises(DomainError) as info:
        command()
    assert info.value.code == code, f"expected {code}, got {info.value.code}: {info.value}"
    return info.value


# ===== the payload ====================================================================================


def test_the_payload_is_rfc8785_canonical_json_with_exactly_the_documented_fields():
    payload = signing_payload(RECORD, 3, M.VERIFIER, INSPECTOR, SIGNED_AT, "ab" * 32, ["ff" * 32, "0A" * 32])
    expected = (
        '{"attachments":["' + "0a" * 32 + '","' + "ff" * 32 + '"],"key_id":"' + "ab" * 32 + '","meaning":"verifier",'
        '"name":"李执法","organisation_id":"yjj","record_id":"0b5e3f0e-6a43-4c4e-9a36-2a2f4f1e0c11","role":"inspector",'
        '"time":"2023-06-01T02:00:00Z","user_id":"yjj-1","version_seen":3}'
    )
    assert payload == expected.encode("utf-8")
    assert set(json.loads(payload)) == {
        "record_id", "version_seen", "meaning", "user_id", "name", "role", "organisation_id", "time", "key_id", "attachments"
    }  # fmt: skip


def test_the_payload_does_not_depend_on_key_order_zone_or_attachment_order():
    as_actor = signing_payload(RECORD, 1, "inspector", INSPECTOR, SIGNED_AT, "k", ["b" * 64, "a" * 64])
    as_mapping = signing_payload(
        str(RECORD).upper(),
        1,
        M.INSPECTOR,
        {"organisation_id": "yjj", "role": "inspector", "name": "李执法", "user_id": "yjj-1"},
        SIGNED_AT.astimezone(START.tzinfo),
        "k",
        ["a" * 64, "b" * 64],
    )
    assert as_actor == as_mapping


@pytest.mark.parametrize("moment", [datetime(2023, 6, 1, 2, 0), datetime(2023, 6, 1, 2, 0, 0, 500, tzinfo=UTC)])
def test_a_time_without_zone_or_with_a_fraction_of_a_second_cannot_be_signed(moment):
    with pytest.raises(ValueError):
        signing_payload(RECORD, 1, M.INSPECTOR, INSPECTOR, moment, "k", [])


def test_sign_and_verify_round_trip_with_a_key_made_here():
    private = new_private_key()
    public = public_key_bytes(private)
    payload = signing_payload(RECORD, 2, M.CLOSER, INSPECTOR, SIGNED_AT, key_id_for(public), [])
    value = sign(private, payload)
    assert len(base64.b64decode(value)) == 64
    sig = PersonalSignature(key_id_for(public), "ed25519", SIGNED_AT, "closer", value, "client")
    assert verify(sig, payload, public) and verify(value, payload, public) and verify(base64.b64decode(value), payload, public)
    assert not verify(sig, payload, public_key_bytes(new_private_key()))
    assert not verify(replace(sig, algorithm="rsa"), payload, public)
    assert not verify("not base64!", payload, public) and not verify(sig, payload, b"short")


_PRIVATE = new_private_key()
_PUBLIC = public_key_bytes(_PRIVATE)
_PAYLOAD = signing_payload(RECORD, 5, M.DECIDER, INSPECTOR, SIGNED_AT, key_id_for(_PUBLIC), ["cd" * 32])
_SIGNATURE = base64.b64decode(sign(_PRIVATE, _PAYLOAD))


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_any_single_byte_change_to_the_payload_or_the_signature_fails_verification(data):
    assert verify(_SIGNATURE, _PAYLOAD, _PUBLIC)
    target = data.draw(st.sampled_from(["payload", "signature"]))
    original = _PAYLOAD if target == "payload" else _SIGNATURE
    index = data.draw(st.integers(0, len(original) - 1))
    byte = data.draw(st.integers(0, 255).filter(lambda b: b != original[index]))
    changed = original[:index] + bytes([byte]) + original[index + 1 :]
    if target == "payload":
        assert not verify(_SIGNATURE, changed, _PUBLIC)
    else:
        assert not verify(changed, _PAYLOAD, _PUBLIC)
        assert not verify(base64.b64encode(changed).decode(), _PAYLOAD, _PUBLIC)


# ===== the registry ===================================================================================


def test_a_key_is_enrolled_by_the_office_under_its_sha256_and_read_back(world: World):
    private, key_id = enrol(world)
    assert len(key_id) == 64 and signing_key_id_for(key_id) == world.app.repository.get(signing_key_id_for(key_id)).id
    key = world.app.keys.key(key_id)
    assert key["user_id"] == INSPECTOR.user_id and key["name"] == INSPECTOR.name and key["mode"] == "client"
    assert base64.b64decode(key["public_key"]) == public_key_bytes(private) and key["revoked"] is False
    assert [k["key_id"] for k in world.app.keys.keys_of(INSPECTOR.user_id)] == [key_id]
    assert world.app.keys.keys_of("nobody") == []
    assert [type(e).__name__ for e in world.app.repository.event_store.get(signing_key_id_for(key_id))] == ["KeyEnrolled"]
    assert EVENT_LABELS["KeyEnrolled"] and EVENT_LABELS["KeyRevoked"] and ACTION_LABELS["enrol_key"]
    assert SigningKey.not_found_code == "key_not_found" and "key_not_found" in CATALOGUE
    refused("key_not_found", lambda: world.app.keys.key("00" * 32))


def test_enrolment_is_refused_to_others_twice_and_for_bad_keys_and_dates(world: World):
    public = base64.b64encode(public_key_bytes(new_private_key())).decode()
    refused("role_not_allowed", lambda: world.app.keys.enrol_key(INSPECTOR, user_id="yjj-1", name="李执法", public_key=public))
    world.app.keys.enrol_key(OFFICE, user_id="yjj-1", name="李执法", public_key=public)
    refused("key_exists", lambda: world.app.keys.enrol_key(OFFICE, user_id="yjj-2", name="赵执法", public_key=public))
    for bad in ("not base64", base64.b64encode(b"x" * 31).decode()):
        refused("invalid_value", lambda bad=bad: world.app.keys.enrol_key(OFFICE, user_id="u", name="n", public_key=bad))
    other = base64.b64encode(public_key_bytes(new_private_key())).decode()
    refused(
        "invalid_value",
        lambda: world.app.keys.enrol_key(OFFICE, user_id="u", name="n", public_key=other, valid_until=START - timedelta(days=1)),
    )
    refused(
        "invalid_value",
        lambda: world.app.keys.enrol_key(OFFICE, user_id="u", name="n", public_key=other, valid_from=START - timedelta(days=1)),
    )


def test_revocation_may_be_back_dated_but_not_in_the_future_and_only_once(world: World):
    _, key_id = enrol(world)
    refused("invalid_value", lambda: world.app.keys.revoke_key(OFFICE, key_id, reason="丢失", revoked_at=START + timedelta(hours=1)))
    refused("role_not_allowed", lambda: world.app.keys.revoke_key(INSPECTOR_2, key_id, reason="丢失"))
    world.clock.advance(days=2)
    world.app.keys.revoke_key(INSPECTOR, key_id, reason="手机丢失", revoked_at=START + timedelta(days=1))  # the owner
    key = world.app.keys.key(key_id)
    assert (
        key["revoked"] and key["revoked_at"] == (START + timedelta(days=1)).isoformat() and key["revocation_reason"] == "手机丢失"
    )
    refused("key_already_revoked", lambda: world.app.keys.revoke_key(OFFICE, key_id, reason="再次"))
    states = world.app.keys.key_states()
    assert states[key_id].revoked_at == START + timedelta(days=1) and states[key_id].user_id == INSPECTOR.user_id


# ===== signed acts: accepted and stored ===============================================================


def test_a_client_signature_on_an_inspection_is_stored_with_the_event_and_checks_offline(world: World):
    private, key_id = enrol(world)
    iid = inspection(world)
    sig = client_signature(world, INSPECTOR, private, key_id, iid, M.INSPECTOR)
    world.app.inspections.sign_inspection(INSPECTOR, iid, signature=sig)
    stored = list(world.app.repository.event_store.get(iid))[-1]
    assert type(stored).__name__ == "InspectionSigned" and stored.signature == sig
    assert signature_check(stored, world.app.keys.key_states()).ok
    assert world.app.history(iid)[-1]["data"]["signature"]["mode"] == "client"


def test_every_signed_act_stores_a_server_held_signature_that_the_offline_check_accepts(world: World):
    private, key_id = enrol(world, OFFICE, server_held=True)
    inspector_private, inspector_key = enrol(world, INSPECTOR, server_held=True)
    now = world.clock.now()
    office = ServerHeldSigner(key_id, private, now)
    inspector = ServerHeldSigner(inspector_key, inspector_private, now)
    app = world.app
    # an inspection: a finding and the signature; a hazard: verified with evidence, closed
    iid = inspection(world)
    app.inspections.record_finding(INSPECTOR, iid, item="储罐区", hazard_ids=[], no_major_hazard=True, signature=inspector)
    app.inspections.sign_inspection(INSPECTOR, iid, signature=inspector)
    hazard = world.hazard_in(HazardState.PENDING_VERIFICATION)
    app.hazards.verify(INSPECTOR, hazard, passed=False, opinion="不到位", assessed_by=["experts"], signature=inspector)
    world.complete(hazard)
    app.hazards.attach_evidence(world.principal, hazard, file_name="照片.jpg", media_type="image/jpeg", content=b"photo")
    app.hazards.verify(INSPECTOR, hazard, passed=True, opinion="同意", assessed_by=["experts"], signature=inspector)
    app.hazards.close_hazard(INSPECTOR, hazard, note="销号", signature=inspector)
    # a case: a dual penalty, then a penalty on a person
    case = app.enforcement.open_case(
        INSPECTOR, enterprise_id=world.enterprise_id, legal_basis="安全生产法", case_number="呈应急立〔2023〕1号"
    ).id
    app.enforcement.impose_dual_penalty(
        INSPECTOR,
        case,
        enterprise_fine_yuan=10,
        principal_fine_yuan=5,
        decision_number="决1",
        legal_basis="法",
        signature=inspector,
    )
    app.enforcement.decide_penalty(
        INSPECTOR,
        case,
        target="person",
        person_name="刘",
        fine_yuan=1,
        decision_number="决2",
        legal_basis="法",
        signature=inspector,
    )
    # a warning confirmed; a report submitted
    warning = app.warnings.propose_warning(
        OFFICE, unit_id="yjj", level="notice", trigger="manual", trigger_key="k1", reason_zh="理由", reason_en="reason"
    ).id
    app.warnings.confirm_warning(OFFICE, warning, signature=office)
    submission = app.reports.submit_report(OFFICE, "annex1", None, START.date(), {"rows": []}, known_at=START, signature=office).id
    keys = app.keys.key_states()
    checked: dict[str, Any] = {}
    for record in (iid, hazard, case, warning, submission):
        for e in app.repository.event_store.get(record):
            if type(e).__name__ in ACT_MEANINGS:
                checked[type(e).__name__] = signature_check(e, keys)
                assert e.signature.mode == "server_held" and e.signature.meaning == ACT_MEANINGS[type(e).__name__].value
    assert set(checked) == set(ACT_MEANINGS)
    assert all(c.ok and c.reason_code == "ok" for c in checked.values()), checked
    verified = next(e for e in app.repository.event_store.get(hazard) if type(e).__name__ == "VerificationPassed")
    assert verified.attachments == sorted(app.hazards.hazard(hazard)["evidence"]) and len(verified.attachments) == 1
    assert app.reports.submission(submission)["signature"]["meaning"] == "submitter"


def test_without_a_signature_acts_still_pass_unless_the_deployment_requires_one(world: World):
    iid = inspection(world)
    world.app.inspections.rules = replace(world.app.rules, require_signatures=True)
    err = refused("signature_required", lambda: world.app.inspections.sign_inspection(INSPECTOR, iid))
    assert "检查人签名" in err.message_zh
    world.app.inspections.rules = world.app.rules
    world.app.inspections.sign_inspection(INSPECTOR, iid)
    stored = list(world.app.repository.event_store.get(iid))[-1]
    assert stored.signature is None and signature_check(stored, {}).reason_code == "unsigned"


# ===== every refusal code =============================================================================


def test_every_refusal_code_and_nothing_is_appended(world: World):
    app = world.app
    private, key_id = enrol(world)
    iid = inspection(world, INSPECTOR, INSPECTOR_2)
    good = client_signature(world, INSPECTOR, private, key_id, iid, M.INSPECTOR)
    before = world.total_events()

    def sign_with(sig: PersonalSignature, actor: Any = INSPECTOR) -> Any:
        return lambda: app.inspections.sign_inspection(actor, iid, signature=sig)

    refused("signature_invalid", sign_with(replace(good, value=base64.b64encode(b"\0" * 64).decode())))
    refused("signature_invalid", sign_with(replace(good, algorithm="rsa")))
    refused("signature_invalid", sign_with(replace(good, mode="server_held")))  # the key is not server-held
    refused("signature_meaning_mismatch", sign_with(replace(good, meaning="verifier")))
    refused("key_unknown", sign_with(replace(good, key_id="00" * 32)))
    refused("key_not_signers", sign_with(good, INSPECTOR_2))
    refused("signature_time_invalid", sign_with(replace(good, signed_at=START + CLOCK_SKEW + timedelta(seconds=1))))
    refused("signature_time_invalid", sign_with(replace(good, signed_at=START.replace(microsecond=5))))
    early = client_signature(world, INSPECTOR, private, key_id, iid, M.INSPECTOR, signed_at=START - timedelta(seconds=1))
    refused("key_not_valid_yet", sign_with(early))
    # stale: signed over an earlier version of the record
    stale = client_signature(world, INSPECTOR, private, key_id, iid, M.INSPECTOR, version=0)
    err = refused("signature_stale_version", sign_with(stale))
    assert err.details == {"signed_version": 0, "current_version": 1}
    assert world.total_events() == before
    # expired and revoked keys
    world.clock.advance(seconds=1)
    _, short_id = enrol(world, INSPECTOR_2, valid_until=world.clock.now() + timedelta(hours=1))
    world.clock.advance(hours=2)
    assert world.app.keys.key(short_id)["valid_until"]
    app.keys.revoke_key(OFFICE, key_id, reason="泄露", revoked_at=START + timedelta(minutes=30))
    late = client_signature(world, INSPECTOR, private, key_id, iid, M.INSPECTOR)
    refused("key_revoked", sign_with(late))
    assert world.total_events() == before + 2  # the second key and the revocation, nothing on the inspection


def test_an_expired_key_is_refused(world: World):
    private, key_id = enrol(world, valid_until=START + timedelta(hours=1))
    iid = inspection(world)
    world.clock.advance(hours=2)
    refused(
        "key_expired",
        lambda: world.app.inspections.sign_inspection(
            INSPECTOR, iid, signature=client_signature(world, INSPECTOR, private, key_id, iid, M.INSPECTOR)
        ),
    )


def test_revocation_invalidates_signatures_dated_after_it_and_keeps_those_before(world: World):
    private, key_id = enrol(world)
    first, second = inspection(world), inspection(world)
    world.clock.advance(hours=1)
    world.app.inspections.sign_inspection(INSPECTOR, first, signature=client_signature(world, INSPECTOR, private, key_id, first, M.INSPECTOR))
    world.clock.advance(hours=2)
    world.app.inspections.sign_inspection(
        INSPECTOR, second, signature=client_signature(world, INSPECTOR, private, key_id, second, M.INSPECTOR)
    )
    # the phone turns out to have been stolen 90 minutes after enrolment: between the two signatures
    world.clock.advance(hours=1)
    world.app.keys.revoke_key(OFFICE, key_id, reason="手机被盗", revoked_at=START + timedelta(minutes=90))
    keys = world.app.keys.key_states()
    signed_first = list(world.app.repository.event_store.get(first))[-1]
    signed_second = list(world.app.repository.event_store.get(second))[-1]
    assert signature_check(signed_first, keys).ok
    check = signature_check(signed_second, keys)
    assert not check.ok and check.reason_code == "key_revoked" and "撤销" in check.reason_zh and "revoked" in check.reason_en


def test_the_offline_check_names_each_failure_of_a_stored_event(world: World):
    private, key_id = enrol(world)
    iid = inspection(world)
    world.app.inspections.sign_inspection(INSPECTOR, iid, signature=client_signature(world, INSPECTOR, private, key_id, iid, M.INSPECTOR))
    event = list(world.app.repository.event_store.get(iid))[-1]
    keys = world.app.keys.key_states()
    assert signature_check(event, keys).ok
    assert signature_check(event, {}).reason_code == "key_unknown"
    assert signature_check(event, {key_id: replace(keys[key_id], user_id="someone")}).reason_code == "key_not_signers"
    tampered = object.__new__(type(event))
    object.__setattr__(tampered, "__dict__", {**event.__dict__, "originator_version": event.originator_version + 1})
    assert signature_check(tampered, keys).reason_code == "signature_invalid"
    ahead = object.__new__(type(event))
    object.__setattr__(
        ahead, "__dict__", {**event.__dict__, "timestamp": event.signature.signed_at - CLOCK_SKEW - timedelta(seconds=1)}
    )
    assert signature_check(ahead, keys).reason_code == "signature_time_invalid"


def test_key_states_fold_only_signing_key_events_in_log_order(world: World):
    _, key_a = enrol(world)
    _, key_b = enrol(world, INSPECTOR_2)
    world.app.keys.revoke_key(OFFICE, key_b, reason="调离")
    all_events = [world.app.mapper.to_domain_event(n) for n in world.app.recorder.select_notifications(1, 1000)]
    states = key_states(all_events)
    assert set(states) == {key_a, key_b} and states == world.app.keys.key_states()
    assert states[key_b].revoked_at == START and states[key_b].revocation_reason == "调离" and states[key_a].revoked_at is None
    assert isinstance(states[key_a], KeyState) and len(states[key_a].public_key) == 32


# ===== v1 events (stored before signatures) ===========================================================


def _as_v1(stored: StoredEvent, *drop: str) -> StoredEvent:
    state = json.loads(stored.state)
    assert state.pop("class_version") == 2
    for name in drop:
        state.pop(name)
    return replace(stored, state=json.dumps(state, ensure_ascii=False).encode())


def test_v1_signed_act_events_still_load_with_no_signature(world: World):
    app = world.app
    iid = inspection(world)
    app.inspections.record_finding(INSPECTOR, iid, item="储罐区", hazard_ids=[], no_major_hazard=True)
    app.inspections.sign_inspection(INSPECTOR, iid)
    hazard = world.hazard_in(HazardState.CLOSED, Grade.GENERAL)
    # rewrite the stored signed acts as their v1 form: no class_version, no signature (nor attachments)
    v1: list[StoredEvent] = []
    for record, drops in ((iid, ("signature",)), (hazard, ("signature", "attachments"))):
        for stored in app.recorder.select_events(record):
            if stored.topic.rsplit(".", 1)[-1] in ACT_MEANINGS:
                v1.append(_as_v1(stored, *drops))
    assert {s.topic.rsplit(".", 1)[-1] for s in v1} == {
        "FindingRecorded",
        "InspectionSigned",
        "VerificationPassed",
        "HazardClosed",
    }
    for stored in v1:
        event = app.mapper.to_domain_event(stored)
        assert event.signature is None and type(event).class_version == 2
        if isinstance(event, Hazard.Event):
            assert event.attachments == []
        assert signature_check(event, {}).reason_code == "unsigned"
    # and a whole record of v1 events replays to the same state
    fresh = type(app)({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    stored_iid = [
        _as_v1(s, "signature") if s.topic.rsplit(".", 1)[-1] in ACT_MEANINGS else s for s in app.recorder.select_events(iid)
    ]
    fresh.recorder.insert_events(stored_iid)
    reloaded = fresh.repository.get(iid)
    assert isinstance(reloaded, Inspection) and reloaded.signed_by == [INSPECTOR.user_id] and len(reloaded.findings) == 1
