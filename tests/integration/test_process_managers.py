"""The process managers on a real store (SQLite and PostgreSQL), with a clock the tests move: the
deadline watcher, the warning ladder and the repeat-offender detector — restart-safe and exactly-once.

Each test builds the services with ``app.wiring.build(Settings(db_url=...), clock=FixedClock(...))``
(this module's ``services`` fixture, which the shared ``client`` and ``api`` fixtures then use).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any
from uuid import UUID

import pytest
from typer.testing import CliRunner

from app.process_managers import (
    LOCK_KEY,
    ProcessSummary,
    climb_warning_ladder,
    run_process_managers,
    watch_deadlines,
)
from app.settings import Settings
from app.wiring import Services, build
from cli.main import app as cli
from domain.actor import Actor
from domain.business_time import CHINA_TZ, FixedClock, business_date
from domain.credit_code import check_character
from domain.glossary import Grade, HazardSource, OrgKind, Role
from domain.values import RectificationPlan
from projections.process_queries import WarningFilter

from .conftest import OFFICE as OFFICE_HEADERS
from .conftest import Api
from .conftest import headers as make_headers

START = datetime(2023, 6, 1, 10, 0, tzinfo=CHINA_TZ)  # inside the 2023 campaign
OFFICE = Actor("ajb-wang", "王主任", Role.COMMITTEE_OFFICE, "ajb", OrgKind.COMMITTEE_OFFICE, "区安委办")
INSPECTOR = Actor("yjj-zhang", "张伟", Role.INSPECTOR, "yjj", OrgKind.DEPARTMENT, "区应急管理局")
INSPECTOR_HEADERS = make_headers("yjj-zhang", "张伟", "inspector", "yjj", "department", "区应急管理局")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def services(db_url: str, clock: FixedClock) -> Iterator[Services]:
    built = build(Settings(db_url=db_url, process_every_seconds=0), clock=clock)  # the tests run the managers
    yield built
    built.close()


# ----- building the world ----------------------------------------------------------------------


def register(services: Services, serial: int, sector: str = "hazardous_chemicals", jurisdiction: str = "wulong") -> UUID:
    code = f"91530114MA6K{serial:05d}"
    return services.ledger.enterprises.register_enterprise(
        OFFICE, credit_code=code + check_character(code), name=f"示例企业{serial}", sector=sector,
        jurisdiction=jurisdiction, principal_name="李建国", occurred_at=START - timedelta(days=60),
    ).id  # fmt: skip


def report_major(services: Services, enterprise_id: UUID, **kw: Any) -> UUID:
    return services.ledger.hazards.report_hazard(
        INSPECTOR, enterprise_id=enterprise_id, grade=Grade.MAJOR, source=HazardSource.DEPARTMENT_INSPECTION,
        criterion="《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）》第十二条",
        description="液化烃储罐区可燃气体检测报警装置失效", **kw,
    ).id  # fmt: skip


def file_plan(services: Services, hazard_id: UUID, deadline: date) -> None:
    plan = RectificationPlan("李建国", "更换失效探头", 86_000, deadline, "储罐区泄漏专项应急预案")
    services.ledger.hazards.file_plan(INSPECTOR, hazard_id, plan)


def report_accident(services: Services, enterprise_id: UUID, when: datetime, grade: str = "general", deaths: int = 0,
                    liability: bool = False) -> UUID:  # fmt: skip
    return services.ledger.accidents.report_accident(
        OFFICE, enterprise_id=enterprise_id, grade=grade, deaths=deaths, injuries=1, direct_loss_yuan=50_000,
        liability=liability, description="装卸作业物体打击", occurred_at=when,
    ).id  # fmt: skip


def run(services: Services, clock: FixedClock) -> ProcessSummary:
    summary = run_process_managers(services, clock)
    assert summary.errors == [] and not summary.skipped, summary
    return summary


def head(services: Services) -> int:
    return services.ledger.recorder.max_notification_id() or 0


def warnings(services: Services, **filters: Any) -> list[dict[str, Any]]:
    services.catch_up()
    return services.process_queries.warnings(WarningFilter(**filters))["items"]  # type: ignore[no-any-return]


def units_warned(services: Services, trigger: str) -> dict[str, str]:
    return {w["unit_id"]: w["level"] for w in warnings(services) if w["trigger"] == trigger}


# ----- deadline watcher -------------------------------------------------------------------------


def test_the_deadline_watcher_marks_a_missed_deadline_on_the_day_after_it_once(services: Services, clock: FixedClock):
    hazard = report_major(services, register(services, 1))
    file_plan(services, hazard, date(2023, 6, 10))
    assert run(services, clock).appended == 0

    clock.at = datetime(2023, 6, 10, 15, 59, tzinfo=UTC)  # 23:59 on the 10th in Beijing: not passed yet
    assert run(services, clock).deadlines_missed == []
    clock.at = datetime(2023, 6, 10, 16, 30, tzinfo=UTC)  # 00:30 on the 11th in Beijing
    summary = run(services, clock)
    assert summary.deadlines_missed == [str(hazard)]

    last = services.ledger.history(hazard)[-1]
    assert last["type"] == "DeadlineMissed" and last["data"]["deadline"] == "2023-06-10"
    assert datetime.fromisoformat(last["occurred_at"]) == datetime(2023, 6, 11, 0, 0, tzinfo=CHINA_TZ)
    assert last["actor"]["role"] == "system" and last["actor"]["user_id"] == "system"
    assert services.ledger.hazards.hazard(hazard)["overdue"] is True
    # The same run saw the miss and proposed a notice to the units the hazard counts for.
    assert units_warned(services, "deadline_missed") == {"yjj": "notice", "wulong": "notice"}

    before = head(services)
    clock.advance(days=3)
    again = run(services, clock)
    assert (again.appended, head(services)) == (0, before)


def test_a_missed_deadline_is_never_stamped_before_the_hazards_last_event(services: Services, clock: FixedClock):
    hazard = report_major(services, register(services, 1))
    file_plan(services, hazard, date(2023, 6, 10))
    clock.at = datetime(2023, 6, 11, 9, 0, tzinfo=CHINA_TZ)
    progress_at = datetime(2023, 6, 11, 8, 0, tzinfo=CHINA_TZ)
    services.ledger.hazards.record_progress(INSPECTOR, hazard, note="探头已到货", occurred_at=progress_at)
    run(services, clock)
    assert datetime.fromisoformat(services.ledger.history(hazard)[-1]["occurred_at"]) == progress_at


def test_an_extended_or_completed_hazard_is_left_alone(services: Services, clock: FixedClock):
    enterprise = register(services, 1)
    extended, completed = report_major(services, enterprise), report_major(services, enterprise)
    for h in (extended, completed):
        file_plan(services, h, date(2023, 6, 10))
    clock.at = datetime(2023, 6, 9, 10, 0, tzinfo=CHINA_TZ)
    services.ledger.hazards.extend_deadline(
        INSPECTOR,
        extended,
        request_date=date(2023, 6, 8),
        reason="设备供货延迟",
        new_deadline=date(2023, 6, 30),
        approver="王主任",
    )
    principal = Actor("ent-li", "李建国", Role.PRINCIPAL, str(enterprise), OrgKind.ENTERPRISE)
    services.ledger.hazards.complete_rectification(principal, completed, note="已更换")
    clock.at = datetime(2023, 6, 20, 10, 0, tzinfo=CHINA_TZ)
    assert run(services, clock).deadlines_missed == []
    clock.at = datetime(2023, 7, 1, 10, 0, tzinfo=CHINA_TZ)
    assert run(services, clock).deadlines_missed == [str(extended)]
    assert datetime.fromisoformat(services.ledger.history(extended)[-1]["occurred_at"]) == datetime(2023, 7, 1, tzinfo=CHINA_TZ)


# ----- restart-safety and exactly-once ----------------------------------------------------------


def _busy_world(services: Services, clock: FixedClock) -> None:
    enterprise = register(services, 1)
    overdue = report_major(services, enterprise)
    file_plan(services, overdue, date(2023, 6, 5))
    report_major(services, enterprise)  # no plan: a prompt after 7 days
    report_accident(services, enterprise, START - timedelta(days=3))  # two general accidents within a month
    report_accident(services, enterprise, START - timedelta(days=2))
    report_accident(services, enterprise, START - timedelta(hours=1), grade="larger", deaths=3, liability=True)
    clock.at = datetime(2023, 6, 12, 10, 0, tzinfo=CHINA_TZ)


def test_a_restart_and_a_rebuild_duplicate_nothing(db_url: str, services: Services, clock: FixedClock):
    _busy_world(services, clock)
    first = run(services, clock)
    assert len(first.deadlines_missed) == 1
    triggers = {(w["unit_id"], w["level"], w["trigger"]) for w in warnings(services)}
    assert triggers == {
        (unit, level, trigger)
        for unit in ("yjj", "wulong")
        for level, trigger in (
            ("prompt", "plan_overdue"), ("notice", "deadline_missed"),
            ("notice", "general_accidents_in_month"), ("admonition", "larger_accident"),
        )
    }  # fmt: skip
    assert len(first.warnings_proposed) == 8
    before = head(services)

    restarted = build(Settings(db_url=db_url), clock=clock)  # another process on the same database
    try:
        assert run(restarted, clock).appended == 0
        restarted.read_models.process_facts.rebuild()  # blue/green: a fresh version of the read model
        assert run(restarted, clock).appended == 0
        clock.advance(days=2)
        assert run(restarted, clock).appended == 0
        assert head(restarted) == before
        assert len(warnings(restarted)) == 8
    finally:
        restarted.close()


def test_two_workers_racing_append_each_thing_once(db_url: str, services: Services, clock: FixedClock):
    _busy_world(services, clock)
    other = build(Settings(db_url=db_url), clock=clock)
    results: list[ProcessSummary] = []
    try:
        threads = [threading.Thread(target=lambda s=s: results.append(run_process_managers(s, clock))) for s in (services, other)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        other.close()
    # Whatever the interleaving, each miss and each warning is on record once; a worker that lost a
    # race was refused by the store (already done, or a version conflict retried on the next run).
    assert all(e["code"] == "version_conflict" for r in results for e in r.errors)
    assert sum(len(r.deadlines_missed) for r in results) == 1
    assert sum(len(r.warnings_proposed) for r in results) == 8 == len(warnings(services))
    assert run(services, clock).appended == 0


def test_a_worker_acting_on_stale_facts_is_refused_as_already_done(services: Services, clock: FixedClock):
    """What a losing racer meets, made deterministic: facts read before another run did the work."""
    _busy_world(services, clock)
    services.catch_up()
    fresh = services.process_queries
    today = business_date(clock.now())
    deadlines, units = fresh.deadline_facts(today), fresh.unit_facts(today)
    stale = SimpleNamespace(
        deadline_facts=lambda _: deadlines, unit_facts=lambda _: units, warning_ids=set,
        ladder_settings=fresh.ladder_settings, cited_hazards=fresh.cited_hazards,
    )  # fmt: skip
    assert run(services, clock).appended == 9
    before = head(services)
    summary = ProcessSummary(at=clock.now().isoformat())
    watch_deadlines(services, stale, clock.now(), summary)  # type: ignore[arg-type]
    climb_warning_ladder(services, stale, clock.now(), summary)  # type: ignore[arg-type]
    # The miss, and the 6 warnings the stale facts call for (they predate the miss and its 2 notices).
    assert (summary.appended, summary.already_done, summary.errors) == (0, 7, [])
    assert head(services) == before


def test_a_run_holding_the_lock_makes_another_stand_aside(services: Services, clock: FixedClock):
    """PostgreSQL: one run at a time (advisory lock, not waited for). SQLite has no such lock: every run
    proceeds and the domain's refusals alone keep it exactly-once (the racing test above)."""
    _busy_world(services, clock)
    if services.settings.is_postgres:
        import psycopg

        with psycopg.connect(services.settings.psycopg_conninfo(), autocommit=True) as holder:
            holder.execute("SELECT pg_advisory_lock(hashtext(%s))", (LOCK_KEY,))
            skipped = run_process_managers(services, clock)
            # Release before closing: the server frees a closed session's locks asynchronously.
            holder.execute("SELECT pg_advisory_unlock(hashtext(%s))", (LOCK_KEY,))
        assert skipped.skipped and skipped.appended == 0
    assert run(services, clock).appended == 9
    assert run(services, clock).appended == 0


