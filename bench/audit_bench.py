"""Benchmarks of the Merkle log (issue 6), each against its goal. Usage:

    python -m bench.audit_bench --db postgresql://postgres@127.0.0.1:5432/hazard_audit_bench \
        --events 200000 --leaves 1000000 --write-seconds 15

The database is emptied first (a scratch database). Prints Markdown rows for bench/RESULTS.md:

* verify throughput: the offline verifier over a populated ledger (rows read, leaves recomputed and
  merged with the stored leaves, root at a checkpoint) — goal >= 50k events/s;
* inclusion proof at ``--leaves`` leaves (a synthetic tree built through the maintenance code:
  MerkleLogProjection.apply_batch with random rows) — goal <= 1 ms;
* ledger writes/s with the Merkle runner following live vs not, alternating in one run — goal >= 80%.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from typing import Any

from app.settings import Settings
from app.wiring import Services, build
from audit.merkle import verify_inclusion
from audit.records import RawRecord, events_table
from audit.verify import DatabaseSource, engine_for, verify
from bench.district import populate
from bench.run import _reset, percentile
from domain.actor import Actor
from domain.glossary import Grade, HazardSource, OrgKind, Role
from projections.engine import Positioned, follow


def bench_verify(services: Services, url: str, events: int, runs: int = 5) -> dict[str, Any]:
    started = time.perf_counter()
    populate(services.ledger, events)
    populated = time.perf_counter() - started
    runner = services.read_models.merkle_log
    started = time.perf_counter()
    logged = runner.rebuild()  # blue/green: drops the synthetic tree of bench_proofs
    log_rate = logged / (time.perf_counter() - started)
    cp = services.audit.checkpoint()
    assert cp is not None
    engine = engine_for(url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:  # see bench_proofs
        for table in (events_table(engine), *(t.name for t in runner.tables().values())):
            conn.exec_driver_sql(f"VACUUM ANALYZE {table}")
    rates = []
    for _ in range(runs):  # this machine's run-to-run noise is about ±20 %: the median of several runs
        started = time.perf_counter()
        report = verify(DatabaseSource(engine), [("bench", cp.note)], services.audit.public_key())
        rates.append(report.events / (time.perf_counter() - started))
        assert report.ok, report.findings[:3]
    engine.dispose()
    return {
        "events": report.events,
        "verify_per_s": statistics.median(rates),
        "range": f"{min(rates):,.0f}–{max(rates):,.0f}",
        "runs": runs,
        "log_catch_up_per_s": log_rate,
        "populate_s": populated,
        "signatures": report.signatures,
    }


def bench_proofs(services: Services, leaves: int, samples: int) -> dict[str, Any]:
    """Builds a synthetic tree of ``leaves`` leaves through MerkleLogProjection.apply_batch (random rows,
    10,000 per transaction, as the runner would), then times inclusion proofs at random positions."""
    runner = services.read_models.merkle_log
    assert runner.position() == 0 and services.audit.size() == 0, "run on an empty database"
    tables = runner.tables()
    rng = random.Random(6)
    base = 10_000_000
    started = time.perf_counter()
    done = 0
    while done < leaves:
        n = min(10_000, leaves - done)
        batch = [
            Positioned(
                base + done + i, RawRecord(base + done + i, rng.randbytes(16).hex(), 1, "bench.Synthetic", rng.randbytes(200))
            )
            for i in range(n)
        ]
        with services.engine.begin() as conn:
            runner.projection.apply_batch(conn, tables, batch)
        done += n
    build_rate = leaves / (time.perf_counter() - started)
    # Timed as an API process started on this log sees it (it loads the cached upper levels once); this
    # process's AuditLog warmed its cache on the empty tree and would fetch those nodes one by one.
    reader = build(services.settings)
    audit = reader.audit
    size, root = audit.root()
    assert size == leaves
    # A log of 1M leaves in service has long been vacuumed and analysed by autovacuum; one built a moment
    # ago has not (its pages are being written out and visited by autovacuum while the proofs run).
    with services.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in tables.values():
            conn.exec_driver_sql(f"VACUUM ANALYZE {table.name}")
    audit.inclusion(0, size)  # a running server has loaded the cached upper levels once (audit/log.py AuditLog._warm)
    positions = [rng.randrange(leaves) for _ in range(samples)]
    timings = []
    for position in positions:
        t0 = time.perf_counter()
        proof = audit.inclusion(position, size)
        timings.append((time.perf_counter() - t0) * 1000)
        assert verify_inclusion(
            position, size, bytes.fromhex(proof["leaf_hash"]), [bytes.fromhex(h) for h in proof["audit_path"]], root
        )
    consistency = []
    for _ in range(samples // 4):
        first = rng.randrange(1, size)
        t0 = time.perf_counter()
        audit.consistency(first, size)
        consistency.append((time.perf_counter() - t0) * 1000)
    reader.close()
    return {
        "leaves": leaves,
        "build_per_s": build_rate,
        "p50_ms": statistics.median(timings),
        "p95_ms": percentile(timings, 95),
        "max_ms": max(timings),
        "consistency_p50_ms": statistics.median(consistency),
    }


def bench_writes(services: Services, seconds: float, rounds: int, separate_worker: bool = True) -> dict[str, Any]:
    """Ledger writes/s (one writer, report_hazard) alone vs with the Merkle runner following live,
    alternating off/on ``rounds`` times so both see the same machine."""
    ledger = services.ledger
    office = Actor("ajb-bench", "基准", Role.COMMITTEE_OFFICE, "ajb", OrgKind.COMMITTEE_OFFICE, "区安委办")
    enterprise = services.registers.enterprises(limit=1)[0] if services.read_models.records.position() else None
    if enterprise is None:
        services.read_models.records.catch_up()
        enterprise = services.registers.enterprises(limit=1)[0]
    runner = services.read_models.merkle_log

    def write_for(duration: float) -> float:
        deadline = time.perf_counter() + duration
        n = 0
        started = time.perf_counter()
        while time.perf_counter() < deadline:
            ledger.hazards.report_hazard(
                office,
                enterprise_id=enterprise["id"],
                grade=Grade.GENERAL,
                source=HazardSource.TIP_OFF,
                description="基准写入",
                sector=enterprise["sector"],
                jurisdiction=ledger.reference.jurisdictions[0].id,
            )
            n += 1
        return n / (time.perf_counter() - started)

    off, on, lags = [], [], []
    env = {
        **os.environ,
        "HAZARD_DB_URL": services.settings.db_url,
        "HAZARD_LOG_KEY_FILE": str(services.settings.log_key_file),
        "HAZARD_CHECKPOINT_EVERY_MINUTES": "0",
    }
    for _ in range(rounds):
        runner.catch_up()
        off.append(write_for(seconds))
        runner.catch_up()
        if separate_worker:  # the deployed shape: `hazard-ledger project --only merkle_log` in its own process
            worker = subprocess.Popen(
                [sys.executable, "-c", "from cli.main import main; main()", "project", "--only", "merkle_log"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(3.0)  # start-up
            on.append(write_for(seconds))
            time.sleep(1.0)
            lags.append(runner.lag().events)
            worker.terminate()
            worker.wait(timeout=10)
        else:  # a thread of the writer's own process (shares its GIL)
            stop = threading.Event()
            thread = threading.Thread(target=follow, args=([runner], services.wake_on_new_events(), stop), daemon=True)
            thread.start()
            on.append(write_for(seconds))
            time.sleep(0.5)
            lags.append(runner.lag().events)
            stop.set()
            thread.join(timeout=5)
    return {
        "off_per_s": statistics.median(off),
        "on_per_s": statistics.median(on),
        "ratio": statistics.median(on) / statistics.median(off),
        "lag_after_events": max(lags),
        "cpus": os.cpu_count(),
    }


def _row(*cells: str) -> None:
    print("| " + " | ".join(cells) + " |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="a scratch PostgreSQL database (emptied first)")
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--leaves", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=400)
    parser.add_argument("--write-seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--key-dir", default="var/bench")
    parser.add_argument("--in-process", action="store_true", help="run the Merkle follower as a thread of the writer")
    parser.add_argument("--only", choices=["proofs", "verify", "writes"], action="append", help="run only these measures")
    args = parser.parse_args()
    _reset(args.db)
    settings = Settings(
        db_url=args.db, log_key_file=__import__("pathlib").Path(args.key_dir) / "log-key.pem", checkpoint_dir=None
    )  # type: ignore[arg-type]
    services = build(settings)
    wanted = set(args.only or ["proofs", "verify", "writes"])
    if "proofs" in wanted:
        p = bench_proofs(services, args.leaves, args.samples)
        _row(f"inclusion proof at {p['leaves']:,} leaves", f"p50 {p['p50_ms']:.2f} ms",
             f"p95 {p['p95_ms']:.2f} ms (max {p['max_ms']:.2f})", "goal <= 1 ms",
             f"tree built at {p['build_per_s']:,.0f} leaves/s; consistency p50 {p['consistency_p50_ms']:.2f} ms")  # fmt: skip
    if "verify" in wanted:
        v = bench_verify(services, args.db, args.events)
        rate = f"median {v['verify_per_s']:,.0f} events/s of {v['runs']} runs ({v['range']})"
        _row("verify (offline, PostgreSQL)", f"{v['events']:,} events", rate, "goal >= 50,000",
             f"log catch-up {v['log_catch_up_per_s']:,.0f} events/s; signatures {v['signatures']}")  # fmt: skip
    elif "writes" in wanted:
        populate(services.ledger, 10_000)
    if "writes" in wanted:
        w = bench_writes(services, args.write_seconds, args.rounds, separate_worker=not args.in_process)
        where = "in-process thread" if args.in_process else "separate worker process"
        _row("ledger writes/s, Merkle runner off vs on", f"{w['off_per_s']:,.0f} vs {w['on_per_s']:,.0f}", f"{w['ratio']:.0%}",
             "goal >= 80%", f"{where}; median of {args.rounds} alternating rounds of {args.write_seconds:g} s; "
             f"lag after: {w['lag_after_events']} events; {w['cpus']} CPUs")  # fmt: skip
    services.close()


if __name__ == "__main__":
    main()
