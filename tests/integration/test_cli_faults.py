"""The command line cannot mislead (issue 16): a read verb never makes a ledger, every verb says on stderr which
database it opened, and a fault of the machine (a missing or unreachable database, a missing file, a bad URL)
is one line in Chinese and English with a non-zero exit — run as an operator runs it, in a folder of its own."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from subprocess import run as run_process
from typing import Any

import pytest
from typer.testing import CliRunner

from app.settings import Settings
from app.wiring import build
from cli.main import app
from tests.conftest import PG_ADMIN_URL, _postgres_or_skip

DB_LINE = "数据库 database: "


@dataclass
class Ran:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def hazard_ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Ran]:
    """The command as an operator runs it in an empty folder, with no HAZARD_* setting of the machine running
    the tests: in process (typer's runner), or as the installed entry point (``subprocess=True``)."""
    monkeypatch.chdir(tmp_path)
    for name in [name for name in os.environ if name.startswith("HAZARD_")]:
        monkeypatch.delenv(name)

    def run(*args: str, subprocess: bool = False) -> Ran:
        if subprocess:
            done = run_process([sys.executable, "-m", "cli", *args], capture_output=True, text=True, timeout=120)
            return Ran(done.returncode, done.stdout, done.stderr)
        result = CliRunner().invoke(app, list(args))
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception  # no traceback
        return Ran(result.exit_code, result.stdout, result.stderr)

    return run


def one_line_fault(result: Ran, *named: str, code: int = 1) -> str:
    """Exit ``code``, no traceback, and one line on stderr (besides the database line) naming the problem."""
    said = result.stdout + result.stderr
    assert result.code == code, said
    assert "Traceback" not in said and 'File "' not in said, said
    problem = [line for line in result.stderr.splitlines() if line and not line.startswith(DB_LINE)]
    assert len(problem) == 1, said
    assert all(name in problem[0] for name in named), said
    assert " / " in problem[0]  # Chinese, then English
    return problem[0]


def test_report_annex2_out_of_the_ledger_folder_is_an_error_not_an_empty_form(tmp_path: Path, hazard_ledger: Any) -> None:
    """Before: an empty ledger made in ./var and an all-zero XLSX written, exit 0."""
    result = hazard_ledger("report", "annex2", "--unit", "yjj", "--as-of", "2023-12-22", subprocess=True)
    missing = tmp_path.resolve() / "var" / "hazard.db"
    one_line_fault(result, "数据库文件不存在", f"no database file {missing}")
    assert f"{DB_LINE}sqlite:///{missing}" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "args",
    [
        ("report", "annex2", "--format", "csv"),
        ("hazards", "list"),
        ("audit", "verify", "--db", "sqlite:///var/hazard.db"),
        ("audit", "export", "--out", "export.jsonl"),
        ("project", "--once"),
        ("users", "list"),
    ],
)
def test_a_read_verb_on_a_missing_sqlite_file_names_it_and_makes_nothing(
    tmp_path: Path, hazard_ledger: Any, args: tuple[str, ...]
) -> None:
    result = hazard_ledger(*args)
    missing = tmp_path.resolve() / "var" / "hazard.db"
    one_line_fault(result, "数据库文件不存在", f"no database file {missing}")
    assert f"{DB_LINE}sqlite:///{missing}" in result.stderr  # the default, relative to the folder, made absolute
    assert list(tmp_path.iterdir()) == []  # no ledger, no folder, no lock, no key, no report


def test_a_mistyped_db_names_the_file_it_did_not_find(tmp_path: Path, hazard_ledger: Any) -> None:
    one_line_fault(hazard_ledger("hazards", "list", "--db", "sqlite:///hazrd.db"), str(tmp_path.resolve() / "hazrd.db"))
    assert list(tmp_path.iterdir()) == []


def test_a_file_or_database_without_a_ledger_is_not_taken_for_one(tmp_path: Path, hazard_ledger: Any) -> None:
    (tmp_path / "notes.txt").write_text("not a database", encoding="utf-8")
    line = one_line_fault(hazard_ledger("report", "annex2", "--db", "sqlite:///notes.txt"), "不是事故隐患台账数据库")
    assert str(tmp_path.resolve() / "notes.txt") in line
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


