"""Request bodies for enterprises, inspections and hazards."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.signatures import SIGNATURE, PersonalSignatureIn  # personal signatures on signed acts
from domain.glossary import (
    Assessor,
    Grade,
    HazardSource,
    InspectionKind,
    InspectionMethod,
    SpotCheckDeficiency,
    Stoppage,
    SupervisionLevel,
)

OCCURRED_AT = Field(
    default=None,
    description="Business time: when it happened (ISO 8601; no zone = Beijing time). Default: now. "
    "Never in the future; back-dating is limited by HAZARD_BACKDATE_DAYS.",
)


def example(**example: Any) -> ConfigDict:
    return ConfigDict(extra="forbid", json_schema_extra={"examples": [example]})


class Receipt(BaseModel):
    """What a command answers: the record, its new version, the log position reached (read your writes)."""

    id: UUID
    version: int
    position: int


class EnterpriseIn(BaseModel):
    model_config = example(
        credit_code="91530114MA6K123454",
        name="昆明呈贡示例化工有限公司",
        sector="hazardous_chemicals",
        jurisdiction="wulong",
        principal_name="李建国",
        address="呈贡区乌龙街道工业园8号",
        high_risk=True,
    )
    credit_code: str = Field(description="统一社会信用代码, 18 characters with check character")
    name: str = Field(min_length=1)
    sector: str = Field(description="Annex 2 sector row id (GET /api/v1/reference)")
    jurisdiction: str = Field(description="street or zone id (属地)")
    principal_name: str = Field(min_length=1, description="主要负责人")
    address: str = ""
    high_risk: bool = False
    occurred_at: datetime | None = OCCURRED_AT


class PrincipalIn(BaseModel):
    model_config = example(principal_name="王志强")
    principal_name: str = Field(min_length=1)
    occurred_at: datetime | None = OCCURRED_AT


class PersonIn(BaseModel):
    user_id: str = Field(min_length=1)
    name: str = Field(min_length=1)


class InspectionIn(BaseModel):
    model_config = example(
        enterprise_id="ab7711f0-6a0d-5cb5-b602-8b627dcca7dc",
        kind="department",
        method="unannounced",
        inspectors=[{"user_id": "yjj-zhangwei", "name": "张伟"}, {"user_id": "yjj-lina", "name": "李娜"}],
        scope=["储罐区", "特种作业人员持证"],
        led_by_principal=False,
    )
    enterprise_id: UUID
    kind: InspectionKind
    method: InspectionMethod = InspectionMethod.ROUTINE
    inspectors: list[PersonIn] = Field(min_length=1)
    scope: list[str] = Field(default_factory=list, description="checklist items inspected")
    led_by_principal: bool = Field(default=False, description="主要负责人带队 (self-inspections)")
    occurred_at: datetime | None = OCCURRED_AT


class FindingIn(BaseModel):
    model_config = example(item="储罐区", hazard_ids=[], no_major_hazard=True, note="未发现重大事故隐患")
    item: str = Field(min_length=1)
    hazard_ids: list[UUID] = Field(default_factory=list)
    no_major_hazard: bool = Field(default=False, description="explicit statement that no major hazard was found")
    note: str = ""
    occurred_at: datetime | None = OCCURRED_AT
    signature: PersonalSignatureIn | None = SIGNATURE  # 检查人签名 of the recorder


class SignatureIn(BaseModel):
    model_config = example(occurred_at="2023-06-12T16:30:00+08:00")
    occurred_at: datetime | None = OCCURRED_AT
    signature: PersonalSignatureIn | None = SIGNATURE  # 检查人签名


class HazardIn(BaseModel):
    model_config = example(
        enterprise_id="ab7711f0-6a0d-5cb5-b602-8b627dcca7dc",
        grade="major",
        source="self_inspection",
        criterion="《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）》第十二条",
        description="液化烃储罐区可燃气体检测报警装置失效",
        location="2号储罐区",
        existed_since="2023-05-02",
    )
    enterprise_id: UUID
    grade: Grade
    source: HazardSource
    description: str = Field(min_length=1)
    criterion: str = Field(default="", description="判定标准 clause; required for a major")
    sector: str | None = Field(default=None, description="default: the enterprise's sector")
    jurisdiction: str | None = Field(default=None, description="default: the enterprise's street/zone")
    department: str | None = Field(default=None, description="responsible department; default: the sector's lead")
    location: str = ""
    existed_since: date | None = None
    inspection_id: UUID | None = Field(default=None, description="the inspection that found it")
    occurred_at: datetime | None = OCCURRED_AT


class RegulatorReportIn(BaseModel):
    model_config = example(regulator="yjj")
    regulator: str | None = Field(default=None, description="unit reported to; default: the responsible department")
    occurred_at: datetime | None = OCCURRED_AT


class PlanIn(BaseModel):
    model_config = example(
        responsible_person="李建国",
        measures="更换失效探头并接入DCS报警系统",
        funds_yuan=86000,
        deadline="2023-07-15",
        contingency_plan="储罐区泄漏专项应急预案（2023版）",
        immediate=False,
        stoppage="partial",
        government_coordination=False,
    )
    responsible_person: str = ""
    measures: str = ""
    funds_yuan: int | None = Field(default=None, ge=0, description="整改资金, whole yuan")
    deadline: date | None = None
    contingency_plan: str = ""
    immediate: bool = Field(default=False, description="立即整改: fixed on the spot")
    stoppage: Stoppage = Stoppage.NONE
    government_coordination: bool = False
    occurred_at: datetime | None = OCCURRED_AT


class ProgressIn(BaseModel):
    model_config = example(note="已完成探头采购，待安装", percent=40)
    note: str = Field(min_length=1)
    percent: int | None = Field(default=None, ge=0, le=100)
    occurred_at: datetime | None = OCCURRED_AT


class EvidenceIn(BaseModel):
    model_config = example(
        file_name="整改后照片.jpg",
        media_type="image/jpeg",
        content_base64="/9j/4AAQSkZJRg==",
        taken_at="2023-07-10T10:20:00+08:00",
        latitude=24.8893,
        longitude=102.8217,
    )
    file_name: str = Field(min_length=1)
    media_type: str = "application/octet-stream"
    content_base64: str = Field(description="the file's bytes, base64")
    sha256: str | None = Field(default=None, description="optional: checked against the bytes")
    taken_at: datetime | None = None
    latitude: float | None = None
    longitude: float | None = None
    occurred_at: datetime | None = OCCURRED_AT


class ListingIn(BaseModel):
    model_config = example(
        level="district",
        supervising_body="呈贡区人民政府",
        document_number="呈安委督〔2023〕12号",
        issuer="呈贡区安全生产委员会",
        time_limit="2023-08-31",
        notice_delivered_by="张伟",
        notice_signed_by="李建国",
        notice_signed_at="2023-06-20T10:00:00+08:00",
    )
    level: SupervisionLevel
    supervising_body: str = Field(min_length=1)
    document_number: str = Field(min_length=1, description="文号")
    issuer: str = Field(min_length=1)
    time_limit: date
    notice_delivered_by: str = ""
    notice_signed_by: str = ""
    notice_signed_at: datetime | None = None
    occurred_at: datetime | None = OCCURRED_AT


class LiftIn(BaseModel):
    model_config = example(reason="整改验收合格", approver="呈贡区人民政府")
    reason: str = Field(min_length=1)
    approver: str = Field(min_length=1)
    occurred_at: datetime | None = OCCURRED_AT


class CompletionIn(BaseModel):
    model_config = example(note="已完成全部整改措施，申请验收")
    note: str = ""
    occurred_at: datetime | None = OCCURRED_AT


class VerificationIn(BaseModel):
    model_config = example(passed=True, opinion="整改措施落实到位，同意通过验收", assessed_by=["experts", "government"])
    passed: bool
    opinion: str = Field(min_length=1, description="验收意见")
    assessed_by: list[Assessor] = Field(default_factory=list)
    occurred_at: datetime | None = OCCURRED_AT
    signature: PersonalSignatureIn | None = SIGNATURE  # 验收签名


class ClosureIn(BaseModel):
    model_config = example(note="验收合格，予以销号")
    note: str = ""
    occurred_at: datetime | None = OCCURRED_AT
    signature: PersonalSignatureIn | None = SIGNATURE  # 销号签名


class ExtensionIn(BaseModel):
    model_config = example(
        request_date="2023-07-10", reason="设备到货延迟", new_deadline="2023-08-15", approver="区应急管理局 张伟"
    )
    request_date: date
    reason: str = Field(min_length=1)
    new_deadline: date
    approver: str = Field(min_length=1)
    occurred_at: datetime | None = OCCURRED_AT


class ExtensionRequestIn(BaseModel):
    """申请延期: the enterprise's reasons and the deadline it asks for; the request's date is its business time."""

    model_config = example(reason="防爆电机供货延迟，厂家承诺 8 月上旬到货", requested_deadline="2023-08-15")
    reason: str = Field(min_length=1)
    requested_deadline: date
    occurred_at: datetime | None = OCCURRED_AT


class ExtensionApprovalIn(BaseModel):
    """批准延期: the opinion, and the deadline approved (the date asked or an earlier one)."""

    model_config = example(opinion="同意延期，期间落实临时管控措施", new_deadline="2023-08-10")
    opinion: str = Field(min_length=1)
    new_deadline: date
    occurred_at: datetime | None = OCCURRED_AT


class ExtensionRefusalIn(BaseModel):
    """不予延期: the opinion; the deadline in force stays."""

    model_config = example(opinion="延期理由不充分，应按原期限完成整改")
    opinion: str = Field(min_length=1)
    occurred_at: datetime | None = OCCURRED_AT


class DeadlineMissIn(BaseModel):
    """登记（更正）逾期情况: the 区安委办's statement, from paper records, about one deadline."""

    model_config = example(deadline="2023-07-31", missed=True, reason="据督查记录，企业未在期限内完成整改")
    deadline: date
    missed: bool = Field(description="true: the deadline was missed; false: it was kept (cancels the derived miss)")
    reason: str = Field(min_length=1)
    occurred_at: datetime | None = OCCURRED_AT


class VoidIn(BaseModel):
    model_config = example(reason="重复登记，与另一条隐患记录相同")
    reason: str = Field(min_length=1)
    occurred_at: datetime | None = OCCURRED_AT


class DeficienciesIn(BaseModel):
    model_config = example(deficiencies=["principal_not_leading_inspection", "uncertified_special_operations"])
    deficiencies: list[SpotCheckDeficiency] = Field(
        description="the seven deficiencies of Annex 1 §2 found by this spot check; [] states none was found"
    )
    occurred_at: datetime | None = OCCURRED_AT
