"""The demo's enforcement stories (执法案件): each built on hazards of its own so the plan's five rules
meet the facts they need on any seed; and the publication batches (分批公布)."""

from __future__ import annotations

from datetime import datetime, timedelta

from demo.planner import Planner
from demo.records import (
    G,
    M,
    _at,
    _Case,
    _Record,
)
from demo.tables import (
    FATAL_ACCIDENTS,
    GAS_ALARM_OFF,
    HAZARDS,
    JOINT_MEASURES,
    SAFETY_LAW,
)
from domain.actor import SYSTEM_ACTOR
from domain.commands.enforcement import (
    CloseCase,
    PublishBatch,
    RecommendClosure,
)
from domain.glossary import (
    Assessor,
    BatchKind,
    HazardSource,
    InspectionKind,
    InspectionMethod,
    Stoppage,
    SupervisionLevel,
)
from domain.ledger import Receipt
from domain.values import SupervisionListing


class EnforcementStories(Planner):
    # ----- enforcement (执法案件): the plan's five rules in action -----------------------------

    def plan_enforcement(self) -> None:
        self.story_lapsed_major()
        self.story_accident_cases()
        self.story_repeat_offender()
        self.story_self_reported()
        self.story_gas_alarm()
        self.story_other_violations()

    def story_lapsed_major(self) -> None:
        """案件一: a major not rectified by its deadline (DeadlineMissed) → 一案双罚, 停产整顿, 复产验收 only
        after the major is verified."""
        ent = self.pick(self.of_sector("hazardous_chemicals"))
        team = self.inspectors["yjj"][:2]
        _, (h,) = self.story_inspection(
            ent,
            InspectionKind.DEPARTMENT,
            InspectionMethod.UNANNOUNCED,
            team,
            self.on(6, 6),
            [self.template(ent.sector, M, "危险化学品储存")],
        )
        self.lapsed = h
        officer, verifier = team
        deadline = self.on(7, 7)
        moment = self.at(6, 7, 10)
        self.hazard_step(
            h, "file_plan", ent.principal, self.at(6, 8, 10), f"deadline={deadline}", plan=self.plan_for(h, deadline)
        )
        moment = self.at(6, 20, 9)
        moment = self.at(6, 20, 11)
        self.add(moment, f"evidence_rect {h.key}", self.evidence_step(h, ent.safety, moment, "整改过程照片", "image/png", 0))
        self.hazard_step(
            h, "record_progress", ent.safety, self.at(6, 21, 15), "30", note="已完成危险化学品分区分类清理，完成约30%", percent=30
        )
        moment = self.at(6, 22, 10)
        self.hazard_step(h, "mark_deadline_missed", SYSTEM_ACTOR, _at(self.on(7, 8), 0, 15))
        case = self.new_case("yjj", ent, officer, [h], [])
        self.open_case(case, self.at(7, 11, 10), SAFETY_LAW + "第一百零二条")
        fine, principal_fine = self.wan(10, 30), self.qian(20, 50)
        self.case_step(
            case,
            "impose_dual_penalty",
            officer,
            self.at(7, 13, 11),
            f"{fine}+{principal_fine}",
            enterprise_fine_yuan=fine,
            principal_fine_yuan=principal_fine,
            decision_number=self.decision_number("yjj"),
            legal_basis=SAFETY_LAW + "第一百零二条",
        )
        self.case_step(
            case,
            "order_suspension",
            officer,
            self.at(7, 13, 15),
            decision_number=self.next_number("呈应急责停"),
            reason="重大事故隐患逾期未整改，责令停产停业整顿",
        )
        leader = self.leaders["yjj"]
        self.hazard_step(
            h,
            "extend_deadline",
            officer,
            self.at(7, 17, 11),
            request_date=self.on(7, 15),
            reason="整改需更换储存设施和隔离设施，设备供货周期较长",
            new_deadline=self.on(8, 10),
            approver=leader,
        )
        self.hazard_step(h, "record_progress", ent.safety, self.at(7, 28, 15), "70", note="隔离设施已安装，完成约70%", percent=70)
        moment = self.at(8, 4, 9)
        self.add(
            moment, f"evidence_done {h.key}", self.evidence_step(h, ent.safety, moment, "整改完成报告", "application/pdf", 1)
        )
        self.hazard_step(h, "complete_rectification", ent.safety, self.at(8, 4, 11), note="已按整改方案完成整改，申请验收")
        self.hazard_step(
            h,
            "verify",
            verifier,
            self.at(8, 8, 10),
            passed=True,
            opinion="经现场核查，危险化学品已分区分类储存，隔离设施到位，同意验收通过",
            assessed_by=[Assessor.EXPERTS, Assessor.GOVERNMENT],
        )
        self.case_step(
            case, "lift_suspension", officer, self.at(8, 10, 10), opinion="经复产验收，重大事故隐患已整改验收合格，同意恢复生产"
        )
        self.hazard_step(h, "close_hazard", verifier, self.at(8, 11, 10), note="验收合格，予以销号")
        self.case_step(case, "close_case", officer, self.at(8, 18, 10), reason="罚款已缴纳，停产整顿已解除，所涉隐患已整改销号")
        self.case_step(
            case,
            "expose_case",
            officer,
            self.at(9, 6, 10),
            channel="呈贡区人民政府门户网站“曝光台”",
            title=f"{ent.name}重大事故隐患逾期未整改被“一案双罚”并停产整顿",
        )
        self.case_step(
            case,
            "publish_as_typical",
            officer,
            self.at(9, 20, 10),
            title=f"{ent.name}危险化学品违规储存逾期未整改案",
            dangerous_operations_crime=False,
        )
        self.lapsed_case = case

    def story_accident_cases(self) -> None:
        """案件二、三: cases citing the two general accidents — dual penalty required; after it, a
        further penalty on the safety manager; the fatal one goes to the judiciary (重大责任事故罪)."""
        yjj = self.inspectors["yjj"]
        ent, officer = self.fatal_ent, yjj[-1]
        item = FATAL_ACCIDENTS[ent.sector][0]
        name, template = self.template(ent.sector, M, item)
        h = self.new_hazard(ent, name, template, HazardSource.ACCIDENT_INVESTIGATION, officer, self.at(6, 13, 15))
        self.report_step(h)
        self.hazard_step(h, "file_plan", ent.principal, self.at(6, 15, 10), plan=self.plan_for(h, self.on(7, 31)))
        self.hazard_step(
            h,
            "record_progress",
            ent.safety,
            self.at(7, 1, 15),
            "50",
            note="已完成作业审批制度修订和检测设备采购，完成约50%",
            percent=50,
        )
        self.hazard_step(h, "complete_rectification", ent.safety, self.at(7, 24, 10), note="已按整改方案完成整改，申请验收")
        self.hazard_step(
            h,
            "verify",
            yjj[0],
            self.at(7, 27, 10),
            passed=True,
            opinion="经现场核查，整改措施已落实到位，同意验收通过",
            assessed_by=[Assessor.GOVERNMENT],
        )
        self.hazard_step(h, "close_hazard", yjj[0], self.at(7, 29, 10), note="验收合格，予以销号")
        case = self.new_case("yjj", ent, officer, [h], [self.fatal])
        basis = SAFETY_LAW + "第一百一十四条第一款第（一）项、第九十五条第（一）项"
        self.open_case(case, self.at(6, 19, 10), basis)
        fine, principal_fine = self.wan(30, 50), self.qian(30, 60)
        self.case_step(
            case,
            "impose_dual_penalty",
            officer,
            self.at(7, 10, 10),
            f"{fine}+{principal_fine}",
            enterprise_fine_yuan=fine,
            principal_fine_yuan=principal_fine,
            decision_number=self.decision_number("yjj"),
            legal_basis=basis,
        )
        manager_fine = self.qian(10, 20)
        self.case_step(
            case,
            "decide_penalty",
            officer,
            self.at(7, 10, 16),
            f"person {manager_fine}",
            target="person",
            person_name=ent.safety.name,
            fine_yuan=manager_fine,
            decision_number=self.decision_number("yjj"),
            legal_basis=SAFETY_LAW + "第九十六条",
        )
        self.case_step(
            case,
            "interview_enterprise",
            officer,
            self.at(7, 12, 10),
            interviewer=self.leaders["yjj"],
            note="约谈企业主要负责人，通报事故教训，督促举一反三",
        )
        foreman = self.person_name()
        self.case_step(
            case,
            "transfer_to_judiciary",
            officer,
            self.at(7, 20, 10),
            f"[{foreman}]",
            persons=[foreman],
            suspected_offence="涉嫌重大责任事故罪（《中华人民共和国刑法》第一百三十四条第一款）",
            dangerous_operations_crime=False,
        )
        self.accident_step(
            self.fatal,
            "conclude_investigation",
            self.director,
            self.at(8, 15, 15),
            liability=True,
            responsible_persons=[ent.principal.name, foreman],
            summary="企业未落实有限空间作业审批和监护制度，现场负责人违章指挥，认定为一般生产安全责任事故",
        )
        self.case_step(
            case, "close_case", officer, self.at(9, 12, 10), reason="处罚决定已执行，涉案人员已移送司法机关，事故隐患已整改销号"
        )
        self.case_step(
            case,
            "publish_as_typical",
            officer,
            self.at(9, 25, 10),
            title=f"{ent.name}“6·12”一般生产安全责任事故“一案双罚”案",
            dangerous_operations_crime=False,
        )
        self.fatal_case = case

        minor = self.new_case("yjj", self.minor_ent, yjj[0], [], [self.minor])
        self.open_case(minor, self.at(7, 3, 10), basis)
        fine, principal_fine = self.wan(20, 25), self.qian(15, 30)
        self.case_step(
            minor,
            "impose_dual_penalty",
            yjj[0],
            self.at(7, 20, 10),
            f"{fine}+{principal_fine}",
            enterprise_fine_yuan=fine,
            principal_fine_yuan=principal_fine,
            decision_number=self.decision_number("yjj"),
            legal_basis=basis,
        )
        self.case_step(minor, "close_case", yjj[0], self.at(8, 25, 10), reason="罚款已缴纳，结案")
        self.minor_case = minor

        fire_unit = "xfj"
        xfj = self.inspectors[fire_unit]
        house = self.fire_ent
        fire_case = self.new_case(fire_unit, house, xfj[0], [], [self.fire])
        self.open_case(fire_case, self.at(11, 10, 10), SAFETY_LAW + "第一百一十四条第一款第（一）项")
        fine, principal_fine = self.wan(20, 30), self.qian(10, 30)
        self.case_step(
            fire_case,
            "impose_dual_penalty",
            xfj[0],
            self.at(11, 28, 10),
            f"{fine}+{principal_fine}",
            enterprise_fine_yuan=fine,
            principal_fine_yuan=principal_fine,
            decision_number=self.decision_number(fire_unit),
            legal_basis=SAFETY_LAW + "第一百一十四条第一款第（一）项、第九十五条第（一）项",
        )
        self.fire_case = fire_case  # still open at the end of the year (罚款执行中)

    def story_repeat_offender(self) -> None:
        """案件四、五: a major open for months and penalised twice (rule 3) → 提请关闭 → 关闭取缔 → 吊销证照,
        行业禁入 of the principal, 移送司法机关 (危险作业罪), 联合惩戒; the first case closes with a reason."""
        rng = self.rng
        ent = self.offender
        yjj = self.inspectors["yjj"]
        first_officer, second_officer = yjj[0], yjj[1]
        _, (h,) = self.story_inspection(
            ent,
            InspectionKind.DEPARTMENT,
            InspectionMethod.UNANNOUNCED,
            yjj[:2],
            self.on(5, 16),
            [self.template("fireworks", M, "库房存储和核定药量")],
        )
        self.hazard_step(h, "file_plan", ent.principal, self.at(5, 18, 10), plan=self.plan_for(h, self.on(6, 15)))
        first = self.new_case("yjj", ent, first_officer, [h], [])
        basis = SAFETY_LAW + "第一百零二条"
        self.open_case(first, self.at(5, 22, 10), basis)
        fine = self.wan(3, 5)
        self.case_step(
            first,
            "decide_penalty",
            first_officer,
            self.at(5, 25, 10),
            f"enterprise {fine}",
            target="enterprise",
            fine_yuan=fine,
            decision_number=self.decision_number("yjj"),
            legal_basis=basis,
            other_measures="责令限期消除超量储存隐患",
        )
        self.hazard_step(h, "mark_deadline_missed", SYSTEM_ACTOR, _at(self.on(6, 16), 0, 20))
        second = self.new_case("yjj", ent, second_officer, [h], [])
        self.open_case(second, self.at(7, 5, 10), basis + "；《烟花爆竹经营许可实施办法》第三十二条")
        fine, principal_fine = self.wan(20, 50), self.qian(20, 50)
        self.case_step(
            second,
            "impose_dual_penalty",
            second_officer,
            self.at(7, 7, 10),
            f"{fine}+{principal_fine}",
            enterprise_fine_yuan=fine,
            principal_fine_yuan=principal_fine,
            decision_number=self.decision_number("yjj"),
            legal_basis=basis,
        )
        self.case_step(
            second,
            "order_suspension",
            second_officer,
            self.at(7, 7, 14),
            decision_number=self.next_number("呈应急责停"),
            reason="拒不执行限期消除重大事故隐患的决定，责令停产停业整顿",
        )
        licence = f"（滇）YH批〔{self.start.year - 2}〕{rng.randint(10, 99):04d}号"
        self.case_step(
            second,
            "suspend_or_revoke_licence",
            second_officer,
            self.at(7, 7, 16),
            "suspend",
            action="suspend",
            licence_name="烟花爆竹经营（批发）许可证",
            licence_number=licence,
            decision_number=self.decision_number("yjj"),
        )
        # 16 August: open 90+ days, penalised twice — the process manager marks the case.
        recommended_at = _at(self.on(8, 16), 1, 0)

        def recommend() -> Receipt:
            return self.act(
                SYSTEM_ACTOR,
                RecommendClosure(case_id=second.id, hazard_id=h.id, other_case_ids=[first.id], occurred_at=recommended_at),
            )  # type: ignore[arg-type, list-item]

        self.add(recommended_at, f"recommend_closure {second.key} {h.key} [{first.key}]", recommend)
        government = "昆明市呈贡区人民政府"
        self.case_step(
            second,
            "request_closure",
            second_officer,
            self.at(8, 18, 10),
            government=government,
            reason="重大事故隐患长期存在、多次处罚仍拒不整改，停产整顿期间擅自经营，依据《安全生产法》第一百一十三条提请关闭",
        )
        self.case_step(
            second,
            "order_closure",
            second_officer,
            self.at(8, 25, 15),
            government=government,
            decision_number=f"呈政关〔{self.start.year}〕{rng.randint(2, 6)}号",
        )
        revoke_number = self.decision_number("yjj")
        self.case_step(
            second,
            "suspend_or_revoke_licence",
            second_officer,
            self.at(8, 28, 10),
            "revoke",
            action="revoke",
            licence_name="烟花爆竹经营（批发）许可证",
            licence_number=licence,
            decision_number=revoke_number,
        )
        self.case_step(second, "apply_industry_ban", second_officer, self.at(8, 30, 10), "lifelong", years=None)
        keeper = self.person_name()
        offence = (
            "涉嫌危险作业罪（《中华人民共和国刑法》第一百三十四条之一第（二）项："
            "因存在重大事故隐患被依法责令停产停业整顿，拒不执行）"
        )
        self.case_step(
            second,
            "transfer_to_judiciary",
            second_officer,
            self.at(9, 1, 14),
            f"[{ent.principal.name}, {keeper}]",
            persons=[ent.principal.name, keeper],
            suspected_offence=offence,
            dangerous_operations_crime=True,
        )
        self.case_step(second, "apply_joint_punishment", second_officer, self.at(9, 4, 10), measures=list(JOINT_MEASURES))
        closed_at = self.at(9, 5, 11)
        self.add(
            closed_at,
            f"close_case {first.key} {first_officer.user_id} with open hazards, see {second.key}",
            lambda: self.act(
                first_officer,
                CloseCase(
                    case_id=first.id,
                    reason="罚款已缴纳",
                    open_hazards_reason=f"所涉隐患已并入{second.number}案件处理，企业已被依法关闭取缔",
                    occurred_at=closed_at,
                ),
            ),
        )
        self.hazard_step(
            h,
            "complete_rectification",
            ent.safety,
            self.at(9, 11, 10),
            note="企业已被关闭取缔，库存烟花爆竹已全部转运至有资质企业销毁，库房已拆除",
        )
        self.hazard_step(
            h,
            "verify",
            yjj[-1],
            self.at(9, 13, 10),
            passed=True,
            opinion="经现场核查，库存产品已清运销毁，库房已拆除，隐患已消除",
            assessed_by=[Assessor.GOVERNMENT],
        )
        self.hazard_step(h, "close_hazard", yjj[-1], self.at(9, 14, 10), note="企业关闭取缔，隐患消除，予以销号")
        self.case_step(
            second,
            "close_case",
            second_officer,
            self.at(9, 20, 10),
            reason="企业已关闭取缔，主要负责人终身行业禁入，涉案人员已移送司法机关",
        )
        self.case_step(
            second,
            "expose_case",
            second_officer,
            self.at(9, 22, 10),
            channel="昆明日报",
            title=f"{ent.name}屡罚不改被依法关闭取缔",
        )
        title = f"{ent.name}停产整顿期间擅自经营涉嫌危险作业罪案"
        self.case_step(
            second, "publish_as_typical", second_officer, self.at(10, 10, 10), title=title, dangerous_operations_crime=True
        )
        self.offender_cases = (first, second)

    def story_self_reported(self) -> None:
        """案件六: a major the enterprise found, reported in time and is rectifying — no penalty (rule 1);
        the case closes with a reason while the hazard is still open. A general hazard of the same
        self-inspection shows the claimer who would verify his own work."""
        ent = self.pick(self.of_sector("industry_trade") or self.of_sector("hazardous_chemicals", "fireworks", "pharmaceuticals"))
        major = self.template(ent.sector, M)
        general = next((item, t) for item, ts in HAZARDS[ent.sector].items() for t in ts if t[0] is G and item != major[0])
        _, (hd, hg) = self.story_inspection(
            ent,
            InspectionKind.SELF_INSPECTION,
            InspectionMethod.ROUTINE,
            [ent.principal, ent.safety],
            self.on(7, 3),
            [major, general],
        )
        self.hazard_step(hd, "report_to_regulator", ent.principal, hd.t0 + timedelta(hours=2))
        self.hazard_step(hd, "file_plan", ent.principal, self.at(7, 5, 10), plan=self.plan_for(hd, self.on(8, 31)))
        self.hazard_step(hg, "file_plan", ent.safety, self.at(7, 5, 14), plan=self.plan_for(hg, self.on(7, 20), major=False))
        self.hazard_step(hg, "complete_rectification", ent.principal, self.at(7, 12, 10), note="已完成整改")
        yjj = self.inspectors["yjj"]
        self.hazard_step(
            hg,
            "verify",
            yjj[-1],
            self.at(7, 14, 10),
            passed=True,
            opinion="经现场核查，整改措施已落实，同意验收通过",
            assessed_by=[Assessor.GOVERNMENT],
        )
        self.hazard_step(hg, "close_hazard", ent.principal, self.at(7, 15, 10), note="验收合格，予以销号")
        case = self.new_case("yjj", ent, yjj[0], [hd], [])
        basis = SAFETY_LAW + "第一百零二条"
        self.open_case(case, self.at(7, 20, 10), basis)
        self.case_step(
            case,
            "close_case",
            yjj[0],
            self.at(7, 24, 11),
            reason="依法不予行政处罚",
            open_hazards_reason="该隐患系企业自查发现并及时报告，正在按整改方案有效整改，已纳入跟踪督办",
        )
        self.hazard_step(hd, "record_progress", ent.safety, self.at(8, 5, 15), "60", note="整改施工进行中，完成约60%", percent=60)
        self.hazard_step(hd, "complete_rectification", ent.safety, self.at(8, 25, 10), note="已按整改方案完成整改，申请验收")
        self.hazard_step(
            hd,
            "verify",
            self.experts[0],
            self.at(8, 29, 10),
            passed=True,
            opinion="经专家现场核查，整改措施已落实到位，同意验收通过",
            assessed_by=[Assessor.ENTERPRISE, Assessor.EXPERTS, Assessor.GOVERNMENT],
        )
        self.hazard_step(hd, "close_hazard", yjj[0], self.at(9, 1, 10), note="验收合格，予以销号")
        self.exempt_case = case

    def story_gas_alarm(self) -> None:
        """案件七: a gas company switched off its leak alarm — a listed major, 停产整顿, 暂扣证照, 危险作业罪;
        the listed hazard cannot close before the listing is lifted."""
        rng = self.rng
        ent = self.pick(self.of_sector("urban_gas"), prefer="燃气")
        zjj = self.inspectors["zjj"]
        officer = zjj[0]
        _, (h,) = self.story_inspection(
            ent, InspectionKind.DEPARTMENT, InspectionMethod.UNANNOUNCED, zjj[:2], self.on(6, 20), [("场站安全", GAS_ALARM_OFF)]
        )
        h.flags.add("listed")
        listing = SupervisionListing(
            level=SupervisionLevel.DISTRICT,
            supervising_body="昆明市呈贡区安全生产委员会",
            document_number="",
            issuer=self.director.name,
            time_limit=self.on(8, 15),
            notice_delivered_by=self.supervisors[1].name,
            notice_signed_by=ent.principal.name,
            notice_signed_at=self.at(6, 21, 15),
        )
        listed_at = self.at(6, 21, 10)
        self.add(listed_at, f"list {h.key}", self.listing_step(h, listing, listed_at))
        self.hazard_step(
            h, "file_plan", ent.principal, self.at(6, 22, 10), plan=self.plan_for(h, self.on(7, 31), stoppage=Stoppage.PARTIAL)
        )
        case = self.new_case("zjj", ent, officer, [h], [])
        basis = SAFETY_LAW + "第九十九条第（三）项；《城镇燃气管理条例》第四十五条"
        self.open_case(case, self.at(6, 23, 10), basis)
        fine = self.wan(4, 5)
        self.case_step(
            case,
            "decide_penalty",
            officer,
            self.at(6, 25, 10),
            f"enterprise {fine}",
            target="enterprise",
            fine_yuan=fine,
            decision_number=self.decision_number("zjj"),
            legal_basis=basis,
            other_measures="责令立即恢复报警装置",
        )
        self.case_step(
            case,
            "order_suspension",
            officer,
            self.at(6, 25, 14),
            decision_number=self.next_number("呈住建责停"),
            reason="储配站关闭可燃气体泄漏报警装置，存在重大事故隐患，责令储配站停产整顿",
        )
        self.case_step(
            case,
            "suspend_or_revoke_licence",
            officer,
            self.at(6, 26, 10),
            "suspend",
            action="suspend",
            licence_name="燃气经营许可证",
            licence_number=f"滇{self.start.year - 3}530114{rng.randint(1, 99):04d}",
            decision_number=self.decision_number("zjj"),
        )
        manager = self.person_name()
        self.case_step(
            case,
            "transfer_to_judiciary",
            officer,
            self.at(6, 30, 10),
            f"[{manager}]",
            persons=[manager],
            suspected_offence="涉嫌危险作业罪（《中华人民共和国刑法》第一百三十四条之一第（一）项：关闭直接关系生产安全的报警设备）",
            dangerous_operations_crime=True,
        )
        self.case_step(
            case,
            "interview_enterprise",
            officer,
            self.at(7, 3, 10),
            interviewer=self.leaders["zjj"],
            note="约谈企业主要负责人，责令全面排查所属场站报警装置",
        )
        self.hazard_step(
            h,
            "record_progress",
            ent.safety,
            self.at(7, 12, 15),
            "60",
            note="报警装置已恢复并完成标定，联锁改造进行中，完成约60%",
            percent=60,
        )
        self.hazard_step(h, "complete_rectification", ent.safety, self.at(7, 28, 10), note="已按整改方案完成整改，申请验收")
        self.hazard_step(
            h,
            "verify",
            self.experts[-1],
            self.at(8, 2, 10),
            passed=True,
            opinion="经专家现场核查，报警装置已恢复并与紧急切断联锁，同意验收通过",
            assessed_by=[Assessor.ENTERPRISE, Assessor.EXPERTS, Assessor.GOVERNMENT],
        )
        self.hazard_step(
            h,
            "lift_supervision",
            self.director,
            self.at(8, 4, 10),
            reason="隐患整改经验收合格，同意摘牌",
            approver=self.director.name,
        )
        self.hazard_step(h, "close_hazard", officer, self.at(8, 5, 10), note="验收合格，予以销号")
        self.case_step(
            case, "lift_suspension", officer, self.at(8, 7, 10), opinion="经复产验收，重大事故隐患已整改并摘牌销号，同意恢复运营"
        )
        self.case_step(
            case, "close_case", officer, self.at(8, 21, 10), reason="罚款已缴纳，停产整顿已解除，涉案人员已移送司法机关"
        )
        self.case_step(
            case,
            "expose_case",
            officer,
            self.at(8, 28, 10),
            channel="呈贡融媒",
            title=f"{ent.name}关闭燃气泄漏报警装置被立案查处",
        )
        self.case_step(
            case,
            "publish_as_typical",
            officer,
            self.at(9, 15, 10),
            title=f"{ent.name}关闭报警装置涉嫌危险作业罪案",
            dangerous_operations_crime=True,
        )
        self.gas_case = case

    def story_other_violations(self) -> None:
        """案件八至十: fire safety (a general hazard), a ride overdue for inspection and a dangerous-goods
        carrier with its vehicle monitoring off (no hazard cited)."""
        xfj = self.inspectors["xfj"]
        ent = self.pick(self.of_sector("fire_safety"), prefer="购物中心")
        _, (h,) = self.story_inspection(
            ent,
            InspectionKind.DEPARTMENT,
            InspectionMethod.OPEN_AND_COVERT,
            xfj[:2],
            self.on(8, 8),
            [self.template("fire_safety", G, "安全疏散")],
        )
        self.hazard_step(h, "file_plan", ent.safety, self.at(8, 9, 10), plan=self.plan_for(h, self.on(8, 25), major=False))
        case = self.new_case("xfj", ent, xfj[0], [h], [])
        basis = "《中华人民共和国消防法》第六十条第一款第（五）项"
        self.open_case(case, self.at(8, 10, 10), basis)
        fine = self.wan(2, 5)
        self.case_step(
            case,
            "decide_penalty",
            xfj[0],
            self.at(8, 11, 11),
            f"enterprise {fine}",
            target="enterprise",
            fine_yuan=fine,
            decision_number=self.decision_number("xfj"),
            legal_basis=basis,
            other_measures="责令立即清除疏散通道堆放物",
        )
        self.case_step(
            case,
            "interview_enterprise",
            xfj[0],
            self.at(8, 15, 10),
            interviewer=self.leaders["xfj"],
            note="约谈场所消防安全责任人",
        )
        self.case_step(
            case,
            "expose_case",
            xfj[0],
            self.at(8, 20, 15),
            channel="呈贡区人民政府门户网站“曝光台”",
            title=f"{ent.name}占用疏散通道被处罚",
        )
        self.hazard_step(h, "complete_rectification", ent.safety, self.at(8, 22, 10), note="已清除疏散通道堆放物")
        self.hazard_step(
            h,
            "verify",
            xfj[-1],
            self.at(8, 24, 10),
            passed=True,
            opinion="经复查，疏散通道已畅通，同意验收",
            assessed_by=[Assessor.GOVERNMENT],
        )
        self.hazard_step(h, "close_hazard", xfj[-1], self.at(8, 25, 10), note="验收合格，予以销号")
        self.case_step(case, "close_case", xfj[0], self.at(9, 1, 10), reason="罚款已缴纳，隐患已整改销号")
        self.fire_safety_case = case

        scj = self.inspectors["scj"]
        ride = self.pick(self.of_sector("special_equipment"), prefer="游乐")
        ride_case = self.new_case("scj", ride, scj[0], [], [])
        basis = "《中华人民共和国特种设备安全法》第八十四条第（一）项"
        self.open_case(ride_case, self.at(9, 5, 10), basis)
        fine = self.wan(3, 10)
        self.case_step(
            ride_case,
            "decide_penalty",
            scj[0],
            self.at(9, 8, 10),
            f"enterprise {fine}",
            target="enterprise",
            fine_yuan=fine,
            decision_number=self.decision_number("scj"),
            legal_basis=basis,
            other_measures="责令停止使用超期未检验的大型游乐设施",
        )
        self.case_step(
            ride_case,
            "interview_enterprise",
            scj[0],
            self.at(9, 12, 10),
            interviewer=self.leaders["scj"],
            note="约谈企业主要负责人",
        )
        self.case_step(ride_case, "close_case", scj[0], self.at(9, 29, 10), reason="罚款已缴纳，设备已检验合格")
        self.ride_case = ride_case

        jtj = self.inspectors["jtj"]
        carrier = self.pick(self.of_sector("transport"), prefer="危险货物")
        carrier_case = self.new_case("jtj", carrier, jtj[0], [], [])
        basis = SAFETY_LAW + "第九十九条第（三）项"
        self.open_case(carrier_case, self.at(10, 10, 10), basis)
        fine = self.wan(1, 5)
        self.case_step(
            carrier_case,
            "decide_penalty",
            jtj[0],
            self.at(10, 12, 10),
            f"enterprise {fine}",
            target="enterprise",
            fine_yuan=fine,
            decision_number=self.decision_number("jtj"),
            legal_basis=basis,
            other_measures="责令立即恢复车辆动态监控",
        )
        self.case_step(
            carrier_case,
            "interview_enterprise",
            jtj[0],
            self.at(10, 13, 10),
            interviewer=self.leaders["jtj"],
            note="约谈企业主要负责人和安全管理人员",
        )
        self.case_step(carrier_case, "close_case", jtj[0], self.at(10, 31, 10), reason="罚款已缴纳，监控已恢复")
        self.carrier_case = carrier_case

    # ----- publication batches (rule 5) --------------------------------------------------------

    def plan_batches(self) -> None:
        rng = self.rng
        seq = rng.randint(10, 20)
        batches = [
            (
                BatchKind.NOTICE,
                self.at(7, 31, 10),
                "呈贡区重大事故隐患专项排查整治执法情况通报（第一批）",
                "呈贡区人民政府门户网站",
                [self.offender_cases[0], self.lapsed_case, self.gas_case],
            ),
            (
                BatchKind.SUSPENSION,
                self.at(8, 15, 10),
                "停产整顿企业名单（第一批）",
                "昆明日报",
                [self.lapsed_case, self.offender_cases[1], self.gas_case],
            ),
            (
                BatchKind.INTERVIEW,
                self.at(9, 28, 10),
                "约谈警示企业名单（第一批）",
                "呈贡区人民政府门户网站",
                [self.fatal_case, self.fire_safety_case, self.ride_case],
            ),
            (
                BatchKind.JOINT_PUNISHMENT,
                self.at(10, 12, 10),
                "安全生产联合惩戒对象名单",
                "信用中国（云南昆明）",
                [self.offender_cases[1]],
            ),
            (
                BatchKind.NOTICE,
                self.at(12, 20, 10),
                "呈贡区重大事故隐患专项排查整治执法情况通报（第二批）",
                "呈贡区人民政府门户网站",
                [self.minor_case, self.carrier_case, self.fire_case],
            ),
        ]
        for kind, when, title, channel, cases in batches:
            seq += rng.randint(1, 4)
            number = f"呈安办通〔{self.start.year}〕{seq}号"
            record = _Record(f"B{len(self.batches) + 1}")
            self.batches.append(record)

            def run(
                r: _Record = record,
                kind: BatchKind = kind,
                when: datetime = when,
                title: str = title,
                channel: str = channel,
                cases: list[_Case] = cases,
                number: str = number,
            ) -> Receipt:
                enterprises = list(dict.fromkeys(c.enterprise.id for c in cases))
                receipt = self.act(
                    self.director,
                    PublishBatch(
                        kind=kind,
                        title=title,
                        document_number=number,
                        channel=channel,
                        enterprise_ids=enterprises,
                        case_ids=[c.id for c in cases],
                        occurred_at=when,
                    ),
                )
                r.id = receipt.id
                return receipt

            self.add(when, f"batch {record.key} {kind} {number} {title} {[c.key for c in cases]}", run)
