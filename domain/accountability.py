"""The accountability case (责任倒查、追责问责) — "谁检查、谁签名、谁负责".

The plan (建立安全监管执法责任倒查机制): whoever inspected and found nothing that was there (明明有问题却
查不出), or followed a rectification up badly so that it recurred or ended in an accident (跟踪整改
不到位), is held accountable. One record states, once, on what grounds (hazards, accidents,
inspections), which persons are held accountable, with which measures (诫勉谈话, 通报批评, 党纪政务处分,
移送司法机关 …), and which unit decided it. Annex 1 item 9 counts the persons.

    AccountabilityPursued (once; the record has no further events)
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.actor import Actor
from domain.aggregate_base import LedgerAggregate, stable_topics
from domain.inputs import invalid, required_text, texts

# The keys of one person held accountable (stored as a plain mapping in the event).
PERSON_FIELDS = ("user_id", "name", "organisation", "role")


def accountable_person(raw: Any) -> dict[str, str | None]:
    """One person held accountable: name, organisation and role required, the user id when known."""
    if not isinstance(raw, dict):
        invalid("persons", "each person is an object with name, organisation and role", "每名人员须包含姓名、单位和职务")
    unknown = set(raw) - set(PERSON_FIELDS)
    if unknown:
        invalid("persons", f"unknown fields: {', '.join(sorted(unknown))}", f"未知字段：{'、'.join(sorted(unknown))}")
    user_id = raw.get("user_id")
    if user_id is not None and (not isinstance(user_id, str) or not user_id.strip()):
        invalid("persons.user_id", "a user id, or leave it out", "用户编号无效")
    return {
        "user_id": user_id.strip() if isinstance(user_id, str) else None,
        "name": required_text(raw.get("name", ""), "persons.name"),
        "organisation": required_text(raw.get("organisation", ""), "persons.organisation"),
        "role": required_text(raw.get("role", ""), "persons.role"),
    }


@stable_topics
class AccountabilityCase(LedgerAggregate):
    not_found_code = "accountability_not_found"

    @event("AccountabilityPursued")
    def __init__(
        self,
        actor: Actor,
        occurred_at: datetime,
        hazard_ids: list[UUID],
        accident_ids: list[UUID],
        inspection_ids: list[UUID],
        persons: list[dict[str, Any]],
        measures: list[str],
        decided_by: str,
        summary: str,
    ) -> None:
        self.hazard_ids = list(hazard_ids)
        self.accident_ids = list(accident_ids)
        self.inspection_ids = list(inspection_ids)
        self.persons = [dict(p) for p in persons]
        self.measures = list(measures)
        self.decided_by = decided_by
        self.summary = summary
        self.recorded_by = actor
        self.decided_at = occurred_at

    @classmethod
    def pursue(
        cls,
        *,
        actor: Actor,
        occurred_at: datetime,
        hazard_ids: list[UUID],
        accident_ids: list[UUID],
        inspection_ids: list[UUID],
        persons: list[Any],
        measures: list[str],
        decided_by: str,
        summary: str = "",
    ) -> AccountabilityCase:
        for field, ids in (("hazard_ids", hazard_ids), ("accident_ids", accident_ids), ("inspection_ids", inspection_ids)):
            if len(set(ids)) != len(ids):
                invalid(field, "an id is listed twice", "编号重复")
        if not (hazard_ids or accident_ids or inspection_ids):
            invalid(
                "grounds",
                "name the hazards, accidents or inspections the accountability rests on",
                "须列明倒查依据的隐患、事故或检查记录",
            )
        checked = [accountable_person(p) for p in persons]
        if not checked:
            invalid("persons", "at least one person is held accountable", "至少列明一名被追责问责人员")
        keys = [p["user_id"] or f"{p['name']}|{p['organisation']}" for p in checked]
        if len(set(keys)) != len(keys):
            invalid("persons", "a person is listed twice", "被追责问责人员重复")
        measures = texts(measures, "measures")
        if not measures:
            invalid("measures", "at least one measure (诫勉谈话, 通报批评, 党纪政务处分 …)", "至少列明一项问责措施")
        return cls(
            actor=actor,
            occurred_at=occurred_at,
            hazard_ids=list(hazard_ids),
            accident_ids=list(accident_ids),
            inspection_ids=list(inspection_ids),
            persons=checked,
            measures=measures,
            decided_by=required_text(decided_by, "decided_by"),
            summary=summary.strip(),
        )
