"""A projection worker killed with SIGKILL in the middle of its work resumes with no duplicate and no
gap: its batches commit rows and position together, so a killed batch leaves nothing behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select

from app.settings import Settings
from app.wiring import build
from bench.district import populate
from domain.commands.enterprises import RegisterEnterprise
from projections.engine import projection_tracking

from .conftest import credit_code
from .test_audit_tamper import OFFICE


def _rows(services, version: int, table: str) -> list[tuple]:  # type: ignore[no-untyped-def]
    with services.engine.connect() as conn:
        return sorted(tuple(r) for r in conn.execute(select(services.read_models.records.tables(version)[table])))


def test_a_killed_worker_resumes_exactly_once(db_url: str) -> None:
    services = build(Settings(db_url=db_url))
    try:
        head = populate(services.ledger, 12_000, seed=7)
        assert services.read_models.records.position() == 0
        worker = subprocess.Popen(
            [sys.executable, "-m", "cli", "project", "--once", "--only", "records", "--db", db_url],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ},
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:  # kill it once it has committed some batches but not all
            position = services.read_models.records.position()
            if 0 < position < head or time.monotonic() > deadline or worker.poll() is not None:
                break
            time.sleep(0.01)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        killed_at = services.read_models.records.position()
        assert 0 < killed_at < services.ledger.recorder.max_notification_id(), "the worker was not killed mid-way"

        # A fresh worker resumes from the committed position...
        assert services.read_models.records.catch_up() == services.ledger.recorder.max_notification_id() - killed_at
        live = services.read_models.records.active_version()
        # ...and the result equals a rebuild from the first event: no event twice, none missing.
        services.read_models.records.rebuild()
        rebuilt = services.read_models.records.active_version()
        for table in ("hazards", "inspections", "enterprises", "facts"):
            assert _rows(services, live, table) == _rows(services, rebuilt, table), table
        with services.engine.connect() as conn:
            positions = dict(conn.execute(select(projection_tracking.c.version, projection_tracking.c.position)
                                          .where(projection_tracking.c.projection == "records")).all())  # fmt: skip
        assert positions[live] == positions[rebuilt] == services.ledger.recorder.max_notification_id()
    finally:
        services.close()


def test_the_projection_worker_follows_live_and_stops_cleanly(db_url: str, tmp_path: Path) -> None:
    services = build(Settings(db_url=db_url))
    worker = subprocess.Popen(
        [sys.executable, "-m", "cli", "project", "--db", db_url], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env={**os.environ, "HAZARD_CHECKPOINT_EVERY_MINUTES": "0", "HAZARD_HEARTBEAT_DIR": str(tmp_path / "heartbeat")},
    )  # fmt: skip
    try:
        populate(services.ledger, 300, seed=1)
        for serial in (9001, 9002):  # what was there at its start, then what arrives while it follows
            services.ledger.execute(OFFICE, RegisterEnterprise(
                credit_code=credit_code(serial), name=f"企业{serial}", sector="fire_safety", jurisdiction="dayu",
                principal_name="李建国"))  # fmt: skip
            head = services.ledger.recorder.max_notification_id()
            deadline = time.monotonic() + 60
            while any(runner.position() < head for runner in services.read_models) and time.monotonic() < deadline:
                time.sleep(0.05)
            behind = {runner.name: runner.position() for runner in services.read_models if runner.position() < head}
            if behind:  # say what the worker said: the reason it did not follow
                worker.kill()
                raise AssertionError(f"behind {head}: {behind}\n{worker.communicate(timeout=30)[0].decode()[-3000:]}")
        worker.send_signal(signal.SIGINT)
        output = worker.communicate(timeout=30)[0].decode()
        assert worker.returncode == 0, output
        assert "following new events" in output
    finally:
        if worker.poll() is None:
            worker.kill()
        services.close()
