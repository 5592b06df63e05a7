"""The work log (工作情况台账) of a reporting unit: typed activities that Annex 1 and Annex 2 count and
that no other event yields (study sessions, supervision teams, expert services, tip-off rewards, …).

One stream per unit: its id is derived from the unit id (``work_log_id_for``), and the first
activity opens it — ``WorkLogOpened`` and the first ``ActivityRecorded`` are saved together. Two
first writes at once both try to create version 1; the store accepts one, the other is refused as a
version conflict and appends nothing (retrying appends to the log the winner opened).

Activities are independent facts, so a back-dated activity may come after a later one: the log does
not impose business-time order between them (each is still checked against the clock and the
back-dating window).

How each kind is counted is ``ANNEX_CELLS``: a sum of counts, a sum of amounts, "是" if any, the
latest value of a stock, or distinct enterprises.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.actor import Actor
from domain.aggregate_base import LedgerAggregate, stable_topics
from domain.glossary import ActivityKind
from domain.inputs import invalid, term, whole

K = ActivityKind

_NAMESPACE = uuid5(NAMESPACE_URL, "https://hazard-ledger.invalid/work-log")


def work_log_id_for(unit_id: str) -> UUID:
    """One stream per reporting unit: opening a unit's log twice collides in the store."""
    return uuid5(_NAMESPACE, unit_id)


# A stock (存量): the latest recorded value counts, not a sum.
STOCK_KINDS = frozenset({K.TECHNICAL_INSPECTORS})
# Kinds that carry money (integer yuan), shown in 万元.
AMOUNT_KINDS = frozenset({K.TIPOFF_REWARD})
# Kinds that name the enterprise visited or served.
ENTERPRISE_KINDS = frozenset({K.GUIDANCE_ENTERPRISE, K.ENTERPRISE_SERVED})


@dataclass(frozen=True)
class AnnexCell:
    """Where an activity kind is counted: annex, section, item number, unit and the rule."""

    annex: int
    section: str
    item: int
    unit: str
    rule: str  # "sum_count" | "sum_amount" | "any" | "latest_value" | "distinct_enterprises"


ANNEX_CELLS: dict[ActivityKind, AnnexCell] = {
    K.GUIDANCE_COUNTY: AnnexCell(1, "部门精准严格执法情况", 1, "个次", "sum_count"),
    K.GUIDANCE_ENTERPRISE: AnnexCell(1, "部门精准严格执法情况", 2, "家次", "sum_count"),
    K.STUDY_SESSION: AnnexCell(1, "党委政府组织领导情况", 1, "次", "sum_count"),
    K.LEADERSHIP_RESEARCH: AnnexCell(1, "党委政府组织领导情况", 2, "次", "sum_count"),
    K.SITE_SUPERVISION: AnnexCell(1, "党委政府组织领导情况", 3, "次", "sum_count"),
    K.LECTURE: AnnexCell(1, "党委政府组织领导情况", 4, "次", "sum_count"),
    K.TIPOFF_REWARD: AnnexCell(1, "党委政府组织领导情况", 5, "万元", "sum_amount"),
    K.MEDIA_COLUMN: AnnexCell(1, "党委政府组织领导情况", 6, "是/否", "any"),
    K.TECHNICAL_INSPECTORS: AnnexCell(1, "党委政府组织领导情况", 7, "人", "latest_value"),
    K.ASSESSMENT_PATROL: AnnexCell(1, "党委政府组织领导情况", 8, "次", "sum_count"),
    K.SUPERVISION_TEAM: AnnexCell(2, "开展督导检查", 13, "个", "sum_count"),
    K.EXPERT_SERVICE: AnnexCell(2, "开展督导检查", 14, "人", "sum_count"),
    K.ENTERPRISE_SERVED: AnnexCell(2, "开展督导检查", 15, "家", "distinct_enterprises"),
}

# The second figure of Annex 1 党委政府组织领导情况 item 5.
ANONYMOUS_REWARD_ZH = "其中匿名举报查实奖励"


