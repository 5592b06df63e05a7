"""`hazard-ledger backup` and `hazard-ledger restore`: the whole database to one file and back
(``adapters/backup.py``). A restore is a success only once the restored copy passes the offline audit
verification (``audit verify``) against the latest checkpoint kept outside the database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from adapters.backup import backup as write_backup
from adapters.backup import check_digest, digest_file
from adapters.backup import restore as put_back
from adapters.faults import OperationalFault
from cli.audit import AllowUnloggedOption, CheckpointsOption, PublicKeyOption, verifier_key, verify_database
from cli.common import DbOption, console, errors, open_database


def backup(
    out: Annotated[Path, typer.Option("--out", help="the backup file to write (never over an existing one)")],
    db: DbOption = None,
) -> None:
    """Back up the ledger's database while it runs: pg_dump's custom format (PostgreSQL) or an online copy of the
    SQLite file. Prints the file's SHA-256 and keeps it beside the file (FILE.sha256)."""
    settings = open_database(db)
    digest = write_backup(settings.sqlalchemy_url(), out)
    size = out.stat().st_size
    errors.print(f"备份 backup: {out} ({size} bytes), SHA-256 记录于 recorded in {digest_file(out)}", soft_wrap=True)
    print(f"{digest}  {out}")  # as sha256sum prints it


def restore(
    backup_file: Annotated[Path, typer.Argument(help="a file written by `hazard-ledger backup`")],
    db: DbOption = None,
    force: Annotated[bool, typer.Option("--force", help="overwrite a target database that is not empty")] = False,
    checkpoints: CheckpointsOption = None,
    public_key: PublicKeyOption = None,
    allow_unlogged: AllowUnloggedOption = False,
) -> None:
    """Restore a backup into the database --db names, then verify it offline against the latest external
    checkpoint (--checkpoint, default HAZARD_CHECKPOINT_DIR/latest.txt): exit 1 unless it verifies."""
    settings = open_database(db, create=True)
    given = checkpoints or [settings.checkpoint_dir / "latest.txt"]
    if not checkpoints and not given[0].is_file():
        raise OperationalFault(
            f"没有外部检查点，无法校验恢复的数据：{given[0]} 不存在（用 --checkpoint 指定）",
            f"no external checkpoint to verify the restore against: {given[0]} is missing (give --checkpoint FILE)",
        )
    notes = [(str(p), p.read_text(encoding="utf-8")) for p in given]
    key = verifier_key(settings, public_key)
    if key is None:
        raise OperationalFault(
            "没有日志公钥，无法验证检查点的签名（用 --public-key 或 HAZARD_LOG_KEY_FILE 指定）",
            "no log public key to check the checkpoints' signatures (give --public-key or HAZARD_LOG_KEY_FILE)",
        )
    digest = check_digest(backup_file)
    console.print(f"SHA-256 {digest}  {backup_file}", markup=False, soft_wrap=True)
    put_back(backup_file, settings.sqlalchemy_url(), force=force)
    console.print("已恢复，正在校验 / restored; verifying against the external checkpoint", soft_wrap=True)
    report = verify_database(settings, notes, key, allow_unlogged)
    if not report.ok:
        first = report.first_bad
        assert first is not None
        errors.print(
            f"恢复的数据库未通过审计校验，请勿使用 / the restored database FAILED the audit verification, do not serve it: "
            f"{first.line()}",
            style="red", markup=False, highlight=False, soft_wrap=True,
        )  # fmt: skip
        raise typer.Exit(1)
    console.print(
        f"[green]恢复完成，校验通过 / restored and verified: {report.events} events, "
        f"checkpoint {', '.join(str(p) for p in given)}[/green]",
        soft_wrap=True,
    )
