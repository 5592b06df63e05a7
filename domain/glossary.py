"""The domain's vocabulary: code names (English snake_case) and the exact Chinese labels shown to users.

One place for every term, following ``shared/reference/glossary.csv``: code, events and the forms
speak one language. Outputs (CLI, API labels, annex headers) take their Chinese text from here.
"""

from __future__ import annotations

from enum import StrEnum


class Labelled(StrEnum):
    """A vocabulary term whose members carry their Chinese label."""

    @property
    def zh(self) -> str:
        return _ZH[(type(self), self.value)]


class Grade(Labelled):
    """隐患等级."""

    MAJOR = "major"
    GENERAL = "general"


class HazardSource(Labelled):
    """隐患来源."""

    SELF_INSPECTION = "self_inspection"
    DEPARTMENT_INSPECTION = "department_inspection"
    SUPERVISION = "supervision"
    TIP_OFF = "tip_off"
    ACCIDENT_INVESTIGATION = "accident_investigation"


class HazardState(Labelled):
    """隐患状态 (闭环管理: find → fix → verify → close)."""

    REPORTED = "reported"
    RECTIFYING = "rectifying"
    PENDING_VERIFICATION = "pending_verification"
    VERIFIED = "verified"
    CLOSED = "closed"
    VOIDED = "voided"


class SupervisionLevel(Labelled):
    """挂牌督办 level: the government that lists the hazard."""

    DISTRICT = "district"
    CITY = "city"
    PROVINCE = "province"


class Stoppage(Labelled):
    """停产停业 required while rectifying."""

    NONE = "none"
    PARTIAL = "partial"
    FULL = "full"


class Assessor(Labelled):
    """Who assessed a rectification at verification (评估/验收)."""

    ENTERPRISE = "enterprise"
    EXPERTS = "experts"
    GOVERNMENT = "government"


class InspectionKind(Labelled):
    """检查类型."""

    DEPARTMENT = "department"
    SELF_INSPECTION = "self_inspection"
    SPOT_CHECK = "spot_check"
    SUPERVISION_VISIT = "supervision_visit"


class InspectionMethod(Labelled):
    """检查方式."""

    ROUTINE = "routine"
    UNANNOUNCED = "unannounced"
    OPEN_AND_COVERT = "open_and_covert"
    CROSS_REGION = "cross_region"
    CROSS_INSPECTION = "cross_inspection"


class Role(Labelled):
    """The acting person's role."""

    ENTERPRISE_STAFF = "enterprise_staff"
    PRINCIPAL = "principal"
    INSPECTOR = "inspector"
    STREET_OFFICER = "street_officer"
    COMMITTEE_OFFICE = "committee_office"
    EXPERT = "expert"
    AUDITOR = "auditor"
    ADMIN = "admin"  # manages user accounts and API keys; acts on no record (domain/access.py)
    SYSTEM = "system"


class OrgKind(Labelled):
    """The kind of organisation an actor belongs to."""

    ENTERPRISE = "enterprise"
    DEPARTMENT = "department"
    STREET = "street"
    ZONE = "zone"
    COMMITTEE_OFFICE = "committee_office"
    EXPERT_BODY = "expert_body"
    AUDIT_BODY = "audit_body"
    SYSTEM = "system"


class SignatureMeaning(Labelled):
    """What a personal signature attests."""

    INSPECTOR = "inspector"
    VERIFIER = "verifier"
    # signatures: every signed act (domain/signatures.py ACT_MEANINGS)
    CLOSER = "closer"
    DECIDER = "decider"
    SUBMITTER = "submitter"
    CONFIRMER = "confirmer"


# enforcement (执法案件, publication batches)
class CaseState(Labelled):
    """执法案件状态."""

    OPEN = "open"
    CLOSED = "closed"


class PenaltyTarget(Labelled):
    """Who a single-target penalty decision (行政处罚决定) is against."""

    ENTERPRISE = "enterprise"
    PERSON = "person"


class LicenceAction(Labelled):
    """暂扣吊销证照."""

    SUSPEND = "suspend"
    REVOKE = "revoke"


class BatchKind(Labelled):
    """The plan's periodic batches: 通报一批、约谈一批、联合惩戒一批、停产整顿一批."""

    NOTICE = "notice"
    INTERVIEW = "interview"
    JOINT_PUNISHMENT = "joint_punishment"
    SUSPENSION = "suspension"


# end enforcement


# accidents, risk points, outstanding problems, work logs, spot checks
class AccidentGrade(Labelled):
    """生产安全事故等级 (《生产安全事故报告和调查处理条例》第三条)."""

    GENERAL = "general"
    LARGER = "larger"
    MAJOR = "major"
    ESPECIALLY_MAJOR = "especially_major"


