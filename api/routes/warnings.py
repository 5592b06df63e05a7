"""Graded warnings (分级警示) of reporting units, their veto flags (一票否优 / 一票否决), and reminders.

The warning ladder's proposals are derived from the facts as of a date (``as_of``, ``known_at``), never
stored; the safety committee office (区安委办) confirms or dismisses them here, which records them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Query, Response

from api.commands import add_action
from api.deps import Limit, Offset, ProcessFactsRead, ServicesDep
from api.reads import Reads, Scope
from api.routes.reports import AsOf, KnownAt
from api.schemas.warnings import WarningConfirmationIn, WarningDismissalIn
from api.signing import signature_arg  # personal signatures
from app.reports import known
from domain.business_time import business_date
from domain.commands import warnings as c
from domain.errors import DomainError
from domain.glossary import SignatureMeaning, WarningLevel, WarningState
from domain.warning_rules import veto_flags
from projections.process_queries import AsOf as AsOfDay
from projections.process_queries import WarningFilter

router = APIRouter(prefix="/warnings", tags=["warnings"])
units = APIRouter(prefix="/units", tags=["warnings"])
reminders = APIRouter(prefix="/reminders", tags=["warnings"])


@reminders.get("")
def list_reminders(services: ServicesDep, read_at: ProcessFactsRead, scope: Scope) -> dict[str, Any]:
    """及时报告: majors the enterprise found itself, not yet reported to the regulator, with the end of the
    window and the hours left (negative: late — the self-report exemption is lost)."""
    scope.check_reads_records("read reminders", "查阅提醒")
    now = services.ledger.clock.now()
    items = services.process_queries.self_report_reminders(now, scope)
    return {"at": now.isoformat(), "hours": services.process_queries.rules.report_to_regulator_hours, "items": items}


@router.get("")
def list_warnings(
    services: ServicesDep,
    read_at: ProcessFactsRead,
    scope: Scope,
    unit: str | None = Query(None, description="reporting unit id (department, street or zone)"),
    level: WarningLevel | None = None,
    state: WarningState | None = None,
    as_of: AsOf = None,
    known_at: KnownAt = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Warnings as of a business date (default today) and known at a time (default now), newest fact
    first: the ladder's proposals (``derived``) and the warnings on record with their decisions."""
    day = _as_of(services, as_of, known_at)
    found = WarningFilter(as_of=day, unit=unit, level=level, state=state, limit=limit, offset=offset, scope=scope)
    return services.process_queries.warnings(found)


def _as_of(services: ServicesDep, as_of: date | None, known_at: datetime | None) -> AsOfDay:
    return AsOfDay(as_of or business_date(services.ledger.clock.now()), known(known_at))


@router.get("/{warning_id}")
def get_warning(
    warning_id: UUID, services: ServicesDep, read_at: ProcessFactsRead, reads: Reads, response: Response
) -> dict[str, Any]:
    """One warning (ETag = version, for If-Match): on record, or the ladder's proposal as of today
    (version 0: confirming or dismissing it records it)."""
    try:
        warning = reads.warning(warning_id)
    except DomainError as error:
        derived = services.process_queries.warning_rows(_as_of(services, None, None)).get(str(warning_id))
        if error.code != "warning_not_found" or derived is None or not reads.scope.covers_unit(derived["unit_id"]):
            raise
        warning = derived
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
def unit_flags(
    unit_id: str, services: ServicesDep, read_at: ProcessFactsRead, reads: Reads, as_of: AsOf = None, known_at: KnownAt = None
) -> dict[str, Any]:
    """一票否优 (excellence_veto) and 一票否决 (assessment_veto) of a unit, from its accidents during the
    campaign, each with the grounds and the accidents behind them."""
    reference = services.ledger.reference
    unit = reference.units.get(unit_id)
    if unit is None:
        raise DomainError("unit_not_found", id=unit_id)
    reads.check_unit(unit_id)
    queries = services.process_queries
    settings = queries.ladder_settings()
    accidents = {a.accident_id: a for a in queries.unit_accidents(unit_id, _as_of(services, as_of, known_at))}
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
