"""Log-in (issue 12): accounts, tokens, refresh rotation, lock-out, API keys, the identity headers' trust,
security events — through the API, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

import jwt
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from app.settings import SettingsError
from app.wiring import Services
from domain.errors import DomainError
from tests.integration.auth_support import PASSWORD, add_people, bearer, build_services, login, register
from tests.integration.conftest import INSPECTOR, OFFICE, headers


@pytest.fixture
def auth_services(db_url: str, tmp_path: Path) -> Iterator[Services]:
    services = build_services(db_url, tmp_path, lockout_failures=3, lockout_minutes=15)
    add_people(services)
    yield services
    services.close()


@pytest.fixture
def client(auth_services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(auth_services.settings, services=auth_services)) as c:
        yield c


def _code(r) -> str:  # type: ignore[no-untyped-def]
    assert r.status_code == 401, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.headers["www-authenticate"].startswith('Bearer realm="hazard-ledger"')
    body = r.json()
    assert body["message_zh"] and body["message_en"]
    return body["code"]  # type: ignore[no-any-return]


def test_log_in_then_a_command_with_the_bearer_token(client: TestClient, auth_services: Services) -> None:
    pair = login(client, "ajb-wang")
    assert pair["token_type"] == "bearer" and pair["expires_in"] == 15 * 60 and pair["refresh_token"]
    r = register(client, bearer(pair["access_token"]))
    assert r.status_code == 201, r.text
    history = auth_services.ledger.history(UUID(r.json()["id"]))
    assert history[0]["actor"]["user_id"] == "ajb-wang" and history[0]["actor"]["name"] == "王主任"
    # the token names the account only: its role and organisation are the account's now
    claims = jwt.decode(pair["access_token"], options={"verify_signature": False})
    assert claims["sub"] == "ajb-wang" and claims["iss"] == "hazard-ledger" and "role" not in claims


def test_refresh_rotates_and_a_spent_refresh_token_is_refused(client: TestClient) -> None:
    first = login(client, "yjj-zhang")
    second = client.post("/api/v1/auth/refresh", data={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200, second.text
    assert second.json()["refresh_token"] != first["refresh_token"]
    again = client.post("/api/v1/auth/refresh", data={"refresh_token": first["refresh_token"]})
    assert _code(again) == "refresh_token_invalid"
    # reuse of a spent token revokes the whole log-in: the newer token is refused too
    assert (
        _code(client.post("/api/v1/auth/refresh", data={"refresh_token": second.json()["refresh_token"]}))
        == "refresh_token_invalid"
    )
    # log-out revokes a fresh log-in's tokens
    third = login(client, "yjj-zhang")
    assert client.post("/api/v1/auth/logout", data={"refresh_token": third["refresh_token"]}).status_code == 204
    assert _code(client.post("/api/v1/auth/refresh", data={"refresh_token": third["refresh_token"]})) == "refresh_token_invalid"
    assert _code(client.post("/api/v1/auth/refresh", data={"refresh_token": "nonsense"})) == "refresh_token_invalid"


def test_expired_and_forged_local_tokens_are_refused(client: TestClient, auth_services: Services) -> None:
    key = auth_services.auth.key
    now = datetime.now(UTC)
    base = {"iss": "hazard-ledger", "aud": "hazard-ledger", "sub": "ajb-wang", "iat": now - timedelta(hours=1)}
    expired = jwt.encode({**base, "exp": now - timedelta(minutes=1)}, key, algorithm="HS256")
    assert _code(register(client, bearer(expired))) == "token_expired"
    early = jwt.encode({**base, "nbf": now + timedelta(minutes=5), "exp": now + timedelta(minutes=20)}, key, algorithm="HS256")
    assert _code(register(client, bearer(early))) == "token_not_yet_valid"
    forged = jwt.encode({**base, "exp": now + timedelta(minutes=5)}, b"x" * 32, algorithm="HS256")
    assert _code(register(client, bearer(forged))) == "token_invalid"
    foreign = jwt.encode({**base, "iss": "elsewhere", "exp": now + timedelta(minutes=5)}, key, algorithm="HS256")
    assert _code(register(client, bearer(foreign))) == "token_invalid"
    assert _code(register(client, bearer("not.a.jwt"))) == "token_invalid"
    assert _code(register(client, {"Authorization": "Basic YWJjOmRlZg=="})) == "token_invalid"
    # a bad credential is refused even on a read, and even with good headers beside it
    assert _code(client.get("/api/v1/hazards", headers={**bearer(forged), **INSPECTOR})) == "token_invalid"


def test_a_disabled_account_can_neither_log_in_nor_use_its_token(client: TestClient, auth_services: Services) -> None:
    pair = login(client, "yjj-zhang")
    auth_services.auth.set_disabled("yjj-zhang", True, "admin")
    assert _code(client.get("/api/v1/hazards", headers=bearer(pair["access_token"]))) == "account_disabled"
    assert login(client, "yjj-zhang", status=401)["code"] == "account_disabled"
    assert _code(client.post("/api/v1/auth/refresh", data={"refresh_token": pair["refresh_token"]})) == "refresh_token_invalid"
    auth_services.auth.set_disabled("yjj-zhang", False, "admin")
    login(client, "yjj-zhang")


def test_failed_log_ins_are_throttled_then_lock_the_account_until_the_lock_expires(
    client: TestClient, auth_services: Services
) -> None:
    start = datetime.now(UTC)
    auth_services.auth.now = lambda: start
    assert login(client, "yjj-zhang", "wrong password", status=401)["code"] == "bad_credentials"
    # each failure makes the next try wait (1 s, then 2 s, …): even the right password, until then
    assert login(client, "yjj-zhang", status=401)["code"] == "login_throttled"
    auth_services.auth.now = lambda: start + timedelta(seconds=2)
    assert login(client, "yjj-zhang", "wrong password", status=401)["code"] == "bad_credentials"
    auth_services.auth.now = lambda: start + timedelta(seconds=3)
    assert login(client, "yjj-zhang", "wrong password", status=401)["code"] == "login_throttled"  # 2 s after the 2nd
    auth_services.auth.now = lambda: start + timedelta(seconds=5)
    assert login(client, "yjj-zhang", "wrong password", status=401)["code"] == "account_locked"
    # locked: even the right password is refused, and another account is not affected
    assert login(client, "yjj-zhang", status=401)["code"] == "account_locked"
    login(client, "ajb-wang")
    assert login(client, "nobody", status=401)["code"] == "bad_credentials"
    later = start + timedelta(minutes=16)
    auth_services.auth.now = lambda: later
    assert login(client, "yjj-zhang")["access_token"]
    account = auth_services.auth.store.require_user("yjj-zhang")
    assert account.failed_logins == 0 and account.locked_until is None


def test_api_keys_act_for_their_role_and_organisation_until_revoked(client: TestClient, auth_services: Services) -> None:
    key, secret = auth_services.auth.add_api_key("sync job", "committee_office", "ajb", "committee_office", "区安委办", "admin")
    r = register(client, {"X-API-Key": secret}, serial=2)
    assert r.status_code == 201, r.text
    assert auth_services.ledger.history(UUID(r.json()["id"]))[0]["actor"]["user_id"] == f"apikey:{key.key_id}"
    assert register(client, {"Authorization": f"ApiKey {secret}"}, serial=3).status_code == 201
    used = next(k for k in auth_services.auth.store.api_keys() if k.key_id == key.key_id)
    assert used.last_used_at is not None and used.last_used_ip == "testclient"
    auth_services.auth.revoke_api_key(key.key_id, "admin")
    assert _code(register(client, {"X-API-Key": secret}, serial=4)) == "api_key_revoked"
    assert _code(register(client, {"X-API-Key": "hlk_0000_guess"}, serial=4)) == "api_key_invalid"


def test_a_role_is_bound_to_its_organisation_kind(client: TestClient, auth_services: Services) -> None:
    with pytest.raises(DomainError) as refused:
        auth_services.auth.add_user("x", "某", "inspector", "wulong", "street", "", PASSWORD, "admin")
    assert refused.value.code == "role_organisation_mismatch" and "street" in refused.value.message_en
    with pytest.raises(DomainError):
        auth_services.auth.add_api_key("k", "principal", "ajb", "committee_office", "", "admin")
    with pytest.raises(DomainError):
        auth_services.auth.grant("yjj-zhang", "auditor", "yjj", "department", None, "admin")
    # the headers are held to the same rule
    wrong = headers("yjj-zhang", "张伟", "inspector", "wulong", "street")
    refused = register(client, wrong)
    assert refused.status_code == 403 and refused.json()["code"] == "role_organisation_mismatch"
    assert register(client, OFFICE, serial=5).status_code == 201  # development trusts well-formed headers


def test_security_events_are_recorded_and_readable_by_auditors_and_admins(client: TestClient, auth_services: Services) -> None:
    login(client, "yjj-zhang", "wrong password", status=401)
    after = datetime.now(UTC) + timedelta(seconds=2)  # past the pause a failure imposes
    auth_services.auth.now = lambda: after
    pair = login(client, "yjj-zhang")
    client.post("/api/v1/auth/refresh", data={"refresh_token": pair["refresh_token"]})
    key, _ = auth_services.auth.add_api_key("k", "inspector", "yjj", "department", "", "admin")
    auth_services.auth.revoke_api_key(key.key_id, "admin")
    auditor = bearer(login(client, "sj-audit")["access_token"])
    r = client.get("/api/v1/security-events", headers=auditor, params={"limit": 200})
    assert r.status_code == 200, r.text
    events = r.json()["items"]
    kinds = [e["kind"] for e in events]
    for kind in ("user_added", "login_failed", "login", "refresh", "api_key_added", "api_key_revoked"):
        assert kind in kinds, kind
    failed = next(e for e in events if e["kind"] == "login_failed")
    assert failed["subject"] == "yjj-zhang" and failed["client_ip"] == "testclient" and failed["at"]
    assert next(e for e in events if e["kind"] == "api_key_revoked")["actor"] == "admin"
    assert kinds.index("login") < kinds.index("user_added")  # the newest first
    page = client.get("/api/v1/security-events", headers=auditor, params={"limit": 2, "offset": 1}).json()
    assert page["total"] == len(events) and [e["id"] for e in page["items"]] == [e["id"] for e in events[1:3]]
    admin = bearer(login(client, "admin")["access_token"])
    assert client.get("/api/v1/security-events", headers=admin).status_code == 200
    inspector = bearer(login(client, "yjj-zhang")["access_token"])
    assert client.get("/api/v1/security-events", headers=inspector).json()["code"] == "role_not_allowed"
    # that refusal is itself a security event: who, what, from where
    refused = client.get("/api/v1/security-events", headers=auditor, params={"limit": 1}).json()["items"][0]
    assert refused["kind"] == "refused" and refused["actor"] == "yjj-zhang" and refused["client_ip"] == "testclient"
    assert refused["detail"] == {"code": "role_not_allowed", "method": "GET", "path": "/api/v1/security-events"}
    assert _code(client.get("/api/v1/security-events")) == "unauthenticated"
    metrics = client.get("/metrics").text
    assert 'hazard_ledger_security_events_total{kind="login"}' in metrics


def test_production_refuses_unauthenticated_requests_and_untrusted_headers(db_url: str, tmp_path: Path) -> None:
    services = build_services(db_url, tmp_path, environment="production", trust_identity_header=False)
    try:  # the workers issue no token and start without the key; the API does not
        with pytest.raises(SettingsError, match="HAZARD_TOKEN_KEY_FILE"):
            create_app(services.settings, services=services)
        (tmp_path / "token-key").write_text("k" * 64)
        add_people(services)
        with TestClient(create_app(services.settings, services=services)) as client:
            assert _code(register(client, OFFICE)) == "identity_headers_refused"
            assert _code(register(client, {})) == "unauthenticated"
            assert _code(client.get("/api/v1/hazards", headers=INSPECTOR)) == "identity_headers_refused"
            assert register(client, bearer(login(client, "ajb-wang")["access_token"])).status_code == 201
    finally:
        services.close()


def test_a_control_character_in_a_user_name_or_a_refresh_token_is_refused_not_a_server_error(client: TestClient) -> None:
    # PostgreSQL refuses a NUL in a text: before the check, log-in answered 500 on PostgreSQL
    for path, form in (
        ("/api/v1/auth/token", {"username": "a\x00b", "password": "x"}),
        ("/api/v1/auth/refresh", {"refresh_token": "r\x00"}),
        ("/api/v1/auth/logout", {"refresh_token": "r\x00"}),
    ):
        answer = client.post(path, data=form)
        assert answer.status_code == 422, (path, answer.text)
        assert answer.json()["code"] == "invalid_value"