class RiskList(Labelled):
    """The four lists of a major risk point (Annex 3 "4个清单"), in the form's order."""

    BASIC_INFO = "basic_info"
    RESPONSIBILITY = "responsibility"
    CONTROL_MEASURES = "control_measures"
    EMERGENCY = "emergency"


class GovernmentMeasure(Labelled):
    """属地政府或监管部门采取的监管措施 (Annex 3, list 三): exactly the form's eight choices."""

    LISTED_FOR_SUPERVISION = "listed_for_supervision"
    ISOLATE_HAZARD_SOURCE = "isolate_hazard_source"
    REDUCE_PERSONNEL = "reduce_personnel"
    CLEAR_EVACUATION = "clear_evacuation"
    REMEDIATE_OR_DEMOLISH = "remediate_or_demolish"
    PHASE_OUT_OR_CLOSE = "phase_out_or_close"
    SUSPEND_OPERATIONS = "suspend_operations"
    MARKET_BAN = "market_ban"


class ProblemState(Labelled):
    """突出问题状态."""

    IDENTIFIED = "identified"
    RECTIFIED = "rectified"


class ActivityKind(Labelled):
    """Typed activities of a reporting unit's work log (Annex 1 / Annex 2 items not derived from other events)."""

    STUDY_SESSION = "study_session"
    LEADERSHIP_RESEARCH = "leadership_research"
    SITE_SUPERVISION = "site_supervision"
    LECTURE = "lecture"
    TIPOFF_REWARD = "tipoff_reward"
    MEDIA_COLUMN = "media_column"
    TECHNICAL_INSPECTORS = "technical_inspectors"
    ASSESSMENT_PATROL = "assessment_patrol"
    GUIDANCE_COUNTY = "guidance_county"
    GUIDANCE_ENTERPRISE = "guidance_enterprise"
    SUPERVISION_TEAM = "supervision_team"
    EXPERT_SERVICE = "expert_service"
    ENTERPRISE_SERVED = "enterprise_served"


class SpotCheckDeficiency(Labelled):
    """Deficiencies a spot check (抽查检查) of enterprise self-inspection may find: Annex 1 section 2,
    rows 2–8, in the form's order."""

    PRINCIPAL_NOT_STUDYING = "principal_not_studying"
    PRINCIPAL_NOT_LEADING_INSPECTION = "principal_not_leading_inspection"
    NO_DEPUTY_DUTY_LIST = "no_deputy_duty_list"
    NO_SAFETY_ORGANISATION_OR_STAFF = "no_safety_organisation_or_staff"
    UNCERTIFIED_SPECIAL_OPERATIONS = "uncertified_special_operations"
    OUTSOURCING_LEASING_DISORDER = "outsourcing_leasing_disorder"
    NO_DRILLS_OR_EXITS_UNKNOWN = "no_drills_or_exits_unknown"


# end accidents, risk points, outstanding problems, work logs, spot checks


# warnings (分级警示 of reporting units; 一票否优 / 一票否决)
class WarningLevel(Labelled):
    """分级警示, lowest first (呈贡区行动方案 "6.警示约谈制度")."""

    PROMPT = "prompt"
    NOTICE = "notice"
    ADMONITION = "admonition"
    INTERVIEW = "interview"


class WarningState(Labelled):
    """A warning as the safety committee office decided it."""

    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


class WarningTrigger(Labelled):
    """What a warning was proposed for (domain/warning_rules.py)."""

    PLAN_OVERDUE = "plan_overdue"
    REPORT_MISSED = "report_missed"
    DEADLINE_MISSED = "deadline_missed"
    GENERAL_ACCIDENTS_IN_MONTH = "general_accidents_in_month"
    LARGER_ACCIDENT = "larger_accident"
    QUARTER_UP = "quarter_up"
    REPEATED_WARNINGS = "repeated_warnings"
    MANUAL = "manual"


class VetoGround(Labelled):
    """Why a unit loses its excellence rating (一票否优) or fails its assessment (一票否决)."""

    GENERAL_LIABILITY_ACCIDENT = "general_liability_accident"
    DISTRICT_LISTED_ACCIDENT = "district_listed_accident"
    LARGER_OR_WORSE_ACCIDENT = "larger_or_worse_accident"
    CONSECUTIVE_FATAL_LIABILITY_ACCIDENTS = "consecutive_fatal_liability_accidents"
    CITY_OR_HIGHER_LISTED_ACCIDENT = "city_or_higher_listed_accident"


# end warnings


# reporting calendar
class ReportStatus(Labelled):
    """A due report as of a day (报送日历, domain/reporting_calendar.py)."""

    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    NOT_YET_DUE = "not_yet_due"


