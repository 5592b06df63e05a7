"""The hazard part of the demo story: the cast of enterprises and inspectors, inspections and their
findings, which state each hazard ends in, and each hazard's lifecycle, planned step by step."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from demo.planner import Planner
from demo.records import (
    G,
    M,
    S,
    _at,
    _Enterprise,
    _Hazard,
    _Inspection,
    _jpeg,
    _pdf,
    _png,
)
from demo.tables import (
    EXPERT_BODY,
    HAZARDS,
    LIFECYCLE,
    MAJOR_SHARE,
    MIN_STATE,
    MISSED_PAIRS,
    MONTH_WEIGHTS,
    PROFILES,
    ROADS,
    SOURCE_WEIGHTS,
    TOTAL_HAZARDS,
    TRADE_NAMES,
    VERIFY,
    Template,
)
from demo.verbs import VERBS
from domain.actor import Actor
from domain.business_time import CHINA_TZ, business_date
from domain.commands.enterprises import RegisterEnterprise
from domain.commands.hazards import (
    AttachEvidence,
    ListForSupervision,
    ReportHazard,
)
from domain.commands.inspections import ConductInspection, RecordFinding, SignInspection
from domain.enterprise import enterprise_id_for
from domain.glossary import (
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
from domain.ledger import Receipt
from domain.values import Person, RectificationPlan, SupervisionListing


class HazardPlan(Planner):
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
                self.new_enterprise(pattern.format(z=trade_names.pop()), sector, rng.choice(streets), high_risk, used)
        # Registration by the 区安委办 on the first working days of the campaign.
        when = _at(self.start + timedelta(days=3), 9, 0)
        for ent in self.enterprises:
            when += timedelta(minutes=rng.randint(4, 12))
            if when.hour >= 17:
                when = _at(business_date(when) + timedelta(days=1), 9, rng.randint(0, 20))
            self.register_step(ent, when)

    def new_enterprise(self, name: str, sector: str, street: str, high_risk: bool, used: set[str]) -> _Enterprise:
        """An enterprise of the cast: a valid credit code, an address in its street, its principal and safety manager."""
        rng = self.rng
        index = len(self.enterprises) + 1
        code = self.credit_code(used)
        self.ref.jurisdiction(street)  # a street or the zone of the district
        road = rng.choice(ROADS[street])
        address = f"昆明市呈贡区{self.ref.units[street].name}{road}{rng.randint(1, 388)}号"
        org_id = str(enterprise_id_for(code))
        principal = self.actor(f"ent{index:02d}.principal", Role.PRINCIPAL, org_id, OrgKind.ENTERPRISE, name)
        safety = self.actor(f"ent{index:02d}.safety", Role.ENTERPRISE_STAFF, org_id, OrgKind.ENTERPRISE, name)
        lat, lon = round(24.88 + rng.uniform(-0.06, 0.06), 5), round(102.82 + rng.uniform(-0.06, 0.06), 5)
        ent = _Enterprise(index, code, name, sector, street, address, high_risk, principal, safety, lat, lon)
        self.enterprises.append(ent)
        return ent

    def register_step(self, ent: _Enterprise, when: datetime) -> None:
        def register() -> Receipt:
            return self.act(
                self.registrar,
                RegisterEnterprise(
                    credit_code=ent.credit_code,
                    name=ent.name,
                    sector=ent.sector,
                    jurisdiction=ent.jurisdiction,
                    principal_name=ent.principal.name,
                    address=ent.address,
                    high_risk=ent.high_risk,
                    occurred_at=when,
                ),
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
        picks: list[tuple[str, Template]] | None = None,
    ) -> _Inspection:
        rng = self.rng
        if picks is None:
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
        inspection = _Inspection(f"I{len(self.inspections) + 1:03d}", ent, recorder, team, kind, method, scope, when, self_led)
        self.inspections.append(inspection)

        inspectors = [Person(a.user_id, a.name) for a in team]
        self.create(
            inspection,
            recorder,
            when,
            f"inspect {inspection.key} {ent.credit_code} {kind} {method} {scope} {[a.user_id for a in team]}",
            ConductInspection(
                enterprise_id=ent.id, kind=kind, method=method, inspectors=inspectors, scope=scope,
                led_by_principal=self_led, occurred_at=when,
            ),
        )  # fmt: skip
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
                return self.act(
                    i.recorder,
                    RecordFinding(
                        inspection_id=i.id,
                        item=item,
                        hazard_ids=[h.id for h in hs],
                        no_major_hazard=not hs,
                        note=note,
                        occurred_at=at,
                    ),
                )

            self.add(t, f"finding {inspection.key} {item} {[h.key for h in hazards]}", finding)
        inspection.findings_done = t
        t += timedelta(minutes=rng.randint(20, 90))
        for signer in team:
            t += timedelta(minutes=rng.randint(1, 6))

            def sign(i: _Inspection = inspection, a: Actor = signer, at: datetime = t) -> Receipt:
                return self.act(a, SignInspection(inspection_id=i.id, occurred_at=at))  # type: ignore[arg-type]

            self.add(t, f"sign {inspection.key} {signer.user_id}", sign)
        inspection.signed_at = t
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
            self.report_step(hazard)

    def report_step(self, h: _Hazard) -> None:
        label = (
            f"report {h.key} {h.enterprise.credit_code} {h.grade} {h.source} {h.description} "
            f"{h.criterion} {h.location} {h.existed_since} {h.inspection.key if h.inspection else '-'} "
            f"{h.reporter.user_id}"
        )
        self.create(
            h,
            h.reporter,
            h.t0,
            label,
            lambda: ReportHazard(
                enterprise_id=h.enterprise.id, grade=h.grade, source=h.source, description=h.description,
                criterion=h.criterion, location=h.location, existed_since=h.existed_since,
                inspection_id=h.inspection.id if h.inspection else None, occurred_at=h.t0,
            ),
        )  # fmt: skip

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
        h.times = times
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
        # An enterprise never verifies its own hazard (Hazard.verify): a general hazard of its own
        # self-inspection is verified by the unit's inspector and then closed by its principal.
        principal_closes = h.grade is G and h.source is HazardSource.SELF_INSPECTION and rng.random() < 0.4
        if principal_closes:
            verifier = unit_people[0]
        elif major and rng.random() < 0.35:
            verifier = rng.choice(self.experts)
        else:
            verifier = rng.choice(unit_people)
        fail_verifier = rng.choice(self.experts) if major and rng.random() < 0.5 else rng.choice(unit_people)
        claimer = ent.safety if principal_closes or rng.random() < 0.8 else ent.principal
        closer = ent.principal if principal_closes else rng.choice(unit_people)
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
        progress_notes = iter(LIFECYCLE["progress_notes"])
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
                note = next(progress_notes, LIFECYCLE["progress_later"]).format(p=percent)
                run = self.call(h, "record_progress", ent.safety, at, note=note, percent=percent)
                label += f" {percent}"
            elif name == "missed":
                continue  # the deadline passes: the miss is derived (domain/hazard_timeline.py), nobody records it
            elif name == "extend":
                reason = rng.choice(LIFECYCLE["extend_reasons"])
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
                note = LIFECYCLE["complete_notes"][min(attempt, 1)]
                run = self.call(h, "complete_rectification", claimer, at, note=note)
                label += f" {claimer.user_id}"
            elif name == "verify_fail":
                attempt += 1
                opinion = rng.choice(LIFECYCLE["fail_opinions"])
                assessed = VERIFY["inspector"][1][major]
                run = self.call(h, "verify", fail_verifier, at, passed=False, opinion=opinion, assessed_by=assessed)
                label += f" {fail_verifier.user_id}"
            elif name == "verify":
                role = "expert" if verifier.role is Role.EXPERT else "inspector"
                opinion, assessed = VERIFY[role][0], VERIFY[role][1][major]
                run = self.call(h, "verify", verifier, at, passed=True, opinion=opinion, assessed_by=assessed)
                label += f" {verifier.user_id}"
            elif name == "lift":
                reason, approver = LIFECYCLE["lift_reason"], self.director.name
                run = self.call(h, "lift_supervision", self.director, at, reason=reason, approver=approver)
            elif name == "close":
                run = self.call(h, "close_hazard", closer, at, note=LIFECYCLE["close_note"])
                label += f" {closer.user_id}"
            elif name == "void":
                tip_off = h.source is HazardSource.TIP_OFF
                reason = LIFECYCLE["tip_off_void_reason"] if tip_off else rng.choice(LIFECYCLE["void_reasons"])
                run = self.call(h, "void_hazard", voider, at, reason=reason)
            else:  # pragma: no cover - a token without a command is a planning bug
                raise RuntimeError(name)
            if name.startswith("evidence"):
                evidence_count += 1
            self.add(at, label, run)

    def call(self, h: _Hazard, method: str, actor: Actor, at: datetime, **kwargs: Any) -> Callable[[], Receipt]:
        def run() -> Receipt:
            return self.act(actor, VERBS[method](hazard_id=h.id, occurred_at=at, **kwargs))  # type: ignore[call-arg]

        return run

    def listing_step(self, h: _Hazard, listing: SupervisionListing, at: datetime) -> Callable[[], Receipt]:
        def run() -> Receipt:
            numbered = replace(listing, document_number=h.listing_number)
            return self.act(self.director, ListForSupervision(hazard_id=h.id, listing=numbered, occurred_at=at))  # type: ignore[arg-type]

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
            return self.act(
                actor,
                AttachEvidence(
                    hazard_id=h.id,
                    file_name=file_name,
                    media_type=media_type,
                    content=content,
                    taken_at=taken if has_gps else None,
                    latitude=lat if has_gps else None,
                    longitude=lon if has_gps else None,
                    occurred_at=at,
                ),
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