# ----- the warning ladder -----------------------------------------------------------------------


def test_two_general_accidents_in_a_month_propose_a_notice_to_the_units_they_count_for(services: Services, clock: FixedClock):
    chemicals = register(services, 1)  # 化工和危化品 → 区应急管理局 (yjj); 乌龙街道
    housing = register(services, 2, sector="construction_housing", jurisdiction="longcheng")  # 区住建局; 龙城街道
    first = report_accident(services, chemicals, datetime(2023, 5, 20, 9, 0, tzinfo=CHINA_TZ))
    report_accident(services, housing, datetime(2023, 5, 25, 9, 0, tzinfo=CHINA_TZ))
    assert run(services, clock).warnings_proposed == []  # one accident per unit so far
    second = report_accident(services, chemicals, datetime(2023, 6, 1, 8, 0, tzinfo=CHINA_TZ))
    summary = run(services, clock)
    assert len(summary.warnings_proposed) == 2
    notices = [w for w in warnings(services) if w["trigger"] == "general_accidents_in_month"]
    assert {w["unit_id"] for w in notices} == {"yjj", "wulong"}
    for w in notices:
        assert (w["level"], w["level_zh"], w["state"]) == ("notice", "告知", "proposed")
        assert w["trigger_key"] == f"general_accidents_in_month:{second}"
        assert w["trigger_refs"] == [str(first), str(second)]
        assert "1个月内发生 2 起一般生产安全事故" in w["reason_zh"]
    assert warnings(services, unit="zjj") == [] and warnings(services, unit="longcheng") == []


