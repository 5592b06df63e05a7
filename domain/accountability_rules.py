"""The accountability trail's rules (责任倒查): which acts put which persons on which list. Pure
functions over plain facts; ``projections/accountability.py`` gathers the facts, the queries apply
these rules (so a changed window needs no rebuild).

Every list is read **as of** a business date D and **as known at** a recording time K (``known_at``;
None: everything recorded): an act counts when it is dated by the end of D (Beijing) and was recorded by
K. The queries hand these rules facts already cut that way; a hazard's facts as of then (its state,
whether and when a deadline was missed, whether it is overdue, when it was rectified) come from the one
fold, ``domain/hazard_timeline.status(steps, end of D, K)`` — never from stored current-state columns.
So a completion entered late but dated before its deadline takes the hazard off the lists as of every
date, while the lists as known before it was entered still show it.

* **inspected but missed** (明明有问题却查不出): a hazard that existed since E (``existed_since``) and a
  clean (``no_major_hazard``), signed inspection of the same enterprise, dated (business date) on or
  after E and conducted before the hazard was reported (moment), whose clean items include the
  hazard's checklist item — the item of the finding that listed the hazard. A hazard no finding lists
  (not found by an inspection, or its finding not recorded yet) matches any clean item. The inspection
  that found the hazard never counts against it. The inspection's signers are listed. As of D: the
  report, the inspection, its clean findings and its signatures that happened by then.
* **verified but recurred** (跟踪整改不到位): a passed verification, then — after it, and within
  ``recurrence_window_days`` by business date (the last day included) — a hazard of the same
  enterprise and the same criterion clause (trimmed, non-empty) reported, or an accident at the same
  enterprise. The verifier is listed. As of D: the verification and the recurrence happened by then.
* **penalised but not rectified** (以罚代管、罚而不管 — 处罚后隐患逾期仍未整改): listed on D when all hold:

  1. a penalty decision (行政处罚决定 ``PenaltyDecided`` or 一案双罚 ``DualPenaltyImposed``) in a case
     citing the hazard happened by D, and D is at least ``penalised_open_days`` after the decision's
     business date (default 0: no grace period; a longer one is an optional local policy);
  2. the hazard is past its rectification deadline on D: the fold says a deadline was **missed** by the
     end of D (``status.misses`` non-empty — first instant of the day after a deadline while
     rectifying under it, or a 区安委办 clerk's statement that it was missed). A completion or an
     extension before that instant prevents the miss, and a clerk's statement that a deadline was kept
     cancels it; a hazard without a plan has no deadline and is never listed. A miss lapses the
     rectification for good: a later extension does not take the hazard off the list — only rectifying
     does;
  3. the hazard is not rectified by the end of D: no passed verification, closure or voiding by then (a
     completion awaiting verification is not rectified).

  Whether the penalty came before or after the miss does not matter: on D the hazard was penalised and
  is overdue and still open. The decider is listed.
* **overdue** (逾期未整改): a hazard overdue on D — rectifying, and the deadline in force missed by the
  end of D (``status.overdue``); it is not overdue on its deadline day, only from the day after. Listed
  with when that deadline was missed and ``days_overdue`` = D − deadline (≥ 1). The plan's filer and the
  responsible person are listed.
* **signed with a revoked key**: a signed act dated by D and recorded by K whose signature check says
  the key was revoked, the revocation dated by the end of D (the key registry's state is read as it
  stands now: a revocation is not cut by K).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from domain.business_time import business_date
from domain.signatures import KeyState, SignatureCheck, signature_check

# ----- the lists ---------------------------------------------------------------------------------

MISSED = "inspected_but_missed"
RECURRED = "verified_but_recurred"
PENALISED_OPEN = "penalised_but_not_rectified"
OVERDUE = "overdue"
REVOKED_KEY = "signed_with_revoked_key"
PENALTY_CONFLICT = "penalty_against_rules"
ANOMALY_LABELS: dict[str, str] = {
    MISSED: "明明有问题却查不出（检查未发现、后查实隐患此前已存在）",
    RECURRED: "跟踪整改不到位（验收通过后同类隐患复现或发生事故）",
    PENALISED_OPEN: "以罚代管（处罚后隐患逾期仍未整改）",
    OVERDUE: "逾期未整改",
    REVOKED_KEY: "使用已吊销密钥签名",
    PENALTY_CONFLICT: "处罚决定不符合执法规则（依法应免予处罚，或应一案双罚而单罚；事后补录的决定）",
}

# ----- signatures --------------------------------------------------------------------------------

UNSIGNED = "unsigned"
SIGNED_UNCHECKED = "signed_unchecked"  # a signature is present; no checker is installed yet
VALID = "valid"
INVALID = "invalid"
KEY_REVOKED = "key_revoked"
CHECK_ERROR = "check_error"
SIGNATURE_LABELS: dict[str, str] = {
    UNSIGNED: "未电子签名",
    SIGNED_UNCHECKED: "已签名（未验证）",
    VALID: "签名有效",
    INVALID: "签名无效",
    KEY_REVOKED: "签名密钥已吊销",
    CHECK_ERROR: "签名验证出错",
}


def signature_verdict(event: Any, keys: Mapping[str, KeyState] | None = None) -> tuple[str, str | None]:
    """The state of an event's personal signature (the optional ``signature`` field of signed events),
    and the checker's reason code when it is not valid.

    Validity comes from ``domain.signatures.signature_check(event, keys)`` (``keys``: the key states by
    key id, as of now, so a revocation recorded later shows). Without the key states a present signature
    is reported as ``signed_unchecked``, never as valid.
    """
    if getattr(event, "signature", None) is None:
        return UNSIGNED, None
    if keys is None:
        return SIGNED_UNCHECKED, None
    try:
        result = signature_check(event, keys)
    except Exception as exc:  # an auditor's read must not fail on one bad signature: say so instead
        return CHECK_ERROR, type(exc).__name__
    status = verdict_of(result)
    return status, None if status == VALID else result.reason_code


def signature_status(event: Any, keys: Mapping[str, KeyState] | None = None) -> str:
    return signature_verdict(event, keys)[0]


def verdict_of(result: SignatureCheck) -> str:
    """The chain's word for the checker's answer; a revoked key is told apart from other failures."""
    if result.ok:
        return VALID
    if result.reason_code == "key_revoked":
        return KEY_REVOKED
    return UNSIGNED if result.reason_code == "unsigned" else INVALID


def signed_with_revoked_key(status: str) -> bool:
    return status == KEY_REVOKED


# ----- facts the rules read ----------------------------------------------------------------------


@dataclass(frozen=True)
class HazardFacts:
    id: str
    enterprise_id: str
    criterion: str
    existed_since: date | None
    reported_at: datetime
    item: str | None  # the checklist item of the finding that listed it, if any
    found_by: str | None  # the inspection that found it
    rectified_at: datetime | None = None  # first of verification passed, closure, voiding (as of D)
    overdue: bool = False  # on D: rectifying and the deadline in force missed (the fold's ``status.overdue``)
    deadline: date | None = None  # the deadline in force on D
    first_missed_at: datetime | None = None  # when a deadline was first missed, by the end of D (the fold's misses)
    overdue_since: datetime | None = None  # when the deadline in force was missed, if overdue on D


@dataclass(frozen=True)
class CleanStatement:
    """A signed inspection's explicit "no major hazard found" items."""

    inspection_id: str
    enterprise_id: str
    conducted_at: datetime
    clean_items: frozenset[str]
    signed: bool


