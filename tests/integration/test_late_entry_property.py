"""Business time is the truth (issue 13): a month of field work entered late gives what it gives on time.

Hypothesis draws a small district history over June 2023 — enterprises in sectors and streets of the
reference data, hazards (major or general, self-found or inspected) each with its own acts in business
order (report, maybe report to the regulator — sometimes late —, a plan with a deadline, maybe an
extension, maybe a completion before or after the deadline, maybe verification and closure, maybe
voiding), enforcement cases citing hazards with penalties dated before or after their deadlines, and
accidents. Every act has a business time; the clock stands at the end of the month (all acts are
back-dated).

The SAME acts go into two fresh ledgers: (a) in business-time order; (b) in a random recording order
that keeps each record's own acts in order (a case is opened after the reports of the hazards it
cites — they must exist to be cited — but NOT after their later acts dated before the case's: that is
late entry), with every derived read run at random moments in between (catch-up, the warning list,
closure recommendations, accountability anomalies, hazard views): the system's own reads change
nothing. Then both ledgers must have accepted and refused the same acts with the same codes, and show
the same Annex 1, 2, 3, KPIs, anomalies, warnings, closure recommendations and hazards' derived flags.

Examples per backend: ``EXAMPLES`` (CI); ``HAZARD_HYPOTHESIS_EXAMPLES=N`` for more, with a random seed.
``pytest -s`` prints the acts and outcomes per example.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from app.settings import Settings
from app.wiring import Services, build
from domain.actor import Actor
from domain.business_time import CHINA_TZ, FixedClock
from domain.credit_code import check_character
from domain.errors import DomainError
from domain.glossary import Assessor, Grade, HazardSource, OrgKind, PenaltyTarget, Role
from domain.values import RectificationPlan
from projections.process_queries import AsOf, WarningFilter
from tests.conftest import scratch_postgres

EXAMPLES = {"sqlite": 40, "postgres": 8}
ENV_EXAMPLES = int(os.environ.get("HAZARD_HYPOTHESIS_EXAMPLES", "0"))

MONTH_START = date(2023, 6, 1)
CUT_OFF = date(2023, 6, 30)
END = datetime(2023, 6, 30, 23, 0, tzinfo=CHINA_TZ)  # the clock: every act is back-dated
LAST_ACT = datetime(2023, 6, 30, 22, 0, tzinfo=CHINA_TZ)
# A month is short: a repeat offender is a major open 10 days with 2 penalties; 以罚代管 after 7 days.
RULES = {"repeat_offender_open_days": "10", "penalised_open_days": "7"}

# sector → the department leading it (its inspectors act within scope)
SECTORS = {"hazardous_chemicals": "yjj", "fireworks": "yjj", "special_equipment": "scj", "culture_tourism": "wlj"}
STREETS = ("wulong", "longcheng", "dayu", "luoyang")
OFFICE = Actor("ajb-1", "王安委", Role.COMMITTEE_OFFICE, "ajb", OrgKind.COMMITTEE_OFFICE, "区安委办")


def at(day: int, hour: float) -> datetime:
    return datetime(2023, 6, day, tzinfo=CHINA_TZ) + timedelta(hours=hour)


def inspector(department: str) -> Actor:
    return Actor(f"{department}-insp", f"{department}执法员", Role.INSPECTOR, department, OrgKind.DEPARTMENT, department)


# ===== the history ======================================================================================


@dataclass
class Act:
    """One person's act: the record it belongs to, its business time, what it does (given the ledger
    and the ids of records created so far in that ledger) and a label."""

    record: str  # "H0", "C1", "A2": one record's acts are entered in this list's order
    when: datetime
    label: str
    run: Callable[[Services, dict[str, UUID]], UUID]
    needs: tuple[str, ...] = ()  # records that must exist first (cited hazards)


@dataclass
class Enterprise:
    label: str
    sector: str
    street: str
    serial: int

    @property
    def department(self) -> str:
        return SECTORS[self.sector]

    def principal(self, ids: dict[str, UUID]) -> Actor:
        eid = ids[self.label]
        return Actor(f"p-{self.label}", f"负责人{self.serial}", Role.PRINCIPAL, str(eid), OrgKind.ENTERPRISE, f"企业{self.serial}")

    def staff(self, ids: dict[str, UUID]) -> Actor:
        eid = ids[self.label]
        return Actor(f"s-{self.label}", f"安全员{self.serial}", Role.ENTERPRISE_STAFF, str(eid), OrgKind.ENTERPRISE, f"企业{self.serial}")

    def credit_code(self) -> str:
        first17 = f"91530114MA6P{self.serial:05d}"
        return first17 + check_character(first17)


@dataclass
class History:
    enterprises: list[Enterprise]
    acts: list[Act] = field(default_factory=list)
    hazards: dict[str, tuple[Enterprise, datetime]] = field(default_factory=dict)  # label → (enterprise, reported)


def plan(deadline: date) -> RectificationPlan:
    return RectificationPlan(
        responsible_person="张厂长", measures="更换失效探头", funds_yuan=86_000, deadline=deadline, contingency_plan="泄漏专项应急预案"
    )


def later(t: datetime, hours: float) -> datetime:
    return t + timedelta(hours=hours)


@st.composite
def hazard_acts(draw: st.DrawFn, history: History, label: str) -> None:
    ent = draw(st.sampled_from(history.enterprises))
    grade = draw(st.sampled_from([Grade.MAJOR, Grade.MAJOR, Grade.GENERAL]))
    self_found = draw(st.booleans())
    # each record's own minute: acts at the same instant would be ordered by their recording (a tie)
    t = at(draw(st.integers(1, 24)), draw(st.integers(8, 17)) + 0.25) + timedelta(minutes=int(label[1:]))
    acts: list[Act] = []

    def report(s: Services, ids: dict[str, UUID]) -> UUID:
        who = ent.principal(ids) if self_found else inspector(ent.department)
        return s.ledger.hazards.report_hazard(
            who, enterprise_id=ids[ent.label], grade=grade,
            source=HazardSource.SELF_INSPECTION if self_found else HazardSource.DEPARTMENT_INSPECTION,
            description=f"隐患{label}", criterion="第十二条" if grade is Grade.MAJOR else "", occurred_at=when_of(0),
        ).id  # fmt: skip

    times: list[datetime] = [t]

    def when_of(i: int) -> datetime:
        return times[i]

    acts.append(Act(label, t, f"{label} report {grade.value} {'self' if self_found else 'inspected'}", report))
    history.hazards[label] = (ent, t)
    if grade is Grade.MAJOR and draw(st.integers(0, 3)) > 0:
        t = later(t, draw(st.sampled_from([1, 5, 20, 23.5, 30, 50, 80])))  # > 24 h: late (及时报告)
        times.append(t)
        i = len(times) - 1
        acts.append(Act(label, t, f"{label} to regulator +{(t - times[0]).total_seconds() / 3600:g}h",
                        lambda s, ids, i=i: s.ledger.hazards.report_to_regulator(
                            ent.principal(ids) if self_found else OFFICE, ids[label], regulator="区应急管理局",
                            occurred_at=when_of(i)).id))  # fmt: skip
    if draw(st.integers(0, 4)) > 0:
        t = later(t, draw(st.sampled_from([2, 24, 48, 100, 200])))
        times.append(t)
        i = len(times) - 1
        deadline = t.date() + timedelta(days=draw(st.integers(0, 10)))
        acts.append(Act(label, t, f"{label} plan deadline {deadline:%m-%d}",
                        lambda s, ids, i=i, d=deadline: s.ledger.hazards.file_plan(
                            ent.principal(ids), ids[label], plan(d), occurred_at=when_of(i)).id))  # fmt: skip
        if draw(st.integers(0, 3)) == 0:  # an extension, decided before or after the deadline
            t = datetime.combine(deadline, datetime.min.time(), CHINA_TZ) + timedelta(hours=draw(st.sampled_from([-30, 10, 34, 60])))
            t = max(t, later(times[-1], 1))
            times.append(t)
            i = len(times) - 1
            new = t.date() + timedelta(days=draw(st.integers(-1, 8)))
            acts.append(Act(label, t, f"{label} extend to {new:%m-%d}",
                            lambda s, ids, i=i, new=new: s.ledger.hazards.extend_deadline(
                                inspector(ent.department), ids[label], request_date=when_of(i).date(), reason="设备到货延迟",
                                new_deadline=new, approver="王安委", occurred_at=when_of(i)).id))  # fmt: skip
            deadline = max(deadline, new)
        if draw(st.integers(0, 3)) > 0:  # completion before or after the deadline
            t = datetime.combine(deadline, datetime.min.time(), CHINA_TZ) + timedelta(hours=draw(st.sampled_from([-40, -5, 12, 30, 80])))
            t = max(t, later(times[-1], 1))
            times.append(t)
            i = len(times) - 1
            acts.append(Act(label, t, f"{label} complete",
                            lambda s, ids, i=i: s.ledger.hazards.complete_rectification(
                                ent.staff(ids), ids[label], note="已更换", occurred_at=when_of(i)).id))  # fmt: skip
            if draw(st.integers(0, 2)) > 0:
                passed = draw(st.integers(0, 3)) > 0
                t = later(t, draw(st.sampled_from([5, 30, 70])))
                times.append(t)
                i = len(times) - 1
                acts.append(Act(label, t, f"{label} verify {'passed' if passed else 'failed'}",
                                lambda s, ids, i=i, p=passed: s.ledger.hazards.verify(
                                    inspector(ent.department), ids[label], passed=p, opinion="整改到位" if p else "整改不到位",
                                    assessed_by=[Assessor.EXPERTS, Assessor.GOVERNMENT], occurred_at=when_of(i)).id))  # fmt: skip
                if passed and draw(st.booleans()):
                    t = later(t, draw(st.sampled_from([3, 48])))
                    times.append(t)
                    i = len(times) - 1
                    acts.append(Act(label, t, f"{label} close",
                                    lambda s, ids, i=i: s.ledger.hazards.close_hazard(
                                        inspector(ent.department), ids[label], note="销号", occurred_at=when_of(i)).id))  # fmt: skip
    if draw(st.integers(0, 5)) == 0:
        t = later(t, draw(st.sampled_from([2, 40])))
        times.append(t)
        i = len(times) - 1
        acts.append(Act(label, t, f"{label} void",
                        lambda s, ids, i=i: s.ledger.hazards.void_hazard(
                            inspector(ent.department), ids[label], reason="重复登记", occurred_at=when_of(i)).id))  # fmt: skip
    # acts past the month are not in this history
    history.acts += [a for a in acts if a.when <= LAST_ACT]


@st.composite
def case_acts(draw: st.DrawFn, history: History, n: int) -> None:
    label = f"C{n}"
    opened = at(draw(st.integers(3, 27)), draw(st.integers(9, 16)) + 0.5) + timedelta(minutes=n)
    ent = draw(st.sampled_from(history.enterprises))
    candidates = sorted(h for h, (e, reported) in history.hazards.items() if e is ent and reported < opened)
    cited = draw(st.lists(st.sampled_from(candidates), unique=True, max_size=3)) if candidates else []
    number = f"呈应急立〔2023〕{n + 1}号"
    officer = inspector(ent.department)
    acts = [Act(label, opened, f"{label} open citing {','.join(cited) or '-'}",
                lambda s, ids: s.ledger.enforcement.open_case(
                    officer, enterprise_id=ids[ent.label], legal_basis="《安全生产法》第一百零二条", case_number=number,
                    cited_hazard_ids=[ids[h] for h in cited], occurred_at=opened).id,
                needs=tuple(cited))]  # fmt: skip
    t = opened
    for k in range(draw(st.integers(0, 3))):
        t = later(t, draw(st.sampled_from([6, 30, 100, 200])))
        dual = draw(st.booleans())
        decision = f"呈应急罚〔2023〕{n + 1}-{k + 1}号"
        def run(s: Services, ids: dict[str, UUID], t: datetime = t, d: str = decision, dual: bool = dual) -> UUID:
            if dual:
                return s.ledger.enforcement.impose_dual_penalty(
                    officer, ids[label], enterprise_fine_yuan=50_000, principal_fine_yuan=8_000, decision_number=d,
                    legal_basis="《安全生产法》第一百一十三条", occurred_at=t).id  # fmt: skip
            return s.ledger.enforcement.decide_penalty(
                officer, ids[label], target=PenaltyTarget.ENTERPRISE, fine_yuan=30_000, decision_number=d,
                legal_basis="《安全生产法》第一百零二条", occurred_at=t).id  # fmt: skip

        acts.append(Act(label, t, f"{label} {'dual ' if dual else ''}penalty {k + 1}", run))
    history.acts += [a for a in acts if a.when <= LAST_ACT]


@st.composite
def accident_act(draw: st.DrawFn, history: History, n: int) -> None:
    label = f"A{n}"
    ent = draw(st.sampled_from(history.enterprises))
    when = at(draw(st.integers(1, 29)), draw(st.integers(0, 23)) + 0.75) + timedelta(minutes=n)
    deaths = draw(st.sampled_from([0, 0, 1]))
    liability = draw(st.booleans())
    history.acts.append(Act(label, when, f"{label} accident deaths={deaths}",
                            lambda s, ids: s.ledger.accidents.report_accident(
                                inspector(ent.department), enterprise_id=ids[ent.label], grade="general", deaths=deaths,
                                injuries=1, direct_loss_yuan=80_000, liability=liability, description="物体打击致一人受伤",
                                occurred_at=when).id))  # fmt: skip


@st.composite
def histories(draw: st.DrawFn) -> History:
    enterprises = [
        Enterprise(f"E{i}", draw(st.sampled_from(sorted(SECTORS))), draw(st.sampled_from(STREETS)), i + 1)
        for i in range(draw(st.integers(2, 4)))
    ]
    history = History(enterprises)
    for i in range(draw(st.integers(3, 8))):
        draw(hazard_acts(history, f"H{i}"))
    for n in range(draw(st.integers(0, 3))):
        draw(case_acts(history, n))
    for n in range(draw(st.integers(0, 3))):
        draw(accident_act(history, n))
    return history


def late_order(draw: st.DrawFn, history: History) -> list[Act]:
    """A random interleaving of the records' own act sequences; a case opens after its cited hazards exist."""
    queues: dict[str, list[Act]] = {}
    for act in history.acts:
        queues.setdefault(act.record, []).append(act)
    reported: set[str] = set()
    order: list[Act] = []
    while queues:
        ready = sorted(r for r, q in queues.items() if all(n in reported for n in q[0].needs))
        record = draw(st.sampled_from(ready))
        act = queues[record].pop(0)
        if not queues[record]:
            del queues[record]
        order.append(act)
        reported.add(act.record)
    return order