def test_a_larger_accident_proposes_an_admonition_and_sets_the_veto_flags(services: Services, clock: FixedClock, api: Api):
    enterprise = register(services, 1)
    accident = report_accident(services, enterprise, START - timedelta(hours=2), grade="larger", deaths=3, liability=True)
    run(services, clock)
    assert units_warned(services, "larger_accident") == {"yjj": "admonition", "wulong": "admonition"}

    flags = api.get("/units/yjj/flags")
    assert flags["assessment_veto"] is True and flags["excellence_veto"] is False
    assert flags["assessment_veto_grounds"] == [
        {"ground": "larger_or_worse_accident", "ground_zh": "发生较大及以上生产安全事故", "accident_ids": [str(accident)]}
    ]
    assert flags["accident_ids"] == [str(accident)] and flags["unit_name"] == "区应急管理局"
    (behind,) = flags["accidents"]
    assert (behind["grade_zh"], behind["deaths"], behind["liability"], behind["listing_levels"]) == ("较大事故", 3, True, [])
    assert api.get("/units/wulong/flags")["assessment_veto"] is True
    quiet = api.get("/units/longcheng/flags")
    assert (quiet["assessment_veto"], quiet["excellence_veto"], quiet["accident_ids"]) == (False, False, [])

    services.ledger.accidents.list_accident(
        OFFICE, accident, level="city", supervising_body="昆明市安委会", document_number="昆安委〔2023〕9号"
    )
    grounds = {g["ground"] for g in api.get("/units/yjj/flags")["assessment_veto_grounds"]}
    assert grounds == {"larger_or_worse_accident", "city_or_higher_listed_accident"}
    general = report_accident(services, enterprise, START - timedelta(hours=1), liability=True)
    excellence = api.get("/units/yjj/flags")
    assert excellence["excellence_veto"] is True
    assert excellence["excellence_veto_grounds"][0]["accident_ids"] == [str(general)]
    problem = api.get("/units/nowhere/flags", status=404)
    assert problem["code"] == "unit_not_found"


