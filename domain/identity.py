"""Who may claim to be whom: a role belongs to one kind of organisation (an inspector to a department, a
street officer to a street or a zone, …). The rule holds for every way an actor arrives — built-in
accounts, API keys, an OpenID Connect provider's claims and the development X-User-* headers.
"""

from __future__ import annotations

from domain.access import ROLE_ORG_KINDS, check_role_kind
from domain.actor import Actor
from domain.bounds import ORGANISATION_ID, USER_ID
from domain.errors import DomainError
from domain.glossary import OrgKind, Role

PERSON_ROLES = tuple(role for role in ROLE_ORG_KINDS if role != Role.SYSTEM)
"""Every role a person may hold (``Role.SYSTEM`` is no person's); the kinds each belongs to are
``domain/access.py``'s ``ROLE_ORG_KINDS``."""
SECURITY_READERS = frozenset({Role.AUDITOR, Role.ADMIN})
"""Who reads the security events (log-ins, lock-outs, account and key changes)."""

MAX_USER_ID, MAX_ORG_ID = USER_ID, ORGANISATION_ID  # the widths of their columns (domain/bounds.py)
MIN_PASSWORD = 10


def throttle_seconds(failures: int) -> int:
    """How long an account waits after its ``failures``-th failed log-in in a row before the next try (1, 2,
    4, 8 … seconds): guessing is slowed from the first failure; the lock-out comes after a few more."""
    return min(2 ** max(0, failures - 1), 60)


def check_binding(role: Role | str, kind: OrgKind | str) -> tuple[Role, OrgKind]:
    """The role and organisation kind of a person, if the role belongs to that kind; else
    ``role_organisation_mismatch`` (``domain/access.py``)."""
    try:
        role, kind = Role(role), OrgKind(kind)
    except ValueError as exc:
        raise DomainError("invalid_value", field="role", reason=str(exc), reason_zh=f"未知的角色或单位类型：{exc}") from None
    if role not in PERSON_ROLES:
        raise DomainError("invalid_value", field="role", reason="no person's role", reason_zh="不是人员的角色")
    check_role_kind(role, kind)
    return role, kind


def claimed_actor(
    *, user_id: str, name: str, role: str, organisation_id: str, organisation_kind: str, organisation_name: str = ""
) -> Actor:
    """An actor from claims (headers, a token's claims): anything malformed is ``unauthenticated``; a role
    claimed from another kind of organisation is ``role_organisation_mismatch``."""

    def refuse(reason: str, reason_zh: str) -> DomainError:
        return DomainError("unauthenticated", reason=reason, reason_zh=reason_zh)

    if role not in Role.__members__.values() or role == Role.SYSTEM:
        raise refuse(f"unknown role {role!r}", f"未知角色 {role}")
    if organisation_kind not in OrgKind.__members__.values() or organisation_kind == OrgKind.SYSTEM:
        raise refuse(f"unknown organisation kind {organisation_kind!r}", f"未知单位类型 {organisation_kind}")
    if not user_id or not organisation_id:
        raise refuse("no user or organisation id", "缺少用户或单位标识")
    check_binding(role, organisation_kind)  # a role claimed from another kind of organisation: 403
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
