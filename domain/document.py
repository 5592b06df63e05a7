"""Official documents (文书) issued from the records' events, their numbers (文号), delivery and receipt.

    DocumentNumbering (one stream per issuing unit, kind and year: 呈应急隐改〔2023〕)
        DocumentNumberingOpened ── DocumentNumberAssigned (sequence 1) ── DocumentNumberAssigned (2) ── …
    Document
        DocumentIssued (kind, 文号, source record and version, SHA-256 of the PDF) ──DocumentDelivered (送达)*──
        DocumentReceived (签收)

A number is the numbering stream's next version, appended in the SAME transaction as the document's
``DocumentIssued`` (``DocumentApplication.issue_document``): the store's optimistic concurrency refuses a
second writer of the same version, so a number is never given twice, and as nothing else appends to the
stream, the numbers of a series are 1, 2, 3 … with no gap.

What a document says (``document_content``) is derived from the source record's events up to the version
it was issued from — the same facts give the same content, and the adapter renders them to the same PDF
bytes, so an auditor re-renders and compares the stored SHA-256 (``DocumentApplication.verify``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.access import may_act
from domain.actor import Actor
from domain.aggregate_base import LedgerAggregate, stable_topics
from domain.business_time import business_date
from domain.errors import DomainError
from domain.glossary import (
    DOCUMENT_NUMBER_WORDS,
    DOCUMENT_PREFIXES,
    Assessor,
    DeliveryMethod,
    DocumentKind,
    Grade,
    PenaltyTarget,
    Role,
    Stoppage,
    SupervisionLevel,
    WarningLevel,
    WarningTrigger,
)
from domain.inputs import invalid, required_text
from domain.reference_data import Unit

_NAMESPACE = uuid5(NAMESPACE_URL, "https://hazard-ledger.invalid/document-numbering")

K = DocumentKind


class SourceKind:
    HAZARD = "hazard"
    CASE = "case"
    WARNING = "warning"


# What record each kind is issued from.
KIND_SOURCE: dict[DocumentKind, str] = {
    K.RECTIFICATION_ORDER: SourceKind.HAZARD,
    K.SUPERVISION_NOTICE: SourceKind.HAZARD,
    K.EXTENSION_OPINION: SourceKind.HAZARD,
    K.ACCEPTANCE_OPINION: SourceKind.HAZARD,
    K.CLOSURE_FORM: SourceKind.HAZARD,
    K.PENALTY_SUMMARY: SourceKind.CASE,
    K.PROMPT_LETTER: SourceKind.WARNING,
    K.NOTICE_LETTER: SourceKind.WARNING,
    K.ADMONITION_LETTER: SourceKind.WARNING,
    K.INTERVIEW_NOTICE: SourceKind.WARNING,
}

# The warning letters go with the warning ladder's levels (提示 → 告知 → 告诫 → 约谈).
LETTER_LEVELS: dict[DocumentKind, WarningLevel] = {
    K.PROMPT_LETTER: WarningLevel.PROMPT,
    K.NOTICE_LETTER: WarningLevel.NOTICE,
    K.ADMONITION_LETTER: WarningLevel.ADMONITION,
    K.INTERVIEW_NOTICE: WarningLevel.INTERVIEW,
}

# Who issues each kind, narrowing ACTION_ROLES["issue_document"]: the warning letters are the 区安委办's.
KIND_ROLES: dict[DocumentKind, frozenset[Role]] = {
    kind: frozenset({Role.COMMITTEE_OFFICE}) for kind in LETTER_LEVELS
}



def may_issue(role: Role, kind: DocumentKind) -> bool:
    """Whether ``role`` issues ``kind`` at all: the roles of ``issue_document``, narrowed per kind (KIND_ROLES)."""
    return may_act(role, "issue_document") and role in KIND_ROLES.get(kind, frozenset(Role))


LEGAL_BASIS: dict[DocumentKind, str] = {
    K.RECTIFICATION_ORDER: "《中华人民共和国安全生产法》第六十五条第一款第（三）项、第一百零二条；"
    "《安全生产事故隐患排查治理暂行规定》第二十三条",
    K.SUPERVISION_NOTICE: "《中华人民共和国安全生产法》第六十五条；《安全生产事故隐患排查治理暂行规定》第二十条至第二十三条",
    K.EXTENSION_OPINION: "《安全生产事故隐患排查治理暂行规定》第二十二条",
    K.ACCEPTANCE_OPINION: "《安全生产事故隐患排查治理暂行规定》第二十三条",
    K.CLOSURE_FORM: "《安全生产事故隐患排查治理暂行规定》第二十三条；重大事故隐患挂牌督办及销号有关规定",
    K.PENALTY_SUMMARY: "《中华人民共和国行政处罚法》第五十九条",
    K.PROMPT_LETTER: "呈贡区重大事故隐患专项排查整治2023行动方案“6.警示约谈制度”",
    K.NOTICE_LETTER: "呈贡区重大事故隐患专项排查整治2023行动方案“6.警示约谈制度”",
    K.ADMONITION_LETTER: "呈贡区重大事故隐患专项排查整治2023行动方案“6.警示约谈制度”",
    K.INTERVIEW_NOTICE: "呈贡区重大事故隐患专项排查整治2023行动方案“6.警示约谈制度”",
}


def numbering_id_for(unit_id: str, kind: DocumentKind | str, year: int) -> UUID:
    """One numbering stream per (issuing unit, kind, year)."""
    return uuid5(_NAMESPACE, f"{unit_id}|{DocumentKind(kind).value}|{year}")


def series_of(unit: Unit, kind: DocumentKind) -> str:
    """呈应急隐改: the unit's prefix (机关代字) and the kind's word."""
    prefix = DOCUMENT_PREFIXES.get(unit.id) or "呈" + unit.name.removeprefix("区")
    return prefix + DOCUMENT_NUMBER_WORDS[kind]


def document_number(series: str, year: int, sequence: int) -> str:
    """呈应急隐改〔2023〕7号."""
    return f"{series}〔{year}〕{sequence}号"


def zh_date(day: date | datetime) -> str:
    d = business_date(day) if isinstance(day, datetime) else day
    return f"{d.year}年{d.month}月{d.day}日"


# ----- what a document says ---------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentContent:
    """What a document says, derived from its source record's events: the title, to whom, the body
    paragraphs, a table of facts, and the legal basis."""

    kind: DocumentKind
    title: str
    addressee: str
    paragraphs: tuple[str, ...]
    facts: tuple[tuple[str, str], ...]
    legal_basis: str


def _refuse(kind: DocumentKind, reason: str, reason_zh: str) -> DomainError:
    return DomainError("document_not_issuable", kind=kind.value, kind_zh=kind.zh, reason=reason, reason_zh=reason_zh)


def _named(events: Sequence[Any], *names: str) -> list[Any]:
    return [e for e in events if type(e).__name__ in names]


def _last(events: Sequence[Any], *names: str) -> Any | None:
    found = _named(events, *names)
    return found[-1] if found else None


def document_content(kind: DocumentKind, events: Sequence[Any], addressee: str) -> DocumentContent:
    """The content of ``kind`` issued from a record whose events (oldest first, up to the version issued
    from) are ``events``; refuses with ``document_not_issuable`` where the record's state does not allow
    the kind (a listing notice for a hazard not listed, an acceptance opinion before any verification …)."""
    source = KIND_SOURCE[kind]
    first = type(events[0]).__name__ if events else ""
    expected = {SourceKind.HAZARD: "HazardReported", SourceKind.CASE: "CaseOpened", SourceKind.WARNING: "WarningProposed"}[source]
    if first != expected:
        raise _refuse(kind, f"issued from a {source} record", {"hazard": "应针对隐患出具", "case": "应针对执法案件出具",
                                                                "warning": "应针对分级警示出具"}[source])  # fmt: skip
    if source == SourceKind.HAZARD:
        return _hazard_content(kind, events, addressee)
    if source == SourceKind.CASE:
        return _case_content(kind, events, addressee)
    return _warning_content(kind, events, addressee)


def issuable_kinds(role: Role, events: Sequence[Any]) -> list[DocumentKind]:
    """The kinds ``role`` may issue now from a record whose events (oldest first) are ``events``: those it
    issues (``may_issue``) whose content the record's state allows (``document_content`` does not refuse).
    What the pages offer; scope and the rest are the command's to say when it runs."""
    kinds = []
    for kind in DocumentKind:
        if not may_issue(role, kind):
            continue
        try:
            document_content(kind, events, "")
        except DomainError:
            continue
        kinds.append(kind)
    return kinds


