"""The OpenAPI contract declares every status an operation answers and the problem+json body of every error;
the requests Schemathesis found outside it (tests/integration/test_contract.py), one by one."""

from __future__ import annotations

import base64
import hashlib
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from app.settings import Settings
from tests.integration.conftest import OFFICE, Api, Enterprise, credit_code

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def contract(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    db = tmp_path_factory.mktemp("contract") / "hazard.db"
    app = create_app(Settings(db_url=f"sqlite:///{db}", in_process_workers=False))
    try:
        return app.openapi()
    finally:
        app.state.services.close()


def operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method, path, op) for path, ops in doc["paths"].items() for method, op in ops.items()]


def test_every_error_is_a_problem_and_fastapis_validation_body_is_gone(contract: dict[str, Any]) -> None:
    schemas = contract["components"]["schemas"]
    assert "HTTPValidationError" not in schemas and "ValidationError" not in schemas
    problem = schemas["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "code", "detail", "message_zh", "message_en", "instance"}
    assert {"details", "errors"} <= set(problem["properties"])
    for method, path, op in operations(contract):
        for status, response in op["responses"].items():
            if int(status) >= 400:
                assert list(response["content"]) == [PROBLEM], (method, path, status)
                assert response["content"][PROBLEM]["schema"] == {"$ref": "#/components/schemas/Problem"}
        assert {"413", "500", "503"} <= set(op["responses"]), (method, path)
        assert "Retry-After" in op["responses"]["503"]["headers"]
    assert "Allow" in contract["components"]["responses"]["MethodNotAllowed"]["headers"]


def test_statuses_follow_from_what_an_operation_is_made_of(contract: dict[str, Any]) -> None:
    paths = contract["paths"]

    def declared(method: str, path: str) -> set[int]:
        return {int(s) for s in paths[path][method]["responses"]}

    # Every request's body is limited while it is read, whatever the method: 413 everywhere; and any credential
    # sent is checked on every route: 401 everywhere.
    assert declared("get", "/api/v1/health") == {200, 401, 413, 500, 503}  # no parameter: nothing to refuse
    # a read that knows who asks: 403 (paging names no record; a path parameter names one: 404)
    assert declared("get", "/api/v1/enterprises") == {200, 401, 403, 413, 422, 500, 503}
    assert declared("get", "/api/v1/hazards/{hazard_id}") == {200, 401, 403, 404, 413, 422, 500, 503}
    command = {401, 403, 404, 409, 413, 422, 500, 503}
    assert declared("post", "/api/v1/enterprises") == {201} | command
    assert declared("post", "/api/v1/hazards/{hazard_id}/plan") == {200} | command
    assert declared("get", "/api/v1/reports/annex3") == {200, 401, 403, 413, 422, 500, 503}  # reads who asks
    assert declared("get", "/api/v1/audit/proofs/{position}") == {200, 400, 401, 403, 413, 422, 500, 503}  # a leaf, no record
    assert declared("get", "/api/v1/signing-payload") == {200, 401, 403, 404, 413, 422, 500, 503}


def test_a_body_that_is_not_utf8_is_refused_as_a_value_not_a_bare_400(api: Api) -> None:
    # Schemathesis: POST /enterprises with a body of random bytes answered 400 http_error, undeclared, English only.
    r = api.client.post(
        "/api/v1/enterprises", content=b"Y\\:sV\xff)\xd6;J", headers={**OFFICE, "Content-Type": "application/json"}
    )
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == PROBLEM
    body = r.json()
    assert body["code"] == "validation_failed" and body["errors"][0]["field"] == "body"
    assert "请求" in body["message_zh"] and body["message_en"].startswith("Invalid request")


def test_the_signing_payload_of_an_unknown_record_is_a_declared_404(api: Api) -> None:
    r = api.client.get(
        "/api/v1/signing-payload",
        params={"record_id": "e3e70682-c209-1cac-a29f-6fbed82c07cd", "meaning": "inspector",
                "signed_at": "2000-01-01T00:00:00Z", "key_id": "k"},
        headers=OFFICE,
    )  # fmt: skip
    assert r.status_code == 404 and r.json()["code"] == "record_not_found"


def test_a_read_never_waits_for_a_position_beyond_the_log(api: Api, enterprise: Enterprise) -> None:
    # Schemathesis sends min_position up to 2^63-1: each such read waited the full 5 s for a position no
    # command ever reached. It waits for the log's head only.
    started = time.monotonic()
    r = api.client.get("/api/v1/enterprises", params={"min_position": 2**63 - 1}, headers={"X-Min-Position": str(2**62)})
    assert r.status_code == 200, r.text
    assert time.monotonic() - started < 2.5
    assert int(r.headers["X-Read-Position"]) >= 1


def test_an_unknown_identity_on_a_read_that_takes_one_is_a_declared_401(client: TestClient) -> None:
    r = client.get("/api/v1/reports/annex3", headers={**OFFICE, "X-User-Role": "nobody"})
    assert r.status_code == 401 and r.headers["content-type"] == PROBLEM


def test_files_are_served_as_the_media_types_the_contract_declares(api: Api, enterprise: Enterprise, major: str) -> None:
    # The evidence route declared only application/json, the annex files nothing at all.
    paths = api.client.get("/openapi.json").json()["paths"]

    def declared(path: str) -> set[str]:
        return set(paths[path]["get"]["responses"]["200"]["content"])

    content = b"%PDF-1.7 scanned acceptance record"
    digest = hashlib.sha256(content).hexdigest()
    evidence = {"file_name": "验收.pdf", "media_type": "application/pdf", "content_base64": base64.b64encode(content).decode()}
    api.post(f"/hazards/{major}/evidence", evidence, enterprise.staff)
    served = {
        "/api/v1/hazards/{hazard_id}/evidence/{sha256}": api.client.get(f"/api/v1/hazards/{major}/evidence/{digest}"),
        "/api/v1/reports/{annex}.xlsx": api.client.get("/api/v1/reports/annex2.xlsx"),
        "/api/v1/reports/{annex}.csv": api.client.get("/api/v1/reports/annex2.csv"),
    }
    for path, response in served.items():
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].split(";")[0] in declared(path), path
    assert "application/json" not in declared("/api/v1/hazards/{hazard_id}/evidence/{sha256}")


