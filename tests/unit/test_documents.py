"""Official documents (文书): issued from a record's events with a number of the unit's series that never
repeats or skips; the PDF carries the number and the Chinese facts, re-renders to the same bytes (the
stored SHA-256 verifies); the DOCX too; wrong states and other units are refused; delivery and receipt."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta
from uuid import UUID

import pytest
from eventsourcing.utils import resolve_topic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.documents import DocumentRenderer
from domain.aggregate_base import event_classes
from domain.business_time import FixedClock
from domain.document import KIND_SOURCE, Document, DocumentNumbering, document_number, may_issue, numbering_id_for
from domain.errors import DomainError
from domain.glossary import EVENT_LABELS, DocumentKind, Grade, HazardState
from domain.services import documents as documents_service

from .support import INSPECTOR, OFFICE, OTHER_DEPARTMENT, START, STREET_OFFICER, World, new_world

pypdf = pytest.importorskip("pypdf")
docx = pytest.importorskip("docx")

K = DocumentKind


@pytest.fixture
def world(clock: FixedClock) -> World:
    w = new_world(clock)
    w.app.documents.renderer = DocumentRenderer()
    return w


def issue(world: World, kind: DocumentKind, record_id: UUID, by=INSPECTOR) -> dict:
    receipt = world.app.documents.issue_document(by, kind=kind, record_id=record_id)
    return world.app.documents.document(receipt.id)


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def docx_text(data: bytes) -> str:
    d = docx.Document(io.BytesIO(data))
    cells = [c.text for t in d.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in d.paragraphs] + cells)


# ----- events contract ---------------------------------------------------------------------------


def test_document_events_have_stable_topics_and_chinese_labels():
    expected = {
        Document: {"DocumentIssued", "DocumentDelivered", "DocumentReceived"},
        DocumentNumbering: {"DocumentNumberingOpened", "DocumentNumberAssigned"},
    }
    for aggregate, names in expected.items():
        assert set(event_classes(aggregate)) == names
        assert resolve_topic(f"hazard-ledger.{aggregate.__name__}") is aggregate
        for name, cls in event_classes(aggregate).items():
            assert f"hazard-ledger.{aggregate.__name__}.{name}" == cls.TOPIC
            assert EVENT_LABELS[name]


# ----- a major from report to 销号: every document, numbered ------------------------------------


def test_a_major_from_report_to_closure_gets_every_document_numbered_and_verifiable(world: World):
    h = world.report(Grade.MAJOR, by=INSPECTOR)
    order = issue(world, K.RECTIFICATION_ORDER, h)
    assert order["number"] == "呈应急隐改〔2023〕1号"
    assert order["addressee"] == "某化工有限公司" and order["issuing_unit_name"] == "区应急管理局"
    world.list(h)
    notice = issue(world, K.SUPERVISION_NOTICE, h)
    world.file_plan(h)
    world.clock.advance(days=1)
    world.app.hazards.request_extension(world.principal, h, reason="设备到货延迟", requested_deadline=world.days(20))
    world.app.hazards.approve_extension(INSPECTOR, h, opinion="同意延期", new_deadline=world.days(15))
    extension = issue(world, K.EXTENSION_OPINION, h)
    world.complete(h)
    world.verify(h)
    acceptance = issue(world, K.ACCEPTANCE_OPINION, h)
    world.lift(h)
    world.close(h)
    closure = issue(world, K.CLOSURE_FORM, h)
    second_order = issue(world, K.RECTIFICATION_ORDER, world.report(Grade.MAJOR, by=INSPECTOR))
    assert [d["number"] for d in (notice, extension, acceptance, closure, second_order)] == [
        "呈应急督办〔2023〕1号",
        "呈应急延审〔2023〕1号",
        "呈应急复查〔2023〕1号",
        "呈应急销号〔2023〕1号",
        "呈应急隐改〔2023〕2号",
    ]
    texts = {
        K.RECTIFICATION_ORDER: ["责令限期整改指令书", "储罐区可燃气体报警仪失效", "第十五条", "安全生产法"],
        K.SUPERVISION_NOTICE: ["重大事故隐患挂牌督办通知书", "挂牌督办"],
        K.EXTENSION_OPINION: ["延期审批意见书", "同意延期", "设备到货延迟"],
        K.ACCEPTANCE_OPINION: ["整改复查（验收）意见书", "整改到位，同意验收"],
        K.CLOSURE_FORM: ["销号审批表", "销号"],
    }
    for doc in (order, notice, extension, acceptance, closure):
        _, pdf = world.app.documents.render(UUID(doc["id"]), "pdf")
        assert hashlib.sha256(pdf).hexdigest() == doc["sha256"]  # the stored hash is the file's
        assert world.app.documents.verify(UUID(doc["id"]))["verified"]
        text = pdf_text(pdf)
        assert doc["number"] in text and "某化工有限公司" in text and "区应急管理局" in text
        for expected in texts[K(doc["kind"])]:
            assert expected in text, (doc["kind"], expected)
        _, editable = world.app.documents.render(UUID(doc["id"]), "docx")
        assert doc["number"] in docx_text(editable)
    # the audit trail: the document's own events, the numbering stream's
    assert [e["type"] for e in world.app.history(UUID(order["id"]))] == ["DocumentIssued"]
    issued = world.app.history(UUID(order["id"]))[0]["data"]
    assert issued["sha256"] == order["sha256"] and issued["source_id"] == str(h) and issued["source_version"] == 1
    series = world.app.history(numbering_id_for("yjj", K.RECTIFICATION_ORDER, 2023))
    assert [e["type"] for e in series] == ["DocumentNumberingOpened", "DocumentNumberAssigned", "DocumentNumberAssigned"]


def test_the_document_is_rendered_from_the_version_it_was_issued_from(world: World):
    h = world.report(Grade.MAJOR, by=INSPECTOR)
    doc = issue(world, K.RECTIFICATION_ORDER, h)
    world.file_plan(h)  # later facts do not change what was sent
    assert world.app.documents.verify(UUID(doc["id"]))["verified"]
    _, pdf = world.app.documents.render(UUID(doc["id"]), "pdf")
    assert "整改责任人" not in pdf_text(pdf)


# ----- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "state", "listed"),
    [
        (K.SUPERVISION_NOTICE, HazardState.RECTIFYING, False),
        (K.ACCEPTANCE_OPINION, HazardState.PENDING_VERIFICATION, False),
        (K.CLOSURE_FORM, HazardState.VERIFIED, True),
        (K.EXTENSION_OPINION, HazardState.RECTIFYING, False),
        (K.RECTIFICATION_ORDER, HazardState.CLOSED, False),
        (K.RECTIFICATION_ORDER, HazardState.VOIDED, False),
    ],
)
def test_a_kind_the_record_does_not_allow_is_refused_and_takes_no_number(world: World, kind, state, listed):
    h = world.hazard_in(state, listed=listed)
    error = world.refuse_new("document_not_issuable", lambda: world.app.documents.issue_document(INSPECTOR, kind=kind, record_id=h))
    assert error.details["kind_zh"] == kind.zh


@pytest.mark.parametrize("state", list(HazardState))
@pytest.mark.parametrize("listed", [False, True])
def test_the_kinds_offered_are_exactly_those_the_record_allows_now(world: World, state, listed):
    """``issuable_kinds`` (what the pages offer): every kind offered is issued, every other refused."""
    h = world.hazard_in(state, listed=listed)
    offered = world.app.documents.issuable(INSPECTOR, h)
    for kind in (k for k in K if KIND_SOURCE[k] == "hazard" and may_issue(INSPECTOR.role, k)):
        try:
            world.app.documents.issue_document(INSPECTOR, kind=kind, record_id=h)
            issued = True
        except DomainError as error:
            assert error.code == "document_not_issuable", error.code
            issued = False
        assert issued == (kind in offered), (state, listed, kind)
    assert set(offered) <= {k for k in K if KIND_SOURCE[k] == "hazard"}


def test_the_kinds_offered_follow_the_role_and_the_grade(world: World):
    h = world.report(Grade.MAJOR, by=INSPECTOR)
    docs = world.app.documents
    assert docs.issuable(INSPECTOR, h) == [K.RECTIFICATION_ORDER]
    world.list(h)
    assert docs.issuable(INSPECTOR, h) == [K.RECTIFICATION_ORDER, K.SUPERVISION_NOTICE]
    assert docs.issuable(world.principal, h) == []  # an enterprise issues nothing
    assert docs.issuable(INSPECTOR, world.report(Grade.GENERAL)) == []


def test_a_document_is_issued_from_the_version_seen(world: World):
    h = world.report(Grade.MAJOR, by=INSPECTOR)
    world.file_plan(h)  # version 2 now
    world.refuse_new(
        "version_conflict", lambda: world.app.documents.issue_document(INSPECTOR, kind=K.RECTIFICATION_ORDER, record_id=h, expected_version=1)
    )
    receipt = world.app.documents.issue_document(INSPECTOR, kind=K.RECTIFICATION_ORDER, record_id=h, expected_version=2)
    assert world.app.documents.document(receipt.id)["source_version"] == 2


def test_a_kind_of_another_record_type_finds_no_such_record(world: World):
    h = world.report(Grade.MAJOR, by=INSPECTOR)
    world.refuse_new("case_not_found", lambda: world.app.documents.issue_document(INSPECTOR, kind=K.PENALTY_SUMMARY, record_id=h))
    world.refuse_new("warning_not_found", lambda: world.app.documents.issue_document(OFFICE, kind=K.PROMPT_LETTER, record_id=h))


def refuse(world: World, code: str, command) -> None:
    total = world.total_events()
    with pytest.raises(DomainError) as info:
        command()
    assert info.value.code == code
    assert world.total_events() == total


def test_a_general_hazard_gets_no_major_documents(world: World):
    h = world.report(Grade.GENERAL)
    world.refuse_new(
        "document_not_issuable", lambda: world.app.documents.issue_document(INSPECTOR, kind=K.RECTIFICATION_ORDER, record_id=h)
    )


def test_who_may_issue(world: World):
    h = world.report(Grade.MAJOR, by=INSPECTOR)
    world.refuse_new("role_not_allowed", lambda: world.app.documents.issue_document(world.principal, kind=K.RECTIFICATION_ORDER, record_id=h))
    world.refuse_new("outside_scope", lambda: world.app.documents.issue_document(OTHER_DEPARTMENT, kind=K.RECTIFICATION_ORDER, record_id=h))
    world.refuse_new("role_not_allowed", lambda: world.app.documents.issue_document(INSPECTOR, kind=K.PROMPT_LETTER, record_id=h))
    # the street of the territory (属地) issues in its own series
    doc = issue(world, K.RECTIFICATION_ORDER, h, by=STREET_OFFICER)
    assert doc["number"] == "乌龙隐改〔2023〕1号"


# ----- delivery and receipt ----------------------------------------------------------------------


def test_delivery_then_receipt_by_the_addressee(world: World):
    h = world.report(Grade.MAJOR, by=INSPECTOR)
    doc_id = UUID(issue(world, K.RECTIFICATION_ORDER, h)["id"])
    docs = world.app.documents
    refuse(world, "document_not_delivered", lambda: docs.receive_document(world.principal, doc_id, received_by="张总"))
    refuse(world, "outside_scope", lambda: docs.deliver_document(OTHER_DEPARTMENT, doc_id, method="in_person", recipient="张总"))
    world.accept(doc_id, "DocumentDelivered", lambda: docs.deliver_document(INSPECTOR, doc_id, method="in_person", recipient="张总"))
    world.clock.advance(hours=1)
    world.accept(doc_id, "DocumentReceived", lambda: docs.receive_document(world.principal, doc_id, received_by="张总"))
    refuse(world, "document_already_received", lambda: docs.receive_document(INSPECTOR, doc_id, received_by="张总"))
    view = docs.document(doc_id)
    assert view["deliveries"][0]["method_zh"] == "直接送达" and view["received_by"] == "张总"
    assert view["received_at"] == (START + timedelta(hours=1)).isoformat()
    assert docs.verify(doc_id)["verified"]  # delivery changes nothing the hash covers


def test_only_the_addressee_enterprise_signs(world: World):
    from domain.glossary import Role

    from .support import enterprise_actor

    h = world.report(Grade.MAJOR, by=INSPECTOR)
    doc_id = UUID(issue(world, K.RECTIFICATION_ORDER, h)["id"])
    world.app.documents.deliver_document(INSPECTOR, doc_id, method="post", recipient="张总")
    stranger = enterprise_actor(UUID(int=7), Role.PRINCIPAL, "x-1", "外人", "别的公司")
    refuse(world, "document_not_addressee", lambda: world.app.documents.receive_document(stranger, doc_id, received_by="外人"))


# ----- numbering: never repeats, never skips -----------------------------------------------------

ISSUERS = {"yjj": INSPECTOR, "wulong": STREET_OFFICER}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(sorted(ISSUERS)), st.sampled_from([0, 200]), st.booleans(), st.booleans()),
        min_size=1,
        max_size=12,
    )
)
def test_numbers_of_each_series_are_one_two_three_without_repeat_or_gap(steps):
    world = new_world(FixedClock(START))
    world.app.documents.renderer = DocumentRenderer()
    hazard = world.report(Grade.MAJOR, by=INSPECTOR)
    issued: dict[tuple[str, int], list[str]] = {}
    for unit, days_later, refused_first, _ in steps:
        world.clock.advance(days=days_later)  # crosses into 2024 now and then
        if refused_first:  # a refused issue takes no number
            with pytest.raises(DomainError):
                world.app.documents.issue_document(ISSUERS[unit], kind=K.CLOSURE_FORM, record_id=hazard)
        kind = K.RECTIFICATION_ORDER
        doc = issue(world, kind, hazard, by=ISSUERS[unit])
        issued.setdefault((doc["series"], doc["year"]), []).append(doc["number"])
    numbers = [n for series in issued.values() for n in series]
    assert len(numbers) == len(set(numbers)) == len(steps)
    for (series, year), found in issued.items():
        assert found == [document_number(series, year, i) for i in range(1, len(found) + 1)]


def test_a_taken_number_retries_the_next_one(world: World, monkeypatch):
    """Another issue stored the next number between loading the series and storing: the store refuses
    the duplicate version and the issue takes the number after it."""
    h = world.report(Grade.MAJOR, by=INSPECTOR)
    docs = world.app.documents
    issue(world, K.RECTIFICATION_ORDER, h)
    real = docs._numbering
    raced = []

    def racing(*args, **kwargs):
        found = real(*args, **kwargs)
        if not raced:
            raced.append(True)
            issue(world, K.RECTIFICATION_ORDER, h)  # takes 2 first
        return found

    monkeypatch.setattr(docs, "_numbering", racing)
    third = issue(world, K.RECTIFICATION_ORDER, h)
    assert third["number"] == "呈应急隐改〔2023〕3号"
    numbers = [d["number"] for d in docs.documents(record_id=h)]
    assert numbers == ["呈应急隐改〔2023〕1号", "呈应急隐改〔2023〕2号", "呈应急隐改〔2023〕3号"]


def test_a_number_another_process_took_is_retried_after_a_short_jittered_wait(world: World, monkeypatch):
    """Three times in a row another process stores the next number first: each time the issue waits a random
    time below a doubling bound (so racing issuers spread out), then takes the number after it."""
    h = world.report(Grade.MAJOR, by=INSPECTOR)
    docs = world.app.documents
    real = docs._numbering
    waits: list[float] = []
    taken: list[str] = []
    busy: list[bool] = []

    def racing(*args, **kwargs):
        found = real(*args, **kwargs)
        if len(taken) < 3 and not busy:
            busy.append(True)
            taken.append(issue(world, K.RECTIFICATION_ORDER, h)["number"])  # the other process, first
            busy.pop()
        return found

    monkeypatch.setattr(documents_service.time, "sleep", waits.append)
    monkeypatch.setattr(docs, "_numbering", racing)
    assert issue(world, K.RECTIFICATION_ORDER, h)["number"] == "呈应急隐改〔2023〕4号"
    assert len(waits) == 3
    assert all(0 <= wait <= documents_service.NUMBER_BACKOFF * 2**attempt for attempt, wait in enumerate(waits))
    bounded = [documents_service.number_backoff(30) for _ in range(50)]
    assert max(bounded) <= documents_service.NUMBER_BACKOFF_MAX and len(set(bounded)) > 1  # capped, and jittered


def test_the_pdf_is_deterministic_and_dated_by_the_issue(world: World):
    h = world.report(Grade.MAJOR, by=INSPECTOR)
    doc_id = UUID(issue(world, K.RECTIFICATION_ORDER, h)["id"])
    _, first = world.app.documents.render(doc_id, "pdf")
    world.clock.advance(days=3)
    _, again = world.app.documents.render(doc_id, "pdf")
    assert first == again
    assert pypdf.PdfReader(io.BytesIO(first)).metadata["/CreationDate"].startswith("D:20230601")


# ----- the case file and the warning ladder ------------------------------------------------------


def test_the_penalty_summary_for_the_case_file(world: World):
    from .test_enforcement_rules import open_case, penalise

    h = world.report(Grade.MAJOR, by=INSPECTOR)
    case_id = open_case(world, h)
    world.refuse_new("document_not_issuable", lambda: world.app.documents.issue_document(INSPECTOR, kind=K.PENALTY_SUMMARY, record_id=case_id))
    penalise(world, case_id)
    doc = issue(world, K.PENALTY_SUMMARY, case_id)
    assert doc["number"] == "呈应急罚决〔2023〕1号" and doc["source_kind"] == "case"
    _, pdf = world.app.documents.render(UUID(doc["id"]), "pdf")
    text = pdf_text(pdf)
    assert "行政处罚决定书（摘要）" in text and "罚款" in text and doc["number"] in text
    assert world.app.documents.verify(UUID(doc["id"]))["verified"]


def test_the_office_issues_the_letter_of_a_confirmed_warning_at_its_level(world: World):
    warning = world.app.warnings.propose_warning(
        OFFICE, unit_id="wlj", level="notice", trigger="manual", trigger_key="doc-1", reason_zh="重大事故隐患逾期未整改", reason_en="late"
    ).id
    world.refuse_new("document_not_issuable", lambda: world.app.documents.issue_document(OFFICE, kind=K.NOTICE_LETTER, record_id=warning))
    world.app.warnings.confirm_warning(OFFICE, warning, note="予以告知", published=True)
    world.refuse_new("document_not_issuable", lambda: world.app.documents.issue_document(OFFICE, kind=K.PROMPT_LETTER, record_id=warning))
    world.refuse_new("role_not_allowed", lambda: world.app.documents.issue_document(INSPECTOR, kind=K.NOTICE_LETTER, record_id=warning))
    doc = issue(world, K.NOTICE_LETTER, warning, by=OFFICE)
    assert doc["number"] == "呈安委办告知〔2023〕1号" and doc["addressee"] == "区文化和旅游局"
    _, pdf = world.app.documents.render(UUID(doc["id"]), "pdf")
    assert "告知函" in pdf_text(pdf) and "重大事故隐患逾期未整改" in pdf_text(pdf)