# ===== two fresh ledgers ================================================================================


@dataclass
class Backend:
    name: str
    workdir: Path

    @contextlib.contextmanager
    def fresh(self) -> Iterator[str]:
        if self.name == "sqlite":
            yield f"sqlite:///{self.workdir}/{uuid.uuid4().hex[:8]}.db"
            return
        with scratch_postgres("late") as url:
            yield url


def enterprises_registered(services: Services, history: History) -> Ids:
    """The district's enterprises, registered on 1 June (before every act, in both ledgers)."""
    return Ids({
        e.label: services.ledger.enterprises.register_enterprise(
            OFFICE, credit_code=e.credit_code(), name=f"呈贡企业{e.serial}", sector=e.sector, jurisdiction=e.street,
            principal_name=f"负责人{e.serial}", occurred_at=at(1, 8),
        ).id
        for e in history.enterprises
    })  # fmt: skip


Outcome = str  # "ok" or the refusal's code


class Ids(dict[str, UUID]):
    """The ids of the records created so far; a record whose creation was refused is one nobody finds."""

    def __missing__(self, label: str) -> UUID:
        return UUID(int=0)


def enter(services: Services, acts: list[Act], ids: dict[str, UUID], reads: Callable[[int], None] | None = None) -> dict[str, Outcome]:
    outcomes: dict[str, Outcome] = {}
    for n, act in enumerate(acts):
        try:
            record_id = act.run(services, ids)
        except DomainError as error:
            outcomes[act.label] = error.code
        else:
            outcomes[act.label] = "ok"
            ids.setdefault(act.record, record_id)
        if reads is not None:
            reads(n)
    return outcomes


