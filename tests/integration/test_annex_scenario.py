"""A small hand-computed story: every expected figure below was worked out with a pencil from the
story (not by the oracle, not by the read models), on SQLite and on PostgreSQL.

The story (2023, Beijing dates; the system clock stands at 1 February 2024):

Enterprises
    E1 化工 (hazardous_chemicals, 乌龙街道; lead 区应急管理局 yjj)
    E2 房屋市政 (construction_housing, 龙城街道; lead 区住房城乡建设局 zjj; a 其中 row of 建设项目)
    E3 水利 (construction_water, 洛羊街道; lead 区水务局 slj; also under 建设项目)
    E4 5万以下 (hydropower_small, 乌龙街道; lead slj; a 其中 row of 水电站)

Hazards (major unless said)
    H1 E1 self_inspection 05-10; plan 05-11; completed 05-20; verified 05-25; closed 06-02
    H2 E1 department_inspection 06-03; listed 06-04; plan 06-05
    H3 E1 self_inspection 06-08; voided 06-09 (the void is recorded last: known_at before it still counts H3)
    H4 E2 department_inspection 06-10; plan 06-11; completed 06-15; verified 06-21 (after the cut-off)
    H5 E4 supervision 06-12 23:30 Beijing (written in UTC); plan 06-13 (after the cut-off)
    H6 E1 general, department_inspection 06-01 (general: counted nowhere)
    H7 E3 tip_off 05-20 (by the office)
    H8 E1 self_inspection 2023-06-12T16:30Z = 06-13 00:30 Beijing (after a 06-12 cut-off)

Inspections
    I1 yjj department E1 05-15; I2 yjj spot check E1 06-02 (未带队检查, 未制定分管负责人职责清单);
    I3 zjj spot check E2 06-05 (未带队检查); I4 yjj spot check E1 06-06 (未带队检查) — E1 spot-checked twice;
    I5 slj supervision visit E4 06-07; I6 E1 self-inspection 05-09

Cases
    C1 E1 by yjj 05-26: interview 05-28; penalty (enterprise) 12,345 yuan 05-30; dual penalty 50,000 + 7,999
       06-06; suspension 06-07; licence suspended 06-07 and another revoked 06-08; joint punishment by the
       OFFICE 06-10; transfers [甲, 乙] 06-11 and [丙] 06-12; typical case (危险作业罪) 06-12
    C2 E2 by zjj 06-01: interviews 06-03 and 06-04; penalty (person) 12,244 yuan 06-08; suspension 06-09;
       closure requested 06-10, ordered 06-11; transfer [丁] 06-12; exposed 06-12; typical case 06-12
    C3 E4 by slj 06-15: penalty 12,250 yuan 06-20 (1.225 万元: half-up gives 1.23)

Risk points
    R1 E1 05-12, all four lists by 05-15 (controlled); R2 E2 06-02, no emergency list (not controlled);
    R3 E4 06-05, emergency list only on 06-14 (not controlled at a 06-12 cut-off)

Problems
    P1 yjj, hazardous_chemicals, no enterprise, no territory, 05-20; measure 05-21; rectified 06-10
    P2 zjj, E2, 06-06

Warnings and accountability
    the office: 约谈 of zjj confirmed 06-04; 告知 of slj published (通报) 06-13; 告知 of 乌龙街道 confirmed, not
    published, 06-07 (not counted); yjj holds 张三 and 李四 accountable 06-11 (grounds: H2)

Activities
    yjj: supervision_team ×2 (hazardous_chemicals) 06-03; expert_service ×3 (no sector) 06-04;
         enterprise_served E1 06-08; guidance_enterprise E1 05-16; study_session ×2 05-10; technical inspectors 3 06-10
    zjj: enterprise_served E3 05-18; supervision_team ×1 (construction_housing) 06-04
    ajb: tip-off rewards 12,345 (anonymous 5,000) 06-01 and 4,999 (anonymous 4,999) 06-02; media column 06-05;
         technical inspectors 7 on 06-01, then (recorded later, back-dated) 5 on 05-10; guidance_county ×2 06-06
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from app.settings import Settings
from app.wiring import Services, build
from domain.actor import Actor
from domain.business_time import CHINA_TZ, FixedClock
from domain.credit_code import check_character
from domain.glossary import InspectionKind, OrgKind, Role
from domain.risk_point import EmergencySupply, HazardCharacteristics
from domain.values import Person, RectificationPlan, SupervisionListing
from tests.oracle import annex1_figures, annex2_cells

NOW = datetime(2024, 2, 1, 10, 0, tzinfo=CHINA_TZ)

OFFICE = Actor("ajb-1", "王安委", Role.COMMITTEE_OFFICE, "ajb", OrgKind.COMMITTEE_OFFICE, "区安委办")
YJJ = Actor("yjj-1", "李执法", Role.INSPECTOR, "yjj", OrgKind.DEPARTMENT, "区应急管理局")
ZJJ = Actor("zjj-1", "周执法", Role.INSPECTOR, "zjj", OrgKind.DEPARTMENT, "区住房城乡建设局")
SLJ = Actor("slj-1", "孙执法", Role.INSPECTOR, "slj", OrgKind.DEPARTMENT, "区水务局")


def on(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2023, month, day, hour, minute, tzinfo=CHINA_TZ)


def credit_code(serial: int) -> str:
    first17 = f"91530114MA8K{serial:05d}"
    return first17 + check_character(first17)


def plan(deadline: date) -> RectificationPlan:
    return RectificationPlan(
        responsible_person="张厂长", measures="更换设备", funds_yuan=50_000, deadline=deadline, contingency_plan="专项应急预案"
    )


CHARACTERISTICS = HazardCharacteristics(
    accident_types=("火灾",), max_casualties=3, max_direct_loss_yuan=1_000_000, social_impact="较大"
)
SUPPLIES = [EmergencySupply(category="消防器材", name="灭火器", quantity=10, unit="具")]


@dataclass
class Story:
    services: Services
    known_before_void: datetime  # a system time after everything but H3's void


def tell(services: Services) -> Story:
    app = services.ledger
    firms: dict[str, UUID] = {}
    people: dict[str, tuple[Actor, Actor]] = {}
    for n, (name, sector, street) in enumerate(
        (("E1", "hazardous_chemicals", "wulong"), ("E2", "construction_housing", "longcheng"),
         ("E3", "construction_water", "luoyang"), ("E4", "hydropower_small", "wulong")),
        start=1,
    ):  # fmt: skip
        eid = app.enterprises.register_enterprise(
            OFFICE, credit_code=credit_code(n), name=name, sector=sector, jurisdiction=street, principal_name=f"{name}负责人",
            occurred_at=on(3, 1),
        ).id  # fmt: skip
        firms[name] = eid
        people[name] = (
            Actor(f"{name}-p", f"{name}负责人", Role.PRINCIPAL, str(eid), OrgKind.ENTERPRISE, name),
            Actor(f"{name}-s", f"{name}安全员", Role.ENTERPRISE_STAFF, str(eid), OrgKind.ENTERPRISE, name),
        )
    e1_principal, e1_staff = people["E1"]
    e2_principal, e2_staff = people["E2"]

    def hazard(by: Actor, firm: str, source: str, when: datetime, grade: str = "major") -> UUID:
        return app.hazards.report_hazard(
            by, enterprise_id=firms[firm], grade=grade, source=source, description=f"{firm} {source} {when}",
            criterion="判定标准第X条" if grade == "major" else "", occurred_at=when,
        ).id  # fmt: skip

    # Recorded in an order that is not the business order.
    h4 = hazard(ZJJ, "E2", "department_inspection", on(6, 10))
    h1 = hazard(e1_principal, "E1", "self_inspection", on(5, 10))
    app.hazards.file_plan(e1_principal, h1, plan(date(2023, 5, 31)), occurred_at=on(5, 11))
    app.hazards.complete_rectification(e1_staff, h1, note="已完成", occurred_at=on(5, 20))
    app.hazards.verify(YJJ, h1, passed=True, opinion="同意", assessed_by=["experts"], occurred_at=on(5, 25))
    app.hazards.close_hazard(YJJ, h1, note="销号", occurred_at=on(6, 2))
    h2 = hazard(YJJ, "E1", "department_inspection", on(6, 3))
    listing = SupervisionListing(
        level="district",
        supervising_body="区安委办",
        document_number="呈安委〔2023〕9号",
        issuer="王安委",
        time_limit=date(2023, 7, 4),
    )
    app.hazards.list_for_supervision(YJJ, h2, listing, occurred_at=on(6, 4))
    app.hazards.file_plan(e1_principal, h2, plan(date(2023, 7, 4)), occurred_at=on(6, 5))
    h3 = hazard(e1_principal, "E1", "self_inspection", on(6, 8))
    app.hazards.file_plan(e2_principal, h4, plan(date(2023, 6, 20)), occurred_at=on(6, 11))
    app.hazards.complete_rectification(e2_staff, h4, note="已完成", occurred_at=on(6, 15))
    app.hazards.verify(ZJJ, h4, passed=True, opinion="同意", assessed_by=["government"], occurred_at=on(6, 21))
    h5 = hazard(SLJ, "E4", "supervision", on(6, 12, 23, 30).astimezone(UTC))
    app.hazards.file_plan(people["E4"][0], h5, plan(date(2023, 7, 1)), occurred_at=on(6, 13))
    hazard(YJJ, "E1", "department_inspection", on(6, 1), grade="general")
    hazard(OFFICE, "E3", "tip_off", on(5, 20))
    hazard(e1_principal, "E1", "self_inspection", datetime(2023, 6, 12, 16, 30, tzinfo=UTC))

    def inspect(by: Actor, firm: str, kind: InspectionKind, when: datetime, deficiencies: list[str] | None = None) -> None:
        iid = app.inspections.conduct_inspection(
            by, enterprise_id=firms[firm], kind=kind, method="routine", inspectors=[Person(by.user_id, by.name)], scope=[],
            led_by_principal=kind is InspectionKind.SELF_INSPECTION, occurred_at=when,
        ).id  # fmt: skip
        if deficiencies is not None:
            app.inspections.record_deficiencies(by, iid, deficiencies=deficiencies, occurred_at=when)

    inspect(YJJ, "E1", InspectionKind.SPOT_CHECK, on(6, 6), ["principal_not_leading_inspection"])
    inspect(YJJ, "E1", InspectionKind.DEPARTMENT, on(5, 15))
    inspect(YJJ, "E1", InspectionKind.SPOT_CHECK, on(6, 2), ["principal_not_leading_inspection", "no_deputy_duty_list"])
    inspect(ZJJ, "E2", InspectionKind.SPOT_CHECK, on(6, 5), ["principal_not_leading_inspection"])
    inspect(SLJ, "E4", InspectionKind.SUPERVISION_VISIT, on(6, 7))
    inspect(e1_principal, "E1", InspectionKind.SELF_INSPECTION, on(5, 9))

    c2 = app.enforcement.open_case(ZJJ, enterprise_id=firms["E2"], legal_basis="第一百零二条", case_number="C2", occurred_at=on(6, 1)).id
    c1 = app.enforcement.open_case(YJJ, enterprise_id=firms["E1"], legal_basis="第一百零二条", case_number="C1", occurred_at=on(5, 26)).id
    app.enforcement.interview_enterprise(YJJ, c1, interviewer="李执法", occurred_at=on(5, 28))
    app.enforcement.decide_penalty(
        YJJ, c1, target="enterprise", fine_yuan=12_345, decision_number="罚1", legal_basis="第一百零二条", occurred_at=on(5, 30)
    )
    app.enforcement.interview_enterprise(ZJJ, c2, interviewer="周执法", occurred_at=on(6, 3))
    app.enforcement.interview_enterprise(ZJJ, c2, interviewer="周执法", occurred_at=on(6, 4))
    app.enforcement.impose_dual_penalty(
        YJJ,
        c1,
        enterprise_fine_yuan=50_000,
        principal_fine_yuan=7_999,
        decision_number="罚2",
        legal_basis="第九十五条",
        occurred_at=on(6, 6),
    )
    app.enforcement.order_suspension(YJJ, c1, decision_number="停1", reason="重大隐患", occurred_at=on(6, 7))
    app.enforcement.suspend_or_revoke_licence(
        YJJ, c1, action="suspend", licence_name="安全生产许可证", licence_number="L1", decision_number="证1", occurred_at=on(6, 7)
    )
    app.enforcement.suspend_or_revoke_licence(
        YJJ,
        c1,
        action="revoke",
        licence_name="危化品经营许可证",
        licence_number="L2",
        decision_number="证2",
        occurred_at=on(6, 8),
    )
    app.enforcement.decide_penalty(
        ZJJ,
        c2,
        target="person",
        person_name="王五",
        fine_yuan=12_244,
        decision_number="罚3",
        legal_basis="第九十三条",
        occurred_at=on(6, 8),
    )
    app.enforcement.order_suspension(ZJJ, c2, decision_number="停2", reason="重大隐患", occurred_at=on(6, 9))
    app.enforcement.apply_joint_punishment(OFFICE, c1, measures=["限制招投标"], occurred_at=on(6, 10))
    app.enforcement.request_closure(ZJJ, c2, government="呈贡区人民政府", reason="屡查屡犯", occurred_at=on(6, 10))
    app.enforcement.order_closure(ZJJ, c2, government="呈贡区人民政府", decision_number="关1", occurred_at=on(6, 11))
    app.enforcement.transfer_to_judiciary(
        YJJ, c1, persons=["甲", "乙"], suspected_offence="危险作业罪", dangerous_operations_crime=True, occurred_at=on(6, 11)
    )
    app.enforcement.transfer_to_judiciary(
        YJJ, c1, persons=["丙"], suspected_offence="危险作业罪", dangerous_operations_crime=True, occurred_at=on(6, 12)
    )
    app.enforcement.transfer_to_judiciary(ZJJ, c2, persons=["丁"], suspected_offence="重大责任事故罪", occurred_at=on(6, 12))
    app.enforcement.expose_case(ZJJ, c2, channel="呈贡发布", title="曝光", occurred_at=on(6, 12))
    app.enforcement.publish_as_typical(YJJ, c1, title="典型1", dangerous_operations_crime=True, occurred_at=on(6, 12))
    app.enforcement.publish_as_typical(ZJJ, c2, title="典型2", occurred_at=on(6, 12))
    c3 = app.enforcement.open_case(SLJ, enterprise_id=firms["E4"], legal_basis="第一百零二条", case_number="C3", occurred_at=on(6, 15)).id
    app.enforcement.decide_penalty(
        SLJ, c3, target="enterprise", fine_yuan=12_250, decision_number="罚4", legal_basis="第一百零二条", occurred_at=on(6, 20)
    )

    def risk_point(by: Actor, firm: str, when: datetime, lists: dict[str, datetime]) -> None:
        rid = app.risks.register_risk_point(
            by, enterprise_id=firms[firm], name=f"{firm}风险点", description="泄漏", address="呈贡区某路1号", assessed=True,
            characteristics=CHARACTERISTICS, occurred_at=when,
        ).id  # fmt: skip
        if "responsibility" in lists:
            app.risks.list_responsibility(
                by, rid, department=by.organisation_id, department_person=by.name, department_phone="0871-67481234",
                principal_name="负责人", principal_phone="18512345678", occurred_at=lists["responsibility"],
            )  # fmt: skip
        if "control" in lists:
            app.risks.list_control_measures(
                by,
                rid,
                enterprise_measures=["每班巡检"],
                government_measures=["listed_for_supervision"],
                occurred_at=lists["control"],
            )
        if "emergency" in lists:
            app.risks.list_emergency(by, rid, measures=["疏散"], supplies=SUPPLIES, occurred_at=lists["emergency"])

    risk_point(SLJ, "E4", on(6, 5), {"responsibility": on(6, 6), "control": on(6, 7), "emergency": on(6, 14)})
    risk_point(YJJ, "E1", on(5, 12), {"responsibility": on(5, 13), "control": on(5, 14), "emergency": on(5, 15)})
    risk_point(ZJJ, "E2", on(6, 2), {"responsibility": on(6, 3), "control": on(6, 3)})

    p1 = app.risks.identify_problem(YJJ, description="特殊作业审批流于形式", sector="hazardous_chemicals", occurred_at=on(5, 20)).id
    app.risks.adopt_root_cause_measure(YJJ, p1, measure="电子作业票", occurred_at=on(5, 21))
    app.risks.rectify_problem(YJJ, p1, note="已整改", occurred_at=on(6, 10))
    app.risks.identify_problem(ZJJ, description="脚手架验收缺失", enterprise_id=firms["E2"], occurred_at=on(6, 6))

    app.work_logs.record_activity(OFFICE, "ajb", kind="technical_inspectors", value=7, occurred_at=on(6, 1))
    app.work_logs.record_activity(YJJ, "yjj", kind="supervision_team", count=2, sector="hazardous_chemicals", occurred_at=on(6, 3))
    app.work_logs.record_activity(YJJ, "yjj", kind="expert_service", count=3, occurred_at=on(6, 4))
    app.work_logs.record_activity(YJJ, "yjj", kind="enterprise_served", enterprise_id=firms["E1"], occurred_at=on(6, 8))
    app.work_logs.record_activity(YJJ, "yjj", kind="guidance_enterprise", enterprise_id=firms["E1"], occurred_at=on(5, 16))
    app.work_logs.record_activity(YJJ, "yjj", kind="study_session", count=2, occurred_at=on(5, 10))
    app.work_logs.record_activity(YJJ, "yjj", kind="technical_inspectors", value=3, occurred_at=on(6, 10))
    app.work_logs.record_activity(ZJJ, "zjj", kind="supervision_team", count=1, sector="construction_housing", occurred_at=on(6, 4))
    app.work_logs.record_activity(ZJJ, "zjj", kind="enterprise_served", enterprise_id=firms["E3"], occurred_at=on(5, 18))
    app.work_logs.record_activity(
        OFFICE, "ajb", kind="tipoff_reward", amount_yuan=12_345, anonymous_amount_yuan=5_000, occurred_at=on(6, 1)
    )
    app.work_logs.record_activity(OFFICE, "ajb", kind="tipoff_reward", amount_yuan=4_999, anonymous_amount_yuan=4_999, occurred_at=on(6, 2))
    app.work_logs.record_activity(OFFICE, "ajb", kind="media_column", occurred_at=on(6, 5))
    app.work_logs.record_activity(OFFICE, "ajb", kind="technical_inspectors", value=5, occurred_at=on(5, 10))  # back-dated: not the latest
    app.work_logs.record_activity(OFFICE, "ajb", kind="guidance_county", count=2, occurred_at=on(6, 6))

    # Warnings to units: an interview (约谈) confirmed 06-04; a notice published (通报) only on 06-13; a notice
    # confirmed unpublished 06-07 (neither 约谈 nor 通报). 区应急管理局 holds two of its people accountable 06-11.
    def warn(unit: str, level: str, key: str, proposed: datetime, confirmed: datetime, published: bool) -> None:
        wid = app.warnings.propose_warning(
            OFFICE, unit_id=unit, level=level, trigger="manual", trigger_key=key, reason_zh="履职不到位", reason_en="failed duties",
            occurred_at=proposed,
        ).id  # fmt: skip
        app.warnings.confirm_warning(OFFICE, wid, published=published, occurred_at=confirmed)

    warn("zjj", "interview", "s1", on(6, 3), on(6, 4), False)
    warn("slj", "notice", "s2", on(6, 5), on(6, 13), True)
    warn("wulong", "notice", "s3", on(6, 6), on(6, 7), False)
    app.accountability.pursue_accountability(
        YJJ, hazard_ids=[h2], measures=["诫勉谈话"], occurred_at=on(6, 11),
        persons=[{"name": "张三", "organisation": "区应急管理局", "role": "执法人员"},
                 {"name": "李四", "organisation": "区应急管理局", "role": "科长"}],
    )  # fmt: skip

    services.catch_up()
    last = app.recorder.select_notifications(start=app.recorder.max_notification_id(), limit=1)[0]
    known_before_void = app.mapper.to_domain_event(last).timestamp + timedelta(microseconds=1)
    app.hazards.void_hazard(YJJ, h3, reason="重复登记", occurred_at=on(6, 9))  # recorded last, back-dated
    services.catch_up()
    return Story(services, known_before_void)


@pytest.fixture
def story(db_url: str) -> Iterator[Story]:
    services = build(Settings(db_url=db_url), clock=FixedClock(NOW))
    try:
        yield tell(services)
    finally:
        services.close()


# ----- expected tables, by hand ------------------------------------------------------------------


def kpis(annexes: Any, unit: str | None, as_of: date) -> dict[str, Any]:
    report = annexes.kpis(unit, as_of)
    return {key: plain(value) for key, value in report.items()}


ZERO_ROW: dict[str, Any] = {
    "risks": 0, "risks_controlled": 0, "control_rate": None,
    "majors": 0, "majors_planned": 0, "majors_planned_listed": 0, "majors_rectified": 0, "remediation_rate": None,
    "problems": 0, "problems_root_cause": 0, "problems_rectified": 0, "problem_rectification_rate": None,
    "supervision_teams": 0, "expert_services": 0, "enterprises_served": 0,
    "penalties": 0, "suspended": 0, "licences": 0, "closed": 0, "fines_wan": "0.00", "judicial_persons": 0,
    "interviewed": 0, "joint_punished": 0, "criminal_linkage": 0,
}  # fmt: skip


def row(**cells: Any) -> dict[str, Any]:
    return {**ZERO_ROW, **cells}


def plain(value: Any) -> Any:
    """Decimals as printed ("8.26"), the rest as is."""
    from decimal import Decimal

    return f"{value:.2f}" if isinstance(value, Decimal) else value


def cells(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {key: {c: plain(v) for c, v in row_cells.items()} for key, row_cells in annex2_cells(report).items()}


def figures(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {key: {f: plain(v) for f, v in figs.items()} for key, figs in annex1_figures(report).items()}


DISTRICT_CUMULATIVE_0612 = row(
    risks=3, risks_controlled=1, control_rate="33.33",
    majors=5, majors_planned=3, majors_planned_listed=1, majors_rectified=1, remediation_rate="20.00",
    problems=2, problems_root_cause=1, problems_rectified=1, problem_rectification_rate="50.00",
    supervision_teams=3, expert_services=3, enterprises_served=4,
    penalties=4, suspended=2, licences=1, closed=1, fines_wan="8.26", judicial_persons=4,
    interviewed=2, joint_punished=1, criminal_linkage=2,
)  # fmt: skip
DISTRICT_MONTH_0612 = row(
    risks=2, risks_controlled=0, control_rate="0.00",
    majors=3, majors_planned=2, majors_planned_listed=1, majors_rectified=0, remediation_rate="0.00",
    problems=1, problems_root_cause=0, problems_rectified=0, problem_rectification_rate="0.00",
    supervision_teams=3, expert_services=3, enterprises_served=3,
    penalties=3, suspended=2, licences=1, closed=1, fines_wan="7.02", judicial_persons=4,
    interviewed=1, joint_punished=1, criminal_linkage=2,
)  # fmt: skip
CONSTRUCTION_HOUSING_0612 = row(
    risks=1, control_rate="0.00", majors=1, majors_planned=1, remediation_rate="0.00",
    problems=1, problem_rectification_rate="0.00", supervision_teams=1, enterprises_served=1,
    penalties=1, suspended=1, closed=1, fines_wan="1.22", judicial_persons=1, interviewed=1, criminal_linkage=1,
)  # fmt: skip
HYDROPOWER_SMALL_0612 = row(risks=1, control_rate="0.00", majors=1, remediation_rate="0.00", enterprises_served=1)
DISTRICT_SECTOR_ROWS_0612 = {
    "hazardous_chemicals": row(
        risks=1, risks_controlled=1, control_rate="100.00",
        majors=2, majors_planned=2, majors_planned_listed=1, majors_rectified=1, remediation_rate="50.00",
        problems=1, problems_root_cause=1, problems_rectified=1, problem_rectification_rate="100.00",
        supervision_teams=2, enterprises_served=1,
        penalties=3, suspended=1, licences=1, fines_wan="7.03", judicial_persons=3,
        interviewed=1, joint_punished=1, criminal_linkage=1,
    ),
    "construction_housing": CONSTRUCTION_HOUSING_0612,
    # the parent row: its 其中 rows 房屋市政 (H4, R2, P2, E2) and 水利 (H7, E3 served in May)
    "construction": {**CONSTRUCTION_HOUSING_0612, "majors": 2, "enterprises_served": 2},
    "construction_water": row(majors=1, remediation_rate="0.00", enterprises_served=1),
    "hydropower_small": HYDROPOWER_SMALL_0612,
    "hydropower": HYDROPOWER_SMALL_0612,
}  # fmt: skip


def test_annex2_district_at_the_12th(story: Story) -> None:
    report = cells(story.services.annexes.annex2(None, date(2023, 6, 12)))
    assert report["cumulative"] == DISTRICT_CUMULATIVE_0612
    assert report["month"] == DISTRICT_MONTH_0612
    for key, expected in DISTRICT_SECTOR_ROWS_0612.items():
        assert report[key] == expected, key
    others = set(report) - {"cumulative", "month", *DISTRICT_SECTOR_ROWS_0612}
    assert len(others) == 31  # 37 sector rows in sectors.csv
    for key in others:
        assert report[key] == ZERO_ROW, key  # no record: rates "—", money 0.00


def test_annex2_of_a_department_and_a_street(story: Story) -> None:
    annexes = story.services.annexes
    yjj = cells(annexes.annex2("yjj", date(2023, 6, 12)))
    # the joint punishment of C1 was recorded by the office: it counts for ajb, not for yjj
    assert yjj["cumulative"] == row(
        risks=1, risks_controlled=1, control_rate="100.00",
        majors=2, majors_planned=2, majors_planned_listed=1, majors_rectified=1, remediation_rate="50.00",
        problems=1, problems_root_cause=1, problems_rectified=1, problem_rectification_rate="100.00",
        supervision_teams=2, expert_services=3, enterprises_served=1,
        penalties=3, suspended=1, licences=1, fines_wan="7.03", judicial_persons=3,
        interviewed=1, joint_punished=0, criminal_linkage=1,
    )  # fmt: skip
    # the expert service has no sector: totals only
    assert yjj["hazardous_chemicals"] == {**yjj["cumulative"], "expert_services": 0}
    assert yjj["construction"] == ZERO_ROW

    slj = cells(annexes.annex2("slj", date(2023, 6, 12)))
    # H5 (hydropower_small) and H7 (construction_water, tip-off by the office) lead by 区水务局; I5 its visit
    assert slj["cumulative"] == row(risks=1, control_rate="0.00", majors=2, remediation_rate="0.00", enterprises_served=1)
    assert slj["construction"] == row(majors=1, remediation_rate="0.00")
    assert (
        slj["hydropower"]
        == slj["hydropower_small"]
        == row(risks=1, control_rate="0.00", majors=1, remediation_rate="0.00", enterprises_served=1)
    )

    wulong = cells(annexes.annex2("wulong", date(2023, 6, 12)))
    # territory of E1 and E4: H1, H2, H5; R1, R3; P1 has no territory; no enforcement act or activity of its own
    assert wulong["cumulative"] == row(
        risks=2, risks_controlled=1, control_rate="50.00",
        majors=3, majors_planned=2, majors_planned_listed=1, majors_rectified=1, remediation_rate="33.33",
    )  # fmt: skip


def test_annex2_bitemporal_and_the_cut_off_edges(story: Story) -> None:
    annexes = story.services.annexes
    # Known before the (back-dated) void of H3 was recorded: H3 still counts.
    before = cells(annexes.annex2(None, date(2023, 6, 12), story.known_before_void))
    assert before["cumulative"]["majors"] == 6
    assert before["cumulative"]["remediation_rate"] == "16.67"
    assert before["month"]["majors"] == 4
    assert before["hazardous_chemicals"]["majors"] == 3
    # One day later: H8 (00:30 Beijing on the 13th) counts, H5's plan (13th) too; R3's emergency list is on the 14th.
    later = cells(annexes.annex2(None, date(2023, 6, 13)))
    assert (later["cumulative"]["majors"], later["cumulative"]["majors_planned"]) == (6, 4)
    assert later["cumulative"]["risks_controlled"] == 1
    # The 22nd: H4 verified on the 21st; C3's 12,250 yuan on the 20th (8.2588 + 1.225 = 9.4838 万元).
    at_22 = cells(annexes.annex2(None, date(2023, 6, 22)))
    assert at_22["cumulative"]["majors_rectified"] == 2
    assert at_22["cumulative"]["risks_controlled"] == 2
    assert (at_22["cumulative"]["penalties"], at_22["cumulative"]["fines_wan"]) == (5, "9.48")
    assert cells(annexes.annex2("slj", date(2023, 6, 22)))["cumulative"]["fines_wan"] == "1.23"  # 1.225 half-up
    # May: the month row starts on 1 May (the campaign start) and holds C1's 12,345 yuan.
    may = cells(annexes.annex2(None, date(2023, 5, 31)))
    assert may["month"] == may["cumulative"]
    assert (may["month"]["penalties"], may["month"]["fines_wan"]) == (1, "1.23")  # 12,345 yuan


ANNEX1_DISTRICT_0612 = {
    "self_found": {"value": 1}, "self_found_rectified": {"value": 1},
    "department_found": {"value": 3}, "department_found_rectified": {"value": 0},
    "listed": {"value": 1}, "listed_rectified": {"value": 0},
    "spot_checked": {"value": 2}, "principal_not_studying": {"value": 0},
    "principal_not_leading_inspection": {"value": 2}, "no_deputy_duty_list": {"value": 1},
    "no_safety_organisation_or_staff": {"value": 0}, "uncertified_special_operations": {"value": 0},
    "outsourcing_leasing_disorder": {"value": 0}, "no_drills_or_exits_unknown": {"value": 0},
    "guidance_county": {"value": 2}, "guidance_enterprise": {"value": 1},
    "penalties": {"count": 4, "fines_wan": "8.26"}, "dual_penalties": {"value": 1}, "judicial_persons": {"value": 4},
    "suspended": {"value": 2}, "exposed_interviewed_punished": {"value": 2},
    "typical_cases": {"count": 2, "dangerous_operations": 1},
    "accountability_persons": {"value": 2}, "unit_interviews": {"value": 1},
    "study_session": {"value": 2}, "leadership_research": {"value": 0}, "site_supervision": {"value": 0},
    "lecture": {"value": 0}, "tipoff_reward": {"amount_wan": "1.73", "anonymous_wan": "1.00"},
    "media_column": {"value": True}, "technical_inspectors": {"value": 10}, "assessment_patrol": {"value": 0},
}  # fmt: skip


def test_annex1_district_and_units(story: Story) -> None:
    annexes = story.services.annexes
    assert figures(annexes.annex1(None, date(2023, 6, 12))) == ANNEX1_DISTRICT_0612
    yjj = figures(annexes.annex1("yjj", date(2023, 6, 12)))
    assert yjj == {
        **{k: {key: 0 for key in v} for k, v in ANNEX1_DISTRICT_0612.items()},
        "self_found": {"value": 1}, "self_found_rectified": {"value": 1}, "department_found": {"value": 1},
        "listed": {"value": 1}, "spot_checked": {"value": 1}, "principal_not_leading_inspection": {"value": 1},
        "no_deputy_duty_list": {"value": 1}, "guidance_enterprise": {"value": 1},
        "penalties": {"count": 3, "fines_wan": "7.03"}, "dual_penalties": {"value": 1}, "judicial_persons": {"value": 3},
        "suspended": {"value": 1}, "exposed_interviewed_punished": {"value": 1},
        "typical_cases": {"count": 1, "dangerous_operations": 1}, "study_session": {"value": 2},
        "tipoff_reward": {"amount_wan": "0.00", "anonymous_wan": "0.00"}, "media_column": {"value": False},
        "technical_inspectors": {"value": 3}, "accountability_persons": {"value": 2},
    }  # fmt: skip
    ajb = figures(annexes.annex1("ajb", date(2023, 6, 12)))
    assert ajb["exposed_interviewed_punished"] == {"value": 1}  # the joint punishment it recorded
    assert ajb["technical_inspectors"] == {"value": 7}  # latest by business time, not the last recorded (5)
    assert ajb["tipoff_reward"] == {"amount_wan": "1.73", "anonymous_wan": "1.00"}
    assert ajb["guidance_county"] == {"value": 2} and ajb["media_column"] == {"value": True}
    assert ajb["unit_interviews"] == {"value": 1}  # the office issued the 约谈 (and, on the 13th, the 通报)
    assert figures(annexes.annex1(None, date(2023, 6, 22)))["unit_interviews"] == {"value": 2}
    assert ajb["self_found"] == {"value": 0}  # no record of 其他 (the row it leads)
    assert ajb["penalties"] == {"count": 0, "fines_wan": "0.00"}
    # 22nd: H4 verified on the 21st counts as rectified for 区住房城乡建设局
    zjj = figures(annexes.annex1("zjj", date(2023, 6, 22)))
    assert zjj["department_found"] == zjj["department_found_rectified"] == {"value": 1}
    assert zjj["penalties"] == {"count": 1, "fines_wan": "1.22"}
    # Before the campaign's cut-off of 22 May: only C1's interview and nothing of June.
    may = figures(annexes.annex1(None, date(2023, 5, 22)))
    assert may["self_found"] == {"value": 1} and may["self_found_rectified"] == {"value": 0}  # verified on 25 May
    assert may["technical_inspectors"] == {"value": 5}  # the back-dated 5 of 10 May is the latest then
    assert may["penalties"] == {"count": 0, "fines_wan": "0.00"}


def test_kpis_by_hand(story: Story) -> None:
    annexes = story.services.annexes
    at_12 = kpis(annexes, None, date(2023, 6, 12))
    assert at_12["dynamic_rectification_rate"] == "20.00"  # H1 of H1 H2 H4 H5 H7
    assert at_12["self_found_rate"] == "20.00"  # H1 (H3 voided, H8 on the 13th)
    assert at_12["figures"]["department_inspections"] == 4  # I1–I4 (not the visit, not the self-inspection)
    assert (at_12["figures"]["majors"], at_12["figures"]["majors_rectified"], at_12["figures"]["self_found"]) == (5, 1, 1)
    at_0512 = kpis(annexes, None, date(2023, 5, 12))
    assert at_0512["majors_per_thousand_department_inspections"] is None  # no department inspection yet: "—"
    assert at_0512["dynamic_rectification_rate"] == "0.00"
    assert at_0512["self_found_rate"] == "100.00"
    # an empty denominator in a unit with nothing at all
    nothing = kpis(annexes, "wjj", date(2023, 6, 12))
    assert nothing["dynamic_rectification_rate"] is None and nothing["self_found_rate"] is None


def test_kpi_found_by_department_inspection_by_hand(story: Story) -> None:
    """部门检查发现 includes supervision (annex1.md item 3): H2 + H4 + H5 = 3 of 4 department inspections.
    (The read model said 2 → 500.00 until 02ee18b.)"""
    at_12 = kpis(story.services.annexes, None, date(2023, 6, 12))
    assert at_12["figures"]["found_by_department_inspection"] == 3
    assert at_12["majors_per_thousand_department_inspections"] == "750.00"


def test_the_oracle_agrees_with_the_hand_computation(story: Story) -> None:
    """The oracle of the property tests, checked against the same pencil figures (the spec's reading of
    the KPI numerator: 部门检查发现 includes supervision)."""
    from tests.oracle import Oracle, read_events, shown

    oracle = Oracle(read_events(story.services.ledger), story.services.ledger.reference)

    def printed(rows: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        return {k: {c: shown(v) for c, v in r.items()} for k, r in rows.items()}

    district = printed(oracle.annex2(None, date(2023, 6, 12)))
    assert district["cumulative"] == DISTRICT_CUMULATIVE_0612
    assert district["month"] == DISTRICT_MONTH_0612
    for key, expected in DISTRICT_SECTOR_ROWS_0612.items():
        assert district[key] == expected, key
    assert printed(oracle.annex1(None, date(2023, 6, 12))) == ANNEX1_DISTRICT_0612
    assert printed(oracle.annex2(None, date(2023, 6, 12), story.known_before_void))["cumulative"]["majors"] == 6
    k = oracle.kpis(None, date(2023, 6, 12))
    assert (shown(k["dynamic_rectification_rate"]), shown(k["self_found_rate"])) == ("20.00", "20.00")
    assert (k["figures"]["found_by_department_inspection"], shown(k["majors_per_thousand_department_inspections"])) == (
        3,
        "750.00",
    )
    assert oracle.kpis(None, date(2023, 5, 12))["majors_per_thousand_department_inspections"] is None
