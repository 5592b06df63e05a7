"""The forms of the acts (web/forms.py): one GET and one POST handler for all of them.

GET shows the act's form for the record as the person may read it (404 outside their scope, as the API),
with the record's version and a fresh idempotency key in hidden fields. POST reads the form, builds the
act's command and runs it through the one command pipeline (``services.pipeline``, as ``api/commands.py``
does): the version is the If-Match (someone else's change in between is refused, ``version_conflict``) and
the key makes a double submit append once. A refusal is shown in place, what was typed kept; a success goes
to the page of the record the command answered with.

Every form has the act's business time (发生时间, ``web.forms.OCCURRED_AT``: the command's ``occurred_at``). A
signed act's form offers, to a person with a server-held key, to sign with it (``app.signing``, as the API's
``X-Sign-With: server-held``); unticked, the act is sent without a personal signature.
"""

from __future__ import annotations

import hashlib
from typing import Any
from uuid import UUID, uuid4

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from app.pipeline import CommandContext, Outcome, fingerprint
from app.signing import NO_KEY_ZH, has_server_held_key, server_held_signer
from domain.access import check_role
from domain.bounds import SHORT_TEXT
from domain.commands.base import Command, RecordCommand
from domain.commands.hazards import AttachEvidence
from domain.errors import DomainError
from domain.read_scope import ScopedReads, read_scope
from domain.signatures import ServerHeldSigner
from web.forms import OCCURRED_AT, OCCURRED_AT_REFUSALS, SIGN_FIELD, SIGN_LABEL, Act, FieldError, Upload, find_act, form_text
from web.render import render
from web.routing import PageRoute
from web.session import CsrfChecked, Page, PageContext

router = APIRouter(route_class=PageRoute)
VERSION_FIELD = "version"
KEY_FIELD = "idempotency_key"


class Refused(Exception):
    """What stops a submission before or inside the pipeline: a message, and the fields it is about."""

    def __init__(self, status: int, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.fields = status, message, fields or {}


@router.get("/acts/{key}")
async def new_record_form(page: PageContext, key: str) -> Response:
    return await show(page, None, None, key)


@router.get("/{records}/{record_id}/acts/{key}")
async def record_form(page: PageContext, records: str, record_id: str, key: str) -> Response:
    return await show(page, records, record_id, key)


@router.post("/acts/{key}", dependencies=[CsrfChecked])
async def new_record_submit(page: PageContext, key: str) -> Response:
    return await submit(page, None, None, key)


@router.post("/{records}/{record_id}/acts/{key}", dependencies=[CsrfChecked])
async def record_submit(page: PageContext, records: str, record_id: str, key: str) -> Response:
    return await submit(page, records, record_id, key)


async def _target(page: Page, records: str | None, record_id: str | None, key: str) -> tuple[Act, dict[str, Any] | None]:
    """The act and its record, as this person may read it; the domain's refusal when their role may not act."""
    act = find_act(records, key)
    if act is None:
        raise DomainError("record_not_found", id=key)
    check_role(page.actor, act.action)  # the domain's own refusal (403), not a form that cannot succeed
    if act.on is None:
        return act, None
    try:
        rid = UUID(str(record_id))
    except ValueError:
        raise DomainError("record_not_found", id=record_id) from None
    return act, await run_in_threadpool(act.on.read, ScopedReads(page.services.ledger, page.actor), rid)


async def show(page: Page, records: str | None, record_id: str | None, key: str) -> Response:
    act, record = await _target(page, records, record_id, key)
    version = str(record["version"]) if record else ""
    return await _render(page, act, record, typed={}, version=version, key=uuid4().hex)


async def submit(page: Page, records: str | None, record_id: str | None, key: str) -> Response:
    act, record = await _target(page, records, record_id, key)
    form = await page.request.form()
    typed = {f.name: [v for v in form.getlist(f.name) if isinstance(v, str)] for f in act.form_fields}
    if act.signed:
        typed[SIGN_FIELD] = ["1"] if form_text(form, SIGN_FIELD) else []
    version, idempotency_key = form_text(form, VERSION_FIELD), _key(form)
    try:
        values = _values(act, form)
        signer = await _signer(page) if typed.get(SIGN_FIELD) else None
        upload = await _upload(values.pop(act.attach, None)) if act.attach else None
        outcome = await _run(page, act.command(record, values, signer), typed, version, idempotency_key)
        if upload is not None:
            await _attach(page, outcome, upload, idempotency_key)
    except (Refused, DomainError) as stop:
        refused = stop if isinstance(stop, Refused) else _refusal(stop)
        context = {"message": refused.message, "errors": refused.fields}
        return await _render(page, act, record, typed, version, idempotency_key, refused.status, **context)
    return RedirectResponse(f"{act.lands.page(outcome.id)}?done={act.key}", status_code=303)


def _values(act: Act, form: FormData) -> dict[str, Any]:
    """The command's values from the form; what cannot be read is refused field by field."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field in act.form_fields:
        try:
            value = field.parse(form.getlist(field.name))
        except FieldError as exc:
            errors[field.name] = str(exc)
            continue
        if value is None and field.required:
            errors[field.name] = f"请填写「{field.label}」"
        elif value is not None:
            values[field.name] = value
    if errors:
        raise Refused(422, "请更正下面标出的内容", errors)
    return values


async def _signer(page: Page) -> ServerHeldSigner:
    """The person's server-held key signing now (the API's ``X-Sign-With: server-held``)."""
    signer = await run_in_threadpool(server_held_signer, page.services.server_held_keys, page.actor.user_id)
    if signer is None:
        raise Refused(409, NO_KEY_ZH, {SIGN_FIELD: NO_KEY_ZH})
    return signer


async def _upload(sent: UploadFile | None) -> Upload | None:
    if sent is None:
        return None
    return Upload(sent.filename or "photo", sent.content_type or "application/octet-stream", await sent.read())


async def _run(page: Page, command: Command, typed: dict[str, list[str]], version: str, key: str) -> Outcome:
    """The command through the pipeline, as the API runs it: actor, If-Match, idempotency key, fingerprint."""
    expected = None
    if isinstance(command, RecordCommand):  # a form without the version it was made from would overwrite blindly
        if not version.isdigit() or len(version) > 18:
            raise Refused(409, DomainError("version_conflict", expected="?", actual="?").message_zh)
        expected = int(version)
    asked = fingerprint("POST", page.request.url.path, typed)
    return await _execute(page, command, CommandContext(page.actor, expected, key, asked))


async def _attach(page: Page, outcome: Outcome, upload: Upload, key: str) -> None:
    """The photo, attached to the hazard the act landed on as the API's evidence is (its own command, its
    own key: a resubmitted form replays the act and attaches a photo that failed the first time)."""
    digest = hashlib.sha256(upload.content).hexdigest()
    command = AttachEvidence(
        hazard_id=outcome.id, file_name=upload.file_name, media_type=upload.media_type, content=upload.content
    )
    asked = fingerprint("POST", f"{page.request.url.path}#evidence", {"sha256": digest})
    await _execute(page, command, CommandContext(page.actor, None, f"{key}:evidence", asked))


async def _execute(page: Page, command: Command, ctx: CommandContext) -> Outcome:
    return await run_in_threadpool(page.services.pipeline.execute, command, ctx)  # type: ignore[no-any-return]


def _refusal(exc: DomainError) -> Refused:
    """The domain's refusal in its own Chinese words; the fields it names (``field``, ``fields``) marked too."""
    if exc.code in OCCURRED_AT_REFUSALS:  # the business time typed: said next to it
        return Refused(exc.kind.status, exc.message_zh, {OCCURRED_AT.name: exc.message_zh})
    named = exc.details.get("fields") or [exc.details.get("field")]
    hint = exc.details.get("reason_zh") or "请补充此项"
    return Refused(exc.kind.status, exc.message_zh, {str(name): hint for name in named if name})



