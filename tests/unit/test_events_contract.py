"""The stored-event contract: stable topics, the actor and business time on every event, lossless
round trips through the application's mapper, and a catalogued, bilingual code for every error."""

from __future__ import annotations

import ast
import dataclasses
import string
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.utils import resolve_topic
from hypothesis import given
from hypothesis import strategies as st

import domain
from domain import glossary
from domain.accident import Accident  # accidents, risks, work logs
from domain.actor import Actor
from domain.aggregate_base import LedgerAggregate, event_classes
from domain.business_time import CHINA_TZ
from domain.enterprise import Enterprise
from domain.errors import CATALOGUE, ErrorKind
from domain.glossary import (
    EVENT_LABELS,
    Assessor,
    Grade,
    HazardSource,
    InspectionKind,
    InspectionMethod,
    OrgKind,
    Role,
    Stoppage,
    SupervisionLevel,
)
from domain.hazard import Hazard
from domain.inspection import Inspection
from domain.outstanding_problem import OutstandingProblem  # accidents, risks, work logs
from domain.reference_data import LedgerRules
from domain.risk_point import RiskPoint  # accidents, risks, work logs
from domain.values import Person, RectificationPlan, SupervisionListing
from domain.work_log import WorkLog  # accidents, risks, work logs

from .support import (
    EXPERT,
    INSPECTOR,
    INSPECTOR_2,
    OFFICE,
    START,
    SYSTEM,
    World,
    complete_plan,
    drive_every_area_event,
    listing,
)

DOMAIN_DIR = Path(domain.__file__).parent

EXPECTED_EVENTS = {
    Hazard: {
        "HazardReported",
        "HazardReportedToRegulator",
        "RectificationPlanFiled",
        "ProgressRecorded",
        "EvidenceAttached",
        "ListedForSupervision",
        "SupervisionLifted",
        "DeadlineExtended",
        "ExtensionRequested",
        "ExtensionApproved",
        "ExtensionRefused",
        "DeadlineMissed",  # stored by earlier versions; still read (a system one moves nothing)
        "DeadlineMissRecorded",
        "RectificationCompleted",
        "VerificationPassed",
        "VerificationFailed",
        "HazardClosed",
        "HazardVoided",
    },
    Inspection: {"InspectionConducted", "FindingRecorded", "InspectionSigned", "DeficienciesRecorded"},
    Enterprise: {"EnterpriseRegistered", "PrincipalChanged"},
    # accidents, risk points, outstanding problems, work logs
    Accident: {"AccidentReported", "AccidentListed", "AccidentInvestigationConcluded"},
    RiskPoint: {
        "RiskPointRegistered",
        "BasicInfoListed",
        "ResponsibilityListed",
        "ControlMeasuresListed",
        "EmergencyListed",
    },
    OutstandingProblem: {"ProblemIdentified", "RootCauseMeasureAdopted", "ProblemRectified"},
    WorkLog: {"WorkLogOpened", "ActivityRecorded"},
}
AGGREGATES = list(EXPECTED_EVENTS)
ALL_EVENTS = [(agg, name, cls) for agg in AGGREGATES for name, cls in event_classes(agg).items()]


# ===========================================================================================
# Topics and envelope fields
# ===========================================================================================


@pytest.mark.parametrize("aggregate", AGGREGATES, ids=lambda a: a.__name__)
def test_each_aggregate_has_the_events_of_the_design(aggregate):
    assert set(event_classes(aggregate)) == EXPECTED_EVENTS[aggregate]


@pytest.mark.parametrize("aggregate", AGGREGATES, ids=lambda a: a.__name__)
def test_each_aggregate_has_a_stable_topic(aggregate):
    assert f"hazard-ledger.{aggregate.__name__}" == aggregate.TOPIC
    assert resolve_topic(aggregate.TOPIC) is aggregate


@pytest.mark.parametrize(("aggregate", "name", "cls"), ALL_EVENTS, ids=[f"{a.__name__}.{n}" for a, n, _ in ALL_EVENTS])
def test_each_event_has_a_stable_topic_independent_of_the_module_path(aggregate, name, cls):
    assert f"hazard-ledger.{aggregate.__name__}.{name}" == cls.TOPIC
    assert cls.TOPIC.startswith("hazard-ledger.")
    assert "domain." not in cls.TOPIC
    assert resolve_topic(cls.TOPIC) is cls


