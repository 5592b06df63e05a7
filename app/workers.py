"""The workers that keep the read side moving: the projection follower and the checkpoint signer, each
under ``supervise``. ``hazard-ledger serve`` runs both in the API process (HAZARD_IN_PROCESS_WORKERS=1,
the default for one machine); ``hazard-ledger project`` and ``hazard-ledger checkpoint-worker`` run one
each as a process of their own, active in one process at a time (``lead``: an advisory lock, the others
standing by). Derived facts (missed deadlines, warnings, closure recommendations) need no worker: they
are computed when read, so there is no process-manager worker.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from app.wiring import Services
from audit.log import checkpoint_loop
from projections.engine import ProjectionRunner, follow
from projections.locks import leadership

log = logging.getLogger("hazard_ledger.workers")


def wake_on_local_commit(services: Services, fallback: Callable[[float], None]) -> Callable[[float], None]:
    """A worker in the API process is woken by this process's own commits at once (the pipeline sets the
    event), and by other processes' through ``fallback`` (PostgreSQL NOTIFY, or SQLite polling)."""
    committed = services.pipeline.committed

    def wait(timeout: float) -> None:
        if services.settings.is_postgres:
            fallback(timeout)  # the store NOTIFYs on every commit, this process's included
        else:
            committed.wait(0.2)
        committed.clear()

    return wait


@dataclass
class WorkerStatus:
    """What health reports of one worker: alive or not, how often it was restarted, its last error."""

    name: str
    alive: bool = False
    restarts: int = 0
    last_error: str | None = None
    last_error_at: str | None = None


BACKOFF_SECONDS = (1.0, 2.0, 5.0, 10.0, 30.0)
HEALTHY_RUN_SECONDS = 60.0  # a worker that ran this long before failing starts its backoff afresh


def supervise(status: WorkerStatus, target: Callable[..., None], args: tuple[object, ...], stop: threading.Event,
              backoff: tuple[float, ...] = BACKOFF_SECONDS, healthy_run: float = HEALTHY_RUN_SECONDS) -> None:  # fmt: skip
    """Runs ``target(*args)`` until ``stop``: after any error it is logged, reported in ``status`` and the
    worker restarted after a growing pause (a database outage, a bug in one batch), never left dead."""
    failures = 0
    while not stop.is_set():
        status.alive = True
        started = time.monotonic()
        try:
            target(*args)
            failures = 0
            if stop.is_set():
                break
        except Exception as error:  # noqa: BLE001 — a worker must outlive any one failure
            status.last_error = f"{type(error).__name__}: {error}"[:500]
            status.last_error_at = datetime.now(UTC).isoformat()
            log.exception("worker %s failed; restarting", status.name)
            if time.monotonic() - started >= healthy_run:
                failures = 0  # an outage long after the last one: restart soon, as after the first
        status.alive = False
        pause = backoff[min(failures, len(backoff) - 1)]
        failures += 1
        if stop.wait(pause):
            break
        status.restarts += 1
    status.alive = False


@dataclass
class InProcessWorkers:
    services: Services
    stop: threading.Event = field(default_factory=threading.Event)
    runners: list[ProjectionRunner] | None = None  # the read models to follow (default: all)
    projections: bool = True
    checkpoints: bool = True
    threads: list[threading.Thread] = field(default_factory=list)
    statuses: list[WorkerStatus] = field(default_factory=list)

    def start(self) -> None:
        services = self.services
        if self.projections:
            self._spawn("projections", self._follow)
        if self.checkpoints and services.settings.checkpoint_every_minutes > 0:
            self._spawn("checkpoints", checkpoint_loop, services.audit, services.settings.checkpoint_every_minutes, self.stop)

    def _follow(self) -> None:
        # Each (re)start listens anew: after an outage the old LISTEN connection is gone with the server.
        waiting = wake_on_local_commit(self.services, self.services.wake_on_new_events())
        follow(list(self.services.read_models) if self.runners is None else self.runners, waiting, self.stop)

    def _spawn(self, name: str, target: Callable[..., None], *args: object) -> None:
        status = WorkerStatus(name)
        self.statuses.append(status)
        thread = threading.Thread(
            target=supervise, args=(status, target, args, self.stop), name=f"hazard-ledger:{name}", daemon=True
        )
        thread.start()
        self.threads.append(thread)

    def close(self, timeout: float = 5.0) -> None:
        self.stop.set()
        self.services.pipeline.committed.set()
        for thread in self.threads:
            thread.join(timeout)


