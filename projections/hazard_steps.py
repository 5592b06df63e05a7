"""A hazard's steps (``domain/hazard_timeline.py``) kept on its read-model row as JSON, so a read model
can fold the hazard as of any business time and recording time without reading the event log.

A row's ``steps`` column holds one small dict per step, appended as the hazard's events arrive (a
hazard has a few dozen acts at most); ``steps_of_row`` turns them back into ``Step`` s for the fold.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from domain.hazard_timeline import HazardStatus, Step, StepKind, status, step_of


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()


def with_step(steps: list[dict[str, Any]] | None, event: Any) -> list[dict[str, Any]]:
    """The row's steps after ``event`` (a new list; the same one when the event moves nothing derived)."""
    step = step_of(event, getattr(event, "timestamp", None))
    if step is None:
        return list(steps or [])
    return [
        *(steps or []),
        {
            "kind": step.kind.value,
            "occ": _iso(step.occurred_at),
            "rec": _iso(step.recorded_at),
            "deadline": step.deadline.isoformat() if step.deadline else None,
            "missed": step.missed,
        },
    ]


def steps_of_row(steps: list[dict[str, Any]] | None) -> list[Step]:
    return [
        Step(
            kind=StepKind(s["kind"]),
            occurred_at=datetime.fromisoformat(s["occ"]),
            recorded_at=datetime.fromisoformat(s["rec"]) if s["rec"] else None,
            deadline=date.fromisoformat(s["deadline"]) if s["deadline"] else None,
            missed=s["missed"],
        )
        for s in steps or []
    ]


def row_status(row: dict[str, Any], at: datetime, known_at: datetime | None = None) -> HazardStatus:
    """The hazard of a read-model row as of ``at``, as known at ``known_at``."""
    return status(steps_of_row(row.get("steps")), at, known_at)