def test_a_parameter_with_a_nul_or_over_its_length_is_a_value_refused(api: Api) -> None:
    # Schemathesis on PostgreSQL: GET /warnings?unit=%00 answered 500 (PostgreSQL text cannot contain NUL).
    for url, field, limit in (
        ("/api/v1/warnings?unit=%00", "unit", 0),
        ("/api/v1/hazards?sector=%00", "sector", 0),
        ("/api/v1/accountability/anomalies?unit=a%00", "unit", 0),
        ("/api/v1/accountability/people/a%00b", "user_id", 0),
        ("/api/v1/units/a%00/work-log", "unit_id", 0),
        ("/api/v1/keys?user_id=%00", "user_id", 0),
        (f"/api/v1/hazards?unit={'x' * 256}", "unit", 255),
    ):
        r = api.client.get(url)
        assert r.status_code == 422, (url, r.text)
        problem = r.json()
        assert problem["code"] == "invalid_value" and problem["details"]["field"] == field, url
        assert problem["details"]["limit"] == limit and "字段" in problem["message_zh"]
    # A parameter no route reads is never looked at.
    assert api.client.get("/api/v1/health?unused=%00").status_code == 200


def test_a_percent_encoded_nul_in_the_identity_never_reaches_an_event(api: Api, services: Any) -> None:
    # X-User-Id: ajb%00wang was decoded into the actor of an event: on PostgreSQL the projections worker then
    # died on every restart (a text cannot contain NUL). The identity is held to the bounds of texts.
    before = services.ledger.recorder.max_notification_id() or 0
    body = {"credit_code": credit_code(3), "name": "某化工有限公司", "sector": "hazardous_chemicals",
            "jurisdiction": "wulong", "principal_name": "李建国"}  # fmt: skip
    for header, value, field in (
        ("X-User-Id", "ajb%00wang", "actor.user_id"),
        ("X-User-Name", "%E7%8E%8B%00", "actor.name"),
        ("X-Org-Id", "a%0Ajb", "actor.organisation_id"),
    ):
        r = api.client.post("/api/v1/enterprises", json=body, headers={**OFFICE, header: value})
        assert r.status_code == 422, r.text
        assert (r.json()["code"], r.json()["details"]["field"]) == ("invalid_value", field)
    signed = api.client.post("/api/v1/enterprises", json=body, headers={**OFFICE, "X-User-Id": "a%00", "X-Sign-With": "server-held"})
    assert signed.status_code == 422, signed.text  # refused before the server-held key is looked up
    read = api.client.get("/api/v1/reports/annex3", headers={**OFFICE, "X-User-Id": "a%00"})
    assert read.status_code == 422, read.text
    assert (services.ledger.recorder.max_notification_id() or 0) == before


def test_a_get_with_a_body_over_the_limit_answers_the_declared_413(db_url: str) -> None:
    app = create_app(Settings(db_url=db_url, in_process_workers=False, max_body_bytes=64))
    with TestClient(app) as client:
        r = client.request("GET", "/api/v1/health", content=b"x" * 65)
        declared = app.openapi()["paths"]["/api/v1/health"]["get"]["responses"]
    assert r.status_code == 413 and "413" in declared


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
def test_a_time_at_the_ends_of_the_calendar_is_a_value_refused(api: Api, enterprise: Enterprise, moment: str) -> None:
    # Schemathesis: GET /reports/annex2.xlsx?known_at=… answered 500 (OverflowError converting it to UTC); the
    # same for every report taking known_at, and for the signing payload's signed_at.
    for path in ("/reports/annex1", "/reports/annex2", "/kpis", "/reports/annex2.xlsx", "/reports/annex2.csv"):
        r = api.client.get(f"/api/v1{path}", params={"known_at": moment})
        assert r.status_code == 422, (path, r.text)
        assert (r.json()["code"], r.json()["details"]["field"]) == ("invalid_value", "known_at")
    lineage = api.client.get("/api/v1/reports/annex2/lineage", params={"key": "majors_found", "known_at": moment})
    assert lineage.status_code == 422 and lineage.json()["details"]["field"] == "known_at"
    params = {"record_id": enterprise.id, "meaning": "inspector", "signed_at": moment, "key_id": "k"}
    signed = api.client.get("/api/v1/signing-payload", params=params, headers=OFFICE)
    assert signed.status_code == 422 and signed.json()["code"] == "signature_time_invalid"
