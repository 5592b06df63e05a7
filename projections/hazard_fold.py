"""The one fold of a hazard's events into the columns every read model with hazard rows shares.

Each read model adds its own columns around it (milestones, the accountability chain, process facts);
what a hazard's state and deadline are after an event is decided here once. Whether it is overdue is
derived, as of a time (``domain/hazard_timeline.py``); for "overdue now" in SQL the row keeps the
clerk's statement about the deadline in force (``miss_stated``): overdue today ⇔ rectifying, the
deadline before today, and not stated kept (``overdue_condition``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, or_

from domain.glossary import HazardState
from domain.hazard import Hazard
from domain.hazard_timeline import SETS_DEADLINE, StepKind, step_of

# The state a hazard is in after each event that moves it (DESIGN §3.1).
STATE_AFTER = {
    Hazard.RectificationPlanFiled: HazardState.RECTIFYING,
    Hazard.RectificationCompleted: HazardState.PENDING_VERIFICATION,
    Hazard.VerificationPassed: HazardState.VERIFIED,
    Hazard.VerificationFailed: HazardState.RECTIFYING,
    Hazard.HazardClosed: HazardState.CLOSED,
    Hazard.HazardVoided: HazardState.VOIDED,
}
# Rectified, for the dynamic rectification rate and the anomaly lists: verified, closed, or voided.
RECTIFIED = (Hazard.VerificationPassed, Hazard.HazardClosed, Hazard.HazardVoided)


def fold_hazard(row: dict[str, Any], e: Any) -> None:
    """Applies ``e`` to the shared columns of ``row`` in place: id, enterprise_id, sector, jurisdiction,
    grade, state, deadline, miss_stated."""
    if isinstance(e, Hazard.HazardReported):
        row.update(
            id=str(e.originator_id), enterprise_id=str(e.enterprise_id), sector=e.sector, jurisdiction=e.jurisdiction,
            grade=str(e.grade), state=HazardState.REPORTED.value, deadline=None, miss_stated=None,
        )  # fmt: skip
    state = STATE_AFTER.get(type(e))
    if state is not None:
        row["state"] = state.value
    step = step_of(e)
    if step is None:
        return
    if step.kind in SETS_DEADLINE:  # the plan, a recorded extension, an approved request
        row.update(deadline=step.deadline, miss_stated=None)
    elif step.kind is StepKind.MISS_RECORDED and step.deadline == row.get("deadline"):
        row["miss_stated"] = step.missed


def overdue_condition(columns: Any, today: date) -> Any:
    """The fold's ``overdue`` as of today, as a SQL condition over a table's columns (state, deadline,
    miss_stated)."""
    return and_(
        columns.state == HazardState.RECTIFYING.value,
        columns.deadline.is_not(None),  # so that NOT(…) is true, not NULL, for a row without a deadline
        columns.deadline < today,
        or_(columns.miss_stated.is_(None), columns.miss_stated.is_(True)),
    )
