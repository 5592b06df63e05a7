"""`hazard-ledger documents`: official documents (文书) — issue one from a record, list, show, write its PDF or DOCX.

    hazard-ledger documents issue --record <hazard|case|warning id> --kind rectification_order \\
        --user yjj-zhang --name 张伟 --role inspector --org yjj
    hazard-ledger documents list [--record ID] [--kind KIND] [--unit yjj]
    hazard-ledger documents show <document id>          (with delivery, receipt and the SHA-256 check)
    hazard-ledger documents pdf <document id> --out 指令书.pdf [--docx]

Issuing goes through the one command pipeline (app/pipeline.py) as the person named; the reads are the operator's
(the whole district).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from uuid import UUID

import typer
from rich.table import Table

from app.pipeline import CommandContext
from cli.common import DbOption, console, open_services, refused
from domain.actor import Actor
from domain.commands.documents import IssueDocument
from domain.errors import DomainError
from domain.glossary import DocumentKind, Role

documents_app = typer.Typer(help="Official documents (文书): issue, list, show, write the PDF/DOCX", no_args_is_help=True)


@documents_app.command("issue")
def issue(
    record: Annotated[str, typer.Option("--record", help="the hazard, case or warning id")],
    kind: Annotated[DocumentKind, typer.Option("--kind", help="the kind of document")],
    user: Annotated[str, typer.Option("--user", help="the issuing person's user id")],
    name: Annotated[str, typer.Option("--name", help="the issuing person's name")],
    role: Annotated[Role, typer.Option("--role", help="inspector, street_officer or committee_office")],
    org: Annotated[str, typer.Option("--org", help="the issuing unit's id (yjj, wulong, ajb …)")],
    key: Annotated[str | None, typer.Option("--idempotency-key", help="makes a retried issue safe")] = None,
    db: DbOption = None,
) -> None:
    """出具文书: numbered in the unit's series for the kind and year; prints its number and id."""
    services = open_services(db)
    try:
        unit = services.ledger.reference.unit(org)
        actor = Actor(user, name, role, unit.id, unit.kind, unit.name)
        command = IssueDocument(kind=kind, record_id=UUID(record))
        ctx = CommandContext(actor, idempotency_key=key, fingerprint=f"{record}|{kind.value}")
        outcome = services.pipeline.execute(command, ctx)
        document = services.ledger.documents.document(outcome.id)
    except DomainError as exc:
        raise refused(exc) from None
    except ValueError:
        console.print(f"[red]无效的编号 / not an id:[/red] {record}")
        raise typer.Exit(2) from None
    finally:
        services.close()
    console.print(f"{document['kind_zh']} [bold]{document['number']}[/bold]  {document['id']}  sha256 {document['sha256']}")


@documents_app.command("list")
def list_documents(
    record: Annotated[str | None, typer.Option("--record", help="issued from this record")] = None,
    kind: Annotated[DocumentKind | None, typer.Option("--kind")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="the issuing unit")] = None,
    db: DbOption = None,
) -> None:
    """Issued documents, oldest first."""
    services = open_services(db)
    try:
        rows = services.ledger.documents.documents(record_id=UUID(record) if record else None, kind=kind, unit=unit)
    finally:
        services.close()
    table = Table(title=f"文书 documents: {len(rows)}")
    for column in ("文号 number", "文书 kind", "出具单位 unit", "受文 addressee", "出具时间 issued", "id"):
        table.add_column(column)
    for r in rows:
        table.add_row(r["number"], r["kind_zh"], r["issuing_unit_name"], r["addressee"], r["issued_at"], r["id"])
    console.print(table)


@documents_app.command("show")
def show(document_id: str, db: DbOption = None) -> None:
    """One document: number, source record, delivery (送达), receipt (签收), and the re-rendered SHA-256 check."""
    services = open_services(db)
    try:
        d = services.ledger.documents.document(UUID(document_id))
        check = services.ledger.documents.verify(UUID(document_id))
    except DomainError as exc:
        raise refused(exc) from None
    finally:
        services.close()
    console.print(f"[bold]{d['kind_zh']} {d['number']}[/bold]  {d['id']}")
    console.print(f"出具单位 {d['issuing_unit_name']}，受文 {d['addressee']}，出具于 {d['issued_at']}")
    console.print(f"依据 {d['source_kind']} {d['source_id']} 第 {d['source_version']} 版；SHA-256 {d['sha256']}")
    for x in d["deliveries"]:
        console.print(f"送达 {x['method_zh']} → {x['recipient']}（{x['delivered_at']}）")
    console.print(f"签收 {d['received_by']}（{d['received_at']}）" if d["received"] else "未签收")
    verdict = "[green]核验一致 verified[/green]"
    console.print(verdict if check["verified"] else f"[red]核验不一致 NOT verified: {check['rendered_sha256']}[/red]")
    if not check["verified"]:
        raise typer.Exit(1)


@documents_app.command("pdf")
def pdf(
    document_id: str,
    out: Annotated[Path, typer.Option("--out", help="the file to write")],
    as_docx: Annotated[bool, typer.Option("--docx", help="write the DOCX (for editing) instead of the PDF")] = False,
    db: DbOption = None,
) -> None:
    """Writes the document's PDF (the bytes issued) or DOCX."""
    services = open_services(db)
    try:
        _, data = services.ledger.documents.render(UUID(document_id), "docx" if as_docx else "pdf")
    except DomainError as exc:
        raise refused(exc) from None
    finally:
        services.close()
    out.write_bytes(data)
    console.print(f"{out} ({len(data)} bytes)")