def _key(form: FormData) -> str:
    """The form's idempotency key (made when the form was shown); a form without one gets its own."""
    key = form_text(form, KEY_FIELD)
    return key if 0 < len(key) <= SHORT_TEXT and key.isprintable() else uuid4().hex


async def _render(
    page: Page,
    act: Act,
    record: dict[str, Any] | None,
    typed: dict[str, list[str]],
    version: str,
    key: str,
    status_code: int = 200,
    message: str = "",
    errors: dict[str, str] | None = None,
) -> Response:
    enterprises: list[dict[str, Any]] = []
    if any(f.kind == "enterprise" for f in act.fields):  # the enterprises this person may see
        scope = read_scope(page.actor, page.services.ledger.reference)
        enterprises = await run_in_threadpool(page.services.registers.enterprises, 500, 0, scope)
    document_kinds = []
    if record is not None and any(f.kind == "document_kind" for f in act.fields):  # what the domain allows now
        document_kinds = await run_in_threadpool(page.services.ledger.documents.issuable, page.actor, UUID(str(record["id"])))
    can_sign = act.signed and await run_in_threadpool(has_server_held_key, page.services.server_held_keys, page.actor.user_id)
    context = {
        "act": act, "record": record, "typed": typed, "version": version, "key": key, "message": message,
        "errors": errors or {}, "enterprises": enterprises, "document_kinds": document_kinds,
        "VERSION_FIELD": VERSION_FIELD, "KEY_FIELD": KEY_FIELD,
        "can_sign": can_sign, "SIGN_FIELD": SIGN_FIELD, "SIGN_LABEL": SIGN_LABEL,
        "record_title": act.on.title(record) if act.on and record else "",
        "back": act.on.page(record["id"]) if act.on and record else "/ui/hazards",
    }  # fmt: skip
    title = act.label
    area = act.on.area if act.on else "hazards"
    return render(page.request, "acts/form.html", context, actor=page.actor, area=area, title=title, status_code=status_code)
