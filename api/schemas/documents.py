"""Request bodies of official documents (文书): issue, delivery (送达), receipt (签收)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from api.schemas.records import OCCURRED_AT, example
from domain.glossary import DeliveryMethod, DocumentKind


class DocumentIssueIn(BaseModel):
    model_config = example(kind="rectification_order")
    kind: DocumentKind = Field(description="the document to issue (出具): its kind decides which record state it needs")
    occurred_at: datetime | None = OCCURRED_AT


class DocumentDeliveryIn(BaseModel):
    model_config = example(method="in_person", recipient="张总（主要负责人）", note="现场送达")
    method: DeliveryMethod = Field(description="送达方式")
    recipient: str = Field(min_length=1, description="to whom it was delivered")
    note: str = ""
    occurred_at: datetime | None = OCCURRED_AT


class DocumentReceiptIn(BaseModel):
    model_config = example(received_by="张总", note="")
    received_by: str = Field(min_length=1, description="who signed for it (签收人)")
    note: str = ""
    occurred_at: datetime | None = OCCURRED_AT