def derived_reads(services: Services, ids: dict[str, UUID], day: date) -> None:
    """Every derived read the system offers, as a clerk or a worker would run them mid-entry."""
    services.catch_up()
    services.process_queries.warnings(WarningFilter(as_of=AsOf(day)))
    services.process_queries.closure_recommendations(AsOf(day))
    services.accountability_queries.anomalies(as_of=day)
    for label, record_id in ids.items():
        if label.startswith("H"):
            services.ledger.hazards.hazard(record_id)


# Recording-time artefacts: when an act was stored and where in the log (record versions are equal:
# each record's acts are in order in both ledgers).
ARTEFACTS = frozenset({"recorded_at", "position", "positions", "log_position", "notification_id", "timestamp", "recorded"})


def normalised(value: Any, ids: dict[str, UUID]) -> Any:
    """The output with record ids replaced by the history's labels and recording-time fields dropped."""
    text = json.dumps(value, default=str, sort_keys=True, ensure_ascii=False)
    for label, record_id in ids.items():
        text = text.replace(str(record_id), label)
    return _drop(json.loads(text))


def _drop(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop(v) for k, v in value.items() if k not in ARTEFACTS}
    if isinstance(value, list):
        return [_drop(v) for v in value]
    return value


HAZARD_FLAGS = ("state", "overdue", "missed_at", "missed_deadlines", "rectification_lapsed", "self_report_late", "deadline",
                "reported_to_regulator_at", "version")  # fmt: skip


