"""The three annex forms of the action plan as printed: titles, header and footer lines, sections,
items and columns with their exact Chinese labels and units (``shared/reference/annex*.md``).

Each item or column has a stable ``key``; the projections compute a value per key and the exports
print the forms from these definitions, so a label lives here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    """An Annex 1 item. ``figures`` names the item's figures when it has two (e.g. 次 and 万元);
    ``captions`` then says what each is, as the form's label or unit words it (次 | 万元)."""

    key: str
    number: int
    label: str
    unit: str
    figures: tuple[str, ...] = ("value",)
    captions: tuple[str, ...] = ()

    @property
    def figure_captions(self) -> tuple[str, ...]:
        """What is printed beside each figure: its caption, or the item's unit for a single figure."""
        return self.captions or (self.unit,)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Column:
    """An Annex 2 column: number, group (the upper header), label, unit; ``rate_of`` for a rate."""

    key: str
    number: int
    group: str
    label: str
    unit: str
    rate_of: tuple[str, str] | None = None  # (numerator key, denominator key)


@dataclass(frozen=True)
class ListColumn:
    """An Annex 3 column: the list (一 … 四) it belongs to and its exact label."""

    key: str
    list_title: str
    label: str


ANNEX1_TITLE = "重大事故隐患专项排查整治2023行动进展情况调度表"
ANNEX2_TITLE = "重大事故隐患专项排查整治2023行动工作情况统计表"
ANNEX3_TITLE = "昆明市呈贡区重大安全风险防控4个清单（参考模板）"
ANNEX1_HEADER = "填报单位：{unit}    时间：{date}"
ANNEX2_HEADER = "填报单位：{unit}    填报日期：{date}"
ANNEX3_HEADER = "填报单位：{unit}    填报人及联系电话：{contact}    填报时间：{date}"
# Filled from the unit's submission of the annex and cut-off (domain/report_submission.py), blank without one.
FOOTER = "审核人：{reviewer}            填报联系人：{submitter}            联系电话：{phone}"
ANNEX1_NOTE = "注：每月22日前报送，报5月以来累计情况。"
ANNEX2_NOTE = (
    "注：行业领域划分范围参照《昆明市重大安全风险大排查工作方案》；报送数据必须实事求是，严禁弄虚作假。"
    "“其中”行为上一行的子集，不重复计入合计。本月总计中“落实治理措施”“已完成治理”等列，为本月发现的重大隐患在截止日的状态。"
)
ROW_CUMULATIVE = "累计总计"
ROW_MONTH = "本月总计"
SECTOR_HEADER = "行业领域"
SUB_ROW_PREFIX = "其中："  # before a sector row that is a subset of the row above it (a sector with a parent)

ANNEX1: tuple[Section, ...] = (
    Section("overall", "总体情况", (
        Item("self_found", 1, "企业自查发现的重大事故隐患", "个"),
        Item("self_found_rectified", 2, "企业自查发现重大事故隐患中已完成整改的", "个"),
        Item("department_found", 3, "部门检查发现的重大事故隐患", "个"),
        Item("department_found_rectified", 4, "部门检查发现重大事故隐患中已完成整改的", "个"),
        Item("listed", 5, "政府（管委会）挂牌督办的重大事故隐患", "个"),
        Item("listed_rectified", 6, "挂牌督办重大事故隐患中已完成整改的", "个"),
    )),
    Section("spot_checks", "对企业自查自改进行抽查检查情况", (
        Item("spot_checked", 1, "部门抽查检查的企业总数", "家"),
        Item("principal_not_studying", 2, "企业主要负责人未按要求亲自研究排查整治工作", "家"),
        Item("principal_not_leading_inspection", 3, "企业主要负责人未带队检查", "家"),
        Item("no_deputy_duty_list", 4, "企业未制定分管负责人职责清单", "家"),
        Item("no_safety_organisation_or_staff", 5, "企业未依法建立安全管理机构和配足安全管理人员", "家"),
        Item("uncertified_special_operations", 6, "电焊等特种作业岗位人员无证上岗作业", "家"),
        Item("outsourcing_leasing_disorder", 7, "外包外租安全管理混乱", "家"),
        Item("no_drills_or_exits_unknown", 8, "未按规定开展应急演练、员工不熟悉逃生出口", "家"),
    )),
    Section("enforcement", "部门精准严格执法情况", (
        Item("guidance_county", 1, "帮扶指导重点县", "个次"),
        Item("guidance_enterprise", 2, "帮扶指导重点企业", "家次"),
        Item("penalties", 3, "行政处罚", "次，万元", ("count", "fines_wan"), ("次", "万元")),
        Item("dual_penalties", 4, "企业和企业主要负责人“一案双罚”", "次"),
        Item("judicial_persons", 5, "移送司法机关", "人"),
        Item("suspended", 6, "责令停产整顿", "家"),
        Item("exposed_interviewed_punished", 7, "曝光、约谈、联合惩戒企业", "家"),
        Item("typical_cases", 8, "公布典型执法案例", "个，其中危险作业罪案例（个）", ("count", "dangerous_operations"),
             ("个", "其中危险作业罪案例（个）")),
        Item("accountability_persons", 9, "责任倒查、追责问责", "人"),
        Item("unit_interviews", 10, "约谈通报有关县区及部门", "次"),
    )),
    Section("leadership", "党委政府组织领导情况", (
        Item("study_session", 1, "党委政府分别组织专题学习安全生产十五条硬措施", "次"),
        Item("leadership_research", 2, "党委政府主要负责同志分别专题研究", "次"),
        Item("site_supervision", 3, "市、县政府负责同志分别现场督导检查", "次"),
        Item("lecture", 4, "市、县安委会成员单位负责同志分别到企业宣讲", "次"),
        Item("tipoff_reward", 5, "举报奖励（万元），其中匿名举报查实奖励（万元）", "万元", ("amount_wan", "anonymous_wan"),
             ("万元", "其中匿名举报查实奖励（万元）")),
        Item("media_column", 6, "是否在市级主流媒体播放安全生产专题栏目", "是/否"),
        Item("technical_inspectors", 7, "市、县本级配备专兼职技术检查员数量", "人"),
        Item("assessment_patrol", 8, "组织开展考核巡查、督导检查", "次"),
    )),
)  # fmt: skip

