"""Reference data: sector rows, reporting units, the campaign."""

from typing import Any

from fastapi import APIRouter

from api.deps import ServicesDep

router = APIRouter(tags=["reference"])


@router.get("/reference")
def reference(services: ServicesDep) -> dict[str, Any]:
    """Sector rows (行业领域), reporting units (填报单位) and the campaign, as loaded at start."""
    ref = services.ledger.reference
    return {
        "district": {"code": ref.district_code, "name": ref.district_name, "city": ref.city},
        "campaign": {
            "name": ref.campaign.name,
            "start": ref.campaign.start.isoformat(),
            "end": ref.campaign.end.isoformat(),
            "phases": [{"name": p.name, "end": p.end.isoformat()} for p in ref.campaign.phases],
        },
        "sectors": [
            {"id": s.id, "name": s.name, "parent": s.parent, "lead_units": list(s.lead_unit_ids)} for s in ref.sectors.values()
        ],
        "units": [{"id": u.id, "name": u.name, "kind": u.kind.value} for u in ref.units.values()],
        "rules": services.ledger.rules.__dict__,
    }
