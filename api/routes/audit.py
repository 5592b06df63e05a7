"""The Merkle log over HTTP: signed checkpoints, inclusion and consistency proofs (RFC 9162).

Anyone holding a checkpoint and the log's public key (`hazard-ledger audit public-key`) can check
that an event is in the log (inclusion proof) and that the log only grew since (consistency proof).
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import PlainTextResponse

from api.deps import Limit, Offset, ServicesDep
from api.identity import CurrentActor
from api.problems import ApiProblem
from audit.log import ProofError
from domain.actor import Actor
from domain.read_scope import check_audit_reader


async def audit_reader(actor: CurrentActor) -> Actor:
    """The Merkle log is read by the 区安委办 and auditors only (domain.read_scope)."""
    check_audit_reader(actor)
    return actor


router = APIRouter(prefix="/audit", tags=["audit"], dependencies=[Depends(audit_reader)])


def _bad(exc: ProofError) -> ApiProblem:
    return ApiProblem(400, "audit_out_of_range", "请求的位置或树规模超出默克尔日志范围", str(exc))


@router.get("/checkpoints")
def checkpoints(
    services: ServicesDep,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Signed checkpoints (tree size, root hash, time, signed note), newest first; and the public key."""
    audit = services.audit
    return {"public_key": audit.public_key(), "items": audit.checkpoints(limit, offset)}


@router.get("/checkpoints/latest", response_class=PlainTextResponse)
def latest_checkpoint(services: ServicesDep) -> PlainTextResponse:
    """The latest checkpoint as a C2SP signed note (text/plain)."""
    latest = services.audit.latest()
    if latest is None:
        raise ApiProblem(404, "no_checkpoint", "尚未签发检查点", "no checkpoint has been signed yet")
    return PlainTextResponse(latest.note, media_type="text/plain; charset=utf-8")


@router.get("/proofs/{position}")
def inclusion_proof(services: ServicesDep, position: int, tree_size: Annotated[int | None, Query(ge=1)] = None) -> dict[str, Any]:
    """Inclusion proof of leaf `position` (0-based, notification-id order) in the tree of `tree_size`
    leaves (default: the current tree): leaf hash, audit path (hex, leaf to root), root hash."""
    try:
        return services.audit.inclusion(position, tree_size)
    except ProofError as exc:
        raise _bad(exc) from None


@router.get("/consistency")
def consistency_proof(
    services: ServicesDep, first: Annotated[int, Query(ge=1)], second: Annotated[int | None, Query(ge=1)] = None
) -> dict[str, Any]:
    """Consistency proof between the trees of `first` and `second` leaves (default: the current tree)."""
    try:
        return services.audit.consistency(first, second)
    except ProofError as exc:
        raise _bad(exc) from None
