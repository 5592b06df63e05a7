"""The demo's enforcement stories (执法案件): each built on hazards of its own so the plan's five rules
meet the facts they need on any seed; and the publication batches (分批公布). What each story picks
from the seed (the enterprise, the inspection that finds its hazards) is here; its steps are data
(``demo/data/stories.toml``, run by ``demo/script.py``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from demo.records import G, M, _Case, _Enterprise, _Hazard, _Record
from demo.script import Script
from demo.tables import BATCHES, FATAL_ACCIDENTS, GAS_ALARM_OFF, HAZARDS, Template
from domain.actor import Actor
from domain.commands.enforcement import PublishBatch
from domain.glossary import BatchKind, HazardSource, InspectionKind, InspectionMethod, SupervisionLevel
from domain.values import SupervisionListing


class EnforcementStories(Script):
    # ----- enforcement (执法案件): the plan's five rules in action -----------------------------

    def plan_enforcement(self) -> None:
        self.story_lapsed_major()
        self.story_accident_cases()
        self.story_repeat_offender()
        self.story_self_reported()
        self.story_gas_alarm()
        self.story_other_violations()

    def story_hazards(
        self,
        ent: _Enterprise,
        team: list[Actor],
        day: date,
        picks: list[tuple[str, Template]],
        method: InspectionMethod = InspectionMethod.UNANNOUNCED,
        kind: InspectionKind = InspectionKind.DEPARTMENT,
    ) -> list[_Hazard]:
        """An inspection of the enforcement stories: the hazards it finds are reported, their lifecycle is scripted."""
        before = len(self.hazards)
        source = HazardSource.SELF_INSPECTION if kind is InspectionKind.SELF_INSPECTION else HazardSource.DEPARTMENT_INSPECTION
        self.plan_inspection(ent, kind, method, team, day, [t[0] for _, t in picks], source, picks=picks)
        found = self.hazards[before:]
        for h in found:
            self.story_report(h)
        return found

    def story_report(self, h: _Hazard) -> None:
        h.flags.add("story")  # its lifecycle is the story's, not planned by plan_lifecycle
        self.report_step(h)

    def story_lapsed_major(self) -> None:
        """案件一: a major not rectified by its deadline (DeadlineMissed) → 一案双罚, 停产整顿, 复产验收 only
        after the major is verified."""
        ent = self.pick(self.of_sector("hazardous_chemicals"))
        picks = [self.template(ent.sector, M, "危险化学品储存")]
        (h,) = self.story_hazards(ent, self.inspectors["yjj"][:2], self.on(6, 6), picks)
        officer, verifier = self.inspectors["yjj"][:2]
        self.run_story("lapsed_major", self.story_context(ent=ent, h=h, officer=officer, verifier=verifier))

    def story_accident_cases(self) -> None:
        """案件二、三: cases citing the general accidents — dual penalty required; after it, a further
        penalty on the safety manager; the fatal one goes to the judiciary (重大责任事故罪)."""
        ent, officer = self.accident_story["fatal_ent"], self.inspectors["yjj"][-1]
        name, template = self.template(ent.sector, M, FATAL_ACCIDENTS[ent.sector][0])
        h = self.new_hazard(ent, name, template, HazardSource.ACCIDENT_INVESTIGATION, officer, self.at(6, 13, 15))
        self.story_report(h)
        self.run_story("accident_cases", {**self.accident_story, "ent": ent, "h": h, "officer": officer})

    def story_repeat_offender(self) -> None:
        """案件四、五: a major open for months and penalised twice (rule 3) → 提请关闭 → 关闭取缔 → 吊销证照,
        行业禁入 of the principal, 移送司法机关 (危险作业罪), 联合惩戒; the first case closes with a reason."""
        ent = self.offender
        picks = [self.template("fireworks", M, "库房存储和核定药量")]
        (h,) = self.story_hazards(ent, self.inspectors["yjj"][:2], self.on(5, 16), picks)
        self.run_story("repeat_offender", self.story_context(ent=ent, h=h, lifelong=None))

    def story_self_reported(self) -> None:
        """案件六: a major the enterprise found, reported in time and is rectifying — no penalty (rule 1);
        the case closes with a reason while the hazard is still open. A general hazard of the same
        self-inspection shows the claimer who would verify his own work."""
        ent = self.pick(self.of_sector("industry_trade") or self.of_sector("hazardous_chemicals", "fireworks", "pharmaceuticals"))
        major = self.template(ent.sector, M)
        general = next((item, t) for item, ts in HAZARDS[ent.sector].items() for t in ts if t[0] is G and item != major[0])
        team, picks = [ent.principal, ent.safety], [major, general]
        hd, hg = self.story_hazards(ent, team, self.on(7, 3), picks, InspectionMethod.ROUTINE, InspectionKind.SELF_INSPECTION)
        self.run_story("self_reported", self.story_context(ent=ent, hd=hd, hg=hg))

    def story_gas_alarm(self) -> None:
        """案件七: a gas company switched off its leak alarm — a listed major, 停产整顿, 暂扣证照, 危险作业罪;
        the listed hazard cannot close before the listing is lifted."""
        ent = self.pick(self.of_sector("urban_gas"), prefer="燃气")
        (h,) = self.story_hazards(ent, self.inspectors["zjj"][:2], self.on(6, 20), [("场站安全", GAS_ALARM_OFF)])
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
        self.run_story("gas_alarm", self.story_context(ent=ent, h=h, officer=self.inspectors["zjj"][0]))

    def story_other_violations(self) -> None:
        """案件八至十: fire safety (a general hazard), a ride overdue for inspection and a dangerous-goods
        carrier with its vehicle monitoring off (no hazard cited)."""
        ent = self.pick(self.of_sector("fire_safety"), prefer="购物中心")
        picks = [self.template("fire_safety", G, "安全疏散")]
        (h,) = self.story_hazards(ent, self.inspectors["xfj"][:2], self.on(8, 8), picks, InspectionMethod.OPEN_AND_COVERT)
        ride = self.pick(self.of_sector("special_equipment"), prefer="游乐")
        carrier = self.pick(self.of_sector("transport"), prefer="危险货物")
        self.run_story("other_violations", self.story_context(ent=ent, h=h, ride=ride, carrier=carrier))

    # ----- publication batches (rule 5) --------------------------------------------------------

    def plan_batches(self) -> None:
        rng = self.rng
        seq = rng.randint(10, 20)
        for batch in BATCHES:
            seq += rng.randint(1, 4)
            number = f"呈安办通〔{self.start.year}〕{seq}号"
            record = _Record(f"B{len(self.batches) + 1}")
            self.batches.append(record)
            kind, when = BatchKind(batch["kind"]), self.at(*batch["at"])
            cases = [self.story_cases[name] for name in batch["cases"]]

            def command(kind: BatchKind = kind, when: datetime = when, b: dict[str, Any] = batch, cases: list[_Case] = cases,
                        number: str = number) -> PublishBatch:  # fmt: skip
                return PublishBatch(
                    kind=kind,
                    title=b["title"],
                    document_number=number,
                    channel=b["channel"],
                    enterprise_ids=list(dict.fromkeys(c.enterprise.id for c in cases)),
                    case_ids=[c.id for c in cases],  # type: ignore[misc]
                    occurred_at=when,
                )

            label = f"batch {record.key} {kind} {number} {batch['title']} {[c.key for c in cases]}"
            self.create(record, self.director, when, label, command)
