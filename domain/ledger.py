"""The hazard ledger: one event-sourced application with the commands of every area.

Every command either appends events or raises a ``DomainError``; a refused command appends nothing.
Queries return plain dicts (``domain/views.py``), never aggregates.
"""

from __future__ import annotations

from domain.services.accidents import AccidentCommands  # accidents, risks, work logs
from domain.services.accountability import AccountabilityCommands  # accountability (责任倒查)
from domain.services.core import Receipt
from domain.services.enforcement import EnforcementCommands  # enforcement
from domain.services.enterprises import EnterpriseCommands
from domain.services.hazards import HazardCommands
from domain.services.inspections import InspectionCommands
from domain.services.reports import ReportCommands  # report submissions (报表报送)
from domain.services.risks import RiskCommands  # accidents, risks, work logs
from domain.services.signing_keys import SigningKeyCommands  # personal signatures: the key registry
from domain.services.warnings import WarningCommands  # warnings (分级警示)
from domain.services.work_logs import WorkLogCommands  # accidents, risks, work logs

__all__ = ["HazardLedger", "Receipt"]


class HazardLedger(
    HazardCommands,
    InspectionCommands,
    EnterpriseCommands,
    EnforcementCommands,
    AccidentCommands,  # accidents, risks, work logs
    RiskCommands,
    WorkLogCommands,
    WarningCommands,  # warnings (分级警示)
    ReportCommands,  # report submissions (报表报送)
    SigningKeyCommands,  # personal signatures: the key registry
    AccountabilityCommands,  # accountability (责任倒查、追责问责)
):
    """事故隐患台账. The name fixes the event store's table names: never change it."""

    name = "HazardLedger"