def test_the_office_confirms_and_dismisses_through_http(services: Services, clock: FixedClock, api: Api):
    enterprise = register(services, 1)
    report_accident(services, enterprise, START - timedelta(hours=2), grade="larger", deaths=3, liability=True)
    run(services, clock)
    (yjj,) = api.get("/warnings", unit="yjj", level="admonition")["items"]
    (wulong,) = api.get("/warnings", unit="wulong", state="proposed")["items"]
    assert (yjj["state"], yjj["version"], yjj["level_zh"]) == ("proposed", 1, "告诫")
    path = f"/warnings/{yjj['id']}"

    refused = api.post(f"{path}/confirmation", {"note": "予以告诫"}, INSPECTOR_HEADERS, status=403)
    assert refused["code"] == "role_not_allowed"
    stale = api.post(f"{path}/confirmation", {"note": "予以告诫"}, OFFICE_HEADERS, status=409, **{"If-Match": '"7"'})
    assert stale["code"] == "version_conflict"
    body = {"note": "经区安委办研究，予以安全生产告诫", "published": True}
    receipt = api.post(f"{path}/confirmation", body, OFFICE_HEADERS, **{"If-Match": '"1"', "Idempotency-Key": "c-1"})
    assert (receipt["id"], receipt["version"]) == (yjj["id"], 2) and receipt["position"] > 0
    replay = api.client.post(f"/api/v1{path}/confirmation", json=body, headers={**OFFICE_HEADERS, "Idempotency-Key": "c-1"})
    assert replay.status_code == 200 and replay.headers["Idempotent-Replayed"] == "true"
    assert api.post(f"{path}/confirmation", body, OFFICE_HEADERS, status=409)["code"] == "warning_decided"

    shown = api.get(path)
    assert (shown["state"], shown["state_zh"], shown["published"], shown["note"]) == ("confirmed", "已确认", True, body["note"])
    assert [e["type"] for e in api.get(f"{path}/events")] == ["WarningProposed", "WarningConfirmed"]
    assert [w["id"] for w in api.get("/warnings", state="confirmed")["items"]] == [yjj["id"]]

    api.post(f"/warnings/{wulong['id']}/dismissal", {}, OFFICE_HEADERS, status=422)
    api.post(f"/warnings/{wulong['id']}/dismissal", {"reason": "属地已按要求处置"}, OFFICE_HEADERS)
    assert api.get(f"/warnings/{wulong['id']}")["state"] == "dismissed"
    assert api.get(f"/warnings/{UUID(int=5)}", status=404)["code"] == "warning_not_found"
    # A dismissed or confirmed trigger is never proposed again.
    assert run(services, clock).appended == 0


