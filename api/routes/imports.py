"""Importing a unit's existing Excel hazard ledger (隐患台账): ``POST /imports`` uploads the workbook (and,
optionally, the unit's column mapping), ``GET /imports/{id}`` reads the record of a stored import.

The import is all or nothing (``app/ledger_import.py``): a ledger with any row refused answers 422
``ledger_rows_refused`` with every row's error (sheet, row, column, code, zh and en message) and stores
nothing; imported again, it adds nothing (200, ``already_imported``).
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, File, Form, Header, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from api.commands import POSITION_HEADER
from api.deps import ServicesDep
from api.identity import CurrentActor
from api.reads import Reads
from api.signing import server_signer
from app.ledger_import import import_ledger

router = APIRouter(tags=["imports"])


class ImportReportOut(BaseModel):
    id: UUID
    file_name: str
    sha256: str
    unit: str
    sheets: list[str]
    rows: int
    hazards_new: int
    hazards_advanced: int
    rows_present: int
    skipped: int
    acts: int
    dry_run: bool
    already_imported: bool
    position: int | None


@router.post("/imports", status_code=201, response_model=ImportReportOut)
async def import_ledger_file(
    actor: CurrentActor,
    services: ServicesDep,
    file: Annotated[UploadFile, File(description="the ledger, an Excel workbook (.xlsx)")],
    unit: Annotated[str | None, Form(max_length=64, description="the unit whose ledger it is; default: the caller's")] = None,
    mapping: Annotated[UploadFile | None, File(description="the unit's column mapping (TOML); default columns otherwise")] = None,
    dry_run: Annotated[bool, Form(description="check every row, store nothing")] = False,
    x_sign_with: Annotated[
        str | None, Header(description="`server-held`: the imported verifications and closures are signed with the caller's key")
    ] = None,
) -> JSONResponse:
    """Import a unit's hazard ledger (隐患台账): each row becomes a hazard with its acts (report, plan,
    completion, verification, closure) at the ledger's dates, the caller as actor; the file's SHA-256 is
    recorded. The unit's own clerks (inspector, street officer) or the 区安委办 import. 201 when stored, 200
    for a dry run or a file already imported; 422 ``ledger_rows_refused`` lists every row refused."""
    content = await file.read()
    mapping_text = (await mapping.read()).decode("utf-8", errors="replace") if mapping is not None else None

    def run() -> dict[str, Any]:
        signer = server_signer(services, actor.user_id, x_sign_with) if x_sign_with else None
        report = import_ledger(
            services.pipeline, content, file_name=file.filename or "", actor=actor, unit=unit,
            mapping_text=mapping_text, dry_run=dry_run, signer=signer,
        )  # fmt: skip
        return report.view()

    body = await run_in_threadpool(run)
    stored = body["position"] is not None
    headers = {POSITION_HEADER: str(body["position"])} if stored else {}
    return JSONResponse(body, status_code=201 if stored else 200, headers=headers)


@router.get("/imports/{import_id}")
def ledger_import_record(import_id: UUID, reads: Reads) -> dict[str, Any]:
    """The record of an import: file name and SHA-256, unit, sheets, counts, who imported it and when. Read by
    the unit and the district roles (404 for anyone else, as for a missing one)."""
    return reads.ledger_import(import_id)
