"""Who may claim to be whom: a role belongs to one kind of organisation (an inspector to a department, a
street officer to a street or a zone, …). The rule holds for every way an actor arrives — built-in
accounts, API keys, an OpenID Connect provider's claims and the development X-User-* headers.
"""

from __future__ import annotations

from domain.actor import Actor
from domain.errors import DomainError
from domain.glossary import OrgKind, Role

ROLE_ORG_KINDS: dict[Role, frozenset[OrgKind]] = {
    Role.INSPECTOR: frozenset({OrgKind.DEPARTMENT}),
    Role.STREET_OFFICER: frozenset({OrgKind.STREET, OrgKind.ZONE}),
    Role.PRINCIPAL: frozenset({OrgKind.ENTERPRISE}),
    Role.ENTERPRISE_STAFF: frozenset({OrgKind.ENTERPRISE}),
    Role.COMMITTEE_OFFICE: frozenset({OrgKind.COMMITTEE_OFFICE}),
    Role.EXPERT: frozenset({OrgKind.EXPERT_BODY}),
    Role.AUDITOR: frozenset({OrgKind.AUDIT_BODY}),
    Role.ADMIN: frozenset({OrgKind.COMMITTEE_OFFICE}),
}
"""Every role a person may hold, and the organisation kinds it belongs to. ``Role.SYSTEM`` is no person's."""

PERSON_ROLES = tuple(ROLE_ORG_KINDS)
SECURITY_READERS = frozenset({Role.AUDITOR, Role.ADMIN})
"""Who reads the security events (log-ins, lock-outs, account and key changes)."""

MAX_USER_ID = 128  # the width of every user_id column
MAX_ORG_ID = 64
MIN_PASSWORD = 10


def check_binding(role: Role | str, kind: OrgKind | str) -> tuple[Role, OrgKind]:
    """The role and organisation kind, if the role belongs to that kind; else ``role_org_kind_mismatch``."""
    try:
        role, kind = Role(role), OrgKind(kind)
    except ValueError as exc:
        raise DomainError("invalid_value", field="role", reason=str(exc), reason_zh=f"未知的角色或单位类型：{exc}") from None
    kinds = ROLE_ORG_KINDS.get(role)
    if kinds is None or kind not in kinds:
        allowed = sorted(kinds or ())
        raise DomainError(
            "role_org_kind_mismatch",
            role=role.value,
            role_zh=role.zh,
            kind=kind.value,
            kind_zh=kind.zh,
            kinds=" or ".join(allowed) or "no organisation",
            kinds_zh="「" + "」或「".join(OrgKind(k).zh for k in allowed) + "」" if allowed else "任何单位",
        )
    return role, kind


def claimed_actor(
    *, user_id: str, name: str, role: str, organisation_id: str, organisation_kind: str, organisation_name: str = ""
) -> Actor:
    """An actor from claims (headers, a token's claims): anything wrong is ``unauthenticated``."""

    def refuse(reason: str, reason_zh: str) -> DomainError:
        return DomainError("unauthenticated", reason=reason, reason_zh=reason_zh)

    if role not in Role.__members__.values() or role == Role.SYSTEM:
        raise refuse(f"unknown role {role!r}", f"未知角色 {role}")
    if organisation_kind not in OrgKind.__members__.values() or organisation_kind == OrgKind.SYSTEM:
        raise refuse(f"unknown organisation kind {organisation_kind!r}", f"未知单位类型 {organisation_kind}")
    if not user_id or not organisation_id:
        raise refuse("no user or organisation id", "缺少用户或单位标识")
    try:
        check_binding(role, organisation_kind)
    except DomainError as exc:
        raise refuse(exc.message_en, exc.message_zh) from None
    return Actor(
        user_id=user_id,
        name=name or user_id,
        role=Role(role),
        organisation_id=organisation_id,
        organisation_kind=OrgKind(organisation_kind),
        organisation_name=organisation_name,
    )


def check_account_fields(user_id: str, organisation_id: str) -> None:
    if not user_id or len(user_id) > MAX_USER_ID or any(c.isspace() or ord(c) < 32 for c in user_id):
        raise DomainError(
            "invalid_value",
            field="user_id",
            reason=f"1 to {MAX_USER_ID} characters, no spaces",
            reason_zh="1 至 128 个字符，不含空白",
        )
    if not organisation_id or len(organisation_id) > MAX_ORG_ID:
        raise DomainError(
            "invalid_value", field="organisation_id", reason=f"1 to {MAX_ORG_ID} characters", reason_zh="1 至 64 个字符"
        )


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise DomainError("password_too_short", min=MIN_PASSWORD)
