"""A district month, scripted end to end (issue 4's "done when"): self-reports, inspections, an exempt
self-report a penalty cannot touch, a dual penalty, a suspension and its lift, a repeat offender
reaching closure and judicial transfer, accidents raising a unit's warning — on a clock that moves
through June 2023, the derived facts (missed deadline, closure recommendation, warnings) read as of
each day. Every resulting event is asserted."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

import pytest

from app.settings import Settings
from app.wiring import Services, build
from domain.actor import Actor
from domain.business_time import CHINA_TZ, FixedClock
from domain.credit_code import check_character
from domain.errors import DomainError
from domain.glossary import (
    AccidentGrade,
    Assessor,
    Grade,
    HazardSource,
    InspectionKind,
    InspectionMethod,
    OrgKind,
    Role,
    WarningLevel,
)
from domain.values import Person, RectificationPlan
from projections.process_queries import AsOf, WarningFilter

OFFICE = Actor("ajb-wang", "王主任", Role.COMMITTEE_OFFICE, "ajb", OrgKind.COMMITTEE_OFFICE, "区安委办")
ZHANG = Actor("yjj-zhang", "张伟", Role.INSPECTOR, "yjj", OrgKind.DEPARTMENT, "区应急管理局")
LI = Actor("yjj-li", "李娜", Role.INSPECTOR, "yjj", OrgKind.DEPARTMENT, "区应急管理局")
EXPERT = Actor("expert-sun", "孙工", Role.EXPERT, "experts", OrgKind.EXPERT_BODY, "专家组")


def june(day: int, hour: int = 10) -> datetime:
    return datetime(2023, 6, day, hour, 0, tzinfo=CHINA_TZ)


@dataclass
class District:
    services: Services
    clock: FixedClock

    @property
    def ledger(self):  # type: ignore[no-untyped-def]
        return self.services.ledger

    def at(self, moment: datetime) -> datetime:
        self.clock.at = moment
        return moment

    def enterprise(self, n: int, sector: str, street: str) -> tuple[UUID, Actor]:
        first17 = f"91530114MA6M{n:05d}"
        receipt = self.ledger.enterprises.register_enterprise(
            OFFICE, credit_code=first17 + check_character(first17), name=f"呈贡第{n}企业", sector=sector,
            jurisdiction=street, principal_name=f"负责人{n}", occurred_at=june(1, 8),
        )  # fmt: skip
        principal = Actor(f"p{n}", f"负责人{n}", Role.PRINCIPAL, str(receipt.id), OrgKind.ENTERPRISE)
        return receipt.id, principal

    def major(self, who: Actor, enterprise: UUID, source: HazardSource, when: datetime, inspection: UUID | None = None) -> UUID:
        return self.ledger.hazards.report_hazard(
            who, enterprise_id=enterprise, grade=Grade.MAJOR, source=source, criterion="第十二条",
            description="可燃气体报警装置失效", inspection_id=inspection, occurred_at=self.at(when),
        ).id  # fmt: skip

    def types(self, record: UUID) -> list[str]:
        return [e["type"] for e in self.ledger.history(record)]

    def derived(self, when: datetime) -> AsOf:
        """The read models caught up, and the day to read derived facts as of."""
        self.at(when)
        self.services.catch_up()
        return AsOf(when.date())


@pytest.fixture
def district(db_url: str) -> Iterator[District]:
    clock = FixedClock(june(1, 8))
    # A month is short: repeat offenders are majors open 20 days with 2 penalties (configurable).
    services = build(Settings(db_url=db_url, rule_overrides={"repeat_offender_open_days": "20"}), clock=clock)
    yield District(services, clock)
    services.close()


def test_a_district_month(district: District) -> None:  # noqa: PLR0915 - one story, told in order
    d, ledger = district, district.ledger
    a, a_principal = d.enterprise(1, "hazardous_chemicals", "wulong")
    b, b_principal = d.enterprise(2, "industry_trade", "wulong")
    c, c_principal = d.enterprise(3, "industry_trade", "dayu")

    # 1. A self-reports a major and reports it to the regulator within the hour: exempt from penalty.
    exempt = d.major(a_principal, a, HazardSource.SELF_INSPECTION, june(2, 9))
    ledger.hazards.report_to_regulator(a_principal, exempt, occurred_at=d.at(june(2, 10)))
    ledger.hazards.file_plan(a_principal, exempt, RectificationPlan("负责人1", "更换探头", 50_000, date(2023, 6, 30), "应急预案"),
                     occurred_at=d.at(june(3)))  # fmt: skip

    # 2. 区应急管理局 inspects B unannounced; the finding and both signatures are recorded.
    inspection = ledger.inspections.conduct_inspection(
        ZHANG, enterprise_id=b, kind=InspectionKind.DEPARTMENT, method=InspectionMethod.UNANNOUNCED,
        inspectors=[Person(ZHANG.user_id, ZHANG.name), Person(LI.user_id, LI.name)], scope=["储罐区"], occurred_at=d.at(june(5)),
    ).id  # fmt: skip
    found = d.major(ZHANG, b, HazardSource.DEPARTMENT_INSPECTION, june(5, 11), inspection)
    ledger.inspections.record_finding(ZHANG, inspection, item="储罐区", hazard_ids=[found], occurred_at=d.at(june(5, 12)))
    ledger.inspections.sign_inspection(ZHANG, inspection, occurred_at=d.at(june(5, 13)))
    ledger.inspections.sign_inspection(LI, inspection, occurred_at=d.at(june(5, 13)))
    ledger.hazards.file_plan(b_principal, found, RectificationPlan("负责人2", "加装联锁", 80_000, date(2023, 6, 10), "应急预案"),
                     occurred_at=d.at(june(6)))  # fmt: skip

    # 3. A penalty grounded on A's self-reported major is refused and appends nothing.
    case_a = ledger.enforcement.open_case(ZHANG, enterprise_id=a, legal_basis="《安全生产法》第一百零二条", case_number="呈应急立〔2023〕101号",
                              cited_hazard_ids=[exempt], occurred_at=d.at(june(7))).id  # fmt: skip
    with pytest.raises(DomainError) as refused:
        ledger.enforcement.decide_penalty(ZHANG, case_a, target="enterprise", fine_yuan=50_000, decision_number="罚1",
                              legal_basis="第一百零二条", occurred_at=d.at(june(7, 11)))  # fmt: skip
    assert refused.value.code == "penalty_exempt"
    assert d.types(case_a) == ["CaseOpened"]

    # 4. B's deadline (10 June) passes: the miss is derived, at 00:00 on 11 June; nothing is stored.
    d.derived(june(12, 9))
    view = ledger.hazards.hazard(found)
    assert view["overdue"] and view["rectification_lapsed"]
    assert view["missed_deadlines"] == [{"deadline": "2023-06-10", "missed_at": "2023-06-11T00:00:00+08:00", "recorded": False}]
    assert d.types(found) == ["HazardReported", "RectificationPlanFiled"]

    # 5. B's rectification lapsed: a single penalty is refused, the dual penalty is imposed.
    case_b = ledger.enforcement.open_case(ZHANG, enterprise_id=b, legal_basis="《安全生产法》第一百零二条", case_number="呈应急立〔2023〕102号",
                              cited_hazard_ids=[found], occurred_at=d.at(june(13))).id  # fmt: skip
    with pytest.raises(DomainError) as refused:
        ledger.enforcement.decide_penalty(ZHANG, case_b, target="enterprise", fine_yuan=80_000, decision_number="罚2",
                              legal_basis="第一百零二条", occurred_at=d.at(june(13, 11)))  # fmt: skip
    assert refused.value.code == "dual_penalty_required"
    ledger.enforcement.impose_dual_penalty(ZHANG, case_b, enterprise_fine_yuan=200_000, principal_fine_yuan=30_000, decision_number="罚3",
                               legal_basis="第一百一十三条", occurred_at=d.at(june(13, 12)))  # fmt: skip

    # 6. Suspension; lifting waits for the cited major's verification (not by the claimer).
    ledger.enforcement.order_suspension(ZHANG, case_b, decision_number="停1", reason="隐患排除前无法保证安全", occurred_at=d.at(june(14)))
    with pytest.raises(DomainError) as refused:
        ledger.enforcement.lift_suspension(ZHANG, case_b, opinion="复产", occurred_at=d.at(june(15)))
    assert refused.value.code == "cited_majors_unverified"
    ledger.hazards.complete_rectification(b_principal, found, note="联锁已投用", occurred_at=d.at(june(16)))
    ledger.hazards.verify(EXPERT, found, passed=True, opinion="整改到位", assessed_by=[Assessor.EXPERTS], occurred_at=d.at(june(17)))
    ledger.enforcement.lift_suspension(LI, case_b, opinion="复产验收合格", occurred_at=d.at(june(18)))
    ledger.hazards.close_hazard(ZHANG, found, note="销号", occurred_at=d.at(june(19)))

    # 7. C: a major left open and penalised twice is marked for closure by the detector; closure,
    #    the principal's industry ban and a judicial transfer follow.
    chronic = d.major(ZHANG, c, HazardSource.DEPARTMENT_INSPECTION, june(1, 9))
    cases_c = []
    for n, day in ((103, 4), (104, 15)):
        case = ledger.enforcement.open_case(ZHANG, enterprise_id=c, legal_basis="第一百零二条", case_number=f"呈应急立〔2023〕{n}号",
                                cited_hazard_ids=[chronic], occurred_at=d.at(june(day))).id  # fmt: skip
        ledger.enforcement.decide_penalty(ZHANG, case, target="enterprise", fine_yuan=20_000 * len(cases_c) + 10_000,
                              decision_number=f"罚{n}", legal_basis="第一百零二条", occurred_at=d.at(june(day, 11)))  # fmt: skip
        cases_c.append(case)
    recommended = d.services.process_queries.closure_recommendations(d.derived(june(22, 9)))
    assert [(r.case_id, r.on, r.prior_penalties) for r in recommended] == [(cases_c[-1], date(2023, 6, 21), 2)]
    ledger.enforcement.request_closure(ZHANG, cases_c[-1], government="呈贡区人民政府", reason="重大事故隐患长期存在并多次受到处罚",
                           occurred_at=d.at(june(23)))  # fmt: skip
    ledger.enforcement.order_closure(
        ZHANG, cases_c[-1], government="呈贡区人民政府", decision_number="呈政关〔2023〕1号", occurred_at=d.at(june(26))
    )
    ledger.enforcement.apply_industry_ban(ZHANG, cases_c[-1], years=5, occurred_at=d.at(june(26, 11)))
    ledger.enforcement.transfer_to_judiciary(ZHANG, cases_c[-1], persons=["负责人3"], suspected_offence="危险作业罪",
                                 dangerous_operations_crime=True, occurred_at=d.at(june(27)))  # fmt: skip
    assert d.services.process_queries.closure_recommendations(d.derived(june(27, 12))) == recommended  # a fact, dated

    # 8. Two general accidents in 乌龙街道 within the month: the ladder proposes a 告知 (notice).
    for day in (8, 24):
        ledger.accidents.report_accident(ZHANG, grade=AccidentGrade.GENERAL, deaths=0, injuries=1, direct_loss_yuan=120_000,
                               liability=True, description="物体打击", enterprise_id=b, occurred_at=d.at(june(day)))  # fmt: skip
    notices = d.services.process_queries.warnings(WarningFilter(as_of=d.derived(june(28, 9))))["items"]
    assert {(w["unit_id"], w["level"]) for w in notices if w["trigger"] == "general_accidents_in_month"} == {
        ("yjj", WarningLevel.NOTICE.value), ("wulong", WarningLevel.NOTICE.value),
    }  # fmt: skip

    # Every resulting event, record by record.
    assert d.types(exempt) == ["HazardReported", "HazardReportedToRegulator", "RectificationPlanFiled"]
    assert d.types(inspection) == ["InspectionConducted", "FindingRecorded", "InspectionSigned", "InspectionSigned"]
    assert d.types(found) == [
        "HazardReported", "RectificationPlanFiled", "RectificationCompleted", "VerificationPassed", "HazardClosed",
    ]  # fmt: skip
    assert d.types(case_b) == ["CaseOpened", "DualPenaltyImposed", "SuspensionOrdered", "SuspensionLifted"]
    assert d.types(cases_c[0]) == ["CaseOpened", "PenaltyDecided"]
    assert d.types(cases_c[1]) == [
        "CaseOpened", "PenaltyDecided", "ClosureRequested", "ClosureOrdered", "IndustryBanApplied", "TransferredToJudiciary",
    ]  # fmt: skip
    assert d.types(chronic) == ["HazardReported"]  # no 以罚代管: penalties never touch the hazard
    assert all(w["derived"] and w["version"] == 0 for w in notices)  # proposals: nothing stored until the office decides
    assert ledger.enforcement.case(case_b)["total_fines_yuan"] == 230_000

    # And the month shows in the forms: Annex 1 (district) counts it all.
    d.services.catch_up()
    items = {i["key"]: i["figures"] for s in d.services.annexes.annex1(None, date(2023, 6, 30))["sections"] for i in s["items"]}
    assert items["self_found"] == {"value": 1} and items["department_found"] == {"value": 2}
    assert items["department_found_rectified"] == {"value": 1}
    assert items["penalties"]["count"] == 4  # two single decisions + a dual penalty's two targets
    assert str(items["penalties"]["fines_wan"]) == "27.00"  # 10,000 + 30,000 + 200,000 + 30,000 yuan
    assert items["dual_penalties"] == {"value": 1} and items["judicial_persons"] == {"value": 1}
    assert items["suspended"] == {"value": 1}
