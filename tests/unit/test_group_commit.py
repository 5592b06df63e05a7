"""Group commit (adapters/group_commit.py): concurrent inserts share one transaction, and a conflict
in a group fails only the command that conflicts."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import Any

import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent

from adapters.group_commit import GroupCommit, Part


def _event(originator: str, version: int) -> StoredEvent:
    return StoredEvent(originator_id=originator, originator_version=version, topic="t", state=b"{}")  # type: ignore[arg-type]


class FakeStore:
    """Stores (originator, version) once each, like the event table's primary key; slow like a flush."""

    def __init__(self, fail_all: bool = False) -> None:
        self.rows: dict[tuple[str, int], int] = {}
        self.transactions: list[int] = []
        self.fail_all = fail_all
        self.lock = threading.Lock()

    def insert(self, parts: Sequence[Part]) -> list[int]:
        time.sleep(0.01)
        with self.lock:
            if self.fail_all:
                raise ConnectionError("database down")
            events = [e for events, _ in parts for e in events]
            keys = [(str(e.originator_id), e.originator_version) for e in events]
            if len(set(keys)) < len(keys) or any(k in self.rows for k in keys):
                raise IntegrityError("duplicate key")
            ids = []
            for key in keys:
                self.rows[key] = len(self.rows) + 1
                ids.append(self.rows[key])
            self.transactions.append(len(parts))
            return ids


def _submit_all(group: GroupCommit, submissions: list[list[StoredEvent]]) -> list[Any]:
    results: list[Any] = [None] * len(submissions)

    def run(i: int) -> None:
        try:
            results[i] = group.submit(submissions[i], {})
        except BaseException as error:  # noqa: BLE001
            results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(submissions))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_concurrent_inserts_share_transactions_and_each_gets_its_own_ids() -> None:
    store = FakeStore()
    submissions = [[_event(f"r{i}", 1), _event(f"r{i}", 2)] for i in range(12)]
    results = _submit_all(GroupCommit(store.insert), submissions)
    assert len(store.rows) == 24 and sum(store.transactions) == 12
    assert len(store.transactions) < 12  # some commands shared a transaction
    for events, ids in zip(submissions, results, strict=True):
        assert [store.rows[(str(e.originator_id), e.originator_version)] for e in events] == list(ids)


def test_a_conflict_fails_only_the_command_that_conflicts() -> None:
    store = FakeStore()
    store.rows[("taken", 1)] = 0
    submissions = [[_event(f"r{i}", 1)] for i in range(8)] + [[_event("taken", 1)]]
    results = _submit_all(GroupCommit(store.insert), submissions)
    assert isinstance(results[-1], IntegrityError)
    assert all(isinstance(r, list) and len(r) == 1 for r in results[:-1])
    assert len(store.rows) == 9


def test_a_database_error_fails_every_command_of_the_group() -> None:
    store = FakeStore(fail_all=True)
    results = _submit_all(GroupCommit(store.insert), [[_event(f"r{i}", 1)] for i in range(5)])
    assert all(isinstance(r, ConnectionError) for r in results)


def test_a_lone_command_is_inserted_as_it_is() -> None:
    store = FakeStore()
    assert GroupCommit(store.insert).submit([_event("a", 1)], {}) == [1]
    with pytest.raises(IntegrityError):
        GroupCommit(store.insert).submit([_event("a", 1)], {})
