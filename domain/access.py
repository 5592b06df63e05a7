"""Who may do what, and where: roles per action and the organisational scope of a record.

Enterprises act on their own records only; a department acts within the sectors it leads or on
records assigned to it; a street or the zone within its territory (属地); the safety committee
office (区安委办) everywhere in the district; auditors read only.
"""

from __future__ import annotations

from uuid import UUID

from domain.actor import Actor
from domain.errors import DomainError
from domain.glossary import ACTION_LABELS, OrgKind, Role
from domain.reference_data import ReferenceData

_ENT = frozenset({Role.ENTERPRISE_STAFF, Role.PRINCIPAL})
_REG = frozenset({Role.INSPECTOR, Role.STREET_OFFICER, Role.COMMITTEE_OFFICE})

ACTION_ROLES: dict[str, frozenset[Role]] = {
    "register_enterprise": _REG,
    # a unit's hazard ledger (隐患台账): its own clerks or the 区安委办 (domain/ledger_import.check_may_import)
    "import_ledger": _REG,
    "change_principal": _REG | {Role.PRINCIPAL},
    "report_hazard": _ENT | _REG,
    "report_to_regulator": _ENT | {Role.COMMITTEE_OFFICE},
    "file_plan": _ENT | _REG,
    "record_progress": _ENT | _REG,
    "attach_evidence": _ENT | _REG | {Role.EXPERT},
    "list_for_supervision": _REG,
    "lift_supervision": _REG,
    "extend_deadline": _REG,
    # 申请延期: the enterprise asks; whoever may extend (the supervising unit, within scope) decides
    "request_extension": _ENT,
    "approve_extension": _REG,
    "refuse_extension": _REG,
    "record_deadline_miss": frozenset({Role.COMMITTEE_OFFICE}),
    "complete_rectification": _ENT,
    # verification: never by the enterprise whose work is verified (Hazard.verify also refuses anyone of
    # the claimer's organisation); a major only by MAJOR_VERIFIER_ROLES. Closing: regulators, and the
    # principal a general hazard only (Hazard.close refuses an enterprise closing a major).
    "verify": _REG | {Role.EXPERT},
    "close": _REG | {Role.PRINCIPAL},
    "void": _REG,
    "conduct_inspection": _ENT | _REG,
    "record_finding": _ENT | _REG,
    "sign_inspection": _ENT | _REG,
    # accidents, risk points, outstanding problems, work logs, spot checks: accidents are recorded by
    # regulators; only the committee office records a listing (it drives the veto flags); the enterprise
    # may fill its own risk point's basic and emergency lists, regulators all four (the form is theirs).
    "report_accident": _REG,
    "list_accident": frozenset({Role.COMMITTEE_OFFICE}),
    "conclude_investigation": frozenset({Role.INSPECTOR, Role.COMMITTEE_OFFICE}),
    "register_risk_point": _ENT | _REG,
    "list_basic_info": _ENT | _REG,
    "list_responsibility": _REG,
    "list_control_measures": _REG,
    "list_emergency": _ENT | _REG,
    "identify_problem": _REG,
    "adopt_root_cause_measure": _REG,
    "rectify_problem": _REG,
    "record_activity": _REG,
    "record_deficiencies": _REG,
    # end accidents, risk points, outstanding problems, work logs, spot checks
    # enforcement: regulators open and decide cases and may mark a repeat offender by hand (the detector's
    # recommendation is derived, domain/process_rules.py); publication batches by the office and inspectors.
    "open_case": _REG,
    "decide_penalty": _REG,
    "impose_dual_penalty": _REG,
    "order_suspension": _REG,
    "lift_suspension": _REG,
    "suspend_or_revoke_licence": _REG,
    "request_closure": _REG,
    "order_closure": _REG,
    "apply_industry_ban": _REG,
    "transfer_to_judiciary": _REG,
    "apply_joint_punishment": _REG,
    "interview_enterprise": _REG,
    "expose_case": _REG,
    "publish_as_typical": _REG,
    "recommend_closure": _REG,
    "close_case": _REG,
    "publish_batch": frozenset({Role.COMMITTEE_OFFICE, Role.INSPECTOR}),
    # end enforcement
    # warnings (分级警示): the ladder (system) or the safety committee office proposes; the office
    # alone confirms or dismisses.
    "propose_warning": frozenset({Role.COMMITTEE_OFFICE}),
    "confirm_warning": frozenset({Role.COMMITTEE_OFFICE}),
    "dismiss_warning": frozenset({Role.COMMITTEE_OFFICE}),
    # end warnings
    # report submissions (报表报送): a unit's own staff submit its report, the 区安委办 the district's
    # (services/reports.py checks which); auditors and enterprises read only.
    "submit_report": frozenset({Role.INSPECTOR, Role.STREET_OFFICER, Role.COMMITTEE_OFFICE}),
    # end report submissions
    # signatures (key registry): the 区安委办 enrols and revokes signing keys; the key's owner may also
    # revoke their own key (services/signing_keys.py checks that).
    "enrol_key": frozenset({Role.COMMITTEE_OFFICE}),
    # a server-held key (the server signs with it) is made only for the acting person themself
    # (services/signing_keys.py checks that the key's user is the actor); auditors and the system sign nothing.
    "enrol_own_server_held_key": _ENT | _REG | {Role.EXPERT},
    "revoke_key": frozenset({Role.COMMITTEE_OFFICE}),
    # end signatures
    # accountability (责任倒查、追责问责): the 区安委办 or a department's inspectors record who is held
    # accountable; auditors read the trail.
    "pursue_accountability": frozenset({Role.COMMITTEE_OFFICE, Role.INSPECTOR}),
    # end accountability
    # official documents (文书): a regulator issues and records delivery (domain/document.py narrows the
    # kinds: the warning letters are the 区安委办's); the addressee or the issuing unit records the receipt.
    "issue_document": _REG,
    "deliver_document": _REG,
    "receive_document": _ENT | _REG,
    # end official documents
}

