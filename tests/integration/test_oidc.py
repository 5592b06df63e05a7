"""Bearer tokens of an external OpenID Connect provider: verified against its JWKS served over HTTP by a
local server (a tiny http.server thread), minted here with RS256 keys; claims mapped by the TOML file."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient

from api.app import create_app
from app.auth import ClaimMapping
from app.settings import SettingsError
from app.wiring import Services
from tests.integration.auth_support import bearer, build_services, register

ISSUER = "https://sso.district.example/realms/hazard"
AUDIENCE = "hazard-ledger"
MAPPING = """
# which claims name the acting person (README, Log-in)
[claims]
user_id = "preferred_username"
name = "name"
organisation_id = "hazard.org_id"
organisation_kind = "hazard.org_kind"
organisation_name = "hazard.org_name"

[roles]
claim = "realm_access.roles"

[roles.map]
"hl-office" = "committee_office"
"hl-inspector" = "inspector"
"hl-auditor" = "auditor"

[scope]
claim = "scope"
required = ["hazard-ledger"]
"""


@dataclass
class Provider:
    keys: dict[str, rsa.RSAPrivateKey] = field(default_factory=dict)
    served: list[str] = field(default_factory=list)  # the kids the JWKS lists
    fetches: int = 0
    url: str = ""

    def add_key(self, kid: str, serve: bool = True) -> None:
        self.keys[kid] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if serve:
            self.served.append(kid)

    def jwks(self) -> dict[str, Any]:
        out = []
        for kid in self.served:
            jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.keys[kid].public_key()))
            out.append({**jwk, "kid": kid, "use": "sig", "alg": "RS256"})
        return {"keys": out}

    def token(self, kid: str = "k1", *, signer: str | None = None, **overrides: Any) -> str:
        now = datetime.now(UTC)
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": "f81d4fae",
            "preferred_username": "ajb-wang",
            "name": "王主任",
            "realm_access": {"roles": ["offline_access", "hl-office"]},
            "hazard": {"org_id": "ajb", "org_kind": "committee_office", "org_name": "区安委办"},
            "scope": "openid profile hazard-ledger",
            "iat": now,
            "nbf": now,
            "exp": now + timedelta(minutes=5),
        }
        claims.update(overrides)
        claims = {k: v for k, v in claims.items() if v is not None}
        return jwt.encode(claims, self.keys[signer or kid], algorithm="RS256", headers={"kid": kid})


@pytest.fixture
def provider() -> Iterator[Provider]:
    state = Provider()
    state.add_key("k1")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            state.fetches += 1
            body = json.dumps(state.jwks()).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/realms/hazard/protocol/openid-connect/certs"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def services(provider: Provider, tmp_path: Path) -> Iterator[Services]:
    mapping = tmp_path / "oidc-mapping.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    built = build_services(
        f"sqlite:///{tmp_path}/hazard.db",
        tmp_path,
        oidc_issuer=ISSUER,
        oidc_audience=AUDIENCE,
        oidc_jwks_url=provider.url,
        oidc_mapping=mapping,
        oidc_leeway_seconds=60,
    )
    assert built.auth.oidc is not None
    built.auth.oidc.min_refetch_seconds = 0  # every unknown kid refetches (production: at most every 10 s)
    yield built
    built.close()


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services.settings, services=services)) as c:
        yield c


def _refused(client: TestClient, token: str, serial: int = 9) -> str:
    r = register(client, bearer(token), serial=serial)
    assert r.status_code == 401, r.text
    assert "invalid_token" in r.headers["www-authenticate"]
    return r.json()["code"]  # type: ignore[no-any-return]


def test_a_provider_token_acts_as_the_mapped_person(client: TestClient, services: Services, provider: Provider) -> None:
    r = register(client, bearer(provider.token()))
    assert r.status_code == 201, r.text
    from uuid import UUID

    actor = services.ledger.history(UUID(r.json()["id"]))[0]["actor"]
    assert actor["user_id"] == "ajb-wang" and actor["role"] == "committee_office" and actor["organisation_id"] == "ajb"
    assert register(client, bearer(provider.token()), serial=2).status_code == 201
    assert provider.fetches == 1  # the key set is cached
    # within the allowed clock skew
    skewed = provider.token(exp=datetime.now(UTC) - timedelta(seconds=30))
    assert register(client, bearer(skewed), serial=3).status_code == 201


def test_bad_provider_tokens_are_refused(client: TestClient, provider: Provider) -> None:
    now = datetime.now(UTC)
    assert _refused(client, provider.token(exp=now - timedelta(minutes=5))) == "token_expired"
    assert _refused(client, provider.token(nbf=now + timedelta(minutes=5))) == "token_not_yet_valid"
    assert _refused(client, provider.token(iss="https://evil.example/realms/hazard")) == "token_invalid"
    wrong_audience = client.post("/api/v1/enterprises", json={}, headers=bearer(provider.token(aud="another-app")))
    assert wrong_audience.status_code == 401 and "audience" in wrong_audience.json()["message_en"]
    provider.add_key("k2", serve=False)
    forged = provider.token("k1", signer="k2")  # names k1, signed with another key
    assert "bad signature" in client.get("/api/v1/health", headers=bearer(forged)).json()["message_en"]
    assert _refused(client, provider.token(scope="openid profile")) == "token_invalid"  # the ledger's scope missing
    assert _refused(client, provider.token(realm_access={"roles": ["offline_access"]})) == "token_invalid"  # no mapped role
    mismatched = provider.token(hazard={"org_id": "wulong", "org_kind": "street"})  # an office role at a street
    assert _refused(client, mismatched) == "token_invalid"
    assert _refused(client, provider.token(exp=None)) == "token_invalid"  # exp required


def test_an_unknown_kid_refetches_the_key_set(client: TestClient, provider: Provider) -> None:
    assert register(client, bearer(provider.token())).status_code == 201
    assert provider.fetches == 1
    provider.add_key("k2")  # the provider rotates its keys
    assert register(client, bearer(provider.token("k2")), serial=2).status_code == 201
    assert provider.fetches == 2
    provider.add_key("k3", serve=False)  # a key the provider never published
    r = client.get("/api/v1/health", headers=bearer(provider.token("k3")))
    assert r.status_code == 401 and r.json()["code"] == "token_invalid" and "unknown signing key" in r.json()["message_en"]
    assert provider.fetches == 3  # fetched again, still unknown


def test_an_unreachable_provider_is_a_503_not_a_bad_token(services: Services, provider: Provider) -> None:
    token = provider.token()
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        services.auth.oidc.jwks_url = f"http://127.0.0.1:{closed.getsockname()[1]}/certs"  # type: ignore[union-attr]
    with TestClient(create_app(services.settings, services=services)) as client:
        r = client.get("/api/v1/hazards", headers=bearer(token))
    assert r.status_code == 503 and r.json()["code"] == "identity_provider_unavailable", r.text
    assert r.headers["retry-after"] and r.json()["message_zh"]


def test_the_mapping_file_is_checked(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[roles.map]\n"x" = "system"\n', encoding="utf-8")
    with pytest.raises(SettingsError):
        ClaimMapping.load(bad)
    bad.write_text('[roles.map]\n"x" = "wizard"\n', encoding="utf-8")
    with pytest.raises(SettingsError):
        ClaimMapping.load(bad)
    from app.settings import Settings

    with pytest.raises(SettingsError, match="together"):
        Settings.from_env({"HAZARD_OIDC_ISSUER": ISSUER})
