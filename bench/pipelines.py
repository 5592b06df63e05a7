"""Benchmarks of the pipelines (issue 10), each beside its baseline measured in the same interleaved
run. Usage (from the repository root, PostgreSQL with trust auth on 127.0.0.1:5432):

    python -m bench.pipelines --only http [--rounds 3 --seconds 10 --clients 8 --hazards 200]
    python -m bench.pipelines --only rebuild --only annex2 --events 200000   # one fill for both
    python -m bench.pipelines --only rebuild --events 1000000                 # the full size

* ``http``: ``POST /api/v1/hazards/{id}/progress`` on the product API (``uvicorn --factory
  api.app:app_from_env``) vs ``POST /items/{id}/progress`` on bench/crud_service.py (one UPDATE + one
  history INSERT), both 1 uvicorn worker with the same settings, each on its own fresh database;
  8 client threads (one keep-alive httpx.Client each), contenders alternating for ``--rounds`` rounds
  of ``--seconds`` s. Only 2xx responses count. Server CPU from /proc/PID/stat.
  ``--product-root DIR`` serves the product from another source tree (e.g. an earlier commit).
* ``rebuild``: ``runner.rebuild()`` for each read model of ``services.read_models`` on a database
  filled by the synthetic district (bench/district.py), vs a raw binary psycopg read of the event
  table and a decode-only pass (``select_notifications`` + ``mapper.to_domain_event``).
* ``annex2``: ``services.annexes.annex2(None, today, None)`` vs one ``SELECT sector, state, count(*)``
  over the active records hazards table, interleaved sample by sample.

Databases are created fresh and dropped at the end (``--keep`` keeps them). Prints Markdown rows.
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
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx
import psycopg
from psycopg import sql
from sqlalchemy import text

from app.settings import Settings
from app.wiring import Services, build
from bench.district import populate
from bench.run import percentile
from domain.business_time import business_date
from domain.credit_code import check_character
from projections.engine import REBUILD_BATCH, rebuild_together

SERVER = "postgresql://postgres@127.0.0.1:5432"
CLK_TCK = os.sysconf("SC_CLK_TCK")
UVICORN = ["--workers", "1", "--no-access-log", "--log-level", "warning", "--host", "127.0.0.1"]


def create_db(name: str) -> str:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"{SERVER}/{name}"


def drop_db(name: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def machine() -> str:
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    return f"nproc {os.cpu_count()}, load average {load}"


# ---------------------------------------------------------------------------------------------- http


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime


def hdr(user_id: str, name: str, role: str, org_id: str, org_kind: str, org_name: str = "") -> dict[str, str]:
    """As tests/integration/conftest.py ``headers``."""
    return {"X-User-Id": user_id, "X-User-Name": quote(name), "X-User-Role": role, "X-Org-Id": org_id,
            "X-Org-Kind": org_kind, "X-Org-Name": quote(org_name)}  # fmt: skip


OFFICE = hdr("ajb-wang", "王主任", "committee_office", "ajb", "committee_office", "区安委办")


class Server:
    def __init__(self, name: str, factory: str, port: int, env: dict[str, str], root: str | None = None) -> None:
        self.name, self.port = name, port
        self.base = f"http://127.0.0.1:{port}"
        self.log = open(f"/tmp/bench-pipelines-{name}.log", "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", factory, "--port", str(port), *UVICORN],
            env={**os.environ, **env, **({"PYTHONPATH": root} if root else {})}, cwd=root,
            stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{name} server exited: see /tmp/bench-pipelines-{name}.log")
            try:
                httpx.get(self.base + "/openapi.json", timeout=2)
                return
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def setup_product(server: Server, hazards: int) -> tuple[list[str], dict[str, str]]:
    """One enterprise (registered by the committee office) and ``hazards`` general hazards reported
    by its principal, each with a rectification plan filed (state rectifying: progress is allowed)."""
    deadline = business_date(datetime.now(UTC)).toordinal() + 60
    deadline_iso = datetime.fromordinal(deadline).date().isoformat()
    with httpx.Client(base_url=server.base + "/api/v1", timeout=30) as c:
        code = "91530114MA6K00001"
        r = c.post("/enterprises", headers=OFFICE, json={
            "credit_code": code + check_character(code), "name": "基准化工有限公司", "sector": "hazardous_chemicals",
            "jurisdiction": "wulong", "principal_name": "李建国", "high_risk": True,
        })  # fmt: skip
        assert r.status_code == 201, r.text
        eid = r.json()["id"]
        principal = hdr("ent-li", "李建国", "principal", eid, "enterprise", "基准化工")
        ids = []
        plan = {"responsible_person": "李建国", "measures": "更换失效探头", "funds_yuan": 86000,
                "deadline": deadline_iso, "contingency_plan": "储罐区泄漏专项应急预案"}  # fmt: skip
        for i in range(hazards):
            r = c.post("/hazards", headers=principal, json={
                "enterprise_id": eid, "grade": "general", "source": "self_inspection",
                "description": f"基准隐患{i}"})  # fmt: skip
            assert r.status_code == 201, r.text
            hid = r.json()["id"]
            r = c.post(f"/hazards/{hid}/plan", headers=principal, json=plan)
            assert r.status_code == 200, r.text
            ids.append(hid)
    return ids, principal


def load(
    server: Server, paths: list[str], headers: dict[str, str], body: dict[str, Any], clients: int, seconds: float
) -> dict[str, Any]:
    """``clients`` threads, each with its own keep-alive connection, POSTing for ``seconds`` s."""
    ok = [0] * clients
    other: dict[int, int] = {}
    latencies: list[list[float]] = [[] for _ in range(clients)]
    barrier = threading.Barrier(clients + 1)
    stop_at: list[float] = [0.0]

    def worker(k: int) -> None:
        rng = random.Random(k)
        with httpx.Client(base_url=server.base, headers=headers, timeout=30) as c:
            c.get("/openapi.json")  # open the connection before the clock starts
            barrier.wait()
            while (now := time.perf_counter()) < stop_at[0]:
                r = c.post(paths[rng.randrange(len(paths))], json=body)
                latencies[k].append(time.perf_counter() - now)
                if 200 <= r.status_code < 300:
                    ok[k] += 1
                else:
                    other[r.status_code] = other.get(r.status_code, 0) + 1

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    cpu0 = cpu_seconds(server.proc.pid)
    stop_at[0] = time.perf_counter() + seconds
    started = time.perf_counter()
    barrier.wait()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    cpu = cpu_seconds(server.proc.pid) - cpu0
    done = sum(ok)
    lat = sorted(x for xs in latencies for x in xs)
    return {"ok": done, "per_s": done / elapsed, "cpu_ms_per_cmd": cpu / max(done, 1) * 1000,
            "cpu_util": cpu / elapsed, "errors": other, "p50_ms": percentile(lat, 50) * 1000,
            "p95_ms": percentile(lat, 95) * 1000}  # fmt: skip


def bench_http(rounds: int, seconds: float, clients: int, hazards: int, keep: bool, product_root: str | None) -> None:
    product_url = create_db("hazard_bench_http_product")
    crud_url = create_db("hazard_bench_http_crud")
    env = {"HAZARD_DB_URL": product_url, "HAZARD_IN_PROCESS_WORKERS": "0", "HAZARD_ENV": "development",
           "HAZARD_LOG_KEY_FILE": "/tmp/bench-pipelines-log-key.pem",
           "HAZARD_CHECKPOINT_DIR": "/tmp/bench-pipelines-checkpoints"}  # fmt: skip
    servers: list[Server] = []
    try:
        crud = Server("crud", "bench.crud_service:app_from_env", 8712, {"CRUD_DB_URL": crud_url, "CRUD_SEED_ITEMS": str(hazards)})
        servers.append(crud)
        items = httpx.get(crud.base + "/items").json()
        contenders: dict[str, tuple[Server, list[str], dict[str, str]]] = {
            "crud": (crud, [f"/items/{i}/progress" for i in items], {})
        }
        try:
            product = Server("product", "api.app:app_from_env", 8711, env, product_root)
            servers.append(product)
            started = time.perf_counter()
            ids, principal = setup_product(product, hazards)
            print(f"product: {len(ids)} hazards reported and planned over HTTP in {time.perf_counter() - started:.1f} s")
            contenders["product"] = (product, [f"/api/v1/hazards/{h}/progress" for h in ids], principal)
        except Exception as e:  # noqa: BLE001 — the snapshot's API may be mid-refactor: report, go on
            print(f"PRODUCT API FAILED: {type(e).__name__}: {e}")
        body = {"note": "进展", "percent": 50}
        for server, paths, headers in contenders.values():  # warm-up
            load(server, paths, headers, body, clients, 2.0)
        results: dict[str, list[dict[str, Any]]] = {name: [] for name in contenders}
        order = list(contenders)
        for r in range(rounds):
            for name in order if r % 2 == 0 else order[::-1]:
                server, paths, headers = contenders[name]
                res = load(server, paths, headers, body, clients, seconds)
                results[name].append(res)
                print(f"  round {r + 1} {name:8s} {res['per_s']:8.1f} cmd/s  cpu {res['cpu_ms_per_cmd']:.2f} ms/cmd "
                      f"(server {res['cpu_util']:.0%} of a core)  p50 {res['p50_ms']:.1f} ms  p95 {res['p95_ms']:.1f} ms  "
                      f"non-2xx {res['errors']}  [{machine()}]")  # fmt: skip
        med = {
            n: {k: statistics.median(x[k] for x in rs) for k in ("per_s", "cpu_ms_per_cmd", "p50_ms", "p95_ms")}
            for n, rs in results.items()
        }
        print(f"\n{machine()}; {clients} clients, {rounds} rounds x {seconds:.0f} s, {hazards} aggregates")
        for n, m in med.items():
            print(f"| {n} | {m['per_s']:,.0f} commands/s | server CPU {m['cpu_ms_per_cmd']:.2f} ms/command | "
                  f"latency p50 {m['p50_ms']:.1f} ms, p95 {m['p95_ms']:.1f} ms | "
                  f"rounds {', '.join(str(round(x['per_s'])) for x in results[n])} |")  # fmt: skip
        if "product" in med:
            print(f"| ratio product/CRUD | {med['product']['per_s'] / med['crud']['per_s']:.1%} of the throughput | "
                  f"{med['product']['cpu_ms_per_cmd'] / med['crud']['cpu_ms_per_cmd']:.1f}x "
                  "the server CPU per command |")  # fmt: skip
    finally:
        for s in servers:
            s.stop()
        if not keep:
            drop_db("hazard_bench_http_product")
            drop_db("hazard_bench_http_crud")


# ------------------------------------------------------------------------------------ rebuild, annex2


RAW_SQL = "SELECT notification_id, originator_id, originator_version, topic, state FROM {} ORDER BY notification_id"


def events_table(services: Services) -> str:
    """The recorder's table (``hazardledger_events``)."""
    return str(services.ledger.recorder.events_table_name)  # type: ignore[attr-defined]


