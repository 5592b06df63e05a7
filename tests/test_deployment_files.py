"""docker-compose.yml and the Dockerfile say what the README promises (no Docker engine runs here)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import yaml

from cli.main import app as cli_app

ROOT = Path(__file__).resolve().parents[1]


def _compose() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text("utf-8"))  # type: ignore[no-any-return]


APP_SERVICES = ("init", "api", "projector", "projector-standby", "checkpoints", "checkpoints-standby")


def test_compose_runs_postgres_the_api_and_each_worker_with_a_standby() -> None:
    compose = _compose()
    services = compose["services"]
    assert set(services) == {"db", *APP_SERVICES}  # no process-manager worker: derived facts are computed on read
    assert "no process-manager worker" in (ROOT / "docker-compose.yml").read_text("utf-8")
    assert services["db"]["image"] == "postgres:16"
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"] and "pgdata" in compose["volumes"]
    commands = {c.name or c.callback.__name__ for c in cli_app.registered_commands} | {g.name for g in cli_app.registered_groups}
    for name in APP_SERVICES:
        command = services[name]["command"]
        if command[0] == "hazard-ledger":
            assert command[1] in commands
    assert services["api"]["command"][:3] == ["uvicorn", "--factory", "api.app:app_from_env"]
    assert "${API_WORKERS:-4}" in services["api"]["command"]  # several workers
    assert services["api"]["environment"]["HAZARD_IN_PROCESS_WORKERS"] == "0"  # the worker services run the read side
    for worker, verb in (("projector", "project"), ("checkpoints", "checkpoint-worker")):
        for name in (worker, f"{worker}-standby"):
            assert services[name]["command"] == ["hazard-ledger", verb]
            assert services[name]["healthcheck"]["test"] == ["CMD", "hazard-ledger", "health", "--worker", worker]
            assert services[name]["restart"] == "unless-stopped"
    for name in APP_SERVICES[1:]:
        assert services[name]["depends_on"]["init"]["condition"] == "service_completed_successfully"
        assert services[name]["healthcheck"]["test"], name
    assert services["init"]["depends_on"]["db"]["condition"] == "service_healthy"


def test_one_image_built_once() -> None:
    services = _compose()["services"]
    assert [name for name, service in services.items() if "build" in service] == ["init"]
    assert {services[name]["image"] for name in APP_SERVICES} == {"hazard-ledger:${TAG:-latest}"}


def test_the_database_password_is_a_secret_never_in_a_url() -> None:
    compose = _compose()
    services = compose["services"]
    text = (ROOT / "docker-compose.yml").read_text("utf-8")
    assert "POSTGRES_PASSWORD:" not in text and "POSTGRES_PASSWORD_FILE: /run/secrets/db_password" in text
    assert compose["secrets"]["db_password"] == {"file": "./secrets/db_password"}
    for name in ("db", *APP_SERVICES):
        assert "db_password" in services[name]["secrets"], name
    for name in APP_SERVICES:
        env = services[name]["environment"]
        assert env["HAZARD_DB_URL"] == "postgresql://hazard@db:5432/hazard"  # no password in it
        assert env["HAZARD_DB_PASSWORD_FILE"] == "/run/secrets/db_password"
        assert env["HAZARD_ENV"] == "production"


def test_only_the_checkpoint_workers_hold_the_signing_key_and_write_to_the_volume() -> None:
    compose = _compose()
    services = compose["services"]
    assert compose["secrets"]["log_key"] == {"file": "./secrets/log_key.pem"}  # a secret: mounted read-only
    assert {name for name, s in services.items() if "log_key" in s.get("secrets", [])} == {"checkpoints", "checkpoints-standby"}
    for name in ("checkpoints", "checkpoints-standby"):
        assert services[name]["environment"]["HAZARD_LOG_KEY_FILE"] == "/run/secrets/log_key"
        assert services[name]["volumes"] == ["checkpoints:/app/var/checkpoints"]
        assert services[name]["environment"]["HAZARD_CHECKPOINT_DIR"] == "/app/var/checkpoints"
    assert "checkpoints" in compose["volumes"]


def test_compose_file_is_valid_for_docker_compose_when_installed() -> None:
    tool = shutil.which("docker-compose")
    if tool is None:
        # Structure is checked above; .ci/run installs the validator where it can.
        return
    result = subprocess.run([tool, "-f", str(ROOT / "docker-compose.yml"), "config", "-q"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_dockerfile_copies_every_package_and_runs_as_a_user() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text("utf-8")
    for package in ("domain", "projections", "audit", "adapters", "app", "demo", "web", "api", "cli"):
        assert f"COPY {package} ./{package}" in dockerfile
    users = [line.split()[1] for line in dockerfile.splitlines() if line.startswith("USER ")]
    assert users == ["hazard"]  # not root, and set after the root-only steps
    assert dockerfile.index("USER hazard") > dockerfile.index("RUN pip install")


def test_the_build_context_leaves_out_the_local_state_and_the_secrets() -> None:
    ignored = set((ROOT / ".dockerignore").read_text("utf-8").split())
    assert {".venv", "var", "secrets", ".git", "test-artifacts", "**/__pycache__", "*.pem"} <= ignored