class ReportWarning(Labelled):
    """A report read or submitted for a day the calendar does not expect: answered, with a warning."""

    OUTSIDE_CAMPAIGN = "outside_campaign"
    NOT_A_CUT_OFF = "not_a_cut_off"


class ExtensionDecision(Labelled):
    """An enterprise's request to extend its rectification deadline (申请延期), as the supervising unit decided it."""

    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


# my work
class Duty(Labelled):
    """A kind of work waiting for a person on 我的工作 (domain/my_work.py: whose it is)."""

    PLAN_DUE = "plan_due"
    DEADLINE_NEAR = "deadline_near"
    DEADLINE_MISSED = "deadline_missed"
    AWAITING_VERIFICATION = "awaiting_verification"
    AWAITING_CLOSURE = "awaiting_closure"
    LISTING_TO_LIFT = "listing_to_lift"
    WARNING_TO_CONFIRM = "warning_to_confirm"
    SELF_REPORT_DUE = "self_report_due"
    REPORT_DUE = "report_due"


class Kpi(Labelled):
    """The city's three indicators (services.annexes.kpis), by their keys in the KPI answer."""

    DYNAMIC_RECTIFICATION_RATE = "dynamic_rectification_rate"
    MAJORS_PER_THOUSAND_DEPARTMENT_INSPECTIONS = "majors_per_thousand_department_inspections"
    SELF_FOUND_RATE = "self_found_rate"


# end my work


# accident statistics
class AccidentMeasure(Labelled):
    """What accident statistics count (事故统计): per period, sector, street and grade."""

    COUNT = "count"
    DEATHS = "deaths"
    INJURIES = "injuries"
    DIRECT_LOSS = "direct_loss_wan"


class AccidentPeriod(Labelled):
    """The periods of accident statistics, each compared with the same period a year earlier."""

    MONTH = "month"
    YEAR_TO_DATE = "year_to_date"


class Comparison(Labelled):
    """同比 (with the same period last year) and 环比 (with the previous month)."""

    YEAR_ON_YEAR = "year_on_year"
    MONTH_ON_MONTH = "month_on_month"


class AccidentBreakdown(Labelled):
    """The breakdowns of accident statistics."""

    SECTOR = "sector"
    STREET = "street"
    GRADE = "grade"


# end accident statistics


# registers (the lists of GET /cases, /inspections, … and `hazard-ledger <register> list`)
class Register(Labelled):
    """A register (台账) that can be listed with filters, paging and sorting."""

    CASES = "cases"
    INSPECTIONS = "inspections"
    ACCIDENTS = "accidents"
    RISK_POINTS = "risk_points"
    PROBLEMS = "problems"
    ENTERPRISES = "enterprises"


# end registers


# official documents (文书): issued from the records' events, numbered per unit, kind and year (domain/document.py)
class DocumentKind(Labelled):
    """A document the district issues (出具文书)."""

    RECTIFICATION_ORDER = "rectification_order"
    SUPERVISION_NOTICE = "supervision_notice"
    EXTENSION_OPINION = "extension_opinion"
    ACCEPTANCE_OPINION = "acceptance_opinion"
    CLOSURE_FORM = "closure_form"
    PENALTY_SUMMARY = "penalty_summary"
    PROMPT_LETTER = "prompt_letter"
    NOTICE_LETTER = "notice_letter"
    ADMONITION_LETTER = "admonition_letter"
    INTERVIEW_NOTICE = "interview_notice"


class DeliveryMethod(Labelled):
    """送达方式."""

    IN_PERSON = "in_person"
    POST = "post"
    LEFT_AT_PREMISES = "left_at_premises"
    ELECTRONIC = "electronic"
    ENTRUSTED = "entrusted"


# The word of each kind in its number (文号): 呈应急隐改〔2023〕7号.
DOCUMENT_NUMBER_WORDS: dict[DocumentKind, str] = {
    DocumentKind.RECTIFICATION_ORDER: "隐改",
    DocumentKind.SUPERVISION_NOTICE: "督办",
    DocumentKind.EXTENSION_OPINION: "延审",
    DocumentKind.ACCEPTANCE_OPINION: "复查",
    DocumentKind.CLOSURE_FORM: "销号",
    DocumentKind.PENALTY_SUMMARY: "罚决",
    DocumentKind.PROMPT_LETTER: "提示",
    DocumentKind.NOTICE_LETTER: "告知",
    DocumentKind.ADMONITION_LETTER: "告诫",
    DocumentKind.INTERVIEW_NOTICE: "约谈",
}

