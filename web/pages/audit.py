"""/ui/audit: the auditors' pages — the anomaly lists, a person's acts, a hazard's chain of people, and the
Merkle log's latest signed checkpoint with how to verify the log offline.

Each read is the API's with the API's rule: the anomalies ``accountability_queries.anomalies`` for the
unit ``report_unit`` allows (``GET /api/v1/accountability/anomalies``); a person's acts
``accountability_queries.person`` for the organisations ``ScopedReads.person_organisations`` allows; a
hazard's chain after ``ScopedReads.hazard`` (404 outside the scope); the checkpoint for the 区安委办 and
auditors only (``check_audit_reader``, as ``/api/v1/audit/*``).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from audit.note import VerifierKey
from domain.accountability_rules import ANOMALY_LABELS
from domain.errors import DomainError
from domain.read_scope import ScopedReads, check_audit_reader, reads_audit_log, report_unit
from web.pages.annexes import Text, parse_day, unit_choices
from web.render import render
from web.routing import PageRoute
from web.session import PageContext

router = APIRouter(route_class=PageRoute)

# The offline verification, exactly as README.md's "Command line" gives it (tests/browser check they match).
VERIFY_COMMANDS = (
    "hazard-ledger audit public-key",
    "hazard-ledger audit checkpoint --out cp.note",
    "hazard-ledger audit export --out ledger.jsonl",
    "hazard-ledger audit verify --export ledger.jsonl --checkpoint cp.note",
)


@router.get("/audit")
async def anomalies(page: PageContext, kind: Text = "", unit: Text = "", as_of: Text = "") -> Response:
    unit_id = report_unit(page.actor, unit or None)
    chosen_kind = kind if kind in ANOMALY_LABELS else None
    day = parse_day(as_of)
    lists = await run_in_threadpool(page.services.accountability_queries.anomalies, chosen_kind, unit_id, day, None)
    context = {
        "lists": lists, "kinds": ANOMALY_LABELS, "kind": chosen_kind or "", "units": unit_choices(page),
        "unit": unit_id or "", "as_of": lists["as_of"], "audit_reader": reads_audit_log(page.actor),
    }  # fmt: skip
    return render(page.request, "audit/anomalies.html", context, actor=page.actor, area="audit", title="异常清单")


@router.get("/audit/checkpoint")
async def checkpoint(page: PageContext) -> Response:
    check_audit_reader(page.actor)
    audit_log = page.services.audit

    def read() -> tuple[dict[str, Any] | None, str | None]:
        latest = audit_log.checkpoints(1, 0)
        return (latest[0] if latest else None), audit_log.public_key()

    latest, public_key = await run_in_threadpool(read)
    context = {
        "latest": latest, "public_key": public_key,
        "key_id": VerifierKey.parse(public_key).hash.hex() if public_key else None, "commands": VERIFY_COMMANDS,
    }  # fmt: skip
    return render(page.request, "audit/checkpoint.html", context, actor=page.actor, area="audit", title="检查点与离线核验")


@router.get("/audit/people/{user_id}")
async def person(page: PageContext, user_id: str) -> Response:
    reads = ScopedReads(page.services.ledger, page.actor)
    found = await run_in_threadpool(page.services.accountability_queries.person, user_id, reads.person_organisations(user_id))
    title = f"人员履职记录：{'、'.join(found['names'])}"
    return render(page.request, "audit/person.html", {"person": found}, actor=page.actor, area="audit", title=title)


@router.get("/audit/hazards/{hazard_id}")
async def hazard_chain(page: PageContext, hazard_id: str) -> Response:
    try:
        hid = UUID(hazard_id)
    except ValueError:
        raise DomainError("hazard_not_found", id=hazard_id) from None
    reads = ScopedReads(page.services.ledger, page.actor)

    def read() -> dict[str, Any]:
        reads.hazard(hid)  # 404 outside the reader's scope, as GET /api/v1/accountability/hazards/{id}
        return page.services.accountability_queries.hazard_chain(str(hid))

    chain = await run_in_threadpool(read)
    title = f"责任链：{chain['hazard']['description'][:30]}"
    return render(page.request, "audit/chain.html", {"chain": chain}, actor=page.actor, area="audit", title=title)
