"""Builders shared by the unit tests: an in-memory ledger on a fixed clock, standard actors, a
registered enterprise, complete plans and listings, and a driver that takes a hazard to any state.

Fixtures in ``conftest.py`` wrap these; the hypothesis state machine uses them directly (it cannot
take pytest fixtures).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from domain.actor import SYSTEM_ACTOR, Actor
from domain.business_time import CHINA_TZ, FixedClock, business_date
from domain.credit_code import check_character
from domain.errors import DomainError
from domain.glossary import (
    Assessor,
    Grade,
    HazardSource,
    HazardState,
    OrgKind,
    Role,
    SupervisionLevel,
)
from domain.ledger import Ledger, Receipt
from domain.reference_data import LedgerRules
from domain.risk_point import EmergencySupply, HazardCharacteristics  # accidents, risks, work logs
from domain.values import RectificationPlan, SupervisionListing

IN_MEMORY = {"PERSISTENCE_MODULE": "eventsourcing.popo"}
# 10:00 on 1 June 2023, Beijing time: inside the 2023 campaign.
START = datetime(2023, 6, 1, 10, 0, tzinfo=CHINA_TZ)


def credit_code(first17: str) -> str:
    """A valid unified social credit code for the given first 17 characters."""
    return first17 + check_character(first17)


# ----- actors ---------------------------------------------------------------------------------


def regulator(user_id: str, name: str, role: Role, org: str, kind: OrgKind, org_name: str) -> Actor:
    return Actor(user_id, name, role, org, kind, org_name)


OFFICE = regulator("ajb-1", "王安委", Role.COMMITTEE_OFFICE, "ajb", OrgKind.COMMITTEE_OFFICE, "区安委办")
INSPECTOR = regulator("yjj-1", "李执法", Role.INSPECTOR, "yjj", OrgKind.DEPARTMENT, "区应急管理局")
INSPECTOR_2 = regulator("yjj-2", "赵执法", Role.INSPECTOR, "yjj", OrgKind.DEPARTMENT, "区应急管理局")
# 区交通运输局 does not lead the hazardous-chemicals row.
OTHER_DEPARTMENT = regulator("jtj-1", "钱执法", Role.INSPECTOR, "jtj", OrgKind.DEPARTMENT, "区交通运输局")
STREET_OFFICER = regulator("wulong-1", "孙属地", Role.STREET_OFFICER, "wulong", OrgKind.STREET, "乌龙街道")
OTHER_STREET = regulator("longcheng-1", "周属地", Role.STREET_OFFICER, "longcheng", OrgKind.STREET, "龙城街道")
EXPERT = regulator("expert-1", "吴专家", Role.EXPERT, "experts", OrgKind.EXPERT_BODY, "安全技术服务中心")
AUDITOR = regulator("audit-1", "郑审计", Role.AUDITOR, "audit", OrgKind.AUDIT_BODY, "区审计局")
SYSTEM = SYSTEM_ACTOR


def enterprise_actor(enterprise_id: UUID, role: Role, user_id: str, name: str, org_name: str = "某化工有限公司") -> Actor:
    return Actor(user_id, name, role, str(enterprise_id), OrgKind.ENTERPRISE, org_name)


# ----- value objects --------------------------------------------------------------------------


def complete_plan(deadline: date, **changes: Any) -> RectificationPlan:
    """A plan with all five elements (五落实)."""
    values: dict[str, Any] = {
        "responsible_person": "张厂长",
        "measures": "更换泄漏阀门，增设可燃气体报警仪",
        "funds_yuan": 120_000,
        "deadline": deadline,
        "contingency_plan": "泄漏专项应急预案",
    }
    values.update(changes)
    return RectificationPlan(**values)


def listing(time_limit: date, **changes: Any) -> SupervisionListing:
    values: dict[str, Any] = {
        "level": SupervisionLevel.DISTRICT,
        "supervising_body": "区安委办",
        "document_number": "呈安委〔2023〕12号",
        "issuer": "王安委",
        "time_limit": time_limit,
        "notice_delivered_by": "李执法",
        "notice_signed_by": "张总",
    }
    values.update(changes)
    return SupervisionListing(**values)


# ----- the standard world ---------------------------------------------------------------------


@dataclass
class World:
    """One in-memory ledger with one registered enterprise (化工, 乌龙街道) and its people."""

    app: Ledger
    clock: FixedClock
    enterprise_id: UUID
    principal: Actor
    staff: Actor
    seq: int = field(default=0)

    # ----- time -----

    def today(self) -> date:
        return business_date(self.clock.now())

    def days(self, n: int) -> date:
        return self.today() + timedelta(days=n)

    # ----- reading -----

    def count(self, record_id: UUID) -> int:
        return len(self.app.history(record_id))

    def types(self, record_id: UUID) -> list[str]:
        return [e["type"] for e in self.app.history(record_id)]

    def last(self, record_id: UUID) -> dict[str, Any]:
        return self.app.history(record_id)[-1]

    def state(self, hazard_id: UUID) -> str:
        return self.app.hazards.hazard(hazard_id)["state"]

    def total_events(self) -> int:
        return self.app.recorder.max_notification_id() or 0

    # ----- asserting outcomes -----

    def accept(self, record_id: UUID, event_type: str, command: Callable[[], Receipt]) -> Receipt:
        """Runs a command that must append exactly one event of the given type."""
        before = self.count(record_id)
        receipt = command()
        history = self.app.history(record_id)
        assert len(history) == before + 1, [e["type"] for e in history]
        assert history[-1]["type"] == event_type
        assert receipt.id == record_id
        assert receipt.version == len(history)
        return receipt

    def refuse(self, record_id: UUID, code: str, command: Callable[[], Any]) -> DomainError:
        """Runs a command that must be refused with ``code`` and append nothing anywhere."""
        before = self.app.history(record_id)
        view = self._view(record_id)
        total = self.total_events()
        with pytest.raises(DomainError) as info:
            command()
        assert info.value.code == code, f"expected {code}, got {info.value.code}: {info.value}"
        assert len(self.app.history(record_id)) == len(before)
        assert self.app.history(record_id) == before
        assert self._view(record_id) == view
        assert self.total_events() == total
        return info.value

    def refuse_new(self, code: str, command: Callable[[], Any]) -> DomainError:
        """Runs a command that would create a record; it must be refused with ``code`` and store nothing."""
        total = self.total_events()
        with pytest.raises(DomainError) as info:
            command()
        assert info.value.code == code, f"expected {code}, got {info.value.code}: {info.value}"
        assert self.total_events() == total
        return info.value

    def _view(self, record_id: UUID) -> dict[str, Any]:
        kind = self.app.history(record_id)[0]["type"]
        if kind == "HazardReported":
            return self.app.hazards.hazard(record_id)
        if kind == "InspectionConducted":
            return self.app.inspections.inspection(record_id)
        return self.app.enterprises.enterprise(record_id)

    # ----- building hazards -----

    def report(self, grade: Grade = Grade.MAJOR, *, by: Actor | None = None, **kwargs: Any) -> UUID:
        self.seq += 1
        actor = by or self.principal
        source = HazardSource.SELF_INSPECTION if actor.is_enterprise else HazardSource.DEPARTMENT_INSPECTION
        values: dict[str, Any] = {
            "enterprise_id": self.enterprise_id,
            "grade": grade,
            "source": source,
            "description": f"储罐区可燃气体报警仪失效 #{self.seq}",
            "criterion": "化工和危险化学品生产经营单位重大生产安全事故隐患判定标准 第十五条" if grade is Grade.MAJOR else "",
            "location": "储罐区",
        }
        values.update(kwargs)
        return self.app.hazards.report_hazard(actor, **values).id

    def file_plan(self, hazard_id: UUID, days: int = 10, **changes: Any) -> Receipt:
        return self.app.hazards.file_plan(self.principal, hazard_id, complete_plan(self.days(days), **changes))

    def complete(self, hazard_id: UUID, by: Actor | None = None) -> Receipt:
        return self.app.hazards.complete_rectification(by or self.staff, hazard_id, note="已更换")

    def verify(self, hazard_id: UUID, passed: bool = True, by: Actor | None = None) -> Receipt:
        return self.app.hazards.verify(
            by or INSPECTOR,
            hazard_id,
            passed=passed,
            opinion="整改到位，同意验收" if passed else "整改不到位",
            assessed_by=[Assessor.EXPERTS, Assessor.GOVERNMENT],
        )

    def list(self, hazard_id: UUID, days: int = 30) -> Receipt:
        return self.app.hazards.list_for_supervision(INSPECTOR, hazard_id, listing(self.days(days)))

    def lift(self, hazard_id: UUID) -> Receipt:
        return self.app.hazards.lift_supervision(INSPECTOR, hazard_id, reason="验收合格", approver="王安委")

    def close(self, hazard_id: UUID) -> Receipt:
        return self.app.hazards.close_hazard(INSPECTOR, hazard_id, note="销号")

    def void(self, hazard_id: UUID) -> Receipt:
        return self.app.hazards.void_hazard(INSPECTOR, hazard_id, reason="重复登记")

    def hazard_in(self, state: HazardState, grade: Grade = Grade.MAJOR, *, listed: bool = False) -> UUID:
        """A fresh hazard driven to ``state`` along the normal path (listed early if asked)."""
        hazard_id = self.report(grade)
        if listed:
            self.list(hazard_id)
        if state is HazardState.REPORTED:
            return hazard_id
        if state is HazardState.VOIDED:
            self.void(hazard_id)
            return hazard_id
        self.file_plan(hazard_id)
        if state is HazardState.RECTIFYING:
            return hazard_id
        self.complete(hazard_id)
        if state is HazardState.PENDING_VERIFICATION:
            return hazard_id
        self.verify(hazard_id)
        if state is HazardState.VERIFIED:
            return hazard_id
        assert state is HazardState.CLOSED
        if listed:
            self.lift(hazard_id)
        self.close(hazard_id)
        return hazard_id


def new_world(clock: FixedClock | None = None, rules: LedgerRules | None = None) -> World:
    clock = clock or FixedClock(START)
    app = Ledger(IN_MEMORY, clock=clock, rules=rules)
    enterprise_id = app.enterprises.register_enterprise(
        INSPECTOR,
        credit_code=credit_code("91530114MA6K0001X"),
        name="某化工有限公司",
        sector="hazardous_chemicals",
        jurisdiction="wulong",
        principal_name="张总",
        address="乌龙街道化工园区1号",
        high_risk=True,
    ).id
    principal = enterprise_actor(enterprise_id, Role.PRINCIPAL, "ent-principal", "张总")
    staff = enterprise_actor(enterprise_id, Role.ENTERPRISE_STAFF, "ent-staff", "刘安全员")
    return World(app, clock, enterprise_id, principal, staff)


# ===== accidents, risk points, outstanding problems, work logs, spot checks ======================


def refuse_viewed(
    world: World, record_id: UUID, code: str, command: Callable[[], Any], view: Callable[[UUID], Any]
) -> DomainError:
    """``World.refuse`` for records its ``_view`` does not know: the caller names the query whose
    answer must not change. Exact code; history, view and the store's total all unchanged."""
    before = world.app.history(record_id)
    shown = view(record_id)
    total = world.total_events()
    with pytest.raises(DomainError) as info:
        command()
    assert info.value.code == code, f"expected {code}, got {info.value.code}: {info.value}"
    assert world.app.history(record_id) == before
    assert view(record_id) == shown
    assert world.total_events() == total
    return info.value


