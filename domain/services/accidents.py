"""Commands and queries of production safety accidents (生产安全事故)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.access import check_role, registered_scope
from domain.accident import Accident
from domain.actor import Actor
from domain.enterprise import Enterprise
from domain.glossary import AccidentGrade, SupervisionLevel
from domain.inputs import invalid
from domain.services.core import LedgerCore, Receipt
from domain.services.reporting_units import check_scope_of, counts_for
from domain.views import plain


class AccidentApplication(LedgerCore):
    def _change_accident(
        self,
        action: str,
        actor: Actor,
        accident_id: UUID,
        occurred_at: datetime | None,
        expected_version: int | None,
        change: Callable[[Accident, datetime], None],
    ) -> Receipt:
        when = self._when(occurred_at)
        check_role(actor, action)
        accident = self._load(Accident, accident_id, expected_version)
        check_scope_of(
            actor,
            self.reference,
            enterprise_id=accident.enterprise_id,
            sector=accident.sector,
            jurisdiction=accident.jurisdiction,
        )
        change(accident, when)
        return self._store(accident)

    def report_accident(
        self,
        actor: Actor,
        *,
        grade: AccidentGrade,
        deaths: int,
        injuries: int,
        direct_loss_yuan: int,
        liability: bool,
        description: str,
        enterprise_id: UUID | None = None,
        sector: str | None = None,
        jurisdiction: str | None = None,
        location: str = "",
        occurred_at: datetime | None = None,
    ) -> Receipt:
        """Records an accident; ``occurred_at`` is when it happened. Sector and territory default to the
        enterprise's; the actor must be responsible for the enterprise as registered, a differing sector is
        refused (``scope_not_registered``), and a site named in another territory must lie within the actor's
        scope too (it never widens who may record it).
        An accident without an enterprise (e.g. on a road) names both, within the actor's scope."""
        when = self._when(occurred_at)
        check_role(actor, "report_accident")
        if enterprise_id is not None:
            enterprise = self._load(Enterprise, enterprise_id)
            if sector:
                self.reference.sector(sector)
            # Who may record it is decided by the enterprise's REGISTERED sector and territory, never by
            # what the client names: the sector is the registered one (access.registered_scope); a site in
            # another territory may be named (the accident then counts there too) but does not widen scope.
            sector = registered_scope("sector", sector, enterprise.sector)
            check_scope_of(
                actor, self.reference, enterprise_id=enterprise.id, sector=enterprise.sector, jurisdiction=enterprise.jurisdiction
            )
            jurisdiction = jurisdiction or enterprise.jurisdiction
        if not sector:
            invalid("sector", "required when no enterprise is named", "未填写企业时须填写行业领域")
        if not jurisdiction:
            invalid("jurisdiction", "required when no enterprise is named", "未填写企业时须填写属地")
        self.reference.sector(sector)
        self.reference.jurisdiction(jurisdiction)
        check_scope_of(actor, self.reference, enterprise_id=enterprise_id, sector=sector, jurisdiction=jurisdiction)
        accident = Accident.report(
            actor=actor,
            occurred_at=when,
            enterprise_id=enterprise_id,
            sector=sector,
            jurisdiction=jurisdiction,
            grade=grade,
            deaths=deaths,
            injuries=injuries,
            direct_loss_yuan=direct_loss_yuan,
            liability=liability,
            description=description,
            location=location,
        )
        return self._store(accident)

    def list_accident(
        self,
        actor: Actor,
        accident_id: UUID,
        *,
        level: SupervisionLevel,
        supervising_body: str,
        document_number: str,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        """挂牌督办的事故: listed by the district, city or province (a higher level may list it again)."""
        return self._change_accident(
            "list_accident",
            actor,
            accident_id,
            occurred_at,
            expected_version,
            lambda a, when: a.list_for_supervision(actor, when, level, supervising_body, document_number),
        )

    def conclude_investigation(
        self,
        actor: Actor,
        accident_id: UUID,
        *,
        liability: bool,
        responsible_persons: list[str],
        summary: str = "",
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        return self._change_accident(
            "conclude_investigation",
            actor,
            accident_id,
            occurred_at,
            expected_version,
            lambda a, when: a.conclude_investigation(actor, when, liability, responsible_persons, summary),
        )

    def accident(self, accident_id: UUID) -> dict[str, Any]:
        a = self._load(Accident, accident_id)
        return {
            "id": str(a.id),
            "version": a.version,
            "enterprise_id": plain(a.enterprise_id),
            "sector": a.sector,
            "sector_name": self.reference.sector(a.sector).name,
            "jurisdiction": a.jurisdiction,
            "jurisdiction_name": self.reference.units[a.jurisdiction].name,
            "counts_for": counts_for(self.reference, a.sector, a.jurisdiction),
            "occurred_at": plain(a.happened_at),
            "grade": a.grade.value,
            "grade_zh": a.grade.zh,
            "deaths": a.deaths,
            "injuries": a.injuries,
            "direct_loss_yuan": a.direct_loss_yuan,
            "fatal": a.fatal,
            "liability": a.liability,
            "liability_reported": a.liability_reported,
            "description": a.description,
            "location": a.location,
            "reported_by": plain(a.reported_by),
            "listed": a.is_listed,
            "listing_level": plain(a.listing_level),
            "listing_level_zh": a.listing_level.zh if a.listing_level else None,
            "listings": plain(a.listings),
            "investigation_concluded": a.investigation_concluded,
            "liability_confirmed": a.liability_confirmed,
            "responsible_persons": list(a.responsible_persons),
            "investigation_summary": a.investigation_summary,
        }
