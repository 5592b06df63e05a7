"""The annex tables as the API, the CLI and the paperwork read them: one place that picks the table of
an annex and names its unit, so every entry point prints the same figures; and the reporting calendar
(报送日历) in the one shape the API answers and the CLI prints."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from app.wiring import Services
from domain.report_submission import check_annex
from domain.reporting_calendar import DueReport, report_warnings


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


def calendar_view(services: Services, as_of: date, known_at: datetime | None, unit: str | None) -> dict[str, Any]:
    """The reporting calendar (报送日历) as of ``as_of`` — every owing unit's due reports (or ``unit``'s),
    with their status, who is late (``late``: reports submitted late or not at all), the ``ReportMissed``
    facts (``missed``), the one-off reports on paper due by then (``paper``, not judged) and the
    warnings of the day (outside the campaign)."""
    reference = services.ledger.reference
    view = services.reporting_queries.calendar(as_of, known_at, unit)
    units = []
    late = []
    for c in view.units:
        name = reference.units[c.unit_id].name
        reports = [_due_report(r) for r in c.reports]
        overdue = [r["key"] for r in reports if r["missed"]]
        units.append({"unit": c.unit_id, "unit_name": name, "reports": reports, "overdue": overdue})
        late.extend({"unit": c.unit_id, "unit_name": name, **r} for r in reports if r["missed"])
    late.sort(key=lambda r: (r["due_on"], r["unit"], r["report"]))
    return {
        "as_of": as_of.isoformat(),
        "known_at": known_at.isoformat() if known_at else None,
        "unit": unit,
        "units": units,
        "late": late,
        "missed": [
            {"unit": m.unit_id, "report": m.report, "period": m.period, "key": m.key,
             "due_on": m.due_on.isoformat(), "missed_on": m.missed_on.isoformat()}
            for m in view.missed
        ],  # fmt: skip
        "paper": [{"report": f.report, "title": f.title, "due_on": f.due.isoformat()} for f in view.paper],
        "warnings": [w.as_dict() for w in report_warnings(reference, as_of)],
    }


def _due_report(r: DueReport) -> dict[str, Any]:
    d = r.deadline
    return {
        "report": d.report,
        "annex": d.annex,
        "title": d.title,
        "period": d.period,
        "key": d.key,
        "due_on": d.due_on.isoformat(),
        "status": r.status.value,
        "status_zh": r.status.zh,
        "missed": r.missed,
        "submitted_on": r.submitted_on.isoformat() if r.submitted_on else None,
        "submission_id": str(r.submission_id) if r.submission_id else None,
    }