@dataclass(frozen=True)
class Verification:
    hazard_id: str
    enterprise_id: str
    criterion: str
    verified_at: datetime


@dataclass(frozen=True)
class Recurrence:
    """What can follow a verification: a hazard reported (with its clause) or an accident."""

    kind: str  # "hazard" | "accident"
    record_id: str
    enterprise_id: str
    criterion: str
    at: datetime


@dataclass(frozen=True)
class PenaltyCitation:
    """A penalty decision in a case citing one hazard."""

    hazard_id: str
    case_id: str
    decided_at: datetime
    position: int


# ----- predicates --------------------------------------------------------------------------------


def missed(hazard: HazardFacts, inspection: CleanStatement) -> bool:
    """Was this clean, signed inspection a statement the later hazard contradicts?"""
    if hazard.existed_since is None or not inspection.signed or not inspection.clean_items:
        return False
    if inspection.enterprise_id != hazard.enterprise_id or inspection.inspection_id == hazard.found_by:
        return False
    if not hazard.existed_since <= business_date(inspection.conducted_at):
        return False
    if not inspection.conducted_at < hazard.reported_at:
        return False
    return hazard.item is None or hazard.item in inspection.clean_items


def same_clause(a: str, b: str) -> bool:
    return bool(a.strip()) and a.strip() == b.strip()


