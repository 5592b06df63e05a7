"""Extension of a rectification deadline on request (申请延期 → 批准 / 不予延期).

The enterprise asks, with its reasons and the date it needs; the supervising unit approves (possibly an
earlier date than asked) or refuses, with its opinion. Only an approval moves the deadline: its event is a
``DEADLINE_EXTENDED`` step of the fold (``domain/hazard_timeline.py``), exactly like the regulator's recorded
paper decision (``DeadlineExtended``), so overdue, misses, annexes and warnings follow it with no path of
their own. The district's limits (``LedgerRules.extension_max_count`` / ``extension_max_days``) bound every
request and approval; a recorded paper decision counts toward them but is not refused by them — it was
taken, and the ledger holds what was decided.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from domain.actor import Actor
from domain.business_time import business_date
from domain.errors import DomainError
from domain.glossary import ExtensionDecision
from domain.reference_data import LedgerRules

# The acts on the open request: offered (and accepted) only while one is open.
DECIDE_EXTENSION = frozenset({"approve_extension", "refuse_extension"})


@dataclass(frozen=True)
class ExtensionRequest:
    """One request and, once decided, its decision (the hazard keeps them all, in order)."""

    number: int  # 1, 2, … on this hazard: what a decision and its 延期审批意见书 refer to
    requested_at: datetime
    requested_by: Actor
    reason: str
    requested_deadline: date
    decision: ExtensionDecision = ExtensionDecision.PENDING
    decided_at: datetime | None = None
    decided_by: Actor | None = None
    opinion: str = ""
    new_deadline: date | None = None  # approved: the deadline in force from the approval on

    @property
    def open(self) -> bool:
        return self.decision is ExtensionDecision.PENDING

    def cited(self) -> dict[str, Any]:
        """What a decision's event repeats of the request it decides (its 延期审批意见书 is issued from it)."""
        return {
            "request_number": self.number,
            "request_date": business_date(self.requested_at),
            "reason": self.reason,
            "requested_deadline": self.requested_deadline,
        }

    def decided(
        self, decision: ExtensionDecision, at: datetime, by: Actor, opinion: str, new_deadline: date | None
    ) -> ExtensionRequest:
        return replace(self, decision=decision, decided_at=at, decided_by=by, opinion=opinion, new_deadline=new_deadline)


def check_limits(rules: LedgerRules, extensions: int, deadline: date, new_deadline: date) -> None:
    """Refuses an extension of ``deadline`` (the one in force) to ``new_deadline`` beyond the district's limits,
    ``extensions`` being how many times the deadline was extended already."""
    if extensions >= rules.extension_max_count:
        raise DomainError("extension_limit_reached", count=extensions, limit=rules.extension_max_count)
    days = (new_deadline - deadline).days
    if days > rules.extension_max_days:
        raise DomainError(
            "extension_too_long",
            days=days,
            limit=rules.extension_max_days,
            deadline=deadline.isoformat(),
            new_deadline=new_deadline.isoformat(),
        )