def outputs(services: Services, ids: dict[str, UUID]) -> dict[str, Any]:
    services.catch_up()
    annexes, process = services.annexes, services.process_queries
    warnings = process.warnings(WarningFilter(as_of=AsOf(CUT_OFF), limit=10_000))["items"]
    hazards = {label: services.ledger.hazards.hazard(i) for label, i in ids.items() if label.startswith("H")}
    return normalised(
        {
            "annex1": annexes.annex1(None, CUT_OFF),
            "annex2": annexes.annex2(None, CUT_OFF),
            "annex3": annexes.annex3(None),
            "kpis": annexes.kpis(None, CUT_OFF),
            "anomalies": services.accountability_queries.anomalies(as_of=CUT_OFF),
            # a warning's id derives from its unit, level and trigger key, which names a hazard by its id:
            # compared by those (the key with the hazard's label), not by the id
            "warnings": sorted(
                (normalised({k: w[k] for k in ("unit_id", "level", "state", "trigger_key", "trigger_refs", "fact_on", "proposed_at")}, ids)
                 for w in warnings), key=lambda w: (w["unit_id"], w["level"], w["trigger_key"])),
            "closures": [vars(d) for d in process.closure_recommendations(AsOf(CUT_OFF))],
            "hazards": {label: {k: h[k] for k in HAZARD_FLAGS} for label, h in hazards.items()},
        },
        ids,
    )  # fmt: skip


