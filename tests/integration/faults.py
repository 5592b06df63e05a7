"""Real processes for the fault tests: the API as a subprocess, a TCP proxy in front of PostgreSQL that a
test can cut and restore, clients that retry their commands with their Idempotency-Keys, the server's RSS."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class TcpProxy:
    """Forwards 127.0.0.1:<port> to an upstream address. ``cut()`` closes every live connection and refuses
    new ones (accepted, then closed at once, as a server going down does); ``stall()`` closes every live
    connection and holds new ones open, never answering (a server that hangs, a host gone from the network);
    ``restore()`` forwards again. With ``upload_rate`` (bytes a second) what clients send crosses slowly, as
    over a poor link; ``uploaded`` counts it."""

    def __init__(self, upstream: tuple[str, int], upload_rate: float | None = None) -> None:
        self.upstream = upstream
        self.upload_rate = upload_rate
        self.uploaded = 0
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(128)
        self.port = int(self.listener.getsockname()[1])
        self.mode = "forward"  # or "refuse", "stall", "closed"
        self.live: set[socket.socket] = set()
        self.held: list[socket.socket] = []
        self.lock = threading.Lock()
        self.refused = 0
        self.stalled = 0
        threading.Thread(target=self._accept, name="proxy-accept", daemon=True).start()

    def _accept(self) -> None:
        while self.mode != "closed":
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            with self.lock:
                mode = self.mode
                if mode == "stall":
                    self.stalled += 1
                    self.held.append(client)
                    continue
                if mode != "forward":
                    self.refused += 1
            if mode != "forward":
                _close(client)
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
                server.settimeout(None)
            except OSError:
                _close(client)
                continue
            with self.lock:
                if self.mode != "forward":
                    _close(client)
                    _close(server)
                    continue
                self.live.update((client, server))
            threading.Thread(target=self._pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, upload: bool = False) -> None:
        try:
            while True:
                data = source.recv(4096 if upload and self.upload_rate else 65536)
                if not data:
                    break
                if upload and self.upload_rate:
                    time.sleep(len(data) / self.upload_rate)
                sink.sendall(data)
                if upload:
                    self.uploaded += len(data)
        except OSError:
            pass
        finally:
            with self.lock:
                self.live.discard(source)
                self.live.discard(sink)
            _close(source)
            _close(sink)

    def _switch(self, mode: str) -> int:
        """Closes every live (and held) connection; answers how many forwarded connections were cut."""
        with self.lock:
            self.mode = mode
            live, self.live = self.live, set()
            held, self.held = self.held, []
        for sock in (*live, *held):
            _close(sock)
        return len(live) // 2

    def cut(self) -> int:
        return self._switch("refuse")

    def stall(self) -> int:
        return self._switch("stall")

    def restore(self) -> None:
        self._switch("forward")

    def close(self) -> None:
        self._switch("closed")
        _close(self.listener)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()


class ApiServer:
    """``python -m cli serve`` as a subprocess on a free port, with its workers in-process."""

    def __init__(self, db_url: str, workdir: Path, extra_env: dict[str, str] | None = None) -> None:
        self.db_url = db_url
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self, timeout: float = 60.0) -> None:
        for _ in range(3):  # another process may take the free port before the server binds it
            self._start(timeout)
            if self.process is not None and self.process.poll() is None:
                return
            if "address already in use" not in self.log().lower():
                break
        raise AssertionError(f"the server exited with {self.process and self.process.returncode}:\n{self.log()}")

    def _start(self, timeout: float) -> None:
        self.port = free_port()
        self.starts += 1
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "HAZARD_LOG_KEY_FILE": str(self.workdir / "log-key.pem"),
            "HAZARD_CHECKPOINT_DIR": str(self.workdir / "checkpoints"),
            **self.extra_env,
        }
        log = open(self.workdir / f"server-{self.starts}.log", "wb")  # noqa: SIM115 — the child keeps it
        command = [sys.executable, "-m", "cli", "serve", "--db", self.db_url, "--port", str(self.port)]
        self.process = subprocess.Popen(command, cwd=self.workdir, env=env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=5).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"the server did not answer within {timeout} s:\n{self.log()}")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()

    def log(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-4000:] for p in sorted(self.workdir.glob("server-*.log")))

    def rss_kib(self) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise AssertionError("no VmRSS")

    def health(self) -> dict[str, Any]:
        return httpx.get(f"{self.url}/api/v1/health", timeout=10).json()  # type: ignore[no-any-return]


@contextlib.contextmanager
def running(server: ApiServer) -> Iterator[ApiServer]:
    try:
        server.start()
        yield server
    finally:
        server.kill()


@dataclass
class Tally:
    """What the clients saw."""

    acknowledged: dict[str, str] = field(default_factory=dict)  # key → record id
    statuses: dict[int, int] = field(default_factory=dict)
    transport_errors: int = 0
    slowest: float = 0.0
    unavailable_without_retry_after: int = 0
    unexpected: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def saw(self, status: int, elapsed: float) -> None:
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            self.slowest = max(self.slowest, elapsed)


def send_until_acknowledged(
    server: ApiServer, tally: Tally, key: str, path: str, body: dict[str, Any], who: dict[str, str],
    give_up: float, expect: int = 201,
) -> str | None:  # fmt: skip
    """Sends one command with its key until it is acknowledged (the same key on every retry): answers the
    record's id, or None if ``give_up`` (monotonic) passed first."""
    while time.monotonic() < give_up:
        started = time.monotonic()
        try:
            response = httpx.post(
                f"{server.url}/api/v1{path}", json=body, headers={**who, "Idempotency-Key": key}, timeout=httpx.Timeout(20.0)
            )
        except httpx.TransportError:
            with tally.lock:
                tally.transport_errors += 1
                tally.slowest = max(tally.slowest, time.monotonic() - started)
            time.sleep(0.2)
            continue
        tally.saw(response.status_code, time.monotonic() - started)
        if response.status_code == expect:
            record_id = str(response.json()["id"])
            with tally.lock:
                tally.acknowledged[key] = record_id
            return record_id
        if response.status_code == 503:
            if not response.headers.get("Retry-After", "").isdigit():
                with tally.lock:
                    tally.unavailable_without_retry_after += 1
            time.sleep(0.2)  # the tests do not wait the Retry-After the server suggests
            continue
        with tally.lock:
            tally.unexpected.append(f"{response.status_code} {response.text[:300]}")
        time.sleep(0.2)
    return None


