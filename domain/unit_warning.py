"""The graded warning (分级警示) of a reporting unit on record: proposed by the safety committee office, or
the warning ladder's derived proposal recorded when the office decides it; confirmed or dismissed by
the office.

    WarningProposed ──WarningConfirmed (区安委办; 通报 or not)──▶ confirmed
                    ──WarningDismissed (区安委办; reason)──────▶ dismissed

Nothing is accepted after the decision (``warning_decided``). The plan's ladder (呈贡区行动方案,
"6.警示约谈制度", seed lines 809–827): 提示 prompt → 告知 notice → 告诫 admonition → 约谈 interview;
the triggers are ``domain/warning_rules.py``.

One stream per (unit, level, trigger key): the id is a uuid5 of the three, so proposing the same
trigger twice collides in the store and the service refuses it with ``warning_exists`` — what makes
the ladder exactly-once however often it runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.actor import Actor
from domain.aggregate_base import LedgerAggregate, stable_topics
from domain.errors import DomainError
from domain.glossary import WarningLevel, WarningState, WarningTrigger
from domain.inputs import invalid, required_text, term
from domain.signatures import PersonalSignature, upcast_unsigned_v1_v2

_NAMESPACE = uuid5(NAMESPACE_URL, "https://hazard-ledger.invalid/unit-warning")


def warning_id_for(unit_id: str, level: WarningLevel | str, trigger_key: str) -> UUID:
    """One stream per (unit, level, trigger key): the same trigger proposed twice collides."""
    return uuid5(_NAMESPACE, f"{unit_id}|{WarningLevel(level).value}|{trigger_key.strip()}")


@stable_topics
class UnitWarning(LedgerAggregate):
    not_found_code = "warning_not_found"

    @staticmethod
    def create_id(unit_id: str, level: str, trigger_key: str, **_: object) -> UUID:  # type: ignore[override]
        return warning_id_for(unit_id, level, trigger_key)

    @event("WarningProposed")
    def __init__(
        self,
        actor: Actor,
        occurred_at: datetime,
        unit_id: str,
        level: str,
        trigger: str,
        trigger_key: str,
        trigger_refs: list[UUID],
        reason_zh: str,
        reason_en: str,
    ) -> None:
        self.unit_id = unit_id
        self.level = WarningLevel(level)
        self.trigger = WarningTrigger(trigger)
        self.trigger_key = trigger_key
        self.trigger_refs = list(trigger_refs)
        self.reason_zh = reason_zh
        self.reason_en = reason_en
        self.proposed_by = actor
        self.proposed_at = occurred_at
        self.state = WarningState.PROPOSED
        self.decided_by: Actor | None = None
        self.decided_at: datetime | None = None
        self.note = ""
        self.published = False
        self.dismissal_reason = ""

    @classmethod
    def propose(
        cls,
        *,
        actor: Actor,
        occurred_at: datetime,
        unit_id: str,
        level: WarningLevel | str,
        trigger: WarningTrigger | str,
        trigger_key: str,
        trigger_refs: Sequence[UUID],
        reason_zh: str,
        reason_en: str,
    ) -> UnitWarning:
        level = term(WarningLevel, level, "level")
        trigger = term(WarningTrigger, trigger, "trigger")
        refs = list(dict.fromkeys(trigger_refs))
        for ref in refs:
            if not isinstance(ref, UUID):
                invalid("trigger_refs", "ids of hazards, accidents or warnings", "应为隐患、事故或警示的编号")
        return cls(
            actor=actor,
            occurred_at=occurred_at,
            unit_id=required_text(unit_id, "unit_id"),
            level=level.value,
            trigger=trigger.value,
            trigger_key=required_text(trigger_key, "trigger_key"),
            trigger_refs=refs,
            reason_zh=required_text(reason_zh, "reason_zh"),
            reason_en=required_text(reason_en, "reason_en"),
        )

    # ----- reading -----------------------------------------------------------------------------

    @property
    def is_decided(self) -> bool:
        return self.state is not WarningState.PROPOSED

    def check_undecided(self, occurred_at: datetime) -> None:
        if self.is_decided:
            raise DomainError("warning_decided", state=self.state.value, state_zh=self.state.zh)
        self.check_business_order(occurred_at)

    # ----- commands ----------------------------------------------------------------------------

    def confirm(
        self, actor: Actor, occurred_at: datetime, note: str, published: bool, signature: PersonalSignature | None = None
    ) -> None:
        """The office confirms the warning; ``published`` is 通报 (a public notification)."""
        self.check_undecided(occurred_at)
        if not isinstance(published, bool):
            invalid("published", "true or false", "应为是或否")
        self._confirmed(actor=actor, occurred_at=occurred_at, note=(note or "").strip(), published=published, signature=signature)

    def dismiss(self, actor: Actor, occurred_at: datetime, reason: str) -> None:
        """The office decides not to warn; the reason is required and the trigger is never proposed again."""
        self.check_undecided(occurred_at)
        self._dismissed(actor=actor, occurred_at=occurred_at, reason=required_text(reason, "reason"))

    # ----- events (state assignment only) ------------------------------------------------------

    # A signed act (class_version 2): the office's personal signature; a v1 event (stored before
    # signatures) comes back with ``signature=None``.
    class WarningConfirmed(LedgerAggregate.Event):
        class_version = 2
        note: str
        published: bool
        signature: PersonalSignature | None
        upcast_v1_v2 = staticmethod(upcast_unsigned_v1_v2)

    @event(WarningConfirmed)
    def _confirmed(
        self, actor: Actor, occurred_at: datetime, note: str, published: bool, signature: PersonalSignature | None
    ) -> None:
        self.state = WarningState.CONFIRMED
        self.decided_by = actor
        self.decided_at = occurred_at
        self.note = note
        self.published = published

    @event("WarningDismissed")
    def _dismissed(self, actor: Actor, occurred_at: datetime, reason: str) -> None:
        self.state = WarningState.DISMISSED
        self.decided_by = actor
        self.decided_at = occurred_at
        self.dismissal_reason = reason
