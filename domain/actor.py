"""Who acted: every event carries the actor (user id, printed name, role, organisation)."""

from __future__ import annotations

from dataclasses import dataclass

from domain.glossary import OrgKind, Role


@dataclass(frozen=True)
class Actor:
    user_id: str
    name: str
    role: Role
    organisation_id: str
    organisation_kind: OrgKind
    organisation_name: str = ""

    def __post_init__(self) -> None:
        # Coerce plain strings (decoded events, HTTP headers) to the vocabulary.
        object.__setattr__(self, "role", Role(self.role))
        object.__setattr__(self, "organisation_kind", OrgKind(self.organisation_kind))

    @property
    def is_enterprise(self) -> bool:
        return self.role in (Role.ENTERPRISE_STAFF, Role.PRINCIPAL)

    def describe(self) -> str:
        """`张三（执法人员，区应急管理局）` — how a person appears in a timeline."""
        org = self.organisation_name or self.organisation_id
        return f"{self.name}（{self.role.zh}，{org}）"


SYSTEM_ACTOR = Actor(
    user_id="system",
    name="系统",
    role=Role.SYSTEM,
    organisation_id="system",
    organisation_kind=OrgKind.SYSTEM,
    organisation_name="隐患台账系统",
)
