"""Every service of docker-compose.yml, run here as Docker would run it (no Docker engine here): its
`command` with its `environment`, against the local PostgreSQL as the `db` service, each in a folder of
its own as in its own container; the secrets it mounts as temporary files (a secret it does not mount is
missing, as in its container), its volumes as shared folders. `init` exits 0; every other service passes
its own health check; the documented first step (create the admin) works; `docker stop` (SIGTERM) ends
each cleanly."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import yaml

from audit.note import Signer

from .conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent  # the image's PATH: hazard-ledger, uvicorn, python
SECRETS = "/run/secrets/"
IMAGE_ROOT = "/app/"  # the image's WORKDIR
VARIABLES = {"API_WORKERS": "2"}  # the compose file's ${…} an operator may set (two cores here)
pytestmark = pytest.mark.postgres


def interpolate(value: str) -> str:
    """Compose's ${NAME}, ${NAME:-default} and ${NAME:?error}, from VARIABLES."""

    def one(match: re.Match[str]) -> str:
        name, op, word = match.group(1), match.group(2), match.group(3)
        if name in VARIABLES:
            return VARIABLES[name]
        if op == ":?":
            raise AssertionError(f"${{{name}}} is required: {word}")
        return word or ""

    return re.sub(r"\$\{(\w+)(?:(:-|:\?)([^}]*))?\}", one, value)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Host:
    """What the Docker host provides: the database, the secret files, the named volumes, the API's port."""

    db_url: str
    secrets: dict[str, Path]
    volumes: Path
    port: int


@dataclass
class Container:
    name: str
    service: dict[str, Any]
    home: Path  # its own file system: /app/… is here
    host: Host
    process: subprocess.Popen[bytes] | None = None

    def path(self, value: str) -> str:
        """A path inside the container, mapped to this machine."""
        if value.startswith(SECRETS):
            secret = value[len(SECRETS):]
            mounted = secret in self.service.get("secrets", [])
            return str(self.host.secrets[secret] if mounted else self.home / "not-mounted" / secret)
        for volume in self.service.get("volumes", []):
            name, _, target = volume.partition(":")
            if value.startswith(target):
                return str(self.host.volumes / name) + value[len(target):]
        return str(self.home / value[len(IMAGE_ROOT):]) if value.startswith(IMAGE_ROOT) else value

    def env(self) -> dict[str, str]:
        env = {k: self.path(interpolate(str(v))) for k, v in self.service["environment"].items()}
        compose_url = urlsplit(env["HAZARD_DB_URL"])
        assert compose_url.password is None and compose_url.hostname == "db"  # never a password in the URL
        env["HAZARD_DB_URL"] = self.host.db_url
        return {"PATH": os.environ["PATH"], "HOME": str(self.home), "COLUMNS": "200", **env}

    def argv(self, command: list[str]) -> list[str]:
        argv = [interpolate(part).replace("127.0.0.1:8000", f"127.0.0.1:{self.host.port}") for part in command]
        argv = [str(self.host.port) if part == "8000" and before == "--port" else part for before, part in zip(["", *argv], argv, strict=False)]
        return [sys.executable if argv[0] == "python" else str(BIN / argv[0]), *argv[1:]]

    def run(self, command: list[str], timeout: float, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(self.argv(command), cwd=self.home, env=self.env(), input=stdin, capture_output=True, text=True,
                              timeout=timeout)  # fmt: skip

    def start(self) -> None:
        out = open(self.home / "output.log", "wb")  # noqa: SIM115 — the process writes it while it runs
        self.process = subprocess.Popen(self.argv(self.service["command"]), cwd=self.home, env=self.env(), stdout=out,
                                        stderr=subprocess.STDOUT)  # fmt: skip

    def healthy(self) -> bool:
        test = self.service["healthcheck"]["test"]
        assert test[0] == "CMD", test
        return self.run(test[1:], timeout=60).returncode == 0

    def role(self) -> str:
        return str(json.loads(next((self.home / "var" / "heartbeat").glob("*.json")).read_text())["role"])

    def output(self) -> str:
        return (self.home / "output.log").read_text("utf-8", errors="replace")


@pytest.fixture
def host(role_with_password: tuple[str, str], tmp_path: Path) -> Iterator[Host]:
    """The secrets made as the compose file's first steps say (openssl for the log key when installed)."""
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "db_password").write_text(PASSWORD + "\n", "utf-8")
    (secrets / "token_key").write_text(base64.b64encode(os.urandom(48)).decode() + "\n")
    log_key = secrets / "log_key.pem"
    if shutil.which("openssl"):
        subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", str(log_key)], check=True)
    else:
        Signer.from_file("hazard-ledger", log_key)
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text("utf-8"))
    files = {name: secrets / Path(entry["file"]).name for name, entry in compose["secrets"].items()}
    assert all(path.exists() for path in files.values()), files
    yield Host(role_with_password[1], files, tmp_path / "volumes", free_port())


def test_every_compose_service_starts_and_passes_its_health_check(host: Host, tmp_path: Path) -> None:
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text("utf-8"))["services"]
    containers = {}
    for name, service in services.items():
        if name == "db":  # the local PostgreSQL is the db service
            continue
        home = tmp_path / "containers" / name
        home.mkdir(parents=True)
        containers[name] = Container(name, service, home, host)
    init = containers.pop("init")
    done = init.run(init.service["command"], timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    first_step = ["hazard-ledger", "users", "add", "admin", "--name", "管理员", "--role", "admin", "--org-id", "ajb",
                  "--org-kind", "committee_office", "--password-stdin"]  # fmt: skip
    added = init.run(first_step, timeout=120, stdin="a long admin password\n")
    assert added.returncode == 0, added.stdout + added.stderr
    try:
        for container in containers.values():
            container.start()
        waiting = dict(containers)
        deadline = time.monotonic() + 240
        while waiting and time.monotonic() < deadline:
            for name, container in list(waiting.items()):
                assert container.process is not None and container.process.poll() is None, (name, container.output())
                if container.healthy():
                    del waiting[name]
            time.sleep(1)
        assert not waiting, {name: c.output() for name, c in waiting.items()}
        for worker in ("projector", "checkpoints"):  # one active, its standby standing by
            assert sorted(containers[n].role() for n in (worker, f"{worker}-standby")) == ["active", "standby"]
        token = httpx.post(f"http://127.0.0.1:{host.port}/api/v1/auth/token",
                           data={"username": "admin", "password": "a long admin password"}, timeout=30)  # fmt: skip
        assert token.status_code == 200, token.text
    finally:
        for container in containers.values():
            if container.process is not None and container.process.poll() is None:
                container.process.send_signal(signal.SIGTERM)  # docker stop
        exits = {name: c.process.wait(40) if c.process else None for name, c in containers.items()}
    assert set(exits.values()) == {0}, {name: containers[name].output() for name, code in exits.items() if code != 0}


def test_a_checkpoint_worker_in_production_refuses_to_generate_its_key(tmp_path: Path) -> None:
    missing = tmp_path / "secrets" / "log_key"
    env = {**os.environ, "HAZARD_ENV": "production", "HAZARD_LOG_KEY_FILE": str(missing), "COLUMNS": "200"}
    db = f"sqlite:///{tmp_path}/h.db"
    subprocess.run([str(BIN / "hazard-ledger"), "db", "upgrade", "--db", db], env=env, check=True, capture_output=True)  # as init does
    done = subprocess.run([str(BIN / "hazard-ledger"), "checkpoint-worker", "--db", db],
                          env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 2 and "no checkpoint signing key at" in done.stderr and "Traceback" not in done.stderr
    assert not missing.exists()
