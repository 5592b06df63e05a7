"""The demo district's log-in accounts (演示账户): one per role, from ``demo/data/accounts.toml``.

Every record read needs an identity, so the demo brings people to log in as: a principal and a member of
staff of an enterprise of the demo with hazards of its own, an inspector of the 区应急管理局, an officer of a
street, the 区安委办, an expert, an auditor and an administrator. ``load_demo(…, auth=…)`` creates them
after the demo's events (an account that exists is left alone). Their passwords are published, so they are
for development only: with ``HAZARD_ENV=production`` the demo refuses to make them (``DemoAccountsRefused``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from app.auth import Authenticator
from demo.tables import EXPERT_BODY
from domain.glossary import OrgKind, Role
from domain.reference_data import ReferenceData

__all__ = [
    "DemoAccount",
    "DemoAccountsRefused",
    "create_demo_accounts",
    "demo_account_rows",
    "demo_accounts",
    "refuse_in_production",
]


class DemoAccountsRefused(RuntimeError):
    """The demo's accounts have published passwords: never in production."""


@dataclass(frozen=True)
class DemoAccount:
    user_id: str
    name: str
    role: Role
    organisation_id: str
    organisation_kind: OrgKind
    organisation_name: str
    password: str  # published (demo/data/accounts.toml, README): development only


def _data() -> dict[str, Any]:
    return tomllib.loads(resources.files("demo").joinpath("data", "accounts.toml").read_text(encoding="utf-8"))


def demo_account_rows() -> list[dict[str, Any]]:
    """The accounts as the data file states them (organisations not yet resolved)."""
    return list(_data()["accounts"])


def refuse_in_production(environment: str) -> None:
    if environment == "production":
        raise DemoAccountsRefused(
            "HAZARD_ENV=production: the demo's accounts have published passwords and are not created "
            "/ 生产环境不创建演示账户（其密码是公开的）"
        )


def demo_accounts(reference: ReferenceData, enterprises: Mapping[str, tuple[str, str]]) -> tuple[DemoAccount, ...]:
    """The accounts with their organisations resolved: ``enterprises`` maps the cast's ``entNN`` to
    (enterprise id, name) for the seed loaded; unit ids are the reference data's."""
    data = _data()
    audit = data["audit_body"]
    accounts = []
    for row in data["accounts"]:
        org = row["organisation"]
        if org in enterprises:
            org_id, kind, name = enterprises[org][0], OrgKind.ENTERPRISE, enterprises[org][1]
        elif org in reference.units:
            unit = reference.units[org]
            org_id, kind, name = unit.id, unit.kind, unit.name
        elif org == EXPERT_BODY[0]:
            org_id, kind, name = EXPERT_BODY[0], OrgKind.EXPERT_BODY, EXPERT_BODY[1]
        elif org == audit["id"]:
            org_id, kind, name = audit["id"], OrgKind.AUDIT_BODY, audit["name"]
        else:
            raise ValueError(f"demo/data/accounts.toml: {row['user_id']}: unknown organisation {org!r}")
        accounts.append(DemoAccount(row["user_id"], row["name"], Role(row["role"]), org_id, kind, name, row["password"]))
    return tuple(accounts)


def create_demo_accounts(auth: Authenticator, accounts: tuple[DemoAccount, ...], by: str = "demo") -> tuple[DemoAccount, ...]:
    """Adds each account that does not exist yet (refused in production); returns the ones added."""
    refuse_in_production(auth.settings.environment)
    added = []
    for a in accounts:
        if auth.store.user(a.user_id) is not None:
            continue
        auth.add_user(
            a.user_id, a.name, a.role.value, a.organisation_id, a.organisation_kind.value, a.organisation_name, a.password, by
        )
        added.append(a)
    return tuple(added)