def _hazard_content(kind: DocumentKind, events: Sequence[Any], addressee: str) -> DocumentContent:
    reported = events[0]
    if Grade(reported.grade) is not Grade.MAJOR:
        raise _refuse(kind, "only for a major hazard", "仅对重大事故隐患出具")
    if _last(events, "HazardVoided"):
        raise _refuse(kind, "the hazard is voided", "隐患已作废")
    plan_event = _last(events, "RectificationPlanFiled")
    plan = plan_event.plan if plan_event else None
    deadline = plan.deadline if plan else None
    for e in _named(events, "DeadlineExtended", "ExtensionApproved"):
        deadline = e.new_deadline
    listing_event = _last(events, "ListedForSupervision", "SupervisionLifted")
    listed = listing_event is not None and type(listing_event).__name__ == "ListedForSupervision"
    listing = listing_event.listing if listed else None
    verification = _last(events, "VerificationPassed", "VerificationFailed")
    closed = _last(events, "HazardClosed")
    facts: list[tuple[str, str]] = [
        ("隐患名称及情况", reported.description),
        ("隐患部位", reported.location or "—"),
        ("判定依据", reported.criterion),
        ("登记时间", zh_date(reported.occurred_at)),
    ]
    basis = LEGAL_BASIS[kind]
    if kind is K.RECTIFICATION_ORDER:
        if closed or (verification and type(verification).__name__ == "VerificationPassed"):
            raise _refuse(kind, "the hazard is already rectified", "隐患已整改验收")
        limit = deadline or (listing.time_limit if listing else None)
        demand = (
            f"于{zh_date(limit)}前整改完毕"
            if limit
            else "立即制定整改方案，落实整改责任、措施、资金、时限和预案（五落实），限期整改完毕"
        )
        paragraphs = (
            f"经查，你单位存在下列重大事故隐患（判定依据：{reported.criterion}）。",
            f"根据{basis}的规定，现责令你单位{demand}；"
            "重大事故隐患排除前或者排除过程中无法保证安全的，应当从危险区域内撤出作业人员，暂时停产停业或者停止使用相关设施、设备。",
            "整改完成后，应当向本机关提出复查（验收）申请。逾期未整改的，将依法予以处理。",
        )
        if plan:
            facts += _plan_facts(plan)
        if limit:
            facts.append(("整改期限", zh_date(limit)))
    elif kind is K.SUPERVISION_NOTICE:
        if listing is None:
            raise _refuse(kind, "the hazard is not listed for supervision", "隐患未挂牌督办")
        paragraphs = (
            f"你单位存在的下列重大事故隐患，经研究决定实行{SupervisionLevel(listing.level).zh}。",
            f"请你单位严格落实整改责任，于{zh_date(listing.time_limit)}前完成整改，整改期间采取有效的安全防范措施，"
            "整改完成后提出验收申请；验收合格并经批准后予以摘牌销号。",
        )
        facts += [
            ("督办级别", SupervisionLevel(listing.level).zh),
            ("督办单位", listing.supervising_body),
            ("督办文件", listing.document_number),
            ("挂牌日期", zh_date(listing_event.occurred_at)),
            ("整改时限", zh_date(listing.time_limit)),
            ("签发人", listing.issuer),
        ]
    elif kind is K.EXTENSION_OPINION:
        decision = _last(events, "ExtensionApproved", "ExtensionRefused")
        if decision is None:
            raise _refuse(kind, "no extension request has been decided", "尚无已审批的延期申请")
        approved = type(decision).__name__ == "ExtensionApproved"
        outcome = (
            f"同意延期至{zh_date(decision.new_deadline)}"
            if approved
            else f"不予延期，仍应于{zh_date(decision.deadline)}前整改完毕"
        )
        paragraphs = (
            f"你单位于{zh_date(decision.request_date)}提出的第{decision.request_number}次延期申请收悉。",
            f"经审查，{outcome}。",
            f"审批意见：{decision.opinion}",
        )
        facts += [
            ("申请理由", decision.reason),
            ("申请延期至", zh_date(decision.requested_deadline)),
            ("原整改期限", zh_date(decision.previous_deadline if approved else decision.deadline)),
            ("审批结果", "批准延期" if approved else "不予延期"),
            ("审批日期", zh_date(decision.occurred_at)),
        ]
    elif kind is K.ACCEPTANCE_OPINION:
        if verification is None:
            raise _refuse(kind, "the rectification has not been verified", "整改尚未复查（验收）")
        passed = type(verification).__name__ == "VerificationPassed"
        paragraphs = (
            f"本机关于{zh_date(verification.occurred_at)}对你单位下列重大事故隐患的整改情况进行了复查（验收）。",
            "复查（验收）结论："
            + ("整改合格，同意通过验收。" if passed else "整改不合格，应当继续整改，整改完成后重新申请复查（验收）。"),
            f"复查（验收）意见：{verification.opinion}",
        )
        facts += [
            ("评估单位", "、".join(Assessor(a).zh for a in verification.assessed_by) or "—"),
            ("复查（验收）人", verification.actor.describe()),
            ("结论", "合格" if passed else "不合格"),
        ]
    elif kind is K.CLOSURE_FORM:
        if closed is None:
            raise _refuse(kind, "the hazard is not closed", "隐患尚未销号")
        passed = _last(events, "VerificationPassed")
        lifted = _last(events, "SupervisionLifted")
        completed = _last(events, "RectificationCompleted")
        paragraphs = ("经整改、复查验收合格，同意该重大事故隐患销号。",)
        facts += [
            ("整改完成", zh_date(completed.occurred_at) if completed else "—"),
            ("验收通过", zh_date(passed.occurred_at) + "，" + passed.opinion if passed else "—"),
            ("摘牌", zh_date(lifted.occurred_at) + f"，批准人{lifted.approver}" if lifted else "未挂牌督办"),
            ("销号意见", closed.note or "同意销号"),
            ("销号日期", zh_date(closed.occurred_at)),
            ("审批人", closed.actor.describe()),
        ]
    else:  # pragma: no cover - KIND_SOURCE routes only the hazard kinds here
        raise _refuse(kind, "not issued from a hazard", "不针对隐患出具")
    return DocumentContent(kind, kind.zh, addressee, paragraphs, tuple(facts), basis)


