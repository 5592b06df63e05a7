"""`hazard-ledger audit …`: the log's public key, checkpoints, export, and the offline verifier."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from cli.common import DbOption, console, open_services, progress_bar, settings_for

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
    from audit.note import Signer
    from audit.verify import engine_for
    from audit.verify import export as do_export

    settings = settings_for(db)
    key = (
        str(Signer.from_file(settings.log_origin, settings.log_key_file, create=False).verifier)
        if settings.log_key_file.exists()
        else None
    )
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
    checkpoints: Annotated[
        list[Path] | None, typer.Option("--checkpoint", help="a signed checkpoint you kept (repeatable)")
    ] = None,
    public_key: Annotated[str | None, typer.Option("--public-key", help="the log's verifier key, or a file holding it")] = None,
    allow_unlogged: Annotated[
        bool, typer.Option("--allow-unlogged", help="rows after the log's position are a warning, not a failure")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
) -> None:
    """Verify every event against the Merkle log and the checkpoints, without the server. Exit 1 on any failure."""
    from audit.verify import DatabaseSource, ExportSource, engine_for
    from audit.verify import verify as run_verify

    if (db is None) == (export_file is None):
        console.print("[red]give exactly one of --db URL or --export FILE[/red]")
        raise typer.Exit(2)
    key = public_key
    if key is not None and Path(key).exists():
        key = Path(key).read_text(encoding="utf-8").strip()
    engine = None
    if export_file is not None:
        source: DatabaseSource | ExportSource = ExportSource(export_file)
    else:
        assert db is not None
        settings = settings_for(db)
        engine = engine_for(settings.sqlalchemy_url())  # with HAZARD_DB_PASSWORD_FILE's password
        source = DatabaseSource(engine)
        if key is None and settings.log_key_file.exists():  # the key file of this deployment, if on this machine
            from audit.note import Signer

            key = str(Signer.from_file(settings.log_origin, settings.log_key_file, create=False).verifier)
    notes = [(str(p), p.read_text(encoding="utf-8")) for p in checkpoints or []]
    with progress_bar() as bar:
        task = bar.add_task("校验 verify", total=None)
        report = run_verify(
            source,
            notes,
            key,
            allow_unlogged=allow_unlogged,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    if engine is not None:
        engine.dispose()
    if as_json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=str))
    else:
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
    if not report.ok:
        raise typer.Exit(1)
