"""A small district story for the annex exports and report submissions, recorded through the ledger
with business times in the 2023 campaign (cut-off 22 December 2023):

- 化工 enterprise (区应急管理局's row): a self-found major, planned, completed and verified in November;
  a voided major; a case with two penalties of 12,345 and 30,050 yuan (4.24 万元 in all: 1.2345 and
  3.005 round half-up only in the sum); a risk point whose four lists are complete (phones on it);
- 房屋市政 enterprise (a "其中" row of 建设项目, 区住房城乡建设局): a department-found major in December,
  planned and listed for supervision; a risk point with its basic list only;
- 区应急管理局's work log: a tip-off reward of 15,000 yuan (anonymous 8,500) and the media column.

No outstanding problem is identified: every 整改率 has a zero denominator ("—"); no risk point is
registered in December: 本月 管控率 is "—" too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from app.wiring import Services
from domain.actor import Actor
from domain.business_time import CHINA_TZ
from domain.credit_code import check_character
from domain.glossary import ActivityKind, Assessor, GovernmentMeasure, Grade, HazardSource, OrgKind, PenaltyTarget, Role
from domain.risk_point import EmergencySupply, HazardCharacteristics
from domain.values import RectificationPlan, SupervisionListing

AS_OF = date(2023, 12, 22)
OFFICE = Actor("ajb-wang", "王主任", Role.COMMITTEE_OFFICE, "ajb", OrgKind.COMMITTEE_OFFICE, "区安委办")
INSPECTOR = Actor("yjj-zhang", "张伟", Role.INSPECTOR, "yjj", OrgKind.DEPARTMENT, "区应急管理局")
INSPECTOR_2 = Actor("yjj-li", "李娜", Role.INSPECTOR, "yjj", OrgKind.DEPARTMENT, "区应急管理局")
BUILDING = Actor("zjj-sun", "孙建", Role.INSPECTOR, "zjj", OrgKind.DEPARTMENT, "区住房城乡建设局")
DEPARTMENT_PHONE = "15128570223"
PRINCIPAL_PHONE = "13807982483"


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2023, month, day, hour, 0, tzinfo=CHINA_TZ)


def code(serial: int) -> str:
    first17 = f"91530114MA6K{serial:05d}"
    return first17 + check_character(first17)


def principal_of(enterprise_id: UUID, name: str) -> Actor:
    return Actor(f"ent-{name}", name, Role.PRINCIPAL, str(enterprise_id), OrgKind.ENTERPRISE, name)


def plan(deadline: date) -> RectificationPlan:
    return RectificationPlan(
        responsible_person="李建国", measures="更换失效探头", funds_yuan=86000, deadline=deadline,
        contingency_plan="储罐区泄漏专项应急预案",
    )  # fmt: skip


@dataclass
class Story:
    chemicals: UUID
    housing: UUID
    verified_major: UUID
    listed_major: UUID
    voided_major: UUID
    controlled_point: UUID
    partial_point: UUID


def build_story(services: Services) -> Story:
    ledger = services.ledger
    chemicals = ledger.enterprises.register_enterprise(
        OFFICE, credit_code=code(11), name="昆明呈贡示例化工有限公司", sector="hazardous_chemicals",
        jurisdiction="wulong", principal_name="李建国", occurred_at=at(5, 10),
    ).id  # fmt: skip
    housing = ledger.enterprises.register_enterprise(
        OFFICE, credit_code=code(12), name="云南福瑞建设工程有限公司", sector="construction_housing",
        jurisdiction="wulong", principal_name="曾勇洋", occurred_at=at(5, 10),
    ).id  # fmt: skip
    boss = principal_of(chemicals, "李建国")

    # A self-found major, rectified and verified in November.
    verified = ledger.hazards.report_hazard(
        boss, enterprise_id=chemicals, grade=Grade.MAJOR, source=HazardSource.SELF_INSPECTION,
        criterion="《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）》第十二条",
        description="液化烃储罐区可燃气体检测报警装置失效", occurred_at=at(11, 2),
    ).id  # fmt: skip
    ledger.hazards.file_plan(boss, verified, plan(date(2023, 11, 30)), occurred_at=at(11, 3))
    ledger.hazards.complete_rectification(boss, verified, note="已更换", occurred_at=at(11, 20))
    ledger.hazards.verify(INSPECTOR, verified, passed=True, opinion="验收合格", assessed_by=[Assessor.GOVERNMENT], occurred_at=at(11, 25))
    # A major recorded twice by mistake: voided, it counts nowhere.
    voided = ledger.hazards.report_hazard(
        INSPECTOR, enterprise_id=chemicals, grade=Grade.MAJOR, source=HazardSource.DEPARTMENT_INSPECTION,
        criterion="第十二条", description="重复登记", occurred_at=at(11, 5),
    ).id  # fmt: skip
    ledger.hazards.void_hazard(INSPECTOR, voided, reason="重复登记", occurred_at=at(11, 6))

    # A department-found major on a building site (a "其中" row), listed for supervision in December.
    listed = ledger.hazards.report_hazard(
        BUILDING, enterprise_id=housing, grade=Grade.MAJOR, source=HazardSource.DEPARTMENT_INSPECTION,
        criterion="《房屋市政工程生产安全重大事故隐患判定标准》第六条", description="塔吊顶升作业无专项方案",
        occurred_at=at(12, 4),
    ).id  # fmt: skip
    ledger.hazards.file_plan(principal_of(housing, "曾勇洋"), listed, plan(date(2024, 1, 31)), occurred_at=at(12, 5))
    ledger.hazards.list_for_supervision(
        OFFICE, listed,
        SupervisionListing(level="district", supervising_body="区安委办", document_number="呈安委〔2023〕12号",
                           issuer="王主任", time_limit=date(2024, 1, 31), notice_delivered_by="孙建", notice_signed_by="曾勇洋"),
        occurred_at=at(12, 6),
    )  # fmt: skip

    # Two penalties: 12,345 + 30,050 yuan = 4.2395 万元, shown 4.24.
    case = ledger.enforcement.open_case(
        INSPECTOR, enterprise_id=chemicals, legal_basis="《安全生产法》第一百零二条", case_number="呈应急立〔2023〕1号",
        occurred_at=at(10, 9),
    ).id  # fmt: skip
    for number, fine in (("呈应急罚决〔2023〕1号", 12345), ("呈应急罚决〔2023〕2号", 30050)):
        ledger.enforcement.decide_penalty(
            INSPECTOR, case, target=PenaltyTarget.ENTERPRISE, fine_yuan=fine, decision_number=number,
            legal_basis="《安全生产法》第一百零二条", occurred_at=at(10, 10),
        )  # fmt: skip

    # A risk point with its four lists complete, and one with the basic list only.
    controlled = ledger.risks.register_risk_point(
        INSPECTOR, enterprise_id=chemicals, name="液化烃球罐区", description="4台2000立方米液化烃球罐",
        address="昆明市呈贡区乌龙街道化工园区1号", assessed=True,
        characteristics=HazardCharacteristics(accident_types=("火灾", "爆炸"), max_casualties=30,
                                              max_direct_loss_yuan=50_000_000, social_impact="周边村庄需疏散"),
        occurred_at=at(9, 1),
    ).id  # fmt: skip
    ledger.risks.list_responsibility(
        INSPECTOR, controlled, department="yjj", department_person="张伟", department_phone=DEPARTMENT_PHONE,
        principal_name="李建国", principal_phone=PRINCIPAL_PHONE, occurred_at=at(9, 2),
    )  # fmt: skip
    ledger.risks.list_control_measures(
        INSPECTOR, controlled, enterprise_measures=["球罐区设置可燃气体报警", "罐区24小时巡检"],
        government_measures=[GovernmentMeasure.LISTED_FOR_SUPERVISION, GovernmentMeasure.REDUCE_PERSONNEL],
        occurred_at=at(9, 3),
    )  # fmt: skip
    ledger.risks.list_emergency(
        INSPECTOR, controlled, measures=["立即切断物料", "疏散下风向人员"],
        supplies=[EmergencySupply("消防器材", "干粉灭火器", 20, "具"), EmergencySupply("个体防护", "正压式空气呼吸器", 4, "套")],
        occurred_at=at(9, 4),
    )  # fmt: skip
    partial = ledger.risks.register_risk_point(
        BUILDING, enterprise_id=housing, name="塔式起重机群交叉作业", description="现场布置4台塔式起重机",
        address="昆明市呈贡区乌龙街道联大街55号", occurred_at=at(9, 5),
    ).id  # fmt: skip

    # 区应急管理局's work log: a tip-off reward (1.50 万元, of which 0.85 anonymous) and the media column.
    ledger.work_logs.record_activity(
        INSPECTOR, "yjj", kind=ActivityKind.TIPOFF_REWARD, amount_yuan=15000, anonymous_amount_yuan=8500,
        occurred_at=at(8, 1),
    )  # fmt: skip
    ledger.work_logs.record_activity(INSPECTOR, "yjj", kind=ActivityKind.MEDIA_COLUMN, count=1, occurred_at=at(8, 2))
    services.catch_up()
    return Story(chemicals, housing, verified, listed, voided, controlled, partial)