def _plan_facts(plan: Any) -> list[tuple[str, str]]:
    rows = [("整改责任人", plan.responsible_person or "—"), ("整改措施", plan.measures or "—")]
    if plan.funds_yuan is not None:
        rows.append(("整改资金", f"{plan.funds_yuan}元"))
    if Stoppage(plan.stoppage) is not Stoppage.NONE:
        rows.append(("停产停业", Stoppage(plan.stoppage).zh))
    return rows


def _case_content(kind: DocumentKind, events: Sequence[Any], addressee: str) -> DocumentContent:
    opened = events[0]
    decision = _last(events, "PenaltyDecided", "DualPenaltyImposed")
    if decision is None:
        raise _refuse(kind, "no penalty has been decided in the case", "案件尚未作出行政处罚决定")
    if type(decision).__name__ == "DualPenaltyImposed":
        penalty = (
            f"对生产经营单位罚款{decision.enterprise_fine_yuan}元；对主要负责人{decision.principal_name}"
            f"罚款{decision.principal_fine_yuan}元（一案双罚）"
        )
        measures = ""
    else:
        who = PenaltyTarget(decision.target).zh + (f"（{decision.person_name}）" if decision.person_name else "")
        penalty = f"对{who}罚款{decision.fine_yuan}元"
        measures = decision.other_measures
    facts = [
        ("案号", opened.case_number),
        ("立案日期", zh_date(opened.occurred_at)),
        ("行政处罚决定书文号", decision.decision_number),
        ("处罚决定日期", zh_date(decision.occurred_at)),
        ("处罚依据", decision.legal_basis),
        ("处罚内容", penalty),
    ]
    if measures:
        facts.append(("其他措施", measures))
    paragraphs = (
        f"本机关于{zh_date(decision.occurred_at)}对{addressee}作出行政处罚决定（{decision.decision_number}），摘要如下，归入案卷。",
        f"违法事实及立案依据：{opened.legal_basis}",
    )
    return DocumentContent(kind, kind.zh, addressee, paragraphs, tuple(facts), LEGAL_BASIS[kind])


