"""Official documents (文书) through HTTP, on SQLite and PostgreSQL: a major from report to 销号 gets every
document numbered, printable (PDF with the number and the Chinese facts), editable (DOCX), verifiable
against the SHA-256 in its DocumentIssued event; delivery and receipt; scope; two issues at once never
share a number."""

from __future__ import annotations

import hashlib
import io
import threading
from typing import Any
from uuid import UUID

import pytest

from app.pipeline import CommandContext
from app.wiring import Services
from domain.commands.documents import IssueDocument
from domain.errors import DomainError
from tests.integration.conftest import INSPECTOR, OTHER_DEPT, Api, Enterprise, full_plan, future_date, headers
from tests.unit.support import INSPECTOR as INSPECTOR_ACTOR

pypdf = pytest.importorskip("pypdf")
docx = pytest.importorskip("docx")

LISTING = {
    "level": "district", "supervising_body": "呈贡区人民政府", "document_number": "呈安委督〔2023〕12号",
    "issuer": "呈贡区安全生产委员会", "time_limit": future_date(40),
}  # fmt: skip


def _issue(api: Api, hazard_id: str, kind: str, who: dict[str, str] = INSPECTOR, **extra: str) -> dict[str, Any]:
    receipt = api.post(f"/hazards/{hazard_id}/documents", {"kind": kind}, who, status=201, **extra)
    return api.get(f"/documents/{receipt['id']}")  # type: ignore[no-any-return]


def _pdf(api: Api, document_id: str, who: dict[str, str] | None = None) -> bytes:
    r = api.client.get(f"/api/v1/documents/{document_id}.pdf", headers=who or {})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    return r.content


def _text(pdf: bytes) -> str:
    return "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_a_major_from_report_to_closure_gets_every_document(api: Api, enterprise: Enterprise, major: str) -> None:
    order = _issue(api, major, "rectification_order", **{"Idempotency-Key": "order-1"})
    again = api.post(f"/hazards/{major}/documents", {"kind": "rectification_order"}, INSPECTOR, status=201, **{"Idempotency-Key": "order-1"})
    assert again["id"] == order["id"]  # a retried issue gives the same document, no second number
    api.post(f"/hazards/{major}/supervision", LISTING, INSPECTOR)
    notice = _issue(api, major, "supervision_notice")
    api.post(f"/hazards/{major}/plan", full_plan(deadline=future_date(30)), enterprise.principal)
    api.post(f"/hazards/{major}/extension-requests", {"reason": "设备到货延迟", "requested_deadline": future_date(50)}, enterprise.principal)
    api.post(f"/hazards/{major}/extension-requests/approval", {"opinion": "同意延期", "new_deadline": future_date(45)}, INSPECTOR)
    extension = _issue(api, major, "extension_opinion")
    api.post(f"/hazards/{major}/completion", {"note": "已完成"}, enterprise.staff)
    api.post(f"/hazards/{major}/verification", {"passed": True, "opinion": "整改措施落实到位，同意通过验收", "assessed_by": ["experts"]}, INSPECTOR)
    acceptance = _issue(api, major, "acceptance_opinion")
    api.post(f"/hazards/{major}/supervision/lift", {"reason": "验收合格", "approver": "呈贡区人民政府"}, INSPECTOR)
    api.post(f"/hazards/{major}/closure", {"note": "同意销号"}, INSPECTOR)
    closure = _issue(api, major, "closure_form")

    documents = [order, notice, extension, acceptance, closure]
    year = order["year"]  # the business year of the issue (today here)
    assert [d["number"] for d in documents] == [
        f"呈应急隐改〔{year}〕1号", f"呈应急督办〔{year}〕1号", f"呈应急延审〔{year}〕1号", f"呈应急复查〔{year}〕1号", f"呈应急销号〔{year}〕1号",
    ]  # fmt: skip
    listed = api.get("/documents", record_id=major)
    assert [d["id"] for d in listed["items"]] == [d["id"] for d in documents]
    for d in documents:
        pdf = _pdf(api, d["id"])
        assert hashlib.sha256(pdf).hexdigest() == d["sha256"]  # the file served is the file issued
        text = _text(pdf)
        assert d["number"] in text and d["kind_zh"].replace("重大事故隐患", "") in text and "昆明呈贡示例化工有限公司" in text
        assert api.get(f"/documents/{d['id']}/verification")["verified"] is True
        r = api.client.get(f"/api/v1/documents/{d['id']}.docx")
        assert r.status_code == 200
        assert d["number"] in "\n".join(p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs)
    assert "液化烃储罐区可燃气体检测报警装置失效" in _text(_pdf(api, order["id"]))
    assert "同意延期" in _text(_pdf(api, extension["id"]))
    # in the audit log: the document's events name the number and the file's SHA-256
    events = api.get(f"/documents/{order['id']}/events")
    assert [e["type"] for e in events] == ["DocumentIssued"]
    assert events[0]["data"]["number"] == order["number"] and events[0]["data"]["sha256"] == order["sha256"]


def test_delivery_and_receipt(api: Api, enterprise: Enterprise, major: str) -> None:
    order = _issue(api, major, "rectification_order")
    path = f"/documents/{order['id']}"
    assert api.post(f"{path}/receipt", {"received_by": "李建国"}, enterprise.principal, status=409)["code"] == "document_not_delivered"
    api.post(f"{path}/delivery", {"method": "in_person", "recipient": "李建国"}, INSPECTOR, **{"If-Match": '"1"'})
    api.post(f"{path}/receipt", {"received_by": "李建国"}, enterprise.principal)
    view = api.get(path)
    assert view["deliveries"][0]["method_zh"] == "直接送达" and view["received_by"] == "李建国" and view["version"] == 3
    assert [e["type"] for e in api.get(f"{path}/events")] == ["DocumentIssued", "DocumentDelivered", "DocumentReceived"]


