"""A whole ledger database to one file and back: pg_dump's custom format and pg_restore for PostgreSQL (the
binaries, as the district's DBA would run them), SQLite's online backup API for a file (a consistent copy
while the ledger keeps writing). The file's SHA-256 is kept beside it (``FILE.sha256``, as ``sha256sum``
writes it). Whether a restored copy is the signed history is the caller's check (``audit/verify.py``)."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from sqlalchemy import URL, create_engine, inspect, make_url

from adapters.faults import OperationalFault

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


def sha256_of(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def digest_file(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def backup(sqlalchemy_url: str, out: Path) -> str:
    """Writes the database to ``out`` (never over an existing file) and its SHA-256 beside it; returns the digest."""
    if out.exists():
        raise OperationalFault(f"备份文件已存在：{out}", f"the backup file exists already: {out} (choose a new name)")
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_name(out.name + ".part")  # a copy cut short never looks like a backup
    part.touch()  # a folder we may not write to: said here, naming the file (SQLite would say "unable to open")
    url = make_url(sqlalchemy_url)
    try:
        if url.get_backend_name() == "sqlite":
            assert url.database
            _sqlite_copy(url.database, part)
        else:
            _run_tool("pg_dump", url, ["--format=custom", f"--file={part}"])
        part.replace(out)
    finally:
        part.unlink(missing_ok=True)
    digest = sha256_of(out)
    digest_file(out).write_text(f"{digest}  {out.name}\n", encoding="utf-8")
    return digest


def check_digest(source: Path) -> str:
    """The backup's SHA-256, refused if it differs from the one recorded beside it (a file damaged or replaced)."""
    digest = sha256_of(source)
    recorded = digest_file(source)
    if recorded.exists() and recorded.read_text(encoding="utf-8").split()[:1] != [digest]:
        raise OperationalFault(
            f"备份文件的 SHA-256 与 {recorded.name} 记录的不一致：{source}",
            f"the backup's SHA-256 {digest} differs from the one recorded in {recorded}: the file was changed",
        )
    return digest


def restore(source: Path, sqlalchemy_url: str, *, force: bool) -> None:
    """Puts the backup into the target database; a target holding any table is refused unless ``force``."""
    url = make_url(sqlalchemy_url)
    sqlite = url.get_backend_name() == "sqlite"
    with source.open("rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    expected, kind = (SQLITE_MAGIC, "SQLite") if sqlite else (PG_DUMP_MAGIC, "PostgreSQL (pg_dump -Fc)")
    if not head.startswith(expected):
        raise OperationalFault(f"不是 {kind} 备份文件：{source}", f"not a {kind} backup: {source}")
    if not force and _holds_tables(url):
        raise OperationalFault(
            f"目标数据库不是空的：{url.render_as_string(hide_password=True)}（确要覆盖请加 --force）",
            "the target database is not empty (--force overwrites it)",
        )
    if sqlite:
        assert url.database
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(f"{source.resolve().as_uri()}?mode=ro", url.database, uri=True)
        return
    # one transaction: a restore that fails half-way leaves the target as it was
    _run_tool("pg_restore", url, ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                                  "--exit-on-error", str(source)])  # fmt: skip


def _sqlite_copy(source: str, target: str | Path, *, uri: bool = False) -> None:
    """SQLite's online backup: a consistent copy while writers go on, page by page over whatever the target held."""
    try:
        with closing(sqlite3.connect(source, uri=uri)) as copy, closing(sqlite3.connect(target)) as into:
            copy.backup(into)
    except sqlite3.Error as exc:  # a full disk, a file we may not write
        raise OperationalFault(f"SQLite 备份或恢复失败：{exc}", f"the SQLite backup or restore failed: {exc}") from None


def _holds_tables(url: URL) -> bool:
    if url.get_backend_name() == "sqlite" and not (url.database and Path(url.database).exists()):
        return False  # connecting would make the file
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return bool(inspect(conn).get_table_names())
    finally:
        engine.dispose()


def _run_tool(tool: str, url: URL, arguments: list[str]) -> None:
    """Runs pg_dump or pg_restore on the database; the password goes in the environment, never on the command
    line (other users see a process's arguments)."""
    binary = shutil.which(tool)
    if binary is None:
        raise OperationalFault(
            f"找不到 {tool}，请安装 PostgreSQL 客户端（postgresql-client）",
            f"{tool} not found on PATH: install the PostgreSQL client tools (postgresql-client)",
        )
    conninfo = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    env = {**os.environ, **({"PGPASSWORD": str(url.password)} if url.password else {})}
    done = subprocess.run([binary, f"--dbname={conninfo}", *arguments], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        said = " ".join(done.stderr.split()) or f"exit status {done.returncode}"
        raise OperationalFault(f"{tool} 失败", f"{tool} failed: {said}")