def test_a_new_notice_after_two_confirmed_ones_also_proposes_an_interview(services: Services, clock: FixedClock):
    enterprise = register(services, 1)

    def accident_and_run(day: int) -> list[dict[str, Any]]:
        clock.at = datetime(2023, 6, day, 10, 0, tzinfo=CHINA_TZ)
        report_accident(services, enterprise, clock.at - timedelta(hours=1))
        run(services, clock)
        return [w for w in warnings(services, unit="yjj") if w["state"] == "proposed"]

    accident_and_run(1)
    for day in (10, 20):
        (notice,) = accident_and_run(day)
        assert notice["level"] == "notice"
        services.ledger.warnings.confirm_warning(OFFICE, UUID(notice["id"]), note="予以告知")
    proposed = accident_and_run(30)
    assert sorted(w["level"] for w in proposed) == ["interview", "notice"]
    interview = next(w for w in proposed if w["level"] == "interview")
    assert interview["trigger"] == "repeated_warnings" and interview["reason_zh"].startswith("3个月内已2次受到告知及以上警示")


# ----- repeat-offender detector -----------------------------------------------------------------


def test_a_repeat_offender_is_recommended_for_closure_once(db_url: str, services: Services, clock: FixedClock):
    enterprise = register(services, 1)
    hazard = report_major(services, enterprise)
    ledger = services.ledger

    def case_with_penalty(number: str) -> UUID:
        case = ledger.enforcement.open_case(INSPECTOR, enterprise_id=enterprise, legal_basis="《安全生产法》第一百零二条",
                                case_number=number, cited_hazard_ids=[hazard]).id  # fmt: skip
        ledger.enforcement.decide_penalty(INSPECTOR, case, target="enterprise", fine_yuan=50_000, decision_number=f"{number}-决",
                              legal_basis="《安全生产法》第一百零二条")  # fmt: skip
        return case

    first = case_with_penalty("呈应急罚〔2023〕15号")
    clock.advance(days=10)
    second = case_with_penalty("呈应急罚〔2023〕21号")
    clock.at = START + timedelta(days=89)
    assert run(services, clock).closures_recommended == []  # 89 days open
    clock.at = START + timedelta(days=90)
    summary = run(services, clock)
    assert summary.closures_recommended == [str(second)]  # the latest open case citing it
    recommendation = ledger.enforcement.case(second)["closure_recommendation"]
    assert recommendation["hazard_id"] == str(hazard)
    assert (recommendation["open_days"], recommendation["prior_penalties"]) == (90, 2)
    assert sorted(recommendation["counted_case_ids"]) == sorted([str(second), str(first)])
    assert ledger.history(second)[-1]["actor"]["role"] == "system"
    assert ledger.enforcement.case(first)["closure_recommended"] is False

    before = head(services)
    clock.advance(days=30)
    assert run(services, clock).closures_recommended == []
    restarted = build(Settings(db_url=db_url), clock=clock)
    try:
        assert run(restarted, clock).appended == 0
    finally:
        restarted.close()
    assert head(services) == before


# ----- the command --------------------------------------------------------------------------------


def test_hazard_ledger_process_once_runs_on_the_real_clock(db_url: str, services: Services, clock: FixedClock):
    hazard = report_major(services, register(services, 1))
    file_plan(services, hazard, date(2023, 6, 10))  # long past on the real clock
    runner = CliRunner(env={"COLUMNS": "240"})
    first = runner.invoke(cli, ["process", "--once", "--db", db_url])
    assert first.exit_code == 0, first.output
    assert "逾期 overdue marked: 1" in first.output and "错误 errors: 0" in first.output
    second = runner.invoke(cli, ["process", "--once", "--db", db_url])
    assert second.exit_code == 0 and "逾期 overdue marked: 0" in second.output and "warnings proposed: 0" in second.output
    missed = services.ledger.history(hazard)[-1]
    assert missed["type"] == "DeadlineMissed"
    assert datetime.fromisoformat(missed["occurred_at"]) == datetime(2023, 6, 11, tzinfo=CHINA_TZ)
