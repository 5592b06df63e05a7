"""The rest of the demo campaign: spot checks, accidents, risk points, outstanding problems, work
logs, unit warnings and accountability, and the helpers the enforcement stories share."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

from demo.planner import Planner
from demo.records import (
    _Accident,
    _at,
    _Case,
    _Enterprise,
    _Hazard,
    _Inspection,
    _Next,
    _Record,
)
from demo.tables import (
    CASE_PREFIXES,
    FATAL_ACCIDENTS,
    HAZARDS,
    MINOR_ACCIDENTS,
    OFFICE_ACTIVITIES,
    PROBLEMS,
    RISK_POINTS,
    SUPPLY_KITS,
    TRADE_NAMES,
    Template,
)
from domain.actor import Actor
from domain.business_time import business_date
from domain.commands.accountability import PursueAccountability
from domain.commands.enforcement import (
    OpenCase,
)
from domain.commands.inspections import RecordDeficiencies
from domain.commands.risks import (
    AdoptRootCauseMeasure,
    IdentifyProblem,
    ListControlMeasures,
    ListEmergency,
    ListResponsibility,
    RectifyProblem,
    RegisterRiskPoint,
)
from domain.commands.warnings import ConfirmWarning, ProposeWarning
from domain.commands.work_logs import RecordActivity
from domain.glossary import (
    ActivityKind,
    Grade,
    InspectionKind,
    OrgKind,
    Role,
    SpotCheckDeficiency,
    Stoppage,
    WarningLevel,
    WarningTrigger,
)
from domain.ledger import Receipt
from domain.risk_point import EmergencySupply, HazardCharacteristics
from domain.values import RectificationPlan


class CampaignPlan(Planner):
    # ===== the rest of the campaign ==========================================================
    #
    # Enforcement cases, publication batches, accidents, risk points, outstanding problems, work
    # logs and spot-check deficiencies. Planned after
    # the hazards' lifecycles with the same generator; the enforcement stories use hazards of their
    # own (found by inspections planned here) so every rule meets the facts it needs on any seed.

    def plan_campaign(self) -> None:
        self.story_cast()
        self.plan_spot_checks()
        self.plan_accidents()
        self.plan_enforcement()
        self.plan_batches()
        self.plan_risk_points()
        self.plan_problems()
        self.plan_work_logs()
        self.plan_unit_warnings()
        self.plan_accountability()  # 责任倒查、追责问责

    # ----- helpers ----------------------------------------------------------------------------

    def on(self, month: int, day: int) -> date:
        return date(self.start.year, month, day)

    def at(self, month: int, day: int, hour: int, minute: int | None = None) -> datetime:
        return _at(self.on(month, day), hour, self.rng.randint(0, 59) if minute is None else minute)

    def phone(self) -> str:
        return self.rng.choice(("138", "139", "135", "137", "158", "187", "151", "182")) + f"{self.rng.randint(0, 99999999):08d}"

    def wan(self, lo: int, hi: int) -> int:
        """A fine in whole 万元, as yuan."""
        return self.rng.randint(lo, hi) * 10_000

    def qian(self, lo: int, hi: int) -> int:
        """A fine in whole 千元, as yuan."""
        return self.rng.randint(lo, hi) * 1_000

    def template(self, sector: str, grade: Grade, item: str | None = None) -> tuple[str, Template]:
        """The first template of ``grade`` (in ``item`` if given) of a sector: story hazards are fixed."""
        for name, templates in HAZARDS[sector].items():
            if item is not None and name != item:
                continue
            for t in templates:
                if t[0] is grade:
                    return name, t
        raise RuntimeError(f"no {grade} template for {sector} {item}")

    def plan_for(
        self, h: _Hazard, deadline: date, *, major: bool = True, stoppage: Stoppage = Stoppage.NONE
    ) -> RectificationPlan:
        ent = h.enterprise
        return RectificationPlan(
            responsible_person=ent.principal.name if major else ent.safety.name,
            measures=h.measures,
            funds_yuan=self.rng.randint(30, 400) * 1000 if major else self.rng.randint(5, 80) * 100,
            deadline=deadline,
            contingency_plan=f"制定“{h.item}”专项应急处置方案，整改期间落实专人监护和临时管控措施" if major else "",
            stoppage=stoppage,
            government_coordination=stoppage is Stoppage.FULL,
        )

    def next_number(self, series: str) -> _Next:
        if series not in self.series_start:
            self.series_start[series] = self.rng.randint(5, 25)
        return _Next(series, self.rng.randint(1, 4))

    def issue(self, number: _Next) -> str:
        """Run time: the next number of the series."""
        value = self.series_now.get(number.series, self.series_start[number.series]) + number.gap
        self.series_now[number.series] = value
        return f"{number.series}〔{self.start.year}〕{value}号"

    def new_case(self, unit: str, ent: _Enterprise, officer: Actor, hazards: list[_Hazard], accidents: list[_Accident]) -> _Case:
        case = _Case(
            f"C{len(self.cases) + 1:02d}", self.next_number(CASE_PREFIXES[unit][0]), unit, ent, officer, hazards, accidents
        )
        self.cases.append(case)
        return case

    def decision_number(self, unit: str) -> _Next:
        return self.next_number(CASE_PREFIXES[unit][1])

    def open_case(self, case: _Case, when: datetime, legal_basis: str) -> None:
        def command(c: _Case = case) -> OpenCase:
            c.number = self.issue(c.series)  # the case number is taken when the case opens
            return OpenCase(
                enterprise_id=c.enterprise.id,
                legal_basis=legal_basis,
                case_number=c.number,
                cited_hazard_ids=[h.id for h in c.hazards],
                accident_ids=[a.id for a in c.accidents],
                occurred_at=when,
            )

        cited = [h.key for h in case.hazards] + [a.key for a in case.accidents]
        label = f"open_case {case.key} {case.series.series} {case.enterprise.credit_code} {cited} {legal_basis}"
        self.create(case, case.officer, when, label, command)

    def street_officer(self, street: str) -> Actor:
        if street not in self.street_staff:
            unit = self.ref.jurisdiction(street)
            self.street_staff[street] = self.actor(f"{street}.01", Role.STREET_OFFICER, unit.id, unit.kind, unit.name)
        return self.street_staff[street]

    def pick(self, candidates: list[_Enterprise], prefer: str = "") -> _Enterprise:
        """One of the candidates not yet in an enforcement story (the preferred kind of business first)."""
        free = [e for e in candidates if e.index not in self.in_story] or candidates
        preferred = [e for e in free if prefer and prefer in e.name] or free
        ent = self.rng.choice(preferred)
        self.in_story.add(ent.index)
        return ent

    def of_sector(self, *sectors: str) -> list[_Enterprise]:
        return [e for e in self.enterprises if e.sector in sectors]

    # ----- cast of the rest of the campaign ----------------------------------------------------

    def story_cast(self) -> None:
        rng = self.rng
        by_street = Counter(e.jurisdiction for e in self.enterprises)
        self.busy_streets = [s for s, _ in sorted(by_street.items(), key=lambda kv: (-kv[1], kv[0]))[:2]]
        for street in self.busy_streets:
            self.street_officer(street)
        # A fireworks wholesaler that the campaign will close down (a repeat offender): registered
        # by the 区安委办 in the first week, like the others, but without a self-inspection habit.
        used = {e.credit_code for e in self.enterprises}
        taken = "".join(e.name for e in self.enterprises)
        trade_name = rng.choice([z for z in TRADE_NAMES if z not in taken])
        self.offender = self.new_enterprise(f"昆明{trade_name}烟花爆竹销售有限公司", "fireworks", "qidian", True, used)
        self.register_step(self.offender, self.at(5, 5, 10))
        self.in_story.add(self.offender.index)

    # ----- spot checks: the seven deficiencies of Annex 1 --------------------------------------

    def plan_spot_checks(self) -> None:
        rng = self.rng
        spots = sorted((i for i in self.inspections if i.kind is InspectionKind.SPOT_CHECK), key=lambda i: i.when)
        if len(spots) < 2:
            raise RuntimeError("the demo needs at least two spot checks")
        everything = list(SpotCheckDeficiency)
        found: dict[str, list[SpotCheckDeficiency]] = {}
        for i in spots:
            found[i.key] = rng.sample(everything, rng.choices([1, 2, 3], [55, 30, 15])[0]) if rng.random() < 0.45 else []
        clean = next((i for i in spots if not found[i.key]), spots[-1])
        found[clean.key] = []
        others = [i for i in spots if i is not clean]
        for deficiency in everything:
            if not any(deficiency in ds for ds in found.values()):
                pool = [i for i in others if 0 < len(found[i.key]) < 3] or others
                found[rng.choice(pool).key].append(deficiency)
        for i in spots:
            ds = sorted(found[i.key], key=everything.index)  # in the form's order
            when = i.findings_done + timedelta(minutes=8)  # type: ignore[operator]

            def record(insp: _Inspection = i, ds: list[SpotCheckDeficiency] = ds, at: datetime = when) -> Receipt:
                return self.act(
                    insp.recorder, RecordDeficiencies(inspection_id=insp.id, deficiencies=ds, occurred_at=at)
                )  # type: ignore[arg-type]

            self.add(when, f"deficiencies {i.key} {[d.value for d in ds]}", record)
            self.spot_checks += 1

    # ----- accidents (生产安全事故) --------------------------------------------------------------

    def plan_accidents(self) -> None:
        """The accidents' picks; their steps are data (``accidents`` in ``demo/data/stories.toml``)."""
        # Two general accidents within a month in one street, both in yjj-led rows: the street and
        # the department each have two (告知 of the warning ladder).
        pool = self.of_sector("industry_trade", "hazardous_chemicals")
        streets = Counter(e.jurisdiction for e in pool)
        shared = sorted((s for s, n in streets.items() if n >= 2), key=lambda s: (-streets[s], s))
        pair_pool = [e for e in pool if e.jurisdiction == shared[0]] if shared else pool
        fatal_ent = self.pick(pair_pool)
        minor_ent = self.pick([e for e in pair_pool if e is not fatal_ent])
        _, fatal_what, fatal_place = FATAL_ACCIDENTS[fatal_ent.sector]
        minor_what, minor_place = MINOR_ACCIDENTS[minor_ent.sector]
        house = self.pick(self.of_sector("self_built_housing"), prefer="餐饮")
        ctx = self.story_context(
            fatal_ent=fatal_ent,
            fatal_what=fatal_what,
            fatal_place=fatal_place,
            minor_ent=minor_ent,
            minor_what=minor_what,
            minor_place=minor_place,
            minor_street=self.street_officer(minor_ent.jurisdiction),
            site=self.pick(self.of_sector("construction_housing")),
            lift=self.pick(self.of_sector("special_equipment"), prefer="物业"),
            house=house,
            house_street=self.street_officer(house.jurisdiction),
        )
        self.accident_story = self.run_story("accidents", ctx)  # the cases citing them (enforcement.py) go on from it

    # ----- risk points (Annex 3, 4个清单) -------------------------------------------------------

    def plan_risk_points(self) -> None:
        rng = self.rng
        used: set[int] = set()
        for n, spec in enumerate(RISK_POINTS, 1):
            pool = self.of_sector(spec.sector)
            ent = rng.choice([e for e in pool if e.index not in used] or pool)
            used.add(ent.index)
            record = _Record(f"R{n:02d}")
            self.risk_points.append(record)
            lead = self.ref.lead_unit(spec.sector).id
            inspector = rng.choice(self.inspectors[lead])
            registered = self.work_time(self.day_in(self.start.year, rng.choice((5, 6, 7)), 8, 28), 9, 16)
            address = f"{ent.address}{spec.place.format(n=rng.randint(1, 12))}"
            characteristics = None
            if spec.shape != "basic_only":
                characteristics = HazardCharacteristics(
                    accident_types=spec.accident_types,
                    max_casualties=spec.casualties,
                    max_direct_loss_yuan=spec.loss_wan * 10_000,
                    social_impact=spec.impact,
                )

            self.create(
                record,
                ent.safety,
                registered,
                f"risk {record.key} {ent.credit_code} {spec.name} {spec.shape}",
                RegisterRiskPoint(
                    enterprise_id=ent.id, name=spec.name, description=spec.description, address=address,
                    assessed=characteristics is not None, characteristics=characteristics, occurred_at=registered,
                ),
            )  # fmt: skip
            if spec.shape == "basic_only":
                continue
            t = registered + timedelta(days=rng.randint(2, 10), hours=rng.randint(0, 3))
            principal_phone = "" if spec.shape == "no_phone" else self.phone()
            department_phone = "" if spec.shape == "no_phone" else self.phone()
            self.add(
                t,
                f"risk {record.key} responsibility {lead} {inspector.user_id} {department_phone} {principal_phone}",
                lambda r=record, i=inspector, at=t, lead=lead, dp=department_phone, e=ent, pp=principal_phone: (
                    self.act(
                        i,
                        ListResponsibility(
                            risk_point_id=r.id,
                            department=lead,
                            department_person=i.name,
                            department_phone=dp,
                            principal_name=e.principal.name,
                            principal_phone=pp,
                            occurred_at=at,
                        ),
                    )
                ),
            )
            t += timedelta(days=rng.randint(1, 12), hours=rng.randint(0, 3))
            self.add(
                t,
                f"risk {record.key} control {[m.value for m in spec.government]}",
                lambda r=record, i=inspector, at=t, s=spec: self.act(
                    i,
                    ListControlMeasures(
                        risk_point_id=r.id,
                        enterprise_measures=list(s.measures),
                        government_measures=list(s.government),
                        occurred_at=at,
                    ),
                ),
            )
            if spec.shape == "no_emergency":
                continue
            t += timedelta(days=rng.randint(1, 10), hours=rng.randint(0, 3))
            supplies = [EmergencySupply(*item) for item in SUPPLY_KITS[spec.kit]]
            self.add(
                t,
                f"risk {record.key} emergency {spec.kit}",
                lambda r=record, e=ent, at=t, s=spec, items=supplies: self.act(
                    e.safety, ListEmergency(risk_point_id=r.id, measures=list(s.emergency), supplies=items, occurred_at=at)
                ),
            )

    # ----- outstanding problems (突出问题) -------------------------------------------------------

    def staff_of(self, unit: str) -> Actor:
        if unit == "ajb":
            return self.director
        if self.ref.units[unit].kind in (OrgKind.STREET, OrgKind.ZONE):
            return self.street_officer(unit)
        return self.inspectors[unit][0]

    def plan_unit_warnings(self) -> None:
        """The 区安委办 warns units in person: a 约谈 after repeated accidents, and a 告知 it publishes (通报);
        the process managers propose the ladder's other steps from the story's facts when they run."""
        warnings = (
            (
                "yjj",
                WarningLevel.INTERVIEW,
                11,
                "辖区连续发生生产安全事故，专项行动工作推进不力",
                "Repeated accidents, slow progress",
            ),
            (self.busy_streets[0], WarningLevel.NOTICE, 10, "重大事故隐患未按期整改", "Major hazards not rectified in time"),
        )
        for n, (unit, level, month, reason_zh, reason_en) in enumerate(warnings, 1):
            record = _Record(f"W{n:02d}")
            self.warnings.append(record)
            proposed = self.work_time(self.on(month, 10), 9, 11)

            command = ProposeWarning(
                unit_id=unit, level=level, trigger=WarningTrigger.MANUAL, trigger_key=f"demo:{record.key}",
                reason_zh=reason_zh, reason_en=reason_en, occurred_at=proposed,
            )  # fmt: skip

            def confirm(r: _Record = record, published: bool = level is WarningLevel.NOTICE, at: datetime = proposed) -> Receipt:
                assert r.id is not None
                return self.act(
                    self.registrar,
                    ConfirmWarning(
                        warning_id=r.id, note="经区安委办研究确认", published=published, occurred_at=at + timedelta(days=1)
                    ),
                )

            self.create(record, self.registrar, proposed, f"warning {record.key} {unit} {level.value}", command)
            self.add(proposed + timedelta(days=1), f"warning {record.key} confirmed", confirm)

    def plan_accountability(self) -> None:
        """责任倒查、追责问责: the 区安委办 holds the two first signers of the earliest clean, signed
        inspection that a later hazard contradicts (明明有问题却查不出) accountable. No random draws, so
        the rest of the story is unchanged."""
        for h in sorted(self.hazards, key=lambda h: h.t0):
            if h.existed_since is None or h.inspection is None:
                continue
            clean = next(
                (
                    i for i in self.inspections
                    if i.enterprise is h.enterprise and i is not h.inspection and i.when < h.t0 and h.item in i.scope
                    and business_date(i.when) >= h.existed_since and i.kind is not InspectionKind.SELF_INSPECTION
                    and not any(other.inspection is i for other in self.hazards)
                ),
                None,
            )  # fmt: skip
            if clean is None:
                continue
            at = max(_at(self.on(11, 20), 10, 0), h.t0 + timedelta(days=3))
            if at > self.limit:
                continue
            signers = clean.team[:2]
            record = _Record(f"R{len(self.accountability) + 1:02d}")
            self.accountability.append(record)

            def command(
                h: _Hazard = h, i: _Inspection = clean, people: list[Actor] = signers, at: datetime = at
            ) -> PursueAccountability:
                return PursueAccountability(
                    hazard_ids=[h.id],
                    inspection_ids=[i.id],
                    persons=[
                        {"user_id": a.user_id, "name": a.name, "organisation": a.organisation_name, "role": a.role.zh}
                        for a in people
                    ],
                    measures=["诫勉谈话", "通报批评"],
                    decided_by="ajb",
                    summary=f"检查时对已存在的隐患「{h.description}」未能发现（明明有问题却查不出）",
                    occurred_at=at,
                )

            self.create(record, self.registrar, at, f"accountability {h.key} {clean.key} {[a.user_id for a in signers]}", command)
            return

    def plan_problems(self) -> None:
        rng = self.rng
        first_rectified: tuple[_Record, Actor, datetime] | None = None
        for n, (unit, sector, description, measures, rectified) in enumerate(PROBLEMS, 1):
            if unit.startswith("street:"):
                unit = self.busy_streets[int(unit.split(":")[1]) % len(self.busy_streets)]
            if unit not in self.ref.units or (unit not in self.inspectors and self.ref.units[unit].kind is OrgKind.DEPARTMENT):
                continue
            actor = self.staff_of(unit)
            record = _Record(f"P{n:02d}")
            self.problems.append(record)
            identified = self.work_time(self.day_in(self.start.year, rng.choice((5, 6, 7, 8)), 8, 28), 9, 16)

            command = IdentifyProblem(description=description, sector=sector, unit_id=unit, occurred_at=identified)
            self.create(record, actor, identified, f"problem {record.key} {unit} {sector} {description}", command)
            t = identified
            for measure in measures:
                t += timedelta(days=rng.randint(7, 30), hours=rng.randint(0, 3))
                self.add(
                    t,
                    f"problem {record.key} measure {measure}",
                    lambda r=record, a=actor, m=measure, at=t: self.act(
                        a, AdoptRootCauseMeasure(problem_id=r.id, measure=m, occurred_at=at)
                    ),
                )
            if rectified:
                t += timedelta(days=rng.randint(15, 50), hours=rng.randint(0, 3))
                note = "已完成集中整治，建立长效机制，经复查整改到位"
                self.add(
                    t,
                    f"problem {record.key} rectified",
                    lambda r=record, a=actor, at=t, note=note: self.act(
                        a, RectifyProblem(problem_id=r.id, note=note, occurred_at=at)
                    ),
                )
                if first_rectified is None:
                    first_rectified = (record, actor, t)
        if first_rectified is not None:
            record, actor, t = first_rectified

    # ----- work logs (工作情况台账): every activity kind of Annex 1 / Annex 2 ---------------------

    def activity(
        self, unit: str, actor: Actor, kind: ActivityKind, month: int, note: str, ent: _Enterprise | None = None, **values: Any
    ) -> None:
        when = self.work_time(self.day_in(self.start.year, month, 3, 27), 9, 16)

        def run(at: datetime = when) -> Receipt:
            return self.act(
                actor,
                RecordActivity(
                    unit_id=unit, kind=kind, enterprise_id=ent.id if ent else None, note=note, occurred_at=at, **values
                ),
            )

        self.activities += 1
        self.add(when, f"activity {unit} {kind} {ent.credit_code if ent else '-'} {values} {note}", run)

    def plan_work_logs(self) -> None:
        rng, K = self.rng, ActivityKind
        office = self.registrar
        # The 区安委办's own acts (demo/data/office_activities.csv).
        for row in OFFICE_ACTIVITIES:
            values = {k: v for k, v in row.items() if k not in ("kind", "month", "note")}
            self.activity("ajb", office, row["kind"], row["month"], row["note"], **values)

        # Departments: lectures, guidance and services to enterprises, experts, rewards, inspectors.
        for unit, sectors in (
            ("yjj", ("hazardous_chemicals", "industry_trade", "fireworks")),
            ("zjj", ("construction_housing", "urban_gas")),
            ("xfj", ("fire_safety",)),
        ):
            staff = self.inspectors[unit]
            pool = self.of_sector(*sectors)
            name = self.ref.units[unit].name
            self.activity(unit, staff[0], K.STUDY_SESSION, 5, f"{name}党组会议专题学习安全生产十五条硬措施", count=1)
            self.activity(unit, staff[0], K.LEADERSHIP_RESEARCH, 5, f"{name}主要负责同志专题研究本行业领域排查整治工作", count=1)
            self.activity(unit, staff[0], K.TECHNICAL_INSPECTORS, 6, f"{name}配备专兼职技术检查员", value=rng.randint(3, 6))
            for month in (6, 9):
                self.activity(
                    unit, staff[-1], K.LECTURE, month, f"{name}负责同志到企业宣讲安全生产十五条硬措施", count=rng.randint(1, 3)
                )
            for ent in rng.sample(pool, min(len(pool), 3)):
                self.activity(
                    unit, rng.choice(staff), K.GUIDANCE_ENTERPRISE, rng.randint(6, 11), "帮扶指导重点企业开展自查自改", ent
                )
            for ent in rng.sample(pool, min(len(pool), 4)):
                self.activity(unit, rng.choice(staff), K.ENTERPRISE_SERVED, rng.randint(5, 11), "检查服务企业", ent)
            self.activity(unit, staff[0], K.SUPERVISION_TEAM, 7, f"{name}派出督导组", count=rng.randint(1, 2), sector=sectors[0])
            self.activity(unit, staff[0], K.EXPERT_SERVICE, 8, "组织专家开展技术服务", count=rng.randint(2, 5), sector=sectors[0])
            amount = rng.randint(2, 6) * 1000
            self.activity(
                unit,
                staff[0],
                K.TIPOFF_REWARD,
                rng.randint(7, 11),
                "兑现举报奖励",
                amount_yuan=amount,
                anonymous_amount_yuan=rng.choice((0, amount // 2, amount)),
            )
            self.activity(unit, staff[0], K.ASSESSMENT_PATROL, 10, f"{name}对本行业领域开展督导检查", count=1)
        self.activity("yjj", self.inspectors["yjj"][0], K.GUIDANCE_COUNTY, 8, "对口帮扶指导重点县（区）危化品企业集中区", count=1)

        # The two busiest streets (属地).
        for street in self.busy_streets:
            officer = self.street_officer(street)
            name = self.ref.units[street].name
            local = [e for e in self.enterprises if e.jurisdiction == street]
            self.activity(street, officer, K.STUDY_SESSION, 6, f"{name}党工委专题学习安全生产十五条硬措施", count=1)
            self.activity(street, officer, K.LEADERSHIP_RESEARCH, 6, f"{name}党工委主要负责同志专题研究辖区排查整治工作", count=1)
            self.activity(street, officer, K.LECTURE, 7, f"{name}负责同志到辖区企业宣讲", count=rng.randint(1, 3))
            self.activity(street, officer, K.SUPERVISION_TEAM, 8, f"{name}派出督导组对辖区企业开展督导", count=1)
            self.activity(street, officer, K.TECHNICAL_INSPECTORS, 6, f"{name}配备专兼职安全检查员", value=rng.randint(2, 4))
            self.activity(street, officer, K.ASSESSMENT_PATROL, 11, f"{name}对社区和企业开展考核巡查", count=1)
            for ent in rng.sample(local, min(len(local), 3)):
                self.activity(street, officer, K.ENTERPRISE_SERVED, rng.randint(6, 11), "网格员入企检查服务", ent)
            for ent in local[:1]:
                self.activity(street, officer, K.GUIDANCE_ENTERPRISE, 9, "帮扶指导辖区重点企业", ent)
