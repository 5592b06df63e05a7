"""Commands and queries of accountability (责任倒查、追责问责)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from domain.access import check_role, check_scope
from domain.accident import Accident
from domain.accountability import AccountabilityCase
from domain.actor import Actor
from domain.enterprise import Enterprise
from domain.errors import DomainError
from domain.glossary import Role
from domain.hazard import Hazard
from domain.inspection import Inspection
from domain.services.core import LedgerCore, Receipt
from domain.services.reporting_units import check_scope_of
from domain.views import plain


class AccountabilityApplication(LedgerCore):
    def pursue_accountability(
        self,
        actor: Actor,
        *,
        persons: list[Any],
        measures: list[str],
        decided_by: str | None = None,
        hazard_ids: list[UUID] | None = None,
        accident_ids: list[UUID] | None = None,
        inspection_ids: list[UUID] | None = None,
        summary: str = "",
        occurred_at: datetime | None = None,
    ) -> Receipt:
        """Records who is held accountable, on what grounds and with which measures. The 区安委办 may
        record a decision of any unit; an inspector only one of their own organisation, citing only records
        within their scope (``_check_cited``)."""
        when = self._when(occurred_at)
        check_role(actor, "pursue_accountability")
        decided_by = decided_by or actor.organisation_id
        self.reference.unit(decided_by)
        if actor.role is not Role.COMMITTEE_OFFICE and decided_by != actor.organisation_id:
            raise DomainError("outside_scope", organisation=actor.organisation_name or actor.organisation_id)
        hazard_ids, accident_ids, inspection_ids = list(hazard_ids or []), list(accident_ids or []), list(inspection_ids or [])
        for cls, ids in ((Hazard, hazard_ids), (Accident, accident_ids), (Inspection, inspection_ids)):
            for record_id in dict.fromkeys(ids):
                self._check_cited(actor, self._load(cls, record_id))
        case = AccountabilityCase.pursue(
            actor=actor,
            occurred_at=when,
            hazard_ids=hazard_ids,
            accident_ids=accident_ids,
            inspection_ids=inspection_ids,
            persons=list(persons),
            measures=list(measures),
            decided_by=decided_by,
            summary=summary,
        )
        return self._store(case)

    def _check_cited(self, actor: Actor, record: Hazard | Accident | Inspection) -> None:
        """Each cited record lies within the actor's scope, as if the actor acted on it (``outside_scope``,
        403, as every other refusal of a record outside one's scope): a hazard by its sector, territory and
        responsible department; an accident by its sector and territory; an inspection when the actor's
        organisation conducted it or is responsible for the inspected enterprise as registered."""
        if isinstance(record, Hazard):
            check_scope(
                actor,
                self.reference,
                enterprise_id=record.enterprise_id,
                sector=record.sector,
                jurisdiction=record.jurisdiction,
                department=record.department,
            )
        elif isinstance(record, Accident):
            check_scope_of(
                actor, self.reference, enterprise_id=record.enterprise_id, sector=record.sector, jurisdiction=record.jurisdiction
            )
        elif actor.organisation_id != record.organisation_id:
            enterprise = self._load(Enterprise, record.enterprise_id)
            check_scope(
                actor, self.reference, enterprise_id=enterprise.id, sector=enterprise.sector, jurisdiction=enterprise.jurisdiction
            )

    def accountability_case(self, case_id: UUID) -> dict[str, Any]:
        c = self._load(AccountabilityCase, case_id)
        return {
            "id": str(c.id),
            "version": c.version,
            "hazard_ids": plain(c.hazard_ids),
            "accident_ids": plain(c.accident_ids),
            "inspection_ids": plain(c.inspection_ids),
            "persons": plain(c.persons),
            "persons_count": len(c.persons),
            "measures": list(c.measures),
            "decided_by": c.decided_by,
            "decided_by_name": self.reference.unit(c.decided_by).name,
            "summary": c.summary,
            "decided_at": plain(c.decided_at),
            "recorded_by": plain(c.recorded_by),
        }
