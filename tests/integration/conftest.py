"""An API client on a real database (both backends) and the people of a small district."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import httpx
import psycopg
import pytest
from fastapi.testclient import TestClient
from psycopg import sql

from api.app import create_app
from app.settings import Settings
from app.wiring import Services, build
from domain.business_time import business_date
from domain.credit_code import check_character
from tests.conftest import PG_ADMIN_URL, scratch_postgres


def headers(user_id: str, name: str, role: str, org_id: str, org_kind: str, org_name: str = "") -> dict[str, str]:
    return {
        "X-User-Id": user_id,
        "X-User-Name": quote(name),
        "X-User-Role": role,
        "X-Org-Id": org_id,
        "X-Org-Kind": org_kind,
        "X-Org-Name": quote(org_name),
    }


OFFICE = headers("ajb-wang", "王主任", "committee_office", "ajb", "committee_office", "区安委办")
INSPECTOR = headers("yjj-zhang", "张伟", "inspector", "yjj", "department", "区应急管理局")
INSPECTOR_2 = headers("yjj-li", "李娜", "inspector", "yjj", "department", "区应急管理局")
OTHER_DEPT = headers("wlj-zhao", "赵敏", "inspector", "wlj", "department", "区文化和旅游局")


def credit_code(serial: int) -> str:
    first17 = f"91530114MA6K{serial:05d}"
    return first17 + check_character(first17)


def future_date(days: int = 30) -> str:
    return (business_date(datetime.now(UTC)) + timedelta(days=days)).isoformat()


@pytest.fixture
def services(db_url: str) -> Iterator[Services]:
    # The tests run the process managers themselves, on clocks they set.
    built = build(Settings(db_url=db_url))
    yield built
    built.close()


def reads_what_was_written(client: TestClient, services: Services) -> TestClient:
    """A strongly consistent client for tests: every request names the log's head as the position to read
    at, so a read sees every write before it, whether sent over HTTP or straight to the ledger."""

    def at_head(request: httpx.Request) -> None:
        if "X-Min-Position" not in request.headers:
            request.headers["X-Min-Position"] = str(services.ledger.recorder.max_notification_id() or 0)

    client.event_hooks["request"].extend([at_head, reads_as_office])
    return client


def reads_as_office(request: httpx.Request) -> None:
    """Every read names its reader (issue 12): a GET that names nobody reads as the 区安委办 (the whole
    district), unless it says ``X-Anonymous`` (then it names nobody)."""
    if request.method != "GET":
        return
    if "X-Anonymous" in request.headers:
        del request.headers["X-Anonymous"]
    elif "X-User-Id" not in request.headers:
        request.headers.update(OFFICE)


ANONYMOUS = {"X-Anonymous": "1"}


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services.settings, services=services)) as c:
        yield reads_what_was_written(c, services)


@dataclass
class Api:
    """A small client: raises on unexpected status, returns the JSON."""

    client: TestClient

    def post(self, path: str, body: dict[str, Any], who: dict[str, str], status: int = 200, **extra: str) -> Any:
        r = self.client.post(f"/api/v1{path}", json=body, headers={**who, **extra})
        assert r.status_code == status, r.text
        return r.json()

    def get(self, path: str, status: int = 200, **params: Any) -> Any:
        r = self.client.get(f"/api/v1{path}", params=params)
        assert r.status_code == status, r.text
        return r.json()

    def events(self, hazard_id: str) -> list[dict[str, Any]]:
        return self.get(f"/hazards/{hazard_id}/events")  # type: ignore[no-any-return]


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client)


@dataclass
class Enterprise:
    id: str
    principal: dict[str, str]
    staff: dict[str, str]


@pytest.fixture
def enterprise(api: Api) -> Enterprise:
    receipt = api.post(
        "/enterprises",
        {
            "credit_code": credit_code(1),
            "name": "昆明呈贡示例化工有限公司",
            "sector": "hazardous_chemicals",
            "jurisdiction": "wulong",
            "principal_name": "李建国",
            "high_risk": True,
        },
        OFFICE,
        status=201,
    )
    eid = receipt["id"]
    return Enterprise(
        id=eid,
        principal=headers("ent-li", "李建国", "principal", eid, "enterprise", "示例化工"),
        staff=headers("ent-chen", "陈安全", "enterprise_staff", eid, "enterprise", "示例化工"),
    )


def full_plan(**overrides: Any) -> dict[str, Any]:
    return {
        "responsible_person": "李建国",
        "measures": "更换失效探头",
        "funds_yuan": 86000,
        "deadline": future_date(),
        "contingency_plan": "储罐区泄漏专项应急预案",
        **overrides,
    }


@pytest.fixture
def major(api: Api, enterprise: Enterprise) -> str:
    return api.post(  # type: ignore[no-any-return]
        "/hazards",
        {
            "enterprise_id": enterprise.id,
            "grade": "major",
            "source": "self_inspection",
            "criterion": "《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）》第十二条",
            "description": "液化烃储罐区可燃气体检测报警装置失效",
        },
        enterprise.principal,
        status=201,
    )["id"]


PASSWORD = "p@ss:w/rd%41#?&=+ 密码"  # a database password: each of its characters breaks a URL it is pasted into


@pytest.fixture
def role_with_password() -> Iterator[tuple[str, str]]:
    """A role whose password is PASSWORD, owning a fresh database: (its name, the database URL without password).
    The role goes once its database (and all it owns there) is dropped."""
    role = f"hazard_pw_{uuid.uuid4().hex[:8]}"
    with scratch_postgres("pw") as url:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(role), sql.Literal(PASSWORD)))
            conn.execute(sql.SQL("ALTER DATABASE {} OWNER TO {}").format(sql.Identifier(url.rsplit("/", 1)[1]), sql.Identifier(role)))
        yield role, f"postgresql://{role}@127.0.0.1:5432/{url.rsplit('/', 1)[1]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