def post_streamed(url: str, path: str, headers: dict[str, str], total: int, chunk: int = 64 * 1024,
                  timeout: float = 30.0) -> tuple[int, bytes, int]:  # fmt: skip
    """POSTs ``total`` bytes as a chunked body on a raw socket, stopping as soon as the server answers
    (as a careful client does); answers the status, the response head and body, and the bytes sent."""
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=timeout)
    sent = 0
    try:
        head = f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        sock.sendall(head.encode("latin-1"))
        piece = b'{"x":"' + b"a" * (chunk - 6)
        deadline = time.monotonic() + timeout
        while sent < total and time.monotonic() < deadline:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break
            try:
                sock.sendall(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            except OSError:
                break
            sent += len(piece)
        if sent >= total:
            with contextlib.suppress(OSError):
                sock.sendall(b"0\r\n\r\n")  # the body's end
        response = b""
        while b"\r\n\r\n" not in response or len(response) < _expected_length(response):
            try:
                data = sock.recv(65536)
            except OSError:
                break
            if not data:
                break
            response += data
        status = int(response.split(b" ", 2)[1]) if response.startswith(b"HTTP/1.1 ") else 0
        return status, response, sent
    finally:
        _close(sock)


def _expected_length(response: bytes) -> int:
    head, _, _ = response.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(head) + 4 + int(value.strip())
    return len(response)
