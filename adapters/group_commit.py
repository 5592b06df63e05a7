"""Group commit for the event store: concurrent commands' inserts share one transaction.

The PostgreSQL recorder serialises inserts with a table lock so that notification ids commit in
order; each insert then holds the lock for its round trips and its commit's flush, one command at a
time. Here the first caller becomes the leader and inserts what every waiting caller brought in one
transaction (one lock, one flush); the others wait for their part of the result. When the group
fails (a version conflict or a reused idempotency key in one of its commands), each command is
inserted on its own, so only the conflicting one fails, exactly as without grouping.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import IntegrityError, StoredEvent

# One command's events and the keyword arguments its save passed to the store.
Part = tuple[Sequence[StoredEvent], dict[str, Any]]
Insert = Callable[[Sequence[Part]], Sequence[int] | None]


@dataclass
class _Request:
    events: Sequence[StoredEvent]
    kwargs: dict[str, Any]
    done: bool = False
    ids: Sequence[int] | None = None
    error: BaseException | None = None


class GroupCommit:
    def __init__(self, insert: Insert) -> None:
        """``insert(parts)`` stores the parts' events, in order, in one transaction and returns their ids."""
        self._insert = insert
        self._cond = threading.Condition()
        self._pending: list[_Request] = []
        self._leading = False

    def submit(self, events: Sequence[StoredEvent], kwargs: dict[str, Any]) -> Sequence[int] | None:
        request = _Request(events, kwargs)
        with self._cond:
            self._pending.append(request)
            while self._leading and not request.done:
                self._cond.wait()
            if not request.done:
                self._leading = True
                group, self._pending = self._pending, []
        if not request.done:
            try:
                self._commit(group)
            finally:
                with self._cond:
                    self._leading = False
                    self._cond.notify_all()
        if request.error is not None:
            raise request.error
        return request.ids

    def _commit(self, group: list[_Request]) -> None:
        try:
            if len(group) > 1:
                self._together(group)
                return
        except IntegrityError:
            pass  # one of them conflicts: each on its own below, so only that one fails
        except BaseException as error:  # the database is down: every command of the group fails with it
            self._finish(group, error=error)
            return
        for request in group:
            try:
                request.ids = self._insert([(request.events, request.kwargs)])
            except BaseException as error:  # noqa: BLE001 — handed to its caller
                request.error = error
            self._finish([request])

    def _together(self, group: list[_Request]) -> None:
        ids = self._insert([(r.events, r.kwargs) for r in group])
        start = 0
        for request in group:
            request.ids = None if ids is None else ids[start : start + len(request.events)]
            start += len(request.events)
        self._finish(group)

    def _finish(self, group: list[_Request], error: BaseException | None = None) -> None:
        with self._cond:
            for request in group:
                if error is not None:
                    request.error = error
                request.done = True
            self._cond.notify_all()