def within_window(verified_at: datetime, later: datetime, window_days: int) -> bool:
    """After the verification, and at most ``window_days`` later by business date."""
    return later > verified_at and business_date(later) <= business_date(verified_at) + timedelta(days=window_days)


def recurs(verification: Verification, follow_up: Recurrence, window_days: int) -> bool:
    if follow_up.enterprise_id != verification.enterprise_id or follow_up.record_id == verification.hazard_id:
        return False
    if follow_up.kind == "hazard" and not same_clause(verification.criterion, follow_up.criterion):
        return False
    return within_window(verification.verified_at, follow_up.at, window_days)


def penalty_due(decided_at: datetime, open_days: int) -> date:
    """The first business date a cited hazard can be listed, ``open_days`` after the decision (0: its day)."""
    return business_date(decided_at) + timedelta(days=open_days)


def penalised_and_overdue(decided_at: datetime, hazard: HazardFacts, open_days: int, as_of: date) -> bool:
    """On ``as_of``: penalised by then (and ``open_days`` since), a deadline missed by then, not rectified by then."""
    if business_date(decided_at) > as_of or as_of < penalty_due(decided_at, open_days):
        return False
    if hazard.first_missed_at is None or business_date(hazard.first_missed_at) > as_of:
        return False
    return hazard.rectified_at is None or business_date(hazard.rectified_at) > as_of


# ----- the lists ---------------------------------------------------------------------------------


def inspected_but_missed(
    hazards: Iterable[HazardFacts], inspections: Iterable[CleanStatement]
) -> list[tuple[HazardFacts, CleanStatement]]:
    by_enterprise: dict[str, list[CleanStatement]] = {}
    for inspection in inspections:
        by_enterprise.setdefault(inspection.enterprise_id, []).append(inspection)
    return [
        (h, i)
        for h in hazards
        if h.existed_since is not None
        for i in sorted(by_enterprise.get(h.enterprise_id, []), key=lambda i: i.conducted_at)
        if missed(h, i)
    ]


def verified_but_recurred(
    verifications: Iterable[Verification], follow_ups: Iterable[Recurrence], window_days: int
) -> list[tuple[Verification, Recurrence]]:
    by_enterprise: dict[str, list[Recurrence]] = {}
    for follow_up in follow_ups:
        by_enterprise.setdefault(follow_up.enterprise_id, []).append(follow_up)
    return [
        (v, r)
        for v in verifications
        for r in sorted(by_enterprise.get(v.enterprise_id, []), key=lambda r: r.at)
        if recurs(v, r, window_days)
    ]


def penalised_but_not_rectified(
    citations: Iterable[PenaltyCitation], hazards: Mapping[str, HazardFacts], open_days: int, as_of: date
) -> list[tuple[PenaltyCitation, HazardFacts]]:
    return [
        (c, hazards[c.hazard_id])
        for c in citations
        if c.hazard_id in hazards and penalised_and_overdue(c.decided_at, hazards[c.hazard_id], open_days, as_of)
    ]


def overdue_on(hazards: Iterable[HazardFacts]) -> list[HazardFacts]:
    """The hazards overdue on the date their facts are as of (rectifying, the deadline in force missed),
    longest overdue first (then by report): an order of business facts, not of recording."""
    overdue = [h for h in hazards if h.overdue and h.rectified_at is None]
    return sorted(overdue, key=lambda h: (h.overdue_since or h.reported_at, h.reported_at, h.id))


def days_overdue(deadline: date, as_of: date) -> int:
    """Days past the deadline on ``as_of`` (never negative)."""
    return max(0, (as_of - deadline).days)
