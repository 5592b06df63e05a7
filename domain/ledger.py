"""The hazard ledger: one event-sourced application with the commands of every area.

Every command either appends events or raises a ``DomainError``; a refused command appends nothing.
Queries return plain dicts (``domain/views.py``), never aggregates.
"""

from __future__ import annotations

from domain.services.core import Receipt
from domain.services.enterprises import EnterpriseCommands
from domain.services.hazards import HazardCommands
from domain.services.inspections import InspectionCommands

__all__ = ["HazardLedger", "Receipt"]


class HazardLedger(HazardCommands, InspectionCommands, EnterpriseCommands):
    """事故隐患台账. The name fixes the event store's table names: never change it."""

    name = "HazardLedger"
