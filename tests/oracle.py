"""An independent, naive recomputation of every Annex 1 item, every Annex 2 cell and the three KPIs
straight from the raw event list (the test oracle of ``tests/integration/test_annex_properties.py``).

Written from the specification only (``shared/DESIGN.md`` §3, §5, §6, ``reference/annex1.md`` and
``reference/annex2.md``), never from the read models: no SQL, no projection code, no shared helper
beyond the reference data. It folds the events record by record with dicts and loops, as a clerk
would with a pencil, so that a disagreement with the read models is a finding about one of them.

Product decisions where the specification leaves a choice (given to the verifier):

* a hazard voided by the cut-off counts nowhere; "verified or closed" is a VerificationPassed by the
  cut-off (a close needs one);
* a hazard, risk point or problem counts for the first lead unit of its sector row and for its street
  or zone; an enforcement act for the unit of the actor who recorded it, in the row of its case's
  enterprise's sector; an activity for the unit whose work log it is, in the activity's sector row
  (activities without a sector count only in the totals); the district (unit None) counts every
  record once;
* a dual penalty is two penalty decisions (Annex 1 行政处罚, Annex 2 col 16) with its two fines, and
  one 一案双罚;
* Annex 2 col 15 = distinct enterprises inspected by the unit (any kind but self_inspection, by the
  inspecting organisation) or named in its enterprise_served activities; 行刑衔接 = distinct cases
  with a judicial transfer; the KPI's department inspections are those of kind department or
  spot_check; technical inspectors = each unit's latest value by business time, summed over units;
* periods are business dates in Beijing time; 本月 starts on the 1st of the cut-off's month (not
  before the campaign start); an "of (n)" cohort is the records counted in (n) for the same period,
  their state read at the cut-off.

Choices the verifier made where neither the spec nor the decisions above settle it (stated so that a
disagreement on them is read as a question, not a bug):

* a record is "found" in a period when its creating event (HazardReported, RiskPointRegistered,
  ProblemIdentified) lies in it; Annex 1 item 5 (挂牌督办) is, of the majors found in the period, those
  listed for supervision by the cut-off (ever, even if delisted since); Annex 2 col 6 likewise;
* a stock (technical inspectors) counts its latest value recorded in the period;
* Annex 1 spot-check deficiency items count the DeficienciesRecorded events in the period, for the
  unit that conducted the spot check;
* KPI "found by department inspections" = majors with source department_inspection or supervision
  (the spec's 部门检查发现, Annex 1 item 3; the read model followed this after 02ee18b).

* Annex 1 item 10 (约谈通报有关县区及部门, 次) = unit warnings confirmed by the office in the period at
  level 约谈 (interview) or confirmed as published (通报), for the unit that issued them (the confirming
  actor's organisation); a proposal alone or a dismissal is not issued.

* Annex 1 item 9 (责任倒查、追责问责, 人) = the persons named in AccountabilityPursued records in the period,
  summed over records (as 移送司法机关 人), for the unit that decided (``decided_by``, which the office may
  record on another unit's behalf).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CHINA = timezone(timedelta(hours=8))

SPOT_CHECK_DEFICIENCIES = (
    "principal_not_studying",
    "principal_not_leading_inspection",
    "no_deputy_duty_list",
    "no_safety_organisation_or_staff",
    "uncertified_special_operations",
    "outsourcing_leasing_disorder",
    "no_drills_or_exits_unknown",
)
ACTIVITY_COUNT_ITEMS = (
    "guidance_county",
    "guidance_enterprise",
    "study_session",
    "leadership_research",
    "site_supervision",
    "lecture",
    "assessment_patrol",
)
ANNEX2_KEYS = (
    "risks", "risks_controlled", "control_rate",
    "majors", "majors_planned", "majors_planned_listed", "majors_rectified", "remediation_rate",
    "problems", "problems_root_cause", "problems_rectified", "problem_rectification_rate",
    "supervision_teams", "expert_services", "enterprises_served",
    "penalties", "suspended", "licences", "closed", "fines_wan", "judicial_persons",
    "interviewed", "joint_punished", "criminal_linkage",
)  # fmt: skip


# ----- arithmetic, written out again (not imported) ----------------------------------------------


def pct(numerator: int, denominator: int) -> Decimal | None:
    if denominator == 0:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def per_mille(numerator: int, denominator: int) -> Decimal | None:
    if denominator == 0:
        return None
    return (Decimal(numerator) * 1000 / Decimal(denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def wan(yuan: int) -> Decimal:
    return (Decimal(yuan) / Decimal(10000)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def day_of(moment: datetime) -> date:
    """The Beijing calendar date of a moment."""
    return moment.astimezone(CHINA).date()


# ----- reading the log --------------------------------------------------------------------------


def read_events(ledger: Any, page: int = 500) -> list[Any]:
    """Every domain event of the ledger, in notification (recording) order."""
    events: list[Any] = []
    start = 0
    while True:
        batch = ledger.recorder.select_notifications(start=start, limit=page, inclusive_of_start=False)
        if not batch:
            return events
        events.extend(ledger.mapper.to_domain_event(n) for n in batch)
        start = batch[-1].id


def kind(e: Any) -> str:
    return type(e).__name__


# ----- the oracle -------------------------------------------------------------------------------


@dataclass
class Stream:
    """One record's events (known at the moment asked), oldest first."""

    events: list[Any] = field(default_factory=list)

    @property
    def first(self) -> Any:
        return self.events[0]

    def until(self, cut_off: date) -> list[Any]:
        """The events that had happened (business time) by the end of the cut-off date."""
        return [e for e in self.events if day_of(e.occurred_at) <= cut_off]

    def has(self, name: str, cut_off: date) -> bool:
        return any(kind(e) == name for e in self.until(cut_off))


