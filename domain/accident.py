"""The production safety accident (生产安全事故) aggregate.

An accident is reported with what the warning ladder (分级警示) and the veto flags (一票否优 /
一票否决, DESIGN §3.4) read: its grade, deaths, whether it is a liability accident (责任事故), the
level of government that lists it for supervision (挂牌督办的事故), and its sector row and territory
(属地), which decide the reporting units it counts for (DESIGN §5). The investigation's conclusion
confirms or denies liability and names the responsible persons.

    AccidentReported ──AccidentListed (district → city → province, only upwards)──▶ …
                     ──AccidentInvestigationConcluded (once)──▶ …

The grade is the reporter's, but it can never be lower than the one its deaths or direct loss imply
under 《生产安全事故报告和调查处理条例》(国务院令第493号) art. 3 — the form of 瞒报 that would dodge a
veto. Injuries are not checked: the regulation counts serious injuries (重伤) only, and this field
holds all injured persons.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import event

from domain.actor import Actor
from domain.aggregate_base import LedgerAggregate, stable_topics
from domain.errors import DomainError
from domain.glossary import AccidentGrade, SupervisionLevel
from domain.inputs import invalid, required_text, term, texts, whole

G = AccidentGrade
GRADE_ORDER: tuple[AccidentGrade, ...] = (G.GENERAL, G.LARGER, G.MAJOR, G.ESPECIALLY_MAJOR)
LEVEL_ORDER: tuple[SupervisionLevel, ...] = (SupervisionLevel.DISTRICT, SupervisionLevel.CITY, SupervisionLevel.PROVINCE)

# 国务院令第493号 art. 3: the lower bound of each grade ("以上"包括本数), highest first.
DEATH_FLOORS: tuple[tuple[int, AccidentGrade], ...] = ((30, G.ESPECIALLY_MAJOR), (10, G.MAJOR), (3, G.LARGER))
LOSS_FLOORS_YUAN: tuple[tuple[int, AccidentGrade], ...] = (
    (100_000_000, G.ESPECIALLY_MAJOR),
    (50_000_000, G.MAJOR),
    (10_000_000, G.LARGER),
)


def implied_grade(deaths: int, direct_loss_yuan: int) -> tuple[AccidentGrade, str]:
    """The lowest grade the figures allow, and which figure sets it ("deaths", "direct_loss_yuan" or "")."""
    by_deaths = next((g for floor, g in DEATH_FLOORS if deaths >= floor), G.GENERAL)
    by_loss = next((g for floor, g in LOSS_FLOORS_YUAN if direct_loss_yuan >= floor), G.GENERAL)
    if GRADE_ORDER.index(by_deaths) >= GRADE_ORDER.index(by_loss):
        return by_deaths, ("deaths" if by_deaths is not G.GENERAL else "")
    return by_loss, "direct_loss_yuan"


_BASIS_ZH = {"deaths": "死亡人数", "direct_loss_yuan": "直接经济损失"}


@stable_topics
class Accident(LedgerAggregate):
    not_found_code = "accident_not_found"

    @event("AccidentReported")
    def __init__(
        self,
        actor: Actor,
        occurred_at: datetime,
        enterprise_id: UUID | None,
        sector: str,
        jurisdiction: str,
        grade: str,
        deaths: int,
        injuries: int,
        direct_loss_yuan: int,
        liability: bool,
        description: str,
        location: str,
    ) -> None:
        self.enterprise_id = enterprise_id
        self.sector = sector
        self.jurisdiction = jurisdiction
        self.grade = AccidentGrade(grade)
        self.deaths = deaths
        self.injuries = injuries
        self.direct_loss_yuan = direct_loss_yuan
        self.liability_reported = liability
        self.description = description
        self.location = location
        # The accident's own time: the business time of its report.
        self.happened_at = occurred_at
        self.reported_by = actor
        self.listing_level: SupervisionLevel | None = None
        self.listings: list[dict[str, object]] = []
        self.investigation_concluded = False
        self.liability_confirmed: bool | None = None
        self.responsible_persons: list[str] = []
        self.investigation_summary = ""

    @classmethod
    def report(
        cls,
        *,
        actor: Actor,
        occurred_at: datetime,
        enterprise_id: UUID | None,
        sector: str,
        jurisdiction: str,
        grade: AccidentGrade | str,
        deaths: int,
        injuries: int,
        direct_loss_yuan: int,
        liability: bool,
        description: str,
        location: str = "",
    ) -> Accident:
        grade = term(AccidentGrade, grade, "grade")
        deaths = whole(deaths, "deaths", 0)
        injuries = whole(injuries, "injuries", 0)
        direct_loss_yuan = whole(direct_loss_yuan, "direct_loss_yuan", 0)
        if not isinstance(liability, bool):
            invalid("liability", "true or false", "应为是或否")
        description = required_text(description, "description")
        implied, basis = implied_grade(deaths, direct_loss_yuan)
        if GRADE_ORDER.index(grade) < GRADE_ORDER.index(implied):
            raise DomainError(
                "accident_grade_too_low",
                grade=grade.value,
                grade_zh=grade.zh,
                implied=implied.value,
                implied_zh=implied.zh,
                basis=basis,
                basis_zh=_BASIS_ZH[basis],
            )
        return cls(
            actor=actor,
            occurred_at=occurred_at,
            enterprise_id=enterprise_id,
            sector=sector,
            jurisdiction=jurisdiction,
            grade=grade.value,
            deaths=deaths,
            injuries=injuries,
            direct_loss_yuan=direct_loss_yuan,
            liability=liability,
            description=description,
            location=location.strip(),
        )

    # ----- what the warning ladder and the veto flags read --------------------------------------

    @property
    def liability(self) -> bool:
        """A liability accident (责任事故): as the investigation concluded, else as reported."""
        return self.liability_reported if self.liability_confirmed is None else self.liability_confirmed

    @property
    def fatal(self) -> bool:
        return self.deaths > 0

    @property
    def is_listed(self) -> bool:
        return self.listing_level is not None

    # ----- commands ----------------------------------------------------------------------------

    def list_for_supervision(
        self,
        actor: Actor,
        occurred_at: datetime,
        level: SupervisionLevel | str,
        supervising_body: str,
        document_number: str,
    ) -> None:
        """挂牌督办 by a level of government; a higher level may list an accident listed lower down."""
        self.check_business_order(occurred_at)
        level = term(SupervisionLevel, level, "level")
        if self.listing_level is not None and LEVEL_ORDER.index(level) <= LEVEL_ORDER.index(self.listing_level):
            raise DomainError("accident_already_listed", level=self.listing_level.value, level_zh=self.listing_level.zh)
        self._listed(
            actor=actor,
            occurred_at=occurred_at,
            level=level.value,
            supervising_body=required_text(supervising_body, "supervising_body"),
            document_number=required_text(document_number, "document_number"),
        )

    def conclude_investigation(
        self,
        actor: Actor,
        occurred_at: datetime,
        liability: bool,
        responsible_persons: list[str],
        summary: str,
    ) -> None:
        """The investigation's conclusion (事故调查结论), once: liability confirmed or not, and who is responsible."""
        self.check_business_order(occurred_at)
        if self.investigation_concluded:
            raise DomainError("investigation_already_concluded")
        if not isinstance(liability, bool):
            invalid("liability", "true or false", "应为是或否")
        persons = texts(responsible_persons, "responsible_persons")
        if liability and not persons:
            invalid("responsible_persons", "a liability accident names the responsible persons", "责任事故须列明责任人员")
        if not liability and persons:
            invalid(
                "responsible_persons",
                "an accident without liability names no responsible persons",
                "非责任事故不应列明责任人员",
            )
        self._investigation_concluded(
            actor=actor,
            occurred_at=occurred_at,
            liability=liability,
            responsible_persons=persons,
            summary=summary.strip(),
        )

    # ----- events (state assignment only) ------------------------------------------------------

    @event("AccidentListed")
    def _listed(self, actor: Actor, occurred_at: datetime, level: str, supervising_body: str, document_number: str) -> None:
        self.listing_level = SupervisionLevel(level)
        self.listings.append(
            {"level": level, "supervising_body": supervising_body, "document_number": document_number, "listed_at": occurred_at}
        )

    @event("AccidentInvestigationConcluded")
    def _investigation_concluded(
        self, actor: Actor, occurred_at: datetime, liability: bool, responsible_persons: list[str], summary: str
    ) -> None:
        self.investigation_concluded = True
        self.liability_confirmed = liability
        self.responsible_persons = list(responsible_persons)
        self.investigation_summary = summary
