"""The demo's log-in accounts (demo/data/accounts.toml, demo/accounts.py): loading the demo creates one per
role; each logs in by POST /api/v1/auth/token and then reads only its scope; production refuses them.

Loading the whole demo into a database takes 10 to 30 seconds, so each backend's demo is loaded once per module,
and one test uses it (the checks are its parts): with pytest-xdist, tests of one module go to several workers,
and each would load its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from app.wiring import Services
from cli.main import app
from demo.accounts import DemoAccountsRefused, create_demo_accounts, demo_account_rows
from demo.loader import DemoSummary, load_demo
from domain.glossary import OrgKind, Role
from tests.conftest import scratch_postgres
from tests.integration.auth_support import bearer, build_services, login

ROWS = {row["user_id"]: row for row in demo_account_rows()}


def _postgres_database() -> Iterator[str]:
    with scratch_postgres("demoacc") as url:
        yield url


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def loaded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Services, DemoSummary]]:
    """One demo per backend and module, loaded with its accounts."""
    tmp = tmp_path_factory.mktemp(f"demo-{request.param}")
    databases = _postgres_database() if request.param == "postgres" else iter([f"sqlite:///{tmp}/hazard.db"])
    db_url = next(databases)
    services = build_services(db_url, tmp)
    try:
        summary = load_demo(services.pipeline, seed=2023, auth=services.auth)
        services.catch_up()
        yield services, summary
    finally:
        services.close()
        for _ in databases:  # drops the PostgreSQL database
            pass


def _hazards(client: TestClient, user_id: str) -> dict[str, Any]:
    token = login(client, user_id, ROWS[user_id]["password"])["access_token"]
    r = client.get("/api/v1/hazards", params={"limit": 1000}, headers=bearer(token))
    assert r.status_code == 200, r.text
    page: dict[str, Any] = r.json()
    assert page["total"] == len(page["items"])
    return page


def _one_account_per_role(loaded: tuple[Services, DemoSummary]) -> None:
    services, summary = loaded
    person_roles = {r for r in Role if r is not Role.SYSTEM}
    assert {a.role for a in summary.accounts} == person_roles and len(summary.accounts) == len(person_roles)
    assert set(summary.accounts_added) == set(ROWS)
    enterprise_ids = {str(e) for e in summary.enterprise_ids}
    for a in summary.accounts:
        stored = services.auth.store.user(a.user_id)
        assert stored is not None and not stored.disabled
        assert (stored.role, stored.organisation_id, stored.organisation_kind) == (a.role, a.organisation_id, a.organisation_kind)
        assert a.password == ROWS[a.user_id]["password"] == f"demo-{a.role.value}-2026"
        assert a.name and a.organisation_name
        if a.organisation_kind is OrgKind.ENTERPRISE:
            assert a.organisation_id in enterprise_ids  # a real enterprise of the demo
        elif a.organisation_kind in (OrgKind.DEPARTMENT, OrgKind.STREET, OrgKind.ZONE, OrgKind.COMMITTEE_OFFICE):
            assert a.organisation_id in services.ledger.reference.units
    by_role = {a.role: a for a in summary.accounts}
    assert by_role[Role.INSPECTOR].organisation_id == "yjj"
    assert by_role[Role.COMMITTEE_OFFICE].organisation_name == "区安委办"
    assert by_role[Role.PRINCIPAL].organisation_id == by_role[Role.ENTERPRISE_STAFF].organisation_id


def _each_logs_in_and_reads_its_scope(client: TestClient, loaded: tuple[Services, DemoSummary]) -> None:
    services, summary = loaded
    everything = _hazards(client, "demo-office")
    assert everything["total"] == summary.hazards  # the 区安委办 reads the whole district
    for user_id in ("demo-expert", "demo-auditor"):
        assert _hazards(client, user_id)["total"] == summary.hazards
    accounts = {a.user_id: a for a in summary.accounts}

    for user_id in ("demo-principal", "demo-staff"):  # the enterprise: its own hazards only, some
        own = _hazards(client, user_id)["items"]
        assert own and {h["enterprise_id"] for h in own} == {accounts[user_id].organisation_id}
        assert len(own) == sum(1 for h in everything["items"] if h["enterprise_id"] == accounts[user_id].organisation_id)

    led = {s.id for s in services.ledger.reference.sectors.values() if "yjj" in s.lead_unit_ids}
    inspector = _hazards(client, "demo-inspector")["items"]  # the 区应急管理局: a proper, non-empty subset
    assert 0 < len(inspector) < summary.hazards
    assert all(h["department"] == "yjj" or h["sector"] in led or h["jurisdiction"] == "yjj" for h in inspector)

    street = _hazards(client, "demo-street")["items"]  # 洛羊街道: its territory
    assert 0 < len(street) < summary.hazards
    assert all(h["jurisdiction"] == "luoyang" or h["department"] == "luoyang" for h in street)

    admin = _hazards(client, "demo-admin")  # manages accounts; reads no more than the office's unit
    assert admin["total"] < summary.hazards


def _a_wrong_password_is_refused(client: TestClient) -> None:
    assert login(client, "demo-office", "demo-inspector-2026", status=401)["code"] == "bad_credentials"


def _existing_accounts_are_left_alone(loaded: tuple[Services, DemoSummary]) -> None:
    services, summary = loaded
    assert create_demo_accounts(services.auth, summary.accounts) == ()


def test_the_demo_creates_accounts_that_log_in_and_read_their_scope(loaded: tuple[Services, DemoSummary]) -> None:
    services = loaded[0]
    _one_account_per_role(loaded)
    with TestClient(create_app(services.settings, services=services)) as client:
        _each_logs_in_and_reads_its_scope(client, loaded)
        _a_wrong_password_is_refused(client)
    _existing_accounts_are_left_alone(loaded)


def test_production_refuses_the_demo_accounts_before_any_event(db_url: str, tmp_path: Path) -> None:
    services = build_services(db_url, tmp_path, environment="production", trust_identity_header=True)
    try:
        with pytest.raises(DemoAccountsRefused, match="HAZARD_ENV=production"):
            load_demo(services.pipeline, seed=2023, auth=services.auth)
        assert not services.ledger.recorder.max_notification_id()
        assert services.auth.store.users() == []
    finally:
        services.close()


def test_the_cli_refuses_the_demo_in_production(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HAZARD_ENV", "production")
    monkeypatch.setenv("HAZARD_TRUST_IDENTITY_HEADER", "1")
    monkeypatch.setenv("HAZARD_TOKEN_KEY_FILE", str(tmp_path / "token-key"))
    result = CliRunner().invoke(app, ["demo", "--db", db_url])
    assert result.exit_code == 1, result.output
    assert "HAZARD_ENV=production" in result.output
