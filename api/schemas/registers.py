"""Request bodies for accidents, risk points (4个清单), outstanding problems and unit activities."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.records import OCCURRED_AT, example
from domain.glossary import AccidentGrade, ActivityKind, GovernmentMeasure, SupervisionLevel


class AccidentIn(BaseModel):
    model_config = example(
        grade="general", deaths=1, injuries=2, direct_loss_yuan=1200000, liability=True,
        description="仓库叉车作业发生物体打击事故", enterprise_id="ab7711f0-6a0d-5cb5-b602-8b627dcca7dc",
        location="3号仓库", occurred_at="2023-08-14T10:30:00+08:00",
    )  # fmt: skip
    grade: AccidentGrade
    deaths: int = Field(ge=0)
    injuries: int = Field(ge=0)
    direct_loss_yuan: int = Field(ge=0)
    liability: bool = Field(description="责任事故")
    description: str = Field(min_length=1)
    enterprise_id: UUID | None = None
    sector: str | None = Field(default=None, description="default: the enterprise's sector")
    jurisdiction: str | None = Field(default=None, description="default: the enterprise's street/zone")
    location: str = ""
    occurred_at: datetime | None = OCCURRED_AT


class AccidentListingIn(BaseModel):
    model_config = example(level="district", supervising_body="呈贡区安全生产委员会", document_number="呈安委督〔2023〕8号")
    level: SupervisionLevel
    supervising_body: str = Field(min_length=1)
    document_number: str = Field(min_length=1)
    occurred_at: datetime | None = OCCURRED_AT


class InvestigationIn(BaseModel):
    model_config = example(liability=True, responsible_persons=["李建国", "王五"], summary="违章指挥，安全管理缺失")
    liability: bool
    responsible_persons: list[str] = Field(default_factory=list)
    summary: str = Field(min_length=1)
    occurred_at: datetime | None = OCCURRED_AT


class CharacteristicsIn(BaseModel):
    accident_types: list[str] = Field(default_factory=list, description="可能发生的事故类型: 火灾、爆炸…")
    max_casualties: int | None = Field(default=None, ge=0)
    max_direct_loss_yuan: int | None = Field(default=None, ge=0)
    social_impact: str = ""


class RiskPointIn(BaseModel):
    model_config = example(
        enterprise_id="ab7711f0-6a0d-5cb5-b602-8b627dcca7dc", name="液化烃球罐区", description="4台1000m³液化石油气球罐",
        address="昆明市呈贡区乌龙街道工业园8号", assessed=True,
        characteristics={"accident_types": ["火灾", "爆炸"], "max_casualties": 30, "max_direct_loss_yuan": 50000000,
                         "social_impact": "可能造成周边道路封闭、群众疏散"},
    )  # fmt: skip
    enterprise_id: UUID
    name: str = Field(min_length=1)
    description: str = ""
    address: str = ""
    assessed: bool = Field(default=False, description="是否开展风险评估")
    characteristics: CharacteristicsIn | None = None
    sector: str | None = None
    jurisdiction: str | None = None
    occurred_at: datetime | None = OCCURRED_AT


class BasicInfoIn(BaseModel):
    model_config = example(description="4台1000m³液化石油气球罐", address="昆明市呈贡区乌龙街道工业园8号", assessed=True)
    description: str = ""
    address: str = ""
    assessed: bool = False
    characteristics: CharacteristicsIn | None = None
    occurred_at: datetime | None = OCCURRED_AT


class ResponsibilityIn(BaseModel):
    model_config = example(
        department="yjj", department_person="张伟", department_phone="13888000001", principal_name="李建国", principal_phone="13988000002"
    )  # fmt: skip
    department: str = Field(min_length=1)
    department_person: str = Field(min_length=1)
    department_phone: str = Field(min_length=1)
    principal_name: str = Field(min_length=1)
    principal_phone: str = Field(min_length=1)
    occurred_at: datetime | None = OCCURRED_AT


class ControlMeasuresIn(BaseModel):
    model_config = example(
        enterprise_measures=["设置可燃气体报警并联锁切断", "每班巡检"],
        government_measures=["listed_for_supervision", "reduce_personnel"],
    )
    enterprise_measures: list[str] = Field(default_factory=list)
    government_measures: list[GovernmentMeasure] = Field(default_factory=list)
    occurred_at: datetime | None = OCCURRED_AT


class SupplyIn(BaseModel):
    category: str = Field(min_length=1)
    name: str = Field(min_length=1)
    quantity: int = Field(ge=0)
    unit: str = Field(min_length=1)


class EmergencyIn(BaseModel):
    model_config = example(
        measures=["立即启动应急预案", "切断物料并疏散人员"],
        supplies=[{"category": "消防", "name": "干粉灭火器", "quantity": 40, "unit": "具"}],
    )  # fmt: skip
    measures: list[str] = Field(default_factory=list)
    supplies: list[SupplyIn] = Field(default_factory=list)
    occurred_at: datetime | None = OCCURRED_AT


class ProblemIn(BaseModel):
    model_config = example(description="部分小微企业未建立安全管理机构", sector="industry_trade", unit_id="yjj")
    description: str = Field(min_length=1)
    sector: str | None = None
    unit_id: str | None = Field(default=None, description="identifying unit; default: the actor's organisation")
    enterprise_id: UUID | None = None
    jurisdiction: str | None = None
    occurred_at: datetime | None = OCCURRED_AT


class RootCauseIn(BaseModel):
    model_config = example(measure="建立小微企业安全托管服务机制")
    measure: str = Field(min_length=1, description="治本措施")
    occurred_at: datetime | None = OCCURRED_AT


class ProblemRectificationIn(BaseModel):
    model_config = example(note="已完成整改并复查")
    note: str = ""
    occurred_at: datetime | None = OCCURRED_AT


class ActivityIn(BaseModel):
    model_config = example(kind="tipoff_reward", count=1, amount_yuan=5000, anonymous_amount_yuan=2000, note="查实举报奖励")
    kind: ActivityKind
    count: int | None = Field(default=None, ge=1)
    value: int | None = Field(default=None, ge=0, description="technical_inspectors only: the current number")
    amount_yuan: int | None = Field(default=None, ge=0, description="tipoff_reward only")
    anonymous_amount_yuan: int | None = Field(default=None, ge=0)
    enterprise_id: UUID | None = None
    sector: str | None = None
    note: str = ""
    occurred_at: datetime | None = OCCURRED_AT
