"""Who may do what, and where: roles per action and the organisational scope of a record.

Enterprises act on their own records only; a department acts within the sectors it leads or on
records assigned to it; a street or the zone within its territory (属地); the safety committee
office (区安委办) everywhere in the district; auditors read only.
"""

from __future__ import annotations

from uuid import UUID

from domain.actor import Actor
from domain.errors import DomainError
from domain.glossary import ACTION_LABELS, Role
from domain.reference_data import ReferenceData

_ENT = frozenset({Role.ENTERPRISE_STAFF, Role.PRINCIPAL})
_REG = frozenset({Role.INSPECTOR, Role.STREET_OFFICER, Role.COMMITTEE_OFFICE})

ACTION_ROLES: dict[str, frozenset[Role]] = {
    "register_enterprise": _REG,
    "change_principal": _REG | {Role.PRINCIPAL},
    "report_hazard": _ENT | _REG,
    "report_to_regulator": _ENT | {Role.COMMITTEE_OFFICE},
    "file_plan": _ENT | _REG,
    "record_progress": _ENT | _REG,
    "attach_evidence": _ENT | _REG | {Role.EXPERT},
    "list_for_supervision": _REG,
    "lift_supervision": _REG,
    "extend_deadline": _REG,
    "mark_deadline_missed": frozenset({Role.SYSTEM, Role.COMMITTEE_OFFICE}),
    "complete_rectification": _ENT,
    "verify": _REG | {Role.EXPERT, Role.PRINCIPAL},
    "close": _REG | {Role.PRINCIPAL},
    "void": _REG,
    "conduct_inspection": _ENT | _REG,
    "record_finding": _ENT | _REG,
    "sign_inspection": _ENT | _REG,
}

# Roles whose acts are not bound to one organisation's records.
_DISTRICT_WIDE = frozenset({Role.COMMITTEE_OFFICE, Role.EXPERT, Role.SYSTEM})


def check_role(actor: Actor, action: str) -> None:
    if actor.role not in ACTION_ROLES[action]:
        raise DomainError(
            "role_not_allowed",
            role=actor.role.value,
            role_zh=actor.role.zh,
            action=action.replace("_", " "),
            action_zh=ACTION_LABELS[action],
        )


def check_scope(
    actor: Actor,
    reference: ReferenceData,
    *,
    enterprise_id: UUID,
    sector: str,
    jurisdiction: str,
    department: str | None = None,
) -> None:
    """Refuses an actor whose organisation is not responsible for this enterprise, sector or territory."""
    if actor.role in _DISTRICT_WIDE:
        return
    org = actor.organisation_id
    if actor.is_enterprise:
        allowed = org == str(enterprise_id)
    else:
        responsible = {jurisdiction, *reference.sector(sector).lead_unit_ids}
        parent = reference.sector(sector).parent
        if parent:
            responsible.update(reference.sector(parent).lead_unit_ids)
        if department:
            responsible.add(department)
        allowed = org in responsible
    if not allowed:
        raise DomainError("outside_scope", organisation=actor.organisation_name or org)