# The issuing unit's prefix in a number (机关代字); a unit not named here uses 呈 and its name without 区.
DOCUMENT_PREFIXES: dict[str, str] = {
    "ajb": "呈安委办", "yjj": "呈应急", "jtj": "呈交运", "zjj": "呈住建", "nyj": "呈农", "wjj": "呈卫健",
    "fgj": "呈发改", "swj": "呈商投", "cgj": "呈城管", "scj": "呈市监", "wlj": "呈文旅", "slj": "呈水",
    "xfj": "呈消", "kgj": "呈科工信", "zrj": "呈自然资源", "jjdd": "呈交警", "gafj": "呈公", "ygj": "呈运管",
    "szkfq": "数开管", "longcheng": "龙城", "wulong": "乌龙", "luoyang": "洛羊", "dayu": "大渔", "wujiaying": "吴家营",
}  # fmt: skip


# end official documents


# The warnings' messages ({day}, {start}, {end}, {annex}, {cut_offs}: filled in by domain/reporting_calendar.py).
REPORT_WARNING_MESSAGES: dict[ReportWarning, tuple[str, str]] = {
    ReportWarning.OUTSIDE_CAMPAIGN: (
        "{day} 不在专项行动期间（{start} 至 {end}），报表数据仅供参考",
        "{day} lies outside the campaign ({start} to {end}): the figures are for reference only",
    ),
    ReportWarning.NOT_A_CUT_OFF: (
        "{day} 不是 {annex} 的报送截止日期（临近的截止日期：{cut_offs}），不计入任何一期报送",
        "{day} is not a cut-off date of {annex} (the nearest: {cut_offs}); this submission counts for no due report",
    ),
}
# end reporting calendar


