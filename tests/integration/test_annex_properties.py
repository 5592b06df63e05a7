"""Property tests: the Annex 1 / Annex 2 / KPI read models equal an independent naive recomputation
(``tests/oracle.py``) on random but valid histories, on SQLite and on PostgreSQL.

Each example builds a fresh ledger (a new SQLite file, or a new PostgreSQL database), plays a random
history through the application service — every area of the ledger, business times spread over the
2023 campaign (a few before it), many records back-dated so that the recorded order differs from the
business order, commands the domain refuses skipped — catches the read models up, and then, for
random cut-offs (the 5th / 12th / 22nd among them), random units (the district, departments, streets,
the zone) and random "known at" moments between recorded events, compares every figure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID

import psycopg
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from psycopg import sql
from sqlalchemy import select

from app.settings import Settings
from app.wiring import Services, build
from domain.actor import Actor
from domain.business_time import CHINA_TZ, FixedClock, business_date
from domain.credit_code import check_character
from domain.errors import DomainError
from domain.glossary import InspectionKind, OrgKind, Role
from domain.risk_point import EmergencySupply, HazardCharacteristics
from domain.values import Person, RectificationPlan, SupervisionListing
from projections.engine import rebuild_together
from tests.oracle import Oracle, annex1_figures, annex2_cells, differences, read_events, shown

PG_ADMIN_URL = os.environ.get("HAZARD_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
# The system clock of every example: after the campaign, so that all of 2023 may be back-dated.
NOW = datetime(2024, 2, 1, 10, 0, tzinfo=CHINA_TZ)
CAMPAIGN_MONTHS = (5, 6, 7, 8, 9, 10, 11, 12)
# Days where an off-by-one in a period shows: cut-offs, their neighbours, month ends.
EDGE_DAYS = (1, 4, 5, 6, 11, 12, 13, 21, 22, 23, 28, 30, 31)
# Fines (yuan) that round in 万元: alone and summed (50 → 0.01 alone, two of them 0.01 not 0.02).
FINES = (0, 50, 149, 150, 4_999, 5_000, 12_345, 99_995, 100_000, 250_049)

# Enterprises by (sector row, street or zone): "其中" rows (房屋市政 under 建设项目, 5万以下 under 水电站),
# a sector led by several departments (建设项目: first lead 区住房城乡建设局), the zone leading its own
# row (各类园区) inside its own territory, and the committee office leading 其他.
ENTERPRISE_POOL = (
    ("hazardous_chemicals", "wulong"),
    ("construction_housing", "longcheng"),
    ("construction", "szkfq"),
    ("hydropower_small", "luoyang"),
    ("hydropower_large", "wulong"),
    ("transport", "longcheng"),
    ("industrial_parks", "szkfq"),
    ("other", "luoyang"),
    ("fire_safety", "wulong"),
    ("construction_water", "luoyang"),
)
SECTORS_USED = tuple(sorted({s for s, _ in ENTERPRISE_POOL} | {"hydropower", "special_equipment"}))
UNITS_ASKED = (None, None, "yjj", "zjj", "slj", "jtj", "xfj", "ajb", "kgj", "wulong", "longcheng", "luoyang", "szkfq", "wjj")
ACTIVITY_UNITS = ("yjj", "zjj", "slj", "jtj", "ajb", "wulong", "longcheng", "szkfq", "xfj")
ACTIVITY_KINDS = (
    "study_session", "leadership_research", "site_supervision", "lecture", "tipoff_reward", "media_column",
    "technical_inspectors", "assessment_patrol", "guidance_county", "guidance_enterprise", "supervision_team",
    "expert_service", "enterprise_served",
)  # fmt: skip
DEFICIENCIES = (
    "principal_not_studying", "principal_not_leading_inspection", "no_deputy_duty_list",
    "no_safety_organisation_or_staff", "uncertified_special_operations", "outsourcing_leasing_disorder",
    "no_drills_or_exits_unknown",
)  # fmt: skip
EXPERT = Actor("expert-1", "吴专家", Role.EXPERT, "experts", OrgKind.EXPERT_BODY, "安全技术服务中心")


def credit_code(serial: int) -> str:
    first17 = f"91530114MA7Q{serial:05d}"
    return first17 + check_character(first17)


# ----- fresh databases ---------------------------------------------------------------------------


@contextmanager
def fresh_services(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    """A new, empty ledger on the backend of ``db_url``: a new SQLite file, or a new PostgreSQL database."""
    name = None
    if db_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path_factory.mktemp('annex')}/hazard.db"
    else:
        name = f"hazard_annex_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        url = f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    services = None
    try:
        services = build(Settings(db_url=url), clock=FixedClock(NOW))
        yield services
    finally:
        if services is not None:
            services.close()
        if name is not None:
            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


# ----- random histories --------------------------------------------------------------------------


@dataclass
class Record:
    id: UUID
    cursor: datetime  # business time of its latest event: the next one may not be earlier
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass
class Firm:
    id: UUID
    sector: str
    jurisdiction: str
    principal: Actor
    staff: Actor


class History:
    """Draws commands from hypothesis and plays them through the ledger; refused ones are skipped."""

    def __init__(self, services: Services, data: st.DataObject) -> None:
        self.services = services
        self.ledger = services.ledger
        self.reference = services.ledger.reference
        self.data = data
        self.firms: list[Firm] = []
        self.hazards: list[Record] = []
        self.inspections: list[Record] = []
        self.cases: list[Record] = []
        self.risks: list[Record] = []
        self.problems: list[Record] = []
        self.accepted = 0
        self.refused: dict[str, int] = {}
        self.stock_moments: dict[str, datetime] = {}
        # Most of a history happens in a few months, so that the 本月 rows have something to count.
        self.active_months: list[int] = data.draw(
            st.lists(st.sampled_from(CAMPAIGN_MONTHS), min_size=1, max_size=3, unique=True), "months"
        )
        self.serial = 0

    # ----- drawing -----

    def draw(self, strategy: st.SearchStrategy[Any], label: str | None = None) -> Any:
        return self.data.draw(strategy, label=label)

    def pick(self, options: Any) -> Any:
        return self.draw(st.sampled_from(list(options)))

    def next_serial(self) -> int:
        self.serial += 1
        return self.serial

    def moment(self) -> datetime:
        """A business time in 2023 (mostly the campaign, sometimes late April), often on an edge day,
        at an hour where the Beijing date and the UTC date differ, written in either zone."""
        month = self.pick(self.active_months) if self.draw(st.integers(0, 4)) else self.pick((4, *CAMPAIGN_MONTHS))
        day = self.draw(st.one_of(st.sampled_from(EDGE_DAYS), st.integers(1, 31)))
        last = (date(2023 + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
        day = min(day, last)
        if month == 4:
            day = max(day, 20)
        hour = self.pick((0, 0, 7, 9, 15, 16, 23, 23))
        minute = self.pick((0, 30, 59))
        local = datetime.combine(date(2023, month, day), time(hour, minute), CHINA_TZ)
        return local.astimezone(UTC) if self.draw(st.booleans()) else local

    def after(self, cursor: datetime) -> datetime:
        """A business time not before ``cursor`` (rarely before it: the domain must refuse that)."""
        step = self.pick(
            (timedelta(0), timedelta(minutes=30), timedelta(hours=8), timedelta(hours=23), timedelta(days=1),
             timedelta(days=3), timedelta(days=9), timedelta(days=17), timedelta(days=40), timedelta(days=2),
             timedelta(hours=-2))
        )  # fmt: skip
        return min(cursor + step, NOW - timedelta(hours=1))

    # ----- actors -----

    def regulator(self, unit_id: str, n: int = 1) -> Actor:
        unit = self.reference.units[unit_id]
        role = {
            OrgKind.DEPARTMENT: Role.INSPECTOR,
            OrgKind.STREET: Role.STREET_OFFICER,
            OrgKind.ZONE: Role.STREET_OFFICER,
            OrgKind.COMMITTEE_OFFICE: Role.COMMITTEE_OFFICE,
        }[unit.kind]
        return Actor(f"{unit_id}-{n}", f"{unit.name}{n}号", role, unit_id, unit.kind, unit.name)

    def in_scope(self, sector: str, jurisdiction: str | None, *extra: str) -> list[str]:
        """Units responsible for a record: the office, every lead of the row (and of its parent), the territory."""
        row = self.reference.sector(sector)
        units = ["ajb", *row.lead_unit_ids]
        if row.parent:
            units += list(self.reference.sector(row.parent).lead_unit_ids)
        if jurisdiction:
            units.append(jurisdiction)
        units += list(extra)
        return list(dict.fromkeys(units))

    def scoped_regulator(self, sector: str, jurisdiction: str | None, *extra: str, office: bool = True) -> Actor:
        units = self.in_scope(sector, jurisdiction, *extra)
        if not office:
            units.remove("ajb")
        return self.regulator(self.pick(units), self.pick((1, 2)))

    # ----- playing -----

    def attempt(self, name: str, command: Any) -> Any:
        try:
            result = command()
        except DomainError as error:
            key = f"{name}:{error.code}"
            self.refused[key] = self.refused.get(key, 0) + 1
            return None
        self.accepted += 1
        return result

    def play(self, steps: int) -> None:
        for n in range(self.draw(st.integers(3, 6), "enterprises")):
            self.register_firm(n)
        operations = (
            [self.report_hazard] * 5
            + [self.hazard_step] * 12
            + [self.inspection] * 3
            + [self.spot_check_more]
            + [self.open_case] * 3
            + [self.case_act] * 9
            + [self.risk_point] * 2
            + [self.risk_list] * 3
            + [self.problem] * 2
            + [self.problem_step] * 2
            + [self.activity] * 5
            + [self.warning]
            + [self.accountability]
        )
        for _ in range(steps):
            operation = self.pick(operations)
            operation()

    def register_firm(self, n: int) -> None:
        sector, jurisdiction = self.pick(ENTERPRISE_POOL)
        code = credit_code(self.next_serial())
        receipt = self.ledger.enterprises.register_enterprise(
            self.regulator("ajb"),
            credit_code=code,
            name=f"测试企业{n}",
            sector=sector,
            jurisdiction=jurisdiction,
            principal_name=f"负责人{n}",
            occurred_at=datetime(2023, 3, 1, 9, 0, tzinfo=CHINA_TZ),
        )
        eid = receipt.id
        principal = Actor(f"p-{n}", f"负责人{n}", Role.PRINCIPAL, str(eid), OrgKind.ENTERPRISE, f"测试企业{n}")
        staff = Actor(f"s-{n}", f"安全员{n}", Role.ENTERPRISE_STAFF, str(eid), OrgKind.ENTERPRISE, f"测试企业{n}")
        self.firms.append(Firm(eid, sector, jurisdiction, principal, staff))

    def firm_of(self, enterprise_id: UUID) -> Firm:
        return next(f for f in self.firms if f.id == enterprise_id)

    # ----- hazards -----

    def report_hazard(self, inspection: Record | None = None) -> Record | None:
        firm = self.firm_of(inspection.facts["enterprise"]) if inspection else self.pick(self.firms)
        grade = self.pick(("major", "major", "major", "general"))
        if inspection is not None:
            source = "self_inspection" if inspection.facts["kind"] == "self_inspection" else "department_inspection"
        else:
            source = self.pick(("self_inspection", "self_inspection", "department_inspection", "department_inspection",
                                "supervision", "tip_off", "accident_investigation"))  # fmt: skip
        sector = None
        if inspection is None and self.draw(st.integers(0, 5)) == 0:
            sector = self.pick(SECTORS_USED)  # a hazard of another row than its enterprise's
        row = sector or firm.sector
        if inspection is not None:
            actor = inspection.facts["actor"]
        elif source == "self_inspection" and self.draw(st.booleans()):
            actor = self.pick((firm.principal, firm.staff))
        else:
            actor = self.scoped_regulator(row, firm.jurisdiction)
        department = self.pick((None, None, None, "jtj", "yjj"))  # responsible department: never who it counts for
        when = self.after(inspection.cursor) if inspection else self.moment()
        receipt = self.attempt(
            "report_hazard",
            lambda: self.ledger.hazards.report_hazard(
                actor,
                enterprise_id=firm.id,
                grade=grade,
                source=source,
                description=f"隐患{self.next_serial()}",
                criterion="判定标准第X条" if grade == "major" else "",
                sector=sector,
                department=department,
                inspection_id=inspection.id if inspection else None,
                occurred_at=when,
            ),
        )
        if receipt is None:
            return None
        record = Record(receipt.id, when, {"enterprise": firm.id, "sector": row, "jurisdiction": firm.jurisdiction})
        self.hazards.append(record)
        return record

    def hazard_step(self) -> None:
        live = [h for h in self.hazards if not h.facts.get("finished")] or self.hazards
        if not live:
            return
        h = self.pick(live)
        for _ in range(self.draw(st.integers(1, 6))):
            if h.facts.get("finished"):
                break
            self.hazard_transition(h)

    def hazard_transition(self, h: Record) -> None:
        view = self.ledger.hazards.hazard(h.id)
        state = view["state"]
        if state in ("closed", "voided"):
            h.facts["finished"] = True
        firm = self.firm_of(h.facts["enterprise"])
        choices = {
            "reported": ("plan", "plan", "plan", "plan", "regulator", "regulator", "list", "list", "void"),
            "rectifying": ("complete", "complete", "complete", "complete", "complete", "missed", "missed", "extend",
                           "progress", "list", "void", "regulator"),
            "pending_verification": ("pass", "pass", "pass", "pass", "pass", "fail", "void", "list"),
            "verified": ("lift", "close", "close"),
            "closed": ("close",),
            "voided": ("void",),
        }[state]  # fmt: skip
        action = self.pick(choices)
        when = self.after(h.cursor)
        today = business_date(when)
        sector, jurisdiction = h.facts["sector"], h.facts["jurisdiction"]
        regulator = self.scoped_regulator(sector, jurisdiction, view["department"])
        field_regulator = self.scoped_regulator(sector, jurisdiction, view["department"], office=False)
        ledger = self.ledger
        if action == "plan":
            if self.draw(st.integers(0, 4)) == 0:
                plan = RectificationPlan(responsible_person="张三", measures="立即整改", immediate=True)
            else:
                plan = RectificationPlan(
                    responsible_person="张三",
                    measures="更换设备",
                    funds_yuan=self.pick((0, 8_000, 120_000)),
                    deadline=today + timedelta(days=self.draw(st.integers(0, 25))),
                    contingency_plan="专项应急预案",
                )
            actor = self.pick((firm.principal, regulator))
            command: Any = lambda: ledger.hazards.file_plan(actor, h.id, plan, occurred_at=when)  # noqa: E731
        elif action == "regulator":
            actor = self.pick((firm.principal, self.regulator("ajb")))
            command = lambda: ledger.hazards.report_to_regulator(actor, h.id, occurred_at=when)  # noqa: E731
        elif action == "list":
            listing = SupervisionListing(
                level=self.pick(("district", "city", "province")),
                supervising_body="区安委办",
                document_number=f"呈安委〔2023〕{self.next_serial()}号",
                issuer="王安委",
                time_limit=today + timedelta(days=30),
            )
            command = lambda: ledger.hazards.list_for_supervision(regulator, h.id, listing, occurred_at=when)  # noqa: E731
        elif action == "lift":
            command = lambda: ledger.hazards.lift_supervision(regulator, h.id, reason="验收合格", approver="王安委", occurred_at=when)  # noqa: E731
        elif action == "extend":
            command = lambda: ledger.hazards.extend_deadline(  # noqa: E731
                regulator, h.id, request_date=today, reason="设备到货延迟",
                new_deadline=today + timedelta(days=self.draw(st.integers(0, 30))), approver="王安委", occurred_at=when,
            )  # fmt: skip
        elif action == "missed":
            deadline = date.fromisoformat(view["deadline"]) if view["deadline"] else today
            missed_at = datetime.combine(deadline + timedelta(days=self.pick((1, 1, 2, 6))), time(0, 5), CHINA_TZ)
            when = max(missed_at, h.cursor)
            office = self.regulator("ajb")  # paper records: the 区安委办 states the deadline missed (or kept)
            kept = self.pick((True, False))
            command = lambda: ledger.hazards.record_deadline_miss(  # noqa: E731
                office, h.id, deadline=deadline, missed=not kept, reason="据督查记录", occurred_at=when
            )
        elif action == "progress":
            command = lambda: ledger.hazards.record_progress(firm.staff, h.id, note="进行中", percent=50, occurred_at=when)  # noqa: E731
        elif action == "complete":
            actor = self.pick((firm.staff, firm.principal))
            command = lambda: ledger.hazards.complete_rectification(actor, h.id, note="已完成", occurred_at=when)  # noqa: E731
        elif action in ("pass", "fail"):
            actor = self.pick((field_regulator, EXPERT))
            command = lambda: ledger.hazards.verify(  # noqa: E731
                actor, h.id, passed=action == "pass", opinion="验收意见", assessed_by=["experts"], occurred_at=when
            )
        elif action == "close":
            actor = self.pick((regulator, firm.principal))
            command = lambda: ledger.hazards.close_hazard(actor, h.id, note="销号", occurred_at=when)  # noqa: E731
        else:
            command = lambda: ledger.hazards.void_hazard(regulator, h.id, reason="重复登记", occurred_at=when)  # noqa: E731
        if self.attempt(f"hazard.{action}", command) is not None:
            h.cursor = when
            if action in ("close", "void"):
                h.facts["finished"] = True

    # ----- inspections -----

    def inspection(self) -> None:
        firm = self.pick(self.firms)
        kind = self.pick(
            (
                InspectionKind.DEPARTMENT,
                InspectionKind.DEPARTMENT,
                InspectionKind.SPOT_CHECK,
                InspectionKind.SPOT_CHECK,
                InspectionKind.SUPERVISION_VISIT,
                InspectionKind.SELF_INSPECTION,
            )
        )
        if kind is InspectionKind.SELF_INSPECTION:
            actor = firm.principal
        else:
            actor = self.scoped_regulator(firm.sector, firm.jurisdiction)
        other = Person(f"{actor.user_id}-b", "第二检查人")
        inspectors = [Person(actor.user_id, actor.name)] + ([other] if self.draw(st.booleans()) else [])
        when = self.moment()
        receipt = self.attempt(
            "inspection",
            lambda: self.ledger.inspections.conduct_inspection(
                actor,
                enterprise_id=firm.id,
                kind=kind,
                method=self.pick(("routine", "unannounced")),
                inspectors=inspectors,
                scope=[],
                led_by_principal=kind is InspectionKind.SELF_INSPECTION,
                occurred_at=when,
            ),
        )
        if receipt is None:
            return
        record = Record(receipt.id, when, {"enterprise": firm.id, "kind": kind.value, "actor": actor})
        self.inspections.append(record)
        if kind is InspectionKind.SPOT_CHECK and self.draw(st.integers(0, 3)) > 0:
            self.record_deficiencies(record)
        if self.draw(st.integers(0, 2)) == 0:
            hazard = self.report_hazard(inspection=record)
            if hazard is not None:
                record.cursor = max(record.cursor, hazard.cursor)
                at = self.after(record.cursor)
                if self.attempt(
                    "finding",
                    lambda: self.ledger.inspections.record_finding(actor, record.id, item="储罐区", hazard_ids=[hazard.id], occurred_at=at),
                ):
                    record.cursor = at
        elif self.draw(st.booleans()):
            at = self.after(record.cursor)
            if self.attempt(
                "finding",
                lambda: self.ledger.inspections.record_finding(
                    actor, record.id, item="消防", hazard_ids=[], no_major_hazard=True, occurred_at=at
                ),
            ):
                record.cursor = at
        if self.draw(st.integers(0, 2)) == 0:
            at = self.after(record.cursor)
            if self.attempt("sign", lambda: self.ledger.inspections.sign_inspection(actor, record.id, occurred_at=at)):
                record.cursor = at

    def record_deficiencies(self, record: Record) -> None:
        found = self.draw(st.lists(st.sampled_from(DEFICIENCIES), max_size=3, unique=True))
        at = self.after(record.cursor)
        if self.attempt(
            "deficiencies",
            lambda: self.ledger.inspections.record_deficiencies(record.facts["actor"], record.id, deficiencies=found, occurred_at=at),
        ):
            record.cursor = at

    def spot_check_more(self) -> None:
        spot_checks = [r for r in self.inspections if r.facts["kind"] == "spot_check"]
        if spot_checks:
            self.record_deficiencies(self.pick(spot_checks))

    # ----- enforcement -----

    def open_case(self) -> None:
        firm = self.pick(self.firms)
        own = [h for h in self.hazards if h.facts["enterprise"] == firm.id]
        cited = self.draw(st.lists(st.sampled_from(own), max_size=2, unique_by=lambda r: r.id)) if own else []
        actor = self.scoped_regulator(firm.sector, firm.jurisdiction)
        when = self.moment()
        receipt = self.attempt(
            "open_case",
            lambda: self.ledger.enforcement.open_case(
                actor,
                enterprise_id=firm.id,
                legal_basis="《安全生产法》第一百零二条",
                case_number=f"呈应急罚〔2023〕{self.next_serial()}号",
                cited_hazard_ids=[h.id for h in cited],
                occurred_at=when,
            ),
        )
        if receipt is not None:
            self.cases.append(Record(receipt.id, when, {"enterprise": firm.id, "department": actor.organisation_id}))
            for _ in range(self.draw(st.integers(0, 3))):
                self.case_act(self.cases[-1])

    def case_act(self, case: Record | None = None) -> None:
        if case is None:
            if not self.cases:
                return
            case = self.pick(self.cases)
        firm = self.firm_of(case.facts["enterprise"])
        actor = self.scoped_regulator(firm.sector, firm.jurisdiction, case.facts["department"])
        when = self.after(case.cursor)
        act = self.pick(("penalty", "penalty", "dual", "dual", "suspend", "lift", "licence", "request_closure",
                         "order_closure", "transfer", "joint", "interview", "expose", "typical", "close"))  # fmt: skip
        ledger, cid, n = self.ledger, case.id, self.next_serial()
        commands = {
            "penalty": lambda: ledger.enforcement.decide_penalty(
                actor, cid, target=target, fine_yuan=self.pick(FINES),
                decision_number=f"决定{n}", legal_basis="第一百零二条", person_name=person, occurred_at=when),
            "dual": lambda: ledger.enforcement.impose_dual_penalty(
                actor, cid, enterprise_fine_yuan=self.pick(FINES), principal_fine_yuan=self.pick(FINES),
                decision_number=f"双罚{n}", legal_basis="第九十五条", occurred_at=when),
            "suspend": lambda: ledger.enforcement.order_suspension(actor, cid, decision_number=f"停{n}", reason="重大隐患", occurred_at=when),
            "lift": lambda: ledger.enforcement.lift_suspension(actor, cid, opinion="复产验收合格", occurred_at=when),
            "licence": lambda: ledger.enforcement.suspend_or_revoke_licence(
                actor, cid, action=self.pick(("suspend", "revoke")), licence_name="安全生产许可证",
                licence_number=self.pick(("L-1", "L-2")), decision_number=f"证{n}", occurred_at=when),
            "request_closure": lambda: ledger.enforcement.request_closure(actor, cid, government="呈贡区人民政府", reason="屡查屡犯", occurred_at=when),
            "order_closure": lambda: (
                case.facts.get("closure_requested")
                or ledger.enforcement.request_closure(actor, cid, government="呈贡区人民政府", reason="屡查屡犯", occurred_at=when),
                ledger.enforcement.order_closure(actor, cid, government="呈贡区人民政府", decision_number=f"关{n}", occurred_at=when),
                self.draw(st.booleans()) and ledger.enforcement.apply_industry_ban(actor, cid, years=self.pick((5, None)), occurred_at=when),
            ),
            "transfer": lambda: ledger.enforcement.transfer_to_judiciary(
                actor, cid, persons=[f"人员{i}" for i in range(self.draw(st.integers(1, 3)))], suspected_offence="危险作业罪",
                dangerous_operations_crime=self.draw(st.booleans()), occurred_at=when),
            "joint": lambda: ledger.enforcement.apply_joint_punishment(actor, cid, measures=["限制招投标"], occurred_at=when),
            "interview": lambda: ledger.enforcement.interview_enterprise(actor, cid, interviewer="王安委", occurred_at=when),
            "expose": lambda: ledger.enforcement.expose_case(actor, cid, channel="呈贡发布", title=f"曝光{n}", occurred_at=when),
            "typical": lambda: ledger.enforcement.publish_as_typical(
                actor, cid, title=f"典型案例{n}", dangerous_operations_crime=self.draw(st.booleans()), occurred_at=when),
            "close": lambda: ledger.enforcement.close_case(actor, cid, reason="执行完毕", open_hazards_reason="隐患另案督办", occurred_at=when),
        }  # fmt: skip
        target = self.pick(("enterprise", "person"))
        person = "安全员" if target == "person" else ""
        if self.attempt(f"case.{act}", commands[act]) is not None:
            case.cursor = when
            if act in ("request_closure", "order_closure"):
                case.facts["closure_requested"] = True

    # ----- risk points and problems -----

    def characteristics(self) -> HazardCharacteristics:
        if self.draw(st.integers(0, 3)) == 0:
            return HazardCharacteristics(accident_types=("火灾",), max_casualties=3)  # incomplete
        return HazardCharacteristics(
            accident_types=("火灾", "爆炸"), max_casualties=3, max_direct_loss_yuan=1_000_000, social_impact="较大"
        )

    def risk_point(self) -> None:
        firm = self.pick(self.firms)
        sector = self.pick((None, None, None, *SECTORS_USED))
        row = sector or firm.sector
        actor = self.pick((firm.principal, self.scoped_regulator(row, firm.jurisdiction)))
        when = self.moment()
        complete = self.draw(st.booleans())
        receipt = self.attempt(
            "risk_point",
            lambda: self.ledger.risks.register_risk_point(
                actor,
                enterprise_id=firm.id,
                name=f"风险点{self.next_serial()}",
                description="储罐泄漏" if complete else "",
                address="呈贡区某路1号",
                assessed=True,
                characteristics=self.characteristics() if complete else None,
                sector=sector,
                occurred_at=when,
            ),
        )
        if receipt is not None:
            self.risks.append(Record(receipt.id, when, {"enterprise": firm.id, "sector": row, "jurisdiction": firm.jurisdiction}))
            if self.draw(st.booleans()):
                for which in ("responsibility", "control", "emergency"):  # the usual order: all lists
                    self.risk_list(self.risks[-1], which)
            for _ in range(self.draw(st.integers(0, 2))):
                self.risk_list(self.risks[-1])

    def risk_list(self, risk: Record | None = None, which: str | None = None) -> None:
        if risk is None:
            if not self.risks:
                return
            risk = self.pick(self.risks)
        actor = self.scoped_regulator(risk.facts["sector"], risk.facts["jurisdiction"])
        when = self.after(risk.cursor)
        which = which or self.pick(("basic", "responsibility", "responsibility", "control", "control", "emergency", "emergency"))
        full = self.draw(st.integers(0, 4)) > 0
        ledger, rid = self.ledger, risk.id
        if which == "basic":
            command: Any = lambda: ledger.risks.list_basic_info(  # noqa: E731
                actor, rid, description="储罐泄漏", address="呈贡区某路1号", assessed=True,
                characteristics=self.characteristics(), occurred_at=when)  # fmt: skip
        elif which == "responsibility":
            command = lambda: ledger.risks.list_responsibility(  # noqa: E731
                actor, rid, department="yjj", department_person="李执法", department_phone="0871-67481234",
                principal_name="张总", principal_phone="18512345678" if full else "", occurred_at=when)  # fmt: skip
        elif which == "control":
            command = lambda: ledger.risks.list_control_measures(  # noqa: E731
                actor, rid, enterprise_measures=["每班巡检"],
                government_measures=["listed_for_supervision"] if full else [], occurred_at=when)  # fmt: skip
        else:
            supplies = [EmergencySupply(category="消防器材", name="灭火器", quantity=10, unit="具")] if full else []
            command = lambda: ledger.risks.list_emergency(actor, rid, measures=["疏散"], supplies=supplies, occurred_at=when)  # noqa: E731
        if self.attempt(f"risk.{which}", command) is not None:
            risk.cursor = when

    def problem(self) -> None:
        firm = self.pick(self.firms) if self.draw(st.booleans()) else None
        sector = firm.sector if firm else self.pick(SECTORS_USED)
        jurisdiction = firm.jurisdiction if firm else self.pick((None, "wulong", "longcheng", "szkfq"))
        actor = self.scoped_regulator(sector, jurisdiction)
        when = self.moment()
        receipt = self.attempt(
            "problem",
            lambda: self.ledger.risks.identify_problem(
                actor,
                description=f"突出问题{self.next_serial()}",
                sector=None if firm else sector,
                enterprise_id=firm.id if firm else None,
                jurisdiction=None if firm else jurisdiction,
                occurred_at=when,
            ),
        )
        if receipt is not None:
            view = self.ledger.risks.problem(receipt.id)
            self.problems.append(
                Record(
                    receipt.id, when, {"sector": view["sector"], "jurisdiction": view["jurisdiction"], "unit": view["unit_id"]}
                )
            )

    def problem_step(self) -> None:
        if not self.problems:
            return
        p = self.pick(self.problems)
        actor = self.scoped_regulator(p.facts["sector"], p.facts["jurisdiction"], p.facts["unit"])
        when = self.after(p.cursor)
        if self.draw(st.booleans()):
            command: Any = lambda: self.ledger.risks.adopt_root_cause_measure(actor, p.id, measure="治本措施", occurred_at=when)  # noqa: E731
        else:
            command = lambda: self.ledger.risks.rectify_problem(actor, p.id, note="已整改", occurred_at=when)  # noqa: E731
        if self.attempt("problem.step", command) is not None:
            p.cursor = when

    # ----- unit warnings (Annex 1 item 10) -----

    def warning(self) -> None:
        unit = self.pick(("yjj", "zjj", "slj", "wulong", "longcheng", "szkfq"))
        level = self.pick(("prompt", "notice", "admonition", "interview", "interview"))
        when = self.moment()
        receipt = self.attempt(
            "warning",
            lambda: self.ledger.warnings.propose_warning(
                self.regulator("ajb", self.pick((1, 2))), unit_id=unit, level=level, trigger="manual",
                trigger_key=f"manual-{self.next_serial()}", reason_zh="履职不到位", reason_en="failed duties", occurred_at=when,
            ),
        )  # fmt: skip
        if receipt is None or not self.draw(st.integers(0, 3)):
            return
        at = self.after(when)
        office = self.regulator("ajb", self.pick((1, 2)))
        if self.draw(st.integers(0, 3)):
            published = self.draw(st.booleans())
            self.attempt(
                "warning.confirm", lambda: self.ledger.warnings.confirm_warning(office, receipt.id, published=published, occurred_at=at)
            )
        else:
            self.attempt(
                "warning.dismiss", lambda: self.ledger.warnings.dismiss_warning(office, receipt.id, reason="已整改", occurred_at=at)
            )

    # ----- accountability (Annex 1 item 9) -----

    def accountability(self) -> None:
        grounds = [*self.hazards, *self.inspections]
        if not grounds:
            return
        on = self.draw(st.lists(st.sampled_from(grounds), min_size=1, max_size=2, unique_by=lambda r: r.id))
        # Recorded by the deciding unit itself, or by the office on its behalf (it counts for the decider).
        decided_by = self.pick(("yjj", "zjj", "slj", "wulong", "ajb"))
        if decided_by in ("wulong", "ajb") or self.draw(st.booleans()):
            actor = self.regulator("ajb", self.pick((1, 2)))  # a street officer may not record it
        else:
            actor = self.regulator(decided_by, self.pick((1, 2)))
        names = self.draw(st.lists(st.sampled_from(("张三", "李四", "王五", "赵六")), min_size=1, max_size=3, unique=True))
        persons = [{"name": n, "organisation": decided_by, "role": "执法人员"} for n in names]
        hazards = {h.id for h in self.hazards}
        when = self.moment()
        self.attempt(
            "accountability",
            lambda: self.ledger.accountability.pursue_accountability(
                actor, persons=persons, measures=["诫勉谈话"], decided_by=decided_by,
                hazard_ids=[r.id for r in on if r.id in hazards], inspection_ids=[r.id for r in on if r.id not in hazards],
                occurred_at=when,
            ),
        )  # fmt: skip

    # ----- work logs -----

    def activity(self) -> None:
        unit = self.pick(ACTIVITY_UNITS)
        actor = self.regulator(unit) if self.draw(st.integers(0, 3)) else self.regulator("ajb")
        kind = self.pick(ACTIVITY_KINDS)
        values: dict[str, Any] = {"kind": kind}
        if kind == "technical_inspectors":
            values["value"] = self.draw(st.integers(0, 12))
        else:
            values["count"] = self.pick((None, 1, 2, 5))
        if kind == "tipoff_reward":
            amount = self.pick((1, 50, 4_999, 5_000, 12_345, 30_000))
            values["amount_yuan"] = amount
            values["anonymous_amount_yuan"] = self.pick((None, 0, amount // 2, amount))
        if kind in ("guidance_enterprise", "enterprise_served") or (
            kind != "technical_inspectors" and self.draw(st.integers(0, 4)) == 0
        ):
            values["enterprise_id"] = self.pick(self.firms).id
        if kind != "technical_inspectors" and self.draw(st.integers(0, 2)) == 0:
            values["sector"] = self.pick(SECTORS_USED)
        when = self.moment()
        if kind == "technical_inspectors" and self.stock_moments.get(unit) and self.draw(st.booleans()):
            when = self.stock_moments[unit]  # a tie in business time: the later recorded value is the latest
        recorded = self.attempt("activity", lambda: self.ledger.work_logs.record_activity(actor, unit, occurred_at=when, **values))
        if recorded and kind == "technical_inspectors":
            self.stock_moments[unit] = when


# ----- comparing ---------------------------------------------------------------------------------


def cut_offs(draw: Any, active_months: list[int]) -> date:
    later = [m + 1 for m in active_months if m < 12]
    month = draw(st.sampled_from([*active_months, *active_months, *later, *CAMPAIGN_MONTHS]))
    day = draw(st.one_of(st.sampled_from((5, 12, 22)), st.sampled_from((1, 4, 6, 30)), st.integers(1, 28)))
    if day == 30 and month not in (4, 6, 9, 11):
        day = 31 if month in (5, 7, 8, 10, 12) else 28
    return date(2023, month, min(day, 30 if month in (6, 9, 11) else 31))


def known_moment(draw: Any, stamps: list[datetime]) -> datetime | None:
    """None, or a system time between two recorded events (or exactly at one)."""
    if draw(st.integers(0, 4)) < 3:
        return None
    i = draw(st.integers(0, len(stamps) - 1))
    exactly = draw(st.booleans()) or i + 1 == len(stamps)  # exactly when an event was recorded: that event is known
    moment = stamps[i] if exactly else stamps[i] + (stamps[i + 1] - stamps[i]) / 2
    return moment.astimezone(CHINA_TZ) if draw(st.booleans()) else moment  # the same instant, another zone


def compare(services: Services, oracle: Oracle, unit: str | None, as_of: date, known_at: datetime | None) -> list[str]:
    """Every disagreement between the read models and the oracle for one report."""
    where = f"[unit={unit} as_of={as_of} known_at={known_at}]"
    annexes = services.annexes
    found = [
        f"annex1 {where} {d}"
        for d in differences(oracle.annex1(unit, as_of, known_at), annex1_figures(annexes.annex1(unit, as_of, known_at)))
    ]
    found += [
        f"annex2 {where} {d}"
        for d in differences(oracle.annex2(unit, as_of, known_at), annex2_cells(annexes.annex2(unit, as_of, known_at)))
    ]
    kpis = annexes.kpis(unit, as_of, known_at)
    points = [(as_of, kpis)] + [(date.fromisoformat(p["as_of"]), p) for p in kpis.get("trend", [])]
    for point_as_of, actual in points:
        expected = oracle.kpis(unit, point_as_of, known_at)
        e = {"kpi": {k: v for k, v in expected.items() if k != "figures"}, "figures": expected["figures"]}
        a = {"kpi": {k: actual.get(k, "<missing>") for k in e["kpi"]}, "figures": actual.get("figures", {})}
        found += [f"kpis@{point_as_of} {where} {d}" for d in differences(e, a)]
    return found


SETTINGS = settings(
    max_examples=int(os.environ.get("HAZARD_ANNEX_EXAMPLES", "15")),  # README: more for a deeper run
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),  # a 100-command history shrinks for minutes
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


@SETTINGS
@given(data=st.data())
def test_annexes_and_kpis_equal_the_naive_recomputation(
    db_url: str, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    with fresh_services(db_url, tmp_path_factory) as services:
        history = History(services, data)
        history.play(data.draw(st.integers(60, 150), "steps"))
        services.catch_up()
        events = read_events(services.ledger)
        oracle = Oracle(events, services.ledger.reference)
        stamps = sorted(e.timestamp for e in events)
        problems: list[str] = []
        leads = [services.ledger.reference.lead_unit(f.sector).id for f in history.firms]
        units = [None, None, None, *leads, *(f.jurisdiction for f in history.firms), *UNITS_ASKED]
        for _ in range(data.draw(st.integers(3, 6), "reports")):
            unit = data.draw(st.sampled_from(units), "unit")
            as_of = cut_offs(data.draw, history.active_months)
            known_at = known_moment(data.draw, stamps)
            problems += compare(services, oracle, unit, as_of, known_at)
        assert not problems, f"{len(problems)} disagreements ({history.accepted} commands accepted):\n" + "\n".join(problems[:60])


# ----- a rebuild gives the tables the live catch-up gave ----------------------------------------


def table_contents(services: Services) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every read-model table of the active versions, by logical table name, sorted."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with services.engine.connect() as conn:
        for runner in services.read_models:
            runner_name = runner.name
            for name, table in runner.tables().items():
                rows = [tuple(shown(v) for v in row) for row in conn.execute(select(table))]
                out[f"{runner_name}.{name}"] = sorted(rows, key=repr)
    return out


@settings(
    max_examples=int(os.environ.get("HAZARD_REBUILD_EXAMPLES", "8")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_a_full_rebuild_gives_the_tables_of_the_live_catch_up(
    db_url: str, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    with fresh_services(db_url, tmp_path_factory) as services:
        history = History(services, data)
        # Live: the read models follow the log in small steps, as a worker would.
        for _ in range(data.draw(st.integers(3, 6), "rounds")):
            history.play(data.draw(st.integers(4, 12), "steps"))
            services.catch_up()
        live = table_contents(services)
        reports = {
            (u, d): (services.annexes.annex1(u, d), services.annexes.annex2(u, d))
            for u in (None, "yjj", "wulong")
            for d in (date(2023, 8, 22), date(2023, 12, 31))
        }
        rebuild_together(list(services.read_models))  # one pass over the log feeds them all
        rebuilt = table_contents(services)
        assert rebuilt.keys() == live.keys()
        for name in live:
            assert rebuilt[name] == live[name], name
        for (u, d), (annex1, annex2) in reports.items():
            assert services.annexes.annex1(u, d) == annex1
            assert services.annexes.annex2(u, d) == annex2


# ----- disagreements found by this oracle, reduced to the smallest history ------------------------
# Annex 1 item 9 counted the persons for the unit of the actor who recorded the AccountabilityPursued (the
# office), not for the unit that decided it (decided_by; DESIGN §5). Fixed in 283e556; a regression test.


def test_accountability_counts_for_the_unit_that_decided(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    with fresh_services(db_url, tmp_path_factory) as services:
        app = services.ledger
        office = Actor("ajb-1", "王安委", Role.COMMITTEE_OFFICE, "ajb", OrgKind.COMMITTEE_OFFICE, "区安委办")
        firm = app.enterprises.register_enterprise(
            office, credit_code=credit_code(1), name="化工", sector="hazardous_chemicals", jurisdiction="wulong",
            principal_name="张总", occurred_at=datetime(2023, 5, 2, 9, 0, tzinfo=CHINA_TZ),
        ).id  # fmt: skip
        hazard = app.hazards.report_hazard(
            office, enterprise_id=firm, grade="major", source="tip_off", description="举报", criterion="第X条",
            occurred_at=datetime(2023, 5, 3, 9, 0, tzinfo=CHINA_TZ),
        ).id  # fmt: skip
        # 区应急管理局 decided to hold two of its inspectors accountable; the office records the decision.
        app.accountability.pursue_accountability(
            office, decided_by="yjj", hazard_ids=[hazard], measures=["诫勉谈话"],
            persons=[{"name": "张三", "organisation": "区应急管理局", "role": "执法人员"},
                     {"name": "李四", "organisation": "区应急管理局", "role": "科长"}],
            occurred_at=datetime(2023, 5, 10, 9, 0, tzinfo=CHINA_TZ),
        )  # fmt: skip
        services.catch_up()
        district = annex1_figures(services.annexes.annex1(None, date(2023, 5, 22)))
        assert district["accountability_persons"] == {"value": 2}
        yjj = annex1_figures(services.annexes.annex1("yjj", date(2023, 5, 22)))
        ajb = annex1_figures(services.annexes.annex1("ajb", date(2023, 5, 22)))
        assert (yjj["accountability_persons"], ajb["accountability_persons"]) == (
            {"value": 2},
            {"value": 0},
        )  # was 0 and 2


# The read model's KPI 部门每千次检查发现重大事故隐患数 counted only majors of source department_inspection,
# while the spec's 部门检查发现 (annex1.md item 3, DESIGN §6 "majors found by department inspections")
# includes supervision (督导检查), as its own Annex 1 item 3 did. Fixed in 02ee18b; kept as a regression test.


def test_kpi_counts_supervision_majors_as_found_by_department_inspection(
    db_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    with fresh_services(db_url, tmp_path_factory) as services:
        app = services.ledger
        yjj = Actor("yjj-1", "李执法", Role.INSPECTOR, "yjj", OrgKind.DEPARTMENT, "区应急管理局")
        firm = app.enterprises.register_enterprise(
            yjj, credit_code=credit_code(1), name="化工", sector="hazardous_chemicals", jurisdiction="wulong",
            principal_name="张总", occurred_at=datetime(2023, 5, 2, 9, 0, tzinfo=CHINA_TZ),
        ).id  # fmt: skip
        app.inspections.conduct_inspection(
            yjj, enterprise_id=firm, kind=InspectionKind.DEPARTMENT, method="routine", inspectors=[Person("yjj-1", "李执法")],
            scope=[], occurred_at=datetime(2023, 5, 3, 9, 0, tzinfo=CHINA_TZ),
        )  # fmt: skip
        app.hazards.report_hazard(
            yjj, enterprise_id=firm, grade="major", source="supervision", description="督导检查发现", criterion="第X条",
            occurred_at=datetime(2023, 5, 4, 9, 0, tzinfo=CHINA_TZ),
        )  # fmt: skip
        services.catch_up()
        annex1 = annex1_figures(services.annexes.annex1(None, date(2023, 5, 22)))
        assert annex1["department_found"] == {"value": 1}  # 部门检查发现的重大事故隐患
        kpis = services.annexes.kpis(None, date(2023, 5, 22))
        assert kpis["figures"]["found_by_department_inspection"] == 1  # was 0
        assert shown(kpis["majors_per_thousand_department_inspections"]) == "1000.00"  # was 0.00
