"""The API keeps its OpenAPI contract under generated requests (Schemathesis), on SQLite and PostgreSQL.

Every operation of the schema, in-process (ASGI), with the district's committee office (or an inspector,
or whatever identity headers Schemathesis makes up): no 5xx, every status declared, every body and
content type as declared. Bounded for the suite: HAZARD_SCHEMATHESIS_EXAMPLES examples per operation
(default 8: the whole suite stays under 15 minutes on 2 cores; about 75 s a backend there) and its
phases; raise it for a longer hunt, e.g.

    HAZARD_SCHEMATHESIS_EXAMPLES=100 pytest tests/integration/test_contract.py -p no:xdist
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import FailureGroup
from schemathesis.pytest.lazy import get_all_tests

from api.app import create_app
from app.wiring import Services
from tests.integration.conftest import INSPECTOR, OFFICE, credit_code, headers

EXAMPLES = int(os.environ.get("HAZARD_SCHEMATHESIS_EXAMPLES", "8"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _without_lifespan(app: Any) -> Any:
    """The app as Schemathesis reaches it: its lifespan (workers, closing the services) stays the fixture's."""

    async def asgi(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        await app(scope, receive, send)

    return asgi


def _seed(client: TestClient) -> dict[str, str]:
    """A few real records, so generated ids and the reads have something to find: path parameters naming them."""
    enterprise = client.post(
        "/api/v1/enterprises",
        json={"credit_code": credit_code(7), "name": "契约测试化工有限公司", "sector": "hazardous_chemicals",
              "jurisdiction": "wulong", "principal_name": "李建国", "high_risk": True},
        headers=OFFICE,
    )  # fmt: skip
    assert enterprise.status_code == 201, enterprise.text
    principal = headers("ent-li", "李建国", "principal", enterprise.json()["id"], "enterprise", "契约测试化工")
    hazard = client.post(
        "/api/v1/hazards",
        json={"enterprise_id": enterprise.json()["id"], "grade": "major", "source": "self_inspection",
              "criterion": "判定标准第十二条", "description": "液化烃储罐区可燃气体检测报警装置失效"},
        headers=principal,
    )  # fmt: skip
    assert hazard.status_code == 201, hazard.text
    return {"enterprise_id": enterprise.json()["id"], "hazard_id": hazard.json()["id"], "unit_id": "yjj",
            "annex": "annex2", "user_id": "ent-li"}  # fmt: skip


@pytest.fixture
def contract_schema(services: Services) -> Iterator[Any]:
    app = create_app(services.settings, services=services)
    with TestClient(app) as client:  # the lifespan: the workers that keep the read models caught up
        real = _seed(client)
        config = SchemathesisConfig.from_dict(
            {"generation": {"max-examples": EXAMPLES, "database": "none"}, "phases": {"stateful": {"enabled": False}}}
        )
        schema = schemathesis.openapi.from_asgi("/openapi.json", _without_lifespan(app), config=config)

        @schema.hook
        def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any] | None) -> Any:
            # Half the generated requests name the seeded records (an enterprise, a hazard, a unit, …).
            known = {name: value for name, value in real.items() if name in (path_parameters or {})}
            return st.sampled_from([path_parameters, {**(path_parameters or {}), **known}]) if known else st.just(path_parameters)

        yield schema


# Who sends the request: mostly people who may act, sometimes whoever Schemathesis makes up (None); picked
# by the case's own data (Schemathesis's schema examples cannot be combined with a drawn identity).
IDENTITIES = (OFFICE, OFFICE, INSPECTOR, None)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def keeps_the_contract(case: Any) -> None:
    identity = IDENTITIES[zlib.crc32(repr((case.path_parameters, case.query, case.body)).encode()) % len(IDENTITIES)]
    case.call_and_validate(headers=identity, checks=CHECKS)


def test_every_operation_keeps_the_contract(contract_schema: Any) -> None:
    # Schemathesis's pytest plugin (`from_fixture`) needs pytest internals pytest 9 no longer has: its
    # per-operation tests (every phase but the stateful one) are run here, and every failure reported.
    failures: list[str] = []
    operations = 0
    for result in get_all_tests(
        schema=contract_schema, test_func=keeps_the_contract, settings=None, given_kwargs=None
    ):
        operation, test = result.ok()  # an invalid operation definition fails here
        operations += 1
        try:
            test()
        except FailureGroup as exc:
            failures.append(f"{operation.label}:\n{exc}")
        except Exception as exc:  # noqa: BLE001 - every operation runs; each failure is listed
            failures.append(f"{operation.label}: {type(exc).__name__}: {exc}")
    assert operations > 90
    assert not failures, f"{len(failures)} of {operations} operations break the contract:\n\n" + "\n\n".join(failures)