def _warning_content(kind: DocumentKind, events: Sequence[Any], addressee: str) -> DocumentContent:
    proposed = events[0]
    if WarningLevel(proposed.level) is not LETTER_LEVELS[kind]:
        raise _refuse(
            kind,
            f"the warning is of level {proposed.level}",
            f"该警示为「{WarningLevel(proposed.level).zh}」级，应出具相应文书",
        )
    confirmed = _last(events, "WarningConfirmed")
    if confirmed is None:
        raise _refuse(kind, "the warning is not confirmed", "分级警示尚未确认")
    level = WarningLevel(proposed.level)
    ask = {
        WarningLevel.PROMPT: "请你单位高度重视，及时改进有关工作。",
        WarningLevel.NOTICE: "请你单位认真分析原因，落实整改措施，并将整改情况书面报送区安委办。",
        WarningLevel.ADMONITION: "请你单位主要负责人高度重视，立即组织整改，并于收到本函之日起十日内书面报告整改情况。",
        WarningLevel.INTERVIEW: "请你单位主要负责人按通知时间到区安委办接受约谈，并提交书面整改报告。",
    }[level]
    paragraphs = (f"经区安委办确认，你单位存在下列情形：{proposed.reason_zh}。", ask)
    facts = [
        ("警示级别", level.zh),
        ("事由", WarningTrigger(proposed.trigger).zh),
        ("确认日期", zh_date(confirmed.occurred_at)),
        ("是否通报", "是" if confirmed.published else "否"),
    ]
    if confirmed.note:
        facts.append(("确认意见", confirmed.note))
    return DocumentContent(kind, kind.zh, addressee, paragraphs, tuple(facts), LEGAL_BASIS[kind])