def raw_read(conninfo: str, table: str) -> int:
    n = 0
    with psycopg.connect(conninfo) as conn, conn.cursor(name="raw", binary=True) as cur:
        cur.execute(sql.SQL(RAW_SQL).format(sql.Identifier(table)))
        while rows := cur.fetchmany(10_000):
            n += len(rows)
    return n


def decode_only(services: Services) -> int:
    recorder, mapper = services.ledger.recorder, services.ledger.mapper
    start, n = 0, 0
    while notifications := recorder.select_notifications(start=start, limit=REBUILD_BATCH, inclusive_of_start=False):
        for notification in notifications:
            mapper.to_domain_event(notification)
        n += len(notifications)
        start = notifications[-1].id
    return n


def timed(fn: Callable[[], int]) -> tuple[int, float]:
    started = time.perf_counter()
    n = fn()
    return n, time.perf_counter() - started


ONE_PASS = "rebuild every read model in one pass (rebuild_together)"


def bench_rebuild(services: Services, conninfo: str, rounds: int) -> None:
    contenders: dict[str, Callable[[], int]] = {
        "raw binary psycopg read": lambda: raw_read(conninfo, events_table(services)),
        "decode only (select_notifications + to_domain_event)": lambda: decode_only(services),
    }
    for runner in services.read_models:
        contenders[f"rebuild {runner.name}"] = runner.rebuild
    # the goal's measure: every read model from empty in one pass over the log (read and decoded once)
    contenders[ONE_PASS] = lambda: rebuild_together(list(services.read_models))
    rates: dict[str, list[float]] = {n: [] for n in contenders}
    seconds: dict[str, list[float]] = {n: [] for n in contenders}
    counts: dict[str, int] = {}
    order = list(contenders)
    for r in range(rounds):
        for name in order if r % 2 == 0 else order[::-1]:
            n, s = timed(contenders[name])
            counts[name] = n
            rates[name].append(n / s)
            seconds[name].append(s)
            print(f"  round {r + 1} {name:55s} {n:>9,} events {s:7.2f} s {n / s:>10,.0f} events/s  [{machine()}]")
    raw = statistics.median(rates["raw binary psycopg read"])
    events = counts["raw binary psycopg read"]
    print(f"\n{machine()}; {events:,} events, {rounds} rounds, medians")
    print("| what | events/s (median) | runs | % of the raw read |")
    print("|---|---|---|---|")
    for name in order:
        m = statistics.median(rates[name])
        print(f"| {name} | {m:,.0f} | {', '.join(f'{x:,.0f}' for x in rates[name])} | {m / raw:.1%} |")
    rebuilds = [n for n in order if n.startswith("rebuild ") and n != ONE_PASS]
    per_round = [events / sum(seconds[n][r] for n in rebuilds) for r in range(rounds)]
    m = statistics.median(per_round)
    print(
        f"| all {len(rebuilds)} read models rebuilt one after another | {m:,.0f} | "
        f"{', '.join(f'{x:,.0f}' for x in per_round)} | {m / raw:.1%} |"
    )


