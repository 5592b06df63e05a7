"""我的工作 (issue 14): which kinds of waiting work are a person's, by role.

A duty is a next step some record waits for; it is the work of the roles that may take that step
(``domain.access.ACTION_ROLES``), and a hazard waits for it in the state that step starts from
(``domain.hazard.ALLOWED_FROM``). The pages ask here what to show; the records themselves are read
through the reader's scope (``domain.read_scope``), as every list is.
"""

from __future__ import annotations

from datetime import date, timedelta

from domain.access import ACTION_ROLES
from domain.actor import Actor
from domain.glossary import Duty, Grade, HazardState
from domain.hazard import ALLOWED_FROM, MAJOR_CLOSER_ROLES, MAJOR_VERIFIER_ROLES

# A deadline this close (days from today, inclusive) is shown as near.
NEAR_DAYS = 7

# The step each duty waits for. Deadlines are the enterprise's to meet (complete_rectification) and the
# regulators' to watch (extend_deadline; the 区安委办 records a miss).
_STEPS: dict[Duty, tuple[str, ...]] = {
    Duty.PLAN_DUE: ("file_plan",),
    Duty.DEADLINE_NEAR: ("complete_rectification", "extend_deadline"),
    Duty.DEADLINE_MISSED: ("complete_rectification", "extend_deadline", "record_deadline_miss"),
    Duty.AWAITING_VERIFICATION: ("verify",),
    Duty.AWAITING_CLOSURE: ("close",),
    Duty.LISTING_TO_LIFT: ("lift_supervision",),
    Duty.WARNING_TO_CONFIRM: ("confirm_warning",),
    Duty.SELF_REPORT_DUE: ("report_to_regulator",),
    Duty.REPORT_DUE: ("submit_report",),
}
# A regulator may file a plan for an enterprise, but a plan not yet filed is the enterprise's work.
_ONLY_ENTERPRISES = frozenset({Duty.PLAN_DUE})
# Majors are verified and closed by fewer roles (domain.hazard): the others see the general hazards only.
_MAJOR_ROLES = {Duty.AWAITING_VERIFICATION: MAJOR_VERIFIER_ROLES, Duty.AWAITING_CLOSURE: MAJOR_CLOSER_ROLES}


def duties(actor: Actor) -> list[Duty]:
    """The kinds of work that are this person's, in the order shown."""
    return [
        duty
        for duty in Duty
        if any(actor.role in ACTION_ROLES[step] for step in _STEPS[duty])
        and (duty not in _ONLY_ENTERPRISES or actor.is_enterprise)
    ]


def waiting_state(duty: Duty) -> HazardState:
    """The state a hazard waits in for this duty's step (a duty about hazards)."""
    (state,) = ALLOWED_FROM[_STEPS[duty][0]]
    return state


def grade_for(duty: Duty, actor: Actor) -> Grade | None:
    """The grade of hazards whose step this person may take (None: any)."""
    major_roles = _MAJOR_ROLES.get(duty)
    return Grade.GENERAL if major_roles is not None and actor.role not in major_roles else None


def near_until(today: date) -> date:
    """The last deadline that counts as near."""
    return today + timedelta(days=NEAR_DAYS)
