"""Workers heal (app/workers.py): any error is reported and the worker restarted after a pause."""

from __future__ import annotations

import json
import multiprocessing
import threading
import time

from app.workers import HEARTBEAT_STALE_SECONDS, Heartbeat, InProcessWorkers, WorkerStatus, supervise, worker_health


def test_a_failing_worker_is_restarted_and_its_last_error_reported() -> None:
    stop = threading.Event()
    calls: list[int] = []

    def work() -> None:
        calls.append(1)
        if len(calls) <= 2:
            raise ConnectionError(f"database down ({len(calls)})")
        stop.wait()  # the third run keeps working until stopped

    status = WorkerStatus("projections")
    thread = threading.Thread(target=supervise, args=(status, work, (), stop, (0.01,)))
    thread.start()
    for _ in range(500):
        if len(calls) == 3 and status.alive:
            break
        threading.Event().wait(0.01)
    assert (len(calls), status.restarts, status.alive) == (3, 2, True)
    assert status.last_error == "ConnectionError: database down (2)" and status.last_error_at
    stop.set()
    thread.join(2)
    assert not thread.is_alive() and status.alive is False


def test_a_stopped_worker_is_not_restarted() -> None:
    stop = threading.Event()
    stop.set()
    status = WorkerStatus("checkpoints")
    supervise(status, lambda: None, (), stop, (0.01,))
    assert (status.restarts, status.alive) == (0, False)


def test_the_backoff_grows_with_each_failure_and_starts_afresh_after_a_healthy_run() -> None:
    stop = threading.Event()
    runs: list[float] = []  # how long each run lasted before it failed
    lengths = iter([0.0, 0.0, 0.0, 0.3, 0.0])

    def work() -> None:
        length = next(lengths, None)
        if length is None:
            stop.set()
            return
        runs.append(time.monotonic())
        time.sleep(length)
        raise ConnectionError("database down")

    backoff = (0.01, 0.05, 0.2)
    started = time.monotonic()
    supervise(WorkerStatus("projections"), work, (), stop, backoff, healthy_run=0.25)
    assert time.monotonic() - started < 5
    pauses = [later - earlier for earlier, later in zip(runs, runs[1:], strict=False)]
    # 3 quick failures: 0.01, 0.05, 0.2; then a run of 0.3 s (healthy) and its pause is the first again
    assert pauses[0] < 0.05 and 0.05 <= pauses[1] < 0.2 and 0.2 <= pauses[2] < 0.3
    assert 0.3 <= pauses[3] < 0.3 + 0.15  # the 0.3 s run, then the 0.01 s pause (not the 0.2 s of a 4th failure)


def test_a_worker_is_healthy_while_its_heartbeat_is_fresh_and_its_workers_run(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "projector.json"
    assert worker_health(path) == f"no heartbeat at {path}"
    heartbeat = Heartbeat(path)
    heartbeat.beat()
    assert worker_health(path) is None  # standing by is healthy
    heartbeat.role, heartbeat.workers = "active", InProcessWorkers(services=None, statuses=[WorkerStatus("projections")])  # type: ignore[arg-type]
    heartbeat.beat()
    assert worker_health(path) == "active, but restarting after an error: projections"
    heartbeat.workers.statuses[0].alive = True
    heartbeat.beat()
    assert worker_health(path) is None
    stale = json.loads(path.read_text())
    path.write_text(json.dumps({**stale, "at": time.time() - HEARTBEAT_STALE_SECONDS - 1}))
    assert (worker_health(path) or "").startswith("last heartbeat 16 s ago")


def test_a_heartbeat_is_kept_until_the_worker_stops(tmp_path) -> None:  # type: ignore[no-untyped-def]
    stop = threading.Event()
    path = tmp_path / "checkpoints.json"
    thread = Heartbeat(path).keep(stop)
    deadline = time.monotonic() + 5
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert json.loads(path.read_text())["role"] == "standby"
    stop.set()
    thread.join(5)
    assert not thread.is_alive()


def test_processes_beating_into_one_folder_never_fail_each_other(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A worker and its standby on one host (or tests side by side) share the heartbeat folder: each writes its
    own temporary file, so neither renames the other's away (which killed a worker once); and a heartbeat that
    cannot be written is logged, not raised."""
    path = tmp_path / "projector.json"
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.map(_beat_many, [path, path])
    assert json.loads(path.read_text("utf-8"))["role"] == "standby"
    assert list(tmp_path.glob("*.tmp")) == []
    (tmp_path / "blocked").write_text("a file where the folder should be")
    Heartbeat(tmp_path / "blocked" / "projector.json").beat()  # logged, not raised


def _beat_many(path) -> None:  # type: ignore[no-untyped-def]
    heartbeat = Heartbeat(path)
    for _ in range(300):
        heartbeat.beat()