@pytest.mark.parametrize(("aggregate", "name", "cls"), ALL_EVENTS, ids=[f"{a.__name__}.{n}" for a, n, _ in ALL_EVENTS])
def test_each_event_carries_the_actor_and_the_business_time(aggregate, name, cls):
    fields = {f.name: f for f in dataclasses.fields(cls)}
    assert "actor" in fields and "occurred_at" in fields
    assert issubclass(cls, LedgerAggregate.Event)
    assert EVENT_LABELS[name].strip()  # a Chinese label for timelines


def test_stored_events_are_written_under_the_stable_topics(world: World, major: UUID):
    world.file_plan(major)
    topics = [s.topic for s in world.app.recorder.select_events(major)]
    assert topics == ["hazard-ledger.Hazard.HazardReported", "hazard-ledger.Hazard.RectificationPlanFiled"]
    assert [s.topic for s in world.app.recorder.select_events(world.enterprise_id)] == [
        "hazard-ledger.Enterprise.EnterpriseRegistered"
    ]


# ===========================================================================================
# Round trips through the application's mapper
# ===========================================================================================


def _every_event(world: World) -> dict[str, UUID]:
    """Drives records so that every event class of every aggregate is stored at least once."""
    app = world.app
    inspection = app.inspections.conduct_inspection(
        INSPECTOR,
        enterprise_id=world.enterprise_id,
        kind=InspectionKind.DEPARTMENT,
        method=InspectionMethod.OPEN_AND_COVERT,
        inspectors=[Person("yjj-1", "李执法"), Person("yjj-2", "赵执法")],
        scope=["储罐区"],
    ).id
    closed = world.report(
        Grade.MAJOR,
        by=INSPECTOR,
        source=HazardSource.DEPARTMENT_INSPECTION,
        existed_since=date(2023, 3, 1),
        inspection_id=inspection,
    )
    app.inspections.record_finding(INSPECTOR, inspection, item="储罐区", hazard_ids=[closed], note="报警仪失效")
    app.inspections.sign_inspection(INSPECTOR, inspection)
    app.inspections.sign_inspection(INSPECTOR_2, inspection)
    app.hazards.report_to_regulator(world.principal, closed)
    app.hazards.list_for_supervision(
        INSPECTOR,
        closed,
        listing(date(2023, 7, 31), level=SupervisionLevel.PROVINCE, notice_signed_at=START - timedelta(hours=2)),
    )
    app.hazards.file_plan(world.principal, closed, complete_plan(world.days(0), stoppage=Stoppage.FULL, government_coordination=True))
    app.hazards.record_progress(world.staff, closed, note="停产检修", percent=30)
    app.hazards.attach_evidence(
        world.staff,
        closed,
        file_name="照片.jpg",
        media_type="image/jpeg",
        content=b"jpeg",
        taken_at=START - timedelta(hours=1),
        latitude=24.88,
        longitude=102.82,
    )
    world.clock.advance(days=1)
    # what an earlier version's deadline watcher stored, then the 区安委办's statement of today
    legacy = app.repository.get(closed)
    legacy._deadline_missed(actor=SYSTEM, occurred_at=world.clock.now(), deadline=date(2023, 6, 1))
    app.hazards.save(legacy)
    app.hazards.record_deadline_miss(OFFICE, closed, deadline=date(2023, 6, 1), missed=True, reason="纸质台账载明逾期")
    app.hazards.request_extension(world.principal, closed, reason="设备到货延迟", requested_deadline=world.days(20))
    app.hazards.refuse_extension(INSPECTOR, closed, opinion="理由不充分")
    app.hazards.request_extension(world.principal, closed, reason="设备到货延迟", requested_deadline=world.days(20))
    app.hazards.approve_extension(INSPECTOR, closed, opinion="同意延期", new_deadline=world.days(12))
    app.hazards.extend_deadline(
        INSPECTOR, closed, request_date=world.days(-1), reason="设备到货延迟", new_deadline=world.days(14), approver="李局长"
    )
    world.complete(closed)
    world.verify(closed, passed=False)
    world.complete(closed)
    world.verify(closed, passed=True, by=EXPERT)
    world.lift(closed)
    world.close(closed)
    voided = world.report(Grade.GENERAL)
    app.hazards.file_plan(world.principal, voided, RectificationPlan(responsible_person="刘", measures="当场整改", immediate=True))
    world.void(voided)
    app.enterprises.change_principal(OFFICE, world.enterprise_id, "李新总")
    areas = drive_every_area_event(world)  # accidents, risk points, problems, work logs, spot checks
    return {"closed": closed, "voided": voided, "inspection": inspection, "enterprise": world.enterprise_id, **areas}