def hazard_characteristics(**changes: Any) -> HazardCharacteristics:
    """危险特性及影响范围 with every column filled."""
    values: dict[str, Any] = {
        "accident_types": ("火灾", "爆炸", "中毒和窒息"),
        "max_casualties": 12,
        "max_direct_loss_yuan": 30_000_000,
        "social_impact": "可能对区域社会、经济产生较大影响",
    }
    values.update(changes)
    return HazardCharacteristics(**values)


def emergency_supplies() -> list[EmergencySupply]:
    return [
        EmergencySupply(category="消防器材", name="干粉灭火器", quantity=40, unit="具"),
        EmergencySupply(category="个体防护", name="正压式空气呼吸器", quantity=6, unit="套"),
    ]


def report_accident(world: World, by: Actor = INSPECTOR, **kwargs: Any) -> UUID:
    """A general accident at the standard enterprise: one injured, no deaths, not a liability accident."""
    values: dict[str, Any] = {
        "enterprise_id": world.enterprise_id,
        "grade": "general",
        "deaths": 0,
        "injuries": 1,
        "direct_loss_yuan": 80_000,
        "liability": False,
        "description": "装卸作业中物体打击致一人受伤",
        "location": "装卸站台",
    }
    values.update(kwargs)
    return world.app.accidents.report_accident(by, **values).id


