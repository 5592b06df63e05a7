"""A synthetic district for benchmarks: enterprises, inspections and hazards through their whole
lifecycle, built with the real aggregates (every rule checked) and appended in large batches.

Aggregates are created and advanced in memory, then their pending events are stored through the
application's mapper and recorder, a few thousand per insert — the store's own path, minus the
per-command round trips that a benchmark of projections does not measure.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from domain.actor import Actor
from domain.business_time import CHINA_TZ
from domain.credit_code import check_character
from domain.enterprise import Enterprise
from domain.glossary import Assessor, Grade, HazardSource, InspectionKind, InspectionMethod, OrgKind, Role
from domain.hazard import Hazard
from domain.inspection import Inspection
from domain.ledger import Ledger
from domain.values import Person, RectificationPlan

CAMPAIGN_START = datetime(2023, 5, 1, 8, 0, tzinfo=CHINA_TZ)
CAMPAIGN_DAYS = 240


def _enterprise(ledger: Ledger, n: int, rng: random.Random) -> Enterprise:
    sectors = [s for s in ledger.reference.sectors if s not in ("other",)]
    streets = [u.id for u in ledger.reference.jurisdictions]
    first17 = f"91530114MA{n:07d}"
    office = Actor("ajb-bench", "基准", Role.COMMITTEE_OFFICE, "ajb", OrgKind.COMMITTEE_OFFICE, "区安委办")
    return Enterprise(
        actor=office, occurred_at=CAMPAIGN_START - timedelta(days=30), credit_code=first17 + check_character(first17),
        name=f"基准企业{n}", sector=rng.choice(sectors), jurisdiction=rng.choice(streets), address="",
        principal_name=f"负责人{n}", high_risk=rng.random() < 0.3,
    )  # fmt: skip


def _lifecycle(ledger: Ledger, enterprise: Enterprise, rng: random.Random) -> Iterator[Any]:
    """An inspection and a hazard taken through a random, valid stretch of its lifecycle."""
    unit = ledger.reference.lead_unit(enterprise.sector)
    inspector = Actor(f"{unit.id}-1", "检查员甲", Role.INSPECTOR, unit.id, OrgKind.DEPARTMENT, unit.name)
    principal = Actor(f"p-{enterprise.id}", enterprise.principal_name, Role.PRINCIPAL, str(enterprise.id), OrgKind.ENTERPRISE)
    t = CAMPAIGN_START + timedelta(days=rng.uniform(0, CAMPAIGN_DAYS - 40))
    inspection = Inspection.conduct(
        actor=inspector, occurred_at=t, enterprise_id=enterprise.id, organisation_id=unit.id, kind=InspectionKind.DEPARTMENT,
        method=rng.choice(list(InspectionMethod)), led_by_principal=False,
        inspectors=[Person(inspector.user_id, inspector.name)], scope=["现场"],
    )  # fmt: skip
    major = rng.random() < 0.35
    hazard = Hazard.report(
        actor=inspector, occurred_at=t, enterprise_id=enterprise.id, sector=enterprise.sector,
        jurisdiction=enterprise.jurisdiction, department=unit.id, grade=Grade.MAJOR if major else Grade.GENERAL,
        source=HazardSource.DEPARTMENT_INSPECTION, criterion="第十二条" if major else "", description="基准隐患",
        inspection_id=inspection.id,
    )  # fmt: skip
    inspection.record_finding(inspector, t, "现场", [hazard.id], False, "")
    inspection.sign(inspector, t + timedelta(minutes=5))
    yield inspection
    stop = rng.random()
    if stop > 0.05:
        t += timedelta(days=1)
        deadline = (t + timedelta(days=20)).date()
        plan = RectificationPlan("负责人", "整改措施", 10000, deadline, "应急预案")
        hazard.file_plan(principal, t, plan)
        hazard.record_progress(principal, t + timedelta(days=3), "进展", 50)
        if stop > 0.2:
            t += timedelta(days=10)
            hazard.complete_rectification(principal, t, "完成")
            expert = Actor("expert-1", "专家", Role.EXPERT, "experts", OrgKind.EXPERT_BODY)
            hazard.verify(expert, t + timedelta(days=2), True, "合格", [Assessor.EXPERTS])
            if stop > 0.35:
                hazard.close(inspector, t + timedelta(days=3), "销号")
        # otherwise the deadline passes: the miss is derived from business time, nothing is stored
    else:
        hazard.void(inspector, t + timedelta(hours=2), "重复")
    yield hazard


def populate(ledger: Ledger, events: int, seed: int = 1, batch: int = 5000) -> int:
    """Appends about ``events`` events; returns how many were appended."""
    rng = random.Random(seed)
    pending: list[Any] = []
    written = 0
    enterprises = [_enterprise(ledger, n, rng) for n in range(max(10, events // 200))]
    pending.extend(e for enterprise in enterprises for e in enterprise.collect_events())
    while written + len(pending) < events:
        for aggregate in _lifecycle(ledger, rng.choice(enterprises), rng):
            pending.extend(aggregate.collect_events())
        if len(pending) >= batch:
            written += _store(ledger, pending)
            pending = []
    return written + _store(ledger, pending)


def _store(ledger: Ledger, events: list[Any]) -> int:
    if events:
        ledger.recorder.insert_events([ledger.mapper.to_stored_event(e) for e in events])
    return len(events)