def test_the_scenario_stores_every_event_class(world: World):
    records = _every_event(world)
    stored = {type(e).__name__ for rid in records.values() for e in world.app.repository.event_store.get(rid)}
    assert stored == set().union(*EXPECTED_EVENTS.values())


def test_every_stored_event_decodes_and_re_encodes_to_the_same_bytes(world: World):
    records = _every_event(world)
    mapper = world.app.mapper
    seen = 0
    for record_id in records.values():
        for stored in world.app.recorder.select_events(record_id):
            event = mapper.to_domain_event(stored)
            again = mapper.to_stored_event(event)
            assert (again.topic, again.originator_version) == (stored.topic, stored.originator_version)
            assert mapper.to_domain_event(again) == event
            assert again.state == stored.state
            seen += 1
    assert seen == world.app.recorder.max_notification_id()  # every stored event was checked


def _decoded(world: World, record_id: UUID) -> dict[str, Any]:
    return {type(e).__name__: e for e in world.app.repository.event_store.get(record_id)}


def test_dates_uuids_value_objects_and_enums_come_back_as_their_types(world: World):
    records = _every_event(world)
    closed = _decoded(world, records["closed"])

    reported = closed["HazardReported"]
    assert reported.existed_since == date(2023, 3, 1) and type(reported.existed_since) is date
    assert reported.inspection_id == records["inspection"] and isinstance(reported.inspection_id, UUID)
    assert reported.enterprise_id == world.enterprise_id and isinstance(reported.enterprise_id, UUID)
    assert reported.occurred_at == START and reported.occurred_at.utcoffset() == timedelta(hours=8)

    actor = reported.actor
    assert isinstance(actor, Actor) and actor == INSPECTOR
    assert actor.role is Role.INSPECTOR and actor.organisation_kind is OrgKind.DEPARTMENT

    plan = closed["RectificationPlanFiled"].plan
    assert isinstance(plan, RectificationPlan)
    assert plan.stoppage is Stoppage.FULL and plan.government_coordination is True
    assert plan.deadline == date(2023, 6, 1) and type(plan.deadline) is date
    assert plan.funds_yuan == 120_000

    listed = closed["ListedForSupervision"].listing
    assert isinstance(listed, SupervisionListing)
    assert listed.level is SupervisionLevel.PROVINCE
    assert type(listed.time_limit) is date and listed.time_limit == date(2023, 7, 31)
    assert listed.notice_signed_at == START - timedelta(hours=2)

    extended = closed["DeadlineExtended"]
    assert (extended.request_date, extended.previous_deadline, extended.new_deadline) == (
        date(2023, 6, 1),
        date(2023, 6, 14),  # the approved request's
        date(2023, 6, 16),
    )
    assert all(type(d) is date for d in (extended.request_date, extended.previous_deadline, extended.new_deadline))
    approved = closed["ExtensionApproved"]
    assert (approved.request_number, approved.request_date, approved.requested_deadline) == (2, date(2023, 6, 2), date(2023, 6, 22))
    assert (approved.previous_deadline, approved.new_deadline, approved.opinion) == (date(2023, 6, 1), date(2023, 6, 14), "同意延期")
    assert all(type(d) is date for d in (approved.request_date, approved.requested_deadline, approved.new_deadline))
    assert closed["ExtensionRefused"].deadline == date(2023, 6, 1) and closed["ExtensionRequested"].request_number == 2
    assert closed["DeadlineMissed"].deadline == date(2023, 6, 1) and type(closed["DeadlineMissed"].deadline) is date
    assert closed["DeadlineMissed"].actor.role is Role.SYSTEM
    stated = closed["DeadlineMissRecorded"]
    assert (stated.deadline, stated.missed, stated.reason) == (date(2023, 6, 1), True, "纸质台账载明逾期")
    assert type(stated.deadline) is date and stated.actor.role is Role.COMMITTEE_OFFICE

    evidence = closed["EvidenceAttached"]
    assert evidence.taken_at == START - timedelta(hours=1) and isinstance(evidence.taken_at, datetime)
    assert (evidence.latitude, evidence.longitude, evidence.size) == (24.88, 102.82, 4)

    assert closed["VerificationPassed"].assessed_by == ["experts", "government"]
    assert closed["VerificationPassed"].actor.role is Role.EXPERT

    inspection = _decoded(world, records["inspection"])
    assert inspection["InspectionConducted"].inspectors == [Person("yjj-1", "李执法"), Person("yjj-2", "赵执法")]
    assert all(isinstance(p, Person) for p in inspection["InspectionConducted"].inspectors)
    assert inspection["FindingRecorded"].hazard_ids == [records["closed"]]
    assert all(isinstance(h, UUID) for h in inspection["FindingRecorded"].hazard_ids)

    voided = _decoded(world, records["voided"])
    assert voided["RectificationPlanFiled"].plan.immediate is True
    assert voided["RectificationPlanFiled"].plan.stoppage is Stoppage.NONE