def register_risk_point(world: World, by: Actor = INSPECTOR, **kwargs: Any) -> UUID:
    """A risk point of the standard enterprise with list 一 complete."""
    values: dict[str, Any] = {
        "enterprise_id": world.enterprise_id,
        "name": "液氨储罐区",
        "description": "液氨储罐泄漏可能引发中毒和爆炸",
        "address": "昆明市呈贡区乌龙街道化工园区1号",
        "assessed": True,
        "characteristics": hazard_characteristics(),
    }
    values.update(kwargs)
    return world.app.risks.register_risk_point(by, **values).id


def fill_four_lists(world: World, risk_point_id: UUID, by: Actor = INSPECTOR) -> None:
    """Files lists 二, 三 and 四 complete (list 一 comes with ``register_risk_point``)."""
    app = world.app
    app.risks.list_responsibility(
        by,
        risk_point_id,
        department="yjj",
        department_person="李执法",
        department_phone="0871-67481234",
        principal_name="张总",
        principal_phone="18512345678",
    )
    app.risks.list_control_measures(
        by,
        risk_point_id,
        enterprise_measures=["储罐区设置可燃气体和有毒气体检测报警", "每班巡检两次"],
        government_measures=["listed_for_supervision", "isolate_hazard_source"],
    )
    app.risks.list_emergency(by, risk_point_id, measures=["启动泄漏专项应急预案", "疏散下风向人员"], supplies=emergency_supplies())


