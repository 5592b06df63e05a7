"""Request bodies for the graded warnings (分级警示) of reporting units."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from api.schemas.records import OCCURRED_AT, example
from api.schemas.signatures import SIGNATURE, PersonalSignatureIn  # personal signatures on signed acts


class WarningConfirmationIn(BaseModel):
    model_config = example(note="经区安委办研究，予以安全生产告知", published=True)
    note: str = Field(default="", description="the office's note on the decision")
    published: bool = Field(default=False, description="通报: the warning is publicly notified")
    occurred_at: datetime | None = OCCURRED_AT
    signature: PersonalSignatureIn | None = SIGNATURE  # 确认签名


class WarningDismissalIn(BaseModel):
    model_config = example(reason="该隐患已于期限内申请延期并获批准，不予警示")
    reason: str = Field(min_length=1, description="why no warning is given (required)")
    occurred_at: datetime | None = OCCURRED_AT
