"""The demo district (演示区县): a realistic, deterministic 2023 campaign story for 昆明市呈贡区.

``load_demo(ledger, seed=2023)`` fills a fresh ledger through the public commands of
``domain.ledger.Ledger`` only, every command with an explicit business time (``occurred_at``)
inside the campaign months of ``ledger.reference.campaign`` (China time):

- the 区安委办 registers some forty enterprises over fifteen sector rows (行业领域), each with a valid
  统一社会信用代码, an address in a 呈贡 street or the zone, a principal and a safety manager;
- departments inspect (部门检查 / 抽查, 常规、四不两直、明查暗访 …) with named two- or three-person teams,
  record findings (hazards found, or explicitly "未发现重大事故隐患" per checklist item) and sign;
  enterprises run principal-led self-inspections (high-risk enterprises monthly); the 区安委办 runs
  unannounced supervision visits (督导检查); tip-offs (举报) are checked by departments;
- some clean, signed inspections are followed months later by a hazard on the same enterprise and
  item that existed before the clean inspection (material for "inspected but missed");
- about 120 hazards, a third of them major with their 判定标准 clause, reported in every campaign month
  and ending in every state: reported, rectifying (some overdue, some with an approved extension),
  pending verification, verified, closed and voided; majors reported to the regulator, listed for
  supervision (挂牌督办) and lifted before closing, two still listed; failed verifications followed by
  re-completion; evidence (tiny PNG/JPEG/PDF payloads with GPS in 呈贡) attached along the way;
- spot checks (抽查) record which of the seven deficiencies of Annex 1 they found, or none;
- enforcement cases (执法案件) by five departments, each story built on hazards of its own so the plan's
  five rules meet the facts they need on any seed: a major that lapsed (逾期) → 一案双罚, 停产整顿 and
  复产验收 after verification; accidents → 一案双罚, a further penalty, 移送司法机关; a repeat offender
  (a fireworks wholesaler registered for the purpose) → 建议提请关闭 → 提请关闭 → 关闭取缔 → 吊销证照,
  终身行业禁入, 移送司法机关 (危险作业罪), 联合惩戒; a self-reported major → 依法不予行政处罚 and a case
  closed with a reason while the hazard is open; a gas station's alarm switched off → a listed major,
  暂扣证照, 危险作业罪; 约谈警示, 曝光, 典型案例; publication batches of the four kinds;
- five accidents (two general ones in one street within a month, a 较大 one listed by the city, one
  listed by the district, one without liability); sixteen risk points with their four lists (most
  complete, three not); eleven outstanding problems; the work logs of six units with every activity
  kind of Annex 1 and Annex 2.

Every step is a typed command through ``Ledger.execute``; a refused step stops the demo (it doubles
as a smoke test). The commands the ledger must refuse are catalogued in
``tests/unit/test_demo_refusals.py``. The fixed material (enterprises, hazard templates, risk points,
problems …) is data in ``demo/data/`` (read by ``demo/tables.py``).

The whole story is planned first (one ``random.Random(seed)``, never the global generator), then
executed in business-time order, so the store's order of events follows the calendar; document
numbers (案号, 决定书文号) are taken as their steps run, so each series rises with the calendar. The
same seed gives the same story; ``DemoSummary.digest`` fingerprints it.
"""

from __future__ import annotations

import hashlib
import random
import struct
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from demo.tables import (
    CASE_PREFIXES,
    EXPERT_BODY,
    FATAL_ACCIDENTS,
    GAS_ALARM_OFF,
    GIVEN,
    HAZARDS,
    JOINT_MEASURES,
    MAJOR_SHARE,
    MIN_STATE,
    MINOR_ACCIDENTS,
    MISSED_PAIRS,
    MONTH_WEIGHTS,
    OFFICE_ACTIVITIES,
    PROBLEMS,
    PROFILES,
    RISK_POINTS,
    ROADS,
    SAFETY_LAW,
    SOURCE_WEIGHTS,
    SUPPLY_KITS,
    SURNAMES,
    TOTAL_HAZARDS,
    TRADE_NAMES,
    RiskSpec,
    Template,
)
from domain.actor import SYSTEM_ACTOR, Actor
from domain.business_time import CHINA_TZ, business_date
from domain.commands.accidents import ConcludeInvestigation, ListAccident, ReportAccident
from domain.commands.accountability import PursueAccountability
from domain.commands.base import RecordCommand
from domain.commands.enforcement import (
    ApplyIndustryBan,
    ApplyJointPunishment,
    CloseCase,
    DecidePenalty,
    ExposeCase,
    ImposeDualPenalty,
    InterviewEnterprise,
    LiftSuspension,
    OpenCase,
    OrderClosure,
    OrderSuspension,
    PublishAsTypical,
    PublishBatch,
    RecommendClosure,
    RequestClosure,
    SuspendOrRevokeLicence,
    TransferToJudiciary,
)
from domain.commands.enterprises import RegisterEnterprise
from domain.commands.hazards import (
    AttachEvidence,
    CloseHazard,
    CompleteRectification,
    ExtendDeadline,
    FilePlan,
    LiftSupervision,
    ListForSupervision,
    MarkDeadlineMissed,
    RecordProgress,
    ReportHazard,
    ReportToRegulator,
    VerifyRectification,
    VoidHazard,
)
from domain.commands.inspections import ConductInspection, RecordDeficiencies, RecordFinding, SignInspection
from domain.commands.risks import (
    AdoptRootCauseMeasure,
    IdentifyProblem,
    ListControlMeasures,
    ListEmergency,
    ListResponsibility,
    RectifyProblem,
    RegisterRiskPoint,
)
from domain.commands.warnings import ConfirmWarning, ProposeWarning
from domain.commands.work_logs import RecordActivity
from domain.credit_code import ALPHABET, check_character
from domain.enterprise import enterprise_id_for
from domain.errors import DomainError
from domain.glossary import (
    AccidentGrade,
    ActivityKind,
    Assessor,
    BatchKind,
    Grade,
    HazardSource,
    HazardState,
    InspectionKind,
    InspectionMethod,
    OrgKind,
    Role,
    SpotCheckDeficiency,
    Stoppage,
    SupervisionLevel,
    WarningLevel,
    WarningTrigger,
)
from domain.ledger import Ledger, Receipt
from domain.risk_point import EmergencySupply, HazardCharacteristics
from domain.values import Person, RectificationPlan, SupervisionListing

__all__ = ["DemoSummary", "load_demo"]

# The verbs the story names for a step on an existing hazard, case or accident, and the command each
# one issues (an explicit vocabulary; the record's id goes in as hazard_id, case_id or accident_id).
VERBS: dict[str, type[RecordCommand]] = {
    # hazards
    "report_to_regulator": ReportToRegulator,
    "file_plan": FilePlan,
    "record_progress": RecordProgress,
    "lift_supervision": LiftSupervision,
    "extend_deadline": ExtendDeadline,
    "mark_deadline_missed": MarkDeadlineMissed,
    "complete_rectification": CompleteRectification,
    "verify": VerifyRectification,
    "close_hazard": CloseHazard,
    "void_hazard": VoidHazard,
    # enforcement cases
    "decide_penalty": DecidePenalty,
    "impose_dual_penalty": ImposeDualPenalty,
    "order_suspension": OrderSuspension,
    "lift_suspension": LiftSuspension,
    "suspend_or_revoke_licence": SuspendOrRevokeLicence,
    "request_closure": RequestClosure,
    "order_closure": OrderClosure,
    "apply_industry_ban": ApplyIndustryBan,
    "transfer_to_judiciary": TransferToJudiciary,
    "apply_joint_punishment": ApplyJointPunishment,
    "interview_enterprise": InterviewEnterprise,
    "expose_case": ExposeCase,
    "publish_as_typical": PublishAsTypical,
    "recommend_closure": RecommendClosure,
    "close_case": CloseCase,
    # accidents
    "list_accident": ListAccident,
    "conclude_investigation": ConcludeInvestigation,
}

S = HazardState
M, G = Grade.MAJOR, Grade.GENERAL


@dataclass(frozen=True)
class DemoSummary:
    """What ``load_demo`` put into the ledger. Equal for equal seeds (ids are not compared)."""

    seed: int
    enterprises: int
    sectors: int
    people: int
    inspections: int
    hazards: int
    majors: int
    events: int
    hazards_by_state: dict[str, int]
    hazards_by_month: dict[str, int]
    overdue: int
    listed: int
    digest: str
    # the rest of the campaign
    cases: int  # enforcement cases opened (执法案件)
    penalty_decisions: int  # a dual penalty counts once per decision
    fines_yuan: int
    batches: int  # publication batches (分批公布)
    accidents: int
    risk_points: int
    risk_points_controlled: int  # all four lists complete
    problems: int  # outstanding problems (突出问题)
    activities: int  # work-log activities of the reporting units
    spot_checks: int  # spot checks that recorded their deficiencies (or none)
    enterprise_ids: tuple[UUID, ...] = field(default=(), compare=False, repr=False)
    inspection_ids: tuple[UUID, ...] = field(default=(), compare=False, repr=False)
    hazard_ids: tuple[UUID, ...] = field(default=(), compare=False, repr=False)
    case_ids: tuple[UUID, ...] = field(default=(), compare=False, repr=False)
    batch_ids: tuple[UUID, ...] = field(default=(), compare=False, repr=False)
    accident_ids: tuple[UUID, ...] = field(default=(), compare=False, repr=False)
    risk_point_ids: tuple[UUID, ...] = field(default=(), compare=False, repr=False)
    problem_ids: tuple[UUID, ...] = field(default=(), compare=False, repr=False)
    work_log_ids: tuple[UUID, ...] = field(default=(), compare=False, repr=False)
    warning_ids: tuple[UUID, ...] = field(default=(), compare=False, repr=False)
    accountability_ids: tuple[UUID, ...] = field(default=(), compare=False, repr=False)  # 责任倒查、追责问责


# ---------------------------------------------------------------------------------------------
# Planning structures
# ---------------------------------------------------------------------------------------------


@dataclass
class _Enterprise:
    index: int
    credit_code: str
    name: str
    sector: str
    jurisdiction: str
    address: str
    high_risk: bool
    principal: Actor
    safety: Actor
    lat: float
    lon: float

    @property
    def id(self) -> UUID:
        return enterprise_id_for(self.credit_code)


@dataclass
class _Inspection:
    key: str
    enterprise: _Enterprise
    recorder: Actor
    team: list[Actor]
    kind: InspectionKind
    method: InspectionMethod
    scope: list[str]
    when: datetime
    led_by_principal: bool = False
    id: UUID | None = None
    findings_done: datetime | None = None  # the last finding: spot-check deficiencies follow it
    signed_at: datetime | None = None  # the last signature


@dataclass
class _Hazard:
    key: str
    enterprise: _Enterprise
    department: str
    grade: Grade
    source: HazardSource
    item: str
    description: str
    criterion: str
    measures: str
    location: str
    t0: datetime
    reporter: Actor
    existed_since: date | None = None
    inspection: _Inspection | None = None
    target: HazardState = S.CLOSED
    flags: set[str] = field(default_factory=set)
    listing_at: datetime | None = None
    listing_number: str = ""
    times: list[tuple[str, datetime]] = field(default_factory=list)  # the planned lifecycle
    id: UUID | None = None


@dataclass
class _Accident:
    key: str
    enterprise: _Enterprise | None
    id: UUID | None = None


@dataclass(frozen=True)
class _Next:
    """A document number (案号, 决定书文号) taken when its step runs, so that each series rises with
    business time whatever order the story was planned in."""

    series: str
    gap: int


@dataclass
class _Case:
    key: str
    series: _Next
    unit: str
    enterprise: _Enterprise
    officer: Actor
    hazards: list[_Hazard]
    accidents: list[_Accident]
    number: str = ""  # 案号, given when the case is opened
    decisions: list[str] = field(default_factory=list)  # decision numbers, as issued
    id: UUID | None = None


@dataclass
class _Record:
    """A publication batch, risk point or outstanding problem of the plan."""

    key: str
    id: UUID | None = None


@dataclass(order=True)
class _Step:
    when: datetime
    seq: int
    label: str = field(compare=False)
    run: Callable[[], Receipt] = field(compare=False, repr=False)


def _at(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=CHINA_TZ)


