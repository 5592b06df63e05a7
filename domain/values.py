"""Value objects carried inside events (stored through ``domain/transcodings.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from domain.glossary import FIVE_ELEMENTS_ZH, Grade, Stoppage, SupervisionLevel


@dataclass(frozen=True)
class Person:
    """A named person, e.g. an inspector of an inspection team."""

    user_id: str
    name: str


@dataclass(frozen=True)
class RectificationPlan:
    """整改方案 with the five elements (五落实), or an immediate rectification (立即整改)."""

    responsible_person: str = ""
    measures: str = ""
    funds_yuan: int | None = None
    deadline: date | None = None
    contingency_plan: str = ""
    immediate: bool = False
    stoppage: Stoppage = Stoppage.NONE
    government_coordination: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "stoppage", Stoppage(self.stoppage))

    def missing_elements(self, grade: Grade) -> list[str]:
        """The elements a plan of this grade still lacks.

        A major needs all five; a general hazard a responsible person, measures and a deadline;
        an immediate rectification a responsible person and measures (its deadline is that day).
        """
        present = {
            "responsible_person": bool(self.responsible_person.strip()),
            "measures": bool(self.measures.strip()),
            "funds_yuan": self.funds_yuan is not None,
            "deadline": self.deadline is not None,
            "contingency_plan": bool(self.contingency_plan.strip()),
        }
        if self.immediate:
            required = ["responsible_person", "measures"]
        elif grade is Grade.MAJOR:
            required = list(FIVE_ELEMENTS_ZH)
        else:
            required = ["responsible_person", "measures", "deadline"]
        return [name for name in required if not present[name]]


@dataclass(frozen=True)
class SupervisionListing:
    """挂牌督办: level, supervising body, document number (文号), issuer, time limit, notice delivery."""

    level: SupervisionLevel
    supervising_body: str
    document_number: str
    issuer: str
    time_limit: date
    notice_delivered_by: str = ""
    notice_signed_by: str = ""
    notice_signed_at: datetime | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "level", SupervisionLevel(self.level))