def bench_annex2(services: Services, samples: int) -> None:
    records = services.read_models.records
    records.catch_up()
    table = records.tables()["hazards"]
    query = text(f'SELECT sector, state, count(*) FROM "{table.name}" GROUP BY sector, state')
    as_of = business_date(datetime.now(UTC))

    def annex() -> None:
        services.annexes.annex2(None, as_of, None)

    def group_by() -> None:
        with services.engine.connect() as conn:
            conn.execute(query).all()

    contenders = {"annex2(None, today, None)": annex, f"SELECT sector, state, count(*) FROM {table.name} GROUP BY 1, 2": group_by}
    for fn in contenders.values():  # warm: caches, plans, pool
        fn()
        fn()
    times: dict[str, list[float]] = {n: [] for n in contenders}
    order = list(contenders)
    for i in range(samples):
        for name in order if i % 2 == 0 else order[::-1]:
            started = time.perf_counter()
            contenders[name]()
            times[name].append((time.perf_counter() - started) * 1000)
    with services.engine.connect() as conn:
        rows = conn.execute(text(f'SELECT count(*) FROM "{table.name}"')).scalar()
    print(f"\n{machine()}; {rows:,} hazard rows, as_of {as_of}, {samples} interleaved samples each")
    print("| what | p50 | p95 |")
    print("|---|---|---|")
    for name, xs in times.items():
        print(f"| {name} | {statistics.median(xs):.1f} ms | {percentile(xs, 95):.1f} ms |")
    a, b = (times[n] for n in order)
    print(
        f"| ratio annex2 / GROUP BY | {statistics.median(a) / statistics.median(b):.2f}x | "
        f"{percentile(a, 95) / percentile(b, 95):.2f}x |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=["http", "rebuild", "annex2"], action="append", help="run only these (repeatable)")
    parser.add_argument("--events", type=int, default=200_000, help="synthetic district size for rebuild/annex2 (full: 1000000)")
    parser.add_argument("--db-name", default="hazard_bench_pipelines", help="scratch database for rebuild/annex2 (recreated)")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept --db-name instead of refilling it")
    parser.add_argument("--keep", action="store_true", help="do not drop the databases at the end")
    parser.add_argument("--rebuild-rounds", type=int, default=3)
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3, help="http: rounds of each contender")
    parser.add_argument("--seconds", type=float, default=10, help="http: seconds per contender per round")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--hazards", type=int, default=200, help="http: aggregates the requests spread over")
    parser.add_argument("--product-root", help="http: run the product API from this source tree (default: this one), "
                        "e.g. `git archive <commit> | tar -x -C DIR` of another commit")  # fmt: skip
    args = parser.parse_args()
    wanted = set(args.only or ["http", "rebuild", "annex2"])
    print(machine())
    if "http" in wanted:
        bench_http(args.rounds, args.seconds, args.clients, args.hazards, args.keep, args.product_root)
    if wanted & {"rebuild", "annex2"}:
        url = f"{SERVER}/{args.db_name}" if args.reuse else create_db(args.db_name)
        services = build(Settings(db_url=url))
        try:
            if not args.reuse:
                started = time.perf_counter()
                n = populate(services.ledger, args.events)
                print(f"populated {n:,} events in {time.perf_counter() - started:.1f} s")
                with psycopg.connect(url, autocommit=True) as conn:
                    conn.execute(sql.SQL("VACUUM ANALYZE {}").format(sql.Identifier(events_table(services))))
            if "rebuild" in wanted:
                bench_rebuild(services, url, args.rebuild_rounds)
            if "annex2" in wanted:
                bench_annex2(services, args.samples)
        finally:
            services.close()
            if not args.keep:
                drop_db(args.db_name)


if __name__ == "__main__":
    main()