def _png(rgb: tuple[int, int, int], text: str) -> bytes:
    """A valid 1x1 PNG carrying a UTF-8 description (iTXt)."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    itxt = b"Description\x00\x00\x00\x00\x00" + text.encode("utf-8")
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"iTXt", itxt)
        + chunk(b"IDAT", zlib.compress(b"\x00" + bytes(rgb)))
        + chunk(b"IEND", b"")
    )


def _jpeg(text: str) -> bytes:
    """A JPEG-like payload: SOI, JFIF APP0, a comment segment with the text, EOI."""
    comment = text.encode("utf-8")[:60000]
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return (
        b"\xff\xd8"
        + b"\xff\xe0"
        + struct.pack(">H", len(app0) + 2)
        + app0
        + b"\xff\xfe"
        + struct.pack(">H", len(comment) + 2)
        + comment
        + b"\xff\xd9"
    )


def _pdf(title: str, lines: list[str]) -> bytes:
    body = "\n".join(["%PDF-1.4", f"% {title}", *(f"% {line}" for line in lines), "%%EOF", ""])
    return body.encode("utf-8")


# ---------------------------------------------------------------------------------------------
# The planner: the whole story is decided here, before any command runs
# ---------------------------------------------------------------------------------------------


class _Demo:
    def __init__(self, ledger: Ledger, seed: int) -> None:
        self.ledger = ledger
        self.ref = ledger.reference
        self.rng = random.Random(seed)
        self.seed = seed
        campaign = self.ref.campaign
        self.start: date = campaign.start
        self.end: date = campaign.end
        self.horizon = _at(self.end, 17, 0)  # lifecycles aim to finish by the campaign's last afternoon
        self.limit = _at(self.end, 23, 59)  # and never later than its last minute
        self.first_day = self.start + timedelta(days=7)  # after registration and mobilisation
        self.steps: list[_Step] = []
        self.enterprises: list[_Enterprise] = []
        self.inspections: list[_Inspection] = []
        self.hazards: list[_Hazard] = []
        self.names: set[str] = set()
        self.people: set[str] = set()
        self.inspectors: dict[str, list[Actor]] = {}
        self.leaders: dict[str, str] = {}
        # the rest of the campaign
        self.street_staff: dict[str, Actor] = {}
        self.in_story: set[int] = set()
        self.series_start: dict[str, int] = {}
        self.series_now: dict[str, int] = {}
        self.cases: list[_Case] = []
        self.accidents: list[_Accident] = []
        self.batches: list[_Record] = []
        self.risk_points: list[_Record] = []
        self.problems: list[_Record] = []
        self.warnings: list[_Record] = []
        self.accountability: list[_Record] = []  # 责任倒查、追责问责
        self.activities = 0
        self.spot_checks = 0

    # ----- small helpers --------------------------------------------------------------------

    def add(self, when: datetime, label: str, run: Callable[[], Receipt]) -> None:
        if when > self.limit or business_date(when) < self.start:
            raise RuntimeError(f"demo plan outside the campaign: {label} at {when.isoformat()}")
        self.steps.append(_Step(when, len(self.steps), label, run))

    def person_name(self) -> str:
        while True:
            given = self.rng.choice(GIVEN)
            if self.rng.random() < 0.7:
                given += self.rng.choice(GIVEN)
            name = self.rng.choice(SURNAMES) + given
            if name not in self.names and len(set(name)) == len(name):
                self.names.add(name)
                return name

    def actor(self, user_id: str, role: Role, org_id: str, kind: OrgKind, org_name: str) -> Actor:
        self.people.add(user_id)
        return Actor(user_id, self.person_name(), role, org_id, kind, org_name)

    def credit_code(self, used: set[str]) -> str:
        while True:
            body = "MA" + "".join(self.rng.choice(ALPHABET[:10] + "ABCDEFGHJKLMNPQRTUWXY") for _ in range(6))
            # GB 11714 check character of the organisation code (characters 9 to 17).
            values = [int(c, 36) for c in body]
            c9 = 11 - sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
            org = body + ("X" if c9 == 10 else "0" if c9 == 11 else str(c9))
            first17 = "91" + self.ref.district_code + org
            code = first17 + check_character(first17)
            if code not in used:
                used.add(code)
                return code

    def day_in(self, year: int, month: int, lo: int = 1, hi: int = 31) -> date:
        first = max(date(year, month, 1), self.first_day)
        last_of_month = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        last = min(last_of_month, self.end - timedelta(days=2))
        first = max(first, date(year, month, min(lo, last_of_month.day)))
        last = min(last, date(year, month, min(hi, last_of_month.day)))
        if last < first:
            last = first
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    def work_time(self, day: date, lo_hour: int = 9, hi_hour: int = 15) -> datetime:
        return _at(day, self.rng.randint(lo_hour, hi_hour), self.rng.randint(0, 59))

    def months(self) -> list[tuple[int, int]]:
        out, y, m = [], self.start.year, self.start.month
        while (y, m) <= (self.end.year, self.end.month):
            out.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    # ----- cast -----------------------------------------------------------------------------

    def plan_cast(self) -> None:
        rng = self.rng
        ajb = self.ref.units["ajb"]
        office = (ajb.id, OrgKind.COMMITTEE_OFFICE, ajb.name)
        self.registrar = self.actor("ajb.01", Role.COMMITTEE_OFFICE, *office)
        self.director = self.actor("ajb.director", Role.COMMITTEE_OFFICE, *office)
        self.supervisors = [self.actor(f"ajb.{k:02d}", Role.COMMITTEE_OFFICE, *office) for k in (2, 3)]
        self.experts = [
            self.actor(f"expert.{k:02d}", Role.EXPERT, EXPERT_BODY[0], OrgKind.EXPERT_BODY, EXPERT_BODY[1]) for k in (1, 2)
        ]
        used: set[str] = set()
        trade_names = list(TRADE_NAMES)
        rng.shuffle(trade_names)
        index = 0
        for sector, (patterns, streets) in PROFILES.items():
            self.ref.sector(sector)
            unit = self.ref.lead_unit(sector)
            if unit.id not in self.inspectors:
                count = rng.choice((2, 3))
                self.inspectors[unit.id] = [
                    self.actor(f"{unit.id}.{k:02d}", Role.INSPECTOR, unit.id, unit.kind, unit.name) for k in range(1, count + 1)
                ]
                self.leaders[unit.id] = self.person_name()
            for pattern, high_risk in patterns:
                index += 1
                code = self.credit_code(used)
                name = pattern.format(z=trade_names.pop())
                street = rng.choice(streets)
                self.ref.jurisdiction(street)
                road = rng.choice(ROADS[street])
                address = f"昆明市呈贡区{self.ref.units[street].name}{road}{rng.randint(1, 388)}号"
                org_id = str(enterprise_id_for(code))
                principal = self.actor(f"ent{index:02d}.principal", Role.PRINCIPAL, org_id, OrgKind.ENTERPRISE, name)
                safety = self.actor(f"ent{index:02d}.safety", Role.ENTERPRISE_STAFF, org_id, OrgKind.ENTERPRISE, name)
                self.enterprises.append(
                    _Enterprise(
                        index,
                        code,
                        name,
                        sector,
                        street,
                        address,
                        high_risk,
                        principal,
                        safety,
                        round(24.88 + rng.uniform(-0.06, 0.06), 5),
                        round(102.82 + rng.uniform(-0.06, 0.06), 5),
                    )
                )
        # Registration by the 区安委办 on the first working days of the campaign.
        when = _at(self.start + timedelta(days=3), 9, 0)
        for ent in self.enterprises:
            when += timedelta(minutes=rng.randint(4, 12))
            if when.hour >= 17:
                when = _at(business_date(when) + timedelta(days=1), 9, rng.randint(0, 20))

            def register(e: _Enterprise = ent, at: datetime = when) -> Receipt:
                return self.ledger.execute(
                    self.registrar,
                    RegisterEnterprise(
                        credit_code=e.credit_code,
                        name=e.name,
                        sector=e.sector,
                        jurisdiction=e.jurisdiction,
                        principal_name=e.principal.name,
                        address=e.address,
                        high_risk=e.high_risk,
                        occurred_at=at,
                    ),
                )

            self.add(when, f"register {ent.credit_code} {ent.name} {ent.sector} {ent.jurisdiction}", register)

    # ----- findings: inspections, supervision visits, tip-offs --------------------------------

    def pick_templates(self, sector: str, grades: list[Grade], forced_item: str | None = None) -> list[tuple[str, Template]]:
        """Chooses one template per grade, distinct, returning (item, template) pairs."""
        items = HAZARDS[sector]
        chosen: list[tuple[str, Template]] = []
        for position, grade in enumerate(grades):
            pool = [
                (item, t)
                for item, ts in items.items()
                for t in ts
                if (forced_item is None or position > 0 or item == forced_item) and (item, t) not in chosen
            ]
            wanted = [p for p in pool if p[1][0] is grade] or pool
            chosen.append(self.rng.choice(wanted))
        return chosen

    def new_hazard(
        self,
        ent: _Enterprise,
        item: str,
        template: Template,
        source: HazardSource,
        reporter: Actor,
        t0: datetime,
        inspection: _Inspection | None = None,
        existed_since: date | None = None,
    ) -> _Hazard:
        rng = self.rng
        grade, description, criterion, measures, locations = template
        n, pct = rng.randint(2, 6), rng.choice((15, 20, 30, 40, 50, 60))
        location = rng.choice(locations or ("厂区",)).format(n=rng.randint(1, 12))
        if existed_since is None and rng.random() < 0.35:
            existed_since = business_date(t0) - timedelta(days=rng.randint(3, 200))
        hazard = _Hazard(
            key=f"H{len(self.hazards) + 1:03d}",
            enterprise=ent,
            department=self.ref.lead_unit(ent.sector).id,
            grade=grade,
            source=source,
            item=item,
            description=description.format(n=n, pct=pct),
            criterion=criterion,
            measures=measures,
            location=location,
            t0=t0,
            reporter=reporter,
            existed_since=existed_since,
            inspection=inspection,
        )
        self.hazards.append(hazard)
        return hazard

    def plan_inspection(
        self,
        ent: _Enterprise,
        kind: InspectionKind,
        method: InspectionMethod,
        team: list[Actor],
        day: date,
        grades: list[Grade],
        source: HazardSource,
        *,
        clean_scope: list[str] | None = None,
        forced_item: str | None = None,
        existed_since: date | None = None,
        picks: list[tuple[str, Template]] | None = None,
    ) -> _Inspection:
        rng = self.rng
        if picks is None:
            picks = self.pick_templates(ent.sector, grades, forced_item) if grades else []
        items = list(HAZARDS[ent.sector])
        scope = list(clean_scope) if clean_scope else []
        for item, _ in picks:
            if item not in scope:
                scope.append(item)
        size = min(len(items), max(len(scope), rng.randint(3, 5)))
        extra = [i for i in items if i not in scope]
        rng.shuffle(extra)
        scope += extra[: size - len(scope)]
        recorder = team[0]
        self_led = kind is InspectionKind.SELF_INSPECTION
        when = self.work_time(day, 9, 11)
        inspection = _Inspection(
            key=f"I{len(self.inspections) + 1:03d}",
            enterprise=ent,
            recorder=recorder,
            team=team,
            kind=kind,
            method=method,
            scope=scope,
            when=when,
            led_by_principal=self_led,
        )
        self.inspections.append(inspection)

        def conduct(i: _Inspection = inspection) -> Receipt:
            r = self.ledger.execute(
                i.recorder,
                ConductInspection(
                    enterprise_id=i.enterprise.id,
                    kind=i.kind,
                    method=i.method,
                    inspectors=[Person(a.user_id, a.name) for a in i.team],
                    scope=i.scope,
                    led_by_principal=i.led_by_principal,
                    occurred_at=i.when,
                ),
            )
            i.id = r.id
            return r

        self.add(when, f"inspect {inspection.key} {ent.credit_code} {kind} {method} {scope} {[a.user_id for a in team]}", conduct)
        t = when
        found: dict[str, list[_Hazard]] = {}
        for position, (item, template) in enumerate(picks):
            t += timedelta(minutes=rng.randint(25, 55))
            reporter = ent.safety if self_led and rng.random() < 0.6 else recorder
            since = existed_since if (forced_item and position == 0) else None
            hazard = self.new_hazard(ent, item, template, source, reporter, t, inspection, since)
            found.setdefault(item, []).append(hazard)
        t += timedelta(minutes=rng.randint(15, 40))
        for item in scope:
            t += timedelta(minutes=rng.randint(2, 8))
            hazards = found.get(item, [])
            note = f"发现隐患{len(hazards)}项" if hazards else "对照检查表逐项检查，未发现重大事故隐患"

            def finding(
                i: _Inspection = inspection, item: str = item, hs: list[_Hazard] = hazards, note: str = note, at: datetime = t
            ) -> Receipt:
                return self.ledger.execute(
                    i.recorder,
                    RecordFinding(
                        inspection_id=i.id,
                        item=item,
                        hazard_ids=[h.id for h in hs],
                        no_major_hazard=not hs,
                        note=note,
                        occurred_at=at,
                    ),
                )

            self.add(t, f"finding {inspection.key} {item} {[h.key for h in hazards]}", finding)
        inspection.findings_done = t
        t += timedelta(minutes=rng.randint(20, 90))
        for signer in team:
            t += timedelta(minutes=rng.randint(1, 6))

            def sign(i: _Inspection = inspection, a: Actor = signer, at: datetime = t) -> Receipt:
                return self.ledger.execute(a, SignInspection(inspection_id=i.id, occurred_at=at))  # type: ignore[arg-type]

            self.add(t, f"sign {inspection.key} {signer.user_id}", sign)
        inspection.signed_at = t
        return inspection

    def department_team(self, unit_id: str) -> list[Actor]:
        people = self.inspectors[unit_id]
        size = 3 if len(people) == 3 and self.rng.random() < 0.3 else 2
        return self.rng.sample(people, size)

    def department_method(self) -> tuple[InspectionKind, InspectionMethod]:
        rng = self.rng
        kind = InspectionKind.SPOT_CHECK if rng.random() < 0.3 else InspectionKind.DEPARTMENT
        method = rng.choices(
            [
                InspectionMethod.ROUTINE,
                InspectionMethod.UNANNOUNCED,
                InspectionMethod.OPEN_AND_COVERT,
                InspectionMethod.CROSS_REGION,
                InspectionMethod.CROSS_INSPECTION,
            ],
            weights=[45, 30, 15, 5, 5],
        )[0]
        return kind, method

    def grade_for(self, source: str) -> Grade:
        return M if self.rng.random() < MAJOR_SHARE[source] else G

    def pick_enterprise(self) -> _Enterprise:
        weights = [2.0 if e.high_risk else 1.0 for e in self.enterprises]
        return self.rng.choices(self.enterprises, weights=weights)[0]

    def plan_findings(self) -> None:
        rng = self.rng
        months = self.months()
        weights = list(MONTH_WEIGHTS[: len(months)]) + [1.0] * max(0, len(months) - len(MONTH_WEIGHTS))
        raw = [TOTAL_HAZARDS * w / sum(weights) for w in weights]
        quotas = [int(x) for x in raw]
        for i in sorted(range(len(raw)), key=lambda i: raw[i] - quotas[i], reverse=True)[: TOTAL_HAZARDS - sum(quotas)]:
            quotas[i] += 1

        # Clean, signed inspections contradicted later by a hazard that existed before them.
        early = months[:4]
        pairs = rng.sample(self.enterprises, MISSED_PAIRS)
        for ent in pairs:
            y, m = rng.choice(early)
            day = self.day_in(y, m)
            unit = self.ref.lead_unit(ent.sector).id
            kind, method = self.department_method()
            clean = rng.sample(list(HAZARDS[ent.sector]), min(3, len(HAZARDS[ent.sector])))
            self.plan_inspection(
                ent, kind, method, self.department_team(unit), day, [], HazardSource.DEPARTMENT_INSPECTION, clean_scope=clean
            )
            later = [i for i, (yy, mm) in enumerate(months) if (yy, mm) > (y, m + 1) and quotas[i] > 8]
            index = rng.choice(later)
            quotas[index] -= 1
            ly, lm = months[index]
            later_day = self.day_in(ly, lm)
            existed = day - timedelta(days=rng.randint(15, 120))
            item = rng.choice(clean)
            grade = M if rng.random() < 0.6 else G
            if rng.random() < 0.5:
                team = [*self.supervisors, rng.choice(self.inspectors[unit])]
                self.plan_inspection(
                    ent,
                    InspectionKind.SUPERVISION_VISIT,
                    InspectionMethod.UNANNOUNCED,
                    team,
                    later_day,
                    [grade],
                    HazardSource.SUPERVISION,
                    forced_item=item,
                    existed_since=existed,
                )
            else:
                self.plan_inspection(
                    ent,
                    InspectionKind.DEPARTMENT,
                    InspectionMethod.OPEN_AND_COVERT,
                    self.department_team(unit),
                    later_day,
                    [grade],
                    HazardSource.DEPARTMENT_INSPECTION,
                    forced_item=item,
                    existed_since=existed,
                )

        for (y, m), quota in zip(months, quotas, strict=True):
            sources = rng.choices(list(SOURCE_WEIGHTS), weights=list(SOURCE_WEIGHTS.values()), k=quota)
            counts = Counter(sources)
            # Department inspections: 1–3 hazards each, plus a couple of clean ones.
            remaining = counts["department"]
            while remaining > 0:
                k = min(remaining, rng.choices([1, 2, 3], weights=[45, 35, 20])[0])
                remaining -= k
                ent = self.pick_enterprise()
                kind, method = self.department_method()
                unit = self.ref.lead_unit(ent.sector).id
                self.plan_inspection(
                    ent,
                    kind,
                    method,
                    self.department_team(unit),
                    self.day_in(y, m),
                    [self.grade_for("department") for _ in range(k)],
                    HazardSource.DEPARTMENT_INSPECTION,
                )
            for _ in range(rng.randint(1, 3)):
                ent = self.pick_enterprise()
                kind, method = self.department_method()
                unit = self.ref.lead_unit(ent.sector).id
                self.plan_inspection(
                    ent, kind, method, self.department_team(unit), self.day_in(y, m), [], HazardSource.DEPARTMENT_INSPECTION
                )
            # Self-inspections led by the principal: every high-risk enterprise monthly, others now and then.
            per_enterprise: dict[int, list[Grade]] = {}
            for _ in range(counts["self"]):
                ent = rng.choices(self.enterprises, weights=[3.0 if e.high_risk else 1.0 for e in self.enterprises])[0]
                per_enterprise.setdefault(ent.index, []).append(self.grade_for("self"))
            for ent in self.enterprises:
                grades = per_enterprise.get(ent.index, [])
                if not grades and not ent.high_risk:
                    continue
                self.plan_inspection(
                    ent,
                    InspectionKind.SELF_INSPECTION,
                    InspectionMethod.ROUTINE,
                    [ent.principal, ent.safety],
                    self.day_in(y, m, 1, 25),
                    grades,
                    HazardSource.SELF_INSPECTION,
                )
            # Supervision visits of the 区安委办 (督导检查), with an inspector of the lead department.
            remaining = counts["supervision"]
            while remaining > 0:
                k = min(remaining, rng.choice((1, 2)))
                remaining -= k
                ent = self.pick_enterprise()
                unit = self.ref.lead_unit(ent.sector).id
                team = [*self.supervisors, rng.choice(self.inspectors[unit])]
                method = rng.choice((InspectionMethod.UNANNOUNCED, InspectionMethod.OPEN_AND_COVERT))
                self.plan_inspection(
                    ent,
                    InspectionKind.SUPERVISION_VISIT,
                    method,
                    team,
                    self.day_in(y, m),
                    [self.grade_for("supervision") for _ in range(k)],
                    HazardSource.SUPERVISION,
                )
            # Tip-offs (举报), checked on site by the lead department.
            for _ in range(counts["tip_off"]):
                ent = self.pick_enterprise()
                unit = self.ref.lead_unit(ent.sector).id
                [(item, template)] = self.pick_templates(ent.sector, [self.grade_for("tip_off")])
                reporter = rng.choice(self.inspectors[unit])
                t0 = self.work_time(self.day_in(y, m))
                hazard = self.new_hazard(ent, item, template, HazardSource.TIP_OFF, reporter, t0)
                hazard.flags.add("tip_off")

        for hazard in self.hazards:
            self.add(hazard.t0, self.report_label(hazard), self.reporter_of(hazard))

    def report_label(self, h: _Hazard) -> str:
        return (
            f"report {h.key} {h.enterprise.credit_code} {h.grade} {h.source} {h.description} "
            f"{h.criterion} {h.location} {h.existed_since} {h.inspection.key if h.inspection else '-'} "
            f"{h.reporter.user_id}"
        )

    def reporter_of(self, h: _Hazard) -> Callable[[], Receipt]:
        def report() -> Receipt:
            r = self.ledger.execute(
                h.reporter,
                ReportHazard(
                    enterprise_id=h.enterprise.id,
                    grade=h.grade,
                    source=h.source,
                    description=h.description,
                    criterion=h.criterion,
                    location=h.location,
                    existed_since=h.existed_since,
                    inspection_id=h.inspection.id if h.inspection else None,
                    occurred_at=h.t0,
                ),
            )
            h.id = r.id
            return r

        return report

    # ----- outcomes: which state each hazard ends in, and its special tracks -------------------

    def days_left(self, h: _Hazard) -> float:
        return (self.horizon - h.t0).total_seconds() / 86400

    def feasible(self, h: _Hazard, state: HazardState) -> bool:
        a, major = self.days_left(h), h.grade is M
        need = {
            S.CLOSED: 28 if major else 3,
            S.VERIFIED: 16 if major else 2,
            S.PENDING_VERIFICATION: 8 if major else 1,
            S.RECTIFYING: 1,
            S.REPORTED: 0,
            S.VOIDED: 0,
        }[state]
        return a >= need

    def plan_outcomes(self) -> None:
        rng = self.rng
        states = [S.REPORTED, S.RECTIFYING, S.PENDING_VERIFICATION, S.VERIFIED, S.CLOSED, S.VOIDED]
        for h in self.hazards:
            a = self.days_left(h)
            if a < 5:
                w = [55, 30, 5, 2, 3, 5]
            elif a < 20:
                w = [20, 35, 17, 12, 10, 6]
            elif a < 50:
                w = [5, 25, 14, 14, 37, 5]
            else:
                w = [2, 10, 4, 7, 72, 5]
            if "tip_off" in h.flags:
                w[-1] += 10  # some tip-offs turn out unfounded
            options = [(s, wt) for s, wt in zip(states, w, strict=True) if self.feasible(h, s)]
            h.target = rng.choices([s for s, _ in options], weights=[wt for _, wt in options])[0]

        def count(state: HazardState) -> int:
            return sum(1 for h in self.hazards if h.target is state)

        def convert(state: HazardState, need: int, ok: Callable[[_Hazard], bool], latest_first: bool = True) -> None:
            while count(state) < need:
                pool = [h for h in self.hazards if h.target is S.CLOSED and self.feasible(h, state) and ok(h)]
                if not pool:
                    return
                pool.sort(key=lambda h: h.t0, reverse=latest_first)
                pool[0 if latest_first else rng.randrange(len(pool))].target = state

        for state in (S.VOIDED, S.REPORTED, S.PENDING_VERIFICATION, S.VERIFIED, S.RECTIFYING):
            convert(state, MIN_STATE[state], lambda h: True, latest_first=state is not S.VOIDED)

        def take(pool: list[_Hazard], n: int, flag: str) -> list[_Hazard]:
            pool = [h for h in pool if flag not in h.flags]
            rng.shuffle(pool)
            for h in pool[:n]:
                h.flags.add(flag)
            return pool[:n]

        def plain(h: _Hazard) -> bool:
            return not (h.flags - {"tip_off"})

        # Rectifying at the end: overdue (DeadlineMissed), extended (DeadlineExtended), still listed.
        long_rectifying = [h for h in self.hazards if h.target is S.RECTIFYING and self.days_left(h) >= 12]
        while len(long_rectifying) < 9:
            pool = [h for h in self.hazards if h.target is S.CLOSED and self.days_left(h) >= 12]
            if not pool:
                break
            pool.sort(key=lambda h: h.t0, reverse=True)
            pool[0].target = S.RECTIFYING
            long_rectifying.append(pool[0])
        overdue = take(long_rectifying, max(5, len(long_rectifying) // 3), "overdue_end")
        rest = [h for h in long_rectifying if h not in overdue]
        extended = take(rest, 4, "extended_end")
        if extended:
            extended[0].flags.add("missed_then_extended")
        majors_rectifying = [h for h in self.hazards if h.target is S.RECTIFYING and h.grade is M and self.days_left(h) >= 4]
        if len(majors_rectifying) < 2:
            pool = sorted((h for h in self.hazards if h.target is S.CLOSED and h.grade is M), key=lambda h: h.t0, reverse=True)
            for h in pool[: 2 - len(majors_rectifying)]:
                h.target = S.RECTIFYING
                majors_rectifying.append(h)
        take(majors_rectifying, 2, "listed")
        # Closed majors that were listed for supervision, lifted after verification, then closed.
        closed_majors = [h for h in self.hazards if h.target is S.CLOSED and h.grade is M and self.days_left(h) >= 50]
        listed_closed = take(closed_majors, 6, "listed")
        if listed_closed:
            listed_closed[0].flags.add("city_level")
        # Verification failures followed by re-completion and a pass.
        done = [h for h in self.hazards if h.target in (S.CLOSED, S.VERIFIED) and self.days_left(h) >= 30]
        take(done, 8, "fail_once")
        closed_long = [h for h in self.hazards if h.target is S.CLOSED and self.days_left(h) >= 45 and plain(h)]
        take(closed_long, 3, "history_overdue")
        closed_long = [h for h in closed_long if plain(h)]
        take(closed_long, 4, "history_extended")
        voided = [h for h in self.hazards if h.target is S.VOIDED and self.days_left(h) >= 6]
        take(voided, max(1, len(voided) // 3), "void_after_plan")
        # Immediate rectification (立即整改) for a share of the simple general hazards.
        for h in self.hazards:
            if (
                h.grade is G
                and plain(h)
                and h.source is not HazardSource.TIP_OFF
                and h.target in (S.CLOSED, S.VERIFIED, S.PENDING_VERIFICATION)
                and rng.random() < 0.3
            ):
                h.flags.add("immediate")
        # Self-found majors are reported to the regulator; one of them late.
        self_majors = [h for h in self.hazards if h.grade is M and h.source is HazardSource.SELF_INSPECTION]
        for h in self_majors:
            h.flags.add("to_regulator")
        late = [h for h in self_majors if self.days_left(h) >= 10]
        if late:
            rng.choice(late).flags.add("late_report")

    # ----- lifecycles ------------------------------------------------------------------------

    def tokens(self, h: _Hazard) -> list[tuple[str, float, float]]:
        major, f = h.grade is M, h.flags
        out: list[tuple[str, float, float]] = []
        if self.rng.random() < 0.7:
            out.append(("evidence_site", 0.005, 0.03))
        if "to_regulator" in f:
            out.append(("regulator", 1.1, 1.4) if "late_report" in f else ("regulator", 0.02, 0.12))
        if "listed" in f:
            out.append(("list", 0.5, 3))
        if h.target is S.REPORTED:
            return out
        if h.target is S.VOIDED and "void_after_plan" not in f:
            return [*out, ("void", 0.3, 6)]
        if "immediate" in f:
            out += [("plan", 0.01, 0.04), ("evidence_done", 0.02, 0.08), ("complete", 0.005, 0.02)]
        else:
            out.append(("plan", 1, 5) if major else ("plan", 0.1, 2))
            progress_gap = (5, 18) if major else (1, 6)
            if h.target is S.VOIDED:
                return [*out, ("progress", *progress_gap), ("void", 1, 8)]
            if "overdue_end" in f:
                out += [("progress", *progress_gap), ("missed", 6, 25), ("progress", 1, 6)]
                return out
            if "missed_then_extended" in f:
                return [*out, ("missed", 6, 20), ("extend", 1, 5), ("progress", 1, 6)]
            if "extended_end" in f:
                return [*out, ("progress", *progress_gap), ("extend", 3, 12), ("progress", 1, 6)]
            if h.target is S.RECTIFYING:
                return [*out, *([("progress", *progress_gap)] * self.rng.randint(0, 2))]
            out.append(("progress", *progress_gap))
            if "history_overdue" in f:
                out += [("missed", 5, 20), ("progress", 1, 5)]
            if "history_extended" in f:
                out += [("extend", 3, 12), ("progress", 1, 6)]
            if major:
                out.append(("progress", *progress_gap))
            out += [("evidence_rect", 0.5, 4), ("evidence_done", 2, 15 if major else 8), ("complete", 0.01, 0.2)]
        if h.target is S.PENDING_VERIFICATION:
            return out
        verify_gap = (3, 10) if major else (1, 4)
        if "fail_once" in f:
            out += [
                ("evidence_verify", *verify_gap),
                ("verify_fail", 0.02, 0.1),
                ("progress", 2, 10),
                ("evidence_done", 2, 10),
                ("complete", 0.01, 0.2),
            ]
        out += [("evidence_verify", *verify_gap), ("verify", 0.02, 0.1)]
        if h.target is S.VERIFIED:
            return out
        if "listed" in f:
            out.append(("lift", 0.5, 4))
        out.append(("close", 0.3, 3))
        return out

    def schedule(self, h: _Hazard) -> list[tuple[str, datetime]]:
        """Turns the tokens into business times: compressed to fit the campaign, in working hours,
        strictly increasing, with the system's deadline checks just after midnight."""
        rng = self.rng
        tokens = self.tokens(h)
        gaps = [rng.uniform(lo, hi) for _, lo, hi in tokens]
        jitter = [rng.randint(3, 25) for _ in tokens]
        minutes = [rng.randint(5, 55) for _ in tokens]
        picks = [rng.random() for _ in tokens]
        factor = 1.0
        available = max(self.days_left(h) * 0.92, 0.05)
        if sum(gaps) > available:
            factor = available / sum(gaps)
        for _ in range(40):
            times: list[tuple[str, datetime]] = []
            previous = h.t0
            for k, (name, _, _) in enumerate(tokens):
                candidate = previous + timedelta(days=gaps[k] * factor)
                if name == "missed":
                    lo_day = business_date(previous)
                    hi_day = max(lo_day, business_date(candidate) - timedelta(days=1))
                    deadline = lo_day + timedelta(days=int(picks[k] * ((hi_day - lo_day).days + 1)))
                    moment = _at(deadline + timedelta(days=1), 0, minutes[k])
                else:
                    local = candidate.astimezone(CHINA_TZ)
                    if not 8 <= local.hour < 18:
                        local = _at(local.date(), 8, 30) + timedelta(minutes=int(picks[k] * 540))
                    moment = max(local, previous + timedelta(minutes=jitter[k])).replace(second=0, microsecond=0)
                    if moment <= previous:
                        moment = previous.replace(second=0, microsecond=0) + timedelta(minutes=1)
                times.append((name, moment))
                previous = moment
            if previous <= self.limit:
                return times
            factor *= 0.85
        raise RuntimeError(f"cannot fit the story of {h.key} into the campaign")

    def plan_lifecycle(self, h: _Hazard) -> None:
        rng, f, major = self.rng, h.flags, h.grade is M
        times = self.schedule(h)
        h.times = times
        when = dict.fromkeys((name for name, _ in times))  # first occurrence of each token
        for name, moment in times:
            if when[name] is None:
                when[name] = moment
        dates = [(n, business_date(t)) for n, t in times]
        completes = [d for n, d in dates if n == "complete"]
        plan_day = business_date(when["plan"]) if when.get("plan") else None

        # Deadlines, derived from the planned times so the story never contradicts itself.
        deadline: date | None = None
        new_deadline: date | None = None
        request_day: date | None = None
        missed_day: date | None = None
        if "missed" in when:
            missed_day = business_date(when["missed"])  # type: ignore[arg-type]
            deadline = missed_day - timedelta(days=1)
        if plan_day is not None:
            if "immediate" in f:
                deadline = completes[-1]
            elif "extend" in when:
                ext_day = business_date(when["extend"])  # type: ignore[arg-type]
                if deadline is None:
                    deadline = ext_day + timedelta(days=rng.randint(0, 4))
                request_day = max(plan_day, ext_day - timedelta(days=rng.randint(0, 3)))
                if completes:
                    new_deadline = max(completes[-1] + timedelta(days=rng.randint(0, 7)), deadline + timedelta(days=1))
                else:
                    new_deadline = self.end + timedelta(days=rng.randint(15, 75))
            elif deadline is None:
                if completes:
                    deadline = completes[-1] + timedelta(days=rng.randint(0, 20 if major else 8))
                else:
                    last = business_date(times[-1][1])
                    nominal = plan_day + timedelta(days=rng.randint(30, 90) if major else rng.randint(10, 30))
                    floor = (last if h.target is S.VOIDED else self.end) + timedelta(days=rng.randint(1, 40))
                    deadline = max(nominal, floor)
        ent = h.enterprise
        unit_people = self.inspectors[h.department]
        # Who verifies, claims and closes.
        principal_verifies = h.grade is G and h.source is HazardSource.SELF_INSPECTION and rng.random() < 0.4
        if principal_verifies:
            verifier = ent.principal
        elif major and rng.random() < 0.35:
            verifier = rng.choice(self.experts)
        else:
            verifier = rng.choice(unit_people)
        fail_verifier = rng.choice(self.experts) if major and rng.random() < 0.5 else rng.choice(unit_people)
        claimer = ent.safety if principal_verifies or rng.random() < 0.8 else ent.principal
        closer = ent.principal if principal_verifies else rng.choice(unit_people)
        voider = rng.choice([*unit_people, *self.supervisors])
        extender = rng.choice(unit_people)
        stoppage = Stoppage.NONE
        if major:
            stoppage = rng.choices([Stoppage.NONE, Stoppage.PARTIAL, Stoppage.FULL], weights=[75, 20, 5])[0]
        funds = rng.randint(20, 600) * 1000 if major else rng.choice([None, rng.randint(5, 300) * 100])
        plan = RectificationPlan(
            responsible_person=ent.principal.name if major else ent.safety.name,
            measures=h.measures,
            funds_yuan=funds,
            deadline=deadline,
            contingency_plan=(
                f"制定“{h.item}”专项应急处置方案，整改期间落实专人监护和临时管控措施" if major or rng.random() < 0.5 else ""
            ),
            immediate="immediate" in f,
            stoppage=stoppage,
            government_coordination=major and stoppage is Stoppage.FULL,
        )
        listing: SupervisionListing | None = None
        if "list" in when:
            list_day = business_date(when["list"])  # type: ignore[arg-type]
            time_limit = max(list_day + timedelta(days=rng.randint(30, 60)), deadline or list_day)
            city = "city_level" in f
            signed_at = when["list"] + timedelta(hours=rng.randint(1, 5))  # type: ignore[operator]
            listing = SupervisionListing(
                level=SupervisionLevel.CITY if city else SupervisionLevel.DISTRICT,
                supervising_body="昆明市安全生产委员会办公室" if city else "昆明市呈贡区安全生产委员会",
                document_number="",
                issuer="昆明市安委办" if city else self.director.name,
                time_limit=time_limit,
                notice_delivered_by=rng.choice(self.supervisors).name,
                notice_signed_by=ent.principal.name,
                notice_signed_at=signed_at,
            )
        progress_notes = iter(
            [
                "已完成整改方案论证，材料和施工队伍已落实",
                "整改施工进行中，完成约{p}%",
                "主体整改已完成，正在调试和整理资料",
                "按验收意见继续整改，完成约{p}%",
                "已完成补充整改，正在自检",
                "整改进行中，完成约{p}%",
            ]
        )
        percent = 0
        evidence_count = 0
        attempt = 0
        for name, at in times:
            label = f"{name} {h.key}"
            if name == "evidence_site":
                run = self.evidence_step(h, h.reporter, at, "现场检查照片", "image/jpeg", evidence_count)
            elif name == "evidence_rect":
                run = self.evidence_step(h, ent.safety, at, "整改过程照片", "image/png", evidence_count)
            elif name == "evidence_done":
                run = self.evidence_step(h, ent.safety, at, "整改完成报告", "application/pdf", evidence_count)
            elif name == "evidence_verify":
                who = verifier if attempt or "fail_once" not in f else fail_verifier
                if who.role is Role.PRINCIPAL:
                    who = ent.safety
                run = self.evidence_step(h, who, at, "验收现场照片", "image/png", evidence_count)
            elif name == "regulator":
                run = self.call(h, "report_to_regulator", ent.principal, at)
            elif name == "list":
                run = self.listing_step(h, listing, at)  # type: ignore[arg-type]
            elif name == "plan":
                run = self.call(h, "file_plan", ent.principal if major else ent.safety, at, plan=plan)
                label += f" deadline={plan.deadline} immediate={plan.immediate}"
            elif name == "progress":
                percent = min(95, percent + rng.randint(15, 40))
                note = next(progress_notes, "整改进行中").format(p=percent)
                run = self.call(h, "record_progress", ent.safety, at, note=note, percent=percent)
                label += f" {percent}"
            elif name == "missed":
                run = self.call(h, "mark_deadline_missed", SYSTEM_ACTOR, at)
                label += f" {missed_day}"
            elif name == "extend":
                reason = rng.choice(
                    [
                        "整改涉及设备采购，供货周期较长",
                        "需委托有资质单位设计施工，方案论证未完成",
                        "雨季施工受限，申请顺延整改期限",
                        "整改需停产实施，需与生产计划协调",
                    ]
                )
                run = self.call(
                    h,
                    "extend_deadline",
                    extender,
                    at,
                    request_date=request_day,
                    reason=reason,
                    new_deadline=new_deadline,
                    approver=self.leaders[h.department],
                )
                label += f" {request_day} {new_deadline}"
            elif name == "complete":
                note = "已按整改方案完成整改，申请验收" if not attempt else "已按验收意见完成补充整改，申请复验"
                run = self.call(h, "complete_rectification", claimer, at, note=note)
                label += f" {claimer.user_id}"
            elif name == "verify_fail":
                attempt += 1
                opinion = rng.choice(
                    [
                        "经现场核查，整改不彻底，部分措施未落实到位，不同意验收，责令继续整改",
                        "整改资料不齐全，现场仍存在同类问题，验收不通过",
                    ]
                )
                assessed = [Assessor.EXPERTS, Assessor.GOVERNMENT] if major else [Assessor.GOVERNMENT]
                run = self.call(h, "verify", fail_verifier, at, passed=False, opinion=opinion, assessed_by=assessed)
                label += f" {fail_verifier.user_id}"
            elif name == "verify":
                if verifier.role is Role.PRINCIPAL:
                    assessed, opinion = [Assessor.ENTERPRISE], "企业组织自行验收，整改措施已落实，同意销号"
                elif verifier.role is Role.EXPERT:
                    assessed = [Assessor.ENTERPRISE, Assessor.EXPERTS, Assessor.GOVERNMENT]
                    opinion = "经专家现场核查，整改措施已落实到位，整改资料齐全，同意验收通过"
                else:
                    assessed = [Assessor.EXPERTS, Assessor.GOVERNMENT] if major else [Assessor.GOVERNMENT]
                    opinion = "经现场核查，整改措施已落实到位，同意验收通过"
                run = self.call(h, "verify", verifier, at, passed=True, opinion=opinion, assessed_by=assessed)
                label += f" {verifier.user_id}"
            elif name == "lift":
                run = self.call(
                    h, "lift_supervision", self.director, at, reason="隐患整改经验收合格，同意摘牌", approver=self.director.name
                )
            elif name == "close":
                run = self.call(h, "close_hazard", closer, at, note="验收合格，予以销号")
                label += f" {closer.user_id}"
            elif name == "void":
                reason = (
                    "经现场核查，举报反映情况不属实"
                    if h.source is HazardSource.TIP_OFF
                    else rng.choice(["经复核系重复登记，予以作废", "经专家论证不构成事故隐患，予以作废"])
                )
                run = self.call(h, "void_hazard", voider, at, reason=reason)
            else:  # pragma: no cover - a token without a command is a planning bug
                raise RuntimeError(name)
            if name.startswith("evidence"):
                evidence_count += 1
            self.add(at, label, run)

    def call(self, h: _Hazard, method: str, actor: Actor, at: datetime, **kwargs: Any) -> Callable[[], Receipt]:
        def run() -> Receipt:
            return self.ledger.execute(actor, VERBS[method](hazard_id=h.id, occurred_at=at, **kwargs))  # type: ignore[call-arg]

        return run

    def listing_step(self, h: _Hazard, listing: SupervisionListing, at: datetime) -> Callable[[], Receipt]:
        def run() -> Receipt:
            numbered = replace(listing, document_number=h.listing_number)
            return self.ledger.execute(self.director, ListForSupervision(hazard_id=h.id, listing=numbered, occurred_at=at))  # type: ignore[arg-type]

        h.listing_at = at
        return run

    def evidence_step(
        self, h: _Hazard, actor: Actor, at: datetime, title: str, media_type: str, number: int
    ) -> Callable[[], Receipt]:
        rng = self.rng
        lat = round(h.enterprise.lat + rng.uniform(-0.0008, 0.0008), 6)
        lon = round(h.enterprise.lon + rng.uniform(-0.0008, 0.0008), 6)
        taken = at - timedelta(minutes=rng.randint(3, 90))
        text = (
            f"{title}｜{h.enterprise.name}｜{h.location}｜{h.description}｜"
            f"{taken.isoformat()}｜GPS {lat},{lon}｜{h.key}-{number}｜seed {self.seed}"
        )
        stamp = taken.strftime("%Y%m%d_%H%M")
        if media_type == "image/png":
            content = _png((rng.randrange(256), rng.randrange(256), rng.randrange(256)), text)
            file_name = f"{title}_{stamp}.png"
        elif media_type == "image/jpeg":
            content = _jpeg(text)
            file_name = f"IMG_{stamp}_{number + 1}.jpg"
        else:
            content = _pdf(title, [h.enterprise.name, h.description, h.measures, f"{h.key}-{number}"])
            file_name = f"{title}_{h.enterprise.name}_{stamp}.pdf"
        has_gps = media_type != "application/pdf"

        def run() -> Receipt:
            return self.ledger.execute(
                actor,
                AttachEvidence(
                    hazard_id=h.id,
                    file_name=file_name,
                    media_type=media_type,
                    content=content,
                    taken_at=taken if has_gps else None,
                    latitude=lat if has_gps else None,
                    longitude=lon if has_gps else None,
                    occurred_at=at,
                ),
            )

        return run

    def number_listings(self) -> None:
        listed = sorted((h for h in self.hazards if h.listing_at is not None), key=lambda h: h.listing_at)  # type: ignore[arg-type, return-value]
        district, city = self.rng.randint(3, 9), self.rng.randint(5, 20)
        for h in listed:
            if "city_level" in h.flags:
                city += self.rng.randint(1, 4)
                h.listing_number = f"昆安办督〔{self.start.year}〕{city}号"
            else:
                district += self.rng.randint(1, 3)
                h.listing_number = f"呈安委督〔{self.start.year}〕{district}号"

    # ===== the rest of the campaign ==========================================================
    #
    # Enforcement cases, publication batches, accidents, risk points, outstanding problems, work
    # logs and spot-check deficiencies. Planned after
    # the hazards' lifecycles with the same generator; the enforcement stories use hazards of their
    # own (found by inspections planned here) so every rule meets the facts it needs on any seed.

    def plan_campaign(self) -> None:
        self.story_cast()
        self.plan_spot_checks()
        self.plan_accidents()
        self.plan_enforcement()
        self.plan_batches()
        self.plan_risk_points()
        self.plan_problems()
        self.plan_work_logs()
        self.plan_unit_warnings()
        self.plan_accountability()  # 责任倒查、追责问责

    # ----- helpers ----------------------------------------------------------------------------

    def on(self, month: int, day: int) -> date:
        return date(self.start.year, month, day)

    def at(self, month: int, day: int, hour: int, minute: int | None = None) -> datetime:
        return _at(self.on(month, day), hour, self.rng.randint(0, 59) if minute is None else minute)

    def phone(self) -> str:
        return self.rng.choice(("138", "139", "135", "137", "158", "187", "151", "182")) + f"{self.rng.randint(0, 99999999):08d}"

    def wan(self, lo: int, hi: int) -> int:
        """A fine in whole 万元, as yuan."""
        return self.rng.randint(lo, hi) * 10_000

    def qian(self, lo: int, hi: int) -> int:
        """A fine in whole 千元, as yuan."""
        return self.rng.randint(lo, hi) * 1_000

    def hazard_step(self, h: _Hazard, method: str, actor: Actor, when: datetime, tag: str = "", **kwargs: Any) -> None:
        self.add(when, f"{method} {h.key} {actor.user_id} {tag}".rstrip(), self.call(h, method, actor, when, **kwargs))

    def report_step(self, h: _Hazard) -> None:
        h.flags.add("story")
        self.add(h.t0, self.report_label(h), self.reporter_of(h))

    def story_inspection(
        self,
        ent: _Enterprise,
        kind: InspectionKind,
        method: InspectionMethod,
        team: list[Actor],
        day: date,
        picks: list[tuple[str, Template]],
    ) -> tuple[_Inspection, list[_Hazard]]:
        """An inspection of the enforcement stories: the hazards it finds are reported, their lifecycle is scripted."""
        before = len(self.hazards)
        source = HazardSource.SELF_INSPECTION if kind is InspectionKind.SELF_INSPECTION else HazardSource.DEPARTMENT_INSPECTION
        inspection = self.plan_inspection(ent, kind, method, team, day, [t[0] for _, t in picks], source, picks=picks)
        found = self.hazards[before:]
        for h in found:
            self.report_step(h)
        return inspection, found

    def template(self, sector: str, grade: Grade, item: str | None = None) -> tuple[str, Template]:
        """The first template of ``grade`` (in ``item`` if given) of a sector: story hazards are fixed."""
        for name, templates in HAZARDS[sector].items():
            if item is not None and name != item:
                continue
            for t in templates:
                if t[0] is grade:
                    return name, t
        raise RuntimeError(f"no {grade} template for {sector} {item}")

    def plan_for(
        self, h: _Hazard, deadline: date, *, major: bool = True, stoppage: Stoppage = Stoppage.NONE
    ) -> RectificationPlan:
        ent = h.enterprise
        return RectificationPlan(
            responsible_person=ent.principal.name if major else ent.safety.name,
            measures=h.measures,
            funds_yuan=self.rng.randint(30, 400) * 1000 if major else self.rng.randint(5, 80) * 100,
            deadline=deadline,
            contingency_plan=f"制定“{h.item}”专项应急处置方案，整改期间落实专人监护和临时管控措施" if major else "",
            stoppage=stoppage,
            government_coordination=stoppage is Stoppage.FULL,
        )

    def next_number(self, series: str) -> _Next:
        if series not in self.series_start:
            self.series_start[series] = self.rng.randint(5, 25)
        return _Next(series, self.rng.randint(1, 4))

    def issue(self, number: _Next) -> str:
        """Run time: the next number of the series."""
        value = self.series_now.get(number.series, self.series_start[number.series]) + number.gap
        self.series_now[number.series] = value
        return f"{number.series}〔{self.start.year}〕{value}号"

    def new_case(self, unit: str, ent: _Enterprise, officer: Actor, hazards: list[_Hazard], accidents: list[_Accident]) -> _Case:
        case = _Case(
            f"C{len(self.cases) + 1:02d}", self.next_number(CASE_PREFIXES[unit][0]), unit, ent, officer, hazards, accidents
        )
        self.cases.append(case)
        return case

    def decision_number(self, unit: str) -> _Next:
        return self.next_number(CASE_PREFIXES[unit][1])

    def open_case(self, case: _Case, when: datetime, legal_basis: str) -> None:
        def run(c: _Case = case) -> Receipt:
            c.number = self.issue(c.series)
            r = self.ledger.execute(
                c.officer,
                OpenCase(
                    enterprise_id=c.enterprise.id,
                    legal_basis=legal_basis,
                    case_number=c.number,
                    cited_hazard_ids=[h.id for h in c.hazards],
                    accident_ids=[a.id for a in c.accidents],
                    occurred_at=when,
                ),
            )
            c.id = r.id
            return r

        cited = [h.key for h in case.hazards] + [a.key for a in case.accidents]
        self.add(when, f"open_case {case.key} {case.series.series} {case.enterprise.credit_code} {cited} {legal_basis}", run)

    def case_step(self, case: _Case, method: str, actor: Actor, when: datetime, tag: str = "", **kwargs: Any) -> None:
        """A command on a case; a ``_Next`` argument becomes the next number of its series when it runs."""

        def run() -> Receipt:
            values = {k: self.issue(v) if isinstance(v, _Next) else v for k, v in kwargs.items()}
            if isinstance(kwargs.get("decision_number"), _Next):
                case.decisions.append(values["decision_number"])
            return self.ledger.execute(actor, VERBS[method](case_id=case.id, occurred_at=when, **values))  # type: ignore[call-arg]

        self.add(when, f"{method} {case.key} {actor.user_id} {tag}".rstrip(), run)

    def street_officer(self, street: str) -> Actor:
        if street not in self.street_staff:
            unit = self.ref.jurisdiction(street)
            self.street_staff[street] = self.actor(f"{street}.01", Role.STREET_OFFICER, unit.id, unit.kind, unit.name)
        return self.street_staff[street]

    def pick(self, candidates: list[_Enterprise], prefer: str = "") -> _Enterprise:
        """One of the candidates not yet in an enforcement story (the preferred kind of business first)."""
        free = [e for e in candidates if e.index not in self.in_story] or candidates
        preferred = [e for e in free if prefer and prefer in e.name] or free
        ent = self.rng.choice(preferred)
        self.in_story.add(ent.index)
        return ent

    def of_sector(self, *sectors: str) -> list[_Enterprise]:
        return [e for e in self.enterprises if e.sector in sectors]

    # ----- cast of the rest of the campaign ----------------------------------------------------

    def story_cast(self) -> None:
        rng = self.rng
        by_street = Counter(e.jurisdiction for e in self.enterprises)
        self.busy_streets = [s for s, _ in sorted(by_street.items(), key=lambda kv: (-kv[1], kv[0]))[:2]]
        for street in self.busy_streets:
            self.street_officer(street)
        # A fireworks wholesaler that the campaign will close down (a repeat offender): registered
        # by the 区安委办 in the first week, like the others, but without a self-inspection habit.
        used = {e.credit_code for e in self.enterprises}
        taken = "".join(e.name for e in self.enterprises)
        trade_name = rng.choice([z for z in TRADE_NAMES if z not in taken])
        name = f"昆明{trade_name}烟花爆竹销售有限公司"
        street = "qidian"
        code = self.credit_code(used)
        index = len(self.enterprises) + 1
        org_id = str(enterprise_id_for(code))
        ent = _Enterprise(
            index,
            code,
            name,
            "fireworks",
            street,
            f"昆明市呈贡区{self.ref.units[street].name}{rng.choice(ROADS[street])}{rng.randint(1, 388)}号",
            True,
            self.actor(f"ent{index:02d}.principal", Role.PRINCIPAL, org_id, OrgKind.ENTERPRISE, name),
            self.actor(f"ent{index:02d}.safety", Role.ENTERPRISE_STAFF, org_id, OrgKind.ENTERPRISE, name),
            round(24.88 + rng.uniform(-0.06, 0.06), 5),
            round(102.82 + rng.uniform(-0.06, 0.06), 5),
        )
        self.enterprises.append(ent)
        self.offender = ent
        when = self.at(5, 5, 10)

        def register(e: _Enterprise = ent, at: datetime = when) -> Receipt:
            return self.ledger.execute(
                self.registrar,
                RegisterEnterprise(
                    credit_code=e.credit_code,
                    name=e.name,
                    sector=e.sector,
                    jurisdiction=e.jurisdiction,
                    principal_name=e.principal.name,
                    address=e.address,
                    high_risk=e.high_risk,
                    occurred_at=at,
                ),
            )

        self.add(when, f"register {ent.credit_code} {ent.name} {ent.sector} {ent.jurisdiction}", register)
        self.in_story.add(ent.index)

    # ----- spot checks: the seven deficiencies of Annex 1 --------------------------------------

    def plan_spot_checks(self) -> None:
        rng = self.rng
        spots = sorted((i for i in self.inspections if i.kind is InspectionKind.SPOT_CHECK), key=lambda i: i.when)
        if len(spots) < 2:
            raise RuntimeError("the demo needs at least two spot checks")
        everything = list(SpotCheckDeficiency)
        found: dict[str, list[SpotCheckDeficiency]] = {}
        for i in spots:
            found[i.key] = rng.sample(everything, rng.choices([1, 2, 3], [55, 30, 15])[0]) if rng.random() < 0.45 else []
        clean = next((i for i in spots if not found[i.key]), spots[-1])
        found[clean.key] = []
        others = [i for i in spots if i is not clean]
        for deficiency in everything:
            if not any(deficiency in ds for ds in found.values()):
                pool = [i for i in others if 0 < len(found[i.key]) < 3] or others
                found[rng.choice(pool).key].append(deficiency)
        for i in spots:
            ds = sorted(found[i.key], key=everything.index)  # in the form's order
            when = i.findings_done + timedelta(minutes=8)  # type: ignore[operator]

            def record(insp: _Inspection = i, ds: list[SpotCheckDeficiency] = ds, at: datetime = when) -> Receipt:
                return self.ledger.execute(
                    insp.recorder, RecordDeficiencies(inspection_id=insp.id, deficiencies=ds, occurred_at=at)
                )  # type: ignore[arg-type]

            self.add(when, f"deficiencies {i.key} {[d.value for d in ds]}", record)
            self.spot_checks += 1

    # ----- accidents (生产安全事故) --------------------------------------------------------------

    def accident(
        self, key: str, ent: _Enterprise, reporter: Actor, when: datetime, grade: AccidentGrade, **values: Any
    ) -> _Accident:
        acc = _Accident(key, ent)
        self.accidents.append(acc)

        def run(a: _Accident = acc) -> Receipt:
            r = self.ledger.execute(reporter, ReportAccident(enterprise_id=ent.id, grade=grade, occurred_at=when, **values))
            a.id = r.id
            return r

        self.add(when, f"accident {key} {ent.credit_code} {grade} {values}", run)
        return acc

    def accident_step(self, acc: _Accident, method: str, actor: Actor, when: datetime, **kwargs: Any) -> None:
        def run() -> Receipt:
            return self.ledger.execute(actor, VERBS[method](accident_id=acc.id, occurred_at=when, **kwargs))  # type: ignore[call-arg]

        self.add(when, f"{method} {acc.key} {actor.user_id} {kwargs}", run)

    def plan_accidents(self) -> None:
        rng = self.rng
        yjj = self.inspectors["yjj"]
        # Two general accidents within a month in one street, both in yjj-led rows: the street and
        # the department each have two (告知 of the warning ladder); the first is fatal and listed by
        # the district (一票否优).
        pool = self.of_sector("industry_trade", "hazardous_chemicals")
        streets = Counter(e.jurisdiction for e in pool)
        shared = sorted((s for s, n in streets.items() if n >= 2), key=lambda s: (-streets[s], s))
        pair_pool = [e for e in pool if e.jurisdiction == shared[0]] if shared else pool
        self.fatal_ent = self.pick(pair_pool)
        self.minor_ent = self.pick([e for e in pair_pool if e is not self.fatal_ent])
        item, what, place = FATAL_ACCIDENTS[self.fatal_ent.sector]
        self.fatal = self.accident(
            "A1",
            self.fatal_ent,
            yjj[0],
            self.at(6, 12, 14),
            AccidentGrade.GENERAL,
            deaths=1,
            injuries=0,
            direct_loss_yuan=self.wan(120, 180),
            liability=True,
            description=f"{self.fatal_ent.name}{what}",
            location=f"{self.fatal_ent.address}{place}",
        )
        self.accident_step(
            self.fatal,
            "list_accident",
            self.director,
            self.at(6, 14, 10),
            level=SupervisionLevel.DISTRICT,
            supervising_body="昆明市呈贡区安全生产委员会",
            document_number=f"呈安委事督〔{self.start.year}〕{rng.randint(1, 3)}号",
        )
        what, place = MINOR_ACCIDENTS[self.minor_ent.sector]
        self.minor = self.accident(
            "A2",
            self.minor_ent,
            self.street_officer(self.minor_ent.jurisdiction),
            self.at(6, 28, 16),
            AccidentGrade.GENERAL,
            deaths=0,
            injuries=2,
            direct_loss_yuan=self.wan(20, 40),
            liability=True,
            description=f"{self.minor_ent.name}{what}",
            location=f"{self.minor_ent.address}{place}",
        )
        self.accident_step(
            self.minor,
            "conclude_investigation",
            yjj[-1],
            self.at(8, 10, 15),
            liability=True,
            responsible_persons=[self.minor_ent.safety.name],
            summary="除尘系统未落实清灰制度、安全管理人员履职不到位，认定为一般生产安全责任事故",
        )

        # A 较大 accident on a building site (3 deaths: 一票否决), listed by the city.
        site = self.pick(self.of_sector("construction_housing"))
        zjj = self.inspectors["zjj"]
        happened = self.at(9, 14, 10)
        values = dict(
            deaths=3,
            injuries=2,
            direct_loss_yuan=self.wan(560, 780),
            liability=True,
            description=(
                f"{site.name}承建的住宅项目{rng.randint(2, 9)}#楼塔式起重机在顶升加节作业中发生倾覆，造成3人死亡、2人受伤"
            ),
            location=f"{site.address}施工现场",
        )
        self.larger = self.accident("A3", site, zjj[0], happened, AccidentGrade.LARGER, **values)
        self.accident_step(
            self.larger,
            "list_accident",
            self.director,
            self.at(9, 16, 11),
            level=SupervisionLevel.CITY,
            supervising_body="昆明市安全生产委员会",
            document_number=f"昆安委事督〔{self.start.year}〕{rng.randint(5, 15)}号",
        )
        self.accident_step(
            self.larger,
            "conclude_investigation",
            self.director,
            self.at(12, 12, 15),
            liability=True,
            responsible_persons=[self.person_name(), self.person_name(), self.person_name()],
            summary="塔吊安拆单位未按专项方案顶升加节，施工总包和监理单位未履行旁站监督职责，认定为较大生产安全责任事故",
        )

        # An escalator injury without liability.
        lift = self.pick(self.of_sector("special_equipment"), prefer="物业")
        scj = self.inspectors["scj"]
        self.escalator = self.accident(
            "A4",
            lift,
            scj[0],
            self.at(10, 9, 15),
            AccidentGrade.GENERAL,
            deaths=0,
            injuries=1,
            direct_loss_yuan=self.qian(8, 30),
            liability=False,
            description=f"{lift.name}管理的商业综合体内一部自动扶梯运行中，1名乘客逆行跌倒受伤",
            location=f"{lift.address}一层中庭自动扶梯",
        )
        self.accident_step(
            self.escalator,
            "conclude_investigation",
            scj[-1],
            self.at(11, 3, 10),
            liability=False,
            responsible_persons=[],
            summary="乘客在自动扶梯上逆行跌倒所致，设备定期检验和维保记录符合规定，不属于生产安全责任事故",
        )

        # A kitchen fire in a self-built house (属地 reports it).
        house = self.pick(self.of_sector("self_built_housing"), prefer="餐饮")
        self.fire = self.accident(
            "A5",
            house,
            self.street_officer(house.jurisdiction),
            self.at(11, 5, 19),
            AccidentGrade.GENERAL,
            deaths=0,
            injuries=2,
            direct_loss_yuan=self.wan(18, 32),
            liability=True,
            description=f"{house.name}经营的自建房一层餐馆厨房燃气软管老化泄漏引发火灾，过火面积约60平方米，2人受伤",
            location=f"{house.address}一层厨房",
        )
        self.fire_ent = house
        self.accident_step(
            self.fire,
            "conclude_investigation",
            self.director,
            self.at(12, 5, 15),
            liability=True,
            responsible_persons=[house.principal.name],
            summary="经营者使用老化燃气软管且未安装燃气泄漏报警装置，认定为一般生产安全责任事故",
        )

    # ----- enforcement (执法案件): the plan's five rules in action -----------------------------

    def plan_enforcement(self) -> None:
        self.story_lapsed_major()
        self.story_accident_cases()
        self.story_repeat_offender()
        self.story_self_reported()
        self.story_gas_alarm()
        self.story_other_violations()

    def story_lapsed_major(self) -> None:
        """案件一: a major not rectified by its deadline (DeadlineMissed) → 一案双罚, 停产整顿, 复产验收 only
        after the major is verified."""
        ent = self.pick(self.of_sector("hazardous_chemicals"))
        team = self.inspectors["yjj"][:2]
        _, (h,) = self.story_inspection(
            ent,
            InspectionKind.DEPARTMENT,
            InspectionMethod.UNANNOUNCED,
            team,
            self.on(6, 6),
            [self.template(ent.sector, M, "危险化学品储存")],
        )
        self.lapsed = h
        officer, verifier = team
        deadline = self.on(7, 7)
        moment = self.at(6, 7, 10)
        self.hazard_step(
            h, "file_plan", ent.principal, self.at(6, 8, 10), f"deadline={deadline}", plan=self.plan_for(h, deadline)
        )
        moment = self.at(6, 20, 9)
        moment = self.at(6, 20, 11)
        self.add(moment, f"evidence_rect {h.key}", self.evidence_step(h, ent.safety, moment, "整改过程照片", "image/png", 0))
        self.hazard_step(
            h, "record_progress", ent.safety, self.at(6, 21, 15), "30", note="已完成危险化学品分区分类清理，完成约30%", percent=30
        )
        moment = self.at(6, 22, 10)
        self.hazard_step(h, "mark_deadline_missed", SYSTEM_ACTOR, _at(self.on(7, 8), 0, 15))
        case = self.new_case("yjj", ent, officer, [h], [])
        self.open_case(case, self.at(7, 11, 10), SAFETY_LAW + "第一百零二条")
        fine, principal_fine = self.wan(10, 30), self.qian(20, 50)
        self.case_step(
            case,
            "impose_dual_penalty",
            officer,
            self.at(7, 13, 11),
            f"{fine}+{principal_fine}",
            enterprise_fine_yuan=fine,
            principal_fine_yuan=principal_fine,
            decision_number=self.decision_number("yjj"),
            legal_basis=SAFETY_LAW + "第一百零二条",
        )
        self.case_step(
            case,
            "order_suspension",
            officer,
            self.at(7, 13, 15),
            decision_number=self.next_number("呈应急责停"),
            reason="重大事故隐患逾期未整改，责令停产停业整顿",
        )
        leader = self.leaders["yjj"]
        self.hazard_step(
            h,
            "extend_deadline",
            officer,
            self.at(7, 17, 11),
            request_date=self.on(7, 15),
            reason="整改需更换储存设施和隔离设施，设备供货周期较长",
            new_deadline=self.on(8, 10),
            approver=leader,
        )
        self.hazard_step(h, "record_progress", ent.safety, self.at(7, 28, 15), "70", note="隔离设施已安装，完成约70%", percent=70)
        moment = self.at(8, 4, 9)
        self.add(
            moment, f"evidence_done {h.key}", self.evidence_step(h, ent.safety, moment, "整改完成报告", "application/pdf", 1)
        )
        self.hazard_step(h, "complete_rectification", ent.safety, self.at(8, 4, 11), note="已按整改方案完成整改，申请验收")
        self.hazard_step(
            h,
            "verify",
            verifier,
            self.at(8, 8, 10),
            passed=True,
            opinion="经现场核查，危险化学品已分区分类储存，隔离设施到位，同意验收通过",
            assessed_by=[Assessor.EXPERTS, Assessor.GOVERNMENT],
        )
        self.case_step(
            case, "lift_suspension", officer, self.at(8, 10, 10), opinion="经复产验收，重大事故隐患已整改验收合格，同意恢复生产"
        )
        self.hazard_step(h, "close_hazard", verifier, self.at(8, 11, 10), note="验收合格，予以销号")
        self.case_step(case, "close_case", officer, self.at(8, 18, 10), reason="罚款已缴纳，停产整顿已解除，所涉隐患已整改销号")
        self.case_step(
            case,
            "expose_case",
            officer,
            self.at(9, 6, 10),
            channel="呈贡区人民政府门户网站“曝光台”",
            title=f"{ent.name}重大事故隐患逾期未整改被“一案双罚”并停产整顿",
        )
        self.case_step(
            case,
            "publish_as_typical",
            officer,
            self.at(9, 20, 10),
            title=f"{ent.name}危险化学品违规储存逾期未整改案",
            dangerous_operations_crime=False,
        )
        self.lapsed_case = case

    def story_accident_cases(self) -> None:
        """案件二、三: cases citing the two general accidents — dual penalty required; after it, a
        further penalty on the safety manager; the fatal one goes to the judiciary (重大责任事故罪)."""
        yjj = self.inspectors["yjj"]
        ent, officer = self.fatal_ent, yjj[-1]
        item = FATAL_ACCIDENTS[ent.sector][0]
        name, template = self.template(ent.sector, M, item)
        h = self.new_hazard(ent, name, template, HazardSource.ACCIDENT_INVESTIGATION, officer, self.at(6, 13, 15))
        self.report_step(h)
        self.hazard_step(h, "file_plan", ent.principal, self.at(6, 15, 10), plan=self.plan_for(h, self.on(7, 31)))
        self.hazard_step(
            h,
            "record_progress",
            ent.safety,
            self.at(7, 1, 15),
            "50",
            note="已完成作业审批制度修订和检测设备采购，完成约50%",
            percent=50,
        )
        self.hazard_step(h, "complete_rectification", ent.safety, self.at(7, 24, 10), note="已按整改方案完成整改，申请验收")
        self.hazard_step(
            h,
            "verify",
            yjj[0],
            self.at(7, 27, 10),
            passed=True,
            opinion="经现场核查，整改措施已落实到位，同意验收通过",
            assessed_by=[Assessor.GOVERNMENT],
        )
        self.hazard_step(h, "close_hazard", yjj[0], self.at(7, 29, 10), note="验收合格，予以销号")
        case = self.new_case("yjj", ent, officer, [h], [self.fatal])
        basis = SAFETY_LAW + "第一百一十四条第一款第（一）项、第九十五条第（一）项"
        self.open_case(case, self.at(6, 19, 10), basis)
        fine, principal_fine = self.wan(30, 50), self.qian(30, 60)
        self.case_step(
            case,
            "impose_dual_penalty",
            officer,
            self.at(7, 10, 10),
            f"{fine}+{principal_fine}",
            enterprise_fine_yuan=fine,
            principal_fine_yuan=principal_fine,
            decision_number=self.decision_number("yjj"),
            legal_basis=basis,
        )
        manager_fine = self.qian(10, 20)
        self.case_step(
            case,
            "decide_penalty",
            officer,
            self.at(7, 10, 16),
            f"person {manager_fine}",
            target="person",
            person_name=ent.safety.name,
            fine_yuan=manager_fine,
            decision_number=self.decision_number("yjj"),
            legal_basis=SAFETY_LAW + "第九十六条",
        )
        self.case_step(
            case,
            "interview_enterprise",
            officer,
            self.at(7, 12, 10),
            interviewer=self.leaders["yjj"],
            note="约谈企业主要负责人，通报事故教训，督促举一反三",
        )
        foreman = self.person_name()
        self.case_step(
            case,
            "transfer_to_judiciary",
            officer,
            self.at(7, 20, 10),
            f"[{foreman}]",
            persons=[foreman],
            suspected_offence="涉嫌重大责任事故罪（《中华人民共和国刑法》第一百三十四条第一款）",
            dangerous_operations_crime=False,
        )
        self.accident_step(
            self.fatal,
            "conclude_investigation",
            self.director,
            self.at(8, 15, 15),
            liability=True,
            responsible_persons=[ent.principal.name, foreman],
            summary="企业未落实有限空间作业审批和监护制度，现场负责人违章指挥，认定为一般生产安全责任事故",
        )
        self.case_step(
            case, "close_case", officer, self.at(9, 12, 10), reason="处罚决定已执行，涉案人员已移送司法机关，事故隐患已整改销号"
        )
        self.case_step(
            case,
            "publish_as_typical",
            officer,
            self.at(9, 25, 10),
            title=f"{ent.name}“6·12”一般生产安全责任事故“一案双罚”案",
            dangerous_operations_crime=False,
        )
        self.fatal_case = case

        minor = self.new_case("yjj", self.minor_ent, yjj[0], [], [self.minor])
        self.open_case(minor, self.at(7, 3, 10), basis)
        fine, principal_fine = self.wan(20, 25), self.qian(15, 30)
        self.case_step(
            minor,
            "impose_dual_penalty",
            yjj[0],
            self.at(7, 20, 10),
            f"{fine}+{principal_fine}",
            enterprise_fine_yuan=fine,
            principal_fine_yuan=principal_fine,
            decision_number=self.decision_number("yjj"),
            legal_basis=basis,
        )
        self.case_step(minor, "close_case", yjj[0], self.at(8, 25, 10), reason="罚款已缴纳，结案")
        self.minor_case = minor

        fire_unit = "xfj"
        xfj = self.inspectors[fire_unit]
        house = self.fire_ent
        fire_case = self.new_case(fire_unit, house, xfj[0], [], [self.fire])
        self.open_case(fire_case, self.at(11, 10, 10), SAFETY_LAW + "第一百一十四条第一款第（一）项")
        fine, principal_fine = self.wan(20, 30), self.qian(10, 30)
        self.case_step(
            fire_case,
            "impose_dual_penalty",
            xfj[0],
            self.at(11, 28, 10),
            f"{fine}+{principal_fine}",
            enterprise_fine_yuan=fine,
            principal_fine_yuan=principal_fine,
            decision_number=self.decision_number(fire_unit),
            legal_basis=SAFETY_LAW + "第一百一十四条第一款第（一）项、第九十五条第（一）项",
        )
        self.fire_case = fire_case  # still open at the end of the year (罚款执行中)

    def story_repeat_offender(self) -> None:
        """案件四、五: a major open for months and penalised twice (rule 3) → 提请关闭 → 关闭取缔 → 吊销证照,
        行业禁入 of the principal, 移送司法机关 (危险作业罪), 联合惩戒; the first case closes with a reason."""
        rng = self.rng
        ent = self.offender
        yjj = self.inspectors["yjj"]
        first_officer, second_officer = yjj[0], yjj[1]
        _, (h,) = self.story_inspection(
            ent,
            InspectionKind.DEPARTMENT,
            InspectionMethod.UNANNOUNCED,
            yjj[:2],
            self.on(5, 16),
            [self.template("fireworks", M, "库房存储和核定药量")],
        )
        self.hazard_step(h, "file_plan", ent.principal, self.at(5, 18, 10), plan=self.plan_for(h, self.on(6, 15)))
        first = self.new_case("yjj", ent, first_officer, [h], [])
        basis = SAFETY_LAW + "第一百零二条"
        self.open_case(first, self.at(5, 22, 10), basis)
        fine = self.wan(3, 5)
        self.case_step(
            first,
            "decide_penalty",
            first_officer,
            self.at(5, 25, 10),
            f"enterprise {fine}",
            target="enterprise",
            fine_yuan=fine,
            decision_number=self.decision_number("yjj"),
            legal_basis=basis,
            other_measures="责令限期消除超量储存隐患",
        )
        self.hazard_step(h, "mark_deadline_missed", SYSTEM_ACTOR, _at(self.on(6, 16), 0, 20))
        second = self.new_case("yjj", ent, second_officer, [h], [])
        self.open_case(second, self.at(7, 5, 10), basis + "；《烟花爆竹经营许可实施办法》第三十二条")
        fine, principal_fine = self.wan(20, 50), self.qian(20, 50)
        self.case_step(
            second,
            "impose_dual_penalty",
            second_officer,
            self.at(7, 7, 10),
            f"{fine}+{principal_fine}",
            enterprise_fine_yuan=fine,
            principal_fine_yuan=principal_fine,
            decision_number=self.decision_number("yjj"),
            legal_basis=basis,
        )
        self.case_step(
            second,
            "order_suspension",
            second_officer,
            self.at(7, 7, 14),
            decision_number=self.next_number("呈应急责停"),
            reason="拒不执行限期消除重大事故隐患的决定，责令停产停业整顿",
        )
        licence = f"（滇）YH批〔{self.start.year - 2}〕{rng.randint(10, 99):04d}号"
        self.case_step(
            second,
            "suspend_or_revoke_licence",
            second_officer,
            self.at(7, 7, 16),
            "suspend",
            action="suspend",
            licence_name="烟花爆竹经营（批发）许可证",
            licence_number=licence,
            decision_number=self.decision_number("yjj"),
        )
        # 16 August: open 90+ days, penalised twice — the process manager marks the case.
        recommended_at = _at(self.on(8, 16), 1, 0)

        def recommend() -> Receipt:
            return self.ledger.execute(
                SYSTEM_ACTOR,
                RecommendClosure(case_id=second.id, hazard_id=h.id, other_case_ids=[first.id], occurred_at=recommended_at),
            )  # type: ignore[arg-type, list-item]

        self.add(recommended_at, f"recommend_closure {second.key} {h.key} [{first.key}]", recommend)
        government = "昆明市呈贡区人民政府"
        self.case_step(
            second,
            "request_closure",
            second_officer,
            self.at(8, 18, 10),
            government=government,
            reason="重大事故隐患长期存在、多次处罚仍拒不整改，停产整顿期间擅自经营，依据《安全生产法》第一百一十三条提请关闭",
        )
        self.case_step(
            second,
            "order_closure",
            second_officer,
            self.at(8, 25, 15),
            government=government,
            decision_number=f"呈政关〔{self.start.year}〕{rng.randint(2, 6)}号",
        )
        revoke_number = self.decision_number("yjj")
        self.case_step(
            second,
            "suspend_or_revoke_licence",
            second_officer,
            self.at(8, 28, 10),
            "revoke",
            action="revoke",
            licence_name="烟花爆竹经营（批发）许可证",
            licence_number=licence,
            decision_number=revoke_number,
        )
        self.case_step(second, "apply_industry_ban", second_officer, self.at(8, 30, 10), "lifelong", years=None)
        keeper = self.person_name()
        offence = (
            "涉嫌危险作业罪（《中华人民共和国刑法》第一百三十四条之一第（二）项："
            "因存在重大事故隐患被依法责令停产停业整顿，拒不执行）"
        )
        self.case_step(
            second,
            "transfer_to_judiciary",
            second_officer,
            self.at(9, 1, 14),
            f"[{ent.principal.name}, {keeper}]",
            persons=[ent.principal.name, keeper],
            suspected_offence=offence,
            dangerous_operations_crime=True,
        )
        self.case_step(second, "apply_joint_punishment", second_officer, self.at(9, 4, 10), measures=list(JOINT_MEASURES))
        closed_at = self.at(9, 5, 11)
        self.add(
            closed_at,
            f"close_case {first.key} {first_officer.user_id} with open hazards, see {second.key}",
            lambda: self.ledger.execute(
                first_officer,
                CloseCase(
                    case_id=first.id,
                    reason="罚款已缴纳",
                    open_hazards_reason=f"所涉隐患已并入{second.number}案件处理，企业已被依法关闭取缔",
                    occurred_at=closed_at,
                ),
            ),
        )
        self.hazard_step(
            h,
            "complete_rectification",
            ent.safety,
            self.at(9, 11, 10),
            note="企业已被关闭取缔，库存烟花爆竹已全部转运至有资质企业销毁，库房已拆除",
        )
        self.hazard_step(
            h,
            "verify",
            yjj[-1],
            self.at(9, 13, 10),
            passed=True,
            opinion="经现场核查，库存产品已清运销毁，库房已拆除，隐患已消除",
            assessed_by=[Assessor.GOVERNMENT],
        )
        self.hazard_step(h, "close_hazard", yjj[-1], self.at(9, 14, 10), note="企业关闭取缔，隐患消除，予以销号")
        self.case_step(
            second,
            "close_case",
            second_officer,
            self.at(9, 20, 10),
            reason="企业已关闭取缔，主要负责人终身行业禁入，涉案人员已移送司法机关",
        )
        self.case_step(
            second,
            "expose_case",
            second_officer,
            self.at(9, 22, 10),
            channel="昆明日报",
            title=f"{ent.name}屡罚不改被依法关闭取缔",
        )
        title = f"{ent.name}停产整顿期间擅自经营涉嫌危险作业罪案"
        self.case_step(
            second, "publish_as_typical", second_officer, self.at(10, 10, 10), title=title, dangerous_operations_crime=True
        )
        self.offender_cases = (first, second)

    def story_self_reported(self) -> None:
        """案件六: a major the enterprise found, reported in time and is rectifying — no penalty (rule 1);
        the case closes with a reason while the hazard is still open. A general hazard of the same
        self-inspection shows the claimer who would verify his own work."""
        ent = self.pick(self.of_sector("industry_trade") or self.of_sector("hazardous_chemicals", "fireworks", "pharmaceuticals"))
        major = self.template(ent.sector, M)
        general = next((item, t) for item, ts in HAZARDS[ent.sector].items() for t in ts if t[0] is G and item != major[0])
        _, (hd, hg) = self.story_inspection(
            ent,
            InspectionKind.SELF_INSPECTION,
            InspectionMethod.ROUTINE,
            [ent.principal, ent.safety],
            self.on(7, 3),
            [major, general],
        )
        self.hazard_step(hd, "report_to_regulator", ent.principal, hd.t0 + timedelta(hours=2))
        self.hazard_step(hd, "file_plan", ent.principal, self.at(7, 5, 10), plan=self.plan_for(hd, self.on(8, 31)))
        self.hazard_step(hg, "file_plan", ent.safety, self.at(7, 5, 14), plan=self.plan_for(hg, self.on(7, 20), major=False))
        self.hazard_step(hg, "complete_rectification", ent.principal, self.at(7, 12, 10), note="已完成整改")
        yjj = self.inspectors["yjj"]
        self.hazard_step(
            hg,
            "verify",
            yjj[-1],
            self.at(7, 14, 10),
            passed=True,
            opinion="经现场核查，整改措施已落实，同意验收通过",
            assessed_by=[Assessor.GOVERNMENT],
        )
        self.hazard_step(hg, "close_hazard", ent.principal, self.at(7, 15, 10), note="验收合格，予以销号")
        case = self.new_case("yjj", ent, yjj[0], [hd], [])
        basis = SAFETY_LAW + "第一百零二条"
        self.open_case(case, self.at(7, 20, 10), basis)
        self.case_step(
            case,
            "close_case",
            yjj[0],
            self.at(7, 24, 11),
            reason="依法不予行政处罚",
            open_hazards_reason="该隐患系企业自查发现并及时报告，正在按整改方案有效整改，已纳入跟踪督办",
        )
        self.hazard_step(hd, "record_progress", ent.safety, self.at(8, 5, 15), "60", note="整改施工进行中，完成约60%", percent=60)
        self.hazard_step(hd, "complete_rectification", ent.safety, self.at(8, 25, 10), note="已按整改方案完成整改，申请验收")
        self.hazard_step(
            hd,
            "verify",
            self.experts[0],
            self.at(8, 29, 10),
            passed=True,
            opinion="经专家现场核查，整改措施已落实到位，同意验收通过",
            assessed_by=[Assessor.ENTERPRISE, Assessor.EXPERTS, Assessor.GOVERNMENT],
        )
        self.hazard_step(hd, "close_hazard", yjj[0], self.at(9, 1, 10), note="验收合格，予以销号")
        self.exempt_case = case

    def story_gas_alarm(self) -> None:
        """案件七: a gas company switched off its leak alarm — a listed major, 停产整顿, 暂扣证照, 危险作业罪;
        the listed hazard cannot close before the listing is lifted."""
        rng = self.rng
        ent = self.pick(self.of_sector("urban_gas"), prefer="燃气")
        zjj = self.inspectors["zjj"]
        officer = zjj[0]
        _, (h,) = self.story_inspection(
            ent, InspectionKind.DEPARTMENT, InspectionMethod.UNANNOUNCED, zjj[:2], self.on(6, 20), [("场站安全", GAS_ALARM_OFF)]
        )
        h.flags.add("listed")
        listing = SupervisionListing(
            level=SupervisionLevel.DISTRICT,
            supervising_body="昆明市呈贡区安全生产委员会",
            document_number="",
            issuer=self.director.name,
            time_limit=self.on(8, 15),
            notice_delivered_by=self.supervisors[1].name,
            notice_signed_by=ent.principal.name,
            notice_signed_at=self.at(6, 21, 15),
        )
        listed_at = self.at(6, 21, 10)
        self.add(listed_at, f"list {h.key}", self.listing_step(h, listing, listed_at))
        self.hazard_step(
            h, "file_plan", ent.principal, self.at(6, 22, 10), plan=self.plan_for(h, self.on(7, 31), stoppage=Stoppage.PARTIAL)
        )
        case = self.new_case("zjj", ent, officer, [h], [])
        basis = SAFETY_LAW + "第九十九条第（三）项；《城镇燃气管理条例》第四十五条"
        self.open_case(case, self.at(6, 23, 10), basis)
        fine = self.wan(4, 5)
        self.case_step(
            case,
            "decide_penalty",
            officer,
            self.at(6, 25, 10),
            f"enterprise {fine}",
            target="enterprise",
            fine_yuan=fine,
            decision_number=self.decision_number("zjj"),
            legal_basis=basis,
            other_measures="责令立即恢复报警装置",
        )
        self.case_step(
            case,
            "order_suspension",
            officer,
            self.at(6, 25, 14),
            decision_number=self.next_number("呈住建责停"),
            reason="储配站关闭可燃气体泄漏报警装置，存在重大事故隐患，责令储配站停产整顿",
        )
        self.case_step(
            case,
            "suspend_or_revoke_licence",
            officer,
            self.at(6, 26, 10),
            "suspend",
            action="suspend",
            licence_name="燃气经营许可证",
            licence_number=f"滇{self.start.year - 3}530114{rng.randint(1, 99):04d}",
            decision_number=self.decision_number("zjj"),
        )
        manager = self.person_name()
        self.case_step(
            case,
            "transfer_to_judiciary",
            officer,
            self.at(6, 30, 10),
            f"[{manager}]",
            persons=[manager],
            suspected_offence="涉嫌危险作业罪（《中华人民共和国刑法》第一百三十四条之一第（一）项：关闭直接关系生产安全的报警设备）",
            dangerous_operations_crime=True,
        )
        self.case_step(
            case,
            "interview_enterprise",
            officer,
            self.at(7, 3, 10),
            interviewer=self.leaders["zjj"],
            note="约谈企业主要负责人，责令全面排查所属场站报警装置",
        )
        self.hazard_step(
            h,
            "record_progress",
            ent.safety,
            self.at(7, 12, 15),
            "60",
            note="报警装置已恢复并完成标定，联锁改造进行中，完成约60%",
            percent=60,
        )
        self.hazard_step(h, "complete_rectification", ent.safety, self.at(7, 28, 10), note="已按整改方案完成整改，申请验收")
        self.hazard_step(
            h,
            "verify",
            self.experts[-1],
            self.at(8, 2, 10),
            passed=True,
            opinion="经专家现场核查，报警装置已恢复并与紧急切断联锁，同意验收通过",
            assessed_by=[Assessor.ENTERPRISE, Assessor.EXPERTS, Assessor.GOVERNMENT],
        )
        self.hazard_step(
            h,
            "lift_supervision",
            self.director,
            self.at(8, 4, 10),
            reason="隐患整改经验收合格，同意摘牌",
            approver=self.director.name,
        )
        self.hazard_step(h, "close_hazard", officer, self.at(8, 5, 10), note="验收合格，予以销号")
        self.case_step(
            case, "lift_suspension", officer, self.at(8, 7, 10), opinion="经复产验收，重大事故隐患已整改并摘牌销号，同意恢复运营"
        )
        self.case_step(
            case, "close_case", officer, self.at(8, 21, 10), reason="罚款已缴纳，停产整顿已解除，涉案人员已移送司法机关"
        )
        self.case_step(
            case,
            "expose_case",
            officer,
            self.at(8, 28, 10),
            channel="呈贡融媒",
            title=f"{ent.name}关闭燃气泄漏报警装置被立案查处",
        )
        self.case_step(
            case,
            "publish_as_typical",
            officer,
            self.at(9, 15, 10),
            title=f"{ent.name}关闭报警装置涉嫌危险作业罪案",
            dangerous_operations_crime=True,
        )
        self.gas_case = case

    def story_other_violations(self) -> None:
        """案件八至十: fire safety (a general hazard), a ride overdue for inspection and a dangerous-goods
        carrier with its vehicle monitoring off (no hazard cited)."""
        xfj = self.inspectors["xfj"]
        ent = self.pick(self.of_sector("fire_safety"), prefer="购物中心")
        _, (h,) = self.story_inspection(
            ent,
            InspectionKind.DEPARTMENT,
            InspectionMethod.OPEN_AND_COVERT,
            xfj[:2],
            self.on(8, 8),
            [self.template("fire_safety", G, "安全疏散")],
        )
        self.hazard_step(h, "file_plan", ent.safety, self.at(8, 9, 10), plan=self.plan_for(h, self.on(8, 25), major=False))
        case = self.new_case("xfj", ent, xfj[0], [h], [])
        basis = "《中华人民共和国消防法》第六十条第一款第（五）项"
        self.open_case(case, self.at(8, 10, 10), basis)
        fine = self.wan(2, 5)
        self.case_step(
            case,
            "decide_penalty",
            xfj[0],
            self.at(8, 11, 11),
            f"enterprise {fine}",
            target="enterprise",
            fine_yuan=fine,
            decision_number=self.decision_number("xfj"),
            legal_basis=basis,
            other_measures="责令立即清除疏散通道堆放物",
        )
        self.case_step(
            case,
            "interview_enterprise",
            xfj[0],
            self.at(8, 15, 10),
            interviewer=self.leaders["xfj"],
            note="约谈场所消防安全责任人",
        )
        self.case_step(
            case,
            "expose_case",
            xfj[0],
            self.at(8, 20, 15),
            channel="呈贡区人民政府门户网站“曝光台”",
            title=f"{ent.name}占用疏散通道被处罚",
        )
        self.hazard_step(h, "complete_rectification", ent.safety, self.at(8, 22, 10), note="已清除疏散通道堆放物")
        self.hazard_step(
            h,
            "verify",
            xfj[-1],
            self.at(8, 24, 10),
            passed=True,
            opinion="经复查，疏散通道已畅通，同意验收",
            assessed_by=[Assessor.GOVERNMENT],
        )
        self.hazard_step(h, "close_hazard", xfj[-1], self.at(8, 25, 10), note="验收合格，予以销号")
        self.case_step(case, "close_case", xfj[0], self.at(9, 1, 10), reason="罚款已缴纳，隐患已整改销号")
        self.fire_safety_case = case

        scj = self.inspectors["scj"]
        ride = self.pick(self.of_sector("special_equipment"), prefer="游乐")
        ride_case = self.new_case("scj", ride, scj[0], [], [])
        basis = "《中华人民共和国特种设备安全法》第八十四条第（一）项"
        self.open_case(ride_case, self.at(9, 5, 10), basis)
        fine = self.wan(3, 10)
        self.case_step(
            ride_case,
            "decide_penalty",
            scj[0],
            self.at(9, 8, 10),
            f"enterprise {fine}",
            target="enterprise",
            fine_yuan=fine,
            decision_number=self.decision_number("scj"),
            legal_basis=basis,
            other_measures="责令停止使用超期未检验的大型游乐设施",
        )
        self.case_step(
            ride_case,
            "interview_enterprise",
            scj[0],
            self.at(9, 12, 10),
            interviewer=self.leaders["scj"],
            note="约谈企业主要负责人",
        )
        self.case_step(ride_case, "close_case", scj[0], self.at(9, 29, 10), reason="罚款已缴纳，设备已检验合格")
        self.ride_case = ride_case

        jtj = self.inspectors["jtj"]
        carrier = self.pick(self.of_sector("transport"), prefer="危险货物")
        carrier_case = self.new_case("jtj", carrier, jtj[0], [], [])
        basis = SAFETY_LAW + "第九十九条第（三）项"
        self.open_case(carrier_case, self.at(10, 10, 10), basis)
        fine = self.wan(1, 5)
        self.case_step(
            carrier_case,
            "decide_penalty",
            jtj[0],
            self.at(10, 12, 10),
            f"enterprise {fine}",
            target="enterprise",
            fine_yuan=fine,
            decision_number=self.decision_number("jtj"),
            legal_basis=basis,
            other_measures="责令立即恢复车辆动态监控",
        )
        self.case_step(
            carrier_case,
            "interview_enterprise",
            jtj[0],
            self.at(10, 13, 10),
            interviewer=self.leaders["jtj"],
            note="约谈企业主要负责人和安全管理人员",
        )
        self.case_step(carrier_case, "close_case", jtj[0], self.at(10, 31, 10), reason="罚款已缴纳，监控已恢复")
        self.carrier_case = carrier_case

    # ----- publication batches (rule 5) --------------------------------------------------------

    def plan_batches(self) -> None:
        rng = self.rng
        seq = rng.randint(10, 20)
        batches = [
            (
                BatchKind.NOTICE,
                self.at(7, 31, 10),
                "呈贡区重大事故隐患专项排查整治执法情况通报（第一批）",
                "呈贡区人民政府门户网站",
                [self.offender_cases[0], self.lapsed_case, self.gas_case],
            ),
            (
                BatchKind.SUSPENSION,
                self.at(8, 15, 10),
                "停产整顿企业名单（第一批）",
                "昆明日报",
                [self.lapsed_case, self.offender_cases[1], self.gas_case],
            ),
            (
                BatchKind.INTERVIEW,
                self.at(9, 28, 10),
                "约谈警示企业名单（第一批）",
                "呈贡区人民政府门户网站",
                [self.fatal_case, self.fire_safety_case, self.ride_case],
            ),
            (
                BatchKind.JOINT_PUNISHMENT,
                self.at(10, 12, 10),
                "安全生产联合惩戒对象名单",
                "信用中国（云南昆明）",
                [self.offender_cases[1]],
            ),
            (
                BatchKind.NOTICE,
                self.at(12, 20, 10),
                "呈贡区重大事故隐患专项排查整治执法情况通报（第二批）",
                "呈贡区人民政府门户网站",
                [self.minor_case, self.carrier_case, self.fire_case],
            ),
        ]
        for kind, when, title, channel, cases in batches:
            seq += rng.randint(1, 4)
            number = f"呈安办通〔{self.start.year}〕{seq}号"
            record = _Record(f"B{len(self.batches) + 1}")
            self.batches.append(record)

            def run(
                r: _Record = record,
                kind: BatchKind = kind,
                when: datetime = when,
                title: str = title,
                channel: str = channel,
                cases: list[_Case] = cases,
                number: str = number,
            ) -> Receipt:
                enterprises = list(dict.fromkeys(c.enterprise.id for c in cases))
                receipt = self.ledger.execute(
                    self.director,
                    PublishBatch(
                        kind=kind,
                        title=title,
                        document_number=number,
                        channel=channel,
                        enterprise_ids=enterprises,
                        case_ids=[c.id for c in cases],
                        occurred_at=when,
                    ),
                )
                r.id = receipt.id
                return receipt

            self.add(when, f"batch {record.key} {kind} {number} {title} {[c.key for c in cases]}", run)

    # ----- risk points (Annex 3, 4个清单) -------------------------------------------------------

    def plan_risk_points(self) -> None:
        rng = self.rng
        used: set[int] = set()
        for n, spec in enumerate(RISK_POINTS, 1):
            pool = self.of_sector(spec.sector)
            ent = rng.choice([e for e in pool if e.index not in used] or pool)
            used.add(ent.index)
            record = _Record(f"R{n:02d}")
            self.risk_points.append(record)
            lead = self.ref.lead_unit(spec.sector).id
            inspector = rng.choice(self.inspectors[lead])
            registered = self.work_time(self.day_in(self.start.year, rng.choice((5, 6, 7)), 8, 28), 9, 16)
            address = f"{ent.address}{spec.place.format(n=rng.randint(1, 12))}"
            characteristics = None
            if spec.shape != "basic_only":
                characteristics = HazardCharacteristics(
                    accident_types=spec.accident_types,
                    max_casualties=spec.casualties,
                    max_direct_loss_yuan=spec.loss_wan * 10_000,
                    social_impact=spec.impact,
                )

            def register(
                r: _Record = record,
                e: _Enterprise = ent,
                s: RiskSpec = spec,
                at: datetime = registered,
                address: str = address,
                c: HazardCharacteristics | None = characteristics,
            ) -> Receipt:
                receipt = self.ledger.execute(
                    e.safety,
                    RegisterRiskPoint(
                        enterprise_id=e.id,
                        name=s.name,
                        description=s.description,
                        address=address,
                        assessed=c is not None,
                        characteristics=c,
                        occurred_at=at,
                    ),
                )
                r.id = receipt.id
                return receipt

            self.add(registered, f"risk {record.key} {ent.credit_code} {spec.name} {spec.shape}", register)
            if spec.shape == "basic_only":
                continue
            t = registered + timedelta(days=rng.randint(2, 10), hours=rng.randint(0, 3))
            principal_phone = "" if spec.shape == "no_phone" else self.phone()
            department_phone = "" if spec.shape == "no_phone" else self.phone()
            self.add(
                t,
                f"risk {record.key} responsibility {lead} {inspector.user_id} {department_phone} {principal_phone}",
                lambda r=record, i=inspector, at=t, lead=lead, dp=department_phone, e=ent, pp=principal_phone: (
                    self.ledger.execute(
                        i,
                        ListResponsibility(
                            risk_point_id=r.id,
                            department=lead,
                            department_person=i.name,
                            department_phone=dp,
                            principal_name=e.principal.name,
                            principal_phone=pp,
                            occurred_at=at,
                        ),
                    )
                ),
            )
            t += timedelta(days=rng.randint(1, 12), hours=rng.randint(0, 3))
            self.add(
                t,
                f"risk {record.key} control {[m.value for m in spec.government]}",
                lambda r=record, i=inspector, at=t, s=spec: self.ledger.execute(
                    i,
                    ListControlMeasures(
                        risk_point_id=r.id,
                        enterprise_measures=list(s.measures),
                        government_measures=list(s.government),
                        occurred_at=at,
                    ),
                ),
            )
            if spec.shape == "no_emergency":
                continue
            t += timedelta(days=rng.randint(1, 10), hours=rng.randint(0, 3))
            supplies = [EmergencySupply(*item) for item in SUPPLY_KITS[spec.kit]]
            self.add(
                t,
                f"risk {record.key} emergency {spec.kit}",
                lambda r=record, e=ent, at=t, s=spec, items=supplies: self.ledger.execute(
                    e.safety, ListEmergency(risk_point_id=r.id, measures=list(s.emergency), supplies=items, occurred_at=at)
                ),
            )

    # ----- outstanding problems (突出问题) -------------------------------------------------------

    def staff_of(self, unit: str) -> Actor:
        if unit == "ajb":
            return self.director
        if self.ref.units[unit].kind in (OrgKind.STREET, OrgKind.ZONE):
            return self.street_officer(unit)
        return self.inspectors[unit][0]

    def plan_unit_warnings(self) -> None:
        """The 区安委办 warns units in person: a 约谈 after repeated accidents, and a 告知 it publishes (通报);
        the process managers propose the ladder's other steps from the story's facts when they run."""
        warnings = (
            (
                "yjj",
                WarningLevel.INTERVIEW,
                11,
                "辖区连续发生生产安全事故，专项行动工作推进不力",
                "Repeated accidents, slow progress",
            ),
            (self.busy_streets[0], WarningLevel.NOTICE, 10, "重大事故隐患未按期整改", "Major hazards not rectified in time"),
        )
        for n, (unit, level, month, reason_zh, reason_en) in enumerate(warnings, 1):
            record = _Record(f"W{n:02d}")
            self.warnings.append(record)
            proposed = self.work_time(self.on(month, 10), 9, 11)

            def propose(r: _Record = record, unit: str = unit, level: WarningLevel = level, zh: str = reason_zh,
                        en: str = reason_en, at: datetime = proposed) -> Receipt:  # fmt: skip
                command = ProposeWarning(
                    unit_id=unit, level=level, trigger=WarningTrigger.MANUAL, trigger_key=f"demo:{r.key}",
                    reason_zh=zh, reason_en=en, occurred_at=at,
                )  # fmt: skip
                receipt = self.ledger.execute(self.registrar, command)
                r.id = receipt.id
                return receipt

            def confirm(r: _Record = record, published: bool = level is WarningLevel.NOTICE, at: datetime = proposed) -> Receipt:
                assert r.id is not None
                return self.ledger.execute(
                    self.registrar,
                    ConfirmWarning(
                        warning_id=r.id, note="经区安委办研究确认", published=published, occurred_at=at + timedelta(days=1)
                    ),
                )

            self.add(proposed, f"warning {record.key} {unit} {level.value}", propose)
            self.add(proposed + timedelta(days=1), f"warning {record.key} confirmed", confirm)

    def plan_accountability(self) -> None:
        """责任倒查、追责问责: the 区安委办 holds the two first signers of the earliest clean, signed
        inspection that a later hazard contradicts (明明有问题却查不出) accountable. No random draws, so
        the rest of the story is unchanged."""
        for h in sorted(self.hazards, key=lambda h: h.t0):
            if h.existed_since is None or h.inspection is None:
                continue
            clean = next(
                (
                    i for i in self.inspections
                    if i.enterprise is h.enterprise and i is not h.inspection and i.when < h.t0 and h.item in i.scope
                    and business_date(i.when) >= h.existed_since and i.kind is not InspectionKind.SELF_INSPECTION
                    and not any(other.inspection is i for other in self.hazards)
                ),
                None,
            )  # fmt: skip
            if clean is None:
                continue
            at = max(_at(self.on(11, 20), 10, 0), h.t0 + timedelta(days=3))
            if at > self.limit:
                continue
            signers = clean.team[:2]
            record = _Record(f"R{len(self.accountability) + 1:02d}")
            self.accountability.append(record)

            def pursue(
                h: _Hazard = h, i: _Inspection = clean, people: list[Actor] = signers, at: datetime = at, r: _Record = record
            ) -> Receipt:
                receipt = self.ledger.execute(
                    self.registrar,
                    PursueAccountability(
                        hazard_ids=[h.id],
                        inspection_ids=[i.id],
                        persons=[
                            {"user_id": a.user_id, "name": a.name, "organisation": a.organisation_name, "role": a.role.zh}
                            for a in people
                        ],
                        measures=["诫勉谈话", "通报批评"],
                        decided_by="ajb",
                        summary=f"检查时对已存在的隐患「{h.description}」未能发现（明明有问题却查不出）",
                        occurred_at=at,
                    ),
                )
                r.id = receipt.id
                return receipt

            self.add(at, f"accountability {h.key} {clean.key} {[a.user_id for a in signers]}", pursue)
            return

    def plan_problems(self) -> None:
        rng = self.rng
        first_rectified: tuple[_Record, Actor, datetime] | None = None
        for n, (unit, sector, description, measures, rectified) in enumerate(PROBLEMS, 1):
            if unit.startswith("street:"):
                unit = self.busy_streets[int(unit.split(":")[1]) % len(self.busy_streets)]
            if unit not in self.ref.units or (unit not in self.inspectors and self.ref.units[unit].kind is OrgKind.DEPARTMENT):
                continue
            actor = self.staff_of(unit)
            record = _Record(f"P{n:02d}")
            self.problems.append(record)
            identified = self.work_time(self.day_in(self.start.year, rng.choice((5, 6, 7, 8)), 8, 28), 9, 16)

            def identify(
                r: _Record = record,
                a: Actor = actor,
                unit: str = unit,
                sector: str = sector,
                d: str = description,
                at: datetime = identified,
            ) -> Receipt:
                receipt = self.ledger.execute(a, IdentifyProblem(description=d, sector=sector, unit_id=unit, occurred_at=at))
                r.id = receipt.id
                return receipt

            self.add(identified, f"problem {record.key} {unit} {sector} {description}", identify)
            t = identified
            for measure in measures:
                t += timedelta(days=rng.randint(7, 30), hours=rng.randint(0, 3))
                self.add(
                    t,
                    f"problem {record.key} measure {measure}",
                    lambda r=record, a=actor, m=measure, at=t: self.ledger.execute(
                        a, AdoptRootCauseMeasure(problem_id=r.id, measure=m, occurred_at=at)
                    ),
                )
            if rectified:
                t += timedelta(days=rng.randint(15, 50), hours=rng.randint(0, 3))
                note = "已完成集中整治，建立长效机制，经复查整改到位"
                self.add(
                    t,
                    f"problem {record.key} rectified",
                    lambda r=record, a=actor, at=t, note=note: self.ledger.execute(
                        a, RectifyProblem(problem_id=r.id, note=note, occurred_at=at)
                    ),
                )
                if first_rectified is None:
                    first_rectified = (record, actor, t)
        if first_rectified is not None:
            record, actor, t = first_rectified

    # ----- work logs (工作情况台账): every activity kind of Annex 1 / Annex 2 ---------------------

    def activity(
        self, unit: str, actor: Actor, kind: ActivityKind, month: int, note: str, ent: _Enterprise | None = None, **values: Any
    ) -> None:
        when = self.work_time(self.day_in(self.start.year, month, 3, 27), 9, 16)

        def run(at: datetime = when) -> Receipt:
            return self.ledger.execute(
                actor,
                RecordActivity(
                    unit_id=unit, kind=kind, enterprise_id=ent.id if ent else None, note=note, occurred_at=at, **values
                ),
            )

        self.activities += 1
        self.add(when, f"activity {unit} {kind} {ent.credit_code if ent else '-'} {values} {note}", run)

    def plan_work_logs(self) -> None:
        rng, K = self.rng, ActivityKind
        office = self.registrar
        # The 区安委办's own acts (demo/data/office_activities.csv).
        for row in OFFICE_ACTIVITIES:
            values = {k: v for k, v in row.items() if k not in ("kind", "month", "note")}
            self.activity("ajb", office, row["kind"], row["month"], row["note"], **values)

        # Departments: lectures, guidance and services to enterprises, experts, rewards, inspectors.
        for unit, sectors in (
            ("yjj", ("hazardous_chemicals", "industry_trade", "fireworks")),
            ("zjj", ("construction_housing", "urban_gas")),
            ("xfj", ("fire_safety",)),
        ):
            staff = self.inspectors[unit]
            pool = self.of_sector(*sectors)
            name = self.ref.units[unit].name
            self.activity(unit, staff[0], K.STUDY_SESSION, 5, f"{name}党组会议专题学习安全生产十五条硬措施", count=1)
            self.activity(unit, staff[0], K.LEADERSHIP_RESEARCH, 5, f"{name}主要负责同志专题研究本行业领域排查整治工作", count=1)
            self.activity(unit, staff[0], K.TECHNICAL_INSPECTORS, 6, f"{name}配备专兼职技术检查员", value=rng.randint(3, 6))
            for month in (6, 9):
                self.activity(
                    unit, staff[-1], K.LECTURE, month, f"{name}负责同志到企业宣讲安全生产十五条硬措施", count=rng.randint(1, 3)
                )
            for ent in rng.sample(pool, min(len(pool), 3)):
                self.activity(
                    unit, rng.choice(staff), K.GUIDANCE_ENTERPRISE, rng.randint(6, 11), "帮扶指导重点企业开展自查自改", ent
                )
            for ent in rng.sample(pool, min(len(pool), 4)):
                self.activity(unit, rng.choice(staff), K.ENTERPRISE_SERVED, rng.randint(5, 11), "检查服务企业", ent)
            self.activity(unit, staff[0], K.SUPERVISION_TEAM, 7, f"{name}派出督导组", count=rng.randint(1, 2), sector=sectors[0])
            self.activity(unit, staff[0], K.EXPERT_SERVICE, 8, "组织专家开展技术服务", count=rng.randint(2, 5), sector=sectors[0])
            amount = rng.randint(2, 6) * 1000
            self.activity(
                unit,
                staff[0],
                K.TIPOFF_REWARD,
                rng.randint(7, 11),
                "兑现举报奖励",
                amount_yuan=amount,
                anonymous_amount_yuan=rng.choice((0, amount // 2, amount)),
            )
            self.activity(unit, staff[0], K.ASSESSMENT_PATROL, 10, f"{name}对本行业领域开展督导检查", count=1)
        self.activity("yjj", self.inspectors["yjj"][0], K.GUIDANCE_COUNTY, 8, "对口帮扶指导重点县（区）危化品企业集中区", count=1)

        # The two busiest streets (属地).
        for street in self.busy_streets:
            officer = self.street_officer(street)
            name = self.ref.units[street].name
            local = [e for e in self.enterprises if e.jurisdiction == street]
            self.activity(street, officer, K.STUDY_SESSION, 6, f"{name}党工委专题学习安全生产十五条硬措施", count=1)
            self.activity(street, officer, K.LEADERSHIP_RESEARCH, 6, f"{name}党工委主要负责同志专题研究辖区排查整治工作", count=1)
            self.activity(street, officer, K.LECTURE, 7, f"{name}负责同志到辖区企业宣讲", count=rng.randint(1, 3))
            self.activity(street, officer, K.SUPERVISION_TEAM, 8, f"{name}派出督导组对辖区企业开展督导", count=1)
            self.activity(street, officer, K.TECHNICAL_INSPECTORS, 6, f"{name}配备专兼职安全检查员", value=rng.randint(2, 4))
            self.activity(street, officer, K.ASSESSMENT_PATROL, 11, f"{name}对社区和企业开展考核巡查", count=1)
            for ent in rng.sample(local, min(len(local), 3)):
                self.activity(street, officer, K.ENTERPRISE_SERVED, rng.randint(6, 11), "网格员入企检查服务", ent)
            for ent in local[:1]:
                self.activity(street, officer, K.GUIDANCE_ENTERPRISE, 9, "帮扶指导辖区重点企业", ent)

    # ----- execution -------------------------------------------------------------------------

    def plan(self) -> None:
        self.plan_cast()
        self.plan_findings()
        self.plan_outcomes()
        for h in self.hazards:
            self.plan_lifecycle(h)
        self.plan_campaign()
        self.number_listings()
        self.steps.sort()

    def digest(self) -> str:
        sha = hashlib.sha256()
        for step in self.steps:
            sha.update(f"{step.when.isoformat()}|{step.label}\n".encode())
        for h in self.hazards:
            sha.update(f"{h.key}|{h.listing_number}\n".encode())
        for c in self.cases:
            sha.update(f"{c.key}|{c.number}|{c.decisions}\n".encode())
        return sha.hexdigest()


def load_demo(
    ledger: Ledger,
    *,
    seed: int = 2023,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Fills a fresh ledger with the demo district and returns what it holds."""
    demo = _Demo(ledger, seed)
    now = ledger.clock.now()
    if now < demo.limit:
        raise ValueError(f"the demo story runs until {demo.limit.isoformat()}; the ledger's clock ({now.isoformat()}) is earlier")
    demo.plan()
    total = len(demo.steps)
    versions: dict[UUID, int] = {}
    for done, step in enumerate(demo.steps, 1):
        try:
            receipt = step.run()
        except DomainError as exc:
            raise RuntimeError(f"demo step refused ({step.when.isoformat()} {step.label[:120]}): {exc}") from exc
        versions[receipt.id] = max(versions.get(receipt.id, 0), receipt.version)
        if progress is not None:
            progress(done, total)

    hazard_ids = tuple(h.id for h in demo.hazards if h.id is not None)
    views = [ledger.hazards.hazard(hid) for hid in hazard_ids]
    by_state = {s.value: 0 for s in HazardState}
    by_month: dict[str, int] = {f"{y}-{m:02d}": 0 for y, m in demo.months()}
    for view in views:
        by_state[view["state"]] += 1
        month = business_date(datetime.fromisoformat(view["reported_at"])).strftime("%Y-%m")
        by_month[month] = by_month.get(month, 0) + 1
    case_ids = tuple(c.id for c in demo.cases if c.id is not None)
    cases = [ledger.enforcement.case(cid) for cid in case_ids]
    risk_point_ids = tuple(r.id for r in demo.risk_points if r.id is not None)
    work_logs = [ledger.work_logs.work_log(unit) for unit in dict.fromkeys(ledger.reference.units)]
    return DemoSummary(
        seed=seed,
        enterprises=len(demo.enterprises),
        sectors=len({e.sector for e in demo.enterprises}),
        people=len(demo.people),
        inspections=len(demo.inspections),
        hazards=len(views),
        majors=sum(1 for v in views if v["grade"] == Grade.MAJOR.value),
        events=sum(versions.values()),
        hazards_by_state=by_state,
        hazards_by_month=by_month,
        overdue=sum(1 for v in views if v["overdue"]),
        listed=sum(1 for v in views if v["listed"]),
        digest=demo.digest(),
        cases=len(cases),
        penalty_decisions=sum(c["penalty_decisions"] for c in cases),
        fines_yuan=sum(c["total_fines_yuan"] for c in cases),
        batches=len(demo.batches),
        accidents=len(demo.accidents),
        risk_points=len(risk_point_ids),
        risk_points_controlled=sum(1 for rid in risk_point_ids if ledger.risks.risk_point(rid)["controlled"]),
        problems=len(demo.problems),
        activities=sum(len(log["activities"]) for log in work_logs),
        spot_checks=demo.spot_checks,
        enterprise_ids=tuple(e.id for e in demo.enterprises),
        inspection_ids=tuple(i.id for i in demo.inspections if i.id is not None),
        hazard_ids=hazard_ids,
        case_ids=case_ids,
        batch_ids=tuple(b.id for b in demo.batches if b.id is not None),
        accident_ids=tuple(a.id for a in demo.accidents if a.id is not None),
        risk_point_ids=risk_point_ids,
        problem_ids=tuple(p.id for p in demo.problems if p.id is not None),
        work_log_ids=tuple(UUID(log["id"]) for log in work_logs if log["version"]),
        warning_ids=tuple(w.id for w in demo.warnings if w.id is not None),
        accountability_ids=tuple(r.id for r in demo.accountability if r.id is not None),
    )
