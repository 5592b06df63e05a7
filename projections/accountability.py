"""The accountability trail (谁检查、谁签名、谁负责): every act of every person, and the facts the
anomaly rules (``domain/accountability_rules.py``) read.

* ``acts``: one row per person per act, append-only — the actor of every event (who reported,
  filed, claimed, verified, listed, lifted, closed, decided …), each member of an inspection team
  (检查组成员), each person an ``AccountabilityPursued`` holds accountable — with the record, the event
  type, business and recorded time, the version of the record the person saw (``originator_version
  - 1``) and the event's personal signature, if any (checked when read, so a later revocation shows).
* ``hazards``, ``inspections``, ``accidents``: the facts of those records the rules need. A hazard's
  derived facts (overdue, when a deadline was missed, rectified when) are never stored: its row keeps
  its steps (``projections/hazard_steps.py``) and the queries fold them as of a business time and a
  recording time (``domain/hazard_timeline.status``). The acts' rows carry both times of every act,
  so an inspection's findings and signatures, a report, a penalty count as of then too.
* ``links``: which enforcement case or accountability case cites which hazard, accident or inspection.

Rebuildable and exactly-once through the engine (one transaction per batch with the position).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Column, Connection, Date, DateTime, Integer, MetaData, String, Table, Text

from domain.accident import Accident
from domain.accountability import AccountabilityCase
from domain.aggregate_base import LedgerAggregate
from domain.enforcement import EnforcementCase
from domain.glossary import EVENT_LABELS
from domain.hazard import Hazard
from domain.inspection import Inspection
from domain.views import plain
from projections.engine import Positioned, Tables
from projections.hazard_fold import RECTIFIED, fold_hazard
from projections.hazard_steps import with_step
from projections.rowstate import Lookup, Row, RowStateProjection, utc

# The act an event records for its actor: event type → (code, 中文). Other events: their own name.
ACTS: dict[str, tuple[str, str]] = {
    "InspectionConducted": ("recorded_inspection", "登记检查"),
    "FindingRecorded": ("recorded_finding", "记录检查发现"),
    "InspectionSigned": ("signed_inspection", "检查人签名"),
    "HazardReported": ("reported", "登记隐患"),
    "HazardReportedToRegulator": ("reported_to_regulator", "向监管部门报告"),
    "RectificationPlanFiled": ("filed_plan", "制定整改方案"),
    "ProgressRecorded": ("recorded_progress", "记录整改进展"),
    "EvidenceAttached": ("attached_evidence", "上传佐证材料"),
    "ListedForSupervision": ("listed", "挂牌督办"),
    "SupervisionLifted": ("lifted", "摘牌"),
    "DeadlineExtended": ("extended_deadline", "批准延期"),
    "ExtensionRequested": ("requested_extension", "申请延期"),
    "ExtensionApproved": ("approved_extension", "批准延期申请"),
    "ExtensionRefused": ("refused_extension", "不予延期"),
    "DeadlineMissed": ("marked_overdue", "标记逾期"),  # legacy events (a watcher's or a clerk's)
    "DeadlineMissRecorded": ("recorded_deadline_miss", "登记（更正）逾期情况"),  # a 区安委办 clerk's statement
    "RectificationCompleted": ("claimed_completion", "申报整改完成"),
    "VerificationPassed": ("verified_passed", "验收通过"),
    "VerificationFailed": ("verified_failed", "验收不通过"),
    "HazardClosed": ("closed", "销号"),
    "HazardVoided": ("voided", "作废"),
    "CaseOpened": ("opened_case", "立案"),
    "PenaltyDecided": ("decided_penalty", "作出行政处罚决定"),
    "DualPenaltyImposed": ("imposed_dual_penalty", "一案双罚"),
    "AccountabilityPursued": ("pursued_accountability", "责任倒查、追责问责"),
}
TEAM_MEMBER = ("inspected", "参加检查（检查组成员）")
HELD_ACCOUNTABLE = ("held_accountable", "被追责问责")
# Acts that are a personal signature even without an electronic one.
SIGNATURE_ACTS = frozenset({"InspectionSigned"})
PENALTY_EVENTS = frozenset({"PenaltyDecided", "DualPenaltyImposed"})

# Payload fields worth keeping beside an act (what was found, decided, signed).
_DETAILS = (
    "item", "no_major_hazard", "hazard_ids", "meaning", "opinion", "assessed_by", "decision_number", "fine_yuan",
    "target", "person_name", "enterprise_fine_yuan", "principal_fine_yuan", "principal_name", "measures", "decided_by",
    "grade", "criterion", "note", "reason", "approver", "new_deadline", "deadline", "regulator", "case_number",
    "cited_hazard_ids", "accident_ids", "inspection_ids", "summary", "kind", "method", "scope", "existed_since",
    "missed", "requested_deadline", "request_number",
)  # fmt: skip

_RECORD_KINDS = {
    Hazard: "hazard",
    Inspection: "inspection",
    EnforcementCase: "case",
    Accident: "accident",
    AccountabilityCase: "accountability",
}


def record_kind(event: Any) -> str:
    for aggregate, kind in _RECORD_KINDS.items():
        if isinstance(event, aggregate.Event):
            return kind
    name = type(event).__qualname__.split(".")[0]
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def act_of(event_type: str) -> tuple[str, str]:
    if event_type in ACTS:
        return ACTS[event_type]
    return re.sub(r"(?<!^)(?=[A-Z])", "_", event_type).lower(), EVENT_LABELS.get(event_type, event_type)


class AccountabilityProjection(RowStateProjection):
    name = "accountability"
    facts_table = "acts"

    def define(self, metadata: MetaData, suffix: str) -> Tables:
        return Tables(
            hazards=Table(
                f"acc_hazards{suffix}",
                metadata,
                Column("id", String(36), primary_key=True),
                Column("enterprise_id", String(36), nullable=False, index=True),
                Column("sector", String(64), nullable=False),
                Column("jurisdiction", String(64), nullable=False),
                Column("department", String(64), nullable=False),
                Column("grade", String(16), nullable=False),
                Column("criterion", Text, nullable=False),
                Column("description", Text, nullable=False),
                Column("existed_since", Date, nullable=True),
                Column("inspection_id", String(36), nullable=True),
                Column("state", String(32), nullable=False),
                Column("reported_occ", DateTime(timezone=True), nullable=False),
                Column("deadline", Date, nullable=True),
                Column("plan_by", JSON, nullable=True),
                Column("responsible_person", Text, nullable=True),
                Column("steps", JSON, nullable=False),  # the hazard's steps, for the fold as of any time
                Column("verified_occ", DateTime(timezone=True), nullable=True),
                Column("verified_ver", Integer, nullable=True),
                Column("verified_by", JSON, nullable=True),
                Column("rectified_occ", DateTime(timezone=True), nullable=True),
                Column("version", Integer, nullable=False),
            ),
            inspections=Table(
                f"acc_inspections{suffix}",
                metadata,
                Column("id", String(36), primary_key=True),
                Column("enterprise_id", String(36), nullable=False, index=True),
                Column("organisation_id", String(64), nullable=False),
                Column("kind", String(32), nullable=False),
                Column("method", String(32), nullable=False),
                Column("occ", DateTime(timezone=True), nullable=False),
                Column("team", JSON, nullable=False),
                Column("findings", JSON, nullable=False),  # [{item, hazard_ids, no_major_hazard, version}]
                Column("signers", JSON, nullable=False),  # [user_id, …] in signing order
                Column("version", Integer, nullable=False),
            ),
            accidents=Table(
                f"acc_accidents{suffix}",
                metadata,
                Column("id", String(36), primary_key=True),
                Column("enterprise_id", String(36), nullable=True, index=True),
                Column("jurisdiction", String(64), nullable=False),
                Column("grade", String(32), nullable=False),
                Column("description", Text, nullable=False),
                Column("occ", DateTime(timezone=True), nullable=False),
                Column("version", Integer, nullable=False),
            ),
            links=Table(
                f"acc_links{suffix}",
                metadata,
                Column("position", BigInteger, primary_key=True),
                Column("seq", Integer, primary_key=True),
                Column("source_id", String(36), nullable=False, index=True),
                Column("source_kind", String(32), nullable=False),
                Column("target_id", String(36), nullable=False, index=True),
                Column("target_kind", String(32), nullable=False),
            ),
            acts=Table(
                f"acc_acts{suffix}",
                metadata,
                Column("position", BigInteger, primary_key=True),  # the event's notification id …
                Column("seq", Integer, primary_key=True),  # … and the person's place among its acts
                Column("record_id", String(36), nullable=False, index=True),
                Column("record_kind", String(32), nullable=False),
                Column("record_version", Integer, nullable=False),
                Column("version_seen", Integer, nullable=False),
                Column("event_type", String(64), nullable=False, index=True),
                Column("act", String(64), nullable=False),
                Column("act_zh", Text, nullable=False),
                Column("user_id", String(128), nullable=True, index=True),
                Column("name", Text, nullable=False),
                Column("role", String(64), nullable=True),
                Column("organisation_id", String(64), nullable=True, index=True),
                Column("organisation_name", Text, nullable=True),
                Column("occ", DateTime(timezone=True), nullable=False),
                Column("rec", DateTime(timezone=True), nullable=False),
                Column("signed", Boolean, nullable=False),  # the event carries an electronic signature
                Column("signature", JSON, nullable=True),
                Column("details", JSON, nullable=True),
            ),
        )

    # ----- rows ---------------------------------------------------------------------------

    def route(self, event: Any) -> tuple[str, str] | None:
        if isinstance(event, Hazard.Event):
            return "hazards", str(event.originator_id)
        if isinstance(event, Inspection.Event):
            return "inspections", str(event.originator_id)
        if isinstance(event, Accident.AccidentReported):
            return "accidents", str(event.originator_id)
        return None

    def evolve(self, table: str, row: Row | None, e: Any, lookup: Lookup) -> Row:
        row = dict(row or {})
        if table == "hazards":
            _evolve_hazard(row, e)
        elif table == "inspections":
            _evolve_inspection(row, e)
        else:
            row.update(
                id=str(e.originator_id), enterprise_id=str(e.enterprise_id) if e.enterprise_id else None,
                jurisdiction=e.jurisdiction, grade=str(e.grade), description=e.description, occ=utc(e.occurred_at),
            )  # fmt: skip
        row["version"] = e.originator_version
        return row

    def apply_batch(self, conn: Connection, tables: Tables, events: Sequence[Positioned]) -> None:
        super().apply_batch(conn, tables, events)
        links = [link for position, e in events for link in _links(position, e)]
        if links:
            conn.execute(tables["links"].insert(), links)

    # ----- acts ---------------------------------------------------------------------------

    def facts(self, position: int, e: Any, row: Row | None, lookup: Lookup) -> list[Row]:
        if not isinstance(e, LedgerAggregate.Event):
            return []
        event_type = type(e).__name__
        signature = getattr(e, "signature", None)
        envelope = {
            "position": position, "record_id": str(e.originator_id), "record_kind": record_kind(e),
            "record_version": e.originator_version, "version_seen": e.originator_version - 1, "event_type": event_type,
            "occ": utc(e.occurred_at), "rec": utc(e.timestamp), "signed": False, "signature": None, "details": None,
        }  # fmt: skip
        code, zh = act_of(event_type)
        actor = e.actor
        acts = [{
            **envelope, "act": code, "act_zh": zh, "user_id": actor.user_id, "name": actor.name, "role": str(actor.role),
            "organisation_id": actor.organisation_id, "organisation_name": actor.organisation_name or None,
            "signed": signature is not None, "signature": None if signature is None else plain(signature),
            "details": _details(e),
        }]  # fmt: skip
        if isinstance(e, Inspection.InspectionConducted):
            for person in e.inspectors:
                acts.append({
                    **envelope, "act": TEAM_MEMBER[0], "act_zh": TEAM_MEMBER[1], "user_id": person.user_id,
                    "name": person.name, "role": None, "organisation_id": e.organisation_id,
                    "organisation_name": actor.organisation_name if actor.organisation_id == e.organisation_id else None,
                })  # fmt: skip
        elif isinstance(e, AccountabilityCase.AccountabilityPursued):
            for person in e.persons:
                acts.append({
                    **envelope, "act": HELD_ACCOUNTABLE[0], "act_zh": HELD_ACCOUNTABLE[1], "user_id": person.get("user_id"),
                    "name": person["name"], "role": person["role"], "organisation_id": None,
                    "organisation_name": person["organisation"], "details": {"measures": list(e.measures)},
                })  # fmt: skip
        return [{**a, "seq": i} for i, a in enumerate(acts)]


@cache
def _detail_names(event_type: type) -> tuple[str, ...]:
    """The detail fields an event class has (asked once per class, not once per event)."""
    return tuple(name for name in _DETAILS if name in {f.name for f in dataclasses.fields(event_type)})


def _details(e: Any) -> dict[str, Any] | None:
    found = {name: plain(getattr(e, name)) for name in _detail_names(type(e))}
    if isinstance(e, AccountabilityCase.AccountabilityPursued):
        found["persons"] = plain(e.persons)
    return found or None


def _evolve_hazard(row: Row, e: Any) -> None:
    fold_hazard(row, e)
    row.pop("miss_stated", None)  # the fold's column for SQL reads elsewhere; this model folds ``steps``
    row["steps"] = with_step(row.get("steps"), e)
    if isinstance(e, Hazard.HazardReported):
        row.update(
            department=e.department, criterion=e.criterion, description=e.description,
            existed_since=e.existed_since, inspection_id=str(e.inspection_id) if e.inspection_id else None,
            reported_occ=utc(e.occurred_at), plan_by=None, responsible_person=None,
            verified_occ=None, verified_ver=None, verified_by=None, rectified_occ=None,
        )  # fmt: skip
    elif isinstance(e, Hazard.RectificationPlanFiled):
        row.update(plan_by=plain(e.actor), responsible_person=e.plan.responsible_person or None)
    if isinstance(e, Hazard.VerificationPassed):
        row.update(verified_occ=utc(e.occurred_at), verified_ver=e.originator_version, verified_by=plain(e.actor))
    if isinstance(e, RECTIFIED) and row.get("rectified_occ") is None:
        row["rectified_occ"] = utc(e.occurred_at)


def _evolve_inspection(row: Row, e: Any) -> None:
    if isinstance(e, Inspection.InspectionConducted):
        row.update(
            id=str(e.originator_id), enterprise_id=str(e.enterprise_id), organisation_id=e.organisation_id,
            kind=str(e.kind), method=str(e.method), occ=utc(e.occurred_at),
            team=plain(e.inspectors), findings=[], signers=[],
        )  # fmt: skip
    elif isinstance(e, Inspection.FindingRecorded):
        finding = {"item": e.item, "hazard_ids": [str(h) for h in e.hazard_ids], "no_major_hazard": e.no_major_hazard,
                   "version": e.originator_version}  # fmt: skip
        row["findings"] = [*row["findings"], finding]
    elif isinstance(e, Inspection.InspectionSigned):
        row["signers"] = [*row["signers"], e.actor.user_id]


def _links(position: int, e: Any) -> list[Row]:
    source = str(e.originator_id)
    kind = ""
    targets: list[tuple[Any, str]] = []
    if isinstance(e, EnforcementCase.CaseOpened):
        kind = "case"
        targets = [(h, "hazard") for h in e.cited_hazard_ids] + [(a, "accident") for a in e.accident_ids]
    elif isinstance(e, AccountabilityCase.AccountabilityPursued):
        kind = "accountability"
        targets = (
            [(h, "hazard") for h in e.hazard_ids]
            + [(a, "accident") for a in e.accident_ids]
            + [(i, "inspection") for i in e.inspection_ids]
        )
    return [
        {"position": position, "seq": i, "source_id": source, "source_kind": kind, "target_id": str(t), "target_kind": tk}
        for i, (t, tk) in enumerate(targets)
    ]
