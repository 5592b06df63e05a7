"""The demo district (api/demo.py): size, variety, every state, and the same story for the same seed."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from uuid import UUID

import pytest

from api.demo import DemoSummary, load_demo
from domain.business_time import FixedClock, business_date
from domain.credit_code import validate_credit_code
from domain.glossary import HazardState, InspectionKind, OrgKind
from domain.ledger import HazardLedger

IN_MEMORY = {"PERSISTENCE_MODULE": "eventsourcing.popo"}


@pytest.fixture(scope="module")
def loaded() -> tuple[HazardLedger, DemoSummary, list[tuple[int, int]]]:
    ledger = HazardLedger(env=IN_MEMORY)
    calls: list[tuple[int, int]] = []
    summary = load_demo(ledger, seed=2023, progress=lambda done, total: calls.append((done, total)))
    return ledger, summary, calls


@pytest.fixture(scope="module")
def ledger(loaded) -> HazardLedger:  # type: ignore[no-untyped-def]
    return loaded[0]


@pytest.fixture(scope="module")
def summary(loaded) -> DemoSummary:  # type: ignore[no-untyped-def]
    return loaded[1]


@pytest.fixture(scope="module")
def hazards(ledger: HazardLedger, summary: DemoSummary) -> list[dict]:
    return [ledger.hazard(hid) for hid in summary.hazard_ids]


def _day(iso: str) -> date:
    return business_date(datetime.fromisoformat(iso))


def test_enterprises_cover_many_sectors_with_valid_codes(ledger: HazardLedger, summary: DemoSummary) -> None:
    enterprises = [ledger.enterprise(eid) for eid in summary.enterprise_ids]
    assert summary.enterprises == len(enterprises) >= 30
    assert summary.sectors == len({e["sector"] for e in enterprises}) >= 10
    assert len({e["credit_code"] for e in enterprises}) == len(enterprises)
    for e in enterprises:
        assert validate_credit_code(e["credit_code"]) == e["credit_code"]
        assert e["credit_code"].startswith("91530114")
        assert ledger.reference.jurisdiction(e["jurisdiction"]).kind in (OrgKind.STREET, OrgKind.ZONE)
        assert e["address"].startswith("昆明市呈贡区") and e["principal_name"]
    assert any(e["high_risk"] for e in enterprises) and not all(e["high_risk"] for e in enterprises)


def test_at_least_a_hundred_hazards_about_a_third_major(summary: DemoSummary, hazards: list[dict]) -> None:
    assert summary.hazards == len(hazards) >= 100
    majors = [h for h in hazards if h["grade"] == "major"]
    assert summary.majors == len(majors)
    assert 0.2 <= len(majors) / len(hazards) <= 0.5
    assert all(h["criterion"] for h in majors)
    assert {h["source"] for h in hazards} >= {"self_inspection", "department_inspection", "supervision", "tip_off"}


def test_every_state_is_present_and_counted(summary: DemoSummary, hazards: list[dict]) -> None:
    counted = Counter(h["state"] for h in hazards)
    assert summary.hazards_by_state == {s.value: counted.get(s.value, 0) for s in HazardState}
    for state in HazardState:
        assert summary.hazards_by_state[state.value] >= 1, state


def test_hazards_reported_in_every_campaign_month(ledger: HazardLedger, summary: DemoSummary, hazards: list[dict]) -> None:
    campaign = ledger.reference.campaign
    months = {_day(h["reported_at"]).strftime("%Y-%m") for h in hazards}
    expected = {f"{y}-{m:02d}" for y in (campaign.start.year,) for m in range(campaign.start.month, campaign.end.month + 1)}
    assert months == expected
    assert all(summary.hazards_by_month[m] >= 1 for m in expected)


def test_overdue_listed_voided_and_extended_hazards(ledger: HazardLedger, summary: DemoSummary, hazards: list[dict]) -> None:
    overdue = [h for h in hazards if h["overdue"]]
    listed = [h for h in hazards if h["listed"]]
    assert summary.overdue == len(overdue) >= 1
    assert summary.listed == len(listed) >= 1
    assert all(h["state"] == "rectifying" for h in overdue)
    assert all(h["grade"] == "major" for h in listed)
    assert any(h["state"] == "voided" for h in hazards)
    histories = {h["id"]: [e["type"] for e in ledger.history(UUID(h["id"]))] for h in hazards}
    assert any("DeadlineExtended" in histories[h["id"]] for h in hazards if h["state"] == "rectifying")
    lifted_closed = [h for h in hazards if h["state"] == "closed" and "SupervisionLifted" in histories[h["id"]]]
    assert lifted_closed
    assert any("VerificationFailed" in types for types in histories.values())
    assert any("HazardReportedToRegulator" in types for types in histories.values())
    assert any("EvidenceAttached" in types for types in histories.values())
    for h in listed:
        assert h["listing"]["document_number"].endswith("号")


def test_inspections_are_signed_by_all_their_inspectors(ledger: HazardLedger, summary: DemoSummary) -> None:
    inspections = [ledger.inspection(iid) for iid in summary.inspection_ids]
    assert summary.inspections == len(inspections)
    assert all(i["fully_signed"] for i in inspections)
    assert all(set(i["signed_by"]) == {p["user_id"] for p in i["inspectors"]} for i in inspections)
    kinds = {i["kind"] for i in inspections}
    assert {InspectionKind.DEPARTMENT.value, InspectionKind.SELF_INSPECTION.value} <= kinds
    assert all(i["led_by_principal"] for i in inspections if i["kind"] == InspectionKind.SELF_INSPECTION.value)
    assert any(f["no_major_hazard"] for i in inspections for f in i["findings"])
    assert len({i["method"] for i in inspections}) >= 3


def test_inspected_but_missed_has_material(ledger: HazardLedger, summary: DemoSummary, hazards: list[dict]) -> None:
    """A hazard that existed before a clean, signed inspection of the same enterprise and item."""
    inspections = [ledger.inspection(iid) for iid in summary.inspection_ids]
    held = {i["id"]: _day(ledger.history(UUID(i["id"]))[0]["occurred_at"]) for i in inspections}
    by_id = {i["id"]: i for i in inspections}
    missed = 0
    for h in hazards:
        if not h["existed_since"] or not h["inspection_id"]:
            continue
        item = next(f["item"] for f in by_id[h["inspection_id"]]["findings"] if h["id"] in f["hazard_ids"])
        since, found = date.fromisoformat(h["existed_since"]), _day(h["reported_at"])
        for i in inspections:
            if (
                i["enterprise_id"] == h["enterprise_id"]
                and i["fully_signed"]
                and since < held[i["id"]] < found
                and any(f["item"] == item and f["no_major_hazard"] for f in i["findings"])
            ):
                missed += 1
                break
    assert missed >= 1


def test_business_time_runs_forward_inside_the_campaign(ledger: HazardLedger, summary: DemoSummary) -> None:
    campaign = ledger.reference.campaign
    now = datetime.now(UTC)
    events = 0
    for record in (*summary.enterprise_ids, *summary.inspection_ids, *summary.hazard_ids):
        history = ledger.history(record)
        events += len(history)
        times = [datetime.fromisoformat(e["occurred_at"]) for e in history]
        assert times == sorted(times)
        assert campaign.start <= business_date(times[0]) and business_date(times[-1]) <= campaign.end
        assert times[-1] <= now
    assert summary.events == events


def test_lifecycle_rules_hold_in_the_story(ledger: HazardLedger, hazards: list[dict]) -> None:
    for h in hazards:
        claimer = None
        for e in ledger.history(UUID(h["id"])):
            if e["type"] == "RectificationPlanFiled":
                assert date.fromisoformat(e["data"]["plan"]["deadline"]) >= _day(e["occurred_at"])
            if e["type"] == "RectificationCompleted":
                claimer = e["actor"]["user_id"]
            if e["type"] in ("VerificationPassed", "VerificationFailed"):
                assert e["actor"]["user_id"] != claimer
                if h["grade"] == "major":
                    assert e["actor"]["role"] in ("inspector", "expert")


def test_progress_is_reported_up_to_the_total(loaded) -> None:  # type: ignore[no-untyped-def]
    _, summary, calls = loaded
    assert calls and calls[-1][0] == calls[-1][1] == len(calls)
    assert [done for done, _ in calls] == list(range(1, len(calls) + 1))
    assert summary.events == len(calls)


def test_same_seed_same_story(summary: DemoSummary) -> None:
    again = load_demo(HazardLedger(env=IN_MEMORY), seed=2023)
    assert again == summary
    assert again.digest == summary.digest
    other = load_demo(HazardLedger(env=IN_MEMORY), seed=7)
    assert other.digest != summary.digest


def test_refuses_a_clock_before_the_campaign_ends() -> None:
    early = HazardLedger(env=IN_MEMORY, clock=FixedClock(datetime(2023, 6, 1, 2, 0, tzinfo=UTC)))
    with pytest.raises(ValueError):
        load_demo(early)
