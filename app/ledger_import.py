"""Importing a unit's existing hazard ledger (隐患台账) from Excel, through the one command pipeline.

``import_ledger`` reads the workbook (``adapters/ledger_workbook.py``), reads every row by the rules of
``domain/ledger_import.py`` and runs each row's commands — report, plan, completion, verification,
closure, each dated by the ledger's own dates (``occurred_at``) and checked by every rule of the domain,
the importing clerk as actor — then records the import (``LedgerImported``: the file's name and SHA-256,
the unit, the counts, who).

**All or nothing, in one transaction.** The commands run in ``CommandPipeline.together``: each is
checked as it runs and sees what the rows before it did, but nothing is stored until every row has been
tried. If any row is refused — a cell that does not read, an enterprise not found, a rule of the domain
— the error names its sheet and row, every other row is still tried so that the clerk gets the whole
list, and nothing at all is stored. If every row passes, all their events and the import's record go
into the event store in ONE database transaction: a failure while storing (the database gone, a
concurrent change to one of the hazards) leaves nothing behind, never half a ledger.

**Idempotent.** A row's hazard has an id derived from the unit, the enterprise, the discovery date and
the description, and only the acts it lacks are run: importing the same file again adds nothing
(``already_imported``); a later copy of the ledger, overlapping the first, adds its new rows and the
new acts (completions, verifications) of rows already in. Two imports of one file at once: the second
to commit fails on the first's records, and a re-run adds nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

from adapters.ledger_workbook import read_workbook
from app.pipeline import CommandPipeline
from domain.actor import Actor
from domain.commands.base import Command
from domain.commands.hazards import CloseHazard, VerifyRectification
from domain.commands.ledger_imports import RecordLedgerImport
from domain.errors import DomainError
from domain.glossary import OrgKind
from domain.ledger_import import (
    DataRow,
    EnterpriseIndex,
    ImportCounts,
    RowError,
    RowKind,
    check_may_import,
    default_source,
    hazard_rows,
    ledger_hazard_id,
    ledger_import_id,
    load_mapping,
    row_acts,
    row_errors,
)
from domain.signatures import ServerHeldSigner


@dataclass(frozen=True)
class ImportReport:
    import_id: UUID
    file_name: str
    sha256: str
    unit: str
    sheets: tuple[str, ...]
    counts: ImportCounts
    dry_run: bool
    already_imported: bool  # the same file was imported for the unit before: nothing was added
    position: int | None  # the log position the import reached (None: nothing stored)

    def view(self) -> dict[str, Any]:
        return {
            "id": str(self.import_id), "file_name": self.file_name, "sha256": self.sha256, "unit": self.unit,
            "sheets": list(self.sheets), "rows": self.counts.rows, "hazards_new": self.counts.hazards_new,
            "hazards_advanced": self.counts.hazards_advanced, "rows_present": self.counts.rows_present,
            "skipped": self.counts.skipped, "acts": self.counts.acts, "dry_run": self.dry_run,
            "already_imported": self.already_imported, "position": self.position,
        }  # fmt: skip


def import_ledger(
    pipeline: CommandPipeline,
    content: bytes,
    *,
    file_name: str,
    actor: Actor,
    unit: str | None = None,
    mapping_text: str | None = None,
    dry_run: bool = False,
    signer: ServerHeldSigner | None = None,
) -> ImportReport:
    """Imports the ledger in ``content`` (an .xlsx file) for ``unit`` (default: the actor's own), or raises
    ``ledger_rows_refused`` with every row's error and stores nothing. ``dry_run``: every check, nothing stored.
    ``signer``: signs the verifications and closures (where the deployment requires signatures)."""
    ledger = pipeline.ledger
    unit = unit or actor.organisation_id
    check_may_import(actor, unit, ledger.reference)  # before the file is even read
    mapping = load_mapping(mapping_text)
    sha256 = hashlib.sha256(content).hexdigest()
    import_id = ledger_import_id(unit, sha256)
    already = ledger.ledger_imports.exists(import_id)
    index = EnterpriseIndex(ledger.ledger_imports.enterprises())
    unit_kind = ledger.reference.units[unit].kind
    department = unit if unit_kind is OrgKind.DEPARTMENT else None
    source = default_source(unit_kind)
    counts, errors, sheets = ImportCounts(), list[RowError](), dict[str, None]()
    with pipeline.together(actor) as batch:

        def _import_row(item: DataRow) -> dict[str, int]:
            row = item.read()
            enterprise = index.find(row)
            stored = ledger.ledger_imports.hazard_stage(ledger_hazard_id(unit, enterprise.id, row.discovered, row.description))
            acts = row_acts(row, unit=unit, enterprise=enterprise, department=department, stored=stored, source=source,
                            mapping=mapping)  # fmt: skip
            for command in acts.commands:
                batch.execute(_signed(command, signer))
            done = "rows_present" if not acts.commands else "hazards_new" if stored is None else "hazards_advanced"
            return {done: 1, "acts": len(acts.commands)}

        for item in hazard_rows(read_workbook(content), mapping):
            if isinstance(item, RowKind):
                counts = counts.plus(skipped=1)
            elif isinstance(item, RowError):
                errors.append(item)
            else:
                sheets[item.sheet] = None
                try:
                    counts = counts.plus(rows=1, **_import_row(item))
                except RowError as exc:
                    errors.append(exc)
                except DomainError as exc:  # a rule of the domain refused one of the row's acts
                    errors.append(RowError(item.sheet, item.row, "", exc))

        if errors:
            raise row_errors(errors)  # leaving the block by raising stores nothing
        if not sheets:
            raise DomainError("ledger_no_header")
        if already and counts.acts == 0:
            batch.discard()
        else:
            batch.execute(RecordLedgerImport(
                unit=unit, file_name=file_name, sha256=sha256, sheets=list(sheets), rows=counts.rows,
                hazards_new=counts.hazards_new, hazards_advanced=counts.hazards_advanced, rows_present=counts.rows_present,
                skipped=counts.skipped, acts=counts.acts,
            ))  # fmt: skip
        if dry_run:
            batch.discard()
    position = batch.stored.position if batch.stored is not None else None
    nothing_new = already and counts.acts == 0
    return ImportReport(import_id, file_name, sha256, unit, tuple(sheets), counts, dry_run, nothing_new, position)


def _signed(command: Command, signer: ServerHeldSigner | None) -> Command:
    if signer is not None and isinstance(command, VerifyRectification | CloseHazard):
        return replace(command, signature=signer)
    return command
