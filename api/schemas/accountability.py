"""Request bodies for accountability (责任倒查、追责问责)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.records import OCCURRED_AT, example


class AccountablePersonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    user_id: str | None = Field(default=None, description="the person's user id in the ledger, when they have one")
    name: str = Field(min_length=1)
    organisation: str = Field(min_length=1, description="单位")
    role: str = Field(min_length=1, description="职务 / 角色, e.g. 执法人员")


class AccountabilityIn(BaseModel):
    model_config = example(
        hazard_ids=["0b7f9f0e-2b8c-4a37-9c6e-0e7d2b1f4a11"], inspection_ids=["5d1c1a7e-7f0a-4c8b-8d0e-3b2a6f9e7c21"],
        persons=[{"user_id": "yjj-zhang", "name": "张伟", "organisation": "区应急管理局", "role": "执法人员"}],
        measures=["诫勉谈话", "通报批评"], decided_by="ajb", summary="检查时未发现已存在的重大事故隐患（明明有问题却查不出）",
        occurred_at="2023-11-20T10:00:00+08:00",
    )  # fmt: skip
    hazard_ids: list[UUID] = Field(default_factory=list)
    accident_ids: list[UUID] = Field(default_factory=list)
    inspection_ids: list[UUID] = Field(default_factory=list)
    persons: list[AccountablePersonIn] = Field(min_length=1, description="被追责问责人员")
    measures: list[str] = Field(min_length=1, description="诫勉谈话, 通报批评, 党纪政务处分, 移送司法机关 …")
    decided_by: str | None = Field(default=None, description="the deciding unit's id; default: the recorder's organisation")
    summary: str = ""
    occurred_at: datetime | None = OCCURRED_AT