# The organisation kinds each role belongs to: a role acts only from an organisation of its kind
# (an inspector from a department, a street officer from a street or the zone, …).
ROLE_ORG_KINDS: dict[Role, frozenset[OrgKind]] = {
    Role.INSPECTOR: frozenset({OrgKind.DEPARTMENT}),
    Role.STREET_OFFICER: frozenset({OrgKind.STREET, OrgKind.ZONE}),
    Role.PRINCIPAL: frozenset({OrgKind.ENTERPRISE}),
    Role.ENTERPRISE_STAFF: frozenset({OrgKind.ENTERPRISE}),
    Role.COMMITTEE_OFFICE: frozenset({OrgKind.COMMITTEE_OFFICE}),
    Role.EXPERT: frozenset({OrgKind.EXPERT_BODY}),
    Role.AUDITOR: frozenset({OrgKind.AUDIT_BODY}),
    Role.ADMIN: frozenset({OrgKind.COMMITTEE_OFFICE}),  # 系统管理员: accounts and keys, no record
    Role.SYSTEM: frozenset({OrgKind.SYSTEM}),
}


def check_role_organisation(actor: Actor) -> None:
    """Refuses an actor whose role does not belong to their organisation's kind (``role_organisation_mismatch``):
    e.g. ``committee_office`` claimed from an enterprise would otherwise act district-wide. ``Ledger.execute``
    runs it for every command, and ``check_role`` for every service call."""
    check_role_kind(actor.role, actor.organisation_kind)


def check_role_kind(role: Role, kind: OrgKind) -> None:
    """The one rule of which organisation kinds a role belongs to: for commands, accounts, API keys, a
    provider's claims and headers alike."""
    if kind not in ROLE_ORG_KINDS[role]:
        raise DomainError(
            "role_organisation_mismatch",
            role=role.value,
            role_zh=role.zh,
            organisation_kind=kind.value,
            organisation_kind_zh=kind.zh,
            expected=", ".join(sorted(k.value for k in ROLE_ORG_KINDS[role])),
            expected_zh="、".join(k.zh for k in sorted(ROLE_ORG_KINDS[role])),
        )


# Roles whose acts are not bound to one organisation's records.
_DISTRICT_WIDE = frozenset({Role.COMMITTEE_OFFICE, Role.EXPERT, Role.SYSTEM})


def may_act(role: Role, action: str) -> bool:
    """Whether ``role`` may perform ``action`` at all (before scope and state): the one role rule, asked by
    ``check_role`` for every command and by the pages to offer only the acts a person may do."""
    return role in ACTION_ROLES[action]


def check_role(actor: Actor, action: str) -> None:
    check_role_organisation(actor)
    if not may_act(actor.role, action):
        raise DomainError(
            "role_not_allowed",
            role=actor.role.value,
            role_zh=actor.role.zh,
            action=action.replace("_", " "),
            action_zh=ACTION_LABELS[action],
        )


def registered_scope(field: str, given: str | None, registered: str) -> str:
    """The scope of a new record about an enterprise: its REGISTERED sector or territory (属地). A client may
    repeat the registered value; a differing one is refused (``scope_not_registered``, 422) rather than
    silently ignored, so a caller never believes a record landed where it did not — and an inspector or a
    street officer cannot place another unit's enterprise in their own scope by naming their own sector or
    territory."""
    if given is not None and given.strip() and given.strip() != registered:
        raise DomainError("scope_not_registered", field=field, given=given, registered=registered)
    return registered


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


# ----- personal data on forms anyone may read ----------------------------------------------------

# Who may read the personal phone numbers of Annex 3 and of submitted figures (the others see 185********).
PHONE_READERS = frozenset({Role.INSPECTOR, Role.STREET_OFFICER, Role.COMMITTEE_OFFICE, Role.AUDITOR})
PHONE_FIELDS = ("department_phone", "principal_phone")


def phones_visible(reader: Actor | None) -> bool:
    return reader is not None and reader.role in PHONE_READERS


def mask_phone(phone: str) -> str:
    """185******** — the one masking rule for personal phone numbers."""
    digits = phone.strip()
    return digits[:3] + "*" * max(0, len(digits) - 3) if digits else ""


def mask_phones(rows: list[dict[str, object]]) -> None:
    """Rows as a reader without the right sees them, in place."""
    for row in rows:
        for key in PHONE_FIELDS:
            value = row.get(key)
            if isinstance(value, str):
                row[key] = mask_phone(value)
