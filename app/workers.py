"""The workers that keep the read side moving: the projection follower, the process managers and the
checkpoint signer. ``hazard-ledger serve`` runs them in the API process (HAZARD_IN_PROCESS_WORKERS=1,
the default for one machine); ``hazard-ledger project`` / ``process`` run them as their own processes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from app.process_managers import process_loop
from app.wiring import Services
from audit.log import checkpoint_loop
from projections.engine import follow

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
class InProcessWorkers:
    services: Services
    process_every: float = 60.0
    stop: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> None:
        services = self.services
        waiting = wake_on_local_commit(services, services.wake_on_new_events())
        self._spawn("projections", follow, list(services.read_models), waiting, self.stop)
        if services.settings.checkpoint_every_minutes > 0:
            self._spawn("checkpoints", checkpoint_loop, services.audit, services.settings.checkpoint_every_minutes, self.stop)
        if self.process_every > 0:  # deadline watcher, warning ladder, repeat-offender detector
            self._spawn("process-managers", process_loop, services, self.stop, self.process_every)

    def _spawn(self, name: str, target: Callable[..., None], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, name=f"hazard-ledger:{name}", daemon=True)
        thread.start()
        self.threads.append(thread)

    def close(self, timeout: float = 5.0) -> None:
        self.stop.set()
        self.services.pipeline.committed.set()
        for thread in self.threads:
            thread.join(timeout)
