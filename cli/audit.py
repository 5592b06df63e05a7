"""`hazard-ledger audit …`: the log's public key, checkpoints, export, and the offline verifier."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from adapters.faults import OperationalFault
from app.settings import Settings
from cli.common import DbOption, console, open_database, open_services, progress_bar, settings_for

if TYPE_CHECKING:
    from audit.verify import DatabaseSource, ExportSource, Report

CheckpointsOption = Annotated[list[Path] | None, typer.Option("--checkpoint", help="a signed checkpoint you kept (repeatable)")]
PublicKeyOption = Annotated[str | None, typer.Option("--public-key", help="the log's verifier key, or a file holding it")]
AllowUnloggedOption = Annotated[
    bool, typer.Option("--allow-unlogged", help="rows after the log's position are a warning, not a failure")
]

audit_app = typer.Typer(help="Merkle log 默克尔日志: checkpoints, export, offline verification", no_args_is_help=True)


@audit_app.command("public-key")
def public_key(db: DbOption = None) -> None:
    """Print the log's verifier key (name+hash+base64): give it to auditors with the checkpoints."""
    from audit.note import Signer

    settings = settings_for(db)
    print(Signer.from_file(settings.log_origin, settings.log_key_file, create=settings.may_generate_keys).verifier)


@audit_app.command()
def checkpoint(
    db: DbOption = None,
    out: Annotated[Path | None, typer.Option("--out", help="also write the signed note to this file")] = None,
) -> None:
    """Bring the log up to date, sign a checkpoint (recorded, and written to HAZARD_CHECKPOINT_DIR)."""
    services = open_services(db)
    try:
        made = services.audit.checkpoint()
    finally:
        services.close()
    assert made is not None
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(made.note, encoding="utf-8")
    console.print(made.note, end="", markup=False, highlight=False)


@audit_app.command()
def export(
    out: Annotated[Path, typer.Option("--out", help="the export file (JSON Lines, audit/README.md)")],
    db: DbOption = None,
) -> None:
    """Export the raw events, the leaves, the checkpoints and the public key to one file (offline audit)."""
    from audit.verify import engine_for
    from audit.verify import export as do_export

    settings = open_database(db)
    key = verifier_key(settings, None)
    engine = engine_for(settings.sqlalchemy_url())
    with progress_bar() as bar:
        task = bar.add_task("导出 export", total=None)
        counts = do_export(engine, out, key, lambda done, total: bar.update(task, completed=done, total=total))
    engine.dispose()
    console.print(f"{out}: {counts['events']} events, {counts['leaves']} leaves, {counts['checkpoints']} checkpoints")
    if key is None:
        console.print("[yellow]no log key file: the export has no public key (give --public-key when verifying)[/yellow]")


@audit_app.command()
def verify(
    db: Annotated[str | None, typer.Option("--db", help="database URL to verify")] = None,
    export_file: Annotated[Path | None, typer.Option("--export", help="an export file to verify instead of a database")] = None,
    checkpoints: CheckpointsOption = None,
    public_key: PublicKeyOption = None,
    allow_unlogged: AllowUnloggedOption = False,
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
) -> None:
    """Verify every event against the Merkle log and the checkpoints, without the server. Exit 1 on any failure."""
    from audit.verify import ExportSource

    if (db is None) == (export_file is None):
        console.print("[red]give exactly one of --db URL or --export FILE[/red]")
        raise typer.Exit(2)
    notes = [(str(p), p.read_text(encoding="utf-8")) for p in checkpoints or []]
    if db is not None:
        settings = open_database(db)
        report = verify_database(settings, notes, verifier_key(settings, public_key), allow_unlogged, as_json)
    else:
        assert export_file is not None
        try:
            source = ExportSource(export_file)
        except ValueError as exc:  # not JSON, or not an export
            raise OperationalFault(f"不是审计导出文件：{export_file}", f"not a hazard-ledger audit export: {exc}") from None
        report = run_verification(source, notes, _key_text(public_key), allow_unlogged, as_json)
    if not report.ok:
        raise typer.Exit(1)


def _key_text(public_key: str | None) -> str | None:
    """--public-key: the key itself, or a file holding it."""
    if public_key is not None and Path(public_key).exists():
        return Path(public_key).read_text(encoding="utf-8").strip()
    return public_key


def verifier_key(settings: Settings, public_key: str | None) -> str | None:
    """The key given, else the one of this deployment's key file if it is on this machine."""
    key = _key_text(public_key)
    if key is None and settings.log_key_file.exists():
        from audit.note import Signer

        key = str(Signer.from_file(settings.log_origin, settings.log_key_file, create=False).verifier)
    return key


def verify_database(
    settings: Settings, notes: list[tuple[str, str]], key: str | None, allow_unlogged: bool, as_json: bool = False
) -> Report:
    """The offline verification of the database ``settings`` name (``audit verify --db``, and every restore)."""
    from audit.verify import DatabaseSource, engine_for

    engine = engine_for(settings.sqlalchemy_url())
    try:
        return run_verification(DatabaseSource(engine), notes, key, allow_unlogged, as_json)
    finally:
        engine.dispose()


def run_verification(
    source: DatabaseSource | ExportSource, notes: list[tuple[str, str]], key: str | None, allow_unlogged: bool, as_json: bool
) -> Report:
    """Runs the verifier with a progress bar and prints its report (or the report as JSON)."""
    from audit.verify import verify as run_verify

    with progress_bar() as bar:
        task = bar.add_task("校验 verify", total=None)
        report = run_verify(
            source,
            notes,
            key,
            allow_unlogged=allow_unlogged,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    if as_json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=str))
        return report
    console.print(f"事件 events: {report.events}   日志叶子 leaves: {report.leaves}   root: {report.root}")
    for cp in report.checkpoints:
        mark = "[green]ok[/green]" if cp["ok"] else "[red]MISMATCH[/red]"
        console.print(f"检查点 checkpoint {escape(cp['source'])}: size {cp['size']} {mark}", soft_wrap=True)
    console.print(f"个人签名 signatures: {report.signatures}")
    for finding in report.findings[:50]:
        colour = "red" if finding.fatal else "yellow"
        console.print(f"[{colour}]{escape(finding.line())}[/{colour}]", highlight=False, soft_wrap=True)
    if len(report.findings) > 50:
        console.print(f"… {len(report.findings) - 50} more findings (--json for all)")
    first = report.first_bad
    if first is None:
        console.print("[green]校验通过 / verified: no tampering detected[/green]")
    else:
        console.print(f"[red bold]首个问题 first bad: {escape(first.line())}[/red bold]", highlight=False, soft_wrap=True)
    return report
