"""Benchmarks of the projection engine and the reports (issue 5), each against a baseline measured
in the same run. Usage:

    python -m bench.run --db postgresql://postgres@127.0.0.1:5432/hazard_bench --events 1000000

The database is emptied first (it must be a scratch database). Results print as Markdown rows for
bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg
from psycopg import sql

from app.settings import Settings
from app.wiring import Services, build
from bench.district import populate
from domain.actor import Actor
from domain.business_time import business_date
from domain.glossary import Grade, HazardSource, OrgKind, Role
from projections.engine import follow


def _reset(conninfo: str) -> None:
    admin, name = conninfo.rsplit("/", 1)
    with psycopg.connect(f"{admin}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def bench_rebuild(services: Services, conninfo: str) -> dict[str, Any]:
    """Blue/green rebuild of the records projection vs a plain psycopg read of the same event table."""
    started = time.perf_counter()
    with psycopg.connect(conninfo) as conn, conn.cursor(name="raw") as cursor:
        cursor.itersize = 10_000
        cursor.execute("SELECT * FROM hazardledger_events ORDER BY notification_id")
        raw_rows = sum(1 for _ in cursor)
    raw_rate = raw_rows / (time.perf_counter() - started)
    started = time.perf_counter()
    applied = services.read_models.records.rebuild()
    rebuild_rate = applied / (time.perf_counter() - started)
    return {"events": applied, "rebuild_per_s": rebuild_rate, "raw_read_per_s": raw_rate, "ratio": rebuild_rate / raw_rate}


def bench_annex2(services: Services, samples: int) -> dict[str, Any]:
    """Annex 2 for the district: today (latest cut-off) and random past cut-offs in the campaign."""
    today = business_date(datetime.now(UTC))
    campaign = services.ledger.reference.campaign
    past = [campaign.start + timedelta(days=d) for d in range(10, (campaign.end - campaign.start).days, 7)]

    def timed(as_of: date) -> float:
        started = time.perf_counter()
        services.annexes.annex2(None, as_of)
        return (time.perf_counter() - started) * 1000

    timed(today)  # warm the caches once, as a running server would be
    now = [timed(today) for _ in range(samples)]
    then = [timed(past[i % len(past)]) for i in range(samples)]
    return {"today_p50_ms": statistics.median(now), "today_p95_ms": percentile(now, 95),
            "past_p50_ms": statistics.median(then), "past_p95_ms": percentile(then, 95)}  # fmt: skip


def bench_live_lag(services: Services, seconds: float, rate: float) -> dict[str, Any]:
    """A writer appends hazards at a steady rate; the live worker (LISTEN wake-up) projects them.
    Lag = time from an event's recording to the commit of the batch that projects it."""
    ledger = services.ledger
    reference = ledger.reference
    office = Actor("ajb-bench", "基准", Role.COMMITTEE_OFFICE, "ajb", OrgKind.COMMITTEE_OFFICE, "区安委办")
    enterprise_row = services.registers.enterprises(limit=1)[0]
    lags: list[float] = []
    runner = services.read_models.records
    original = runner.projection.apply_batch

    def measuring(conn: Any, tables: Any, events: Any) -> None:
        original(conn, tables, events)
        finished = datetime.now(UTC)
        lags.extend((finished - e.timestamp).total_seconds() * 1000 for _, e in events)

    runner.catch_up()
    runner.projection.apply_batch = measuring  # type: ignore[method-assign]
    stop = threading.Event()
    worker = threading.Thread(target=follow, args=([runner], services.wake_on_new_events(), stop), daemon=True)
    worker.start()
    interval = 1 / rate
    deadline = time.perf_counter() + seconds
    written = 0
    next_at = time.perf_counter()
    while time.perf_counter() < deadline:
        ledger.hazards.report_hazard(
            office, enterprise_id=enterprise_row["id"], grade=Grade.GENERAL, source=HazardSource.TIP_OFF,
            description="基准写入", sector=enterprise_row["sector"], jurisdiction=reference.jurisdictions[0].id,
        )  # fmt: skip
        written += 1
        next_at += interval
        time.sleep(max(0.0, next_at - time.perf_counter()))
    time.sleep(1.0)
    stop.set()
    worker.join(timeout=5)
    runner.projection.apply_batch = original  # type: ignore[method-assign]
    return {"written": written, "rate_per_s": written / seconds, "p50_ms": statistics.median(lags),
            "p99_ms": percentile(lags, 99), "max_ms": max(lags), "projected": len(lags)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="a scratch PostgreSQL database (emptied first)")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--lag-seconds", type=float, default=20)
    parser.add_argument("--write-rate", type=float, default=50, help="commands per second during the lag test")
    parser.add_argument("--reuse", action="store_true", help="keep the database of an earlier run instead of refilling it")
    parser.add_argument("--only", choices=["rebuild", "annex2", "lag"], action="append", help="run only these measures")
    args = parser.parse_args()
    if not args.reuse:
        _reset(args.db)
    services = build(Settings(db_url=args.db))
    if not args.reuse:
        started = time.perf_counter()
        appended = populate(services.ledger, args.events)
        print(f"populated {appended} events in {time.perf_counter() - started:.1f} s")
    wanted = set(args.only or ["rebuild", "annex2", "lag"])
    if "rebuild" in wanted:
        rebuild = bench_rebuild(services, args.db)
        print(f"| rebuild (records projection) | {rebuild['events']:,} events | {rebuild['rebuild_per_s']:,.0f} events/s | "
              f"raw psycopg read {rebuild['raw_read_per_s']:,.0f} rows/s | ratio {rebuild['ratio']:.1%} |")  # fmt: skip
    if "annex2" in wanted:
        services.read_models.records.catch_up()
        annex = bench_annex2(services, args.samples)
        print(f"| Annex 2, district, today | p50 {annex['today_p50_ms']:.1f} ms | p95 {annex['today_p95_ms']:.1f} ms |")
        print(f"| Annex 2, district, past cut-offs | p50 {annex['past_p50_ms']:.1f} ms | p95 {annex['past_p95_ms']:.1f} ms |")
    if "lag" in wanted:
        lag = bench_live_lag(services, args.lag_seconds, args.write_rate)
        print(f"| live lag at {lag['rate_per_s']:.0f} writes/s ({lag['projected']} events) | p50 {lag['p50_ms']:.1f} ms | "
              f"p99 {lag['p99_ms']:.1f} ms | max {lag['max_ms']:.1f} ms |")  # fmt: skip
    services.close()


if __name__ == "__main__":
    main()
