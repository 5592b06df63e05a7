"""Log-in test helpers: services with their keys in a temporary folder, accounts of a small district."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from app.settings import Settings
from app.wiring import Services, build
from tests.integration.conftest import credit_code

PASSWORD = "correct horse battery"


def auth_settings(db_url: str, tmp_path: Path, **overrides: Any) -> Settings:
    return Settings(
        db_url=db_url,
        token_key_file=tmp_path / "token-key",
        log_key_file=tmp_path / "log-key.pem",
        checkpoint_dir=tmp_path / "checkpoints",
        **overrides,
    )


def add_people(services: Services) -> None:
    auth = services.auth
    auth.add_user("ajb-wang", "王主任", "committee_office", "ajb", "committee_office", "区安委办", PASSWORD, "test")
    auth.add_user("yjj-zhang", "张伟", "inspector", "yjj", "department", "区应急管理局", PASSWORD, "test")
    auth.add_user("sj-audit", "审计员", "auditor", "sjj", "audit_body", "区审计局", PASSWORD, "test")
    auth.add_user("admin", "管理员", "admin", "ajb", "committee_office", "区安委办", PASSWORD, "test")


def login(client: TestClient, username: str, password: str = PASSWORD, status: int = 200) -> dict[str, Any]:
    r = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert r.status_code == status, r.text
    return r.json()  # type: ignore[no-any-return]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def register(client: TestClient, who: dict[str, str], serial: int = 1) -> Any:
    body = {
        "credit_code": credit_code(serial),
        "name": f"登录测试企业{serial}",
        "sector": "fire_safety",
        "jurisdiction": "dayu",
        "principal_name": "李建国",
    }
    return client.post("/api/v1/enterprises", json=body, headers=who)


def build_services(db_url: str, tmp_path: Path, **overrides: Any) -> Services:
    return build(auth_settings(db_url, tmp_path, **overrides))
