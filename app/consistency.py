"""Read-your-writes without writing on a read: a read that names the log position a command reached
waits, bounded, until its read model has applied it — else it answers with the position it has."""

from __future__ import annotations

import time
from collections.abc import Callable

from projections.engine import ProjectionRunner

# How long a read waits for its read model; the position reached is always reported.
READ_WAIT_SECONDS = 5.0
_POLL = 0.005


def wait_for(
    runner: ProjectionRunner, position: int | None, head: Callable[[], int], timeout: float = READ_WAIT_SECONDS
) -> int:
    """The read model's position once it is at least ``position`` (or when ``timeout`` passes). A position
    beyond the log's ``head`` was never reached by any command: the read waits for the head, not for it."""
    reached = runner.position()
    if position is None or reached >= position or runner.stall() is not None:
        return reached  # a stalled model will not get there: answer at once with what it has
    position = min(position, head())
    deadline = time.monotonic() + timeout
    pause = _POLL
    while reached < position and time.monotonic() < deadline:
        time.sleep(pause)
        pause = min(pause * 2, 0.05)
        reached = runner.position()
    return reached