def receipt_offered(delivered: bool, received: bool) -> bool:
    """Whether a receipt (签收) may be recorded: after a delivery, once (``Document.receive``'s rule)."""
    return delivered and not received


# ----- the numbering stream ---------------------------------------------------------------------


@stable_topics
class DocumentNumbering(LedgerAggregate):
    """The numbers of one series (unit, kind, year): each ``DocumentNumberAssigned`` is the next number."""

    @staticmethod
    def create_id(unit_id: str, kind: str, year: int, **_: object) -> UUID:  # type: ignore[override]
        return numbering_id_for(unit_id, kind, year)

    @event("DocumentNumberingOpened")
    def __init__(self, actor: Actor, occurred_at: datetime, unit_id: str, kind: str, year: int, series: str) -> None:
        self.unit_id = unit_id
        self.kind = DocumentKind(kind)
        self.year = year
        self.series = series
        self.last = 0

    def assign(self, actor: Actor, occurred_at: datetime) -> int:
        """The next number (no business-order check: numbers follow the order they are taken in)."""
        sequence = self.last + 1
        self._assigned(actor=actor, occurred_at=occurred_at, sequence=sequence, document_id=document_id_for(self.id, sequence))
        return self.last

    @event("DocumentNumberAssigned")
    def _assigned(self, actor: Actor, occurred_at: datetime, sequence: int, document_id: UUID) -> None:
        self.last = sequence