# Keyed by (class, value): StrEnum members compare and hash as their string, so Role.INSPECTOR and
# SignatureMeaning.INSPECTOR would otherwise share one entry.
_ZH_PAIRS: list[tuple[StrEnum, str]] = [
    (Grade.MAJOR, "重大事故隐患"),
    (Grade.GENERAL, "一般事故隐患"),
    (HazardSource.SELF_INSPECTION, "企业自查"),
    (HazardSource.DEPARTMENT_INSPECTION, "部门检查"),
    (HazardSource.SUPERVISION, "督导检查"),
    (HazardSource.TIP_OFF, "举报"),
    (HazardSource.ACCIDENT_INVESTIGATION, "事故调查"),
    (HazardState.REPORTED, "已上报待整改"),
    (HazardState.RECTIFYING, "整改中"),
    (HazardState.PENDING_VERIFICATION, "待验收"),
    (HazardState.VERIFIED, "已验收"),
    (HazardState.CLOSED, "已销号"),
    (HazardState.VOIDED, "已作废"),
    (SupervisionLevel.DISTRICT, "区级挂牌督办"),
    (SupervisionLevel.CITY, "市级挂牌督办"),
    (SupervisionLevel.PROVINCE, "省级挂牌督办"),
    (Stoppage.NONE, "无需停产停业"),
    (Stoppage.PARTIAL, "局部停产停业"),
    (Stoppage.FULL, "全部停产停业"),
    (Assessor.ENTERPRISE, "企业"),
    (Assessor.EXPERTS, "专家"),
    (Assessor.GOVERNMENT, "政府"),
    (InspectionKind.DEPARTMENT, "部门检查"),
    (InspectionKind.SELF_INSPECTION, "企业自查（主要负责人带队）"),
    (InspectionKind.SPOT_CHECK, "抽查检查"),
    (InspectionKind.SUPERVISION_VISIT, "督导检查"),
    (InspectionMethod.ROUTINE, "常规检查"),
    (InspectionMethod.UNANNOUNCED, "四不两直"),
    (InspectionMethod.OPEN_AND_COVERT, "明查暗访"),
    (InspectionMethod.CROSS_REGION, "异地执法"),
    (InspectionMethod.CROSS_INSPECTION, "交叉互检"),
    (Role.ENTERPRISE_STAFF, "企业安全管理人员"),
    (Role.PRINCIPAL, "企业主要负责人"),
    (Role.INSPECTOR, "执法人员"),
    (Role.STREET_OFFICER, "属地监管人员"),
    (Role.COMMITTEE_OFFICE, "区安委办"),
    (Role.EXPERT, "专家"),
    (Role.AUDITOR, "审计人员"),
    (Role.ADMIN, "系统管理员"),
    (Role.SYSTEM, "系统（自动）"),
    (OrgKind.ENTERPRISE, "生产经营单位"),
    (OrgKind.DEPARTMENT, "负有安全监管职责部门"),
    (OrgKind.STREET, "街道"),
    (OrgKind.ZONE, "开发区管委会"),
    (OrgKind.COMMITTEE_OFFICE, "区安委办"),
    (OrgKind.EXPERT_BODY, "专家/技术服务机构"),
    (OrgKind.AUDIT_BODY, "审计/纪检"),
    (OrgKind.SYSTEM, "系统"),
    (SignatureMeaning.INSPECTOR, "检查人签名"),
    (SignatureMeaning.VERIFIER, "验收签名"),
    # signatures
    (SignatureMeaning.CLOSER, "销号签名"),
    (SignatureMeaning.DECIDER, "处罚决定签名"),
    (SignatureMeaning.SUBMITTER, "报送签名"),
    (SignatureMeaning.CONFIRMER, "确认签名"),
    # end signatures
    # accidents, risk points, outstanding problems, work logs, spot checks
    (AccidentGrade.GENERAL, "一般事故"),
    (AccidentGrade.LARGER, "较大事故"),
    (AccidentGrade.MAJOR, "重大事故"),
    (AccidentGrade.ESPECIALLY_MAJOR, "特别重大事故"),
    (RiskList.BASIC_INFO, "重大风险基础信息清单"),
    (RiskList.RESPONSIBILITY, "责任分工信息清单"),
    (RiskList.CONTROL_MEASURES, "防控措施清单"),
    (RiskList.EMERGENCY, "应急处置清单"),
    (GovernmentMeasure.LISTED_FOR_SUPERVISION, "挂牌督办"),
    (GovernmentMeasure.ISOLATE_HAZARD_SOURCE, "隔离危险源"),
    (GovernmentMeasure.REDUCE_PERSONNEL, "减员减人"),
    (GovernmentMeasure.CLEAR_EVACUATION, "畅通疏散"),
    (GovernmentMeasure.REMEDIATE_OR_DEMOLISH, "整治拆除"),
    (GovernmentMeasure.PHASE_OUT_OR_CLOSE, "淘汰关闭"),
    (GovernmentMeasure.SUSPEND_OPERATIONS, "停产停业"),
    (GovernmentMeasure.MARKET_BAN, "市场禁入"),
    (ProblemState.IDENTIFIED, "待整改"),
    (ProblemState.RECTIFIED, "已整改"),
    (ActivityKind.STUDY_SESSION, "党委政府分别组织专题学习安全生产十五条硬措施"),
    (ActivityKind.LEADERSHIP_RESEARCH, "党委政府主要负责同志分别专题研究"),
    (ActivityKind.SITE_SUPERVISION, "市、县政府负责同志分别现场督导检查"),
    (ActivityKind.LECTURE, "市、县安委会成员单位负责同志分别到企业宣讲"),
    (ActivityKind.TIPOFF_REWARD, "举报奖励"),
    (ActivityKind.MEDIA_COLUMN, "是否在市级主流媒体播放安全生产专题栏目"),
    (ActivityKind.TECHNICAL_INSPECTORS, "市、县本级配备专兼职技术检查员数量"),
    (ActivityKind.ASSESSMENT_PATROL, "组织开展考核巡查、督导检查"),
    (ActivityKind.GUIDANCE_COUNTY, "帮扶指导重点县"),
    (ActivityKind.GUIDANCE_ENTERPRISE, "帮扶指导重点企业"),
    (ActivityKind.SUPERVISION_TEAM, "派出督导组"),
    (ActivityKind.EXPERT_SERVICE, "组织专家技术服务"),
    (ActivityKind.ENTERPRISE_SERVED, "检查服务企业单位"),
    (SpotCheckDeficiency.PRINCIPAL_NOT_STUDYING, "企业主要负责人未按要求亲自研究排查整治工作"),
    (SpotCheckDeficiency.PRINCIPAL_NOT_LEADING_INSPECTION, "企业主要负责人未带队检查"),
    (SpotCheckDeficiency.NO_DEPUTY_DUTY_LIST, "企业未制定分管负责人职责清单"),
    (SpotCheckDeficiency.NO_SAFETY_ORGANISATION_OR_STAFF, "企业未依法建立安全管理机构和配足安全管理人员"),
    (SpotCheckDeficiency.UNCERTIFIED_SPECIAL_OPERATIONS, "电焊等特种作业岗位人员无证上岗作业"),
    (SpotCheckDeficiency.OUTSOURCING_LEASING_DISORDER, "外包外租安全管理混乱"),
    (SpotCheckDeficiency.NO_DRILLS_OR_EXITS_UNKNOWN, "未按规定开展应急演练、员工不熟悉逃生出口"),
    # end accidents, risk points, outstanding problems, work logs, spot checks
    # enforcement
    (CaseState.OPEN, "办理中"),
    (CaseState.CLOSED, "已结案"),
    (PenaltyTarget.ENTERPRISE, "生产经营单位"),
    (PenaltyTarget.PERSON, "个人"),
    (LicenceAction.SUSPEND, "暂扣"),
    (LicenceAction.REVOKE, "吊销"),
    (BatchKind.NOTICE, "通报"),
    (BatchKind.INTERVIEW, "约谈"),
    (BatchKind.JOINT_PUNISHMENT, "联合惩戒"),
    (BatchKind.SUSPENSION, "停产整顿"),
    # end enforcement
    # warnings
    (WarningLevel.PROMPT, "提示"),
    (WarningLevel.NOTICE, "告知"),
    (WarningLevel.ADMONITION, "告诫"),
    (WarningLevel.INTERVIEW, "约谈"),
    (WarningState.PROPOSED, "待确认"),
    (WarningState.CONFIRMED, "已确认"),
    (WarningState.DISMISSED, "不予警示"),
    (WarningTrigger.PLAN_OVERDUE, "重大事故隐患逾期未制定整改方案（未严格履职）"),
    (WarningTrigger.REPORT_MISSED, "未按时报送工作进展和数据（未严格履职）"),
    (WarningTrigger.DEADLINE_MISSED, "重大事故隐患逾期未整改（整改不到位）"),
    (WarningTrigger.GENERAL_ACCIDENTS_IN_MONTH, "1个月内发生2起及以上一般生产安全事故"),
    (WarningTrigger.LARGER_ACCIDENT, "专项行动期间发生较大及以上生产安全事故"),
    (WarningTrigger.QUARTER_UP, "季度事故总量同比上升"),
    (WarningTrigger.REPEATED_WARNINGS, "多次警示后问题依然存在"),
    (WarningTrigger.MANUAL, "区安委办提出"),
    (VetoGround.GENERAL_LIABILITY_ACCIDENT, "发生一般生产安全责任事故"),
    (VetoGround.DISTRICT_LISTED_ACCIDENT, "被区安委会挂牌督办的事故"),
    (VetoGround.LARGER_OR_WORSE_ACCIDENT, "发生较大及以上生产安全事故"),
    (VetoGround.CONSECUTIVE_FATAL_LIABILITY_ACCIDENTS, "连续发生2起亡人责任事故"),
    (VetoGround.CITY_OR_HIGHER_LISTED_ACCIDENT, "被市级以上挂牌督办的事故"),
    # end warnings
    # reporting calendar
    (ReportStatus.ON_TIME, "按时报送"),
    (ReportStatus.LATE, "逾期报送"),
    (ReportStatus.MISSING, "未报送"),
    (ReportStatus.NOT_YET_DUE, "未到报送期限"),
    (ReportWarning.OUTSIDE_CAMPAIGN, "不在专项行动期间"),
    (ReportWarning.NOT_A_CUT_OFF, "不是报送截止日期"),
    # end reporting calendar
    # my work
    (Duty.PLAN_DUE, "待制定整改方案"),
    (Duty.DEADLINE_NEAR, "整改期限临近"),
    (Duty.DEADLINE_MISSED, "已逾期未整改"),
    (Duty.AWAITING_VERIFICATION, "整改完成待验收"),
    (Duty.AWAITING_CLOSURE, "验收通过待销号"),
    (Duty.LISTING_TO_LIFT, "挂牌督办待摘牌"),
    (Duty.WARNING_TO_CONFIRM, "分级警示待确认"),
    (Duty.SELF_REPORT_DUE, "自查重大事故隐患待报告监管部门"),
    (Duty.REPORT_DUE, "待报送报表"),
    (Kpi.DYNAMIC_RECTIFICATION_RATE, "重大事故隐患动态整改率"),
    (Kpi.MAJORS_PER_THOUSAND_DEPARTMENT_INSPECTIONS, "部门每千次检查发现重大事故隐患数"),
    (Kpi.SELF_FOUND_RATE, "企业自查发现重大事故隐患率"),
    # end my work
    # accident statistics
    (AccidentMeasure.COUNT, "起数"),
    (AccidentMeasure.DEATHS, "死亡人数"),
    (AccidentMeasure.INJURIES, "受伤人数"),
    (AccidentMeasure.DIRECT_LOSS, "直接经济损失（万元）"),
    (AccidentPeriod.MONTH, "本月"),
    (AccidentPeriod.YEAR_TO_DATE, "本年累计"),
    (Comparison.YEAR_ON_YEAR, "同比"),
    (Comparison.MONTH_ON_MONTH, "环比"),
    (AccidentBreakdown.SECTOR, "行业领域"),
    (AccidentBreakdown.STREET, "街道"),
    (AccidentBreakdown.GRADE, "事故等级"),
    # end accident statistics
    (ExtensionDecision.PENDING, "待审批"),
    (ExtensionDecision.APPROVED, "批准延期"),
    (ExtensionDecision.REFUSED, "不予延期"),
    (Register.CASES, "执法案件台账"),
    (Register.INSPECTIONS, "检查记录台账"),
    (Register.ACCIDENTS, "生产安全事故台账"),
    (Register.RISK_POINTS, "重大安全风险台账"),
    (Register.PROBLEMS, "突出问题台账"),
    (Register.ENTERPRISES, "生产经营单位台账"),
    # end registers
    (DocumentKind.RECTIFICATION_ORDER, "责令限期整改指令书"),
    (DocumentKind.SUPERVISION_NOTICE, "重大事故隐患挂牌督办通知书"),
    (DocumentKind.EXTENSION_OPINION, "延期审批意见书"),
    (DocumentKind.ACCEPTANCE_OPINION, "整改复查（验收）意见书"),
    (DocumentKind.CLOSURE_FORM, "重大事故隐患销号审批表"),
    (DocumentKind.PENALTY_SUMMARY, "行政处罚决定书（摘要）"),
    (DocumentKind.PROMPT_LETTER, "工作提示函"),
    (DocumentKind.NOTICE_LETTER, "告知函"),
    (DocumentKind.ADMONITION_LETTER, "告诫函"),
    (DocumentKind.INTERVIEW_NOTICE, "约谈通知书"),
    (DeliveryMethod.IN_PERSON, "直接送达"),
    (DeliveryMethod.POST, "邮寄送达"),
    (DeliveryMethod.LEFT_AT_PREMISES, "留置送达"),
    (DeliveryMethod.ELECTRONIC, "电子送达"),
    (DeliveryMethod.ENTRUSTED, "委托送达"),
    # end official documents
]
_ZH: dict[tuple[type, str], str] = {(type(member), member.value): label for member, label in _ZH_PAIRS}

