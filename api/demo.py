"""The demo district (演示区县): a realistic, deterministic 2023 campaign story for 昆明市呈贡区.

``load_demo(ledger, seed=2023)`` fills a fresh ledger through the public commands of
``domain.ledger.HazardLedger`` only, every command with an explicit business time (``occurred_at``)
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
  re-completion; evidence (tiny PNG/JPEG/PDF payloads with GPS in 呈贡) attached along the way.

The whole story is planned first (one ``random.Random(seed)``, never the global generator), then
executed in business-time order, so the store's order of events follows the calendar. The same seed
gives the same story; ``DemoSummary.digest`` fingerprints it.
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

from domain.actor import SYSTEM_ACTOR, Actor
from domain.business_time import CHINA_TZ, business_date
from domain.credit_code import ALPHABET, check_character
from domain.enterprise import enterprise_id_for
from domain.errors import DomainError
from domain.glossary import (
    Assessor,
    Grade,
    HazardSource,
    HazardState,
    InspectionKind,
    InspectionMethod,
    OrgKind,
    Role,
    Stoppage,
    SupervisionLevel,
)
from domain.ledger import HazardLedger, Receipt
from domain.values import Person, RectificationPlan, SupervisionListing

__all__ = ["DemoSummary", "load_demo"]

S = HazardState
M, G = Grade.MAJOR, Grade.GENERAL

TOTAL_HAZARDS = 120
# Relative weight of each campaign month (May … December) in the number of hazards found.
MONTH_WEIGHTS = (0.9, 1.2, 1.3, 1.2, 1.1, 1.1, 1.0, 0.8)
# How the hazards of a month were found.
SOURCE_WEIGHTS = {"department": 0.50, "self": 0.28, "supervision": 0.10, "tip_off": 0.12}
# Probability that a hazard is major, by how it was found.
MAJOR_SHARE = {"department": 0.34, "self": 0.26, "supervision": 0.45, "tip_off": 0.30}
MISSED_PAIRS = 6  # clean inspections later contradicted by a hazard that existed before them
MIN_STATE = {S.VOIDED: 5, S.REPORTED: 6, S.PENDING_VERIFICATION: 6, S.VERIFIED: 6, S.RECTIFYING: 14}


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
    enterprise_ids: tuple[UUID, ...] = field(default=(), compare=False, repr=False)
    inspection_ids: tuple[UUID, ...] = field(default=(), compare=False, repr=False)
    hazard_ids: tuple[UUID, ...] = field(default=(), compare=False, repr=False)


# ---------------------------------------------------------------------------------------------
# Reference material: standards (判定标准), hazard templates per sector, enterprise profiles
# ---------------------------------------------------------------------------------------------

CHEM = "《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）》"
TRADE = "《工贸企业重大事故隐患判定标准》"
FW = "《烟花爆竹生产经营单位重大生产安全事故隐患判定标准（试行）》"
HOUSING = "《房屋市政工程生产安全重大事故隐患判定标准（2022版）》"
GAS = "《城镇燃气经营安全重大隐患判定标准》"
FIRE = "《重大火灾隐患判定方法》（GB 35181-2017）"
ROAD = "《道路运输企业和城市客运企业安全生产重大事故隐患判定标准（试行）》"
MINE = "《金属非金属矿山重大事故隐患判定标准》"
SEL = "《中华人民共和国特种设备安全法》"
SELF_BUILT = "《全国自建房安全专项整治工作方案》（国办发明电〔2022〕10号）"
DANGER_HOUSE = "《危险房屋鉴定标准》（JGJ 125-2016）"

# A hazard template: grade, description, criterion clause (majors), rectification measures and,
# optionally, the locations it fits (otherwise the sector's). {n} and {pct} are filled in.
Template = tuple[Grade, str, str, str, tuple[str, ...]]


def _t(grade: Grade, description: str, criterion: str, measures: str, *locations: str) -> Template:
    return (grade, description, criterion, measures, locations)


_CHEM_SPECIAL_WORK = [
    _t(
        M,
        "动火作业未办理动火安全作业票、未进行气体分析即开始作业",
        CHEM + "第十八条",
        "修订特殊作业管理制度，严格执行作业票审批和动火前气体分析，对作业人员和监护人开展专项培训",
        "储罐检修现场",
        "2号生产车间",
        "管廊",
    ),
    _t(
        M,
        "进入受限空间作业未办理作业票，作业现场未设置监护人员",
        CHEM + "第十八条",
        "停止违规作业，补齐受限空间作业审批和监护制度，配备气体检测仪和应急救援器材",
        "反应釜检修现场",
        "污水处理池",
        "储罐检修现场",
    ),
    _t(
        G,
        "受限空间作业票气体分析时间与作业开始时间间隔超过30分钟",
        "",
        "重新培训作业票签发人员，作业前30分钟内复测气体并如实记录",
        "作业票管理台账",
    ),
]

HAZARDS: dict[str, dict[str, list[Template]]] = {
    "hazardous_chemicals": {
        "主要负责人和安全管理人员履职": [
            _t(
                M,
                "主要负责人未依法经安全生产知识和管理能力考核合格",
                CHEM + "第一条",
                "主要负责人参加应急管理部门组织的考核，考核合格前由持证的分管负责人代为履职",
            ),
            _t(G, "安全生产管理人员考核合格证书已过期未复审", "", "组织安全管理人员参加复审培训并取得有效证书"),
        ],
        "特种作业人员持证": [
            _t(
                M,
                "{n}名电工、焊工等特种作业人员未取得特种作业操作证上岗作业",
                CHEM + "第二条",
                "立即停止无证人员特种作业，组织参加特种作业培训考核，持证后方可上岗",
            ),
            _t(G, "特种作业人员持证台账未及时更新，{n}人证书临近复审期", "", "更新持证台账，安排复审培训"),
        ],
        "可燃有毒气体检测报警和防爆电气": [
            _t(
                M,
                "涉及可燃气体泄漏的场所未按国家标准设置可燃气体检测报警装置",
                CHEM + "第十二条",
                "按GB/T 50493增设可燃气体检测报警器并接入有人值守的控制室，完成标定后投用",
                "2号生产车间",
                "装卸区",
                "充装间",
            ),
            _t(
                M,
                "爆炸危险区域内使用非防爆照明灯具和普通插座",
                CHEM + "第十二条",
                "更换为防爆等级相符的照明灯具和防爆插座，委托检测机构进行电气防爆检测",
                "甲类仓库",
                "2号生产车间",
                "充装间",
            ),
            _t(G, "{n}台可燃气体检测报警仪超过检定有效期", "", "送计量检定机构检定，建立检定台账"),
        ],
        "特殊作业管理": _CHEM_SPECIAL_WORK,
        "危险化学品储存": [
            _t(
                M,
                "仓库内氧化剂与易燃液体混放混存",
                CHEM + "第二十条",
                "立即分开储存，按分区分类储存要求设置隔离，调整库存结构",
                "甲类仓库",
                "乙类仓库",
            ),
            _t(
                M,
                "超量储存危险化学品，实际储存量超过设计储量约{pct}%",
                CHEM + "第二十条",
                "立即清运超量物料，按设计储量建立进出库动态台账",
                "甲类仓库",
                "1#罐区",
            ),
            _t(
                G,
                "仓库内部分危险化学品安全技术说明书和安全标签缺失",
                "",
                "补齐“一书一签”，对仓管员开展危险化学品储存培训",
                "乙类仓库",
                "甲类仓库",
            ),
        ],
        "安全附件和仪表": [
            _t(
                M,
                "储罐安全阀超期未校验且根部阀处于关闭状态",
                CHEM + "第十五条",
                "立即开启根部阀并加铅封，安全阀送检校验，建立安全附件台账",
                "1#罐区",
                "2#罐区",
            ),
            _t(G, "{n}块压力表超过检定有效期", "", "更换检定合格的压力表并建立台账", "1#罐区", "2号生产车间"),
        ],
        "操作规程和工艺控制指标": [
            _t(
                M,
                "未制定操作规程和工艺控制指标",
                CHEM + "第十七条",
                "组织编制岗位操作规程和工艺控制指标，经审批后发布并培训到岗",
                "2号生产车间",
            ),
            _t(G, "岗位操作规程未根据工艺变更及时修订", "", "按变更管理程序修订操作规程并组织培训", "2号生产车间", "控制室"),
        ],
    },
    "industry_trade": {
        "粉尘防爆": [
            _t(
                M,
                "干式除尘系统未采取泄爆、惰化、抑爆等任一种爆炸防控措施",
                TRADE + "第十一条第（三）项",
                "为除尘器加装泄爆片和隔爆阀，委托有资质单位设计、安装并验收",
                "打磨车间除尘器",
                "抛光工段除尘系统",
            ),
            _t(
                M,
                "除尘器区域电气设备不符合防爆要求",
                TRADE + "第十一条第（七）项",
                "更换粉尘防爆型电气设备，开展防爆电气检测",
                "打磨车间除尘器",
                "木工车间",
            ),
            _t(
                M,
                "未落实粉尘清理制度，作业现场积尘严重",
                TRADE + "第十一条第（十）项",
                "制定并落实粉尘清理制度，每班清扫并记录，安排专人检查",
                "木工车间",
                "抛光工段",
            ),
            _t(G, "除尘系统清灰记录不全", "", "完善清灰记录，纳入班组交接班检查", "打磨车间除尘器"),
        ],
        "有限空间作业": [
            _t(
                M,
                "有限空间作业未执行“先通风、再检测、后作业”要求，作业现场未设置监护人员",
                TRADE + "第十三条第（二）项",
                "严格落实有限空间作业审批，配备通风和气体检测设备，作业全程专人监护",
                "污水处理池",
                "发酵罐",
            ),
            _t(
                G,
                "有限空间安全管理台账信息不全，部分警示标志褪色",
                "",
                "完善有限空间台账，更换安全警示标志",
                "污水处理池",
                "地下污水井",
            ),
        ],
        "承包商和外包作业管理": [
            _t(
                M,
                "未对承包单位的安全生产工作统一协调、管理，未定期进行安全检查",
                TRADE + "第三条第（一）项",
                "与承包单位签订安全管理协议，明确双方职责，每月开展联合安全检查",
                "厂区",
            ),
            _t(G, "外来施工人员入厂安全教育记录缺失", "", "补充入厂安全教育并建立外来人员登记台账", "厂区"),
        ],
        "特种作业人员持证": [
            _t(
                M,
                "{n}名焊工未取得特种作业操作证上岗作业",
                TRADE + "第三条第（二）项",
                "停止无证作业，组织焊工参加培训考核，持证后方可上岗",
                "焊接车间",
            ),
        ],
        "设备设施和临时用电": [
            _t(G, "冲压机双手操作按钮失效", "", "修复双手操作按钮并加装光电保护装置", "冲压车间"),
            _t(G, "{n}台砂轮机防护罩缺失", "", "补装砂轮机防护罩并检查托架间隙", "机加工车间"),
            _t(G, "车间配电箱未设置漏电保护器，电缆私拉乱接", "", "加装漏电保护器，规范敷设电缆", "机加工车间", "包装车间"),
        ],
        "液氨制冷": [
            _t(
                M,
                "包装、分割场所的空调系统采用氨直接蒸发制冷",
                TRADE + "第十二条第（一）项",
                "改造为间接制冷系统，改造期间停止使用该区域氨制冷",
                "分割包装车间",
            ),
            _t(G, "氨制冷机房应急喷淋装置失效", "", "修复应急喷淋装置并每周试验", "制冷机房"),
        ],
    },
    "fireworks": {
        "库房存储和核定药量": [
            _t(
                M,
                "库房实际存储药量超过核定药量约{pct}%",
                FW + "第五条",
                "立即转运超量产品，按核定药量设置库存上限并每日核对",
                "1#成品仓库",
                "2#成品仓库",
            ),
            _t(M, "库房实际作业人员数量超过核定人数", FW + "第四条", "按核定人数安排作业，设置人员定员公示牌", "中转库"),
            _t(G, "库房药量公示牌内容与实际不符", "", "更新公示牌并每日核对", "1#成品仓库"),
        ],
        "防雷防静电": [
            _t(
                M,
                "库房防雷设施检测不合格，人体静电释放装置失效",
                FW + "第七条",
                "委托有资质机构整改防雷设施并重新检测，更换静电释放装置",
                "1#成品仓库",
                "2#成品仓库",
            ),
            _t(G, "人体静电释放器接地电阻未定期检测", "", "每半年检测接地电阻并记录", "库区入口"),
        ],
        "储存管理": [
            _t(M, "仓库内存放打火机、酒精等其他危险物品", FW + "第九条", "立即清出其他危险物品，开展库房专项检查", "2#成品仓库"),
            _t(G, "产品堆垛间距和通道宽度不足", "", "按要求调整堆垛，保证通道宽度", "1#成品仓库"),
        ],
        "人员资质": [
            _t(
                M,
                "主要负责人未依法经安全生产知识和管理能力考核合格",
                FW + "第一条",
                "主要负责人参加考核，考核合格前由持证人员代为履职",
                "办公区",
            ),
            _t(G, "保管员、守护员安全培训记录不全", "", "补充培训并建档", "办公区"),
        ],
    },
    "pharmaceuticals": {
        "特殊作业管理": _CHEM_SPECIAL_WORK,
        "溶剂储存": [
            _t(M, "溶剂库内乙醇等易燃溶剂超量储存", CHEM + "第二十条", "清运超量溶剂，按设计储量控制库存", "溶剂库"),
            _t(G, "溶剂库机械通风设施故障", "", "维修通风设施并每班检查", "溶剂库"),
        ],
        "可燃气体检测和防爆电气": [
            _t(
                M,
                "提取车间乙醇回收区域未设置可燃气体检测报警装置",
                CHEM + "第十二条",
                "增设可燃气体检测报警装置并与排风机联锁",
                "提取车间",
            ),
            _t(G, "{n}台可燃气体报警仪未按期标定", "", "完成标定并建立台账", "提取车间", "原料药合成车间"),
        ],
        "设备设施": [
            _t(G, "反应釜压力表超过检定有效期", "", "更换检定合格的压力表", "原料药合成车间"),
            _t(G, "洁净区应急照明灯不亮", "", "更换应急照明灯具并每月测试", "制剂车间"),
        ],
    },
    "construction_housing": {
        "施工安全管理": [
            _t(
                M,
                "项目专职安全生产管理人员未取得安全生产考核合格证书",
                HOUSING + "第四条第（二）项",
                "更换持证专职安全员，原人员参加考核取证",
                "项目部",
            ),
            _t(
                M,
                "超过一定规模的危大工程专项施工方案未组织专家论证",
                HOUSING + "第四条第（四）项",
                "暂停相关分项施工，组织专家论证并按论证意见修改方案",
                "{n}#楼",
            ),
            _t(G, "安全技术交底记录缺少作业人员签字", "", "重新组织交底并签字留档", "项目部"),
        ],
        "基坑工程": [
            _t(
                M,
                "深基坑施工未进行第三方监测",
                HOUSING + "第五条第（三）项",
                "委托第三方监测单位开展基坑监测，监测数据每日报送",
                "基坑北侧",
                "基坑东侧",
            ),
            _t(
                M,
                "基坑土方超挖且未采取有效措施",
                HOUSING + "第五条第（二）项",
                "立即回填反压，按设计分层开挖并加强支护",
                "基坑北侧",
            ),
            _t(G, "基坑临边防护栏杆局部缺失", "", "补设临边防护栏杆和挡脚板", "基坑东侧"),
        ],
        "模板和脚手架工程": [
            _t(M, "脚手架连墙件整层缺失", HOUSING + "第七条第（二）项", "立即停止架上作业，按方案补设连墙件并经验收", "{n}#楼"),
            _t(
                M,
                "模板支架承受的施工荷载超过设计值",
                HOUSING + "第六条第（二）项",
                "卸除超载材料，按设计复核支架并加固",
                "地下室顶板",
            ),
            _t(G, "脚手架剪刀撑设置不连续", "", "按规范补设剪刀撑", "{n}#楼"),
        ],
        "起重机械": [
            _t(
                M,
                "塔式起重机起重量限制器被违规拆除",
                HOUSING + "第八条第（五）项",
                "停止使用，恢复安全装置并经检测合格后使用",
                "{n}#塔吊",
            ),
            _t(
                M,
                "施工升降机防坠安全器超过定期检验有效期",
                HOUSING + "第八条第（六）项",
                "停止使用，防坠安全器送检合格后恢复",
                "{n}#施工升降机",
            ),
            _t(G, "塔吊司机与信号工交接班记录不全", "", "完善交接班记录", "{n}#塔吊"),
        ],
        "施工临时用电": [
            _t(M, "地下室潮湿作业环境照明未使用安全电压", HOUSING + "第十条", "更换36V及以下安全电压照明", "地下室"),
            _t(G, "开关箱未做到“一机、一闸、一漏、一箱”", "", "整改开关箱配置", "{n}#楼"),
        ],
    },
    "urban_gas": {
        "场站安全": [
            _t(
                M,
                "液化石油气储配站储罐区防雷防静电设施检测不合格",
                GAS + "第七条",
                "整改防雷防静电设施并经有资质机构检测合格",
                "储配站罐区",
            ),
            _t(G, "场站消防器材配置不足", "", "按规范补配灭火器材", "储配站罐区"),
        ],
        "气瓶充装": [
            _t(
                M,
                "对超过检验期限的液化石油气钢瓶进行充装",
                GAS + "第九条",
                "停止充装超期气瓶，清理在用气瓶并建立充装前检查制度",
                "充装间",
            ),
            _t(G, "气瓶充装记录信息不全", "", "完善充装记录和气瓶追溯信息", "充装间"),
        ],
        "管网运行": [
            _t(
                M,
                "中压燃气管道被违章建筑占压",
                GAS + "第十条",
                "报请城管部门拆除占压建筑，拆除前加密巡检并设置警示",
                "彩云南路中压管线",
            ),
            _t(G, "管线巡检记录不全，部分警示标志缺失", "", "补设警示标志，完善巡检记录", "彩云南路中压管线"),
        ],
        "用户安全检查": [
            _t(
                M,
                "向未安装燃气泄漏报警和切断装置的餐饮用户持续供气",
                GAS + "第十一条",
                "督促用户安装报警切断装置，未安装前暂停供气",
                "餐饮用户",
            ),
            _t(G, "入户安检覆盖率不足", "", "制定入户安检计划并按月通报", "居民用户"),
        ],
    },
    "self_built_housing": {
        "房屋结构安全": [
            _t(
                M,
                "房屋经安全鉴定为C级危险房屋，仍用于出租经营",
                DANGER_HOUSE + "（C级）",
                "停止经营，委托设计单位出具加固方案并实施加固，经复鉴定后恢复使用",
                "3层出租房",
            ),
            _t(G, "外墙装饰构件松动", "", "拆除松动构件", "临街商铺"),
        ],
        "改扩建和用途变更": [
            _t(
                M,
                "擅自加层改建后用作学生公寓，未进行房屋安全鉴定",
                SELF_BUILT,
                "停止使用加建部分，委托鉴定并按鉴定结论整改",
                "学生公寓",
            ),
            _t(G, "擅自改变房屋使用功能，未办理变更手续", "", "补办手续或恢复原用途", "农家乐餐厅"),
        ],
        "消防安全": [
            _t(
                M,
                "居住场所采用彩钢夹芯板搭建，芯材燃烧性能低于A级",
                FIRE + "第5.10条",
                "拆除彩钢夹芯板搭建的居住用房",
                "屋顶加建房",
            ),
            _t(G, "电动自行车在楼道内停放充电", "", "设置集中充电区，清理楼道", "学生公寓"),
        ],
    },
    "special_equipment": {
        "电梯和自动扶梯": [
            _t(
                M,
                "{n}台电梯超过定期检验有效期仍在使用",
                SEL + "第四十条",
                "停止使用超期电梯，申请定期检验，合格后恢复使用",
                "A座客梯",
                "3#货梯",
            ),
            _t(G, "电梯轿厢应急通话装置失灵", "", "维修应急通话装置并测试", "A座客梯"),
            _t(G, "电梯维护保养记录不全", "", "督促维保单位补全记录", "A座扶梯"),
        ],
        "大型游乐设施": [
            _t(
                M,
                "大型游乐设施乘客束缚装置锁紧功能失效仍在运营",
                SEL + "第四十二条",
                "停止运营，更换锁紧装置并经检验机构检验合格",
                "过山车",
                "大摆锤",
            ),
            _t(G, "游乐设施每日运营前试运行记录缺失", "", "落实日检和试运行记录", "旋转木马"),
        ],
        "锅炉和压力容器": [
            _t(M, "锅炉安全阀超期未校验仍在使用", SEL + "第四十条", "停炉校验安全阀，合格后恢复运行", "锅炉房"),
            _t(G, "压力容器铭牌缺失", "", "补办铭牌信息", "空压站"),
        ],
        "作业人员持证": [
            _t(G, "{n}名叉车司机未取得特种设备作业人员证", "", "停止无证作业并组织取证", "仓库"),
        ],
    },
    "fire_safety": {
        "安全疏散": [
            _t(
                M,
                "安全出口数量不足，总净宽度小于国家标准规定值的80%",
                FIRE + "第5.5条",
                "增设安全出口和疏散楼梯，整改完成前限制营业区域和人数",
                "二层餐厅",
                "地下一层",
            ),
            _t(G, "疏散通道堆放杂物", "", "清理疏散通道并落实每日巡查", "三层客房"),
            _t(G, "{n}处安全出口指示标志损坏", "", "更换疏散指示标志", "地下一层"),
        ],
        "易燃易爆危险品管理": [
            _t(M, "人员密集场所违规使用、储存液化石油气", FIRE + "第5.8条", "清除液化石油气钢瓶，改用电能或管道燃气", "后厨"),
            _t(G, "厨房排油烟管道未定期清洗", "", "委托清洗并建立清洗记录", "后厨"),
        ],
        "建筑构件和材料": [
            _t(
                M,
                "员工宿舍采用彩钢夹芯板搭建，芯材燃烧性能低于A级",
                FIRE + "第5.10条",
                "拆除彩钢夹芯板宿舍，员工另行安置",
                "员工宿舍",
            ),
        ],
        "消防设施器材": [
            _t(G, "{n}具灭火器压力不足", "", "更换或充装灭火器", "三层客房"),
            _t(G, "自动喷水灭火系统末端试水压力不足", "", "检修喷淋系统并测试", "地下一层"),
            _t(G, "消防控制室值班人员未持证上岗", "", "安排持证人员值班，组织取证培训", "消防控制室"),
        ],
        "老年人和儿童活动场所": [
            _t(
                M,
                "老年人照料设施所在楼层位置不符合国家标准规定",
                FIRE + "第5.9条",
                "将老年人居室调整至符合规定的楼层",
                "四层护理区",
            ),
        ],
    },
    "transport": {
        "车辆动态监控": [
            _t(
                M,
                "{n}辆营运客车卫星定位装置未正常使用，动态监控失效",
                ROAD + "第三条",
                "修复车载终端，恢复动态监控，监控失效车辆停止营运",
                "调度中心",
            ),
            _t(G, "动态监控人员未按规定处理超速报警", "", "落实报警处置和记录", "调度中心"),
        ],
        "驾驶员管理": [
            _t(
                M,
                "聘用未取得相应从业资格证的驾驶员从事营运",
                ROAD + "第三条",
                "立即停止其驾驶营运车辆，清查全部驾驶员从业资格",
                "车队",
            ),
            _t(G, "驾驶员安全教育培训记录不全", "", "补充月度安全教育并签字留档", "车队"),
        ],
        "车辆技术状况": [
            _t(
                M,
                "{n}辆危险货物运输罐车罐体未经定期检验继续使用",
                ROAD + "第四条",
                "停运相关车辆，罐体送检合格后恢复运营",
                "停车场",
            ),
            _t(G, "车载灭火器过期", "", "更换灭火器", "停车场"),
            _t(G, "车辆二级维护记录不全", "", "补全维护记录", "维修车间"),
        ],
    },
    "culture_tourism": {
        "游览设施": [
            _t(G, "观景平台护栏松动", "", "加固护栏并每日巡查", "观景平台"),
            _t(G, "玻璃栈道未按期进行安全检测", "", "委托检测机构检测", "玻璃栈道"),
        ],
        "人员密集场所消防": [
            _t(
                M,
                "KTV包厢区安全出口数量不足，总净宽度小于规定值的80%",
                FIRE + "第5.5条",
                "增设安全出口，整改完成前停止使用部分包厢",
                "二层包厢区",
            ),
            _t(G, "包厢内使用易燃装饰材料", "", "拆除易燃装饰材料", "二层包厢区"),
        ],
        "大型活动和客流管理": [
            _t(G, "节假日客流高峰未落实限流措施", "", "制定限流方案并设置预约系统", "景区入口"),
            _t(G, "应急预案未组织演练", "", "组织应急演练并评估", "游客中心"),
        ],
    },
    "commerce_logistics": {
        "液氨制冷": [
            _t(
                M,
                "产品整理场所的空调系统采用氨直接蒸发制冷",
                TRADE + "第十二条第（一）项",
                "改造为间接制冷，改造完成前停用该区域",
                "分拣中心",
            ),
            _t(M, "速冻间作业人员数量超过9人", TRADE + "第十二条第（二）项", "调整班组，控制速冻间作业人员不超过9人", "速冻间"),
            _t(G, "氨泄漏报警仪未定期校验", "", "校验报警仪并建立台账", "制冷机房"),
        ],
        "仓储消防": [
            _t(M, "易燃易爆危险品仓库与员工宿舍设置在同一建筑内", FIRE + "第5.2条", "搬离员工宿舍，危险品另库储存", "仓库二层"),
            _t(G, "货架超高堆放，消防通道被占用", "", "降低堆放高度，清理消防通道", "1#冷库"),
            _t(G, "冷库保温材料外露", "", "对外露保温材料进行不燃材料包覆", "1#冷库"),
        ],
        "装卸和叉车作业": [
            _t(G, "{n}名叉车司机无证作业", "", "停止无证作业，组织取证", "装卸平台"),
            _t(G, "装卸平台临边防护缺失", "", "加装防护栏杆", "装卸平台"),
        ],
    },
    "medical": {
        "医用气体": [
            _t(
                M,
                "医用液氧储罐安全阀失效仍在使用",
                SEL + "第四十二条",
                "停用储罐，更换安全阀并经检验合格，临时改用汇流排供氧",
                "医用液氧站",
            ),
            _t(G, "医用氧气瓶未固定，空瓶实瓶混放", "", "设置防倾倒固定装置，空实瓶分区存放", "住院部"),
        ],
        "消防安全": [
            _t(M, "住院部疏散楼梯数量不足", FIRE + "第5.6条", "增设室外疏散楼梯，整改期间减少病床并加强夜间值守", "住院部"),
            _t(G, "病区走道堆放杂物", "", "清理走道", "住院部"),
            _t(G, "应急照明灯不亮", "", "更换应急照明灯具", "门诊楼"),
        ],
        "危险化学品管理": [
            _t(G, "检验科危险化学品试剂未落实双人双锁管理", "", "设置专柜，落实双人双锁", "检验科"),
        ],
    },
    "non_coal_mines": {
        "开采顺序和台阶": [
            _t(
                M,
                "未采用自上而下的开采顺序分台阶开采",
                MINE + "第五条第（三）项",
                "停止违规开采，按设计自上而下分台阶开采",
                "采场西侧",
            ),
            _t(G, "台阶安全平台宽度不足", "", "按设计清理安全平台", "+1980m台阶"),
        ],
        "边坡管理": [
            _t(
                M,
                "工作帮坡角大于设计工作帮坡角，最终边坡台阶高度超过设计高度",
                MINE + "第五条第（四）项",
                "按设计削坡减载并开展边坡稳定性评估",
                "采场西侧边坡",
            ),
            _t(G, "边坡位移监测记录不全", "", "完善边坡监测记录", "采场西侧边坡"),
        ],
        "爆破作业": [
            _t(G, "爆破警戒范围标识不清", "", "设置爆破警戒标识和警戒人员", "采场"),
        ],
    },
    "spoil_disposal": {
        "堆体稳定": [
            _t(G, "堆体边坡坡度过陡，未按设计分层碾压", "", "削坡并分层碾压，设置位移观测点", "消纳场南侧堆体"),
            _t(G, "排水沟堵塞，雨季存在滑坡风险", "", "清理疏通排水沟", "消纳场南侧堆体"),
        ],
        "运输车辆管理": [
            _t(G, "运输车辆未密闭，沿途撒漏", "", "落实车辆密闭运输", "场区出入口"),
            _t(G, "出入口未设置车辆冲洗设施", "", "设置冲洗平台", "场区出入口"),
        ],
    },
}

# Enterprise profiles: (name pattern, high risk), the streets they are in, coordinates' centre.
PROFILES: dict[str, tuple[list[tuple[str, bool]], list[str]]] = {
    "hazardous_chemicals": (
        [
            ("昆明呈贡{z}化工有限公司", True),
            ("云南{z}精细化工有限公司", True),
            ("昆明{z}危险化学品经营有限公司", True),
            ("昆明呈贡{z}工业气体有限公司", True),
            ("昆明{z}石油化工有限公司呈贡加油站", True),
        ],
        ["qidian", "majinpu", "luoyang"],
    ),
    "industry_trade": (
        [
            ("昆明呈贡{z}机械制造有限公司", False),
            ("昆明{z}木业有限公司", True),
            ("云南{z}食品有限公司", True),
            ("昆明{z}铝业有限公司", True),
            ("昆明呈贡{z}印务有限公司", False),
        ],
        ["qidian", "majinpu", "wulong", "luoyang"],
    ),
    "fireworks": (
        [("昆明呈贡{z}烟花爆竹批发有限公司", True), ("昆明{z}烟花爆竹经营有限公司", True)],
        ["qidian", "luolong"],
    ),
    "pharmaceuticals": (
        [("云南{z}制药有限公司", True), ("昆明{z}生物医药科技有限公司", False)],
        ["majinpu", "szkfq"],
    ),
    "construction_housing": (
        [
            ("云南{z}建设工程有限公司", False),
            ("昆明{z}建筑工程有限公司", False),
            ("云南{z}建工集团有限公司", False),
            ("昆明呈贡{z}市政工程有限公司", False),
        ],
        ["wujiaying", "yuhua", "luolong", "wulong", "dounan"],
    ),
    "urban_gas": (
        [("昆明呈贡{z}燃气有限公司", True), ("昆明{z}液化石油气有限公司", True), ("云南{z}天然气有限公司", True)],
        ["luolong", "longcheng", "wulong"],
    ),
    "self_built_housing": (
        [("昆明{z}公寓管理有限公司", False), ("昆明呈贡{z}餐饮管理有限公司", False)],
        ["wujiaying", "yuhua", "dayu"],
    ),
    "special_equipment": (
        [("昆明呈贡{z}商业管理有限公司", False), ("昆明{z}游乐园有限公司", True), ("昆明{z}物业服务有限公司", False)],
        ["longcheng", "wulong", "dounan", "luolong"],
    ),
    "fire_safety": (
        [
            ("昆明呈贡{z}酒店管理有限公司", False),
            ("昆明{z}养老服务有限公司", False),
            ("昆明{z}教育培训学校有限公司", False),
            ("昆明呈贡{z}购物中心有限公司", False),
        ],
        ["longcheng", "luolong", "wujiaying", "yuhua", "wulong"],
    ),
    "transport": (
        [("昆明呈贡{z}汽车客运有限公司", False), ("云南{z}危险货物运输有限公司", True), ("昆明{z}物流运输有限公司", False)],
        ["luoyang", "longcheng", "qidian"],
    ),
    "culture_tourism": (
        [("昆明{z}旅游开发有限公司", False), ("昆明呈贡{z}娱乐有限公司", False)],
        ["wulong", "dayu", "longcheng"],
    ),
    "commerce_logistics": (
        [("昆明斗南{z}冷链物流有限公司", True), ("云南{z}仓储服务有限公司", False), ("昆明{z}超市有限公司呈贡店", False)],
        ["dounan", "luoyang"],
    ),
    "medical": (
        [("昆明呈贡{z}医院有限公司", False), ("昆明{z}口腔门诊部有限公司", False)],
        ["longcheng", "luolong", "wujiaying"],
    ),
    "non_coal_mines": ([("昆明呈贡{z}建材有限公司", True)], ["qidian"]),
    "spoil_disposal": ([("昆明{z}土石方工程有限公司", False)], ["qidian", "majinpu"]),
}

ROADS: dict[str, list[str]] = {
    "longcheng": ["龙城路", "彩云北路", "春融西路"],
    "wulong": ["彩云南路", "乌龙路"],
    "luoyang": ["洛羊物流园区", "矣六路"],
    "dayu": ["环湖东路", "大渔路"],
    "wujiaying": ["聚贤街", "春融东路", "吴家营路"],
    "yuhua": ["雨花路", "联大街"],
    "dounan": ["斗南路", "花卉市场路"],
    "qidian": ["七甸工业园区", "旧宝路"],
    "luolong": ["洛龙路", "春城路"],
    "majinpu": ["高新区马金铺片区", "新城大道"],
    "szkfq": ["信息产业园", "大学城南路"],
}


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


TRADE_NAMES = _words(
    "金泰 恒昌 宏达 滇润 春城 鑫源 华禹 瑞丰 盛隆 永康 正川 立信 博远 润滇 天恒 祥泰 嘉禾 宝华 信诚 联丰 "
    "广汇 汇川 锦程 金马 碧鸡 宏图 恒泰 新创 兴滇 龙腾 晨光 佳和 德润 安泰 福瑞 万通 昌荣 东昇 同益 蓝天 "
    "万溪 顺达 卓越 鼎盛 中和 利民 丰源 泰和 华兴 远航 腾达 众诚 荣昌 聚贤 吉顺 明珠 长润 海源 松茂 景泰"
)
SURNAMES = _words(
    "张 王 李 赵 刘 陈 杨 黄 周 吴 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 彭 曾 肖 田 董 袁 "
    "潘 蒋 蔡 余 杜 叶 程 苏 魏 吕 丁 任 沈 姚 卢 段 普 施 孔 字 和 杞 鲁"
)
GIVEN = _words(
    "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 涛 明 超 秀 霞 平 刚 桂 华 建 国 红 文 云 海 波 宁 "
    "志 鹏 晓 春 露 梅 宏 斌 俊 琳 玉 兰 荣 辉 成 祥 德 安 昆 滇 瑞 雪 林 燕 莉 江 松 飞 浩 凤"
)

EXPERT_BODY = ("zjk", "呈贡区安全生产专家库")


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
    def __init__(self, ledger: HazardLedger, seed: int) -> None:
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
                return self.ledger.register_enterprise(
                    self.registrar,
                    credit_code=e.credit_code,
                    name=e.name,
                    sector=e.sector,
                    jurisdiction=e.jurisdiction,
                    principal_name=e.principal.name,
                    address=e.address,
                    high_risk=e.high_risk,
                    occurred_at=at,
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
    ) -> _Inspection:
        rng = self.rng
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
            r = self.ledger.conduct_inspection(
                i.recorder,
                enterprise_id=i.enterprise.id,
                kind=i.kind,
                method=i.method,
                inspectors=[Person(a.user_id, a.name) for a in i.team],
                scope=i.scope,
                led_by_principal=i.led_by_principal,
                occurred_at=i.when,
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
                return self.ledger.record_finding(
                    i.recorder,
                    i.id,
                    item=item,
                    hazard_ids=[h.id for h in hs],  # type: ignore[arg-type, misc]
                    no_major_hazard=not hs,
                    note=note,
                    occurred_at=at,
                )

            self.add(t, f"finding {inspection.key} {item} {[h.key for h in hazards]}", finding)
        t += timedelta(minutes=rng.randint(20, 90))
        for signer in team:
            t += timedelta(minutes=rng.randint(1, 6))

            def sign(i: _Inspection = inspection, a: Actor = signer, at: datetime = t) -> Receipt:
                return self.ledger.sign_inspection(a, i.id, occurred_at=at)  # type: ignore[arg-type]

            self.add(t, f"sign {inspection.key} {signer.user_id}", sign)
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
            r = self.ledger.report_hazard(
                h.reporter,
                enterprise_id=h.enterprise.id,
                grade=h.grade,
                source=h.source,
                description=h.description,
                criterion=h.criterion,
                location=h.location,
                existed_since=h.existed_since,
                inspection_id=h.inspection.id if h.inspection else None,
                occurred_at=h.t0,
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
            return getattr(self.ledger, method)(actor, h.id, occurred_at=at, **kwargs)  # type: ignore[no-any-return]

        return run

    def listing_step(self, h: _Hazard, listing: SupervisionListing, at: datetime) -> Callable[[], Receipt]:
        def run() -> Receipt:
            numbered = replace(listing, document_number=h.listing_number)
            return self.ledger.list_for_supervision(self.director, h.id, numbered, occurred_at=at)  # type: ignore[arg-type]

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
            return self.ledger.attach_evidence(
                actor,
                h.id,
                file_name=file_name,
                media_type=media_type,
                content=content,  # type: ignore[arg-type]
                taken_at=taken if has_gps else None,
                latitude=lat if has_gps else None,
                longitude=lon if has_gps else None,
                occurred_at=at,
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

    # ----- execution -------------------------------------------------------------------------

    def plan(self) -> None:
        self.plan_cast()
        self.plan_findings()
        self.plan_outcomes()
        for h in self.hazards:
            self.plan_lifecycle(h)
        self.number_listings()
        self.steps.sort()

    def digest(self) -> str:
        sha = hashlib.sha256()
        for step in self.steps:
            sha.update(f"{step.when.isoformat()}|{step.label}\n".encode())
        for h in self.hazards:
            sha.update(f"{h.key}|{h.listing_number}\n".encode())
        return sha.hexdigest()


def load_demo(
    ledger: HazardLedger,
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
    views = [ledger.hazard(hid) for hid in hazard_ids]
    by_state = {s.value: 0 for s in HazardState}
    by_month: dict[str, int] = {f"{y}-{m:02d}": 0 for y, m in demo.months()}
    for view in views:
        by_state[view["state"]] += 1
        month = business_date(datetime.fromisoformat(view["reported_at"])).strftime("%Y-%m")
        by_month[month] = by_month.get(month, 0) + 1
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
        enterprise_ids=tuple(e.id for e in demo.enterprises),
        inspection_ids=tuple(i.id for i in demo.inspections if i.id is not None),
        hazard_ids=hazard_ids,
    )