def test_refusals_and_scope(api: Api, enterprise: Enterprise, major: str) -> None:
    problem = api.post(f"/hazards/{major}/documents", {"kind": "supervision_notice"}, INSPECTOR, status=409)
    assert problem["code"] == "document_not_issuable" and "未挂牌督办" in problem["message_zh"]
    assert api.post(f"/hazards/{major}/documents", {"kind": "rectification_order"}, enterprise.principal, status=403)["code"] == "role_not_allowed"
    assert api.post(f"/hazards/{major}/documents", {"kind": "rectification_order"}, OTHER_DEPT, status=403)["code"] == "outside_scope"
    order = _issue(api, major, "rectification_order")
    # the addressee reads its own document; another enterprise, another department do not see it
    assert api.client.get(f"/api/v1/documents/{order['id']}.pdf", headers=enterprise.principal).status_code == 200
    other = headers("ent-x", "外人", "principal", "00000000-0000-0000-0000-000000000007", "enterprise", "别的公司")
    for who in (other, OTHER_DEPT):
        assert api.client.get(f"/api/v1/documents/{order['id']}", headers=who).status_code == 404
        assert api.client.get(f"/api/v1/documents/{order['id']}.pdf", headers=who).status_code == 404
        assert api.client.get("/api/v1/documents", headers=who).json()["items"] == []


def test_two_issues_at_once_never_share_a_number(services: Services, api: Api, enterprise: Enterprise, major: str) -> None:
    """On PostgreSQL two writers race for the same series; the store's optimistic concurrency refuses the
    loser's number, which then takes the next one (or, after retries, is refused with document_number_conflict)."""
    outcomes: list[Any] = []
    errors: list[DomainError] = []
    barrier = threading.Barrier(4)

    def issue(n: int) -> None:
        barrier.wait()
        for _ in range(3):
            try:
                ctx = CommandContext(INSPECTOR_ACTOR, idempotency_key=f"race-{n}-{_}", fingerprint=f"{n}-{_}", status=201)
                outcomes.append(services.pipeline.execute(IssueDocument(kind="rectification_order", record_id=UUID(major)), ctx))
            except DomainError as error:
                errors.append(error)

    threads = [threading.Thread(target=issue, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(e.code == "document_number_conflict" for e in errors), [str(e) for e in errors]
    numbers = [services.ledger.documents.document(o.id)["sequence"] for o in outcomes]
    assert sorted(numbers) == list(range(1, len(outcomes) + 1))  # no repeat, no gap
    assert len(outcomes) + len(errors) == 12 and len(outcomes) >= 4


def test_six_issuers_racing_for_one_series_all_get_consecutive_numbers(services: Services, major: str) -> None:
    """Six clerks issue five documents each at once (9 of 30 were refused before): the issuers of one series
    take turns in a process, a number another process took is retried after a short jittered wait, so all 30
    are issued, numbered 1 … 30 without repeat or gap."""
    outcomes: list[Any] = []
    errors: list[DomainError] = []
    barrier = threading.Barrier(6)

    def issue(n: int) -> None:
        barrier.wait()
        for i in range(5):
            ctx = CommandContext(INSPECTOR_ACTOR, idempotency_key=f"six-{n}-{i}", fingerprint=f"{n}-{i}", status=201)
            try:
                outcomes.append(services.pipeline.execute(IssueDocument(kind="rectification_order", record_id=UUID(major)), ctx))
            except DomainError as error:
                errors.append(error)

    threads = [threading.Thread(target=issue, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(services.ledger.documents.document(o.id)["sequence"] for o in outcomes)
    assert numbers == list(range(1, 31))


def test_the_cli_issues_lists_shows_and_writes_the_pdf(services: Services, api: Api, major: str, tmp_path) -> None:
    from typer.testing import CliRunner

    from cli.main import app

    runner = CliRunner(env={"COLUMNS": "240"})
    db = ["--db", services.settings.db_url]
    issued = runner.invoke(app, ["documents", "issue", "--record", major, "--kind", "rectification_order", "--user", "yjj-zhang",
                                 "--name", "张伟", "--role", "inspector", "--org", "yjj", *db])  # fmt: skip
    assert issued.exit_code == 0, issued.output
    assert "呈应急隐改〔" in issued.output
    document_id = issued.stdout.split()[2]  # stderr says which database
    listed = runner.invoke(app, ["documents", "list", "--record", major, *db])
    assert listed.exit_code == 0 and document_id in listed.output
    shown = runner.invoke(app, ["documents", "show", document_id, *db])
    assert shown.exit_code == 0 and "verified" in shown.output
    out = tmp_path / "order.pdf"
    written = runner.invoke(app, ["documents", "pdf", document_id, "--out", str(out), *db])
    assert written.exit_code == 0
    assert hashlib.sha256(out.read_bytes()).hexdigest() == api.get(f"/documents/{document_id}")["sha256"]
    refused = runner.invoke(app, ["documents", "issue", "--record", major, "--kind", "closure_form", "--user", "yjj-zhang",
                                  "--name", "张伟", "--role", "inspector", "--org", "yjj", *db])  # fmt: skip
    assert refused.exit_code == 1 and "隐患尚未销号" in refused.output
