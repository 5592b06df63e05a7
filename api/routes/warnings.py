"""Graded warnings (分级警示) of reporting units and their veto flags (一票否优 / 一票否决).

Warnings are proposed by the warning ladder (``hazard-ledger process``, or the worker of ``serve``);
the safety committee office (区安委办) confirms or dismisses them here.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Query, Response

from api.commands import add_action
from api.deps import Limit, Offset, ProcessFactsRead, ServicesDep
from api.reads import Reads, Scope
from api.schemas.warnings import WarningConfirmationIn, WarningDismissalIn
from api.signing import signature_arg  # personal signatures
from domain.commands import warnings as c
from domain.errors import DomainError
from domain.glossary import SignatureMeaning, WarningLevel, WarningState
from domain.warning_rules import veto_flags
from projections.process_queries import WarningFilter

router = APIRouter(prefix="/warnings", tags=["warnings"])
units = APIRouter(prefix="/units", tags=["warnings"])


@router.get("")
def list_warnings(
    services: ServicesDep, read_at: ProcessFactsRead, scope: Scope,
    unit: str | None = Query(None, description="reporting unit id (department, street or zone)"),
    level: WarningLevel | None = None,
    state: WarningState | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Warnings, newest proposal first (read model, caught up before reading)."""
    found = WarningFilter(unit=unit, level=level, state=state, limit=limit, offset=offset, scope=scope)
    return services.process_queries.warnings(found)


@router.get("/{warning_id}")
def get_warning(warning_id: UUID, reads: Reads, response: Response) -> dict[str, Any]:
    """One warning (ETag = version, for If-Match)."""
    warning = reads.warning(warning_id)
    response.headers["ETag"] = f'"{warning["version"]}"'
    return warning


@router.get("/{warning_id}/events")
def warning_events(warning_id: UUID, services: ServicesDep, reads: Reads) -> list[dict[str, Any]]:
    """The warning's history: proposed by whom, decided by whom."""
    reads.warning(warning_id)
    return services.ledger.history(warning_id)


add_action(
    router, "warning_id", "confirmation", WarningConfirmationIn, "Confirm the warning (区安委办); published = 通报",
    lambda ctx, wid, b: c.ConfirmWarning(
        warning_id=wid, note=b.note, published=b.published,
        signature=signature_arg(ctx.server_signer, b.signature, SignatureMeaning.CONFIRMER), occurred_at=b.occurred_at,
    ),
)  # fmt: skip
add_action(
    router, "warning_id", "dismissal", WarningDismissalIn, "Dismiss the proposal (区安委办), with the reason",
    lambda ctx, wid, b: c.DismissWarning(warning_id=wid, reason=b.reason, occurred_at=b.occurred_at),
)  # fmt: skip


@units.get("/{unit_id}/flags")
def unit_flags(unit_id: str, services: ServicesDep, read_at: ProcessFactsRead, reads: Reads) -> dict[str, Any]:
    """一票否优 (excellence_veto) and 一票否决 (assessment_veto) of a unit, from its accidents during the
    campaign, each with the grounds and the accidents behind them."""
    reference = services.ledger.reference
    unit = reference.units.get(unit_id)
    if unit is None:
        raise DomainError("unit_not_found", id=unit_id)
    reads.check_unit(unit_id)
    queries = services.process_queries
    settings = queries.ladder_settings()
    accidents = {a.accident_id: a for a in queries.unit_accidents(unit_id)}
    flags = veto_flags(accidents.values(), settings.campaign)

    def entries(items: Any) -> list[dict[str, Any]]:
        return [
            {"ground": e.ground.value, "ground_zh": e.ground.zh, "accident_ids": [str(a) for a in e.accident_ids]} for e in items
        ]

    behind = dict.fromkeys(a for e in (*flags.excellence_veto, *flags.assessment_veto) for a in e.accident_ids)
    return {
        "unit_id": unit.id,
        "unit_name": unit.name,
        "campaign": {"start": settings.campaign.start.isoformat(), "end": settings.campaign.end.isoformat()},
        "excellence_veto": flags.excellence_vetoed,
        "excellence_veto_zh": "一票否优",
        "excellence_veto_grounds": entries(flags.excellence_veto),
        "assessment_veto": flags.assessment_vetoed,
        "assessment_veto_zh": "一票否决",
        "assessment_veto_grounds": entries(flags.assessment_veto),
        "accident_ids": sorted(str(a) for a in behind),
        "accidents": [
            {
                "id": str(a.accident_id),
                "occurred_at": a.happened_at.isoformat(),
                "grade": a.grade.value,
                "grade_zh": a.grade.zh,
                "deaths": a.deaths,
                "liability": a.liability,
                "listing_levels": sorted(level.value for level in a.listing_levels),
            }
            for a in sorted((accidents[i] for i in behind), key=lambda a: a.order)
        ],
    }