DEPARTMENT_SOURCES = ("department_inspection", "supervision")  # Annex 1 item 3: 部门检查发现


class Oracle:
    def __init__(self, events: list[Any], reference: Any) -> None:
        self.all_events = list(events)
        self.reference = reference
        self.campaign_start: date = reference.campaign.start
        # Sector rows and lead units straight from the reference data (sectors.csv).
        self.parent = {s.id: s.parent for s in reference.sectors.values()}
        self.lead = {s.id: s.lead_unit_ids[0] for s in reference.sectors.values()}
        self.row_keys = list(reference.sectors)
        # Enterprises never change sector: read them from the whole log.
        self.enterprise_sector: dict[Any, str] = {}
        for e in self.all_events:
            if kind(e) == "EnterpriseRegistered":
                self.enterprise_sector[e.originator_id] = e.sector

    # ----- plumbing -----

    def _streams(self, known_at: datetime | None) -> dict[str, dict[Any, Stream]]:
        """Records by aggregate, each with its events recorded by ``known_at``."""
        by_type: dict[str, dict[Any, Stream]] = defaultdict(dict)
        topic_of: dict[Any, str] = {}
        for e in self.all_events:
            if known_at is not None and e.timestamp > known_at:
                continue
            if e.originator_version == 1:
                topic_of[e.originator_id] = kind(e)
            creator = topic_of.get(e.originator_id)
            if creator is None:
                continue
            by_type[creator].setdefault(e.originator_id, Stream()).events.append(e)
        for streams in by_type.values():
            for stream in streams.values():
                stream.events.sort(key=lambda x: x.originator_version)
        return by_type

    def rows_of(self, sector: str | None) -> list[str]:
        """The Annex 2 rows a record of this sector appears in: its own and, for a 其中 row, the parent."""
        if sector is None:
            return []
        rows = [sector]
        if self.parent.get(sector):
            rows.append(self.parent[sector])
        return rows

    def counts_for(self, unit: str | None, sector: str, jurisdiction: str | None) -> bool:
        if unit is None:
            return True
        return unit == self.lead[sector] or (jurisdiction is not None and unit == jurisdiction)

    def _periods(self, as_of: date) -> dict[str, tuple[date, date]]:
        month_start = max(self.campaign_start, as_of.replace(day=1))
        return {"cumulative": (self.campaign_start, as_of), "month": (month_start, as_of)}

    @staticmethod
    def _in(moment: datetime, period: tuple[date, date]) -> bool:
        return period[0] <= day_of(moment) <= period[1]

    # ----- contributions: (sector or None, column, value) per period -----

    def _contributions(
        self, unit: str | None, period: tuple[date, date], cut_off: date, known_at: datetime | None
    ) -> list[tuple[str | None, str, Any]]:
        """Everything the unit's Annex 2 counts in ``period``, as (sector, column key, contribution):
        an int to add, ("ent", id) for a distinct-enterprise column, ("case", id), or ("yuan", n)."""
        streams = self._streams(known_at)
        out: list[tuple[str | None, str, Any]] = []

        # 治理重大隐患 (hazards)
        for h in streams["HazardReported"].values():
            r = h.first
            if r.grade != "major" or not self._in(r.occurred_at, period):
                continue
            if not self.counts_for(unit, r.sector, r.jurisdiction):
                continue
            if h.has("HazardVoided", cut_off):
                continue
            out.append((r.sector, "majors", 1))
            planned = h.has("RectificationPlanFiled", cut_off)
            if planned:
                out.append((r.sector, "majors_planned", 1))
                if h.has("ListedForSupervision", cut_off):
                    out.append((r.sector, "majors_planned_listed", 1))
            if h.has("VerificationPassed", cut_off):
                out.append((r.sector, "majors_rectified", 1))

        # 排查重大风险 (risk points)
        for p in streams["RiskPointRegistered"].values():
            r = p.first
            if not self._in(r.occurred_at, period) or not self.counts_for(unit, r.sector, r.jurisdiction):
                continue
            out.append((r.sector, "risks", 1))
            if self._controlled(p.until(cut_off)):
                out.append((r.sector, "risks_controlled", 1))

        # 解决突出问题 (outstanding problems)
        for q in streams["ProblemIdentified"].values():
            r = q.first
            if not self._in(r.occurred_at, period) or not self.counts_for(unit, r.sector, r.jurisdiction):
                continue
            out.append((r.sector, "problems", 1))
            if q.has("RootCauseMeasureAdopted", cut_off):
                out.append((r.sector, "problems_root_cause", 1))
            if q.has("ProblemRectified", cut_off):
                out.append((r.sector, "problems_rectified", 1))

        # 开展督导检查: work log activities and inspections
        for log in streams["WorkLogOpened"].values():
            log_unit = log.first.unit_id
            if unit is not None and log_unit != unit:
                continue
            for a in log.events:
                if kind(a) != "ActivityRecorded" or not self._in(a.occurred_at, period):
                    continue
                if a.kind == "supervision_team":
                    out.append((a.sector, "supervision_teams", a.count))
                elif a.kind == "expert_service":
                    out.append((a.sector, "expert_services", a.count))
                elif a.kind == "enterprise_served":
                    out.append((a.sector, "enterprises_served", ("ent", a.enterprise_id)))
        for i in streams["InspectionConducted"].values():
            r = i.first
            if r.kind == "self_inspection" or not self._in(r.occurred_at, period):
                continue
            if unit is not None and r.organisation_id != unit:
                continue
            out.append((self.enterprise_sector[r.enterprise_id], "enterprises_served", ("ent", r.enterprise_id)))

        # 执法处罚 (enforcement acts, each for the unit of the actor who recorded it)
        for c in streams["CaseOpened"].values():
            enterprise = c.first.enterprise_id
            sector = self.enterprise_sector[enterprise]
            for a in c.events:
                if not self._in(a.occurred_at, period):
                    continue
                if unit is not None and a.actor.organisation_id != unit:
                    continue
                name = kind(a)
                if name == "PenaltyDecided":
                    out.append((sector, "penalties", 1))
                    out.append((sector, "fines_wan", ("yuan", a.fine_yuan)))
                elif name == "DualPenaltyImposed":
                    out.append((sector, "penalties", 2))
                    out.append((sector, "fines_wan", ("yuan", a.enterprise_fine_yuan + a.principal_fine_yuan)))
                elif name == "SuspensionOrdered":
                    out.append((sector, "suspended", ("ent", enterprise)))
                elif name == "LicenceSuspendedOrRevoked":
                    out.append((sector, "licences", ("ent", enterprise)))
                elif name == "ClosureOrdered":
                    out.append((sector, "closed", ("ent", enterprise)))
                elif name == "TransferredToJudiciary":
                    out.append((sector, "judicial_persons", len(a.persons)))
                    out.append((sector, "criminal_linkage", ("case", c.first.originator_id)))
                elif name == "EnterpriseInterviewed":
                    out.append((sector, "interviewed", ("ent", enterprise)))
                elif name == "JointPunishmentApplied":
                    out.append((sector, "joint_punished", ("ent", enterprise)))
        return out

    @staticmethod
    def _controlled(events: list[Any]) -> bool:
        """All four lists complete, folding the risk point's events by the cut-off (annex3.md)."""
        s: dict[str, Any] = {}
        for e in events:
            name = kind(e)
            if name in ("RiskPointRegistered", "BasicInfoListed"):
                s["description"] = e.description
                s["address"] = e.address
                s["characteristics"] = e.characteristics
            elif name == "ResponsibilityListed":
                for f in ("department", "department_person", "department_phone", "principal_name", "principal_phone"):
                    s[f] = getattr(e, f)
            elif name == "ControlMeasuresListed":
                s["enterprise_measures"] = list(e.enterprise_measures)
                s["government_measures"] = list(e.government_measures)
            elif name == "EmergencyListed":
                s["emergency_measures"] = list(e.measures)
                s["supplies"] = list(e.supplies)
        ch = s.get("characteristics")
        filled = [
            s.get("description"),
            s.get("address"),
            ch is not None and len(ch.accident_types) > 0,
            ch is not None and ch.max_casualties is not None,
            ch is not None and ch.max_direct_loss_yuan is not None,
            ch is not None and bool(ch.social_impact.strip()),
            s.get("department"),
            s.get("department_person"),
            s.get("department_phone"),
            s.get("principal_name"),
            s.get("principal_phone"),
            s.get("enterprise_measures"),
            s.get("government_measures"),
            s.get("emergency_measures"),
            s.get("supplies"),
        ]
        return all(bool(x) for x in filled)

    @staticmethod
    def _reduce(contributions: list[tuple[str | None, str, Any]]) -> dict[str, Any]:
        """Adds up one row: counts summed, distinct things counted once, money summed then shown."""
        sums: dict[str, int] = defaultdict(int)
        sets: dict[str, set[Any]] = defaultdict(set)
        for _sector, column, value in contributions:
            if isinstance(value, tuple):
                if value[0] == "yuan":
                    sums[column] += value[1]
                else:
                    sets[column].add(value[1])
            else:
                sums[column] += value
        cells: dict[str, Any] = {}
        for key in ANNEX2_KEYS:
            if key in ("control_rate", "remediation_rate", "problem_rectification_rate"):
                continue
            if key == "fines_wan":
                cells[key] = wan(sums[key])
            elif key in ("enterprises_served", "suspended", "licences", "closed", "interviewed", "joint_punished",
                         "criminal_linkage"):  # fmt: skip
                cells[key] = len(sets[key])
            else:
                cells[key] = sums[key]
        cells["control_rate"] = pct(cells["risks_controlled"], cells["risks"])
        cells["remediation_rate"] = pct(cells["majors_rectified"], cells["majors"])
        cells["problem_rectification_rate"] = pct(cells["problems_rectified"], cells["problems"])
        return {key: cells[key] for key in ANNEX2_KEYS}

    # ----- Annex 2 -----

    def annex2(self, unit: str | None, as_of: date, known_at: datetime | None = None) -> dict[str, dict[str, Any]]:
        """Rows by key ("cumulative", "month", then every sector id): cells by column key."""
        periods = self._periods(as_of)
        cumulative = self._contributions(unit, periods["cumulative"], as_of, known_at)
        month = self._contributions(unit, periods["month"], as_of, known_at)
        rows = {"cumulative": self._reduce(cumulative), "month": self._reduce(month)}
        for row in self.row_keys:
            rows[row] = self._reduce([c for c in cumulative if row in self.rows_of(c[0])])
        return rows

    # ----- Annex 1 -----

    def annex1(self, unit: str | None, as_of: date, known_at: datetime | None = None) -> dict[str, dict[str, Any]]:
        """Items by key: figures by name (as annex_forms names them)."""
        period = self._periods(as_of)["cumulative"]
        streams = self._streams(known_at)
        items: dict[str, dict[str, Any]] = {}

        # 总体情况
        counts = dict.fromkeys(
            ("self_found", "self_found_rectified", "department_found", "department_found_rectified", "listed",
             "listed_rectified"), 0)  # fmt: skip
        for h in streams["HazardReported"].values():
            r = h.first
            if r.grade != "major" or not self._in(r.occurred_at, period):
                continue
            if not self.counts_for(unit, r.sector, r.jurisdiction) or h.has("HazardVoided", as_of):
                continue
            rectified = h.has("VerificationPassed", as_of)
            if r.source == "self_inspection":
                counts["self_found"] += 1
                counts["self_found_rectified"] += rectified
            if r.source in DEPARTMENT_SOURCES:
                counts["department_found"] += 1
                counts["department_found_rectified"] += rectified
            if h.has("ListedForSupervision", as_of):
                counts["listed"] += 1
                counts["listed_rectified"] += rectified
        for key, value in counts.items():
            items[key] = {"value": value}

        # 对企业自查自改进行抽查检查情况
        spot_checked: set[Any] = set()
        deficient: dict[str, set[Any]] = {d: set() for d in SPOT_CHECK_DEFICIENCIES}
        for i in streams["InspectionConducted"].values():
            r = i.first
            if r.kind != "spot_check" or (unit is not None and r.organisation_id != unit):
                continue
            if self._in(r.occurred_at, period):
                spot_checked.add(r.enterprise_id)
            for e in i.events:
                if kind(e) == "DeficienciesRecorded" and self._in(e.occurred_at, period):
                    for d in e.deficiencies:
                        deficient[d].add(r.enterprise_id)
        items["spot_checked"] = {"value": len(spot_checked)}
        for d in SPOT_CHECK_DEFICIENCIES:
            items[d] = {"value": len(deficient[d])}

        # activities (部门精准严格执法情况 1–2, 党委政府组织领导情况)
        activity_counts = dict.fromkeys(ACTIVITY_COUNT_ITEMS, 0)
        reward = anonymous = 0
        media = False
        inspectors = 0
        for log in streams["WorkLogOpened"].values():
            if unit is not None and log.first.unit_id != unit:
                continue
            latest: tuple[datetime, int, int] | None = None
            for a in log.events:
                if kind(a) != "ActivityRecorded" or not self._in(a.occurred_at, period):
                    continue
                if a.kind in activity_counts:
                    activity_counts[a.kind] += a.count
                elif a.kind == "tipoff_reward":
                    reward += a.amount_yuan
                    anonymous += a.anonymous_amount_yuan
                elif a.kind == "media_column":
                    media = True
                elif a.kind == "technical_inspectors":
                    candidate = (a.occurred_at, a.originator_version, a.value)
                    if latest is None or candidate[:2] > latest[:2]:
                        latest = candidate
            if latest is not None:
                inspectors += latest[2]

        # enforcement acts
        penalties = fines = duals = persons = typical = dangerous = 0
        suspended: set[Any] = set()
        publicised: set[Any] = set()
        for c in streams["CaseOpened"].values():
            enterprise = c.first.enterprise_id
            for a in c.events:
                if not self._in(a.occurred_at, period):
                    continue
                if unit is not None and a.actor.organisation_id != unit:
                    continue
                name = kind(a)
                if name == "PenaltyDecided":
                    penalties += 1
                    fines += a.fine_yuan
                elif name == "DualPenaltyImposed":
                    penalties += 2
                    fines += a.enterprise_fine_yuan + a.principal_fine_yuan
                    duals += 1
                elif name == "TransferredToJudiciary":
                    persons += len(a.persons)
                elif name == "SuspensionOrdered":
                    suspended.add(enterprise)
                elif name in ("CaseExposed", "EnterpriseInterviewed", "JointPunishmentApplied"):
                    publicised.add(enterprise)
                elif name == "CasePublishedAsTypical":
                    typical += 1
                    dangerous += bool(a.dangerous_operations_crime)

        items["guidance_county"] = {"value": activity_counts["guidance_county"]}
        items["guidance_enterprise"] = {"value": activity_counts["guidance_enterprise"]}
        items["penalties"] = {"count": penalties, "fines_wan": wan(fines)}
        items["dual_penalties"] = {"value": duals}
        items["judicial_persons"] = {"value": persons}
        items["suspended"] = {"value": len(suspended)}
        items["exposed_interviewed_punished"] = {"value": len(publicised)}
        items["typical_cases"] = {"count": typical, "dangerous_operations": dangerous}
        # 责任倒查、追责问责 (人): persons named in AccountabilityPursued in the period, for the unit that decided it.
        accountable = 0
        for a in streams["AccountabilityPursued"].values():
            r = a.first
            if self._in(r.occurred_at, period) and (unit is None or r.decided_by == unit):
                accountable += len(r.persons)
        items["accountability_persons"] = {"value": accountable}
        # 约谈通报有关县区及部门: warnings issued (confirmed by the office) at level 约谈, or published (通报),
        # counted for the unit that issued them (the confirming actor's organisation), when confirmed.
        issued = 0
        for w in streams["WarningProposed"].values():
            for e in w.events:
                if kind(e) != "WarningConfirmed" or not self._in(e.occurred_at, period):
                    continue
                if unit is not None and e.actor.organisation_id != unit:
                    continue
                if w.first.level == "interview" or e.published:
                    issued += 1
        items["unit_interviews"] = {"value": issued}
        for key in ("study_session", "leadership_research", "site_supervision", "lecture"):
            items[key] = {"value": activity_counts[key]}
        items["tipoff_reward"] = {"amount_wan": wan(reward), "anonymous_wan": wan(anonymous)}
        items["media_column"] = {"value": media}
        items["technical_inspectors"] = {"value": inspectors}
        items["assessment_patrol"] = {"value": activity_counts["assessment_patrol"]}
        return items

    # ----- KPIs -----

    def kpis(self, unit: str | None, as_of: date, known_at: datetime | None = None) -> dict[str, Any]:
        period = self._periods(as_of)["cumulative"]
        streams = self._streams(known_at)
        majors = rectified = self_found = by_department = 0
        for h in streams["HazardReported"].values():
            r = h.first
            if r.grade != "major" or not self._in(r.occurred_at, period):
                continue
            if not self.counts_for(unit, r.sector, r.jurisdiction) or h.has("HazardVoided", as_of):
                continue
            majors += 1
            rectified += h.has("VerificationPassed", as_of)
            self_found += r.source == "self_inspection"
            by_department += r.source in DEPARTMENT_SOURCES
        inspections = 0
        for i in streams["InspectionConducted"].values():
            r = i.first
            in_unit = unit is None or r.organisation_id == unit
            if r.kind in ("department", "spot_check") and self._in(r.occurred_at, period) and in_unit:
                inspections += 1
        return {
            "dynamic_rectification_rate": pct(rectified, majors),
            "majors_per_thousand_department_inspections": per_mille(by_department, inspections),
            "self_found_rate": pct(self_found, majors),
            "figures": {
                "department_inspections": inspections,
                "found_by_department_inspection": by_department,
                "majors": majors,
                "majors_rectified": rectified,
                "self_found": self_found,
            },
        }


# ----- comparing with the read models ------------------------------------------------------------


def shown(value: Any) -> Any:
    """One printed form for both sides: Decimal → "0.00", everything else as is."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


def annex1_figures(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The read model's Annex 1 as {item key: {figure: value}}."""
    return {item["key"]: dict(item["figures"]) for section in report["sections"] for item in section["items"]}


def annex2_cells(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["key"]: dict(row["cells"]) for row in report["rows"]}


def differences(expected: dict[str, dict[str, Any]], actual: dict[str, dict[str, Any]]) -> list[str]:
    """Every cell where the two disagree, as "row.column: expected … actual …"."""
    out = []
    for row in sorted(set(expected) | set(actual), key=str):
        e_row, a_row = expected.get(row, {}), actual.get(row, {})
        for col in list(e_row) + [c for c in a_row if c not in e_row]:
            e, a = shown(e_row.get(col, "<missing>")), shown(a_row.get(col, "<missing>"))
            if e != a:
                out.append(f"{row}.{col}: expected {e!r}, actual {a!r}")
    return out
