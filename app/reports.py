"""The annex tables as the API, the CLI and the paperwork read them: one place that picks the table of
an annex and names its unit, so every entry point prints the same figures."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from app.wiring import Services
from domain.report_submission import check_annex


def annex_table(services: Services, annex: str, unit: str | None, as_of: date, known_at: datetime | None) -> dict[str, Any]:
    """One annex's table (Annex 3 lists risk points as they are now: no cut-off)."""
    check_annex(annex)
    if annex == "annex1":
        return services.annexes.annex1(unit, as_of, known_at)
    if annex == "annex2":
        return services.annexes.annex2(unit, as_of, known_at)
    return services.annexes.annex3(unit)


def unit_name(services: Services, unit: str | None) -> str:
    units = services.ledger.reference.units
    return units[unit].name if unit in units else units["ajb"].name