def differences(a: Any, b: Any, path: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in sorted(set(a) | set(b), key=str) for d in differences(a.get(k), b.get(k), f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in differences(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: on time {a!r} / late {b!r}"]


# ===== acts judged on other records' acts not yet entered ================================================

# Codes a case act may get from what the cited hazards' acts DERIVE (a missed deadline → lapse; the
# self-report window): such a refusal must never differ between the orders — a derived fact, computed
# from incomplete knowledge, would have decided a person's act (a decision entered after its day is
# accepted, its conflict listed: DESIGN.md, "Late facts"). The other codes (a hazard voided before the
# case was opened, the void entered after it) depend on a person's act itself.
DERIVED_CODES = frozenset({"penalty_exempt", "dual_penalty_required"})
DEPENDENT: list[str] = []


def depends_on_later_entry(label: str, late: list[Act], history: History) -> bool:
    """A case act whose cited hazards have acts dated before it that the late order entered after it
    (or an act of a case whose opening was such); nothing else may differ."""
    index = {a.label: n for n, a in enumerate(late)}
    act = next(a for a in late if a.label == label)
    if not act.record.startswith("C"):
        return False
    case_acts = [a for a in late if a.record == act.record]
    cited = case_acts[0].needs
    return any(
        a.record in cited and a.when < c.when and index[a.label] > index[c.label]
        for c in case_acts if index[c.label] <= index[label]
        for a in late
    )  # fmt: skip


# ===== the property =====================================================================================

TALLY: Counter[str] = Counter()


@pytest.fixture
def backend(db_url: str, tmp_path: Path) -> Backend:
    return Backend("sqlite" if db_url.startswith("sqlite") else "postgres", tmp_path)


def test_late_entry_changes_nothing(backend: Backend) -> None:
    started = time.monotonic()
    examples = ENV_EXAMPLES or EXAMPLES[backend.name]

    @settings(max_examples=examples, deadline=None, database=None, derandomize=not ENV_EXAMPLES,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(history=histories(), data=st.data())
    def prove(history: History, data: st.DataObject) -> None:
        on_time = sorted(history.acts, key=lambda a: a.when)  # sorted is stable: a record's acts keep their order
        late = late_order(data.draw, history)
        read_at = data.draw(st.sets(st.integers(0, max(len(late) - 1, 0)), max_size=4))
        read_days = [MONTH_START + timedelta(days=data.draw(st.integers(0, 29))) for _ in range(len(late))]
        with backend.fresh() as url_a, backend.fresh() as url_b:
            a = build(Settings(db_url=url_a, rule_overrides=RULES), clock=FixedClock(END))
            b = build(Settings(db_url=url_b, rule_overrides=RULES), clock=FixedClock(END))
            try:
                ids_a, ids_b = enterprises_registered(a, history), enterprises_registered(b, history)
                outcomes_a = enter(a, on_time, ids_a)

                def reads(n: int) -> None:
                    if n in read_at:
                        derived_reads(b, ids_b, read_days[n])

                outcomes_b = enter(b, late, ids_b, reads)
                TALLY.update(f"{label.split(' ', 1)[1].split(' ')[0]}:{code}" for label, code in outcomes_a.items())
                TALLY["acts"] += len(on_time)
                TALLY["examples"] += 1
                differing = {k: (outcomes_a[k], outcomes_b[k]) for k in outcomes_a if outcomes_a[k] != outcomes_b[k]}
                story = "\n".join(
                    f"  {act.when:%m-%d %H:%M} {act.label}: on time {outcomes_a[act.label]}, late {outcomes_b[act.label]}"
                    f"  (entered #{late.index(act) + 1})" for act in on_time
                )  # fmt: skip
                unexplained = {
                    k: v for k, v in differing.items() if DERIVED_CODES & set(v) or not depends_on_later_entry(k, late, history)
                }  # fmt: skip
                assert not unexplained, f"outcomes differ {unexplained}:\n{story}"
                if differing:  # the ledgers hold different acts: their outputs differ, rightly
                    DEPENDENT.append(f"{differing}\n{story}")
                    return
                out_a = outputs(a, ids_a)
                diff = differences(out_a, outputs(b, ids_b))
                assert not diff, "outputs differ:\n" + "\n".join(diff[:40]) + f"\n{story}"
                TALLY["penalty_conflicts"] += out_a["anomalies"]["lists"]["penalty_against_rules"]["count"]
            finally:
                a.close()
                b.close()

    prove()
    dependent = list(DEPENDENT)
    DEPENDENT.clear()
    elapsed = time.monotonic() - started
    print(f"\n{backend.name}: {examples} examples, {TALLY['acts']} acts in {elapsed:.1f} s; outcomes {dict(TALLY)}")
    TALLY.clear()
    for report in dependent:
        print(f"outcome decided by acts entered later (outputs not compared):\n{report}")
