"""Real processes on PostgreSQL, as docker-compose.yml runs them: two `hazard-ledger project` and two
`hazard-ledger checkpoint-worker`. The active one of each pair is killed with SIGKILL; its standby takes
over within 5 s (the advisory lock dies with the killed session), and nothing is applied twice."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.settings import Settings
from app.wiring import Services, build
from app.workers import Worker
from audit.log import audit_checkpoints
from audit.note import Signer
from bench.district import populate
from bench.takeover import Pair, append_one, done, events_in_log, wait_until, worker_env

pytestmark = pytest.mark.postgres
TAKEOVER_SECONDS = 5.0


def _rows(services: Services, version: int, table: str) -> list[tuple]:  # type: ignore[type-arg]
    with services.engine.connect() as conn:
        return sorted(tuple(r) for r in conn.execute(select(services.read_models.records.tables(version)[table])))


def test_the_standby_takes_over_within_5_s_and_nothing_is_applied_twice(postgres_url: str, tmp_path: Path) -> None:
    services = build(Settings(db_url=postgres_url))
    key = tmp_path / "log-key.pem"
    Signer.from_file("hazard-ledger", key)  # provisioned, as in production
    pairs: list[Pair] = []
    try:
        populate(services.ledger, 400, seed=5)
        pairs = [Pair.start(worker, tmp_path, worker_env(postgres_url, key, tmp_path / "checkpoints")) for worker in Worker]
        for _ in range(2):  # the first process killed, then the one that took over
            for pair in pairs:
                pair.takeover(services)
        for pair in pairs:
            assert max(pair.work_seconds) < TAKEOVER_SECONDS, (pair.active.worker, pair.work_seconds)
        head = append_one(services)
        wait_until(lambda: all(done(services, worker, head) for worker in Worker), 30, "the last event handled")
        exits = [code for pair in pairs for code in pair.stop()]
        assert exits == [0, 0, 0, 0], [p.output() for pair in pairs for p in (pair.active, pair.standby)]

        # Nothing applied twice: every read model at the head, and equal to a rebuild from the first event...
        assert all(runner.position() == head for runner in services.read_models)
        records = services.read_models.records
        live = records.active_version()
        records.rebuild()
        for table in ("hazards", "inspections", "enterprises", "facts"):
            assert _rows(services, live, table) == _rows(services, records.active_version(), table), table
        # ...one Merkle leaf per event...
        assert services.audit.size() == events_in_log(services)
        # ...and one checkpoint per tree size, each also written as a file.
        with services.engine.connect() as conn:
            sizes = list(conn.execute(select(audit_checkpoints.c.tree_size)).scalars())
            assert conn.execute(select(func.max(audit_checkpoints.c.tree_size))).scalar() == services.audit.size()
        assert len(sizes) == len(set(sizes)) >= 3, sizes
        assert len(list((tmp_path / "checkpoints").glob("checkpoint-*.txt"))) == len(sizes)
    finally:
        for pair in pairs:
            pair.stop()
        services.close()
