"""Workers heal (app/workers.py): any error is reported and the worker restarted after a pause."""

from __future__ import annotations

import threading

from app.workers import WorkerStatus, supervise


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
