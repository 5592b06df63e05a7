"""Import of a unit's Excel hazard ledger (issue 16): rows/s of ``hazard-ledger import`` on a 10,000-row
ledger, beside the same rows appended through the event store's bulk path, in one interleaved run. Usage
(from the repository root, PostgreSQL with trust auth on 127.0.0.1:5432):

    python -m bench.ledger_import [--rows 10000 --rounds 3 --enterprises 200] [--sqlite]

* ``import``: ``app.ledger_import.import_ledger`` on the workbook's bytes — openpyxl reads it, every row is
  read by the domain's rules, its enterprise found (by credit code for half the rows, by name for the other
  half), its commands (report, plan, completion, verification, closure) run through the command pipeline
  with every rule and role check, and all the events plus the import's record are stored in one transaction.
* ``bulk``: the same rows as the same events — the aggregates built and advanced in memory by their own
  methods, as ``bench/district.py`` does, with no command layer, no workbook and no checks of role, scope or
  bounds — appended with the recorder's ``insert_events`` in batches of 5,000 (the demo's and the synthetic
  district's bulk path).

Each round gives each contender a fresh database (the same enterprises registered first, not timed); the
contenders alternate, the order reversed every other round; the figures are medians. Prints Markdown rows.
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from openpyxl import Workbook

from adapters.ledger_workbook import read_workbook
from app.ledger_import import import_ledger
from app.settings import Settings
from app.wiring import Services, build
from bench.pipelines import create_db, drop_db, machine
from domain.actor import Actor
from domain.business_time import CHINA_TZ
from domain.commands.enterprises import RegisterEnterprise
from domain.credit_code import check_character
from domain.enterprise import enterprise_id_for
from domain.glossary import Assessor, Grade, HazardSource, OrgKind, Role
from domain.hazard import Hazard
from domain.ledger_import import ledger_hazard_id, start_of
from domain.values import RectificationPlan

UNIT = "yjj"
CLERK = Actor("yjj-bench", "基准录入员", Role.INSPECTOR, UNIT, OrgKind.DEPARTMENT, "区应急管理局")
OFFICE = Actor("ajb-bench", "基准", Role.COMMITTEE_OFFICE, "ajb", OrgKind.COMMITTEE_OFFICE, "区安委办")
HEADER = ["序号", "企业名称", "统一社会信用代码", "隐患描述", "隐患等级", "判定依据", "发现日期", "整改措施", "整改责任人",
          "整改资金", "整改期限", "应急预案", "整改完成日期", "验收日期", "验收人", "状态"]  # fmt: skip
BATCH = 5000


@dataclass(frozen=True)
class Row:
    name: str
    code: str
    description: str
    major: bool
    found: date
    deadline: date
    completed: date | None
    verified: date | None
    closed: bool


def credit_code(n: int) -> str:
    first17 = f"91530114MB{n:07d}"
    return first17 + check_character(first17)


def ledger_rows(rows: int, enterprises: int, seed: int = 16) -> list[Row]:
    """A 2023 ledger: a tenth major; 30 % open, 30 % completed, 20 % verified, 20 % closed (销号)."""
    rng = random.Random(seed)
    out = []
    for n in range(rows):
        e = rng.randrange(enterprises)
        found = date(2023, 1, 1) + timedelta(days=rng.randrange(300))
        stage = rng.random()
        completed = found + timedelta(days=rng.randrange(1, 30)) if stage > 0.3 else None
        verified = completed + timedelta(days=rng.randrange(0, 5)) if completed and stage > 0.6 else None
        description = f"隐患{n:05d}：储罐区可燃气体报警器失效"
        out.append(Row(f"基准化工企业{e:04d}有限公司", credit_code(e), description, rng.random() < 0.1, found,
                       found + timedelta(days=30), completed, verified, stage > 0.8))  # fmt: skip
    return out


def workbook(rows: list[Row]) -> bytes:
    """The ledger as a clerk keeps it: a title row, the header, dates in several forms, half the firms by name."""
    book = Workbook()
    sheet = book.active
    sheet.title = "隐患台账"
    sheet.append(["区应急管理局 2023 年事故隐患排查治理台账"])
    sheet.merge_cells("A1:P1")
    sheet.append(HEADER)
    for n, r in enumerate(rows, 1):
        by_name = n % 2 == 0
        sheet.append([
            n, r.name if by_name else None, None if by_name else r.code, r.description, "重大" if r.major else "一般",
            "第十二条" if r.major else None, f"{r.found.year}年{r.found.month}月{r.found.day}日", "更换报警探头", "李建国",
            "8.6万" if r.major else 5000, r.deadline, "泄漏专项应急预案" if r.major else None,
            r.completed.strftime("%Y.%m.%d") if r.completed else None, r.verified, "专家组" if r.verified else None,
            "已销号" if r.closed and r.verified else None,
        ])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def register(services: Services, enterprises: int) -> None:
    streets = [u.id for u in services.ledger.reference.jurisdictions]
    for e in range(enterprises):
        services.ledger.execute(OFFICE, RegisterEnterprise(
            credit_code=credit_code(e), name=f"基准化工企业{e:04d}有限公司", sector="hazardous_chemicals",
            jurisdiction=streets[e % len(streets)], principal_name=f"负责人{e}",
            occurred_at=datetime(2022, 12, 1, tzinfo=CHINA_TZ),
        ))  # fmt: skip


STORE_SECONDS: list[float] = []  # the import's one transaction, per run


def run_import(services: Services, content: bytes, rows: list[Row]) -> int:
    store = services.ledger.store_staged

    def timed(unit: Any) -> Any:  # the one transaction of the import, timed apart
        started = time.perf_counter()
        try:
            return store(unit)
        finally:
            STORE_SECONDS.append(time.perf_counter() - started)

    services.ledger.store_staged = timed  # type: ignore[method-assign]
    report = import_ledger(services.pipeline, content, file_name="台账.xlsx", actor=CLERK)
    assert report.counts.hazards_new == len(rows), report
    return report.counts.acts + 1


def run_bulk(services: Services, content: bytes, rows: list[Row]) -> int:
    """The same hazards with the same acts, built by the aggregates' own methods and appended in batches."""
    pending: list[Any] = []
    written = 0
    for r in rows:
        enterprise_id = enterprise_id_for(r.code)
        found = start_of(r.found)
        hazard = Hazard.report(
            actor=CLERK, occurred_at=found, enterprise_id=enterprise_id, sector="hazardous_chemicals", jurisdiction="wulong",
            department=UNIT, grade=Grade.MAJOR if r.major else Grade.GENERAL, source=HazardSource.DEPARTMENT_INSPECTION,
            criterion="第十二条" if r.major else "", description=r.description,
            record_id=ledger_hazard_id(UNIT, enterprise_id, r.found, r.description),
        )  # fmt: skip
        contingency = "泄漏专项应急预案" if r.major else ""
        plan = RectificationPlan("李建国", "更换报警探头", 86000 if r.major else 5000, r.deadline, contingency)
        hazard.file_plan(CLERK, found, plan)
        if r.completed:
            hazard.complete_rectification(CLERK, start_of(r.completed), "整改完成")
        if r.verified:
            hazard.verify(CLERK, start_of(r.verified), True, "验收合格", [Assessor.GOVERNMENT], transcribed=True)
            if r.closed:
                hazard.close(CLERK, start_of(r.verified), "销号")
        pending.extend(hazard.collect_events())
        if len(pending) >= BATCH:
            written += _store(services, pending)
            pending = []
    return written + _store(services, pending)


