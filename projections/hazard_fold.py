"""The one fold of a hazard's events into the columns every read model with hazard rows shares.

Each read model adds its own columns around it (milestones, the accountability chain, process facts);
what a hazard's state, deadline and overdue flag are after an event is decided here once.
"""

from __future__ import annotations

from typing import Any

from domain.glossary import HazardState
from domain.hazard import Hazard

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
    grade, state, deadline, overdue."""
    if isinstance(e, Hazard.HazardReported):
        row.update(
            id=str(e.originator_id), enterprise_id=str(e.enterprise_id), sector=e.sector, jurisdiction=e.jurisdiction,
            grade=str(e.grade), state=HazardState.REPORTED.value, deadline=None, overdue=False,
        )  # fmt: skip
    state = STATE_AFTER.get(type(e))
    if state is not None:
        row["state"] = state.value
    if isinstance(e, Hazard.RectificationPlanFiled):
        row["deadline"] = e.plan.deadline
    elif isinstance(e, Hazard.DeadlineExtended):
        row.update(deadline=e.new_deadline, overdue=False)
    elif isinstance(e, Hazard.DeadlineMissed):
        row["overdue"] = True
    elif isinstance(e, Hazard.RectificationCompleted):
        row["overdue"] = False
