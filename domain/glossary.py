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
    "DeadlineMissed": "逾期未整改",
    "RectificationCompleted": "整改完成（企业申报）",
    "VerificationPassed": "验收通过",
    "VerificationFailed": "验收不通过",
    "HazardClosed": "销号",
    "HazardVoided": "作废",
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
    "mark_deadline_missed": "标记逾期",
    "complete_rectification": "申报整改完成",
    "verify": "验收",
    "close": "销号",
    "void": "作废",
    "report_hazard": "登记隐患",
    "conduct_inspection": "登记检查",
    "record_finding": "记录检查发现",
    "sign_inspection": "签名",
    "register_enterprise": "登记企业",
    "change_principal": "变更主要负责人",
}
