"""A projection worker killed with SIGKILL in the middle of its work resumes with no duplicate and no
gap: its batches commit rows and position together, so a killed batch leaves nothing behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from sqlalchemy import select

from app.settings import Settings
from app.wiring import build
from bench.district import populate
from projections.engine import projection_tracking


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