def identify_problem(world: World, by: Actor = INSPECTOR, **kwargs: Any) -> UUID:
    values: dict[str, Any] = {"sector": "hazardous_chemicals", "description": "危化品企业特殊作业审批流于形式"}
    values.update(kwargs)
    return world.app.risks.identify_problem(by, **values).id


def drive_every_area_event(world: World) -> dict[str, UUID]:
    """Stores every event of the accident, risk point, outstanding problem and work log aggregates,
    and a spot check with its deficiencies; returns the records by name."""
    from domain.values import Person
    from domain.work_log import work_log_id_for

    app = world.app
    accident = report_accident(world, grade="larger", deaths=3, liability=True)
    app.accidents.list_accident(OFFICE, accident, level="city", supervising_body="昆明市安委会", document_number="昆安委〔2023〕3号")
    app.accidents.conclude_investigation(INSPECTOR, accident, liability=True, responsible_persons=["张总", "刘安全员"], summary="违章作业")
    risk_point = register_risk_point(world)
    fill_four_lists(world, risk_point)
    app.risks.list_basic_info(
        INSPECTOR,
        risk_point,
        description="液氨储罐泄漏",
        address="乌龙街道化工园区1号",
        assessed=True,
        characteristics=hazard_characteristics(max_casualties=0),
    )
    problem = identify_problem(world, enterprise_id=world.enterprise_id)
    app.risks.adopt_root_cause_measure(INSPECTOR, problem, measure="推行特殊作业电子作业票")
    app.risks.rectify_problem(INSPECTOR, problem, note="已整改")
    app.work_logs.record_activity(
        INSPECTOR, "yjj", kind="tipoff_reward", count=2, amount_yuan=15_000, anonymous_amount_yuan=5_000, note="举报奖励"
    )
    app.work_logs.record_activity(INSPECTOR, "yjj", kind="technical_inspectors", value=7)
    app.work_logs.record_activity(INSPECTOR, "yjj", kind="enterprise_served", enterprise_id=world.enterprise_id)
    spot_check = app.inspections.conduct_inspection(
        INSPECTOR,
        enterprise_id=world.enterprise_id,
        kind="spot_check",
        method="unannounced",
        inspectors=[Person(INSPECTOR.user_id, INSPECTOR.name)],
        scope=[],
    ).id
    app.inspections.record_deficiencies(INSPECTOR, spot_check, deficiencies=["principal_not_leading_inspection", "no_deputy_duty_list"])
    return {
        "accident": accident,
        "risk_point": risk_point,
        "problem": problem,
        "work_log": work_log_id_for("yjj"),
        "spot_check": spot_check,
    }