# ----- the document -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    method: DeliveryMethod
    recipient: str
    delivered_at: datetime
    delivered_by: Actor
    note: str


def document_id_for(numbering_id: UUID, sequence: int) -> UUID:
    """A document's id derives from its number: a number given twice would collide on this stream too."""
    return uuid5(numbering_id, str(sequence))


@stable_topics
class Document(LedgerAggregate):
    not_found_code = "document_not_found"

    @staticmethod
    def create_id(numbering_id: UUID, sequence: int, **_: object) -> UUID:  # type: ignore[override]
        return document_id_for(numbering_id, sequence)

    @event("DocumentIssued")
    def __init__(
        self,
        actor: Actor,
        occurred_at: datetime,
        kind: str,
        number: str,
        series: str,
        year: int,
        sequence: int,
        numbering_id: UUID,
        issuing_unit: str,
        issuing_unit_name: str,
        source_kind: str,
        source_id: UUID,
        source_version: int,
        addressee: str,
        addressee_id: str,
        sha256: str,
    ) -> None:
        self.kind = DocumentKind(kind)
        self.number = number
        self.series = series
        self.year = year
        self.sequence = sequence
        self.numbering_id = numbering_id
        self.issuing_unit = issuing_unit
        self.issuing_unit_name = issuing_unit_name
        self.source_kind = source_kind
        self.source_id = source_id
        self.source_version = source_version
        self.addressee = addressee
        self.addressee_id = addressee_id
        self.sha256 = sha256
        self.issued_by = actor
        self.issued_at = occurred_at
        self.deliveries: list[Delivery] = []
        self.received_by: str | None = None
        self.received_at: datetime | None = None
        self.receipt_recorded_by: Actor | None = None

    def deliver(self, actor: Actor, occurred_at: datetime, method: DeliveryMethod, recipient: str, note: str) -> None:
        """送达: how, to whom; the business time is when. Several deliveries may be recorded (a retry by post)."""
        self.check_business_order(occurred_at)
        self._delivered(
            actor=actor, occurred_at=occurred_at, method=DeliveryMethod(method).value,
            recipient=required_text(recipient, "recipient"), note=(note or "").strip(),
        )  # fmt: skip

    def receive(self, actor: Actor, occurred_at: datetime, received_by: str, note: str) -> None:
        """签收: by whom; once, after a delivery."""
        if not receipt_offered(bool(self.deliveries), self.received_at is not None):
            if self.received_at is not None:
                raise DomainError("document_already_received", received_at=self.received_at.isoformat())
            raise DomainError("document_not_delivered")
        self.check_business_order(occurred_at)
        if not received_by.strip():
            invalid("received_by", "the person who signed for it", "须填写签收人")
        self._received(actor=actor, occurred_at=occurred_at, received_by=received_by.strip(), note=(note or "").strip())

    @event("DocumentDelivered")
    def _delivered(self, actor: Actor, occurred_at: datetime, method: str, recipient: str, note: str) -> None:
        self.deliveries.append(Delivery(DeliveryMethod(method), recipient, occurred_at, actor, note))

    @event("DocumentReceived")
    def _received(self, actor: Actor, occurred_at: datetime, received_by: str, note: str) -> None:
        self.received_by = received_by
        self.received_at = occurred_at
        self.receipt_recorded_by = actor
