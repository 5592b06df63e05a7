"""Request bodies for enforcement cases (执法案件) and publication batches."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.records import OCCURRED_AT, example
from api.schemas.signatures import SIGNATURE, PersonalSignatureIn  # personal signatures on signed acts
from domain.glossary import BatchKind, LicenceAction, PenaltyTarget

FINE = Field(ge=0, description="integer yuan (元); shown in 万元 on the forms")


class CaseIn(BaseModel):
    model_config = example(
        enterprise_id="ab7711f0-6a0d-5cb5-b602-8b627dcca7dc", case_number="呈应急罚〔2023〕15号",
        legal_basis="《安全生产法》第一百零二条", cited_hazard_ids=["c668cefa-d2f9-48bf-b3cd-e03ac95f938b"], accident_ids=[],
    )  # fmt: skip
    enterprise_id: UUID
    case_number: str = Field(min_length=1, description="案号; one case per number")
    legal_basis: str = Field(min_length=1)
    cited_hazard_ids: list[UUID] = Field(default_factory=list)
    accident_ids: list[UUID] = Field(default_factory=list)
    occurred_at: datetime | None = OCCURRED_AT


class PenaltyIn(BaseModel):
    model_config = example(
        target="enterprise", fine_yuan=50000, decision_number="呈应急罚决〔2023〕15号",
        legal_basis="《安全生产法》第一百零二条", person_name="", other_measures="责令限期改正",
    )  # fmt: skip
    target: PenaltyTarget
    fine_yuan: int = FINE
    decision_number: str = Field(min_length=1)
    legal_basis: str = Field(min_length=1)
    person_name: str = Field(default="", description="the person penalised, when target is person")
    other_measures: str = ""
    occurred_at: datetime | None = OCCURRED_AT
    signature: PersonalSignatureIn | None = SIGNATURE  # 处罚决定签名


class DualPenaltyIn(BaseModel):
    model_config = example(
        enterprise_fine_yuan=200000, principal_fine_yuan=30000, decision_number="呈应急罚决〔2023〕16号",
        legal_basis="《安全生产法》第一百一十三条", principal_name="李建国",
    )  # fmt: skip
    enterprise_fine_yuan: int = FINE
    principal_fine_yuan: int = FINE
    decision_number: str = Field(min_length=1)
    legal_basis: str = Field(min_length=1)
    principal_name: str | None = Field(default=None, description="default: the enterprise's principal")
    occurred_at: datetime | None = OCCURRED_AT
    signature: PersonalSignatureIn | None = SIGNATURE  # 处罚决定签名


class SuspensionIn(BaseModel):
    model_config = example(decision_number="呈应急停〔2023〕3号", reason="重大事故隐患排除前无法保证安全")
    decision_number: str = Field(min_length=1)
    reason: str = Field(min_length=1)
    occurred_at: datetime | None = OCCURRED_AT


class SuspensionLiftIn(BaseModel):
    model_config = example(opinion="复产验收合格，同意恢复生产")
    opinion: str = Field(min_length=1, description="复产验收意见")
    occurred_at: datetime | None = OCCURRED_AT


class LicenceIn(BaseModel):
    model_config = example(
        action="suspend",
        licence_name="危险化学品经营许可证",
        licence_number="云昆危化经字〔2021〕000123",
        decision_number="呈应急证〔2023〕2号",
    )
    action: LicenceAction
    licence_name: str = Field(min_length=1)
    licence_number: str = Field(min_length=1)
    decision_number: str = Field(min_length=1)
    occurred_at: datetime | None = OCCURRED_AT


class ClosureRequestIn(BaseModel):
    model_config = example(government="呈贡区人民政府", reason="重大事故隐患长期存在并多次受到处罚")
    government: str = Field(min_length=1)
    reason: str = Field(min_length=1)
    occurred_at: datetime | None = OCCURRED_AT


class ClosureIn(BaseModel):
    model_config = example(government="呈贡区人民政府", decision_number="呈政关〔2023〕1号")
    government: str = Field(min_length=1)
    decision_number: str = Field(min_length=1)
    occurred_at: datetime | None = OCCURRED_AT


class IndustryBanIn(BaseModel):
    model_config = example(years=5, person_name="李建国")
    years: int | None = Field(default=None, ge=1, description="None = lifelong (终身行业禁入)")
    person_name: str | None = Field(default=None, description="default: the enterprise's principal")
    occurred_at: datetime | None = OCCURRED_AT


class JudicialTransferIn(BaseModel):
    model_config = example(
        persons=["李建国", "王五"], suspected_offence="危险作业罪（《刑法》第一百三十四条之一）", dangerous_operations_crime=True
    )
    persons: list[str] = Field(min_length=1)
    suspected_offence: str = Field(min_length=1)
    dangerous_operations_crime: bool = False
    occurred_at: datetime | None = OCCURRED_AT


class JointPunishmentIn(BaseModel):
    model_config = example(measures=["纳入安全生产失信惩戒名单", "限制参与政府采购"])
    measures: list[str] = Field(min_length=1)
    occurred_at: datetime | None = OCCURRED_AT


class InterviewIn(BaseModel):
    model_config = example(interviewer="区应急管理局 张伟", note="约谈企业主要负责人，督促落实整改")
    interviewer: str = Field(min_length=1)
    note: str = ""
    occurred_at: datetime | None = OCCURRED_AT


class ExposureIn(BaseModel):
    model_config = example(channel="呈贡区人民政府网站", title="呈贡区曝光一批安全生产违法行为")
    channel: str = Field(min_length=1)
    title: str = Field(min_length=1)
    occurred_at: datetime | None = OCCURRED_AT


class TypicalCaseIn(BaseModel):
    model_config = example(title="某化工企业关闭可燃气体报警装置危险作业案", dangerous_operations_crime=True)
    title: str = Field(min_length=1)
    dangerous_operations_crime: bool = False
    occurred_at: datetime | None = OCCURRED_AT


class ClosureRecommendationIn(BaseModel):
    model_config = example(hazard_id="c668cefa-d2f9-48bf-b3cd-e03ac95f938b", other_case_ids=[])
    hazard_id: UUID
    other_case_ids: list[UUID] = Field(default_factory=list, description="other cases citing the hazard")
    occurred_at: datetime | None = OCCURRED_AT


class CaseCloseIn(BaseModel):
    model_config = example(reason="处罚决定已执行完毕", open_hazards_reason="")
    reason: str = Field(min_length=1)
    open_hazards_reason: str = Field(default="", description="required while a cited hazard is still open (no 以罚代管)")
    occurred_at: datetime | None = OCCURRED_AT


class BatchIn(BaseModel):
    model_config = example(
        kind="notice", title="关于通报一批安全生产违法企业的通报", document_number="呈安委办〔2023〕21号",
        channel="呈贡区人民政府网站", enterprise_ids=["ab7711f0-6a0d-5cb5-b602-8b627dcca7dc"], case_ids=[],
    )  # fmt: skip
    kind: BatchKind
    title: str = Field(min_length=1)
    document_number: str = Field(min_length=1)
    channel: str = Field(min_length=1)
    enterprise_ids: list[UUID] = Field(min_length=1)
    case_ids: list[UUID] = Field(default_factory=list)
    occurred_at: datetime | None = OCCURRED_AT
