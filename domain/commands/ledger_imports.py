"""Commands of ledger imports (隐患台账导入): what a person asks, as typed values."""

from __future__ import annotations

from dataclasses import dataclass

from domain.commands.base import Command


@dataclass(frozen=True, kw_only=True)
class RecordLedgerImport(Command):
    """``LedgerImportApplication.record_import``: the file and what importing it did (``app/ledger_import.py``
    runs the rows' commands first, in the same transaction)."""

    unit: str
    file_name: str
    sha256: str
    sheets: list[str]
    rows: int
    hazards_new: int
    hazards_advanced: int
    rows_present: int
    skipped: int
    acts: int
