"""The demo district (演示区县): a realistic, deterministic 2023 campaign story for 昆明市呈贡区.

``load_demo(pipeline, seed=2023)`` fills a fresh ledger through the one command pipeline
(``app/pipeline.py``, as HTTP and the CLI use it) only, every command with an explicit business time (``occurred_at``)
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
  re-completion; evidence (tiny PNG/JPEG/PDF payloads with GPS in 呈贡) attached along the way;
- spot checks (抽查) record which of the seven deficiencies of Annex 1 they found, or none;
- enforcement cases (执法案件) by five departments, each story built on hazards of its own so the plan's
  five rules meet the facts they need on any seed: a major that lapsed (逾期) → 一案双罚, 停产整顿 and
  复产验收 after verification; accidents → 一案双罚, a further penalty, 移送司法机关; a repeat offender
  (a fireworks wholesaler registered for the purpose) → 建议提请关闭 → 提请关闭 → 关闭取缔 → 吊销证照,
  终身行业禁入, 移送司法机关 (危险作业罪), 联合惩戒; a self-reported major → 依法不予行政处罚 and a case
  closed with a reason while the hazard is open; a gas station's alarm switched off → a listed major,
  暂扣证照, 危险作业罪; 约谈警示, 曝光, 典型案例; publication batches of the four kinds;
- five accidents (two general ones in one street within a month, a 较大 one listed by the city, one
  listed by the district, one without liability); sixteen risk points with their four lists (most
  complete, three not); eleven outstanding problems; the work logs of six units with every activity
  kind of Annex 1 and Annex 2.

Given the authenticator (``auth=``), the demo then creates its log-in accounts, one per role
(``demo/data/accounts.toml``, ``demo/accounts.py``; development only: refused with ``HAZARD_ENV=production``
before any event is written).

Every step is a typed command through the pipeline; a refused step stops the demo (it doubles
as a smoke test). The commands the ledger must refuse are catalogued in
``tests/unit/test_demo_refusals.py``. The fixed material (enterprises, hazard templates, risk points,
problems …) is data in ``demo/data/`` (read by ``demo/tables.py``), and so are the scripted stories
(the enforcement cases, the accidents, the publication batches: ``demo/data/stories.toml``, run step by
step by ``demo/script.py``, which draws their fines, document numbers and names from the seed).

The whole story is planned first (one ``random.Random(seed)``, never the global generator), then
executed in business-time order, so the store's order of events follows the calendar; document
numbers (案号, 决定书文号) are taken as their steps run, so each series rises with the calendar. The
same seed gives the same story; ``DemoSummary.digest`` fingerprints it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from app.pipeline import CommandPipeline
from demo.accounts import DemoAccount, create_demo_accounts, demo_accounts, refuse_in_production
from demo.campaign import CampaignPlan
from demo.enforcement import EnforcementStories
from demo.hazards import HazardPlan
from domain.business_time import business_date
from domain.errors import DomainError
from domain.glossary import (
    Grade,
    HazardState,
)

if TYPE_CHECKING:
    from app.auth import Authenticator

__all__ = ["DemoSummary", "load_demo"]


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
    # the rest of the campaign
    cases: int  # enforcement cases opened (执法案件)
    penalty_decisions: int  # a dual penalty counts once per decision
    fines_yuan: int
    batches: int  # publication batches (分批公布)
    accidents: int
    risk_points: int
    risk_points_controlled: int  # all four lists complete
    problems: int  # outstanding problems (突出问题)
    activities: int  # work-log activities of the reporting units
    spot_checks: int  # spot checks that recorded their deficiencies (or none)
    enterprise_ids: tuple[UUID, ...] = field(default=(), compare=False, repr=False)
    inspection_ids: tuple[UUID, ...] = field(default=(), compare=False, repr=False)
    hazard_ids: tuple[UUID, ...] = field(default=(), compare=False, repr=False)
    case_ids: tuple[UUID, ...] = field(default=(), compare=False, repr=False)
    batch_ids: tuple[UUID, ...] = field(default=(), compare=False, repr=False)
    accident_ids: tuple[UUID, ...] = field(default=(), compare=False, repr=False)
    risk_point_ids: tuple[UUID, ...] = field(default=(), compare=False, repr=False)
    problem_ids: tuple[UUID, ...] = field(default=(), compare=False, repr=False)
    work_log_ids: tuple[UUID, ...] = field(default=(), compare=False, repr=False)
    warning_ids: tuple[UUID, ...] = field(default=(), compare=False, repr=False)
    accountability_ids: tuple[UUID, ...] = field(default=(), compare=False, repr=False)  # 责任倒查、追责问责
    accounts: tuple[DemoAccount, ...] = field(default=(), compare=False, repr=False)  # log-in, one per role (auth=)
    accounts_added: tuple[str, ...] = field(default=(), compare=False, repr=False)  # user ids created by this load


class _Demo(HazardPlan, CampaignPlan, EnforcementStories):
    """The whole story, planned before any command runs, then run in business-time order."""

    # ----- execution -------------------------------------------------------------------------

    def plan(self) -> None:
        self.plan_cast()
        self.plan_findings()
        self.plan_outcomes()
        for h in self.hazards:
            self.plan_lifecycle(h)
        self.plan_campaign()
        self.number_listings()
        self.steps.sort()

    def digest(self) -> str:
        sha = hashlib.sha256()
        for step in self.steps:
            sha.update(f"{step.when.isoformat()}|{step.label}\n".encode())
        for h in self.hazards:
            sha.update(f"{h.key}|{h.listing_number}\n".encode())
        for c in self.cases:
            sha.update(f"{c.key}|{c.number}|{c.decisions}\n".encode())
        return sha.hexdigest()


def load_demo(
    pipeline: CommandPipeline,
    *,
    seed: int = 2023,
    progress: Callable[[int, int], None] | None = None,
    auth: Authenticator | None = None,
) -> DemoSummary:
    """Fills a fresh ledger with the demo district and returns what it holds; given ``auth``, then adds
    the demo's log-in accounts (those not there yet)."""
    ledger = pipeline.ledger
    if auth is not None:
        refuse_in_production(auth.settings.environment)  # before any event
    demo = _Demo(pipeline, seed)
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
    views = [ledger.hazards.hazard(hid) for hid in hazard_ids]
    by_state = {s.value: 0 for s in HazardState}
    by_month: dict[str, int] = {f"{y}-{m:02d}": 0 for y, m in demo.months()}
    for view in views:
        by_state[view["state"]] += 1
        month = business_date(datetime.fromisoformat(view["reported_at"])).strftime("%Y-%m")
        by_month[month] = by_month.get(month, 0) + 1
    case_ids = tuple(c.id for c in demo.cases if c.id is not None)
    cases = [ledger.enforcement.case(cid) for cid in case_ids]
    risk_point_ids = tuple(r.id for r in demo.risk_points if r.id is not None)
    work_logs = [ledger.work_logs.work_log(unit) for unit in dict.fromkeys(ledger.reference.units)]
    accounts: tuple[DemoAccount, ...] = ()
    added: tuple[DemoAccount, ...] = ()
    if auth is not None:
        cast = {f"ent{e.index:02d}": (str(e.id), e.name) for e in demo.enterprises}
        accounts = demo_accounts(ledger.reference, cast)
        added = create_demo_accounts(auth, accounts)
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
        cases=len(cases),
        penalty_decisions=sum(c["penalty_decisions"] for c in cases),
        fines_yuan=sum(c["total_fines_yuan"] for c in cases),
        batches=len(demo.batches),
        accidents=len(demo.accidents),
        risk_points=len(risk_point_ids),
        risk_points_controlled=sum(1 for rid in risk_point_ids if ledger.risks.risk_point(rid)["controlled"]),
        problems=len(demo.problems),
        activities=sum(len(log["activities"]) for log in work_logs),
        spot_checks=demo.spot_checks,
        enterprise_ids=tuple(e.id for e in demo.enterprises),
        inspection_ids=tuple(i.id for i in demo.inspections if i.id is not None),
        hazard_ids=hazard_ids,
        case_ids=case_ids,
        batch_ids=tuple(b.id for b in demo.batches if b.id is not None),
        accident_ids=tuple(a.id for a in demo.accidents if a.id is not None),
        risk_point_ids=risk_point_ids,
        problem_ids=tuple(p.id for p in demo.problems if p.id is not None),
        work_log_ids=tuple(UUID(log["id"]) for log in work_logs if log["version"]),
        warning_ids=tuple(w.id for w in demo.warnings if w.id is not None),
        accountability_ids=tuple(r.id for r in demo.accountability if r.id is not None),
        accounts=accounts,
        accounts_added=tuple(a.user_id for a in added),
    )
