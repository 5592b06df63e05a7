"""The acts a person may do from the pages, declared once: each act's command (domain/commands), its fields,
and the record it is done on. ``web/pages/acts.py`` serves every one of them with the same two handlers.

A form only gathers typed values: which role may act is ``domain.access.may_act`` (the rule ``check_role``
applies), and everything else — state, scope, the five elements, signatures, versions — is decided by the
command's handler behind the one command pipeline (``app/pipeline.py``), exactly as for the HTTP API.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from dataclasses import fields as dataclass_fields
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.access import may_act
from domain.actor import Actor
from domain.commands import documents as dc
from domain.commands import enforcement as ec
from domain.commands import hazards as hc
from domain.commands.base import Command
from domain.document import receipt_offered
from domain.glossary import (
    ACTION_LABELS,
    FIVE_ELEMENTS_ZH,
    Assessor,
    DeliveryMethod,
    DocumentKind,
    Grade,
    HazardSource,
    HazardState,
    LicenceAction,
    PenaltyTarget,
    Stoppage,
    SupervisionLevel,
)
from domain.hazard import offered
from domain.read_scope import ScopedReads
from domain.values import RectificationPlan, SupervisionListing

# ----- fields ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    """A file sent with a form (a photo taken on the phone)."""

    file_name: str
    media_type: str
    content: bytes


class FieldError(ValueError):
    """What the person typed cannot be read as the field's kind; shown next to the field."""


