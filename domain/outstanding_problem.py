"""The outstanding problem (突出问题) aggregate: Annex 2 group 解决突出问题.

    ProblemIdentified ──RootCauseMeasureAdopted (治本措施, any number)──▶ … ──ProblemRectified (once)──▶ rectified

A rectified problem accepts nothing more: no second rectification, no measure adopted afterwards.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import event

from domain.actor import Actor
from domain.aggregate_base import LedgerAggregate, stable_topics
from domain.errors import DomainError
from domain.glossary import ACTION_LABELS, ProblemState
from domain.inputs import required_text


@stable_topics
class OutstandingProblem(LedgerAggregate):
    not_found_code = "problem_not_found"

    @event("ProblemIdentified")
    def __init__(
        self,
        actor: Actor,
        occurred_at: datetime,
        unit_id: str,
        sector: str,
        jurisdiction: str | None,
        enterprise_id: UUID | None,
        description: str,
    ) -> None:
        self.unit_id = unit_id
        self.sector = sector
        self.jurisdiction = jurisdiction
        self.enterprise_id = enterprise_id
        self.description = description
        self.identified_by = actor
        self.identified_at = occurred_at
        self.state = ProblemState.IDENTIFIED
        self.measures: list[str] = []
        self.rectified_at: datetime | None = None
        self.rectification_note = ""

    @classmethod
    def identify(
        cls,
        *,
        actor: Actor,
        occurred_at: datetime,
        unit_id: str,
        sector: str,
        jurisdiction: str | None,
        enterprise_id: UUID | None,
        description: str,
    ) -> OutstandingProblem:
        return cls(
            actor=actor,
            occurred_at=occurred_at,
            unit_id=unit_id,
            sector=sector,
            jurisdiction=jurisdiction,
            enterprise_id=enterprise_id,
            description=required_text(description, "description"),
        )

    @property
    def rectified(self) -> bool:
        return self.state is ProblemState.RECTIFIED

    @property
    def has_root_cause_measure(self) -> bool:
        """Counts in Annex 2 其中：落实治本措施."""
        return bool(self.measures)

    def _check_open(self, action: str, occurred_at: datetime) -> None:
        if self.rectified:
            raise DomainError("problem_already_rectified", action=action.replace("_", " "), action_zh=ACTION_LABELS[action])
        self.check_business_order(occurred_at)

    def adopt_root_cause_measure(self, actor: Actor, occurred_at: datetime, measure: str) -> None:
        self._check_open("adopt_root_cause_measure", occurred_at)
        self._measure_adopted(actor=actor, occurred_at=occurred_at, measure=required_text(measure, "measure"))

    def rectify(self, actor: Actor, occurred_at: datetime, note: str) -> None:
        self._check_open("rectify_problem", occurred_at)
        self._rectified(actor=actor, occurred_at=occurred_at, note=required_text(note, "note"))

    @event("RootCauseMeasureAdopted")
    def _measure_adopted(self, actor: Actor, occurred_at: datetime, measure: str) -> None:
        self.measures.append(measure)

    @event("ProblemRectified")
    def _rectified(self, actor: Actor, occurred_at: datetime, note: str) -> None:
        self.state = ProblemState.RECTIFIED
        self.rectified_at = occurred_at
        self.rectification_note = note
