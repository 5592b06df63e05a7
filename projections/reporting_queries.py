"""Reads of the report submissions (报表报送) as the reporting calendar's plain facts
(``domain/reporting_calendar.py``), and the calendar as of a day.

A submission is one ``ReportSubmitted`` event (``domain/report_submission.py``); the ledger lists them by
a scan of the log restricted to that topic (``ReportApplication.submitted_events``), not from a read model,
and these reads use the same scan: the events are decoded, never loaded as aggregates, so a district's year of
submissions (about 30 units × 30 cut-offs) is a few queries. Both times are kept: the business time
(``occurred_at``) decides on time or late, the recording time (``timestamp``) what was known at
``known_at``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from domain.reference_data import ReferenceData
from domain.reporting_calendar import CalendarView, SubmissionFact, calendar_as_of, ladder_reports_due
from domain.warning_rules import ReportDue


class ReportingQueries:
    def __init__(self, submitted_events: Callable[[], Iterable[Any]], reference: ReferenceData) -> None:
        self.submitted_events = submitted_events  # ReportApplication.submitted_events
        self.reference = reference

    def submission_facts(self, known_at: datetime | None = None) -> list[SubmissionFact]:
        """Every submission recorded at or before ``known_at`` (all if None), in log order."""
        return [
            SubmissionFact(e.originator_id, e.annex, e.unit, e.as_of, e.occurred_at, e.timestamp)
            for e in self.submitted_events()
            if known_at is None or e.timestamp <= known_at
        ]

    def calendar(self, as_of: date, known_at: datetime | None = None, unit: str | None = None) -> CalendarView:
        """Every owing unit's due reports as of ``as_of`` (or one unit's), with the submissions known at ``known_at``."""
        if unit is not None:
            self.reference.unit(unit)  # the unknown-unit error before any read
        return calendar_as_of(self.reference, self.submission_facts(known_at), as_of, known_at, unit)

    def reports_due(self, unit_id: str, as_of: date, known_at: datetime | None = None) -> tuple[ReportDue, ...]:
        """The warning ladder's ``UnitFacts.reports_due`` of one unit as of ``as_of`` (its ``today``): every
        report due before that day with the first submission counted; none for a unit that owes none."""
        return ladder_reports_due(self.reference, unit_id, self.submission_facts(known_at), as_of, known_at)

    def all_reports_due(self, as_of: date, known_at: datetime | None = None) -> dict[str, tuple[ReportDue, ...]]:
        """``reports_due`` of every unit at once (one read of the submissions), by unit id."""
        facts = self.submission_facts(known_at)
        return {u: ladder_reports_due(self.reference, u, facts, as_of, known_at) for u in self.reference.units}