def form_text(form: Mapping[str, Any], name: str) -> str:
    """A text field of a submitted form, trimmed; "" when it is absent or a file."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


@dataclass(frozen=True)
class Field:
    """One input. ``kind``: text, textarea, int, date, datetime (a Beijing time, naive), choice (``choices``: a
    glossary enum), checks (several of ``choices``), check (a yes/no box), verdict (two radios), photo (a file,
    attached as evidence), enterprise (one of the enterprises the person may see), document_kind (one of
    ``choices`` the person may issue from the record now: ``domain.document.issuable_kinds``)."""

    name: str
    label: str
    kind: str = "text"
    required: bool = False
    choices: type[StrEnum] | None = None
    hint: str = ""

    def parse(self, raw: list[Any]) -> Any:
        """The value for the command, or None when nothing was given (the command's default applies)."""
        if self.kind == "checks":
            assert self.choices is not None
            return [self.choices(v) for v in raw if v in self.choices._value2member_map_] or None
        if self.kind == "photo":
            upload = raw[0] if raw else None
            if upload is None or isinstance(upload, str) or not upload.filename:
                return None
            return upload  # read by the handler (async): web.pages.acts
        text = raw[0].strip() if raw and isinstance(raw[0], str) else ""
        if self.kind == "check":
            return bool(text)
        if not text:
            return None
        if self.kind == "int":
            if not text.isdigit() or len(text) > 15:
                raise FieldError("请输入不带小数点的整数")
            return int(text)
        if self.kind == "date":
            try:
                return date.fromisoformat(text)
            except ValueError:
                raise FieldError("请输入日期，格式如 2026-05-31") from None
        if self.kind == "datetime":  # datetime-local sends 2026-05-31T09:30; naive: the domain reads Beijing time
            try:
                return datetime.fromisoformat(text)
            except ValueError:
                raise FieldError("请输入日期和时间，格式如 2026-05-31 09:30") from None
        if self.kind in ("choice", "document_kind"):
            assert self.choices is not None
            if text not in self.choices._value2member_map_:
                raise FieldError("请从列表中选择")
            return self.choices(text)
        if self.kind == "verdict":
            return text == "yes"
        if self.kind == "enterprise":
            try:
                return UUID(text)
            except ValueError:
                raise FieldError("请从列表中选择") from None
        return text


def _plan(name: str, kind: str = "text") -> Field:
    return Field(name, FIVE_ELEMENTS_ZH[name], kind)


PHOTO = Field("photo", "现场照片", "photo", hint="可直接用手机拍照；照片作为佐证材料保存")
NOTE = Field("note", "说明", "textarea")
# Business time, on every act's form (``Act.form_fields``): field work is entered late and when it happened is
# the truth. The command's ``occurred_at``; empty is now; the domain refuses the future and what is older than
# the back-dating window (``domain.business_time.check_occurred_at``), shown next to this field.
OCCURRED_AT = Field(
    "occurred_at", "发生时间", "datetime", hint="北京时间；不填即为现在。事后补录时填写实际发生的时间，不得晚于现在"
)
OCCURRED_AT_REFUSALS = frozenset({"occurred_in_future", "occurred_too_early"})
# The box of a signed act's form: sign with the person's server-held key (``app.signing``), as the API's
# ``X-Sign-With: server-held``.
SIGN_FIELD = "sign_server_held"
SIGN_LABEL = "使用服务器托管密钥签名（便捷模式：服务器可代为签名）"


# ----- records --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordKind:
    """A kind of record acts are done on: how it is read (in the person's scope) and where its page is."""

    key: str  # as in the address: /ui/<key>/<id>/acts/<act>
    read: Callable[[ScopedReads, UUID], dict[str, Any]]
    title: Callable[[dict[str, Any]], str]
    accepts: Callable[[str, Mapping[str, Any]], bool] = lambda action, record: True  # the record's state allows it
    area: str = "hazards"  # the navigation's area of its pages

    def page(self, record_id: UUID | str) -> str:
        return f"/ui/{self.key}/{record_id}"


HAZARDS = RecordKind(
    "hazards",
    ScopedReads.hazard,
    lambda h: str(h["description"]),
    lambda action, h: offered(action, HazardState(h["state"]), h["extension_request"] is not None),
)
CASES = RecordKind("cases", ScopedReads.case, lambda c: str(c["case_number"]))
DOCUMENTS = RecordKind(
    "documents",
    ScopedReads.document,
    lambda d: f"{d['kind_zh']} {d['number']}",
    lambda action, d: receipt_offered(d["deliveries"] != [], d["received"]) if action == "receive_document" else True,
    "documents",
)
RECORD_KINDS = {kind.key: kind for kind in (HAZARDS, CASES, DOCUMENTS)}


# ----- acts -----------------------------------------------------------------------------------------

Build = Callable[[Mapping[str, Any] | None, dict[str, Any]], Command]


@dataclass(frozen=True)
class OnRecord:
    """The usual command: the record's id and the form's values (``shape`` nests them where the command
    takes one value, e.g. the plan)."""

    command: type[Command]
    id_field: str
    shape: Callable[[dict[str, Any]], dict[str, Any]] = dict

    def __call__(self, record: Mapping[str, Any] | None, values: dict[str, Any]) -> Command:
        assert record is not None
        return self.command(**{self.id_field: UUID(str(record["id"]))}, **self.shape(values))


on_record = OnRecord


@dataclass(frozen=True)
class Act:
    key: str  # in the address
    action: str  # the domain's action: its label (ACTION_LABELS) and the roles that may (domain/access.py)
    on: RecordKind | None  # the record whose page offers it (None: offered on the list, acts on no record)
    lands: RecordKind  # where the person goes after: the page of the record the command answered with
    build: Build
    fields: tuple[Field, ...] = ()
    # an upload field: not the command's; attached as evidence (佐证材料) to the landing hazard once it ran
    attach: str | None = None
    # where the record's page offers it: under 办理 ("acts") or in its 文书 section ("documents")
    section: str = "acts"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self.action]

    @property
    def form_fields(self) -> tuple[Field, ...]:
        """The act's own fields and, on every act, its business time."""
        return (*self.fields, OCCURRED_AT)

    @property
    def signed(self) -> bool:
        """Its command takes a personal signature (验收, 销号, 处罚决定 …: ``signature`` of domain/commands)."""
        build = self.build
        return isinstance(build, OnRecord) and any(f.name == "signature" for f in dataclass_fields(build.command))

    def command(self, record: Mapping[str, Any] | None, values: dict[str, Any], signature: Any = None) -> Command:
        """The act's command from the form's values: its business time (``occurred_at``) and, for a signed
        act, the signature (a ``ServerHeldSigner``) set on the command built from the rest."""
        rest = dict(values)
        extra: dict[str, Any] = {"occurred_at": rest.pop(OCCURRED_AT.name, None)}
        if signature is not None:
            extra["signature"] = signature
        return replace(self.build(record, rest), **extra)

    def url(self, record_id: UUID | str | None = None) -> str:
        return f"/ui/{self.on.key}/{record_id}/acts/{self.key}" if self.on else f"/ui/acts/{self.key}"


def _listing(values: dict[str, Any]) -> dict[str, Any]:
    return {"listing": SupervisionListing(**values)}


def _assessed(values: dict[str, Any]) -> dict[str, Any]:
    """A verification with no assessor ticked: none (the command takes the list, not a default)."""
    return {"assessed_by": [], **values}


def _open_case(hazard: Mapping[str, Any] | None, values: dict[str, Any]) -> Command:
    assert hazard is not None
    return ec.OpenCase(enterprise_id=UUID(hazard["enterprise_id"]), cited_hazard_ids=[UUID(hazard["id"])], **values)


def _report(_: Mapping[str, Any] | None, values: dict[str, Any]) -> Command:
    return hc.ReportHazard(**values)