def _state(aggregate: LedgerAggregate) -> dict[str, Any]:
    return {k: v for k, v in vars(aggregate).items() if k != "_pending_events"}


def _assert_saved_state_reloads_equal(world: World, aggregate: LedgerAggregate) -> None:
    world.app.hazards.save(aggregate)
    reloaded = world.app.repository.get(aggregate.id)
    assert type(reloaded) is type(aggregate)
    assert _state(reloaded) == _state(aggregate)


def test_a_hazard_reloads_to_the_same_state_after_every_event(world: World):
    # The aggregate is driven in memory and saved after each command; each reload must equal it.
    now = START
    p = world.principal
    h = Hazard.report(
        actor=INSPECTOR,
        occurred_at=now,
        enterprise_id=world.enterprise_id,
        sector="hazardous_chemicals",
        jurisdiction="wulong",
        department="yjj",
        grade=Grade.MAJOR,
        source=HazardSource.DEPARTMENT_INSPECTION,
        criterion="第十五条",
        description="报警仪失效",
        location="储罐区",
        existed_since=date(2023, 1, 1),
        inspection_id=None,
    )
    steps = [
        lambda t: h.report_to_regulator(p, t, "yjj"),
        lambda t: h.list_for_supervision(INSPECTOR, t, listing(date(2023, 7, 1), notice_signed_at=t)),
        lambda t: h.file_plan(p, t, complete_plan(date(2023, 6, 4), stoppage=Stoppage.PARTIAL)),
        lambda t: h.record_progress(p, t, "进展", 50),
        lambda t: h.attach_evidence(p, t, "a.jpg", "image/jpeg", "ab" * 32, 3, t, 24.9, 102.8),
        lambda t: h._deadline_missed(actor=SYSTEM, occurred_at=t, deadline=date(2023, 6, 4)),  # legacy, by the watcher
        lambda t: h.record_deadline_miss(OFFICE, t, date(2023, 6, 4), True, "纸质台账载明逾期"),
        lambda t: h.request_extension(p, t, "设备到货延迟", date(2023, 6, 25), LedgerRules()),
        lambda t: h.refuse_extension(INSPECTOR, t, "理由不充分"),
        lambda t: h.request_extension(p, t, "设备到货延迟", date(2023, 6, 25), LedgerRules()),
        lambda t: h.approve_extension(INSPECTOR, t, "同意", date(2023, 6, 20), LedgerRules()),
        lambda t: h.extend_deadline(INSPECTOR, t, date(2023, 6, 3), "延期", date(2023, 6, 30), "李局长"),
        lambda t: h.complete_rectification(world.staff, t, "完成"),
        lambda t: h.verify(INSPECTOR, t, False, "不合格", [Assessor.GOVERNMENT]),
        lambda t: h.complete_rectification(world.staff, t, "再次完成"),
        lambda t: h.verify(EXPERT, t, True, "合格", [Assessor.EXPERTS, Assessor.ENTERPRISE]),
        lambda t: h.lift_supervision(INSPECTOR, t, "验收合格", "王安委"),
        lambda t: h.close(INSPECTOR, t, "销号"),
    ]
    _assert_saved_state_reloads_equal(world, h)
    for step in steps:
        now += timedelta(days=1)
        step(now)
        _assert_saved_state_reloads_equal(world, h)
    assert h.version == len(steps) + 1
    assert world.app.repository.get(h.id).state.value == "closed"


