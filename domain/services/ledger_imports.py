"""Ledger imports (隐患台账导入): the record of which file a unit's clerk imported and what it added."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from domain.actor import Actor
from domain.enterprise import Enterprise
from domain.errors import DomainError
from domain.hazard import Hazard
from domain.ledger_import import LedgerImport, RegisteredEnterprise, Stage, check_may_import
from domain.services.core import LedgerCore, Receipt
from domain.views import plain


class LedgerImportApplication(LedgerCore):
    def record_import(
        self,
        actor: Actor,
        *,
        unit: str,
        file_name: str,
        sha256: str,
        sheets: list[str],
        rows: int,
        hazards_new: int,
        hazards_advanced: int,
        rows_present: int,
        skipped: int,
        acts: int,
        occurred_at: datetime | None = None,
    ) -> Receipt:
        when = self._when(occurred_at)
        check_may_import(actor, unit, self.reference)
        record = LedgerImport(
            actor=actor, occurred_at=when, unit=unit, file_name=file_name.strip(), sha256=sha256.lower(), sheets=sheets,
            rows=rows, hazards_new=hazards_new, hazards_advanced=hazards_advanced, rows_present=rows_present,
            skipped=skipped, acts=acts,
        )  # fmt: skip
        return self._create(record, "ledger_import_exists", file_name=file_name)

    def ledger_import(self, import_id: UUID) -> dict[str, Any]:
        record = self._load(LedgerImport, import_id)
        return {
            "id": str(record.id),
            "version": record.version,
            "unit": record.unit,
            "unit_name": self.reference.units[record.unit].name,
            "file_name": record.file_name,
            "sha256": record.sha256,
            "sheets": list(record.sheets),
            **plain(record.counts),
            "imported_by": plain(record.imported_by),
            "imported_at": plain(record.imported_at),
        }

    def exists(self, import_id: UUID) -> bool:
        return self._stored(import_id)  # its id derives from the unit and the file's SHA-256: nothing else has it

    def enterprises(self) -> list[RegisteredEnterprise]:
        """Every registered enterprise, from the log (a name never changes after registration)."""
        return [
            RegisteredEnterprise(e.originator_id, e.credit_code, e.name)
            for e in self.events_of_type(Enterprise.EnterpriseRegistered)  # type: ignore[attr-defined]
        ]

    def hazard_stage(self, hazard_id: UUID) -> Stage | None:
        """How far the hazard is (as stored, or as the commands of this unit of work left it); None: not in."""
        try:
            return Stage.of(self._load(Hazard, hazard_id).state)
        except DomainError:
            return None
