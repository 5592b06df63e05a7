"""Faults with real processes (issue 11, "no request can break the ledger"): the API as a subprocess while
PostgreSQL goes away under a write load, while the API itself is killed with SIGKILL, and while a client
sends a 50 MB body. Clients retry their commands with the same Idempotency-Key, as the API asks."""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import psycopg
import pytest

from tests.integration.conftest import OFFICE, credit_code, headers
from tests.integration.faults import ApiServer, Tally, TcpProxy, post_streamed, running, send_until_acknowledged

CLIENTS = 4
RESPONSE_BOUND_SECONDS = 6.0  # no request may hang longer, whatever the database does
STALL_SECONDS = 8.0  # longer than the bound: a request waiting for the hung database would break it
HAZARD_REPORTED = "hazard-ledger.Hazard.HazardReported"


def _enterprise(server: ApiServer, serial: int) -> tuple[str, dict[str, str]]:
    response = httpx.post(
        f"{server.url}/api/v1/enterprises",
        json={
            "credit_code": credit_code(serial),
            "name": f"故障测试企业{serial}",
            "sector": "hazardous_chemicals",
            "jurisdiction": "wulong",
            "principal_name": "李建国",
            "high_risk": True,
        },
        headers=OFFICE,
        timeout=30,
    )
    assert response.status_code == 201, response.text
    eid = str(response.json()["id"])
    return eid, headers("ent-li", "李建国", "principal", eid, "enterprise", "故障测试企业")


def _hazard(enterprise_id: str, key: str) -> dict[str, Any]:
    return {
        "enterprise_id": enterprise_id,
        "grade": "general",
        "source": "self_inspection",
        "description": f"故障测试 {key}",
    }


