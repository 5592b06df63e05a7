"""Commands and queries of reporting units' work logs (工作情况台账: the typed activities of Annex 1/2)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.access import check_role
from domain.actor import Actor
from domain.enterprise import Enterprise
from domain.errors import DomainError
from domain.glossary import ActivityKind, Role
from domain.inputs import term
from domain.services.core import LedgerCore, Receipt
from domain.views import plain
from domain.work_log import ANNEX_CELLS, STOCK_KINDS, WorkLog, work_log_id_for


class WorkLogApplication(LedgerCore):
    def _existing_work_log(self, unit_id: str) -> WorkLog | None:
        try:
            log = self.repository.get(work_log_id_for(unit_id))
        except AggregateNotFoundError:
            return None
        if not isinstance(log, WorkLog):
            raise DomainError(WorkLog.not_found_code, id=unit_id)
        return log

    def record_activity(
        self,
        actor: Actor,
        unit_id: str,
        *,
        kind: ActivityKind,
        count: int | None = None,
        value: int | None = None,
        amount_yuan: int | None = None,
        anonymous_amount_yuan: int | None = None,
        enterprise_id: UUID | None = None,
        note: str = "",
        sector: str | None = None,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        """Records one activity of a reporting unit, by the unit's own staff (or the committee office).
        The first activity opens the unit's log (version 0 → 2: WorkLogOpened + ActivityRecorded).
        ``sector`` places it in an Annex 2 row; it defaults to the named enterprise's."""
        when = self._when(occurred_at)
        check_role(actor, "record_activity")
        unit = self.reference.unit(unit_id)
        if actor.organisation_id != unit.id and actor.role is not Role.COMMITTEE_OFFICE:
            raise DomainError("outside_scope", organisation=actor.organisation_name or actor.organisation_id)
        log = self._existing_work_log(unit.id)
        actual = 0 if log is None else log.version
        if expected_version is not None and expected_version != actual:
            raise DomainError("version_conflict", expected=expected_version, actual=actual)
        kind = term(ActivityKind, kind, "kind")
        if enterprise_id is not None:
            enterprise = self._load(Enterprise, enterprise_id)
            if sector is None and kind not in STOCK_KINDS:
                sector = enterprise.sector
        if sector is not None:
            self.reference.sector(sector)
        if log is None:
            log = WorkLog(actor=actor, occurred_at=when, unit_id=unit.id)
        log.record(actor, when, kind, count, value, amount_yuan, anonymous_amount_yuan, enterprise_id, note, sector)
        # A concurrent first write also creates version 1: the store refuses one of them (version_conflict).
        return self._store(log)

    def work_log(self, unit_id: str) -> dict[str, Any]:
        """A unit's log: every activity, and the totals so far by kind (an empty log if nothing is recorded yet)."""
        unit = self.reference.unit(unit_id)
        log = self._existing_work_log(unit.id)
        activities = [] if log is None else log.activities
        totals = {} if log is None else log.totals()
        return {
            "id": str(work_log_id_for(unit.id)),
            "version": 0 if log is None else log.version,
            "unit_id": unit.id,
            "unit_name": unit.name,
            "activities": [{**plain(a), "kind_zh": a["kind"].zh} for a in activities],
            "totals": {
                kind.value: {
                    **figures,
                    "kind_zh": kind.zh,
                    "annex": ANNEX_CELLS[kind].annex,
                    "section": ANNEX_CELLS[kind].section,
                    "item": ANNEX_CELLS[kind].item,
                    "unit": ANNEX_CELLS[kind].unit,
                }
                for kind, figures in totals.items()
            },
        }