@pytest.mark.postgres
def test_a_postgres_database_without_a_ledger_is_left_untouched(tmp_path: Path, hazard_ledger: Any) -> None:
    _postgres_or_skip()
    line = one_line_fault(hazard_ledger("hazards", "list", "--db", PG_ADMIN_URL), "not a hazard ledger database")
    assert PG_ADMIN_URL.rsplit("/", 1)[1] in line


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("mysql://x/y", "unsupported scheme 'mysql'"),
        ("hazard.db", "unsupported scheme ''"),
        ("postgresql://db:port/hazard", "not a valid URL"),
        ("postgresql://[::1/hazard", "not a valid URL"),
    ],
)
def test_a_bad_database_url_is_a_configuration_error(tmp_path: Path, hazard_ledger: Any, url: str, named: str) -> None:
    one_line_fault(hazard_ledger("hazards", "list", "--db", url), "配置错误", named, code=2)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.postgres
def test_a_postgres_url_naming_a_missing_database(tmp_path: Path, hazard_ledger: Any) -> None:
    _postgres_or_skip()
    url = f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/hazard_no_such_database"
    one_line_fault(hazard_ledger("report", "annex2", "--db", url), "数据库无法访问", '"hazard_no_such_database" does not exist')
    assert list(tmp_path.iterdir()) == []


def test_an_unreachable_postgres_server_masks_the_password(tmp_path: Path, hazard_ledger: Any) -> None:
    result = hazard_ledger("hazards", "list", "--db", "postgresql://hazard:s3cret@127.0.0.1:1/hazard", subprocess=True)
    one_line_fault(result, "database unavailable", "port 1 failed")
    assert f"{DB_LINE}postgresql://hazard:***@127.0.0.1:1/hazard" in result.stderr
    assert "s3cret" not in result.stdout + result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_missing_or_foreign_export_file(tmp_path: Path, hazard_ledger: Any) -> None:
    one_line_fault(hazard_ledger("audit", "verify", "--export", "nosuch.jsonl"), "文件不存在", "nosuch.jsonl")
    (tmp_path / "other.jsonl").write_text('{"format": "something else"}\n', encoding="utf-8")
    one_line_fault(hazard_ledger("audit", "verify", "--export", "other.jsonl"), "not a hazard-ledger audit export")
    assert [p.name for p in tmp_path.iterdir()] == ["other.jsonl"]


def test_a_write_verb_makes_the_ledger_and_says_where(tmp_path: Path, hazard_ledger: Any) -> None:
    result = hazard_ledger("db", "upgrade")
    assert result.code == 0, result.stderr
    assert f"{DB_LINE}sqlite:///{tmp_path.resolve() / 'var' / 'hazard.db'}" in result.stderr
    assert (tmp_path / "var" / "hazard.db").is_file()
    assert hazard_ledger("hazards", "list").code == 0


def test_the_database_line_and_the_progress_stay_off_stdout(db_url: str) -> None:
    build(Settings(db_url=db_url)).close()
    result = CliRunner().invoke(app, ["audit", "verify", "--db", db_url, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ok"] is True  # the report alone: it can be piped
    assert DB_LINE in result.stderr and DB_LINE not in result.stdout


def test_a_folder_it_may_not_write_to_is_one_line(hazard_ledger: Any) -> None:
    unwritable = Path("/sys")  # not even root may make a file there (the tests may run as root: chmod would not do)
    try:
        (unwritable / "hazard-ledger-probe").touch()
        pytest.skip("/sys is writable here")
    except FileNotFoundError:
        pytest.skip("no /sys here")
    except PermissionError:
        pass
    assert hazard_ledger("db", "upgrade").code == 0
    one_line_fault(hazard_ledger("backup", "--out", "/sys/hazard.backup"), "没有权限", "Permission denied: /sys/hazard.backup.part")
