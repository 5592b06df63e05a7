"""Commands of enterprises (生产经营单位): what a person asks, as typed values."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.commands.base import Command, RecordCommand


@dataclass(frozen=True, kw_only=True)
class RegisterEnterprise(Command):
    """``EnterpriseApplication.register_enterprise``."""

    credit_code: str
    name: str
    sector: str
    jurisdiction: str
    principal_name: str
    address: str = ""
    high_risk: bool = False


@dataclass(frozen=True, kw_only=True)
class ChangePrincipal(RecordCommand):
    """``EnterpriseApplication.change_principal``."""

    enterprise_id: UUID
    principal_name: str