def _store(services: Services, events: list[Any]) -> int:
    if events:
        services.ledger.recorder.insert_events([services.ledger.mapper.to_stored_event(e) for e in events])
    return len(events)


CONTENDERS: dict[str, Callable[[Services, bytes, list[Row]], int]] = {"import": run_import, "bulk": run_bulk}


def one_run(name: str, backend: str, content: bytes, rows: list[Row], enterprises: int, round_no: int) -> dict[str, float]:
    if backend == "postgres":
        db = f"hazard_bench_import_{name}"
        url = create_db(db)
    else:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='bench-import-')}/hazard.db"
    services = build(Settings(db_url=url))
    try:
        register(services, enterprises)
        started = time.perf_counter()
        events = CONTENDERS[name](services, content, rows)
        seconds = time.perf_counter() - started
    finally:
        services.close()
        if backend == "postgres":
            drop_db(db)
    result = {"seconds": seconds, "rows_per_s": len(rows) / seconds, "events": events, "events_per_s": events / seconds}
    print(f"  round {round_no} {name:6s} {seconds:7.2f} s  {result['rows_per_s']:8.0f} rows/s  {events} events  [{machine()}]")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--enterprises", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sqlite", action="store_true", help="SQLite files instead of PostgreSQL databases")
    args = parser.parse_args()
    backend = "sqlite" if args.sqlite else "postgres"
    rows = ledger_rows(args.rows, args.enterprises)
    started = time.perf_counter()
    content = workbook(rows)
    print(f"ledger: {args.rows} rows, {len(content) / 1e6:.1f} MB xlsx, written in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    read_workbook(content)
    read_seconds = time.perf_counter() - started
    print(f"openpyxl read alone (part of import): {read_seconds:.2f} s")
    results: dict[str, list[dict[str, float]]] = {name: [] for name in CONTENDERS}
    order = list(CONTENDERS)
    for r in range(args.rounds):
        for name in order if r % 2 == 0 else order[::-1]:
            results[name].append(one_run(name, backend, content, rows, args.enterprises, r + 1))
    measures = ("seconds", "rows_per_s", "events_per_s", "events")
    med = {n: {k: statistics.median(x[k] for x in rs) for k in measures} for n, rs in results.items()}
    print(f"\n{machine()}; {backend}; {args.rows} rows, {args.rounds} rounds")
    for n, m in med.items():
        rounds = ", ".join(f"{x['rows_per_s']:,.0f}" for x in results[n])
        print(f"| {n} | {m['seconds']:.1f} s | {m['rows_per_s']:,.0f} rows/s ({rounds}) | {m['events_per_s']:,.0f} events/s |")
    print(f"| ratio import / bulk | | {med['import']['rows_per_s'] / med['bulk']['rows_per_s']:.2f}× | |")
    print(f"import, of which the one transaction storing {med['import']['events']:,.0f} events: "
          f"{statistics.median(STORE_SECONDS):.1f} s (median); reading the workbook alone: {read_seconds:.1f} s")


if __name__ == "__main__":
    main()