class Worker(StrEnum):
    """A worker process of a deployment (``hazard-ledger project``, ``hazard-ledger checkpoint-worker``)."""

    PROJECTOR = "projector"
    CHECKPOINTS = "checkpoints"

    @property
    def lock(self) -> str:
        """The advisory lock its active process holds."""
        return WORKER_LOCKS[self]


WORKER_LOCKS = {Worker.PROJECTOR: "hazard-ledger:projection-worker", Worker.CHECKPOINTS: "hazard-ledger:checkpoint-worker"}


HEARTBEAT_SECONDS = 2.0
HEARTBEAT_STALE_SECONDS = 15.0  # a heartbeat older than this: the process is hung or gone


@dataclass
class Heartbeat:
    """A worker process's proof of life, a file its container's health check reads (``health --worker``):
    standing by or active, and when active whether its supervised workers run."""

    path: Path
    role: str = "standby"
    workers: InProcessWorkers | None = None

    def beat(self) -> None:
        """Writes the heartbeat; a file that cannot be written is logged, never the end of the worker."""
        statuses = [asdict(status) for status in self.workers.statuses] if self.workers else []
        body = {"role": self.role, "pid": os.getpid(), "at": time.time(), "workers": statuses}
        # The temporary file is this process's own: two processes beating into one folder (a worker and its
        # standby on one host, tests side by side) renamed each other's file away and one of them died.
        written = self.path.with_name(f"{self.path.stem}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            written.write_text(json.dumps(body), "utf-8")
            os.replace(written, self.path)  # a reader never sees half a file
        except OSError:
            log.exception("heartbeat %s not written", self.path)

    def keep(self, stop: threading.Event) -> threading.Thread:
        def beating() -> None:
            while True:
                self.beat()
                if stop.wait(HEARTBEAT_SECONDS):
                    return

        thread = threading.Thread(target=beating, name="hazard-ledger:heartbeat", daemon=True)
        thread.start()
        return thread


def worker_health(path: Path) -> str | None:
    """None when the heartbeat at ``path`` is fresh and, if active, its workers run; else why not."""
    try:
        beat = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return f"no heartbeat at {path}"
    age = time.time() - float(beat["at"])
    if age > HEARTBEAT_STALE_SECONDS:
        return f"last heartbeat {age:.0f} s ago (process {beat['pid']})"
    if down := [w["name"] for w in beat["workers"] if not w["alive"]]:
        return f"active, but restarting after an error: {', '.join(down)}"
    return None


def lead(services: Services, worker: Worker, workers: InProcessWorkers, on_standby: Callable[[], None],
         on_active: Callable[[], None]) -> None:  # fmt: skip
    """Runs ``workers`` once this process holds ``worker``'s advisory lock (``on_active`` first, e.g. a
    catch-up), until ``workers.stop``; until then stands by, polling for the lock. A standby takes over
    within the poll interval of the active process's death: PostgreSQL frees the lock with its session."""
    heartbeat = Heartbeat(services.settings.heartbeat_dir / f"{worker}.json")
    beating = heartbeat.keep(workers.stop)
    try:
        with leadership(services.engine, worker.lock, workers.stop, on_standby) as leading:
            if not leading:
                return
            heartbeat.role = "active"
            heartbeat.beat()  # said at once, not at the next beat
            log.info("%s: active (pid %s)", worker, os.getpid())
            on_active()
            heartbeat.workers = workers
            workers.start()
            while not workers.stop.wait(1.0):
                pass
    finally:
        workers.close()
        beating.join(HEARTBEAT_SECONDS * 2)