def test_a_voided_hazard_and_an_inspection_and_an_enterprise_reload_to_the_same_state(world: World):
    h = Hazard.report(
        actor=world.principal,
        occurred_at=START,
        enterprise_id=world.enterprise_id,
        sector="hazardous_chemicals",
        jurisdiction="wulong",
        department="yjj",
        grade=Grade.GENERAL,
        source=HazardSource.SELF_INSPECTION,
        criterion="",
        description="d",
    )
    h.file_plan(world.principal, START, RectificationPlan(responsible_person="刘", measures="m", immediate=True))
    h.void(INSPECTOR, START, "误报")
    _assert_saved_state_reloads_equal(world, h)

    i = Inspection.conduct(
        actor=INSPECTOR,
        occurred_at=START,
        enterprise_id=world.enterprise_id,
        organisation_id="yjj",
        kind=InspectionKind.SPOT_CHECK,
        method=InspectionMethod.CROSS_INSPECTION,
        led_by_principal=False,
        inspectors=[Person("yjj-1", "李执法")],
        scope=["a"],
    )
    i.record_finding(INSPECTOR, START, "a", [h.id], False, "")
    i.sign(INSPECTOR, START)
    _assert_saved_state_reloads_equal(world, i)
    assert world.app.repository.get(i.id).kind is InspectionKind.SPOT_CHECK

    e = world.app.repository.get(world.enterprise_id)
    e.change_principal(OFFICE, START, "李新总")
    _assert_saved_state_reloads_equal(world, e)


# ----- properties: any value object survives the transcoder -----------------------------------

texts = st.text(max_size=20)
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
aware = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.sampled_from([CHINA_TZ]))


@given(
    st.builds(
        RectificationPlan,
        responsible_person=texts,
        measures=texts,
        funds_yuan=st.none() | st.integers(min_value=0, max_value=10**12),
        deadline=st.none() | dates,
        contingency_plan=texts,
        immediate=st.booleans(),
        stoppage=st.sampled_from(Stoppage),
        government_coordination=st.booleans(),
    )
)
def test_any_rectification_plan_round_trips(plan: RectificationPlan):
    transcoder = _transcoder()
    back = transcoder.decode(transcoder.encode({"plan": plan}))["plan"]
    assert back == plan and type(back) is RectificationPlan and type(back.stoppage) is Stoppage


@given(
    st.builds(
        SupervisionListing,
        level=st.sampled_from(SupervisionLevel),
        supervising_body=texts,
        document_number=texts,
        issuer=texts,
        time_limit=dates,
        notice_delivered_by=texts,
        notice_signed_by=texts,
        notice_signed_at=st.none() | aware,
    )
)
def test_any_supervision_listing_round_trips(value: SupervisionListing):
    transcoder = _transcoder()
    back = transcoder.decode(transcoder.encode({"listing": value}))["listing"]
    assert back == value and type(back.level) is SupervisionLevel and type(back.time_limit) is date


@given(
    st.builds(
        Actor,
        user_id=texts,
        name=texts,
        role=st.sampled_from(Role),
        organisation_id=texts,
        organisation_kind=st.sampled_from(OrgKind),
        organisation_name=texts,
    )
)
def test_any_actor_round_trips(actor: Actor):
    transcoder = _transcoder()
    back = transcoder.decode(transcoder.encode({"actor": actor}))["actor"]
    assert back == actor and type(back.role) is Role and type(back.organisation_kind) is OrgKind


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**53), max_value=2**53) | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=20,
)


@given(json_values, st.lists(dates, max_size=3))
def test_any_nesting_of_plain_values_and_marked_values_round_trips(value: Any, days: list[date]):
    """The decoder revives marked values at any depth (in lists, in dicts) and leaves the rest alone."""
    transcoder = _transcoder()
    document = {"plain": value, "nested": [{"days": days, "plain": value}], "days": days}
    assert transcoder.decode(transcoder.encode(document)) == document
    assert transcoder.decode(transcoder.encode(value)) == value


_TRANSCODER: list[Any] = []


def _transcoder():
    """The transcoder the application builds (with the ledger's transcodings registered)."""
    if not _TRANSCODER:
        from domain.ledger import Ledger

        _TRANSCODER.append(Ledger({"PERSISTENCE_MODULE": "eventsourcing.popo"}).mapper.transcoder)
    return _TRANSCODER[0]


# ===========================================================================================
# Error codes: catalogued, bilingual, with the details their messages need
# ===========================================================================================