_case = "case_id"
ACTS: tuple[Act, ...] = (
    Act("report", "report_hazard", None, HAZARDS, _report, (
        Field("enterprise_id", "生产经营单位", "enterprise", required=True),
        Field("grade", "隐患等级", "choice", required=True, choices=Grade),
        Field("source", "隐患来源", "choice", required=True, choices=HazardSource),
        Field("description", "隐患描述", "textarea", required=True),
        Field("criterion", "判定依据", hint="重大事故隐患须写明判定标准条款"),
        Field("location", "隐患部位"),
        Field("existed_since", "存在起始日期", "date"),
        PHOTO,
    ), attach="photo"),
    Act("report-to-regulator", "report_to_regulator", HAZARDS, HAZARDS, on_record(hc.ReportToRegulator, "hazard_id")),
    Act("plan", "file_plan", HAZARDS, HAZARDS, on_record(hc.FilePlan, "hazard_id", lambda v: {"plan": RectificationPlan(**v)}), (
        _plan("responsible_person"),
        _plan("measures", "textarea"),
        Field("funds_yuan", f"{FIVE_ELEMENTS_ZH['funds_yuan']}（元）", "int"),
        _plan("deadline", "date"),
        _plan("contingency_plan"),
        Field("immediate", "立即整改", "check"),
        Field("stoppage", "停产停业", "choice", choices=Stoppage),
        Field("government_coordination", "需政府协调", "check"),
    )),
    Act("progress", "record_progress", HAZARDS, HAZARDS, on_record(hc.RecordProgress, "hazard_id"), (
        Field("note", "整改进展", "textarea", required=True),
        Field("percent", "完成比例（%）", "int"),
        PHOTO,
    ), attach="photo"),
    Act("completion", "complete_rectification", HAZARDS, HAZARDS, on_record(hc.CompleteRectification, "hazard_id"),
        (NOTE, PHOTO), attach="photo"),
    Act("verification", "verify", HAZARDS, HAZARDS, on_record(hc.VerifyRectification, "hazard_id", _assessed), (
        Field("passed", "验收结论", "verdict", required=True),
        Field("opinion", "验收意见", "textarea", required=True),
        Field("assessed_by", "评估验收方", "checks", choices=Assessor),
    )),
    Act("supervision", "list_for_supervision", HAZARDS, HAZARDS, on_record(hc.ListForSupervision, "hazard_id", _listing), (
        Field("level", "督办级别", "choice", required=True, choices=SupervisionLevel),
        Field("supervising_body", "督办单位", required=True),
        Field("document_number", "督办文号", required=True),
        Field("issuer", "签发单位", required=True),
        Field("time_limit", "督办期限", "date", required=True),
        Field("notice_delivered_by", "督办通知送达人"),
        Field("notice_signed_by", "督办通知签收人"),
    )),
    Act("supervision-lift", "lift_supervision", HAZARDS, HAZARDS, on_record(hc.LiftSupervision, "hazard_id"), (
        Field("reason", "摘牌理由", "textarea", required=True),
        Field("approver", "批准单位", required=True),
    )),
    Act("deadline-extension", "extend_deadline", HAZARDS, HAZARDS, on_record(hc.ExtendDeadline, "hazard_id"), (
        Field("request_date", "申请日期", "date", required=True),
        Field("reason", "延期理由", "textarea", required=True),
        Field("new_deadline", "新的整改期限", "date", required=True),
        Field("approver", "批准人", required=True),
    )),
    Act("extension-request", "request_extension", HAZARDS, HAZARDS, on_record(hc.RequestExtension, "hazard_id"), (
        Field("reason", "延期理由", "textarea", required=True),
        Field("requested_deadline", "申请延期至", "date", required=True),
    )),
    Act("extension-approval", "approve_extension", HAZARDS, HAZARDS, on_record(hc.ApproveExtension, "hazard_id"), (
        Field("opinion", "审批意见", "textarea", required=True),
        Field("new_deadline", "批准的整改期限", "date", required=True, hint="不晚于企业申请的期限"),
    )),
    Act("extension-refusal", "refuse_extension", HAZARDS, HAZARDS, on_record(hc.RefuseExtension, "hazard_id"), (
        Field("opinion", "审批意见", "textarea", required=True),
    )),
    Act("closure", "close", HAZARDS, HAZARDS, on_record(hc.CloseHazard, "hazard_id"), (NOTE,)),
    Act("void", "void", HAZARDS, HAZARDS, on_record(hc.VoidHazard, "hazard_id"), (
        Field("reason", "作废理由", "textarea", required=True),
    )),
    Act("open-case", "open_case", HAZARDS, CASES, _open_case, (
        Field("case_number", "案号", required=True),
        Field("legal_basis", "法律依据", required=True),
    )),
    *(Act("document", "issue_document", on, DOCUMENTS, on_record(dc.IssueDocument, "record_id"), (
        Field("kind", "文书种类", "document_kind", required=True, choices=DocumentKind),
    ), section="documents") for on in (HAZARDS, CASES)),
    Act("delivery", "deliver_document", DOCUMENTS, DOCUMENTS, on_record(dc.DeliverDocument, "document_id"), (
        Field("method", "送达方式", "choice", required=True, choices=DeliveryMethod),
        Field("recipient", "受送达人", required=True),
        NOTE,
    )),
    Act("receipt", "receive_document", DOCUMENTS, DOCUMENTS, on_record(dc.ReceiveDocument, "document_id"), (
        Field("received_by", "签收人", required=True),
        NOTE,
    )),
    Act("penalty", "decide_penalty", CASES, CASES, on_record(ec.DecidePenalty, _case), (
        Field("target", "处罚对象", "choice", required=True, choices=PenaltyTarget),
        Field("fine_yuan", "罚款（元）", "int", required=True),
        Field("decision_number", "处罚决定书文号", required=True),
        Field("legal_basis", "法律依据", required=True),
        Field("person_name", "被处罚人姓名", hint="处罚对象为个人时填写"),
        Field("other_measures", "其他措施"),
    )),
    Act("dual-penalty", "impose_dual_penalty", CASES, CASES, on_record(ec.ImposeDualPenalty, _case), (
        Field("enterprise_fine_yuan", "对企业罚款（元）", "int", required=True),
        Field("principal_fine_yuan", "对主要负责人罚款（元）", "int", required=True),
        Field("decision_number", "处罚决定书文号", required=True),
        Field("legal_basis", "法律依据", required=True),
        Field("principal_name", "主要负责人姓名", hint="不填则为企业登记的主要负责人"),
    )),
    Act("suspension", "order_suspension", CASES, CASES, on_record(ec.OrderSuspension, _case), (
        Field("decision_number", "决定书文号", required=True),
        Field("reason", "理由", "textarea", required=True),
    )),
    Act("suspension-lift", "lift_suspension", CASES, CASES, on_record(ec.LiftSuspension, _case), (
        Field("opinion", "复产验收意见", "textarea", required=True),
    )),
    Act("licence", "suspend_or_revoke_licence", CASES, CASES, on_record(ec.SuspendOrRevokeLicence, _case), (
        Field("action", "措施", "choice", required=True, choices=LicenceAction),
        Field("licence_name", "证照名称", required=True),
        Field("licence_number", "证照编号", required=True),
        Field("decision_number", "决定书文号", required=True),
    )),
    Act("interview", "interview_enterprise", CASES, CASES, on_record(ec.InterviewEnterprise, _case), (
        Field("interviewer", "约谈人", required=True),
        NOTE,
    )),
    Act("exposure", "expose_case", CASES, CASES, on_record(ec.ExposeCase, _case), (
        Field("channel", "曝光渠道", required=True),
        Field("title", "标题", required=True),
    )),
    Act("close", "close_case", CASES, CASES, on_record(ec.CloseCase, _case), (
        Field("reason", "结案理由", "textarea", required=True),
        Field("open_hazards_reason", "隐患未整改完成即结案的理由", "textarea", hint="所涉隐患尚未整改完成时必填"),
    )),
)  # fmt: skip
_BY_KEY = {(act.on.key if act.on else None, act.key): act for act in ACTS}


def find_act(record_kind: str | None, key: str) -> Act | None:
    return _BY_KEY.get((record_kind, key))


def done_label(key: str | None) -> str | None:
    """The label of the act named in a page's ``?done=`` (where a form sends the person after it)."""
    return next((act.label for act in ACTS if act.key == key), None)


def acts_for(
    actor: Actor | None, record_kind: str | None, record: Mapping[str, Any] | None = None, section: str = "acts"
) -> list[Act]:
    """The acts offered to ``actor`` on ``record`` of this kind (``None``: the acts that start a record) in the
    page's ``section``: those their role may do (``domain.access.may_act``) and the record's state accepts (for a
    hazard, ``domain.hazard.offered``). Scope and every other rule are the command's to say when it runs."""
    if actor is None:
        return []
    kind = RECORD_KINDS.get(record_kind or "")
    return [
        act
        for act in ACTS
        if (act.on.key if act.on else None) == record_kind
        and act.section == section
        and may_act(actor.role, act.action)
        and (kind is None or record is None or kind.accepts(act.action, record))
    ]