ANNEX2: tuple[Column, ...] = (
    Column("risks", 1, "排查重大风险", "排查重大风险", "项"),
    Column("risks_controlled", 2, "排查重大风险", "已落实“4个清单”管控措施", "项"),
    Column("control_rate", 3, "排查重大风险", "管控率", "%", ("risks_controlled", "risks")),
    Column("majors", 4, "治理重大隐患", "发现重大隐患", "项"),
    Column("majors_planned", 5, "治理重大隐患", "落实治理措施", "项"),
    Column("majors_planned_listed", 6, "治理重大隐患", "其中：挂牌督办治理", "项"),
    Column("majors_rectified", 7, "治理重大隐患", "已完成治理", "项"),
    Column("remediation_rate", 8, "治理重大隐患", "治理率", "%", ("majors_rectified", "majors")),
    Column("problems", 9, "解决突出问题", "梳理突出问题", "项"),
    Column("problems_root_cause", 10, "解决突出问题", "其中：落实治本措施", "项"),
    Column("problems_rectified", 11, "解决突出问题", "已整改", "项"),
    Column("problem_rectification_rate", 12, "解决突出问题", "整改率", "%", ("problems_rectified", "problems")),
    Column("supervision_teams", 13, "开展督导检查", "派出督导组", "个"),
    Column("expert_services", 14, "开展督导检查", "组织专家技术服务", "人"),
    Column("enterprises_served", 15, "开展督导检查", "检查服务企业单位", "家"),
    Column("penalties", 16, "执法处罚", "行政处罚", "次"),
    Column("suspended", 17, "执法处罚", "责令停产整顿企业", "家"),
    Column("licences", 18, "执法处罚", "暂扣吊销证照企业", "家"),
    Column("closed", 19, "执法处罚", "关闭取缔企业", "家"),
    Column("fines_wan", 20, "执法处罚", "罚款", "万"),
    Column("judicial_persons", 21, "执法处罚", "移送司法机关", "人"),
    Column("interviewed", 22, "", "约谈警示", "家"),
    Column("joint_punished", 23, "", "联合惩戒", "家"),
    Column("criminal_linkage", 24, "", "行刑衔接", "件"),
)

ANNEX3: tuple[ListColumn, ...] = (
    ListColumn("assessed", "一、重大风险基础信息清单", "是否开展风险评估"),
    ListColumn("name", "一、重大风险基础信息清单", "风险点名称"),
    ListColumn("enterprise", "一、重大风险基础信息清单", "所属生产经营单位"),
    ListColumn("sector", "一、重大风险基础信息清单", "所属行业领域"),
    ListColumn("description", "一、重大风险基础信息清单", "风险描述"),
    ListColumn("address", "一、重大风险基础信息清单", "风险详细地址"),
    ListColumn("characteristics", "一、重大风险基础信息清单", "危险特性及影响范围"),
    ListColumn("department", "二、责任分工信息清单", "行业监管部门及责任人电话"),
    ListColumn("principal", "二、责任分工信息清单", "生产经营单位主要负责人和电话"),
    ListColumn("enterprise_measures", "三、防控措施清单", "生产经营单位采取的管控措施（简要描述）"),
    ListColumn("government_measures", "三、防控措施清单", "属地政府或监管部门采取的监管措施"),
    ListColumn("emergency_measures", "四、应急处置清单", "主要应急措施（简要描述）"),
    ListColumn("supplies", "四、应急处置清单", "应急物资清单"),
)


def annex1_item(key: str) -> Item:
    return next(item for section in ANNEX1 for item in section.items if item.key == key)


def footer(reviewer: str = "", submitter: str = "", phone: str = "") -> str:
    """The footer line of Annexes 1 and 2, blanks where nothing is known."""
    return FOOTER.format(reviewer=reviewer, submitter=submitter, phone=phone)


def annex2_column(key: str) -> Column:
    return next(column for column in ANNEX2 if column.key == key)
