"""The refusal catalogue (moved here from the demo): the commands a real user would try and the
ledger must refuse — one for every rule code of the hazard, inspection and enforcement rules and
more — each with its stable error code. Every attempt is a typed command through ``Ledger.execute``
on a fresh in-memory world (``support.new_world``); the refused command appends nothing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest

from domain.actor import Actor
from domain.commands.accidents import ConcludeInvestigation, ListAccident, ReportAccident
from domain.commands.base import Command
from domain.commands.enforcement import (
    ApplyIndustryBan,
    CloseCase,
    DecidePenalty,
    LiftSuspension,
    OpenCase,
    OrderClosure,
    OrderSuspension,
    PublishAsTypical,
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
    RecordDeadlineMiss,
    RecordProgress,
    ReportToRegulator,
    VerifyRectification,
)
from domain.commands.inspections import RecordDeficiencies, RecordFinding, SignInspection
from domain.commands.risks import AdoptRootCauseMeasure
from domain.commands.warnings import ProposeWarning
from domain.errors import CATALOGUE, DomainError
from domain.glossary import (
    AccidentGrade,
    Assessor,
    Grade,
    HazardSource,
    HazardState,
    InspectionKind,
    InspectionMethod,
    OrgKind,
    Role,
    SpotCheckDeficiency,
    SupervisionLevel,
)
from domain.values import Person

from .support import (
    INSPECTOR,
    INSPECTOR_2,
    OFFICE,
    OTHER_DEPARTMENT,
    SYSTEM,
    World,
    complete_plan,
    credit_code,
    identify_problem,
    listing,
    new_world,
    regulator,
    report_accident,
)

LAW = "《中华人民共和国安全生产法》第一百零二条"
TEAM = [Person(INSPECTOR.user_id, INSPECTOR.name), Person("yjj-3", "孙执法")]
SCOPE = ["储罐区", "装卸作业", "特殊作业管理"]
THIRD = regulator("yjj-3", "孙执法", Role.INSPECTOR, "yjj", OrgKind.DEPARTMENT, "区应急管理局")


@dataclass(frozen=True)
class Attempt:
    """Who tries what (and, for a concurrent edit, the version they saw)."""

    actor: Any
    command: Command
    expected_version: int | None = None


def _open_case(world: World, *hazards: UUID, number: str = "呈应急立〔2023〕1号", accidents: tuple[UUID, ...] = ()) -> UUID:
    return world.app.enforcement.open_case(
        INSPECTOR, enterprise_id=world.enterprise_id, legal_basis=LAW, case_number=number,
        cited_hazard_ids=list(hazards), accident_ids=list(accidents),
    ).id  # fmt: skip


def _lapsed(world: World) -> UUID:
    hazard_id = world.report(Grade.MAJOR, by=INSPECTOR)
    world.file_plan(hazard_id, days=3)
    world.clock.advance(days=5)  # the deadline passed in business time: the lapse is derived
    return hazard_id


# ----- the catalogue: (code, what a user tried, how to get there) --------------------------------


def plan_incomplete(w: World) -> Attempt:
    h = w.report(Grade.MAJOR)
    return Attempt(w.principal, FilePlan(hazard_id=h, plan=complete_plan(w.days(10), funds_yuan=None, contingency_plan="")))


def evidence_digest_mismatch(w: World) -> Attempt:
    h = w.hazard_in(HazardState.RECTIFYING)
    return Attempt(
        w.staff,
        AttachEvidence(
            hazard_id=h, file_name="整改过程照片.jpg", media_type="image/jpeg", content=b"\xff\xd8\xff\xd9", sha256="0" * 64
        ),
    )


def evidence_too_large(w: World) -> Attempt:
    h = w.hazard_in(HazardState.RECTIFYING)
    big = bytes(w.app.rules.evidence_max_bytes + 1)
    return Attempt(w.staff, AttachEvidence(hazard_id=h, file_name="整改现场视频.mp4", media_type="video/mp4", content=big))


def occurred_out_of_order(w: World) -> Attempt:
    h = w.hazard_in(HazardState.RECTIFYING)
    return Attempt(w.staff, RecordProgress(hazard_id=h, note="补录整改进展", occurred_at=w.clock.now() - timedelta(days=3)))


def version_conflict(w: World) -> Attempt:
    h = w.hazard_in(HazardState.RECTIFYING)
    return Attempt(w.staff, RecordProgress(hazard_id=h, note="整改进行中", percent=40), expected_version=1)


def deadline_not_passed(w: World) -> Attempt:
    h = w.hazard_in(HazardState.RECTIFYING)  # due in ten days
    return Attempt(OFFICE, RecordDeadlineMiss(hazard_id=h, deadline=w.days(10), missed=True, reason="纸质台账载明逾期"))


def not_a_deadline(w: World) -> Attempt:
    h = _lapsed(w)  # due three days after its report, five days ago
    return Attempt(OFFICE, RecordDeadlineMiss(hazard_id=h, deadline=w.days(-1), missed=False, reason="已按期完成"))


def miss_without_reason(w: World) -> Attempt:
    h = _lapsed(w)
    return Attempt(OFFICE, RecordDeadlineMiss(hazard_id=h, deadline=w.days(-2), missed=False, reason="  "))


def miss_recorded_by_an_inspector(w: World) -> Attempt:
    h = _lapsed(w)
    return Attempt(INSPECTOR, RecordDeadlineMiss(hazard_id=h, deadline=w.days(-2), missed=True, reason="现场检查发现逾期"))


def miss_recorded_before_a_plan(w: World) -> Attempt:
    h = w.report(Grade.MAJOR)
    return Attempt(OFFICE, RecordDeadlineMiss(hazard_id=h, deadline=w.days(-1), missed=True, reason="纸质台账载明逾期"))


def deadline_in_past(w: World) -> Attempt:
    h = _lapsed(w)
    return Attempt(
        INSPECTOR,
        ExtendDeadline(hazard_id=h, request_date=w.today(), reason="申请延期", new_deadline=w.days(-1), approver="李局长"),
    )


def hazard_not_verified(w: World) -> Attempt:
    return Attempt(INSPECTOR, CloseHazard(hazard_id=w.hazard_in(HazardState.PENDING_VERIFICATION), note="销号"))


def hazard_not_listed(w: World) -> Attempt:
    h = w.hazard_in(HazardState.VERIFIED)
    return Attempt(INSPECTOR, LiftSupervision(hazard_id=h, reason="验收合格", approver="王安委"))


def hazard_already_listed(w: World) -> Attempt:
    h = w.hazard_in(HazardState.RECTIFYING, listed=True)
    return Attempt(INSPECTOR, ListForSupervision(hazard_id=h, listing=listing(w.days(30))))


def hazard_listed(w: World) -> Attempt:
    h = w.hazard_in(HazardState.VERIFIED, listed=True)
    return Attempt(INSPECTOR, CloseHazard(hazard_id=h, note="销号"))


def already_reported(w: World) -> Attempt:
    h = w.report(Grade.MAJOR)
    w.app.hazards.report_to_regulator(w.principal, h)
    return Attempt(w.staff, ReportToRegulator(hazard_id=h))


def not_major(w: World) -> Attempt:
    return Attempt(w.staff, ReportToRegulator(hazard_id=w.report(Grade.GENERAL)))


def invalid_transition(w: World) -> Attempt:
    return Attempt(w.staff, CompleteRectification(hazard_id=w.report(Grade.MAJOR), note="已整改"))


def verifier_is_claimer(w: World) -> Attempt:
    h = w.hazard_in(HazardState.RECTIFYING, Grade.GENERAL)
    w.complete(h, by=w.principal)
    disguised = Actor(w.principal.user_id, "张总", Role.INSPECTOR, "yjj", OrgKind.DEPARTMENT, "区应急管理局")
    return Attempt(
        disguised, VerifyRectification(hazard_id=h, passed=True, opinion="已整改", assessed_by=[Assessor.GOVERNMENT])
    )


def hazard_closed(w: World) -> Attempt:
    return Attempt(w.staff, RecordProgress(hazard_id=w.hazard_in(HazardState.CLOSED), note="补录整改进展"))


def hazard_voided(w: World) -> Attempt:
    return Attempt(w.principal, FilePlan(hazard_id=w.hazard_in(HazardState.VOIDED), plan=complete_plan(w.days(30))))


def enterprise_exists(w: World) -> Attempt:
    return Attempt(
        INSPECTOR,
        RegisterEnterprise(
            credit_code=credit_code("91530114MA6K0001X"), name="某化工有限公司", sector="hazardous_chemicals",
            jurisdiction="wulong", principal_name="张总",
        ),
    )  # fmt: skip


def invalid_credit_code(w: World) -> Attempt:
    good = credit_code("91530114MA6K0002X")
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    return Attempt(
        INSPECTOR,
        RegisterEnterprise(
            credit_code=wrong, name="某木业有限公司", sector="industry_trade", jurisdiction="wulong", principal_name="王总"
        ),
    )


def case_exists(w: World) -> Attempt:
    _open_case(w, number="呈应急立〔2023〕9号")
    return Attempt(INSPECTOR_2, OpenCase(enterprise_id=w.enterprise_id, legal_basis=LAW, case_number="呈应急立〔2023〕9号"))


def dual_penalty_required(w: World) -> Attempt:
    case = _open_case(w, _lapsed(w))
    return Attempt(
        INSPECTOR,
        DecidePenalty(case_id=case, target="enterprise", fine_yuan=50_000, decision_number="呈应急罚（拟）", legal_basis=LAW),
    )


def already_suspended(w: World) -> Attempt:
    case = _open_case(w, _lapsed(w))
    w.app.enforcement.order_suspension(INSPECTOR, case, decision_number="呈应急责停〔2023〕1号", reason="逾期未整改")
    return Attempt(INSPECTOR_2, OrderSuspension(case_id=case, decision_number="呈应急责停（重复）", reason="重复下达"))


def suspension_in_force(w: World) -> Attempt:
    case = _open_case(w, _lapsed(w))
    w.app.enforcement.order_suspension(INSPECTOR, case, decision_number="呈应急责停〔2023〕2号", reason="逾期未整改")
    return Attempt(INSPECTOR, CloseCase(case_id=case, reason="处罚已执行"))


def accident_dual_penalty_required(w: World) -> Attempt:
    case = _open_case(w, accidents=(report_accident(w, liability=True),))
    return Attempt(
        INSPECTOR,
        DecidePenalty(case_id=case, target="enterprise", fine_yuan=300_000, decision_number="呈应急罚（拟）", legal_basis=LAW),
    )


def duplicate_decision_number(w: World) -> Attempt:
    case = _open_case(w)
    w.app.enforcement.decide_penalty(
        INSPECTOR, case, target="enterprise", fine_yuan=50_000, decision_number="呈应急罚〔2023〕5号", legal_basis=LAW
    )
    return Attempt(
        INSPECTOR,
        DecidePenalty(
            case_id=case, target="person", person_name="刘安全员", fine_yuan=10_000, decision_number="呈应急罚〔2023〕5号",
            legal_basis=LAW,
        ),
    )  # fmt: skip


def penalty_exempt(w: World) -> Attempt:
    h = w.report(Grade.MAJOR)
    w.app.hazards.report_to_regulator(w.principal, h)
    case = _open_case(w, h)
    return Attempt(
        INSPECTOR,
        DecidePenalty(case_id=case, target="enterprise", fine_yuan=50_000, decision_number="呈应急罚（拟）", legal_basis=LAW),
    )


def cited_major_open(w: World) -> Attempt:
    h = w.report(Grade.MAJOR)
    w.app.hazards.report_to_regulator(w.principal, h)
    w.file_plan(h)
    return Attempt(INSPECTOR, CloseCase(case_id=_open_case(w, h), reason="依法不予行政处罚"))


def cited_hazard_open(w: World) -> Attempt:
    case = _open_case(w, w.report(Grade.GENERAL, by=INSPECTOR))
    w.app.enforcement.decide_penalty(
        INSPECTOR, case, target="enterprise", fine_yuan=20_000, decision_number="呈应急罚〔2023〕6号", legal_basis=LAW
    )
    return Attempt(INSPECTOR, CloseCase(case_id=case, reason="罚款已缴纳"))


def cited_majors_unverified(w: World) -> Attempt:
    case = _open_case(w, _lapsed(w))
    w.app.enforcement.order_suspension(INSPECTOR, case, decision_number="呈应急责停〔2023〕3号", reason="逾期未整改")
    return Attempt(INSPECTOR, LiftSuspension(case_id=case, opinion="申请复产"))


def no_suspension(w: World) -> Attempt:
    return Attempt(INSPECTOR, LiftSuspension(case_id=_open_case(w), opinion="经复产验收，同意恢复生产"))


def _penalised_twice(w: World) -> tuple[UUID, UUID, UUID]:
    h = w.report(Grade.MAJOR, by=INSPECTOR)
    first = _open_case(w, h, number="呈应急立〔2023〕11号")
    w.app.enforcement.decide_penalty(
        INSPECTOR, first, target="enterprise", fine_yuan=30_000, decision_number="呈应急罚〔2023〕11号", legal_basis=LAW
    )
    second = _open_case(w, h, number="呈应急立〔2023〕12号")
    w.app.enforcement.decide_penalty(
        INSPECTOR, second, target="enterprise", fine_yuan=50_000, decision_number="呈应急罚〔2023〕12号", legal_basis=LAW
    )
    return h, first, second


def not_repeat_offender(w: World) -> Attempt:
    h, first, second = _penalised_twice(w)
    w.clock.advance(days=30)
    return Attempt(INSPECTOR, RecommendClosure(case_id=second, hazard_id=h, other_case_ids=[first]))


def closure_recommended_by_the_system(w: World) -> Attempt:
    # The detector's recommendation is derived (domain/process_rules.closure_due), never sent by the system.
    h, first, second = _penalised_twice(w)
    w.clock.advance(days=w.app.rules.repeat_offender_open_days)
    return Attempt(SYSTEM, RecommendClosure(case_id=second, hazard_id=h, other_case_ids=[first]))


def warning_proposed_by_the_system(w: World) -> Attempt:
    # The ladder's proposals are derived; only the 区安委办 proposes (or decides a derived proposal).
    return Attempt(
        SYSTEM,
        ProposeWarning(
            unit_id="yjj", level="notice", trigger="deadline_missed", trigger_key="deadline_missed:h1:2023-06-10",
            reason_zh="重大事故隐患逾期未整改", reason_en="Major hazard not rectified by its deadline",
        ),
    )  # fmt: skip


def already_recommended(w: World) -> Attempt:
    h, first, second = _penalised_twice(w)
    w.clock.advance(days=w.app.rules.repeat_offender_open_days)
    w.app.enforcement.recommend_closure(INSPECTOR, second, hazard_id=h, other_case_ids=[first])
    return Attempt(OFFICE, RecommendClosure(case_id=second, hazard_id=h, other_case_ids=[first]))


def closure_not_requested(w: World) -> Attempt:
    return Attempt(
        INSPECTOR, OrderClosure(case_id=_open_case(w), government="呈贡区人民政府", decision_number="呈政关〔2023〕1号")
    )


def closure_already_requested(w: World) -> Attempt:
    case = _open_case(w)
    w.app.enforcement.request_closure(INSPECTOR, case, government="呈贡区人民政府", reason="屡罚不改")
    return Attempt(INSPECTOR, RequestClosure(case_id=case, government="呈贡区人民政府", reason="屡罚不改"))


def closure_not_ordered(w: World) -> Attempt:
    return Attempt(INSPECTOR, ApplyIndustryBan(case_id=_open_case(w), years=None))


def closure_already_ordered(w: World) -> Attempt:
    case = _open_case(w)
    w.app.enforcement.request_closure(INSPECTOR, case, government="呈贡区人民政府", reason="屡罚不改")
    w.app.enforcement.order_closure(INSPECTOR, case, government="呈贡区人民政府", decision_number="呈政关〔2023〕2号")
    return Attempt(INSPECTOR, OrderClosure(case_id=case, government="呈贡区人民政府", decision_number="呈政关〔2023〕3号"))


def licence_revoked(w: World) -> Attempt:
    case = _open_case(w)
    licence = {"licence_name": "危险化学品经营许可证", "licence_number": "云昆呈危化经字〔2021〕000123"}
    w.app.enforcement.suspend_or_revoke_licence(
        INSPECTOR, case, action="revoke", decision_number="呈应急吊〔2023〕1号", **licence
    )
    return Attempt(INSPECTOR, SuspendOrRevokeLicence(case_id=case, action="revoke", decision_number="重复", **licence))


def negative_fine(w: World) -> Attempt:
    return Attempt(
        INSPECTOR,
        DecidePenalty(
            case_id=_open_case(w), target="enterprise", fine_yuan=-30_000, decision_number="呈应急罚（拟）", legal_basis=LAW
        ),
    )


def transfer_nobody(w: World) -> Attempt:
    return Attempt(INSPECTOR, TransferToJudiciary(case_id=_open_case(w), persons=[], suspected_offence="涉嫌危险作业罪"))


def case_closed(w: World) -> Attempt:
    case = _open_case(w)
    w.app.enforcement.close_case(INSPECTOR, case, reason="结案")
    return Attempt(
        INSPECTOR, DecidePenalty(case_id=case, target="enterprise", fine_yuan=20_000, decision_number="追加", legal_basis=LAW)
    )


def already_published(w: World) -> Attempt:
    case = _open_case(w)
    w.app.enforcement.publish_as_typical(INSPECTOR, case, title="典型执法案例")
    return Attempt(INSPECTOR, PublishAsTypical(case_id=case, title="典型执法案例"))


def outside_scope(w: World) -> Attempt:
    return Attempt(OTHER_DEPARTMENT, OpenCase(enterprise_id=w.enterprise_id, legal_basis=LAW, case_number="呈交执立〔2023〕3号"))


def role_not_allowed(w: World) -> Attempt:
    h = w.hazard_in(HazardState.VERIFIED, listed=True)
    return Attempt(w.principal, LiftSupervision(hazard_id=h, reason="已整改", approver="张总"))


# ----- inspections and spot checks -----


def _inspection(w: World, kind: InspectionKind = InspectionKind.DEPARTMENT) -> UUID:
    return w.app.inspections.conduct_inspection(
        INSPECTOR, enterprise_id=w.enterprise_id, kind=kind, method=InspectionMethod.UNANNOUNCED, inspectors=TEAM, scope=SCOPE
    ).id


def _spot_check(w: World) -> UUID:
    i = _inspection(w, InspectionKind.SPOT_CHECK)
    w.app.inspections.record_deficiencies(INSPECTOR, i, deficiencies=[SpotCheckDeficiency.NO_DEPUTY_DUTY_LIST])
    return i


def deficiency_already_recorded(w: World) -> Attempt:
    i = _spot_check(w)
    return Attempt(INSPECTOR, RecordDeficiencies(inspection_id=i, deficiencies=[SpotCheckDeficiency.NO_DEPUTY_DUTY_LIST]))


def deficiencies_contradiction(w: World) -> Attempt:
    return Attempt(INSPECTOR, RecordDeficiencies(inspection_id=_spot_check(w), deficiencies=[]))


def not_a_spot_check(w: World) -> Attempt:
    i = _inspection(w)
    return Attempt(
        INSPECTOR, RecordDeficiencies(inspection_id=i, deficiencies=[SpotCheckDeficiency.PRINCIPAL_NOT_LEADING_INSPECTION])
    )


def finding_item_out_of_scope(w: World) -> Attempt:
    return Attempt(
        INSPECTOR, RecordFinding(inspection_id=_inspection(w), item="食堂燃气使用管理", hazard_ids=[], no_major_hazard=True)
    )


def finding_empty(w: World) -> Attempt:
    return Attempt(INSPECTOR, RecordFinding(inspection_id=_inspection(w), item=SCOPE[0], hazard_ids=[]))


def finding_hazard_mismatch(w: World) -> Attempt:
    other = _inspection(w)
    h = w.report(Grade.MAJOR, by=INSPECTOR, source=HazardSource.DEPARTMENT_INSPECTION, inspection_id=other)
    return Attempt(INSPECTOR, RecordFinding(inspection_id=_inspection(w), item=SCOPE[0], hazard_ids=[h]))


def _signed(w: World) -> UUID:
    i = _inspection(w)
    w.app.inspections.record_finding(INSPECTOR, i, item=SCOPE[0], hazard_ids=[], no_major_hazard=True)
    w.app.inspections.sign_inspection(INSPECTOR, i)
    w.app.inspections.sign_inspection(THIRD, i)
    return i


def inspection_signed(w: World) -> Attempt:
    return Attempt(INSPECTOR, RecordFinding(inspection_id=_signed(w), item=SCOPE[1], hazard_ids=[], no_major_hazard=True))


def already_signed(w: World) -> Attempt:
    return Attempt(INSPECTOR, SignInspection(inspection_id=_signed(w)))


def not_an_inspector(w: World) -> Attempt:
    return Attempt(INSPECTOR_2, SignInspection(inspection_id=_signed(w)))


# ----- accidents and outstanding problems -----


def accident_grade_too_low(w: World) -> Attempt:
    return Attempt(
        INSPECTOR,
        ReportAccident(
            enterprise_id=w.enterprise_id, grade=AccidentGrade.GENERAL, deaths=3, injuries=2, direct_loss_yuan=6_500_000,
            liability=True, description="塔式起重机在顶升加节作业中发生倾覆，造成3人死亡、2人受伤",
        ),
    )  # fmt: skip


def accident_already_listed(w: World) -> Attempt:
    a = report_accident(w, grade="larger", deaths=3, injuries=2, direct_loss_yuan=6_500_000, liability=True)
    w.app.accidents.list_accident(
        OFFICE, a, level=SupervisionLevel.CITY, supervising_body="昆明市安全生产委员会", document_number="昆安委事督〔2023〕9号"
    )
    return Attempt(
        OFFICE,
        ListAccident(
            accident_id=a, level=SupervisionLevel.DISTRICT, supervising_body="昆明市呈贡区安全生产委员会",
            document_number="呈安委事督〔2023〕5号",
        ),
    )  # fmt: skip


def investigation_already_concluded(w: World) -> Attempt:
    a = report_accident(w)
    w.app.accidents.conclude_investigation(OFFICE, a, liability=True, responsible_persons=["张总"])
    return Attempt(OFFICE, ConcludeInvestigation(accident_id=a, liability=False, responsible_persons=[]))


def problem_already_rectified(w: World) -> Attempt:
    p = identify_problem(w)
    w.app.risks.rectify_problem(INSPECTOR, p, note="已完成整改并复查")
    return Attempt(INSPECTOR, AdoptRootCauseMeasure(problem_id=p, measure="推动企业建立特殊作业专职监护人制度"))


CATALOGUE_OF_REFUSALS: list[tuple[str, str, Callable[[World], Attempt]]] = [
    ("plan_incomplete", "重大事故隐患整改方案未落实整改资金和应急预案即报送", plan_incomplete),
    ("evidence_digest_mismatch", "上传整改照片时填写的SHA-256与文件内容不符", evidence_digest_mismatch),
    ("evidence_too_large", "上传超过大小限制的整改现场视频", evidence_too_large),
    ("occurred_out_of_order", "补录整改进展时把日期误填为发现隐患之前", occurred_out_of_order),
    ("version_conflict", "两名企业人员同时编辑同一隐患，后提交者的版本已过期", version_conflict),
    ("deadline_not_passed", "整改期限未到，区安委办即登记重大事故隐患逾期", deadline_not_passed),
    ("invalid_value", "登记（更正）逾期情况时填写的日期不是该隐患的整改期限", not_a_deadline),
    ("invalid_value", "更正逾期情况未说明依据", miss_without_reason),
    ("role_not_allowed", "执法人员自行登记隐患逾期（只由区安委办登记或更正）", miss_recorded_by_an_inspector),
    ("invalid_transition", "尚未报送整改方案的隐患被登记逾期", miss_recorded_before_a_plan),
    ("deadline_in_past", "批准延期时把新的整改期限误填为已过去的日期", deadline_in_past),
    ("hazard_not_verified", "重大事故隐患整改完成后未经验收即申请销号", hazard_not_verified),
    ("hazard_not_listed", "对未挂牌督办的隐患办理摘牌", hazard_not_listed),
    ("hazard_already_listed", "已由区级挂牌督办的隐患被再次挂牌", hazard_already_listed),
    ("hazard_listed", "挂牌督办的隐患验收后未摘牌即申请销号", hazard_listed),
    ("already_reported", "企业安全管理人员重复向监管部门报告同一重大事故隐患", already_reported),
    ("not_major", "把一般事故隐患按重大事故隐患向监管部门报告", not_major),
    ("invalid_transition", "未制定整改方案即申报整改完成", invalid_transition),
    ("verifier_is_claimer", "主要负责人申报整改完成后以执法人员身份验收", verifier_is_claimer),
    ("hazard_closed", "已销号的隐患又补录整改进展", hazard_closed),
    ("hazard_voided", "已作废的隐患又报送整改方案", hazard_voided),
    ("enterprise_exists", "同一统一社会信用代码的企业被重复登记", enterprise_exists),
    ("invalid_credit_code", "登记企业时统一社会信用代码校验码录错", invalid_credit_code),
    ("case_exists", "另一名执法人员以已立案的案号重复立案", case_exists),
    ("dual_penalty_required", "重大事故隐患逾期未整改仍只处罚企业（未对主要负责人“一案双罚”）", dual_penalty_required),
    ("already_suspended", "停产整顿期间再次下达停产整顿决定", already_suspended),
    ("suspension_in_force", "停产整顿尚未解除即申请结案", suspension_in_force),
    ("dual_penalty_required", "发生生产安全事故的案件只对企业作出罚款决定", accident_dual_penalty_required),
    ("duplicate_decision_number", "对安全管理人员的处罚决定书沿用了“一案双罚”决定书的文号", duplicate_decision_number),
    ("penalty_exempt", "对企业自查发现、及时报告并正在有效整改的重大事故隐患作出罚款决定", penalty_exempt),
    ("cited_hazard_open", "所涉重大事故隐患仍在整改，结案时未说明理由", cited_major_open),
    ("cited_hazard_open", "所涉隐患仍未整改，结案时未说明理由", cited_hazard_open),
    ("cited_majors_unverified", "所涉重大事故隐患尚未验收即申请复产验收", cited_majors_unverified),
    ("no_suspension", "未责令停产整顿的案件办理复产验收", no_suspension),
    ("not_repeat_offender", "隐患存在未满规定天数、仅处罚一次即建议提请关闭", not_repeat_offender),
    ("already_recommended", "已标记建议提请关闭的案件再次提出建议", already_recommended),
    ("closure_not_requested", "未经提请即登记关闭取缔决定", closure_not_requested),
    ("closure_already_requested", "已提请关闭的企业再次提请关闭", closure_already_requested),
    ("closure_not_ordered", "企业未被关闭取缔即对主要负责人实施行业禁入", closure_not_ordered),
    ("closure_already_ordered", "已关闭取缔的企业再次登记关闭取缔决定", closure_already_ordered),
    ("licence_revoked", "已吊销的经营许可证再次吊销", licence_revoked),
    ("invalid_value", "罚款金额误录为负数", negative_fine),
    ("invalid_value", "移送司法机关时未列明移送人员", transfer_nobody),
    ("case_closed", "对已结案的案件追加罚款决定", case_closed),
    ("already_published", "同一案件再次公布为典型执法案例", already_published),
    ("outside_scope", "其他部门执法人员对不属其监管行业的企业立案", outside_scope),
    ("role_not_allowed", "企业主要负责人自行办理挂牌督办隐患摘牌", role_not_allowed),
    ("role_not_allowed", "以系统身份提出建议提请关闭（该建议由规则推导，只由执法人员登记）", closure_recommended_by_the_system),
    ("role_not_allowed", "以系统身份提出分级警示（警示建议由规则推导，只由区安委办提出）", warning_proposed_by_the_system),
    # inspections and spot checks
    ("deficiency_already_recorded", "抽查记录重复登记同一问题", deficiency_already_recorded),
    ("deficiencies_contradiction", "抽查记录已登记问题后又勾选“未发现问题”", deficiencies_contradiction),
    ("not_a_spot_check", "在常规部门检查上登记企业自查自改问题", not_a_spot_check),
    ("finding_item_out_of_scope", "检查记录登记了检查表范围以外的检查项", finding_item_out_of_scope),
    ("finding_empty", "检查发现既未列明隐患，也未注明“未发现重大事故隐患”", finding_empty),
    ("finding_hazard_mismatch", "检查发现引用了另一次检查发现的隐患", finding_hazard_mismatch),
    ("inspection_signed", "检查人员已签名后又补录检查发现", inspection_signed),
    ("already_signed", "检查人员对同一检查记录重复签名", already_signed),
    ("not_an_inspector", "未参加检查的执法人员在检查记录上签名", not_an_inspector),
    # accidents and outstanding problems
    ("accident_grade_too_low", "造成3人死亡的塔吊倾覆事故被按“一般事故”上报", accident_grade_too_low),
    ("accident_already_listed", "市级已挂牌督办的较大事故，区级再次挂牌督办", accident_already_listed),
    ("investigation_already_concluded", "已作出调查结论的事故再次登记调查结论", investigation_already_concluded),
    ("problem_already_rectified", "突出问题已整改销号后又补录治本措施", problem_already_rectified),
]


@pytest.mark.parametrize(("code", "description", "scenario"), CATALOGUE_OF_REFUSALS, ids=[c[0] for c in CATALOGUE_OF_REFUSALS])
def test_refused_with_its_stable_code_and_nothing_appended(code: str, description: str, scenario: Callable[[World], Attempt]):
    world = new_world()
    attempt = scenario(world)
    total = world.total_events()
    with pytest.raises(DomainError) as info:
        world.app.execute(attempt.actor, attempt.command, expected_version=attempt.expected_version)
    assert info.value.code == code, f"{description}: expected {code}, got {info.value.code}: {info.value}"
    assert world.total_events() == total


# Every rule code of the hazard lifecycle, inspections and enforcement that a command can meet
# (``plan_already_filed`` and ``no_deadline`` cannot be reached through the public commands: a second
# plan is an ``invalid_transition``, and every filed plan has a deadline), and more.
RULE_CODES = {
    # hazards
    "invalid_transition", "hazard_not_verified", "hazard_listed", "hazard_not_listed", "hazard_already_listed",
    "hazard_closed", "hazard_voided", "not_major", "already_reported", "plan_incomplete", "deadline_in_past",
    "deadline_not_passed", "verifier_is_claimer", "occurred_out_of_order",
    "evidence_digest_mismatch", "evidence_too_large",
    # inspections and spot checks
    "inspection_signed", "already_signed", "not_an_inspector", "finding_item_out_of_scope", "finding_hazard_mismatch",
    "finding_empty", "not_a_spot_check", "deficiency_already_recorded", "deficiencies_contradiction",
    # enforcement
    "case_exists", "case_closed", "duplicate_decision_number", "penalty_exempt", "dual_penalty_required",
    "not_repeat_offender", "already_recommended", "cited_hazard_open", "cited_majors_unverified", "already_suspended",
    "no_suspension", "suspension_in_force", "licence_revoked", "closure_already_requested", "closure_not_requested",
    "closure_already_ordered", "closure_not_ordered", "already_published", "invalid_value",
    # accidents, problems, enterprises, access, concurrency
    "accident_grade_too_low", "accident_already_listed", "investigation_already_concluded", "problem_already_rectified",
    "enterprise_exists", "invalid_credit_code", "role_not_allowed", "outside_scope", "version_conflict",
}  # fmt: skip


def test_the_catalogue_covers_every_rule_with_a_chinese_description_each() -> None:
    codes = [code for code, _, _ in CATALOGUE_OF_REFUSALS]
    assert set(codes) == RULE_CODES
    assert set(codes) <= set(CATALOGUE)
    descriptions = [d for _, d, _ in CATALOGUE_OF_REFUSALS]
    assert all(d and not d.isascii() for d in descriptions)
    assert len(set(descriptions)) == len(descriptions)
    assert Counter(codes)["dual_penalty_required"] == 2 and Counter(codes)["cited_hazard_open"] == 2
    assert Counter(codes)["role_not_allowed"] == 4  # the principal, an inspector, and the system twice
    invalid = [d for c, d, _ in CATALOGUE_OF_REFUSALS if c == "invalid_value"]
    assert any("负数" in d for d in invalid) and any("移送" in d for d in invalid)
