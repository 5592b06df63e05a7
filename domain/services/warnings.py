"""Commands and queries of the graded warnings (分级警示) of reporting units.

The warning ladder (``domain/warning_rules.py``) proposes: its proposals are derived from the facts
as of a date, never stored (DESIGN.md, "Late facts"). The safety committee office (区安委办) may
propose too, and alone confirms or dismisses; deciding a ladder proposal records it (as the office
saw it, by the office) together with the decision. A warning is addressed to a department, a street
or the zone — never to the office itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from domain.access import check_role
from domain.actor import Actor
from domain.errors import DomainError
from domain.glossary import OrgKind, SignatureMeaning, WarningLevel, WarningTrigger
from domain.services.core import LedgerCore, Receipt
from domain.services.signing_keys import authorise_signature
from domain.signatures import SignatureArg  # personal signatures
from domain.unit_warning import UnitWarning
from domain.views import plain
from domain.warning_rules import Proposal


class LadderProposals(Protocol):
    """Where the ladder's derived proposals are read (the read model, wired by ``app/wiring.py``)."""

    def proposal(self, warning_id: UUID, at: datetime) -> Proposal | None: ...


class WarningApplication(LedgerCore):
    proposals: LadderProposals | None = None

    def _decided(self, actor: Actor, warning_id: UUID, when: datetime, expected_version: int | None) -> UnitWarning:
        """The warning to decide: on record, or the ladder's proposal as of the decision's business time,
        recorded now by the deciding office (its stream does not exist until someone acts on it)."""
        try:
            return self._load(UnitWarning, warning_id, expected_version)
        except DomainError as error:
            found = self.proposals.proposal(warning_id, when) if self.proposals and error.code == "warning_not_found" else None
            if found is None:
                raise
        if expected_version not in (None, 0):
            raise DomainError("version_conflict", expected=expected_version, actual=0)
        return UnitWarning.propose(
            actor=actor, occurred_at=when, unit_id=found.unit_id, level=found.level, trigger=found.trigger,
            trigger_key=found.trigger_key, trigger_refs=found.refs, reason_zh=found.reason_zh, reason_en=found.reason_en,
        )  # fmt: skip

    def propose_warning(
        self,
        actor: Actor,
        *,
        unit_id: str,
        level: WarningLevel | str,
        trigger: WarningTrigger | str,
        trigger_key: str,
        reason_zh: str,
        reason_en: str,
        trigger_refs: Sequence[UUID] = (),
        occurred_at: datetime | None = None,
    ) -> Receipt:
        """Proposes a warning to ``unit_id``. The same (unit, level, trigger key) twice is refused with
        ``warning_exists`` and appends nothing: the ladder treats that as already done."""
        when = self._when(occurred_at)
        check_role(actor, "propose_warning")
        unit = self.reference.unit(unit_id)
        if unit.kind not in (OrgKind.DEPARTMENT, OrgKind.STREET, OrgKind.ZONE):
            raise DomainError(
                "invalid_value",
                field="unit_id",
                reason="warnings go to a department, a street or the zone",
                reason_zh="分级警示的对象为各有关部门、各街道和开发区管委会",
            )
        warning = UnitWarning.propose(
            actor=actor,
            occurred_at=when,
            unit_id=unit.id,
            level=level,
            trigger=trigger,
            trigger_key=trigger_key,
            trigger_refs=trigger_refs,
            reason_zh=reason_zh,
            reason_en=reason_en,
        )
        return self._create(warning, "warning_exists", id=str(warning.id), trigger_key=warning.trigger_key)

    def confirm_warning(
        self,
        actor: Actor,
        warning_id: UUID,
        *,
        note: str = "",
        published: bool = False,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
        signature: SignatureArg = None,
    ) -> Receipt:
        """区安委办 confirms; ``published`` = 通报 (public notification). With ``signature``, the office's personal
        signature (确认签名), checked against the key registry before anything is appended."""
        when = self._when(occurred_at)
        check_role(actor, "confirm_warning")
        warning = self._decided(actor, warning_id, when, expected_version)
        signed = authorise_signature(
            self,
            actor,
            record_id=warning.id,
            version_seen=warning.version,
            meaning=SignatureMeaning.CONFIRMER,
            attachments=[],
            signature=signature,
        )
        warning.confirm(actor, when, note, published, signed)
        return self._store(warning)

    def dismiss_warning(
        self,
        actor: Actor,
        warning_id: UUID,
        *,
        reason: str,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        """区安委办 decides not to warn, with the reason; the trigger is never proposed again."""
        when = self._when(occurred_at)
        check_role(actor, "dismiss_warning")
        warning = self._decided(actor, warning_id, when, expected_version)
        warning.dismiss(actor, when, reason)
        return self._store(warning)

    def warning(self, warning_id: UUID) -> dict[str, Any]:
        w = self._load(UnitWarning, warning_id)
        unit = self.reference.units.get(w.unit_id)
        return {
            "id": str(w.id),
            "version": w.version,
            "unit_id": w.unit_id,
            "unit_name": unit.name if unit else w.unit_id,
            "level": w.level.value,
            "level_zh": w.level.zh,
            "trigger": w.trigger.value,
            "trigger_zh": w.trigger.zh,
            "trigger_key": w.trigger_key,
            "trigger_refs": plain(w.trigger_refs),
            "reason_zh": w.reason_zh,
            "reason_en": w.reason_en,
            "state": w.state.value,
            "state_zh": w.state.zh,
            "proposed_at": plain(w.proposed_at),
            "proposed_by": plain(w.proposed_by),
            "decided_at": plain(w.decided_at),
            "decided_by": plain(w.decided_by),
            "note": w.note,
            "published": w.published,
            "dismissal_reason": w.dismissal_reason,
        }
