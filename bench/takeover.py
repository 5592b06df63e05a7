"""Standby takeover (issue 16): two `hazard-ledger project` and two `hazard-ledger checkpoint-worker`
processes on PostgreSQL, as docker-compose.yml runs them; the active one of a pair is killed with SIGKILL
and the time until its standby has taken over is measured, ``--kills`` times per pair. Usage:

    python -m bench.takeover [--kills 10] [--events 2000]

Each kill measures, from the SIGKILL: ``lock`` — the standby's heartbeat says it is active (it holds the
advisory lock); ``work`` — for the projector, every read model has applied an event appended just after
the kill; for the checkpoint worker, a checkpoint of the tree with that event is recorded (its period
is ``CHECKPOINT_EVERY_MINUTES``). The killed process is started again and stands by before the next kill.
The database is created fresh and dropped at the end. Prints Markdown rows.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy import func, select

from app.settings import Settings
from app.wiring import Services, build
from app.workers import Worker
from audit.log import audit_checkpoints
from audit.note import Signer
from bench.district import populate
from bench.pipelines import SERVER, create_db
from domain.actor import Actor
from domain.commands.enterprises import RegisterEnterprise
from domain.credit_code import check_character
from domain.glossary import OrgKind, Role

CHECKPOINT_EVERY_MINUTES = 0.01  # 0.6 s: a checkpoint soon after each event
VERBS = {Worker.PROJECTOR: "project", Worker.CHECKPOINTS: "checkpoint-worker"}
OFFICE = Actor("ajb-bench", "基准", Role.COMMITTEE_OFFICE, "ajb", OrgKind.COMMITTEE_OFFICE, "区安委办")
_serials = itertools.count(70000)


def wait_until(done: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError(f"not within {timeout} s: {what}")
        time.sleep(0.02)


@dataclass
class WorkerProcess:
    """One worker process in a folder of its own (its heartbeat under var/, as in its own container)."""

    worker: Worker
    home: Path
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [str(Path(sys.executable).parent / "hazard-ledger"), VERBS[self.worker]]
        self.heartbeat().unlink(missing_ok=True)
        with open(self.home / "output.log", "ab") as out:
            self.process = subprocess.Popen(command, cwd=self.home, env=self.env, stdout=out, stderr=subprocess.STDOUT)

    def heartbeat(self) -> Path:
        return self.home / "var" / "heartbeat" / f"{self.worker}.json"

    def role(self) -> str | None:
        try:
            return str(json.loads(self.heartbeat().read_text("utf-8"))["role"])
        except (OSError, ValueError):
            return None

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> int | None:
        """SIGTERM (as `docker stop`), then its exit code."""
        if self.process is None or self.process.poll() is not None:
            return None if self.process is None else self.process.returncode
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait(10)

    def output(self) -> str:
        return (self.home / "output.log").read_text("utf-8", errors="replace")


def worker_env(db_url: str, key_file: Path, checkpoint_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "HAZARD_DB_URL": db_url,
        "HAZARD_LOG_KEY_FILE": str(key_file),
        "HAZARD_CHECKPOINT_DIR": str(checkpoint_dir),
        "HAZARD_CHECKPOINT_EVERY_MINUTES": str(CHECKPOINT_EVERY_MINUTES),
        "COLUMNS": "200",
    }


@dataclass
class Pair:
    """The active worker and its standby."""

    active: WorkerProcess
    standby: WorkerProcess
    lock_seconds: list[float] = field(default_factory=list)
    work_seconds: list[float] = field(default_factory=list)

    @classmethod
    def start(cls, worker: Worker, root: Path, env: dict[str, str]) -> Pair:
        first, second = (WorkerProcess(worker, root / f"{worker}-{n}", env) for n in (1, 2))
        for process in (first, second):
            process.home.mkdir(parents=True, exist_ok=True)
        first.start()
        wait_until(lambda: first.role() == "active", 60, f"{worker}: the first process active")
        second.start()
        wait_until(lambda: second.role() == "standby", 60, f"{worker}: the second process standing by")
        return cls(first, second)

    def takeover(self, services: Services) -> None:
        """Kills the active process, appends an event, times the standby's takeover; then restarts the
        killed one as the new standby."""
        killed, standby = self.active, self.standby
        killed.kill()
        began = time.monotonic()
        head = append_one(services)
        wait_until(lambda: standby.role() == "active", 30, f"{standby.worker}: the standby active")
        self.lock_seconds.append(time.monotonic() - began)
        wait_until(lambda: done(services, standby.worker, head), 30, f"{standby.worker}: event {head} handled")
        self.work_seconds.append(time.monotonic() - began)
        killed.start()
        wait_until(lambda: killed.role() == "standby", 60, f"{killed.worker}: the restarted process standing by")
        self.active, self.standby = standby, killed

    def stop(self) -> list[int | None]:
        return [self.active.stop(), self.standby.stop()]


def append_one(services: Services) -> int:
    """Registers one enterprise; the log's new head."""
    serial = next(_serials)
    first17 = f"91530114MA6K{serial:05d}"
    services.ledger.execute(OFFICE, RegisterEnterprise(
        credit_code=first17 + check_character(first17), name=f"企业{serial}", sector="fire_safety",
        jurisdiction="dayu", principal_name="李建国"))  # fmt: skip
    return int(services.ledger.recorder.max_notification_id() or 0)


def done(services: Services, worker: Worker, head: int) -> bool:
    """The projector applied ``head`` to every read model; the checkpoint worker signed a tree holding it."""
    if worker is Worker.PROJECTOR:
        return all(runner.position() >= head for runner in services.read_models)
    with services.engine.connect() as conn:
        signed = conn.execute(select(func.max(audit_checkpoints.c.tree_size))).scalar() or 0
    return bool(signed >= events_in_log(services))


def events_in_log(services: Services) -> int:
    """How many events the log holds (its Merkle tree's size once caught up; ids may have gaps)."""
    table = services.ledger.recorder.events_table_name  # type: ignore[attr-defined]
    with services.engine.connect() as conn:
        return int(conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar() or 0)


def summary(name: str, seconds: list[float]) -> str:
    return f"| {name} | {len(seconds)} | {statistics.median(seconds):.2f} s | {max(seconds):.2f} s |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--events", type=int, default=2000, help="events in the ledger before the first kill")
    args = parser.parse_args()
    name = "hazard_bench_takeover"
    url = create_db(name)
    services = build(Settings(db_url=url))
    pairs: list[Pair] = []
    try:
        populate(services.ledger, args.events, seed=3)
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            key = root / "log-key.pem"
            Signer.from_file("hazard-ledger", key)  # provisioned, as in production
            env = worker_env(url, key, root / "checkpoints")
            pairs = [Pair.start(worker, root, env) for worker in Worker]
            for _ in range(args.kills):
                for pair in pairs:
                    pair.takeover(services)
            print("| worker | kills | median | max |\n|---|---|---|---|")
            for pair in pairs:
                print(summary(f"{pair.active.worker}: standby holds the lock", pair.lock_seconds))
                print(summary(f"{pair.active.worker}: the event after the kill handled", pair.work_seconds))
    finally:
        for pair in pairs:
            pair.stop()
        services.close()
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


if __name__ == "__main__":
    main()