# Chinese names of events, for timelines and the CLI (`hazard-ledger hazards show`).
EVENT_LABELS: dict[str, str] = {
    "EnterpriseRegistered": "企业登记",
    "PrincipalChanged": "主要负责人变更",
    "InspectionConducted": "开展检查",
    "FindingRecorded": "记录检查发现",
    "InspectionSigned": "检查人签名",
    "HazardReported": "隐患登记",
    "HazardReportedToRegulator": "向负有安全监管职责部门报告",
    "RectificationPlanFiled": "制定整改方案（五落实）",
    "ProgressRecorded": "记录整改进展",
    "EvidenceAttached": "上传佐证材料",
    "ListedForSupervision": "挂牌督办",
    "SupervisionLifted": "摘牌",
    "DeadlineExtended": "整改延期",
    "ExtensionRequested": "申请延期",
    "ExtensionApproved": "批准延期",
    "ExtensionRefused": "不予延期",
    "DeadlineMissed": "逾期未整改（旧版系统标记，现由业务时间推导）",
    "DeadlineMissRecorded": "登记（更正）逾期情况",
    "RectificationCompleted": "整改完成（企业申报）",
    "VerificationPassed": "验收通过",
    "VerificationFailed": "验收不通过",
    "HazardClosed": "销号",
    "HazardVoided": "作废",
    # accidents, risk points, outstanding problems, work logs, spot checks
    "AccidentReported": "生产安全事故登记",
    "AccidentListed": "事故挂牌督办",
    "AccidentInvestigationConcluded": "事故调查结论",
    "RiskPointRegistered": "登记重大安全风险点",
    "BasicInfoListed": "填报重大风险基础信息清单",
    "ResponsibilityListed": "填报责任分工信息清单",
    "ControlMeasuresListed": "填报防控措施清单",
    "EmergencyListed": "填报应急处置清单",
    "ProblemIdentified": "梳理突出问题",
    "RootCauseMeasureAdopted": "落实治本措施",
    "ProblemRectified": "突出问题整改完成",
    "WorkLogOpened": "建立工作情况台账",
    "ActivityRecorded": "记录工作情况",
    "DeficienciesRecorded": "记录抽查发现的问题",
    # end accidents, risk points, outstanding problems, work logs, spot checks
    # enforcement
    "CaseOpened": "立案",
    "PenaltyDecided": "作出行政处罚决定",
    "DualPenaltyImposed": "一案双罚",
    "SuspensionOrdered": "责令停产整顿",
    "SuspensionLifted": "复产验收（解除停产整顿）",
    "LicenceSuspendedOrRevoked": "暂扣吊销证照",
    "ClosureRequested": "提请关闭",
    "ClosureOrdered": "关闭取缔",
    "IndustryBanApplied": "行业禁入",
    "TransferredToJudiciary": "移送司法机关",
    "JointPunishmentApplied": "联合惩戒",
    "EnterpriseInterviewed": "约谈警示",
    "CaseExposed": "曝光",
    "CasePublishedAsTypical": "公布典型执法案例",
    "ClosureRecommended": "建议提请关闭（屡罚不改）",
    "CaseClosed": "结案",
    "BatchPublished": "分批公布",
    # end enforcement
    # warnings
    "WarningProposed": "提出分级警示",
    "WarningConfirmed": "确认分级警示",
    "WarningDismissed": "不予警示",
    # end warnings
    # report submissions
    "ReportSubmitted": "报送报表",
    # end report submissions
    # signatures (key registry)
    "KeyEnrolled": "登记签名密钥",
    "KeyRevoked": "撤销签名密钥",
    # end signatures
    # accountability
    "AccountabilityPursued": "责任倒查、追责问责",
    # end accountability
    # official documents
    "DocumentNumberingOpened": "建立文号序列",
    "DocumentNumberAssigned": "编定文号",
    "DocumentIssued": "出具文书",
    "DocumentDelivered": "送达文书",
    "DocumentReceived": "签收文书",
    # end official documents
    "LedgerImported": "导入隐患台账",
}

