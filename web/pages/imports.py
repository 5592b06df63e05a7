"""/ui/imports: a unit's existing Excel hazard ledger (隐患台账) brought in, as ``POST /api/v1/imports`` does
(``app.ledger_import.import_ledger``: every row checked, all or nothing, idempotent by content).

The page offers the units the person may import for (``domain.ledger_import.import_units``); 只检查 checks
every row and stores nothing, 导入 stores. Refused rows are listed in place with their sheet and row, what
was chosen kept; a stored import shows its counts and the file's SHA-256. Signed acts in the ledger
(verifications, closures) are signed with the person's server-held key when they tick the box, as the acts'
forms do (``app.signing``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from app.ledger_import import ImportReport, import_ledger
from app.signing import NO_KEY_ZH, has_server_held_key, server_held_signer
from domain.access import check_role
from domain.errors import DomainError
from domain.ledger_import import IMPORT_ACTION, import_units
from web.forms import SIGN_FIELD, SIGN_LABEL, form_text
from web.render import render
from web.routing import PageRoute
from web.session import CsrfChecked, Page, PageContext

router = APIRouter(route_class=PageRoute)
FILE_FIELD, MAPPING_FIELD, UNIT_FIELD, DRY_RUN_FIELD = "file", "mapping", "unit", "dry_run"


@router.get("/imports")
async def import_form(page: PageContext) -> Response:
    check_role(page.actor, IMPORT_ACTION)  # the domain's refusal (403) rather than a form that cannot succeed
    return await _render(page, {})


@router.post("/imports", dependencies=[CsrfChecked])
async def import_submit(page: PageContext) -> Response:
    check_role(page.actor, IMPORT_ACTION)
    form = await page.request.form()
    chosen = {UNIT_FIELD: form_text(form, UNIT_FIELD), SIGN_FIELD: form_text(form, SIGN_FIELD)}
    sent, mapping = form.get(FILE_FIELD), form.get(MAPPING_FIELD)
    if not isinstance(sent, UploadFile) or not sent.filename:
        return await _render(page, chosen, message="请选择要导入的台账文件（.xlsx）", status_code=422)
    content = await sent.read()
    given_mapping = isinstance(mapping, UploadFile) and bool(mapping.filename)
    mapping_text = (await mapping.read()).decode("utf-8", errors="replace") if given_mapping else None  # type: ignore[union-attr]
    dry_run = bool(form_text(form, DRY_RUN_FIELD))
    actor, services = page.actor, page.services
    signer = await run_in_threadpool(server_held_signer, services.server_held_keys, actor.user_id) if chosen[SIGN_FIELD] else None
    if chosen[SIGN_FIELD] and signer is None:
        return await _render(page, chosen, message=NO_KEY_ZH, status_code=409)

    def run() -> ImportReport:
        return import_ledger(
            services.pipeline, content, file_name=sent.filename or "", actor=actor, unit=chosen[UNIT_FIELD] or None,
            mapping_text=mapping_text, dry_run=dry_run, signer=signer,
        )  # fmt: skip

    try:
        report = await run_in_threadpool(run)
    except DomainError as refused:
        rows = refused.details.get("errors", []) if refused.code == "ledger_rows_refused" else []
        return await _render(page, chosen, message=refused.message_zh, rows=rows, status_code=refused.kind.status)
    return await _render(page, chosen, report=report.view(), file_name=sent.filename)



async def _render(page: Page, chosen: dict[str, str], status_code: int = 200, **shown: Any) -> Response:
    services = page.services
    units = [(u, services.ledger.reference.units[u].name) for u in import_units(page.actor, services.ledger.reference)]
    can_sign = await run_in_threadpool(has_server_held_key, services.server_held_keys, page.actor.user_id)
    context = {
        "units": units, "chosen": chosen, "can_sign": can_sign, "SIGN_FIELD": SIGN_FIELD, "SIGN_LABEL": SIGN_LABEL,
        "FILE_FIELD": FILE_FIELD, "MAPPING_FIELD": MAPPING_FIELD, "UNIT_FIELD": UNIT_FIELD, "DRY_RUN_FIELD": DRY_RUN_FIELD,
        "message": "", "rows": [], "report": None, **shown,
    }  # fmt: skip
    return render(page.request, "imports/form.html", context, actor=page.actor, area="imports", title="导入隐患台账",
                  status_code=status_code)  # fmt: skip
