"""Publication batches (plan rule 5): 定期通报一批、约谈一批、联合惩戒一批、停产整顿一批，并在政务网站或
主流媒体分期分批公布. One batch is one published document naming the enterprises (and the cases) it
covers, so what was published, when, where and by whom is on record. Typical cases (典型执法案例) are
``CasePublishedAsTypical`` on the case itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import event

from domain.actor import Actor
from domain.aggregate_base import LedgerAggregate, stable_topics
from domain.errors import DomainError
from domain.glossary import BatchKind


@stable_topics
class PublicationBatch(LedgerAggregate):
    not_found_code = "batch_not_found"

    @event("BatchPublished")
    def __init__(
        self,
        actor: Actor,
        occurred_at: datetime,
        kind: str,
        title: str,
        document_number: str,
        channel: str,
        enterprise_ids: list[UUID],
        case_ids: list[UUID],
    ) -> None:
        self.kind = BatchKind(kind)
        self.title = title
        self.document_number = document_number
        self.channel = channel
        self.enterprise_ids = list(enterprise_ids)
        self.case_ids = list(case_ids)
        self.published_by = actor
        self.published_at = occurred_at

    @classmethod
    def publish(
        cls,
        *,
        actor: Actor,
        occurred_at: datetime,
        kind: BatchKind | str,
        title: str,
        document_number: str,
        channel: str,
        enterprise_ids: Sequence[UUID],
        case_ids: Sequence[UUID],
    ) -> PublicationBatch:
        try:
            kind = BatchKind(kind)
        except ValueError:
            allowed = ", ".join(m.value for m in BatchKind)
            raise DomainError(
                "invalid_value",
                field="kind",
                reason=f"{kind!r} is not one of {allowed}",
                reason_zh=f"{kind} 不是有效取值（{allowed}）",
            ) from None
        for field, value in (("title", title), ("document_number", document_number), ("channel", channel)):
            if not value.strip():
                raise DomainError("invalid_value", field=field, reason="required", reason_zh="必填")
        if not enterprise_ids:
            raise DomainError(
                "invalid_value", field="enterprise_ids", reason="name at least one enterprise", reason_zh="须列明至少一家企业"
            )
        for field, ids in (("enterprise_ids", list(enterprise_ids)), ("case_ids", list(case_ids))):
            if len(set(ids)) != len(ids):
                raise DomainError("invalid_value", field=field, reason="listed twice", reason_zh="重复")
        return cls(
            actor=actor,
            occurred_at=occurred_at,
            kind=kind.value,
            title=title.strip(),
            document_number=document_number.strip(),
            channel=channel.strip(),
            enterprise_ids=list(enterprise_ids),
            case_ids=list(case_ids),
        )