# The five elements of a rectification plan (五落实), in the order the plan lists them.
FIVE_ELEMENTS_ZH: dict[str, str] = {
    "responsible_person": "责任人",
    "measures": "整改措施",
    "funds_yuan": "整改资金",
    "deadline": "整改期限",
    "contingency_plan": "应急预案",
}

# Actions, as named in error messages ("不能{action_zh}").
ACTION_LABELS: dict[str, str] = {
    "report_to_regulator": "向监管部门报告",
    "file_plan": "制定整改方案",
    "record_progress": "记录整改进展",
    "attach_evidence": "上传佐证材料",
    "list_for_supervision": "挂牌督办",
    "lift_supervision": "摘牌",
    "extend_deadline": "延期",
    "request_extension": "申请延期",
    "approve_extension": "批准延期",
    "refuse_extension": "不予延期",
    "record_deadline_miss": "登记（更正）逾期情况",
    "complete_rectification": "申报整改完成",
    "verify": "验收",
    "close": "销号",
    "void": "作废",
    "report_hazard": "登记隐患",
    "conduct_inspection": "登记检查",
    "record_finding": "记录检查发现",
    "sign_inspection": "签名",
    "register_enterprise": "登记企业",
    "import_ledger": "导入隐患台账",
    "change_principal": "变更主要负责人",
    # accidents, risk points, outstanding problems, work logs, spot checks
    "report_accident": "登记生产安全事故",
    "list_accident": "对事故挂牌督办",
    "conclude_investigation": "登记事故调查结论",
    "register_risk_point": "登记重大安全风险点",
    "list_basic_info": "填报重大风险基础信息清单",
    "list_responsibility": "填报责任分工信息清单",
    "list_control_measures": "填报防控措施清单",
    "list_emergency": "填报应急处置清单",
    "identify_problem": "梳理突出问题",
    "adopt_root_cause_measure": "落实治本措施",
    "rectify_problem": "整改突出问题",
    "record_activity": "记录工作情况",
    "record_deficiencies": "记录抽查发现的问题",
    # end accidents, risk points, outstanding problems, work logs, spot checks
    # enforcement
    "open_case": "立案",
    "decide_penalty": "作出行政处罚决定",
    "impose_dual_penalty": "实行一案双罚",
    "order_suspension": "责令停产整顿",
    "lift_suspension": "复产验收",
    "suspend_or_revoke_licence": "暂扣吊销证照",
    "request_closure": "提请关闭",
    "order_closure": "关闭取缔",
    "apply_industry_ban": "落实行业禁入",
    "transfer_to_judiciary": "移送司法机关",
    "apply_joint_punishment": "实施联合惩戒",
    "interview_enterprise": "约谈警示",
    "expose_case": "曝光",
    "publish_as_typical": "公布典型执法案例",
    "recommend_closure": "建议提请关闭",
    "close_case": "结案",
    "publish_batch": "分批公布",
    # end enforcement
    # warnings
    "propose_warning": "提出分级警示",
    "confirm_warning": "确认分级警示",
    "dismiss_warning": "决定不予警示",
    # end warnings
    # report submissions
    "submit_report": "报送报表",
    # end report submissions
    # signatures (key registry)
    "enrol_key": "登记签名密钥",
    "enrol_own_server_held_key": "创建本人的服务器保管签名密钥",
    "revoke_key": "撤销签名密钥",
    # end signatures
    # accountability
    "pursue_accountability": "登记责任倒查、追责问责",
    # end accountability
    # official documents
    "issue_document": "出具文书",
    "deliver_document": "登记文书送达",
    "receive_document": "登记文书签收",
    # end official documents
}
