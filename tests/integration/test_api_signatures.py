"""Personal signatures over HTTP, on both backends: an inspector's key enrolled by the 区安委办, an
inspection signed with a signature made on the client, the stored event carrying it, a stale signature
refused; the server-held convenience mode labelled as such; revocation."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.signatures import (
    PersonalSignature,
    key_id_for,
    new_private_key,
    public_key_bytes,
    sign,
    signature_check,
    signing_payload,
)

from .conftest import INSPECTOR, INSPECTOR_2, OFFICE, Api, Enterprise


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def enrol_client_key(api: Api, user_id: str = "yjj-zhang", name: str = "张伟") -> tuple[bytes, str]:
    private = new_private_key()
    public = public_key_bytes(private)
    body = api.post(
        "/keys", {"user_id": user_id, "name": name, "public_key": base64.b64encode(public).decode()}, OFFICE, status=201
    )
    assert body["key_id"] == key_id_for(public) and body["mode"] == "client"
    return private, body["key_id"]


def conduct(api: Api, enterprise: Enterprise) -> str:
    return api.post(  # type: ignore[no-any-return]
        "/inspections",
        {
            "enterprise_id": enterprise.id,
            "kind": "department",
            "method": "unannounced",
            "inspectors": [{"user_id": "yjj-zhang", "name": "张伟"}, {"user_id": "yjj-li", "name": "李娜"}],
            "scope": ["储罐区"],
        },
        INSPECTOR,
        status=201,
    )["id"]


def client_sign(api: Api, who: dict[str, str], private: bytes, key_id: str, record_id: str, meaning: str) -> dict[str, Any]:
    """What a client does: fetch the payload, sign it on the device, send {key_id, signed_at, value}."""
    signed_at = now().isoformat().replace("+00:00", "Z")
    r = api.client.get(
        "/api/v1/signing-payload",
        params={"record_id": record_id, "meaning": meaning, "signed_at": signed_at, "key_id": key_id},
        headers=who,
    )
    assert r.status_code == 200, r.text
    found = r.json()
    payload = base64.b64decode(found["payload_base64"])
    assert payload == found["payload"].encode()
    assert found["fields"]["time"] == signed_at and found["fields"]["record_id"] == record_id
    return {"key_id": key_id, "signed_at": signed_at, "value": sign(private, payload), "algorithm": "ed25519"}


def test_an_inspector_signs_an_inspection_with_a_client_made_signature(api: Api, enterprise: Enterprise, services) -> None:
    private, key_id = enrol_client_key(api)
    key = api.get(f"/keys/{key_id}")
    assert key["user_id"] == "yjj-zhang" and key["server_held"] is False and key["revoked"] is False
    assert [k["key_id"] for k in api.get("/keys", user_id="yjj-zhang")["items"]] == [key_id]
    iid = conduct(api, enterprise)
    signature = client_sign(api, INSPECTOR, private, key_id, iid, "inspector")
    receipt = api.post(f"/inspections/{iid}/signatures", {"signature": signature}, INSPECTOR)
    assert receipt["version"] == 2
    stored = api.get(f"/inspections/{iid}/events")[-1]
    assert stored["type"] == "InspectionSigned"
    assert stored["data"]["signature"] == {
        "key_id": key_id,
        "algorithm": "ed25519",
        "signed_at": datetime.fromisoformat(signature["signed_at"]).isoformat(),
        "meaning": "inspector",
        "value": signature["value"],
        "mode": "client",
    }
    # the offline check accepts the stored event as decoded from the database
    event = list(services.ledger.repository.event_store.get(__import__("uuid").UUID(iid)))[-1]
    assert isinstance(event.signature, PersonalSignature)
    assert signature_check(event, services.ledger.keys.key_states()).ok


def test_a_signature_over_a_stale_version_is_refused_and_nothing_is_appended(api: Api, enterprise: Enterprise) -> None:
    private, key_id = enrol_client_key(api)
    iid = conduct(api, enterprise)
    signature = client_sign(api, INSPECTOR, private, key_id, iid, "inspector")  # over version 1
    api.post(f"/inspections/{iid}/findings", {"item": "储罐区", "no_major_hazard": True}, INSPECTOR_2)  # now version 2
    problem = api.post(f"/inspections/{iid}/signatures", {"signature": signature}, INSPECTOR, status=409)
    assert problem["code"] == "signature_stale_version"
    assert "请刷新后重新签名" in problem["message_zh"]
    assert len(api.get(f"/inspections/{iid}/events")) == 2
    # signing the current version is accepted
    fresh = client_sign(api, INSPECTOR, private, key_id, iid, "inspector")
    assert api.post(f"/inspections/{iid}/signatures", {"signature": fresh}, INSPECTOR)["version"] == 3


def test_a_forged_or_foreign_signature_is_refused(api: Api, enterprise: Enterprise) -> None:
    private, key_id = enrol_client_key(api)
    iid = conduct(api, enterprise)
    good = client_sign(api, INSPECTOR, private, key_id, iid, "inspector")
    forged = {**good, "value": base64.b64encode(b"\x01" * 64).decode()}
    assert api.post(f"/inspections/{iid}/signatures", {"signature": forged}, INSPECTOR, status=422)["code"] == "signature_invalid"
    # 李娜 cannot use 张伟's key
    other = client_sign(api, INSPECTOR_2, private, key_id, iid, "inspector")
    assert api.post(f"/inspections/{iid}/signatures", {"signature": other}, INSPECTOR_2, status=403)["code"] == "key_not_signers"
    unknown = {**good, "key_id": "00" * 32}
    assert api.post(f"/inspections/{iid}/signatures", {"signature": unknown}, INSPECTOR, status=422)["code"] == "key_unknown"
    assert len(api.get(f"/inspections/{iid}/events")) == 1


def test_server_held_mode_is_labelled_in_the_response_and_in_the_event(api: Api, enterprise: Enterprise, services) -> None:
    enrolled = api.post("/keys/server-held", {"user_id": "yjj-zhang", "name": "张伟"}, INSPECTOR, status=201)  # for oneself
    assert enrolled["mode"] == "server_held" and enrolled["notice"] == "convenience mode: the server can sign as this user"
    assert api.get(f"/keys/{enrolled['key_id']}")["server_held"] is True
    iid = conduct(api, enterprise)
    api.post(f"/inspections/{iid}/signatures", {}, INSPECTOR, **{"X-Sign-With": "server-held"})
    signature = api.get(f"/inspections/{iid}/events")[-1]["data"]["signature"]
    assert signature["mode"] == "server_held" and signature["key_id"] == enrolled["key_id"]
    assert signature["meaning"] == "inspector"
    event = list(services.ledger.repository.event_store.get(__import__("uuid").UUID(iid)))[-1]
    assert signature_check(event, services.ledger.keys.key_states()).ok
    # a user without a server-held key cannot ask for it
    problem = api.post(f"/inspections/{iid}/signatures", {}, INSPECTOR_2, status=409, **{"X-Sign-With": "server-held"})
    assert problem["code"] == "no_server_held_key"


def test_a_verification_and_closure_are_signed_over_the_evidence(api: Api, enterprise: Enterprise, major: str) -> None:
    private, key_id = enrol_client_key(api)
    api.post(f"/hazards/{major}/plan", {
        "responsible_person": "李建国", "measures": "更换", "funds_yuan": 1, "deadline": (now() + timedelta(days=30)).date().isoformat(),
        "contingency_plan": "预案",
    }, enterprise.principal)  # fmt: skip
    api.post(f"/hazards/{major}/completion", {"note": "完成"}, enterprise.staff)
    api.post(
        f"/hazards/{major}/evidence",
        {"file_name": "照片.jpg", "media_type": "image/jpeg", "content_base64": base64.b64encode(b"photo").decode()},
        enterprise.staff,
    )
    signature = client_sign(api, INSPECTOR, private, key_id, major, "verifier")
    api.post(
        f"/hazards/{major}/verification",
        {"passed": True, "opinion": "整改到位", "assessed_by": ["experts"], "signature": signature},
        INSPECTOR,
    )
    passed = api.events(major)[-1]
    assert passed["type"] == "VerificationPassed" and passed["data"]["signature"]["meaning"] == "verifier"
    assert passed["data"]["attachments"] == api.get(f"/hazards/{major}")["evidence"]
    # the closure signature must carry the closer meaning: a verifier signature is refused
    wrong = {**client_sign(api, INSPECTOR, private, key_id, major, "verifier")}
    problem = api.post(f"/hazards/{major}/closure", {"note": "销号", "signature": wrong}, INSPECTOR, status=422)
    assert problem["code"] == "signature_invalid"  # signed as "verifier", checked as "closer": it does not verify
    close = client_sign(api, INSPECTOR, private, key_id, major, "closer")
    api.post(f"/hazards/{major}/closure", {"note": "销号", "signature": close}, INSPECTOR)
    assert api.events(major)[-1]["data"]["signature"]["meaning"] == "closer"


def test_revocation_over_http_refuses_later_signatures(api: Api, enterprise: Enterprise) -> None:
    private, key_id = enrol_client_key(api)
    iid = conduct(api, enterprise)
    api.post(f"/keys/{key_id}/revocation", {"reason": "手机丢失"}, INSPECTOR)  # the owner revokes their own key
    key = api.get(f"/keys/{key_id}")
    assert key["revoked"] is True and key["revocation_reason"] == "手机丢失"
    future = (now() + timedelta(days=1)).isoformat()
    assert api.post(f"/keys/{key_id}/revocation", {"reason": "x", "revoked_at": future}, OFFICE, status=409)["code"] == (
        "key_already_revoked"
    )
    signature = client_sign(api, INSPECTOR, private, key_id, iid, "inspector")
    assert api.post(f"/inspections/{iid}/signatures", {"signature": signature}, INSPECTOR, status=409)["code"] == "key_revoked"
    assert api.post("/keys", {"user_id": "u", "name": "n", "public_key": "AAAA"}, INSPECTOR, status=403)["code"] == (
        "role_not_allowed"
    )


def test_the_signing_payload_endpoint_returns_the_documented_bytes(api: Api, enterprise: Enterprise) -> None:
    iid = conduct(api, enterprise)
    r = api.client.get(
        "/api/v1/signing-payload",
        params={"record_id": iid, "meaning": "inspector", "signed_at": "2023-06-12T16:30:00+08:00", "key_id": "ab" * 32},
        headers=INSPECTOR,
    )
    assert r.status_code == 200, r.text
    found = r.json()
    from domain.actor import Actor

    actor = Actor("yjj-zhang", "张伟", "inspector", "yjj", "department")
    expected = signing_payload(iid, 1, "inspector", actor, datetime(2023, 6, 12, 8, 30, tzinfo=UTC), "ab" * 32, [])
    assert found["payload"].encode() == expected and found["version_seen"] == 1
    assert found["fields"]["time"] == "2023-06-12T08:30:00Z"
    bad = api.client.get(
        "/api/v1/signing-payload",
        params={"record_id": iid, "meaning": "inspector", "signed_at": "2023-06-12T16:30:00.5+08:00", "key_id": "k"},
        headers=INSPECTOR,
    )
    assert bad.status_code == 422 and bad.json()["code"] == "signature_time_invalid"