@stable_topics
class WorkLog(LedgerAggregate):
    not_found_code = "work_log_not_found"

    @staticmethod
    def create_id(unit_id: str, **_: object) -> UUID:  # type: ignore[override]
        return work_log_id_for(unit_id)

    @event("WorkLogOpened")
    def __init__(self, actor: Actor, occurred_at: datetime, unit_id: str) -> None:
        self.unit_id = unit_id
        self.activities: list[dict[str, Any]] = []

    def record(
        self,
        actor: Actor,
        occurred_at: datetime,
        kind: ActivityKind | str,
        count: int | None = None,
        value: int | None = None,
        amount_yuan: int | None = None,
        anonymous_amount_yuan: int | None = None,
        enterprise_id: UUID | None = None,
        note: str = "",
        sector: str | None = None,
    ) -> None:
        """Checks an activity against the rules of its kind and records it. ``sector`` (an Annex 2 row,
        checked by the service) places a flow in a sector row; a unit-wide activity has none."""
        kind = term(ActivityKind, kind, "kind")
        if kind in STOCK_KINDS:
            if count is not None:
                invalid("count", "a stock is recorded as a value, not a count", "存量指标填写数值，不填次数")
            value = whole(value, "value", 0)
        else:
            if value is not None:
                invalid("value", "only a stock (technical inspectors) has a value", "仅存量指标（技术检查员数量）填写数值")
            count = whole(1 if count is None else count, "count", 1)
        if kind in AMOUNT_KINDS:
            if amount_yuan is None:
                invalid("amount_yuan", "a reward states its amount in yuan", "举报奖励须填写金额（元）")
            amount_yuan = whole(amount_yuan, "amount_yuan", 1)
            anonymous = 0 if anonymous_amount_yuan is None else anonymous_amount_yuan
            anonymous_amount_yuan = whole(anonymous, "anonymous_amount_yuan", 0)
            if anonymous_amount_yuan > amount_yuan:
                invalid(
                    "anonymous_amount_yuan",
                    "the anonymous part exceeds the total reward",
                    "匿名举报查实奖励不能超过举报奖励总额",
                )
        else:
            for field, amount in (("amount_yuan", amount_yuan), ("anonymous_amount_yuan", anonymous_amount_yuan)):
                if amount is not None:
                    invalid(field, "only a tip-off reward carries an amount", "仅举报奖励填写金额")
        if kind in ENTERPRISE_KINDS and enterprise_id is None:
            invalid("enterprise_id", "name the enterprise visited or served", "须填写帮扶或服务的企业")
        if kind in STOCK_KINDS and enterprise_id is not None:
            invalid("enterprise_id", "a stock of the unit names no enterprise", "存量指标不填写企业")
        if kind in STOCK_KINDS and sector is not None:
            invalid("sector", "a stock of the unit has no sector row", "存量指标不分行业领域")
        self._recorded(
            actor=actor,
            occurred_at=occurred_at,
            kind=kind.value,
            count=count,
            value=value,
            amount_yuan=amount_yuan,
            anonymous_amount_yuan=anonymous_amount_yuan,
            enterprise_id=enterprise_id,
            note=note.strip(),
            sector=sector,
        )

    # ----- reading -----------------------------------------------------------------------------

    def latest_value(self, kind: ActivityKind = K.TECHNICAL_INSPECTORS) -> int | None:
        """The stock's value: the activity latest in business time (the latest recorded among equals)."""
        recorded = [a for a in self.activities if a["kind"] is kind]
        if not recorded:
            return None
        return max(recorded, key=lambda a: (a["occurred_at"], a["version"]))["value"]

    def totals(self) -> dict[ActivityKind, dict[str, Any]]:
        """Everything recorded so far, by kind, counted by the rule of its annex cell."""
        result: dict[ActivityKind, dict[str, Any]] = {}
        for kind in ActivityKind:
            recorded = [a for a in self.activities if a["kind"] is kind]
            if not recorded:
                continue
            figures: dict[str, Any] = {"records": len(recorded)}
            if kind in STOCK_KINDS:
                figures["value"] = self.latest_value(kind)
            else:
                figures["count"] = sum(a["count"] for a in recorded)
            if kind in AMOUNT_KINDS:
                figures["amount_yuan"] = sum(a["amount_yuan"] for a in recorded)
                figures["anonymous_amount_yuan"] = sum(a["anonymous_amount_yuan"] for a in recorded)
            enterprises = {a["enterprise_id"] for a in recorded if a["enterprise_id"] is not None}
            if enterprises or kind in ENTERPRISE_KINDS:
                figures["enterprises"] = len(enterprises)
            result[kind] = figures
        return result

    # ----- events (state assignment only) ------------------------------------------------------

    @event("ActivityRecorded")
    def _recorded(
        self,
        actor: Actor,
        occurred_at: datetime,
        kind: str,
        count: int | None,
        value: int | None,
        amount_yuan: int | None,
        anonymous_amount_yuan: int | None,
        enterprise_id: UUID | None,
        note: str,
        sector: str | None,
    ) -> None:
        self.activities.append(
            {
                "version": self.version + 1,
                "kind": ActivityKind(kind),
                "count": count,
                "value": value,
                "amount_yuan": amount_yuan,
                "anonymous_amount_yuan": anonymous_amount_yuan,
                "enterprise_id": enterprise_id,
                "sector": sector,
                "note": note,
                "occurred_at": occurred_at,
                "recorded_by": actor.user_id,
            }
        )