def _raise_sites() -> list[tuple[str, int, str, set[str] | None]]:
    """Every ``DomainError("code", ...)`` in domain/: (file, line, code, keyword names or None if dynamic)."""
    sites = []
    for path in sorted(DOMAIN_DIR.glob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "DomainError"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                names = {k.arg for k in node.keywords}
                sites.append((path.name, node.lineno, node.args[0].value, None if None in names else names))
    return sites


RAISE_SITES = _raise_sites()


def test_the_scan_finds_the_raise_sites():
    codes = {code for _, _, code, _ in RAISE_SITES}
    assert {"invalid_transition", "plan_incomplete", "outside_scope", "invalid_credit_code", "finding_empty"} <= codes
    assert len(RAISE_SITES) > 40


@pytest.mark.parametrize(("file", "line", "code", "names"), RAISE_SITES, ids=[f"{f}:{ln}:{c}" for f, ln, c, _ in RAISE_SITES])
def test_every_raised_code_is_catalogued_with_the_details_its_messages_need(file, line, code, names):
    assert code in CATALOGUE, f"{file}:{line} raises an uncatalogued code {code!r}"
    spec = CATALOGUE[code]
    if names is not None:
        needed = {f for text in (spec.zh, spec.en) for _, f, _, _ in string.Formatter().parse(text) if f}
        assert needed <= names, f"{file}:{line} {code} lacks {needed - names}"


def test_every_aggregate_names_a_catalogued_not_found_code():
    from domain.enterprise import Enterprise
    from domain.hazard import Hazard
    from domain.inspection import Inspection

    codes = {cls.not_found_code for cls in (Hazard, Inspection, Enterprise)}
    assert codes == {"hazard_not_found", "inspection_not_found", "enterprise_not_found"}
    assert codes | {LedgerAggregate.not_found_code} <= set(CATALOGUE)


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_catalogued_code_has_a_kind_and_non_empty_messages_in_both_languages(code: str):
    spec = CATALOGUE[code]
    assert isinstance(spec.kind, ErrorKind)
    assert spec.zh.strip() and spec.en.strip()
    assert code == code.lower() and " " not in code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in spec.zh), "the Chinese message has Chinese in it"


def test_a_missing_detail_shows_its_placeholder_instead_of_failing():
    from domain.errors import DomainError

    error = DomainError("hazard_not_found")
    assert error.message_en == "Hazard not found: {id}"
    assert error.kind is ErrorKind.NOT_FOUND


# ===========================================================================================
# Vocabulary labels
# ===========================================================================================


def _labels_as_written() -> list[tuple[str, str, str]]:
    """The (enum class, member, label) triples as written in glossary.py's label table (a list of
    ``(Class.MEMBER, "label")`` pairs, or a ``{Class.MEMBER: "label"}`` dict)."""
    tree = ast.parse(Path(glossary.__file__).read_text("utf-8"))
    for node in ast.walk(tree):
        if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)):
            continue
        if node.target.id == "_ZH_PAIRS" and isinstance(node.value, ast.List):
            pairs = [(e.elts[0], e.elts[1]) for e in node.value.elts if isinstance(e, ast.Tuple)]
        elif node.target.id == "_ZH" and isinstance(node.value, ast.Dict):
            pairs = list(zip(node.value.keys, node.value.values, strict=True))
        else:
            continue
        return [(k.value.id, k.attr, v.value) for k, v in pairs]  # type: ignore[union-attr]
    raise AssertionError("no label table in glossary.py")


def test_every_vocabulary_member_has_a_chinese_label():
    for cls in (Grade, HazardSource, Stoppage, SupervisionLevel, Assessor, InspectionKind, InspectionMethod, Role, OrgKind):
        for member in cls:
            assert member.zh.strip()


def test_every_vocabulary_member_shows_the_label_written_for_it():
    # StrEnum members of different vocabularies with the same value (Role.INSPECTOR and
    # SignatureMeaning.INSPECTOR, HazardSource.SELF_INSPECTION and InspectionKind.SELF_INSPECTION, …)
    # compare and hash equal; each must still show its own label.
    written = _labels_as_written()
    assert len(written) > 40
    wrong = [
        f"{cls}.{member}: {getattr(getattr(glossary, cls), member).zh!r} != {label!r}"
        for cls, member, label in written
        if getattr(getattr(glossary, cls), member).zh != label
    ]
    assert wrong == []


def test_labels_shown_in_views_and_messages_are_the_roles_own(world, major):
    assert world.app.hazards.hazard(major)["source_zh"] == "企业自查"
    assert INSPECTOR.describe() == "李执法（执法人员，区应急管理局）"
    from domain.errors import DomainError

    with pytest.raises(DomainError) as info:
        world.app.hazards.report_to_regulator(INSPECTOR, major)
    assert "角色「执法人员」" in info.value.message_zh