class Load:
    """CLIENTS threads, each sending new commands one after another (each with a key of its own) until
    ``stop``; a command in flight at ``stop`` is still retried until acknowledged."""

    def __init__(self, server: ApiServer, enterprise_id: str, principal: dict[str, str], give_up: float) -> None:
        self.server, self.enterprise_id, self.principal, self.give_up = server, enterprise_id, principal, give_up
        self.tally = Tally()
        self.keys: dict[str, dict[str, Any]] = {}  # every key sent → its body
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._client, args=(n,), daemon=True) for n in range(CLIENTS)]

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def _client(self, n: int) -> None:
        sequence = 0
        while not self.stop.is_set() and time.monotonic() < self.give_up:
            sequence += 1
            key = f"fault-{n}-{sequence}"
            body = _hazard(self.enterprise_id, key)
            with self.tally.lock:
                self.keys[key] = body
            send_until_acknowledged(self.server, self.tally, key, "/hazards", body, self.principal, self.give_up)

    def acknowledged_count(self) -> int:
        with self.tally.lock:
            return len(self.tally.acknowledged)

    def wait_for(self, count: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.acknowledged_count() < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert self.acknowledged_count() >= count, f"only {self.acknowledged_count()} commands acknowledged"

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(max(0.0, self.give_up - time.monotonic()) + 5)


def _reported(db_url: str) -> dict[str, int]:
    """Every hazard record in the event store → how many HazardReported events it has."""
    with psycopg.connect(db_url) as conn:
        rows = conn.execute(
            "SELECT originator_id::text, count(*) FROM hazardledger_events WHERE topic = %s GROUP BY originator_id",
            (HAZARD_REPORTED,),
        ).fetchall()
    return {row[0]: row[1] for row in rows}


def _assert_exactly_once(load: Load, db_url: str) -> None:
    tally = load.tally
    assert set(tally.acknowledged) == set(load.keys), "a command was never acknowledged"
    reported = _reported(db_url)
    acknowledged_ids = set(tally.acknowledged.values())
    assert len(acknowledged_ids) == len(tally.acknowledged), "two keys answered with one record"
    assert acknowledged_ids <= set(reported), "an acknowledged command's events are missing"
    assert set(reported) == acknowledged_ids, "a record in the store that no key acknowledged (a duplicate)"
    assert set(reported.values()) == {1}


def _assert_keys_replay(server: ApiServer, load: Load) -> None:
    """No key is stuck: each, retried, answers its first result and appends nothing."""
    for key, body in load.keys.items():
        response = httpx.post(
            f"{server.url}/api/v1/hazards", json=body, headers={**load.principal, "Idempotency-Key": key}, timeout=30
        )
        assert response.status_code == 201, (key, response.text)
        assert str(response.json()["id"]) == load.tally.acknowledged[key], key


def _assert_caught_up(server: ApiServer, timeout: float = 45.0) -> dict[str, Any]:
    """The in-process workers heal by themselves: all alive, every read model at the head."""
    deadline = time.monotonic() + timeout
    health: dict[str, Any] = {}
    while time.monotonic() < deadline:
        health = server.health()
        lagging = [name for name, p in health["projections"].items() if p["lag_events"] or p["position"] < health["events"]]
        if health["status"] == "ok" and all(w["alive"] for w in health["workers"]) and not lagging:
            return health
        time.sleep(0.5)
    raise AssertionError(f"the workers did not catch up within {timeout} s: {health}")


def _via(proxy: TcpProxy, db_url: str) -> str:
    parts = urlsplit(db_url)
    return parts._replace(netloc=f"{parts.username or 'postgres'}@127.0.0.1:{proxy.port}").geturl()


@pytest.mark.postgres
def test_a_postgresql_outage_under_load_answers_503_and_loses_nothing(postgres_url: str, tmp_path: Path) -> None:
    upstream = urlsplit(postgres_url)
    proxy = TcpProxy((upstream.hostname or "127.0.0.1", upstream.port or 5432))
    server = ApiServer(_via(proxy, postgres_url), tmp_path / "api")
    try:
        with running(server):
            enterprise_id, principal = _enterprise(server, 9001)
            with Load(server, enterprise_id, principal, give_up=time.monotonic() + 60) as load:
                load.wait_for(8, timeout=20)
                before = load.acknowledged_count()
                cut = proxy.cut()  # PostgreSQL down: connections closed, new ones refused
                time.sleep(2.5)
                cut += proxy.stall()  # then hung: new connections never answered
                time.sleep(STALL_SECONDS)
                during = dict(load.tally.statuses)
                proxy.restore()
                load.wait_for(before + 8, timeout=20)
            tally = load.tally
            print(
                f"\noutage: {cut} connections cut, {proxy.refused} refused, {proxy.stalled} stalled; statuses {tally.statuses} "
                f"(at restore {during}); transport errors {tally.transport_errors}; slowest {tally.slowest:.2f} s; "
                f"{len(tally.acknowledged)} acknowledged before {before}"
            )
            assert not tally.unexpected, tally.unexpected[:5]
            assert 500 not in tally.statuses
            assert tally.statuses.get(503, 0) > 0, "the outage was not noticed"
            assert tally.unavailable_without_retry_after == 0
            assert tally.transport_errors == 0, "the API dropped a connection instead of answering"
            assert tally.slowest <= RESPONSE_BOUND_SECONDS, f"a response took {tally.slowest:.1f} s"
            _assert_exactly_once(load, postgres_url)
            _assert_keys_replay(server, load)
            health = _assert_caught_up(server)
            assert server.process is not None and server.process.poll() is None, "the server was restarted"
            print(f"health after the outage: {health['workers']}")
    finally:
        proxy.close()


@pytest.mark.postgres
def test_a_server_killed_under_load_loses_and_repeats_no_command(postgres_url: str, tmp_path: Path) -> None:
    server = ApiServer(postgres_url, tmp_path / "api")
    try:
        with running(server):
            enterprise_id, principal = _enterprise(server, 9002)
            with Load(server, enterprise_id, principal, give_up=time.monotonic() + 60) as load:
                load.wait_for(10, timeout=20)
                server.kill()  # SIGKILL: commands in flight, workers mid-batch
                killed_at = load.acknowledged_count()
                server.start()  # on the same database (a new port: the clients follow server.url)
                load.wait_for(killed_at + 10, timeout=30)
            tally = load.tally
            print(
                f"\nkill -9: statuses {tally.statuses}; transport errors {tally.transport_errors}; slowest "
                f"{tally.slowest:.2f} s; {killed_at} acknowledged at the kill, {len(tally.acknowledged)} in all"
            )
            assert not tally.unexpected, tally.unexpected[:5]
            assert 500 not in tally.statuses
            assert tally.transport_errors > 0, "the clients never noticed the kill"
            _assert_exactly_once(load, postgres_url)
            _assert_keys_replay(server, load)
            _assert_caught_up(server)
    finally:
        server.kill()


def test_a_50_mb_body_is_refused_without_the_server_growing(tmp_path: Path) -> None:
    server = ApiServer(f"sqlite:///{tmp_path}/hazard.db", tmp_path / "api")
    with running(server):
        enterprise_id, principal = _enterprise(server, 9003)
        hazard = httpx.post(f"{server.url}/api/v1/hazards", json=_hazard(enterprise_id, "body"), headers=principal, timeout=30)
        assert hazard.status_code == 201, hazard.text
        evidence = f"/api/v1/hazards/{hazard.json()['id']}/evidence"
        # warm-up: both endpoints once, with a small body and with a small body refused
        small = {"file_name": "a.txt", "media_type": "text/plain", "content_base64": "YQ=="}
        assert httpx.post(f"{server.url}{evidence}", json=small, headers=principal, timeout=30).status_code == 200
        targets = [("/api/v1/hazards", principal), (evidence, principal)]
        for path, who in targets:
            status, _, _ = post_streamed(server.url, path, who, 64 * 1024, chunk=16 * 1024)
            assert status in (413, 422), status
        before = server.rss_kib()
        results = []
        for path, who in targets:
            status, response, sent = post_streamed(server.url, path, who, 50 * 1024 * 1024)
            results.append((path, status, sent))
            assert status == 413, (path, response[:500])
            assert b"application/problem+json" in response and b"body_too_large" in response
        after = server.rss_kib()
        print(f"\n50 MB bodies: {results}; RSS {before} KiB before, {after} KiB after (+{after - before} KiB)")
        assert after - before <= 5 * 1024, f"the server grew by {(after - before) / 1024:.1f} MiB"
        # a body within the limit, sent in chunks past the spool's memory part, still arrives whole
        photo = bytes(range(256)) * (3 * 4096)  # 3 MiB
        body = json.dumps({"file_name": "b.bin", "content_base64": base64.b64encode(photo).decode()}).encode()
        chunks = (body[i : i + 50_000] for i in range(0, len(body), 50_000))
        stored = httpx.post(f"{server.url}{evidence}", content=chunks, headers={**principal, "Content-Type": "application/json"}, timeout=60)
        assert stored.status_code == 200, stored.text
        content = httpx.get(f"{server.url}{evidence}/{hashlib.sha256(photo).hexdigest()}", headers=principal, timeout=60)
        assert content.status_code == 200 and content.content == photo
