"""Which reporting units (填报单位) a record counts for, and scope checks for records that may name no
enterprise (accidents, outstanding problems)."""

from __future__ import annotations

from uuid import UUID

from domain.access import check_scope
from domain.actor import Actor
from domain.figures import units_counting_hazard
from domain.reference_data import ReferenceData

# Stands in for "no enterprise" in scope checks: no enterprise's organisation id is the nil UUID, so an
# enterprise actor is never in scope of a record without an enterprise.
NO_ENTERPRISE = UUID(int=0)


def counts_for(reference: ReferenceData, sector: str, jurisdiction: str | None) -> list[str]:
    """DESIGN §5 (``domain.figures.units_counting_hazard``): the unit that leads the sector row, first,
    then the street or zone (属地) if the record has one. The district roll-up counts each record once."""
    lead = reference.lead_unit(sector).id
    units = units_counting_hazard(reference, sector, jurisdiction) if jurisdiction else frozenset({lead})
    return [lead, *sorted(units - {lead})]


def check_scope_of(
    actor: Actor,
    reference: ReferenceData,
    *,
    enterprise_id: UUID | None,
    sector: str,
    jurisdiction: str | None,
    department: str | None = None,
) -> None:
    check_scope(
        actor,
        reference,
        enterprise_id=enterprise_id or NO_ENTERPRISE,
        sector=sector,
        jurisdiction=jurisdiction or "",
        department=department,
    )
